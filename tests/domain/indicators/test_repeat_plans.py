"""Section 3a: QA reviews of repeat plans by finding, families and children."""

from __future__ import annotations

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.indicators.repeat_plans import repeat_plan_reviews

from .build import D, record

YEAR = ReportingYear(2017)


def test_repeat_plan_reviews_by_finding() -> None:
    def review(rid: str, child: str, family: str | None, finding: str, day: object = D(2017, 9, 1)) -> dict[str, object]:
        return {"review_id": rid, "child_id": child, "family_id": family, "finding": finding, "reviewed_date": day}

    rec = record(
        repeat_plan_reviews=[
            review("1", "A", "F1", "over_5_years"),
            review("2", "B", "F1", "over_5_years"),
            review("3", "C", "F2", "ended_too_early"),
            review("4", "D", "F3", "ended_too_early"),
            review("5", "E", "F4", "ended_appropriately", day=D(2018, 4, 2)),  # next year
        ]
    )
    rows = {row["finding"]: row for row in repeat_plan_reviews(rec, YEAR).rows(named=True)}
    # 4 children reviewed in the year: 2 (50.0) and 2 (50.0); families F1 | F2 F3.
    assert rows["over_5_years"] == {
        "finding": "over_5_years", "label": "Previous CP plan over 5 years ago so file not reviewed",
        "families": 1, "children": 2, "percent": 50.0,
    }
    assert (rows["ended_too_early"]["families"], rows["ended_too_early"]["children"]) == (2, 2)
    assert rows["ended_appropriately"]["children"] == 0
    assert rows["ended_appropriately"]["percent"] == 0.0
    findings = list(rows)
    assert findings[:2] == ["over_5_years", "ended_appropriately"]  # the list's order
    unknown = repeat_plan_reviews(rec, YEAR, families_known=False)
    assert unknown["families"].to_list() == [None] * unknown.height
