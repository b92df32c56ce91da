"""Publication suppression: DfE "c" for 1-5, secondary suppression, percentages of hidden cells.

Each expected table below was worked through by hand, relation by relation, as the comments say.
"""

from __future__ import annotations

from typing import Any

from cpqa.reports.suppression import RULES, suppress_report, suppress_table
from tests.reports.sample_report import sample_report


def _months(rows: list[tuple[str, int, int, int]]) -> list[dict[str, Any]]:
    return [{"month": m, "plan": p, "no_plan": n, "total": t} for m, p, n, t in rows]


def test_counts_one_to_five_are_c_and_zero_and_six_are_shown() -> None:
    table = {"title": "t", "available": True, "rows": [
        {"month": "2017-04", "children": 0}, {"month": "2017-05", "children": 1},
        {"month": "2017-06", "children": 5}, {"month": "2017-07", "children": 6},
    ]}
    out = suppress_table(table, RULES["children_on_plan_by_month"])
    assert [r["children"] for r in out["rows"]] == [0, "c", "c", 6]


def test_a_hidden_cell_is_never_alone_in_its_row_or_column() -> None:
    # April's 3 is hidden (1-5). Row April: 3 + 10 = 13 would give it back, so the smallest other
    # part, 10, goes too. Column "plan": 3 + 20 = 23 would give it back, so May's 20 goes; column
    # "no_plan": 10 + 8 = 18, so May's 8 goes. Every row and column now has two hidden cells or
    # none; the totals (13, 28, 23, 18, 41) stay.
    table = {
        "title": "t", "available": True,
        "rows": _months([("2017-04", 3, 10, 13), ("2017-05", 20, 8, 28)]),
        "totals": {"plan": 23, "no_plan": 18, "total": 41},
    }
    out = suppress_table(table, RULES["initial_conferences_by_month"])
    assert out["rows"] == _months([("2017-04", "c", "c", 13), ("2017-05", "c", "c", 28)])  # type: ignore[arg-type]
    assert out["totals"] == {"plan": 23, "no_plan": 18, "total": 41}


def test_when_only_zeros_are_left_the_total_is_hidden() -> None:
    # Row April: 3 hidden, so 40 goes too. Column "no_plan": 40 + 0 = 40, and the only other
    # part is a 0, so the column total 40 goes. Column "plan": the total 3 is itself 1-5, so
    # two hidden already. Totals line: c + c = 43, two hidden. April's 3 cannot be worked out.
    table = {
        "title": "t", "available": True,
        "rows": _months([("2017-04", 3, 40, 43), ("2017-05", 0, 0, 0)]),
        "totals": {"plan": 3, "no_plan": 40, "total": 43},
    }
    out = suppress_table(table, RULES["initial_conferences_by_month"])
    assert out["rows"] == _months([("2017-04", "c", "c", 43), ("2017-05", 0, 0, 0)])  # type: ignore[arg-type]
    assert out["totals"] == {"plan": "c", "no_plan": "c", "total": 43}


def test_previous_year_line_is_protected_like_a_row() -> None:
    # Previous year 2 + 50 = 52: the 2 is hidden, so the 50 goes; the total 52 stays.
    table = {
        "title": "t", "available": True,
        "rows": _months([("2017-04", 20, 30, 50)]),
        "totals": {"plan": 20, "no_plan": 30, "total": 50},
        "previous_year": {"plan": 2, "no_plan": 50, "total": 52},
    }
    out = suppress_table(table, RULES["initial_conferences_by_month"])
    assert out["previous_year"] == {"plan": "c", "no_plan": "c", "total": 52}
    assert out["rows"][0] == {"month": "2017-04", "plan": 20, "no_plan": 30, "total": 50}


def test_percentages_of_hidden_counts_are_hidden() -> None:
    # B's 3 is hidden; the column adds up to 100, so the smallest other count (C's 47) goes
    # too, and so do both their percentages (3.0 and 47.0 would give the counts back from 100).
    table = {
        "title": "t", "available": True,
        "rows": [
            {"code": "A", "label": "a", "children": 50, "percent": 50.0, "population_percent": 10.0},
            {"code": "B", "label": "b", "children": 3, "percent": 3.0, "population_percent": 20.0},
            {"code": "C", "label": "c", "children": 47, "percent": 47.0, "population_percent": 70.0},
        ],
        "totals": {"children": 100},
    }
    out = suppress_table(table, RULES["ethnicity_at_year_end"])
    assert [(r["children"], r["percent"]) for r in out["rows"]] == [(50, 50.0), ("c", "c"), ("c", "c")]
    # The population's share is not a count of the service's children: it stays.
    assert [r["population_percent"] for r in out["rows"]] == [10.0, 20.0, 70.0]
    assert out["totals"] == {"children": 100}


def test_a_ratio_with_a_hidden_numerator_or_denominator_hides_the_percentage() -> None:
    small_numerator = {"title": "t", "available": True, "rows": [
        {"plans_ended": 40, "within_3_months": 3, "percent": 7.5, "national_percent": 19.7}]}
    out = suppress_table(small_numerator, RULES["plans_ended_within_3_months"])
    assert out["rows"][0] == {"plans_ended": 40, "within_3_months": "c", "percent": "c", "national_percent": 19.7}

    # 4 ended, 0 within 3 months: the 0 is shown but 4 is hidden, and 0.0% says nothing more.
    small_denominator = {"title": "t", "available": True, "rows": [
        {"plans_ended": 4, "within_3_months": 0, "percent": 0.0, "national_percent": 19.7}]}
    out = suppress_table(small_denominator, RULES["plans_ended_within_3_months"])
    assert out["rows"][0] == {"plans_ended": "c", "within_3_months": 0, "percent": "c", "national_percent": 19.7}


def test_agency_rows_add_up_to_their_all_row() -> None:
    # Police: initial 33 = 15 + 1 + 11 + 6; review 69 = 15 + 0 + 34 + 20; all 102 = 30 + 1 + 45 + 26.
    # The two 1s are hidden. Initial row: the smallest other non-zero part, 6, goes. All row:
    # 26 goes. Columns over the all row: "no report" (c, 0 -> c) and "neither" (c, 20 -> c)
    # each have two hidden; the rest none. Nothing of the review row is hidden.
    def row(t: str, n: int, wr: int, nr: int, ro: int, ne: int) -> dict[str, Any]:
        return {"agency": "police", "conference_type": t, "conferences": n, "attended_with_report": wr,
                "attended_no_report": nr, "report_only": ro, "neither": ne}

    table = {"title": "t", "available": True, "rows": [
        row("initial", 33, 15, 1, 11, 6), row("review", 69, 15, 0, 34, 20), row("all", 102, 30, 1, 45, 26)]}
    out = suppress_table(table, RULES["agency_attendance"])
    assert out["rows"] == [
        row("initial", 33, 15, "c", 11, "c"),  # type: ignore[arg-type]
        row("review", 69, 15, 0, 34, 20),
        row("all", 102, 30, "c", 45, "c"),  # type: ignore[arg-type]
    ]


def test_hiding_cascades_across_rows_and_columns_until_nothing_is_alone() -> None:
    # The unborn row's 4 is hidden. Column "total": 4 + 22 = 26, so 22 goes. Row 0-4:
    # 10 + 12 + 0 = c, so the smallest non-zero part, female 10, goes. Column "female": the
    # unborn row has no sex, so 0-4's 10 = the totals' 10, and that total goes too. The totals
    # line is not a relation (10 + 12 + 0 = 22, not 26: the unborn have no sex), so male stays.
    table = {"title": "t", "available": True, "rows": [
        {"age_band": "unborn", "female": None, "male": None, "other": None, "total": 4},
        {"age_band": "0-4", "female": 10, "male": 12, "other": 0, "total": 22},
    ], "totals": {"female": 10, "male": 12, "other": 0, "total": 26}}
    out = suppress_table(table, RULES["age_gender_at_year_end"])
    assert out["rows"] == [
        {"age_band": "unborn", "female": None, "male": None, "other": None, "total": "c"},
        {"age_band": "0-4", "female": "c", "male": 12, "other": 0, "total": "c"},
    ]
    assert out["totals"] == {"female": "c", "male": 12, "other": 0, "total": 26}


def test_figures_that_do_not_add_up_are_not_treated_as_a_relation() -> None:
    # 3 + 40 is not 50 (the totals count something the rows do not), so no subtraction gives
    # the 3 back: only the 3 itself is hidden.
    table = {"title": "t", "available": True,
             "rows": [{"month": "2017-04", "transfer_in": 3, "transfer_out": None},
                      {"month": "2017-05", "transfer_in": 40, "transfer_out": None}],
             "totals": {"transfer_in": 50, "transfer_out": None}}
    out = suppress_table(table, RULES["transfer_conferences_by_month"])
    assert [r["transfer_in"] for r in out["rows"]] == ["c", 40]
    assert out["totals"] == {"transfer_in": 50, "transfer_out": None}


def test_suppress_report_marks_the_report_and_leaves_the_input_alone() -> None:
    report = sample_report()
    out = suppress_report(report)
    assert out["suppression"]["applied"] is True
    assert "1 to 5" in out["suppression"]["rule"]
    assert report == sample_report()
    assert out["tables"]["quorate_conferences"] == report["tables"]["quorate_conferences"]
    # Pre-birth April: 0 + 4 + 1 = 5 before birth; every 1-5 in that row is hidden, the 0 is not.
    april = out["tables"]["prebirth_conferences_by_month"]["rows"][0]
    assert april["under_4_weeks"] == 0 and april["weeks_4_to_10"] == "c" and april["over_10_weeks"] == "c"
    # Nothing in the published report is a count from 1 to 5.
    for table in out["tables"].values():
        for row in table.get("rows") or []:
            for key, value in row.items():
                if isinstance(value, int) and not isinstance(value, bool) and key != "population":
                    assert not 1 <= value <= 5, (key, value)


def test_no_hidden_cell_of_the_sample_can_be_worked_back_by_subtraction() -> None:
    # For every relation the pre-birth table publishes (each month: the three bands add up to
    # the total; each column: months add up to the total line), count the hidden terms: never one.
    table = suppress_report(sample_report())["tables"]["prebirth_conferences_by_month"]
    lines = [*table["rows"], table["totals"]]
    parts = ("under_4_weeks", "weeks_4_to_10", "over_10_weeks")
    for line in lines:
        hidden = sum(1 for k in (*parts, "total") if line[k] == "c")
        assert hidden != 1, line
    for column in (*parts, "plan", "total"):
        hidden = sum(1 for line in lines if line[column] == "c")
        assert hidden != 1, column


def test_escalation_stages_add_up_to_the_formal_escalations() -> None:
    # 24 + 2 + 0 raised at stages 1-3 = 26 formal: the 2 is hidden, so the only other non-zero
    # part, 24, goes. 16 + 4 + 0 resolved + 6 unresolved = 26: the 4 is hidden, so the smallest
    # other non-zero part, 6, goes. The 26 itself and the 16 stay.
    counts = [("formal_escalations", 26), ("raised_stage_1", 24), ("raised_stage_2", 2), ("raised_stage_3", 0),
              ("resolved_stage_1", 16), ("resolved_stage_2", 4), ("resolved_stage_3", 0), ("unresolved", 6)]
    table = {"title": "t", "available": True, "rows": [{"measure": m, "count": n} for m, n in counts]}
    out = suppress_table(table, RULES["escalations"])
    assert {r["measure"]: r["count"] for r in out["rows"]} == {
        "formal_escalations": 26, "raised_stage_1": "c", "raised_stage_2": "c", "raised_stage_3": 0,
        "resolved_stage_1": 16, "resolved_stage_2": "c", "resolved_stage_3": 0, "unresolved": "c",
    }
