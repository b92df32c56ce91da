"""Section 2d: categories of abuse at year end, initial, latest and combined."""

from __future__ import annotations

from cpqa.domain.indicators.categories import categories_on, category_combinations_on
from cpqa.domain.tables import Record

from .build import D, record

YEAR_END = D(2018, 3, 31)


def _record() -> Record:
    def plan(child: str, initial: str, latest: str | None, initial_list: list[str], latest_list: list[str],
             end: object = None) -> dict[str, object]:
        return {
            "plan_id": child, "child_id": child, "start_date": D(2017, 6, 1), "end_date": end,
            "initial_category": initial, "latest_category": latest,
            "initial_categories": initial_list, "latest_categories": latest_list,
        }

    return record(
        plans=[
            plan("c1", "NEG", "EMO", ["NEG"], ["EMO", "NEG"]),
            plan("c2", "EMO", None, ["EMO"], []),  # never changed: the latest is the initial
            plan("c3", "MUL", "MUL", ["PHY", "NEG"], ["NEG", "PHY"]),
            plan("c4", "NEG", "NEG", ["NEG"], ["NEG"]),
            plan("c6", "NEG", "NEG", ["NEG"], ["NEG"]),
            plan("c5", "SAB", "SAB", ["SAB"], ["SAB"], end=D(2018, 1, 1)),  # ended: not counted
        ]
    )


def test_initial_category_in_the_dfe_order() -> None:
    rows = categories_on(_record(), YEAR_END, "initial").rows()
    # 5 children: NEG c1 c4 c6 = 3 (60.0), EMO c2 = 1 (20.0), MUL c3 = 1 (20.0).
    assert rows == [
        ("NEG", "Neglect", 3, 60.0),
        ("EMO", "Emotional abuse", 1, 20.0),
        ("PHY", "Physical abuse", 0, 0.0),
        ("SAB", "Sexual abuse", 0, 0.0),
        ("MUL", "Multiple/not recommended", 1, 20.0),
    ]


def test_latest_category_falls_back_to_the_initial() -> None:
    rows = categories_on(_record(), YEAR_END, "latest")
    # NEG c4 c6 = 2 (40.0); EMO c1 and c2 (unchanged) = 2 (40.0); MUL c3 = 1 (20.0).
    assert rows["children"].to_list() == [2, 2, 0, 0, 1]
    assert rows["percent"].to_list() == [40.0, 40.0, 0.0, 0.0, 20.0]


def test_category_combinations_most_children_first() -> None:
    rows = category_combinations_on(_record(), YEAR_END).rows(named=True)
    # [NEG] c4 c6 = 2 (40.0); then one each (20.0), ordered by codes: EMO (c2), EMO+NEG (c1),
    # NEG+PHY (c3).
    assert rows == [
        {"categories": ["NEG"], "label": "Neglect", "children": 2, "percent": 40.0},
        {"categories": ["EMO"], "label": "Emotional abuse", "children": 1, "percent": 20.0},
        {"categories": ["EMO", "NEG"], "label": "Emotional abuse and neglect", "children": 1, "percent": 20.0},
        {"categories": ["NEG", "PHY"], "label": "Neglect and physical abuse", "children": 1, "percent": 20.0},
    ]


def test_no_children_on_a_plan_gives_no_percentages() -> None:
    rows = categories_on(record(), YEAR_END, "initial")
    assert rows["children"].to_list() == [0, 0, 0, 0, 0]
    assert rows["percent"].to_list() == [None] * 5
