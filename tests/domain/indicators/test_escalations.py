"""Section 6: formal escalations by stage and reason, and the chairs' informal notes."""

from __future__ import annotations

from cpqa.domain.calendar import ReportingYear
from cpqa.domain.indicators.escalations import escalation_onward_reasons, escalation_reasons, escalations
from cpqa.domain.tables import Record

from .build import D, record

YEAR = ReportingYear(2017)


def _record() -> Record:
    def escalation(eid: str, family: str, raised: object, stage: int, reached: int, resolved: int | None,
                   reasons: list[str], onward: list[str] | None = None) -> dict[str, object]:
        return {"escalation_id": eid, "family_id": family, "raised_date": raised, "stage_raised": stage,
                "stage_reached": reached, "resolved_stage": resolved, "reasons": reasons,
                "onward_reasons": onward or []}

    return record(
        escalations=[
            escalation("E1", "F1", D(2017, 5, 1), 1, 1, 1, ["visits_out_of_timescale", "plan_not_progressed"]),
            escalation("E2", "F1", D(2017, 6, 1), 1, 2, 2, ["plan_not_progressed"], ["no_response"]),
            escalation("E3", "F2", D(2017, 7, 1), 2, 2, None, ["core_group_not_held"]),
            escalation("E4", "F3", D(2017, 3, 1), 1, 1, 1, ["other"]),  # the year before
            escalation("E5", "F4", D(2017, 8, 1), 1, 3, 3, ["plan_not_progressed"],
                       ["chair_not_satisfied", "no_follow_up"]),
        ],
        escalation_children=[
            {"escalation_id": "E1", "child_id": "K1"}, {"escalation_id": "E1", "child_id": "K2"},
            {"escalation_id": "E2", "child_id": "K1"}, {"escalation_id": "E3", "child_id": "K3"},
            {"escalation_id": "E4", "child_id": "K9"}, {"escalation_id": "E5", "child_id": "K4"},
        ],
        concern_notes=[
            {"note_id": "n1", "kind": "chair_case_of_concern", "recorded_date": D(2017, 4, 1)},
            {"note_id": "n2", "kind": "chair_case_of_concern", "recorded_date": D(2018, 3, 31)},
            {"note_id": "n3", "kind": "chair_case_of_concern", "recorded_date": D(2018, 4, 1)},
            {"note_id": "n4", "kind": "qa_case_note", "recorded_date": D(2017, 9, 1)},
        ],
    )


def test_escalation_measures() -> None:
    counts = {row[0]: row[2] for row in escalations(_record(), YEAR).rows()}
    # In the year: E1 E2 E3 E5. Families F1 F2 F4; children K1 K2 K3 K4.
    # Raised at 1: E1 E2 E5; at 2: E3. Resolved at 1: E1; 2: E2; 3: E5; E3 unresolved.
    # On from stage 1: E2 (to 2) and E5 (to 3); on from stage 2: E5.
    assert counts == {
        "formal_escalations": 4, "families": 3, "children": 4,
        "raised_stage_1": 3, "raised_stage_2": 1, "raised_stage_3": 0,
        "resolved_stage_1": 1, "resolved_stage_2": 1, "resolved_stage_3": 1, "unresolved": 1,
        "escalated_from_stage_1": 2, "escalated_from_stage_2": 1,
        "informal_concerns": 2, "qa_case_notes": 1,
    }


def test_families_unknown_is_null() -> None:
    counts = {row[0]: row[2] for row in escalations(_record(), YEAR, families_known=False).rows()}
    assert counts["families"] is None
    assert counts["children"] == 4


def test_escalation_reasons_most_first_each_reason_counted() -> None:
    rows = escalation_reasons(_record(), YEAR).rows()
    # plan_not_progressed E1 E2 E5 = 3; visits E1 = 1; core group E3 = 1 (list order on ties);
    # E4's "other" was the year before.
    assert rows[:3] == [
        ("plan_not_progressed", "Plan not progressed", 3),
        ("visits_out_of_timescale", "Visits not within timescales", 1),
        ("core_group_not_held", "Core group meetings not held", 1),
    ]
    assert [count for _, _, count in rows[3:]] == [0, 0, 0, 0]


def test_onward_reasons() -> None:
    rows = escalation_onward_reasons(_record(), YEAR).rows()
    assert [(reason, count) for reason, _, count in rows] == [
        ("no_response", 1), ("chair_not_satisfied", 1), ("no_follow_up", 1), ("other", 0),
    ]
