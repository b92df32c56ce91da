"""The DfE CIN census rules about section 47 enquiries, conferences, plans and reviews.

The rules are those of docs/definitions.md#census-checks (the DfE's validation rules for the CP part of
the census), the identity rules they lean on (8500, 8510, 1570, 1580, 4180, 8525Q, 8530Q,
8606, 8750) and the superseded-factor queries (8945Q, 8950Q). Each is one vectorised Polars
query over the census view of a record (`census.CensusTables`), so a whole country's return
is checked in seconds, and the same checks run on a file (`check_cin_file`) and on the
database's record (`check_record`).

Where the DfE validator (csc-validator-be-cin) departs from a rule's own words, the words win:
rule 8565 also checks plan end dates, 8870Q reads ISO dates, and booleans mean the same
whichever spelling (true/1) the file uses. Findings are errors (the return is rejected) or
queries (the DfE asks for a reason).

Where things are: `registry` (what a rule is), `rules.<census module>` (the rules, each with
the others of its census module), `rule_sets` (which rules a return is checked against) and
`runner` (running them over a file or a record).
"""

from cpqa.interop.cin_check.registry import ERROR, QUERY, CheckContext, Rule
from cpqa.interop.cin_check.rule_sets import RULES
from cpqa.interop.cin_check.runner import (
    FINDING_SCHEMA,
    check_census,
    check_cin_file,
    check_cin_record,
    check_record,
    reference_date_of,
    summary,
)

__all__ = [
    "ERROR",
    "FINDING_SCHEMA",
    "QUERY",
    "RULES",
    "CheckContext",
    "Rule",
    "check_census",
    "check_cin_file",
    "check_cin_record",
    "check_record",
    "reference_date_of",
    "summary",
]
