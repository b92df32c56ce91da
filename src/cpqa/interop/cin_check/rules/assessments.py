"""The rules about assessments (Assessments): dates, open assessments and factors."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from cpqa.domain.codes import ASSESSMENT_FACTOR
from cpqa.interop.cin_check.helpers import found, pairs_within_child, shown, with_episode
from cpqa.interop.cin_check.registry import ERROR, QUERY, CensusModuleRules, CheckContext

# 18A/19A were replaced from 2024-25 (queries 8945Q/8950Q).
FROM_2024 = range(2024, 2027)

RULES = CensusModuleRules("Assessments")


def _superseded_factor(code: str) -> Callable[[CheckContext], pl.DataFrame]:
    def find(c: CheckContext) -> pl.DataFrame:
        bad = c.tables.assessments.filter(pl.col("factors").list.contains(code).fill_null(False))
        return found(bad, "assessment_id", pl.lit(f"AssessmentFactors {code}"))

    return find


RULES.rule(
    "8945Q",
    QUERY,
    "AssessmentFactors",
    "Factor 18A (physical abuse) is superseded: 18B or 18C should be used instead",
    years=FROM_2024,
)(_superseded_factor("18A"))


RULES.rule(
    "8950Q",
    QUERY,
    "AssessmentFactors",
    "Factor 19A (sexual abuse) is superseded: 19B or 19C should be used instead",
    years=FROM_2024,
)(_superseded_factor("19A"))


def _factors() -> pl.Expr:
    return pl.concat_str([pl.lit("AssessmentFactors "), pl.col("factors").list.join(" ").fill_null("")])


@RULES.rule("1103", ERROR, "AssessmentActualStartDate", "The assessment start date cannot be before the referral date")
def _1103(c: CheckContext) -> pl.DataFrame:
    bad = with_episode(c.tables.assessments, c, "referral_date").filter(
        pl.col("start_date") < pl.col("referral_date")
    )
    return found(
        bad, "assessment_id", shown("start_date", "AssessmentActualStartDate"), shown("referral_date", "CINreferralDate")
    )


@RULES.rule("8608", ERROR, "AssessmentActualStartDate", "Assessment Start Date cannot be later than its End Date")
def _8608(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.assessments.filter(pl.col("start_date") > pl.col("authorised_date"))
    return found(
        bad,
        "assessment_id",
        shown("start_date", "AssessmentActualStartDate"),
        shown("authorised_date", "AssessmentAuthorisationDate"),
    )


@RULES.rule(
    "8614", ERROR, "AssessmentFactors",
    "Parental or child factors at assessment should only be present for a completed assessment.",
)
def _8614(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.assessments.filter(
        pl.col("authorised_date").is_null() & (pl.col("factors").list.len() > 0).fill_null(False)
    )
    return found(bad, "assessment_id", _factors())


@RULES.rule(
    "8670Q", QUERY, "AssessmentActualStartDate",
    "Please check and either amend data or provide a reason: Assessment started more than 45 working days "
    "before the end of the census year. However, there is no Assessment end date.",
)
def _8670q(c: CheckContext) -> pl.DataFrame:
    latest = c.calendar.subtract_working_days(c.reference_date, 45)
    bad = c.tables.assessments.filter(pl.col("authorised_date").is_null() & (pl.col("start_date") < latest))
    return found(bad, "assessment_id", shown("start_date", "AssessmentActualStartDate"))


@RULES.rule("8696", ERROR, "AssessmentAuthorisationDate", "Assessment end date must fall within the census year")
def _8696(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.assessments.filter(pl.col("authorised_date").is_not_null() & ~c.in_period("authorised_date"))
    return found(bad, "assessment_id", shown("authorised_date", "AssessmentAuthorisationDate"))


@RULES.rule(
    "8736", ERROR, "AssessmentActualStartDate",
    "For an Assessment that has not been completed, the start date must fall within the census year",
)
def _8736(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.assessments.filter(
        pl.col("authorised_date").is_null() & ~c.in_period("start_date").fill_null(False)
    )
    return found(bad, "assessment_id", shown("start_date", "AssessmentActualStartDate"))


@RULES.rule(
    "8863Q", QUERY, "AssessmentActualStartDate",
    "An Assessment is shown as starting when there is another Assessment ongoing.",
)
def _8863q(c: CheckContext) -> pl.DataFrame:
    # Within one episode, a start on or between another assessment's start and its end (or the
    # reference date, while it is open).
    dated = c.tables.assessments.filter(pl.col("start_date").is_not_null())
    pairs = pairs_within_child(dated, "assessment_id", by="episode_id")
    other_end = pl.coalesce(pl.col("authorised_date_other"), pl.lit(c.reference_date))
    bad = pairs.filter(
        (pl.col("start_date") >= pl.col("start_date_other")) & (pl.col("start_date") <= other_end)
    ).unique("assessment_id", maintain_order=True)
    return found(
        bad,
        "assessment_id",
        shown("start_date", "AssessmentActualStartDate"),
        shown("start_date_other", "other AssessmentActualStartDate"),
    )


@RULES.rule(
    "8869", ERROR, "AssessmentFactors",
    "The assessment factors code \u201c21\u201d cannot be used in conjunction with any other assessment factors.",
)
def _8869(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.assessments.filter(
        pl.col("factors").list.contains("21").fill_null(False) & (pl.col("factors").list.len() > 1)
    )
    return found(bad, "assessment_id", _factors())


@RULES.rule(
    "8873Q", QUERY, "ReasonForClosure",
    "Please check and either amend data or provide a reason: When there is only one assessment on the episode "
    "and the factors code \u201c21 No factors identified\u201d has been used for the completed assessment, the "
    "reason for closure \u2018RC8\u2019 must be used.",
)
def _8873q(c: CheckContext) -> pl.DataFrame:
    one = c.tables.assessments.filter(pl.len().over("episode_id") == 1).filter(
        pl.col("factors").list.contains("21").fill_null(False)
    )
    bad = with_episode(one, c, "closure_reason").filter(
        ~pl.col("closure_reason").is_in(["RC8", "RC9"]).fill_null(False)
    )
    return found(bad, "episode_id", shown("closure_reason", "ReasonForClosure"), _factors())


@RULES.rule(
    "8896", ERROR, "AssessmentAuthorisationDate",
    "Within one CINDetails group there are 2 or more open Assessments groups",
)
def _8896(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.assessments.filter(pl.col("authorised_date").is_null()).filter(pl.len().over("episode_id") > 1)
    return found(bad, "assessment_id", shown("start_date", "AssessmentActualStartDate"))


@RULES.rule(
    "8897Q", QUERY, "AssessmentFactors",
    "Parental or child factors at assessment information is missing from a completed assessment",
)
def _8897q(c: CheckContext) -> pl.DataFrame:
    # Completed in the census year: one or more factors, each a valid code.
    done = c.tables.assessments.filter(pl.col("authorised_date") >= c.period_start)
    bad = done.filter(
        (pl.col("factors").list.len() == 0).fill_null(True)
        | ~pl.col("factors").list.eval(pl.element().is_in(list(ASSESSMENT_FACTOR))).list.all()
    )
    return found(bad, "assessment_id", _factors())


@RULES.rule(
    "8898", ERROR, "AssessmentFactors",
    "The assessment has more than one parental or child factors with the same code",
)
def _8898(c: CheckContext) -> pl.DataFrame:
    bad = c.tables.assessments.filter(pl.col("factors").list.len() > pl.col("factors").list.n_unique())
    return found(bad, "assessment_id", _factors())
