"""Ofsted Annex A lists 5 and 7 from a hand-made record, with each answer worked out below.

Inspection date 31/03/2018, so the six-month period runs 01/10/2017 to 31/03/2018
(31 March less 6 months is 30 September; the period starts the day after).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from cpqa.domain.tables import Record
from cpqa.interop import annex_a

D = dt.date
AS_OF = D(2018, 3, 31)


@pytest.fixture
def record() -> Record:
    children = pl.DataFrame(
        {
            "child_id": ["AX1", "AX2", "AX3", "AX4"],
            "sex": ["F", "U", "M", "F"],
            "date_of_birth": [D(2010, 5, 1), None, D(2005, 3, 31), D(2009, 1, 1)],
            "expected_date_of_birth": [None, D(2018, 6, 30), None, None],
            "ethnicity": ["WBRI", "NOBT", "BAFR", "WBRI"],
            "disabilities": [["NONE"], [], ["AUT"], ["NONE"]],
            "team": ["Team A (fake)", None, "Team B (fake)", None],
        }
    )
    s47 = pl.DataFrame(
        {
            "s47_id": ["s1", "s2", "s3"],
            "child_id": ["AX1", "AX1", "AX2"],
            "start_date": [D(2017, 6, 1), D(2018, 1, 8), D(2018, 3, 20)],
            "icpc_not_required": [False, False, False],
        }
    )
    plans = pl.DataFrame(
        {
            "plan_id": ["p1", "p2", "p3", "p4"],
            "child_id": ["AX1", "AX1", "AX3", "AX4"],
            "start_date": [D(2016, 1, 10), D(2018, 1, 29), D(2017, 2, 1), D(2017, 1, 1)],
            "end_date": [D(2017, 5, 1), None, D(2018, 2, 15), D(2017, 9, 30)],
            "initial_category": ["NEG", "NEG", "EMO", "PHY"],
            "latest_category": ["NEG", "MUL", "EMO", "PHY"],
            "previous_plans": [None, None, 2, None],
        }
    )
    conferences = pl.DataFrame(
        {
            "conference_id": ["c1", "c2", "r1", "r2", "r3", "r4"],
            "child_id": ["AX1", "AX1", "AX1", "AX3", "AX3", "AX3"],
            "conference_type": ["initial", "initial", "review", "review", "review", "review"],
            "held_date": [D(2017, 6, 20), D(2018, 1, 29), D(2018, 3, 26), D(2017, 5, 1), D(2017, 11, 1),
                          D(2018, 2, 15)],
            "s47_id": ["s1", "s2", None, None, None, None],
            "plan_id": [None, "p2", "p2", "p3", "p3", "p3"],
        }
    )
    visits = pl.DataFrame(
        {
            "visit_id": ["v1", "v2"],
            "plan_id": ["p2", "p2"],
            "child_id": ["AX1", "AX1"],
            "visit_date": [D(2018, 2, 5), D(2018, 3, 12)],
            "seen_alone": [True, False],
        }
    )
    return Record.of(children=children, s47=s47, plans=plans, conferences=conferences, visits=visits)


def test_period_is_the_six_months_before_the_inspection() -> None:
    assert annex_a.period_start(AS_OF) == D(2017, 10, 1)
    assert annex_a.period_start(D(2018, 8, 31)) == D(2018, 3, 1)  # 28 Feb + 1 day


def test_list_5_one_row_per_enquiry_in_the_period(record: Record) -> None:
    rows = annex_a.list_5(record, AS_OF).to_dicts()
    assert list(rows[0]) == list(annex_a.LIST_5_COLUMNS)
    # s1 (1 June 2017) is before the period; s2 and s3 are in it, oldest first.
    assert [r["Strategy discussion initiating Section 47 Enquiry Start Date"] for r in rows] == [
        "08/01/2018", "20/03/2018"]
    s2, s3 = rows
    assert s2["Child Unique ID"] == "AX1" and s2["Gender"] == "b) Female" and s2["Ethnicity"] == "a) WBRI"
    assert s2["Date of Birth"] == "01/05/2010" and s2["Age of Child (Years)"] == 7  # 7 on 31/03/2018
    assert s2["Does the Child have a Disability"] == "b) No"
    assert s2["Date of Initial Child Protection Conference"] == "29/01/2018"
    assert s2["Did the Initial Child Protection Conference Result in a Child Protection Plan"] == "a) Yes"
    # In the 12 months before 8 Jan 2018: s1 (1 June 2017) and its ICPC (20 June 2017).
    assert s2["Number of Section 47 Enquiries in the last 12 months"] == 1
    assert s2["Number of ICPCs in the last 12 months"] == 1
    assert s2["Allocated Team"] == "Team A (fake)"
    # The unborn child: no date of birth, so no age; sex U is "not stated"; no conference yet.
    assert s3["Gender"] == "c) Not stated/recorded" and s3["Ethnicity"] == "t) NOBT"
    assert s3["Date of Birth"] is None and s3["Age of Child (Years)"] is None
    assert s3["Does the Child have a Disability"] == "c) Unknown"
    assert s3["Was an Initial Child Protection Conference deemed unnecessary?"] == "b) No"
    assert s3["Date of Initial Child Protection Conference"] is None
    assert s3["Did the Initial Child Protection Conference Result in a Child Protection Plan"] is None
    assert s3["Number of Section 47 Enquiries in the last 12 months"] == 0


def test_list_7_open_plans_and_plans_ended_in_the_period(record: Record) -> None:
    rows = annex_a.list_7(record, AS_OF).to_dicts()
    assert list(rows[0]) == list(annex_a.LIST_7_COLUMNS)
    # p1 ended 01/05/2017 and p4 on 30/09/2017: both before the period. p3 ended 15/02/2018 (in
    # the period) and p2 is open: oldest start first.
    assert [r["Child Protection Plan Start Date"] for r in rows] == ["01/02/2017", "29/01/2018"]
    p3, p2 = rows
    assert p3["Ethnicity"] == "o) BAFR" and p3["Age of Child (Years)"] == 13  # 13th birthday 31/03/2018
    assert p3["Does the Child have a Disability"] == "a) Yes"
    assert p3["Initial Category of Abuse"] == "d) Emotional abuse"
    assert p3["Date of latest review conference"] == "15/02/2018"
    assert p3["Child Protection Plan End Date"] == "15/02/2018"
    assert p3["Date of the Last Statutory Visit"] is None and p3["Was the Child Seen Alone?"] is None
    # No earlier plan in the record, but the census said 2 previous plans: the larger counts.
    assert p3["Number of Previous Child Protection Plans"] == 2
    assert p2["Latest Category of Abuse"] == "e) Multiple/not recommended"
    assert p2["Date of the Last Statutory Visit"] == "12/03/2018"
    assert p2["Was the Child Seen Alone?"] == "b) No"
    assert p2["Date of latest review conference"] == "26/03/2018"
    assert p2["Child Protection Plan End Date"] is None
    assert p2["Number of Previous Child Protection Plans"] == 1  # p1


def test_workbook_has_the_templates_headers_and_rows(record: Record, tmp_path: Path) -> None:
    out = tmp_path / "annex-a.xlsx"
    annex_a.write_xlsx({"List 5": annex_a.list_5(record, AS_OF), "List 7": annex_a.list_7(record, AS_OF)}, out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["List 5", "List 7"]
    list7 = list(book["List 7"].iter_rows(values_only=True))
    assert list7[0] == annex_a.LIST_7_COLUMNS
    assert len(list7) == 3 and list7[2][0] == "AX1"


def test_annex_a_command_from_a_census_file(tmp_path: Path) -> None:
    """The command reads a census file without a database and writes both lists as CSV."""
    from cpqa.cli import main

    data = Path(__file__).parent / "data" / "cin_2017_gendercurrent.xml"
    out = tmp_path / "annex.csv"
    assert main(["annex-a", "--as-of", "2017-03-31", "--out", str(out), "--from-cin", str(data)]) == 0
    header = (tmp_path / "annex-list7.csv").read_text().splitlines()[0]
    assert header.startswith("Child Unique ID,Gender,Ethnicity")
    assert (tmp_path / "annex-list5.csv").exists()


def test_annex_a_refuses_other_formats(tmp_path: Path) -> None:
    from cpqa.cli import main

    assert main(["annex-a", "--as-of", "2017-03-31", "--out", str(tmp_path / "a.pdf"), "--from-cin", "x"]) == 2
