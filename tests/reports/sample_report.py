"""A small complete report in the contract's shape (report-json.md), built by hand.

The figures follow the seed board paper's 2017-18 tables where it has them (adjusted so that
every table adds up: the paper's own transfer-in column sums to 88, not 89, and its age table
counts 573 children against 559 at the March month end). Percentages are worked by hand,
rounded half up to one decimal place, and noted beside each row. Quoracy is unavailable, as a
source with no quoracy recorded would give it.
"""

from __future__ import annotations

import copy
from typing import Any

MONTHS = [f"2017-{m:02d}" for m in range(4, 13)] + [f"2018-{m:02d}" for m in range(1, 4)]


def _by_month(**columns: list[int | float | None]) -> list[dict[str, Any]]:
    return [{"month": month, **{k: v[i] for k, v in columns.items()}} for i, month in enumerate(MONTHS)]


def _category_rows(counts: dict[str, int], percents: dict[str, float], previous: dict[str, float | None],
                   national: dict[str, float | None]) -> list[dict[str, Any]]:
    labels = {"NEG": "Neglect", "EMO": "Emotional abuse", "PHY": "Physical abuse", "SAB": "Sexual abuse",
              "MUL": "Multiple/not recommended"}
    return [
        {"category": c, "label": labels[c], "children": counts[c], "percent": percents[c],
         "previous_year_percent": previous[c], "national_percent": national[c]}
        for c in ("NEG", "EMO", "PHY", "SAB", "MUL")
    ]


_REPORT: dict[str, Any] = {
    "schema": "cpqa-annual-report/1",
    "authority": "Example Borough (synthetic)",
    "year": "2017-18",
    "period": {"start": "2017-04-01", "end": "2018-03-31"},
    "source": "database",
    "tables": {
        "children_on_plan_by_month": {
            "title": "Children subject of a child protection plan at each month end",
            "available": True,
            "rows": _by_month(children=[391, 387, 379, 388, 429, 444, 448, 433, 468, 517, 530, 559]),
        },
        "initial_conferences_by_month": {
            "title": "Initial child protection conferences",
            "available": True,
            "rows": _by_month(
                plan=[80, 42, 26, 54, 72, 27, 79, 67, 64, 80, 53, 93],
                no_plan=[11, 4, 5, 10, 15, 24, 12, 13, 13, 14, 5, 7],
                total=[91, 46, 31, 64, 87, 51, 91, 80, 77, 94, 58, 100],
            ),
            "totals": {"plan": 737, "no_plan": 133, "total": 870},
            "previous_year": {"plan": 417, "no_plan": 56, "total": 473},
        },
        "review_conferences_by_month": {
            "title": "Review child protection conferences",
            "available": True,
            "rows": _by_month(
                plan_continued=[46, 66, 83, 110, 21, 70, 98, 67, 79, 89, 90, 130],
                plan_ended=[23, 35, 33, 42, 10, 31, 43, 44, 16, 27, 20, 35],
                total=[69, 101, 116, 152, 31, 101, 141, 111, 95, 116, 110, 165],
            ),
            "totals": {"plan_continued": 949, "plan_ended": 359, "total": 1308},
            "previous_year": {"plan_continued": 800, "plan_ended": 300, "total": 1100},
        },
        "prebirth_conferences_by_month": {
            "title": "Pre-birth initial child protection conferences",
            "available": True,
            "rows": _by_month(
                under_4_weeks=[0, 1, 1, 0, 2, 1, 3, 3, 4, 2, 0, 2],
                weeks_4_to_10=[4, 3, 1, 1, 2, 1, 1, 2, 2, 0, 1, 2],
                over_10_weeks=[1, 0, 1, 1, 2, 3, 1, 6, 2, 0, 5, 6],
                plan=[5, 4, 3, 2, 5, 3, 4, 10, 6, 2, 6, 10],
                total=[5, 4, 3, 2, 6, 5, 5, 11, 8, 2, 6, 10],
            ),
            "totals": {"under_4_weeks": 19, "weeks_4_to_10": 20, "over_10_weeks": 28, "plan": 60, "total": 67},
        },
        "transfer_conferences_by_month": {
            "title": "Transfer-in and transfer-out conferences",
            "available": True,
            "rows": _by_month(
                transfer_in=[6, 4, 16, 8, 7, 4, 6, 2, 10, 16, 2, 8],
                transfer_out=[2, 5, 5, 1, 6, 7, 5, 0, 1, 5, 3, 1],
            ),
            "totals": {"transfer_in": 89, "transfer_out": 41},
            "previous_year": {"transfer_in": 65, "transfer_out": 38},
        },
        "age_gender_at_year_end": {
            "title": "Children subject of a plan at 31 March by age and gender",
            "available": True,
            "rows": [
                {"age_band": "unborn", "female": None, "male": None, "other": None, "total": 13},
                {"age_band": "0-4", "female": 96, "male": 82, "other": 0, "total": 178},
                {"age_band": "5-9", "female": 82, "male": 73, "other": 0, "total": 155},
                {"age_band": "10-13", "female": 57, "male": 68, "other": 0, "total": 125},
                {"age_band": "14-17", "female": 48, "male": 40, "other": 0, "total": 88},
            ],
            "totals": {"female": 283, "male": 263, "other": 0, "total": 559},
        },
        "ethnicity_at_year_end": {
            "title": "Children subject of a plan at 31 March by ethnicity",
            "available": True,
            # percent = children / 559, e.g. 175 / 559 = 31.31 -> 31.3; 1 / 559 = 0.18 -> 0.2.
            "rows": [
                {"code": c, "label": lab, "children": n, "percent": p, "population_percent": pop}
                for c, lab, n, p, pop in [
                    ("WBRI", "White British", 175, 31.3, 47.3),
                    ("BAFR", "African", 59, 10.6, 8.0),
                    ("MWBC", "White and Black Caribbean", 53, 9.5, 2.7),
                    ("BCRB", "Caribbean", 50, 8.9, 8.6),
                    ("BOTH", "Any other Black background", 48, 8.6, 3.6),
                    ("WOTH", "Any other White background", 41, 7.3, 6.3),
                    ("MOTH", "Any other mixed background", 36, 6.4, 1.6),
                    ("AOTH", "Any other Asian background", 32, 5.7, 4.8),
                    ("MWAS", "White and Asian", 18, 3.2, 1.4),
                    ("MWBA", "White and Black African", 18, 3.2, 0.9),
                    ("NOBT", "Information not yet obtained", 8, 1.4, None),
                    ("OOTH", "Any other ethnic group", 8, 1.4, 1.3),
                    ("APKN", "Pakistani", 6, 1.1, 3.0),
                    ("AIND", "Indian", 4, 0.7, 6.8),
                    ("WIRI", "White Irish", 2, 0.4, 1.5),
                    ("ABAN", "Bangladeshi", 1, 0.2, 0.7),
                ]
            ],
            "totals": {"children": 559},
        },
        "initial_category_at_year_end": {
            "title": "Children subject of a plan at 31 March by initial category of abuse",
            "available": True,
            # 130/559 = 23.26 -> 23.3; 181/559 = 32.38 -> 32.4; 2/559 = 0.36 -> 0.4;
            # 17/559 = 3.04 -> 3.0; 229/559 = 40.97 -> 41.0.
            "rows": _category_rows(
                {"NEG": 130, "EMO": 181, "PHY": 2, "SAB": 17, "MUL": 229},
                {"NEG": 23.3, "EMO": 32.4, "PHY": 0.4, "SAB": 3.0, "MUL": 41.0},
                {"NEG": 11.5, "EMO": 37.5, "PHY": 1.5, "SAB": 1.5, "MUL": 48.0},
                {"NEG": 48.0, "EMO": 35.1, "PHY": 7.7, "SAB": 4.1, "MUL": 5.2},
            ),
            "totals": {"children": 559},
        },
        "latest_category_at_year_end": {
            "title": "Children subject of a plan at 31 March by latest category of abuse",
            "available": True,
            # 140/559 = 25.04 -> 25.0; 175/559 = 31.31 -> 31.3; 5/559 = 0.89 -> 0.9;
            # 15/559 = 2.68 -> 2.7; 224/559 = 40.07 -> 40.1.
            "rows": _category_rows(
                {"NEG": 140, "EMO": 175, "PHY": 5, "SAB": 15, "MUL": 224},
                {"NEG": 25.0, "EMO": 31.3, "PHY": 0.9, "SAB": 2.7, "MUL": 40.1},
                {c: None for c in ("NEG", "EMO", "PHY", "SAB", "MUL")},
                {c: None for c in ("NEG", "EMO", "PHY", "SAB", "MUL")},
            ),
            "totals": {"children": 559},
        },
        "category_combinations_at_year_end": {
            "title": "Children subject of a plan at 31 March by combination of categories",
            "available": True,
            # 101/559 = 18.07 -> 18.1; 87/559 = 15.56 -> 15.6; 20/559 = 3.58 -> 3.6;
            # 12/559 = 2.15 -> 2.1; 8/559 = 1.43 -> 1.4; 1/559 = 0.18 -> 0.2.
            "rows": [
                {"categories": cats, "label": lab, "children": n, "percent": p}
                for cats, lab, n, p in [
                    (["EMO"], "Emotional abuse", 181, 32.4),
                    (["NEG"], "Neglect", 130, 23.3),
                    (["EMO", "NEG"], "Emotional abuse and neglect", 101, 18.1),
                    (["EMO", "PHY"], "Emotional abuse and physical abuse", 87, 15.6),
                    (["NEG", "PHY"], "Neglect and physical abuse", 20, 3.6),
                    (["SAB"], "Sexual abuse", 17, 3.0),
                    (["EMO", "SAB"], "Emotional abuse and sexual abuse", 12, 2.1),
                    (["NEG", "SAB"], "Neglect and sexual abuse", 8, 1.4),
                    (["PHY"], "Physical abuse", 2, 0.4),
                    (["PHY", "SAB"], "Physical abuse and sexual abuse", 1, 0.2),
                ]
            ],
            "totals": {"children": 559},
        },
        "factors_at_year_end": {
            "title": "Factors identified at assessment, children subject of a plan at 31 March",
            "available": True,
            "rows": [
                {"code": "3B", "label": "Domestic violence: parent/carer", "children": 116},
                {"code": "4B", "label": "Mental health: parent/carer", "children": 98},
                {"code": "1B", "label": "Alcohol misuse: parent/carer", "children": 61},
                {"code": "2B", "label": "Drug misuse: parent/carer", "children": 61},
                {"code": "16A", "label": "Abuse or neglect: neglect", "children": 41},
                {"code": "22A", "label": "Female genital mutilation", "children": 1},
            ],
            # 116 + 98 + 61 + 61 + 41 + 1 = 378
            "totals": {"children": 378},
        },
        "second_or_subsequent_plans": {
            "title": "Plans started in the year that were a second or subsequent plan",
            "available": True,
            # 133 / 797 = 16.69 -> 16.7
            "rows": [{"plans_started": 797, "second_or_subsequent": 133, "percent": 16.7, "national_percent": 20.2}],
        },
        "long_plans_at_year_end": {
            "title": "Children subject of a plan at 31 March for 12 months or more",
            "available": True,
            "rows": [
                {"duration": "12_to_18_months", "children": 30, "families": 14},
                {"duration": "18_to_24_months", "children": 13, "families": 6},
                {"duration": "2_years_or_more", "children": 15, "families": 7},
            ],
        },
        "plans_ended_within_3_months": {
            "title": "Plans ended in the year that lasted 3 months or less",
            "available": True,
            # 89 / 361 = 24.65 -> 24.7
            "rows": [{"plans_ended": 361, "within_3_months": 89, "percent": 24.7, "national_percent": 19.7}],
        },
        "plans_ended_after_2_years": {
            "title": "Plans ended in the year that lasted 2 years or more",
            "available": True,
            # 9 / 361 = 2.49 -> 2.5
            "rows": [{"plans_ended": 361, "after_2_years": 9, "percent": 2.5, "national_percent": 3.4}],
        },
        "review_timeliness": {
            "title": "Review conferences held in time",
            "available": True,
            # 1276 / 1290 = 98.91 -> 98.9
            "rows": [{"reviews": 1290, "in_time": 1276, "percent": 98.9}],
        },
        "review_timeliness_dfe": {
            "title": "Children on a plan at 31 March whose reviews were all in time (DfE)",
            "available": True,
            # 462 / 470 = 98.30 -> 98.3
            "rows": [{"children": 470, "all_in_time": 462, "percent": 98.3, "national_percent": 91.5}],
        },
        "initial_conference_timeliness_by_month": {
            "title": "Initial conferences held within 15 working days of the strategy discussion",
            "available": True,
            # e.g. April 64 / 91 = 70.33 -> 70.3; November 21 / 80 = 26.25 -> 26.3 (half up).
            "rows": _by_month(
                held=[91, 46, 31, 64, 87, 51, 91, 80, 77, 94, 58, 100],
                in_time=[64, 41, 25, 48, 73, 24, 25, 21, 20, 44, 26, 62],
                percent=[70.3, 89.1, 80.6, 75.0, 83.9, 47.1, 27.5, 26.3, 26.0, 46.8, 44.8, 62.0],
            ),
            # 473 / 870 = 54.37 -> 54.4
            "totals": {"held": 870, "in_time": 473, "percent": 54.4},
            "national_percent": 76.9,
        },
        "rate_per_10000": {
            "title": "Children subject of a plan per 10,000 children aged 0-17",
            "available": True,
            # 559 / 62,040 * 10,000 = 90.10 -> 90.1
            "rows": [{"children_on_plan": 559, "population": 62040, "rate": 90.1, "national_rate": 45.3}],
        },
        "quorate_conferences": {
            "title": "Quorate conferences",
            "available": False,
            "reason": "Quoracy was not recorded for the conferences held in the year.",
        },
        "agency_attendance": {
            "title": "Attendance and reports by agency",
            "available": True,
            "rows": [
                {"agency": a, "conference_type": t, "conferences": n, "attended_with_report": wr,
                 "attended_no_report": nr, "report_only": ro, "neither": ne, "neither_not_invited": ni}
                for a, t, n, wr, nr, ro, ne, ni in [
                    ("police", "initial", 33, 15, 1, 11, 6, 6),
                    ("police", "transfer_in", 2, 1, 0, 0, 1, 1),
                    ("police", "review", 69, 15, 0, 34, 20, 0),
                    ("police", "all", 104, 31, 1, 45, 27, 7),
                    ("health", "initial", 19, 5, 11, 0, 3, 0),
                    ("health", "transfer_in", 2, 0, 2, 0, 0, 0),
                    ("health", "review", 49, 22, 8, 2, 17, 0),
                    ("health", "all", 70, 27, 21, 2, 20, 0),
                ]
            ],
        },
        "child_participation": {
            "title": "Child participation in conferences",
            "available": True,
            # 12/120 = 10.0; 45/300 = 15.0; 30/150 = 20.0
            "rows": [
                {"measure": "attended", "eligible": 120, "count": 12, "percent": 10.0},
                {"measure": "booklet_completed", "eligible": 300, "count": 45, "percent": 15.0},
                {"measure": "advocate_used", "eligible": 150, "count": 30, "percent": 20.0},
            ],
        },
        "participation_codes": {
            "title": "How the child's voice was heard",
            "available": True,
            "rows": [
                {"code": "PN0", "label": "Child aged under 4", "conferences": 400},
                {"code": "PN1", "label": "Attends and speaks for self", "conferences": 12},
                {"code": "PN2", "label": "Attends; an advocate speaks", "conferences": 5},
                {"code": "PN3", "label": "Attends and conveys views symbolically", "conferences": 0},
                {"code": "PN4", "label": "Attends without contributing", "conferences": 3},
                {"code": "PN5", "label": "Does not attend but briefs an advocate", "conferences": 25},
                {"code": "PN6", "label": "Does not attend but conveys views by another medium", "conferences": 60},
                {"code": "PN7", "label": "Does not attend and views are not conveyed", "conferences": 150},
            ],
        },
        "escalations": {
            "title": "Escalations by chairs",
            "available": True,
            "rows": [
                {"measure": m, "count": n}
                for m, n in [
                    ("formal_escalations", 26), ("families", 22), ("children", 30), ("raised_at_stage_1", 24),
                    ("raised_at_stage_2", 2), ("resolved_at_stage_1", 16), ("resolved_at_stage_2", 4),
                    ("informal_concerns", 285),
                ]
            ],
        },
        "escalation_reasons": {
            "title": "Reasons for escalation",
            "available": True,
            "rows": [
                {"reason": r, "count": n}
                for r, n in [
                    ("visits_out_of_timescale", 9), ("plan_not_progressed", 7), ("core_group_not_held", 4),
                    ("management_oversight", 3), ("case_transfer_delay", 2), ("legal_planning_delay", 1),
                ]
            ],
        },
        "repeat_plan_reviews": {
            "title": "Reviews of second or subsequent plans by finding",
            "available": True,
            # percent = children / 85: 16/85 = 18.82 -> 18.8; 14/85 = 16.47 -> 16.5; 10/85 = 11.76 -> 11.8;
            # 11/85 = 12.94 -> 12.9; 24/85 = 28.24 -> 28.2; 5/85 = 5.88 -> 5.9.
            "rows": [
                {"finding": f, "families": fam, "children": ch, "percent": p}
                for f, fam, ch, p in [
                    ("over_5_years", 14, 16, 18.8),
                    ("ended_appropriately", 9, 14, 16.5),
                    ("moved_away_returned", 4, 10, 11.8),
                    ("domestic_abuse_work_incomplete", 7, 11, 12.9),
                    ("ended_too_early", 9, 24, 28.2),
                    ("step_down_not_robust", 2, 5, 5.9),
                    ("new_issue_missed", 2, 5, 5.9),
                ]
            ],
            "totals": {"families": 47, "children": 85},
        },
    },
}


def sample_report() -> dict[str, Any]:
    """A fresh copy each time, so a test that changes it cannot disturb another."""
    return copy.deepcopy(_REPORT)
