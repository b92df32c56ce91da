"""The QA rules, with every date and count worked out by hand from a wall calendar."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from cpqa.domain import oversight as qa
from cpqa.domain.config import AuthorityConfig
from cpqa.domain.tables import conform

D = dt.date
CONFIG = AuthorityConfig()


def table(name: str, rows: list[dict[str, object]]) -> pl.DataFrame:
    return (
        conform(name, pl.DataFrame(rows, infer_schema_length=None)) if rows else conform(name, pl.DataFrame())
    )


# Escalations


def test_stage_one_response_due_skips_easter() -> None:
    """Fri 2018-03-23 + 5: 26, 27, 28, 29 (4), Good Friday 30 and Easter Monday 2 Apr skipped, Tue 3 Apr (5)."""
    assert qa.escalation_response_due(D(2018, 3, 23), 1, CONFIG) == D(2018, 4, 3)


def test_stage_three_has_ten_working_days_by_default() -> None:
    """Mon 2018-05-21 + 10: 22-25 (4), Mon 28 May bank holiday skipped, 29-31 and 1 Jun (8), 4, 5 Jun (10)."""
    assert qa.escalation_response_due(D(2018, 5, 21), 3, CONFIG) == D(2018, 6, 5)


def test_response_days_and_closures_come_from_the_authority() -> None:
    """Stage 2 at 2 working days from Mon 2018-06-04, with Tue 5 June closed: Wed 6 (1), Thu 7 (2)."""
    config = AuthorityConfig(
        closure_days=frozenset({D(2018, 6, 5)}), escalation_response_working_days={1: 5, 2: 2, 3: 10}
    )
    assert qa.escalation_response_due(D(2018, 6, 4), 2, config) == D(2018, 6, 7)


def test_unknown_stage_is_refused() -> None:
    with pytest.raises(ValueError, match="stage 4"):
        qa.escalation_response_due(D(2018, 6, 4), 4, CONFIG)


def test_stages_go_one_to_two_to_three_and_stop() -> None:
    assert qa.next_escalation_stage(1) == 2
    assert qa.next_escalation_stage(2) == 3
    with pytest.raises(ValueError, match="last stage"):
        qa.next_escalation_stage(3)


# Social work reports


def test_initial_conference_report_three_working_days_before() -> None:
    """ICPC Thu 2018-03-15: shared Mon 12th leaves Tue, Wed, Thu = 3 (in time); Tue 13th leaves 2."""
    assert qa.report_shared_in_time(D(2018, 3, 12), D(2018, 3, 15), "initial", CONFIG)
    assert not qa.report_shared_in_time(D(2018, 3, 13), D(2018, 3, 15), "initial", CONFIG)
    assert qa.report_shared_in_time(D(2018, 3, 12), D(2018, 3, 15), "prebirth", CONFIG)


def test_review_report_five_working_days_before_across_easter() -> None:
    """Review Tue 2018-04-03. From Fri 23 Mar: 26, 27, 28, 29, 3 Apr = 5 (in time).
    From Mon 26 Mar: 27, 28, 29, 3 Apr = 4 (late: Good Friday and Easter Monday don't count)."""
    assert qa.report_shared_in_time(D(2018, 3, 23), D(2018, 4, 3), "review", CONFIG)
    assert not qa.report_shared_in_time(D(2018, 3, 26), D(2018, 4, 3), "review", CONFIG)


def test_report_never_shared_or_shared_after_is_not_in_time() -> None:
    assert not qa.report_shared_in_time(None, D(2018, 4, 3), "review", CONFIG)
    assert not qa.report_shared_in_time(D(2018, 4, 4), D(2018, 4, 3), "review", CONFIG)


def test_report_feedback_counted_by_team_and_month() -> None:
    """Alpha Jan: good (shared) + inadequate (not) = 2 graded, 1 shared. Beta Jan: outstanding,
    sharing not recorded = 0 shared. Ungraded and unheld conferences are not counted."""
    children = table(
        "children",
        [
            {"child_id": "C1", "team": "Alpha"},
            {"child_id": "C2", "team": "Beta"},
            {"child_id": "C3", "team": "Alpha"},
        ],
    )
    conferences = table(
        "conferences",
        [
            {
                "child_id": "C1",
                "held_date": D(2018, 1, 10),
                "report_grade": "good",
                "report_shared_in_time": True,
            },
            {
                "child_id": "C3",
                "held_date": D(2018, 1, 25),
                "report_grade": "inadequate",
                "report_shared_in_time": False,
            },
            {"child_id": "C2", "held_date": D(2018, 1, 10), "report_grade": "outstanding"},
            {"child_id": "C1", "held_date": D(2018, 2, 5)},
            {"child_id": "C1", "scheduled_date": D(2018, 3, 5), "report_grade": "good"},
        ],
    )
    out = qa.report_feedback_by_team_and_month(conferences, children)
    assert out.to_dicts() == [
        {
            "team": "Alpha",
            "month": "2018-01",
            "graded": 2,
            "outstanding": 0,
            "good": 1,
            "requires_improvement": 0,
            "inadequate": 1,
            "shared_in_time": 1,
        },
        {
            "team": "Beta",
            "month": "2018-01",
            "graded": 1,
            "outstanding": 1,
            "good": 0,
            "requires_improvement": 0,
            "inadequate": 0,
            "shared_in_time": 0,
        },
    ]


# Repeat plans


def repeat_fixture() -> pl.DataFrame:
    return table(
        "plans",
        [
            {"plan_id": "1", "child_id": "A", "start_date": D(2016, 2, 1), "end_date": D(2016, 9, 1)},
            {"plan_id": "2", "child_id": "A", "start_date": D(2018, 1, 15)},
            {"plan_id": "3", "child_id": "B", "start_date": D(2018, 1, 20), "previous_plans": 1},
            {"plan_id": "4", "child_id": "C", "start_date": D(2018, 1, 5), "previous_plans": 0},
            {"plan_id": "5", "child_id": "E", "start_date": D(2018, 1, 6)},
            {"plan_id": "6", "child_id": "D", "start_date": D(2015, 5, 1), "end_date": D(2016, 5, 1)},
            {"plan_id": "7", "child_id": "D", "start_date": D(2017, 12, 20)},
        ],
    )


def test_second_plans_come_from_the_record_or_the_previous_plans_count() -> None:
    """A's 2018 plan follows her 2016 one; B's other system says 1 before; C and E are first plans."""
    marked = qa.second_or_subsequent_plans(repeat_fixture())
    flags = dict(marked.select("plan_id", "is_repeat").iter_rows())
    assert flags == {"1": False, "2": True, "3": True, "4": False, "5": False, "6": False, "7": True}
    assert dict(marked.select("plan_id", "earlier_plans").iter_rows())["2"] == 1


def test_monthly_repeat_list_holds_only_that_months_repeat_starts() -> None:
    """January 2018: A (15th) and B (20th); D's second plan started in December."""
    assert qa.repeat_plans_started_in(repeat_fixture(), "2018-01")["plan_id"].to_list() == ["2", "3"]
    assert qa.repeat_plans_started_in(repeat_fixture(), "2017-12")["plan_id"].to_list() == ["7"]


def test_month_must_be_year_dash_month() -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        qa.repeat_plans_started_in(repeat_fixture(), "January")


def test_repeat_findings_count_distinct_families_and_children() -> None:
    """ended_too_early: F1's A1 and A2, F2's B1 -> 2 families, 3 children. over_5_years: F2's B2
    and C1 with no family recorded (not counted as a family) -> 1 family, 2 children. A1 reviewed
    twice counts once."""
    reviews = table(
        "repeat_plan_reviews",
        [
            {"review_id": "1", "child_id": "A1", "family_id": "F1", "finding": "ended_too_early"},
            {"review_id": "2", "child_id": "A2", "family_id": "F1", "finding": "ended_too_early"},
            {"review_id": "3", "child_id": "B1", "family_id": "F2", "finding": "ended_too_early"},
            {"review_id": "4", "child_id": "B2", "family_id": "F2", "finding": "over_5_years"},
            {"review_id": "5", "child_id": "C1", "finding": "over_5_years"},
            {"review_id": "6", "child_id": "A1", "family_id": "F1", "finding": "ended_too_early"},
        ],
    )
    assert qa.repeat_plan_findings(reviews).to_dicts() == [
        {"finding": "ended_too_early", "families": 2, "children": 3},
        {"finding": "over_5_years", "families": 1, "children": 2},
    ]


# Long plans


def test_long_plan_panel_bands_on_31_march_2018() -> None:
    """On 2018-03-31, with the default flags at 9, 12, 15 and 18 months:
    P1 from 2017-03-31: 12 months to the day -> milestone 12, band 12 to 18 months (365 days).
    P2 from 2017-04-01: 9 months on 2018-01-01, 12 only on 2018-04-01 -> milestone 9, no band.
    P3 from 2016-09-30: 18 months on 2018-03-30 -> milestone 18, 18 to 24 months (547 days).
    P4 from 2016-03-31: 365 + 365 = 730 days -> milestone 18, 2 years or more.
    P5 from 2016-04-01: 729 days -> milestone 18, still 18 to 24 months.
    P6 from 2016-01-01 ended 2018-03-31: not open on its end date -> not listed.
    P7 from 2017-07-01: 9 months only on 2018-04-01 -> not listed."""
    plans = table(
        "plans",
        [
            {"plan_id": "P1", "child_id": "a", "start_date": D(2017, 3, 31)},
            {"plan_id": "P2", "child_id": "b", "start_date": D(2017, 4, 1)},
            {"plan_id": "P3", "child_id": "c", "start_date": D(2016, 9, 30)},
            {"plan_id": "P4", "child_id": "d", "start_date": D(2016, 3, 31)},
            {"plan_id": "P5", "child_id": "e", "start_date": D(2016, 4, 1)},
            {"plan_id": "P6", "child_id": "f", "start_date": D(2016, 1, 1), "end_date": D(2018, 3, 31)},
            {"plan_id": "P7", "child_id": "g", "start_date": D(2017, 7, 1)},
        ],
    )
    panel = qa.long_plan_panel(plans, D(2018, 3, 31), AuthorityConfig())
    rows = {
        r["plan_id"]: (r["milestone_months"], r["band"], r["days_on_plan"], r["flag_18_months"], r["flag_2_years"])
        for r in panel.iter_rows(named=True)
    }
    assert rows == {
        "P1": (12, "12_to_18_months", 365, False, False),
        "P2": (9, None, 364, False, False),
        "P3": (18, "18_to_24_months", 547, True, False),
        "P4": (18, "2_years_or_more", 730, True, True),
        "P5": (18, "18_to_24_months", 729, True, False),
    }
    assert panel["plan_id"].to_list() == ["P4", "P5", "P3", "P1", "P2"]  # longest first


def test_the_long_plan_panel_follows_the_authoritys_flags() -> None:
    """Flags at 6 and 10 months, on 2018-03-31: a plan from 2017-09-30 has 6 months (2018-03-30)
    -> milestone 6; one from 2017-05-31 has 10 months on 2018-03-31 -> milestone 10; one from
    2017-10-01 has 6 months only on 2018-04-01 -> not listed."""
    plans = table(
        "plans",
        [
            {"plan_id": "A", "child_id": "a", "start_date": D(2017, 9, 30)},
            {"plan_id": "B", "child_id": "b", "start_date": D(2017, 5, 31)},
            {"plan_id": "C", "child_id": "c", "start_date": D(2017, 10, 1)},
        ],
    )
    panel = qa.long_plan_panel(plans, D(2018, 3, 31), AuthorityConfig(long_plan_flag_months=(6, 10)))
    assert dict(panel.select("plan_id", "milestone_months").iter_rows()) == {"A": 6, "B": 10}


# Midway reviews


def midway_fixture() -> tuple[pl.DataFrame, pl.DataFrame]:
    plans = table(
        "plans",
        [
            {"plan_id": "X", "child_id": "cx", "start_date": D(2018, 1, 10)},
            {"plan_id": "Y", "child_id": "cy", "start_date": D(2017, 10, 16)},
            {"plan_id": "Z", "child_id": "cz", "start_date": D(2017, 1, 3), "end_date": D(2017, 9, 1)},
        ],
    )
    conferences = table(
        "conferences",
        [
            {
                "plan_id": "X",
                "child_id": "cx",
                "conference_type": "initial",
                "held_date": D(2018, 1, 10),
                "chair_id": "7",
            },
            {
                "plan_id": "Y",
                "child_id": "cy",
                "conference_type": "initial",
                "held_date": D(2017, 10, 16),
                "chair_id": "7",
            },
            {
                "plan_id": "Y",
                "child_id": "cy",
                "conference_type": "review",
                "held_date": D(2018, 1, 16),
                "chair_id": "8",
            },
        ],
    )
    return plans, conferences


def test_midway_due_half_way_to_the_next_review_and_assigned_to_the_last_chair() -> None:
    """X: ICPC 2018-01-10, first review due 2018-04-10 (90 days), midway 2018-02-24; on 1 March
    not held -> overdue, chair 7. Y: review 2018-01-16, next due 2018-07-16 (181 days), midway
    + 90 days = 2018-04-16 -> on track, chair 8 (who chaired the review). Z's plan has ended."""
    plans, conferences = midway_fixture()
    out = qa.midway_reviews_due(plans, conferences, table("midway_reviews", []), D(2018, 3, 1), AuthorityConfig())
    assert out.select(
        "plan_id", "previous_conference", "next_review_due", "due_date", "chair_id", "status"
    ).rows() == [
        ("X", D(2018, 1, 10), D(2018, 4, 10), D(2018, 2, 24), "7", "overdue"),
        ("Y", D(2018, 1, 16), D(2018, 7, 16), D(2018, 4, 16), "8", "on_track"),
    ]


def test_midway_held_since_the_last_conference_counts_and_an_older_one_does_not() -> None:
    """X held on 2018-02-20 (after its ICPC): held. Y's 2017-12-01 midway was before its
    2018-01-16 review, so this interval's is still to do; its assignment to chair 9 wins."""
    plans, conferences = midway_fixture()
    mids = table(
        "midway_reviews",
        [
            {
                "midway_id": "m1",
                "plan_id": "X",
                "child_id": "cx",
                "due_date": D(2018, 2, 24),
                "held_date": D(2018, 2, 20),
                "chair_id": "7",
            },
            {
                "midway_id": "m2",
                "plan_id": "Y",
                "child_id": "cy",
                "due_date": D(2017, 11, 30),
                "held_date": D(2017, 12, 1),
                "chair_id": "7",
            },
            {
                "midway_id": "m3",
                "plan_id": "Y",
                "child_id": "cy",
                "due_date": D(2018, 4, 16),
                "chair_id": "9",
            },
        ],
    )
    out = qa.midway_reviews_due(plans, conferences, mids, D(2018, 3, 1), AuthorityConfig())
    assert out.select("plan_id", "midway_id", "held_date", "chair_id", "status").rows() == [
        ("X", "m1", D(2018, 2, 20), "7", "held"),
        ("Y", "m3", None, "9", "on_track"),
    ]


def test_midway_due_within_three_working_days_is_due_soon() -> None:
    """X's midway is due Sat 2018-02-24; from Wed 21st that is Thu, Fri = 2 working days."""
    plans, conferences = midway_fixture()
    out = qa.midway_reviews_due(plans, conferences, table("midway_reviews", []), D(2018, 2, 21), AuthorityConfig())
    assert dict(out.select("plan_id", "status").iter_rows())["X"] == "due_soon"


# The chair's footprint


def test_footprint_per_chair_and_team() -> None:
    """Period 2017-04-01 to 2018-03-31. Chair 7: a QA case note on C1 (Alpha); concerns on C3
    (Alpha) and on family F1 with no child named (F1 has C1 in Alpha and C2 in Beta, so once
    each); escalation e1 for C1 and C2 (Alpha and Beta); a midway review held for C1 (the
    unheld one does not count). Chair 8: escalation e2 for C3 (Alpha); n4 is before the period."""
    children = table(
        "children",
        [
            {"child_id": "C1", "family_id": "F1", "team": "Alpha"},
            {"child_id": "C2", "family_id": "F1", "team": "Beta"},
            {"child_id": "C3", "family_id": "F2", "team": "Alpha"},
        ],
    )
    notes = table(
        "concern_notes",
        [
            {
                "note_id": "n1",
                "child_id": "C1",
                "family_id": "F1",
                "kind": "qa_case_note",
                "recorded_date": D(2018, 1, 5),
                "author_id": "7",
            },
            {
                "note_id": "n2",
                "child_id": "C3",
                "family_id": "F2",
                "kind": "chair_case_of_concern",
                "recorded_date": D(2018, 2, 1),
                "author_id": "7",
            },
            {
                "note_id": "n3",
                "family_id": "F1",
                "kind": "chair_case_of_concern",
                "recorded_date": D(2018, 2, 2),
                "author_id": "7",
            },
            {
                "note_id": "n4",
                "child_id": "C2",
                "family_id": "F1",
                "kind": "qa_case_note",
                "recorded_date": D(2017, 3, 1),
                "author_id": "8",
            },
        ],
    )
    escalations = table(
        "escalations",
        [
            {"escalation_id": "e1", "raised_date": D(2017, 6, 1), "raised_by": "7"},
            {"escalation_id": "e2", "raised_date": D(2017, 7, 1), "raised_by": "8"},
        ],
    )
    escalation_children = table(
        "escalation_children",
        [
            {"escalation_id": "e1", "child_id": "C1"},
            {"escalation_id": "e1", "child_id": "C2"},
            {"escalation_id": "e2", "child_id": "C3"},
        ],
    )
    mids = table(
        "midway_reviews",
        [
            {"midway_id": "m1", "child_id": "C1", "held_date": D(2018, 1, 20), "chair_id": "7"},
            {"midway_id": "m2", "child_id": "C1", "due_date": D(2018, 3, 20), "chair_id": "7"},
        ],
    )
    out = qa.chair_footprint(
        notes, escalations, escalation_children, mids, children, D(2017, 4, 1), D(2018, 3, 31)
    )
    assert out.rows() == [
        ("7", "Alpha", 1, 2, 1, 1),
        ("7", "Beta", 0, 1, 1, 0),
        ("8", "Alpha", 0, 0, 1, 0),
    ]


def test_footprint_period_must_run_forwards() -> None:
    empty = {
        name: table(name, [])
        for name in ("concern_notes", "escalations", "escalation_children", "midway_reviews", "children")
    }
    with pytest.raises(ValueError, match="before it starts"):
        qa.chair_footprint(
            empty["concern_notes"],
            empty["escalations"],
            empty["escalation_children"],
            empty["midway_reviews"],
            empty["children"],
            D(2018, 3, 31),
            D(2017, 4, 1),
        )
