"""Section 4: child participation by the configured ages (booklet 8, advocacy 11, attendance 12)."""

from __future__ import annotations

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.config import ParticipationAges
from cpqa.domain.indicators.participation import child_participation, participation_codes
from cpqa.domain.tables import Record

from .build import D, record

YEAR = ReportingYear(2017)


def _record() -> Record:
    births = {
        "q1": D(2010, 1, 1),  # 7 on 1 Jun 2017
        "q2": D(2009, 5, 31),  # 8
        "q3": D(2006, 6, 1),  # 11 on the day
        "q4": D(2005, 1, 1),  # 12 on 1 Sep 2017
        "q5": D(2002, 1, 1),  # 15
        "q6": None,  # unborn
        "q7": D(2004, 1, 1),  # 13, at a transfer-out conference
        "q8": D(2015, 1, 1),  # 2
    }

    def conference(child: str, kind: str, held: object, code: str | None, booklet: bool | None = None,
                   advocate: bool | None = None) -> dict[str, object]:
        return {"conference_id": child, "child_id": child, "conference_type": kind, "held_date": held,
                "participation_code": code, "booklet_completed": booklet, "advocate_used": advocate}

    return record(
        children=[{"child_id": c, "date_of_birth": born} for c, born in births.items()],
        conferences=[
            conference("q1", "review", D(2017, 6, 1), "PN7"),
            conference("q2", "review", D(2017, 6, 1), "PN6", booklet=True),
            conference("q3", "initial", D(2017, 6, 1), "PN5", booklet=False, advocate=True),
            conference("q4", "review", D(2017, 9, 1), "PN1", booklet=True, advocate=False),
            conference("q5", "transfer_in", D(2017, 9, 1), "PN7"),
            conference("q6", "prebirth", D(2017, 9, 1), None),
            conference("q7", "transfer_out", D(2017, 9, 1), "PN1", booklet=True, advocate=True),
            conference("q8", "review", D(2017, 9, 1), "PN0"),
        ],
    )


def test_participation_measures_for_children_of_an_age_to_take_part() -> None:
    rows = child_participation(_record(), YEAR, ParticipationAges()).rows()
    # Booklet (8+): q2 q3 q4 q5 eligible, q2 q4 completed: 2/4 = 50.0.
    # Views conveyed (8+): q2 PN6, q3 PN5, q4 PN1 of 4: 75.0.
    # Advocate (11+): q3 q4 q5 eligible, q3 used: 1/3 = 33.3.
    # Attended (12+): q4 q5 eligible, q4 PN1 attended: 1/2 = 50.0.
    # q7's transfer-out conference is another authority's and not counted.
    assert rows == [
        ("booklet_completed", "Consultation booklet completed", 4, 2, 50.0),
        ("views_conveyed", "Child's views conveyed to the conference", 4, 3, 75.0),
        ("advocate_used", "Advocate used", 3, 1, 33.3),
        ("attended", "Child attended the conference", 2, 1, 50.0),
    ]


def test_participation_ages_are_configurable() -> None:
    # Attendance from 15: only q5 is eligible, and q5 did not attend.
    rows = child_participation(_record(), YEAR, ParticipationAges(attendance_from=15))
    assert rows.filter(rows["measure"] == "attended").select("eligible", "count").row(0) == (1, 0)


def test_participation_codes_pn0_to_pn7() -> None:
    rows = participation_codes(_record(), YEAR)
    assert rows["code"].to_list() == ["PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"]
    # PN0 q8; PN1 q4 (q7 excluded); PN5 q3; PN6 q2; PN7 q1 q5.
    assert rows["conferences"].to_list() == [1, 1, 0, 0, 0, 1, 1, 2]
    assert rows["label"][0] == "Child aged under 4"
