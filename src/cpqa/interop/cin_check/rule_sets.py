"""The rules a census return is checked against, gathered from the census modules' rules.

Every collection year is checked against the same rules so far. A year whose DfE rules differ
gets its own set here, gathered from the census modules' rules (a module may keep a year's
variant of a rule in its own `CensusModuleRules`), and the runner is given that set.
"""

from __future__ import annotations

from cpqa.interop.cin_check.registry import Rule, rule_set
from cpqa.interop.cin_check.rules import (
    assessments,
    child,
    cin_details,
    cin_plans,
    cp_plans,
    reviews,
    section47,
)

RULES: dict[str, Rule] = rule_set(
    child.RULES,
    section47.RULES,
    cin_details.RULES,
    cp_plans.RULES,
    cin_plans.RULES,
    reviews.RULES,
    assessments.RULES,
)
