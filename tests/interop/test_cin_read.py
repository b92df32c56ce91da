"""Reading CIN census XML into the record's tables.

The expected values are read by eye from the hand-written fixtures in data/ (each test says
which element gives each figure), not from running the reader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from cpqa.interop.cin_check import check_cin_file
from cpqa.interop.cin_read import UNAVAILABLE, read_cin, read_cin_file, read_cin_files
from cpqa.interop.errors import CinFileError

from .conftest import DATA

D = dt.date
Y2017 = DATA / "cin_2017_gendercurrent.xml"
Y2018 = DATA / "cin_2018_update.xml"
Y2025 = DATA / "cin_2025_sex_repeated.xml"


Write = Callable[[str, str], Path]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    def put(text: str, name: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return put


def rows(frame: pl.DataFrame, *columns: str) -> list[tuple]:
    return frame.select(columns).rows()


def test_header_gives_reference_date_year_and_la() -> None:
    header = read_cin_file(Y2017).header
    assert (header.reference_date, header.year, header.la_code) == (D(2018, 3, 31), 2018, "999")


def test_2017_children_sex_from_gender_current() -> None:
    """GenderCurrent 2 -> F (FAKE0001), 1 -> M (FAKE0002); 2018 file: 9 (indeterminate) -> U."""
    record = read_cin(Y2017)
    assert rows(
        record.children, "child_id", "sex", "date_of_birth", "ethnicity", "disabilities", "upn_unknown"
    ) == [
        ("FAKE0001", "F", D(2010, 5, 14), "WBRI", ["NONE"], "UN3"),
        ("FAKE0002", "M", D(2015, 11, 30), "BAFR", ["AUT", "COMM"], "UN1"),
    ]
    assert read_cin(Y2018).children.filter(pl.col("child_id") == "FAKE0005")["sex"].to_list() == ["U"]
    assert record.source == "cin-census"


def test_2025_children_sex_and_unborn_child() -> None:
    """FAKE0003 has ExpectedPersonBirthDate and Sex U and no Disabilities element (unknown, null)."""
    record = read_cin(Y2025)
    assert rows(
        record.children, "child_id", "sex", "date_of_birth", "expected_date_of_birth", "disabilities"
    ) == [
        ("FAKE0003", "U", None, D(2025, 5, 20), None),
        ("FAKE0004", "M", D(2012, 2, 29), None, ["NONE"]),
    ]


def test_episodes_with_booleans_in_any_case() -> None:
    """ReferralNFA FALSE / 0 / false / 0 / 0 all read as False; ids are LAchildID + position."""
    record = read_cin(Y2017)
    assert rows(
        record.episodes,
        "episode_id",
        "referral_date",
        "referral_source",
        "closure_date",
        "closure_reason",
        "referral_nfa",
    ) == [
        ("FAKE0001/e1", D(2017, 6, 1), "6", D(2018, 2, 1), "RC7", False),
        ("FAKE0002/e1", D(2017, 9, 4), "5C", None, None, False),
    ]
    second = read_cin(Y2025).episodes
    assert second["episode_id"].to_list() == ["FAKE0003/e1", "FAKE0004/e1", "FAKE0004/e2"]
    assert second["referral_nfa"].to_list() == [False, False, False]


def test_assessments_keep_superseded_factor_18a() -> None:
    record = read_cin(Y2017)
    assert rows(record.assessments, "assessment_id", "start_date", "authorised_date", "factors") == [
        ("FAKE0001/e1/a1", D(2017, 6, 2), D(2017, 7, 10), ["18A", "3B"]),
        ("FAKE0002/e1/a1", D(2017, 9, 4), None, []),
    ]


def test_section_47_with_target_and_not_required() -> None:
    """FAKE0004's first enquiry: ICPCnotRequired 1 -> True, no conference; the second: 0 -> False."""
    record = read_cin(Y2025)
    assert rows(record.s47, "s47_id", "start_date", "icpc_target_date", "icpc_not_required") == [
        ("FAKE0003/e1/s1", D(2025, 1, 8), D(2025, 1, 29), False),
        ("FAKE0004/e1/s1", D(2024, 4, 22), D(2024, 5, 14), True),
        ("FAKE0004/e2/s1", D(2024, 10, 2), D(2024, 10, 23), False),
    ]


def test_plans_with_categories_and_previous_plans() -> None:
    record = read_cin(Y2017)
    assert rows(
        record.plans,
        "plan_id",
        "episode_id",
        "start_date",
        "end_date",
        "initial_category",
        "latest_category",
        "initial_categories",
        "latest_categories",
        "previous_plans",
    ) == [
        ("FAKE0001/e1/p1", "FAKE0001/e1", D(2017, 6, 22), D(2018, 1, 15), "NEG", "EMO", ["NEG"], ["EMO"], 1),
        ("FAKE0002/e1/p1", "FAKE0002/e1", D(2017, 9, 20), None, "PHY", "PHY", ["PHY"], ["PHY"], 0),
    ]


def test_conferences_from_one_reviews_element_holding_every_date() -> None:
    """FAKE0001: ICPC 2017-06-22 = plan start (outcome plan); reviews 2017-09-21 and 2018-01-15,
    the second equal to CPPendDate (plan ended). FAKE0002: the ICPC date on CINdetails with no
    Section47 is a transfer-in, and its plan starts that day."""
    record = read_cin(Y2017)
    conferences = record.conferences.sort("conference_id")
    assert rows(
        conferences, "conference_id", "conference_type", "held_date", "outcome", "s47_id", "plan_id"
    ) == [
        ("FAKE0001/e1/p1/r1", "review", D(2017, 9, 21), "plan_continued", None, "FAKE0001/e1/p1"),
        ("FAKE0001/e1/p1/r2", "review", D(2018, 1, 15), "plan_ended", None, "FAKE0001/e1/p1"),
        ("FAKE0001/e1/s1/icpc", "initial", D(2017, 6, 22), "plan", "FAKE0001/e1/s1", "FAKE0001/e1/p1"),
        ("FAKE0002/e1/p1/r1", "review", D(2017, 12, 14), "plan_continued", None, "FAKE0002/e1/p1"),
        ("FAKE0002/e1/ti", "transfer_in", D(2017, 9, 20), "plan", None, "FAKE0002/e1/p1"),
    ]


def test_conferences_from_one_reviews_element_per_date_and_prebirth() -> None:
    """FAKE0003 is unborn (no PersonBirthDate): its ICPC is a pre-birth conference. FAKE0004's
    two Reviews elements give two reviews, the second on CPPendDate 2025-03-20."""
    record = read_cin(Y2025)
    conferences = record.conferences.sort("conference_id")
    assert rows(conferences, "conference_id", "conference_type", "held_date", "outcome") == [
        ("FAKE0003/e1/p1/r1", "review", D(2025, 3, 27), "plan_continued"),
        ("FAKE0003/e1/s1/icpc", "prebirth", D(2025, 1, 28), "plan"),
        ("FAKE0004/e2/p1/r1", "review", D(2025, 1, 16), "plan_continued"),
        ("FAKE0004/e2/p1/r2", "review", D(2025, 3, 20), "plan_ended"),
        ("FAKE0004/e2/s1/icpc", "initial", D(2024, 10, 21), "plan"),
    ]


def test_initial_conference_without_plan_is_no_plan(write: Write) -> None:
    """A Section47 with an ICPC date but no plan starting that day: outcome no_plan, no plan_id."""
    text = Y2025.read_text().replace(
        "<CPPstartDate>2024-10-21</CPPstartDate>", "<CPPstartDate>2024-10-22</CPPstartDate>"
    )
    record = read_cin(write(text, "no_plan.xml"))
    initial = record.conferences.filter(pl.col("conference_id") == "FAKE0004/e2/s1/icpc")
    assert rows(initial, "outcome", "plan_id") == [("no_plan", None)]


def test_unavailable_facts_are_listed_with_reasons() -> None:
    record = read_cin(Y2017)
    for name in ("attendance", "quoracy", "participation", "escalations", "families", "transfer_out"):
        assert record.unavailable.get(name)
    assert record.unavailable == UNAVAILABLE


def test_namespaced_file_reads_the_same(write: Write) -> None:
    text = Y2017.read_text().replace("<Message>", '<Message xmlns="http://www.dfes.gov.uk/CBDS">')
    plain, namespaced = read_cin(Y2017), read_cin(write(text, "ns.xml"))
    for name in plain.table_names():
        assert getattr(plain, name).equals(getattr(namespaced, name)), name


def test_duplicate_child_keeps_both_with_distinct_ids(write: Write) -> None:
    """A child listed twice (DfE rule 8510) stays two rows, its episodes numbered e1 then e2."""
    text = Y2017.read_text().replace("<LAchildID>FAKE0002</LAchildID>", "<LAchildID>FAKE0001</LAchildID>")
    record = read_cin(write(text, "dup.xml"))
    assert record.children["child_id"].to_list() == ["FAKE0001", "FAKE0001"]
    assert record.episodes["episode_id"].to_list() == ["FAKE0001/e1", "FAKE0001/e2"]


# --- several years ------------------------------------------------------------------------


def test_later_year_updates_the_same_children() -> None:
    """2017-18 then 2018-19 (worked from the two fixtures):
    - FAKE0001 keeps its 2017 episode (closed, absent from 2018) and gains e2 (2018-10-10);
    - FAKE0002's episode (same referral 2017-09-04) is one episode: closure 2018-11-30 from
      2018, the transfer-in ICPC 2017-09-20 kept from 2017 (2018 is silent about it);
    - its plan (same start) ends 2018-11-05 with latest category EMO; reviews are the union
      2017-12-14, 2018-06-14, 2018-11-05 (the last ends the plan);
    - disabilities are the 2018 file's [AUT]; FAKE0005 is new."""
    record = read_cin_files([Y2017, Y2018])
    assert sorted(record.children["child_id"].to_list()) == ["FAKE0001", "FAKE0002", "FAKE0005"]
    assert record.children.filter(pl.col("child_id") == "FAKE0002")["disabilities"].to_list() == [["AUT"]]
    assert rows(record.episodes.sort("episode_id"), "episode_id", "referral_date", "closure_date") == [
        ("FAKE0001/e1", D(2017, 6, 1), D(2018, 2, 1)),
        ("FAKE0001/e2", D(2018, 10, 10), None),
        ("FAKE0002/e1", D(2017, 9, 4), D(2018, 11, 30)),
        ("FAKE0005/e1", D(2018, 5, 1), D(2018, 5, 1)),
    ]
    plan = record.plans.filter(pl.col("child_id") == "FAKE0002")
    assert rows(plan, "plan_id", "start_date", "end_date", "initial_category", "latest_category") == [
        ("FAKE0002/e1/p1", D(2017, 9, 20), D(2018, 11, 5), "PHY", "EMO"),
    ]
    conferences = record.conferences.filter(pl.col("child_id") == "FAKE0002").sort("held_date")
    assert rows(conferences, "conference_type", "held_date", "outcome") == [
        ("transfer_in", D(2017, 9, 20), "plan"),
        ("review", D(2017, 12, 14), "plan_continued"),
        ("review", D(2018, 6, 14), "plan_continued"),
        ("review", D(2018, 11, 5), "plan_ended"),
    ]
    # FAKE0002's assessment is only in the 2017 file, and stays.
    assert record.assessments.filter(pl.col("child_id") == "FAKE0002")["assessment_id"].to_list() == [
        "FAKE0002/e1/a1"
    ]
    assert rows(record.s47.sort("s47_id"), "s47_id", "icpc_not_required") == [
        ("FAKE0001/e1/s1", False),
        ("FAKE0001/e2/s1", True),
    ]


def test_the_same_file_twice_is_the_file_once() -> None:
    once, twice = read_cin(Y2017), read_cin_files([Y2017, Y2017])
    for name in once.table_names():
        assert getattr(once, name).equals(getattr(twice, name)), name


def test_generated_file_in_both_layouts_and_bool_styles(make_cin: Callable[..., Path]) -> None:
    """The same seed with one Reviews per plan (digits) and one Reviews per date (words) is the
    same record: the layouts and spellings are only how the file is written."""
    schema = read_cin(make_cin(300, "--seed", "4", name="schema.xml"))
    repeated = read_cin(
        make_cin(
            300, "--seed", "4", "--reviews-layout", "repeated", "--bool-style", "word", name="repeated.xml"
        )
    )
    for name in schema.table_names():
        assert getattr(schema, name).equals(getattr(repeated, name)), name
    assert schema.children.height == 300
    # Every generated child has one enquiry with an ICPC: 300 initial conferences.
    assert schema.conferences.filter(pl.col("conference_type") == "initial").height == 300


# --- bad input ------------------------------------------------------------------------------


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_malformed_xml_names_the_line(write: Write) -> None:
    text = Y2017.read_text().replace("</Ethnicity>", "</Ethnicty>", 1)
    with pytest.raises(CinFileError) as caught:
        read_cin(write(text, "broken.xml"))
    assert caught.value.line == _line_of(text, "</Ethnicty>")
    assert "not well-formed" in str(caught.value) and "broken.xml" in str(caught.value)


def test_doctype_is_refused_before_parsing(write: Write) -> None:
    text = Y2017.read_text().replace(
        '<?xml version="1.0" encoding="utf-8"?>',
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE Message SYSTEM "file:///etc/passwd">',
    )
    with pytest.raises(CinFileError, match="DOCTYPE") as caught:
        read_cin(write(text, "xxe.xml"))
    assert caught.value.line == 2


def test_billion_laughs_entity_is_refused(write: Write) -> None:
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        "<Message><Children><Child><ChildIdentifiers><LAchildID>&lol2;</LAchildID>"
        "</ChildIdentifiers></Child></Children></Message>\n"
    )
    with pytest.raises(CinFileError, match="DOCTYPE|ENTITY"):
        read_cin(write(laughs, "lol.xml"))


def test_entity_declared_in_lower_case_is_still_refused(write: Write) -> None:
    text = Y2017.read_text().replace("<Message>", '<!entity x "y">\n<Message>')
    with pytest.raises(CinFileError, match="ENTITY"):
        read_cin(write(text, "lower.xml"))


def test_file_over_the_size_limit_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    size = Y2017.stat().st_size
    with pytest.raises(CinFileError, match="over the limit"):
        read_cin(Y2017, max_bytes=size - 1)
    monkeypatch.setenv("CPQA_CIN_MAX_BYTES", str(size - 1))
    with pytest.raises(CinFileError, match="CPQA_CIN_MAX_BYTES"):
        read_cin(Y2017)
    monkeypatch.setenv("CPQA_CIN_MAX_BYTES", str(size))
    assert read_cin(Y2017).children.height == 2


def test_unknown_code_is_read_as_it_stands_for_its_rule_to_report(write: Write) -> None:
    """Issue 13: an invalid code is the finding of the rule that covers it (4220 for Ethnicity),
    with the child, the element and its line; the file is not refused."""
    text = Y2017.read_text().replace("<Ethnicity>BAFR</Ethnicity>", "<Ethnicity>QQQQ</Ethnicity>")
    path = write(text, "code.xml")
    assert read_cin(path).children.filter(pl.col("child_id") == "FAKE0002")["ethnicity"].to_list() == ["QQQQ"]
    hits = check_cin_file(path).filter(pl.col("rule") == "4220")
    assert hits.select("child_id", "field", "line").rows() == [("FAKE0002", "Ethnicity", _line_of(text, "QQQQ"))]


def test_impossible_date_is_refused(write: Write) -> None:
    text = Y2017.read_text().replace("<CINreferralDate>2017-06-01<", "<CINreferralDate>2018-02-30<")
    with pytest.raises(CinFileError, match="not a real date") as caught:
        read_cin(write(text, "date.xml"))
    assert (caught.value.child_id, caught.value.element) == ("FAKE0001", "CINreferralDate")


def test_date_in_another_shape_is_refused(write: Write) -> None:
    text = Y2017.read_text().replace("<CPPstartDate>2017-09-20<", "<CPPstartDate>20/09/2017<")
    with pytest.raises(CinFileError, match="YYYY-MM-DD") as caught:
        read_cin(write(text, "shape.xml"))
    assert (caught.value.child_id, caught.value.element) == ("FAKE0002", "CPPstartDate")


def test_missing_required_element_is_the_finding_of_its_rule(write: Write) -> None:
    """FAKE0001's enquiry loses its start date but keeps its conference (2017-06-22): rule
    8615 (start present and on or before the conference) reports it, on the Section47's line."""
    text = Y2017.read_text().replace("<S47ActualStartDate>2017-06-05</S47ActualStartDate>", "")
    path = write(text, "missing.xml")
    assert read_cin(path).s47.filter(pl.col("child_id") == "FAKE0001")["start_date"].to_list() == [None]
    hits = check_cin_file(path).filter(pl.col("rule") == "8615")
    assert hits.select("child_id", "record_id").rows() == [("FAKE0001", "FAKE0001/e1/s1")]


def test_missing_child_id_is_rule_8500_with_its_line(write: Write) -> None:
    text = Y2017.read_text().replace("<LAchildID>FAKE0002</LAchildID>", "<LAchildID> </LAchildID>")
    hits = check_cin_file(write(text, "noid.xml")).filter(pl.col("rule") == "8500")
    assert hits.select("child_id", "line").rows() == [("", _line_of(text, "<LAchildID> </LAchildID>"))]


def test_not_a_yes_no_referral_nfa_is_rule_8568(write: Write) -> None:
    text = Y2017.read_text().replace("<ReferralNFA>0</ReferralNFA>", "<ReferralNFA>no</ReferralNFA>")
    hits = check_cin_file(write(text, "bool.xml")).filter(pl.col("rule") == "8568")
    assert hits.select("child_id", "line").rows() == [("FAKE0002", _line_of(text, "<ReferralNFA>no<"))]


def test_every_unreadable_value_is_named_at_once(write: Write) -> None:
    """Two impossible dates in two children: one error naming both, and nothing read."""
    text = (
        Y2017.read_text()
        .replace("<CINreferralDate>2017-06-01<", "<CINreferralDate>2018-02-30<")
        .replace("<CPPstartDate>2017-09-20<", "<CPPstartDate>20/09/2017<")
    )
    with pytest.raises(CinFileError) as caught:
        read_cin(write(text, "two.xml"))
    problems = [(p.child_id, p.element, p.line) for p in caught.value.problems]
    assert problems == [
        ("FAKE0001", "CINreferralDate", _line_of(text, "2018-02-30")),
        ("FAKE0002", "CPPstartDate", _line_of(text, "20/09/2017")),
    ]
    assert str(caught.value).startswith("2 problems found, so nothing was read")


def test_file_with_no_children_is_refused(write: Write) -> None:
    with pytest.raises(CinFileError, match="no Child elements"):
        read_cin(write('<?xml version="1.0"?><Message><Children/></Message>', "empty.xml"))


def test_invalid_category_is_read_for_the_checks_to_report(write: Write) -> None:
    """DfE rule 8905 judges categories, so the reader keeps 'QQQ' rather than refusing the file."""
    text = Y2017.read_text().replace("<InitialCategoryOfAbuse>PHY<", "<InitialCategoryOfAbuse>QQQ<")
    record = read_cin(write(text, "category.xml"))
    assert record.plans.filter(pl.col("child_id") == "FAKE0002")["initial_category"].to_list() == ["QQQ"]


def test_a_report_from_a_census_file_says_what_the_file_cannot_tell() -> None:
    """Late reasons and category combinations are not in a census file: their tables say so."""
    from cpqa.domain.calendar import ReportingYear
    from cpqa.domain.config import AuthorityConfig
    from cpqa.reports.assemble import assemble_report

    record = read_cin(Path(__file__).parent / "data" / "cin_2017_gendercurrent.xml")
    report = assemble_report(record, ReportingYear.parse("2016-17"), authority=AuthorityConfig())
    for table_id in ("initial_conference_timeliness_reasons", "category_combinations_at_year_end",
                     "agency_attendance", "escalations"):
        table = report["tables"][table_id]
        assert table["available"] is False and table["reason"].startswith("a CIN census file")
        assert "rows" not in table or not table["rows"]
