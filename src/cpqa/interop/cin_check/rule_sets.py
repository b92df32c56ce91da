"""The rules a census return is checked against: one set per collection year, 2022-23 to 2026-27.

Each year's set holds the DfE's rules for that year, gathered from the census modules' rules;
a rule whose wording changed between years is written once per wording with the years it
covers (e.g. 4180: GenderCurrent up to 2023-24, Sex from 2024-25). A return from before
2022-23 is checked against the 2022-23 set, one from after 2026-27 against the 2026-27 set.
"""

from __future__ import annotations

from cpqa.interop.cin_check.registry import FIRST_YEAR, LAST_YEAR, YEARS, Rule, rule_set

# upn and referrals register their rules with child.RULES and cin_details.RULES on import.
from cpqa.interop.cin_check.rules import (
    assessments,
    characteristics,
    child,
    cin_details,
    cin_plans,
    cp_plans,
    header,
    referrals,
    reviews,
    section47,
    upn,
)

# upn and referrals add their rules to child.RULES and cin_details.RULES; naming them here keeps
# the import (and so the rules) whatever a linter thinks of an import used for its effect.
_EXTENDING = (upn, referrals)

_MODULES = (
    header.RULES,
    child.RULES,
    characteristics.CHARACTERISTICS,
    characteristics.DISABILITIES,
    cin_details.RULES,
    assessments.RULES,
    cin_plans.RULES,
    section47.RULES,
    cp_plans.RULES,
    reviews.RULES,
)

RULE_SETS: dict[int, dict[str, Rule]] = {year: rule_set(year, *_MODULES) for year in YEARS}

# The latest year's rules (what a caller that names no year gets).
RULES: dict[str, Rule] = RULE_SETS[LAST_YEAR]


def rules_for(first_year: int) -> dict[str, Rule]:
    """The rule set of the collection year starting in `first_year` (clamped to the years known)."""
    return RULE_SETS[min(max(first_year, FIRST_YEAR), LAST_YEAR)]


def year_label(first_year: int) -> str:
    return f"{first_year}-{(first_year + 1) % 100:02d}"
