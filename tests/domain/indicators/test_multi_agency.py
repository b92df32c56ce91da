"""Section 5: quoracy and agencies' attendance and reports, counted per child."""

from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from cpqa.domain import codes
from cpqa.domain.calendar import ReportingYear
from cpqa.domain.config import QuoracyRule
from cpqa.domain.indicators.multi_agency import agency_attendance, meeting_quoracy, quorate_conferences
from cpqa.domain.tables import Record

from .build import D, record, table

YEAR = ReportingYear(2017)
HELD = D(2017, 6, 1)


def _conference(child: str, meeting: str, kind: str) -> dict[str, object]:
    return {"conference_id": child, "meeting_id": meeting, "child_id": child, "conference_type": kind,
            "held_date": HELD}


def _attended(meeting: str, agency: str, *, attended: bool = True, report: bool = False,
              invited: bool = True) -> dict[str, object]:
    return {"meeting_id": meeting, "agency": agency, "invited": invited, "attended": attended,
            "report_submitted": report}


def _quoracy_record() -> Record:
    return record(
        conferences=[
            _conference("A1", "MA", "initial"), _conference("A2", "MA", "initial"),  # siblings
            _conference("B1", "MB", "review"),
            _conference("C1", "MC", "review"),
            _conference("D1", "MD", "transfer_in"),
            _conference("E1", "ME", "prebirth"),
            _conference("F1", "MF", "review"),  # no attendance recorded
        ],
        attendance=[
            # MA: social care, police, school: quorate (the GP did not come).
            _attended("MA", "social_care"), _attended("MA", "police"), _attended("MA", "school"),
            _attended("MA", "gp", attended=False),
            # MB: social care, health visitor and GP: two other agencies, quorate.
            _attended("MB", "social_care"), _attended("MB", "health_visitor"), _attended("MB", "gp"),
            # MC: police twice is one agency; the school did not come: inquorate.
            _attended("MC", "social_care"), _attended("MC", "police"), _attended("MC", "police"),
            _attended("MC", "school", attended=False),
            # MD: three agencies but no social care: inquorate.
            _attended("MD", "police"), _attended("MD", "school"), _attended("MD", "gp"),
            # ME: social care, midwife, health visitor: quorate.
            _attended("ME", "social_care"), _attended("ME", "midwife"), _attended("ME", "health_visitor"),
        ],
    )


def test_quorate_conferences_by_type_per_child() -> None:
    rows = quorate_conferences(_quoracy_record(), YEAR, QuoracyRule()).rows(named=True)
    # initial: A1 A2 (MA) + E1 (pre-birth, ME): 3 of 3. review: B1 quorate, C1 not; F1 not recorded.
    # transfer-in: D1 not quorate. all: 4 of 6 = 66.7.
    assert rows == [
        {"conference_type": "initial", "held": 3, "quorate": 3, "percent": 100.0, "attendance_not_recorded": 0},
        {"conference_type": "review", "held": 2, "quorate": 1, "percent": 50.0, "attendance_not_recorded": 1},
        {"conference_type": "transfer_in", "held": 1, "quorate": 0, "percent": 0.0, "attendance_not_recorded": 0},
        {"conference_type": "all", "held": 6, "quorate": 4, "percent": 66.7, "attendance_not_recorded": 1},
    ]


def test_quoracy_rule_is_the_authoritys() -> None:
    # Three other agencies, social care not required: only MD (police, school, GP) qualifies.
    rule = QuoracyRule(social_care_required=False, other_agencies_required=3)
    rows = quorate_conferences(_quoracy_record(), YEAR, rule)
    assert rows["quorate"].to_list() == [0, 0, 1, 1]


agency_sets = st.lists(
    st.tuples(st.sampled_from(sorted(codes.AGENCY)), st.booleans()), max_size=8
)


@given(agency_sets, st.booleans(), st.integers(min_value=0, max_value=3))
def test_columnar_quoracy_agrees_with_the_rule(
    rows: list[tuple[str, bool]], social_care_required: bool, others: int
) -> None:
    rule = QuoracyRule(social_care_required=social_care_required, other_agencies_required=others)
    attendance = [_attended("M", agency, attended=came) for agency, came in rows]
    quorate = meeting_quoracy(table("attendance", attendance), rule)
    expected = rule.is_quorate(frozenset(agency for agency, came in rows if came))
    if attendance:
        assert quorate.filter(pl.col("meeting_id") == "M")["quorate"].item() == expected
    else:
        assert quorate.is_empty()


def test_agency_attendance_and_reports_by_agency_group() -> None:
    rec = record(
        conferences=[
            _conference("A1", "MA", "initial"), _conference("A2", "MA", "initial"),
            _conference("C1", "MC", "review"),
            _conference("D1", "MD", "transfer_in"),
            _conference("E1", "ME", "prebirth"),
            _conference("G1", "MG", "review"),
        ],
        attendance=[
            _attended("MA", "police", report=True),
            _attended("MA", "school"),
            _attended("MA", "gp", attended=False, report=True),
            _attended("MC", "police"),
            _attended("MC", "school", attended=False),
            _attended("MD", "police", report=True),
            # Health as a group: the midwife came with a report, the health visitor did not come.
            _attended("ME", "midwife", report=True),
            _attended("ME", "health_visitor", attended=False),
            _attended("MG", "police", attended=False, invited=False),
        ],
    )
    rows = {
        (row["agency"], row["conference_type"]): row
        for row in agency_attendance(rec, YEAR).rows(named=True)
    }
    counts = ("conferences", "attended_with_report", "attended_no_report", "report_only", "neither",
              "neither_not_invited")

    def figures(agency: str, kind: str) -> tuple[int, ...]:
        return tuple(rows[(agency, kind)][c] for c in counts)

    # Police: MA with report (x2 siblings); MC attended, no report; MG neither, not invited; MD with report.
    assert figures("police", "initial") == (2, 2, 0, 0, 0, 0)
    assert figures("police", "review") == (2, 0, 1, 0, 1, 1)
    assert figures("police", "transfer_in") == (1, 1, 0, 0, 0, 0)
    assert figures("police", "all") == (5, 3, 1, 0, 1, 1)
    # Health: MA the GP sent a report only (x2); ME attended with report (pre-birth is initial).
    assert figures("health", "initial") == (3, 1, 0, 2, 0, 0)
    assert figures("health", "review") == (0, 0, 0, 0, 0, 0)
    # Education: MA attended without a report (x2); MC invited but neither came nor reported.
    assert figures("education", "all") == (3, 0, 2, 0, 1, 0)
    assert rows[("police", "all")]["label"] == "Police"
    assert len(rows) == 5 * 4  # every agency group by every conference type, zeros included
