"""Section 5: quoracy and the agencies' attendance and reports, from the attendance table.

Attendance is recorded per meeting; conferences are counted per child, so a meeting about three
siblings counts three. Only conferences whose attendance was recorded are counted: a meeting
with no attendance recorded says nothing about who came.
"""

from __future__ import annotations

import polars as pl

from cpqa.domain import codes
from cpqa.domain.calendar import ReportingYear
from cpqa.domain.config import QuoracyRule
from cpqa.domain.indicators.common import count_where, percent_expr
from cpqa.domain.indicators.conferences import held_in_year
from cpqa.domain.tables import Record

# How each conference type is reported: a pre-birth conference is an initial conference.
REPORTED_TYPE: dict[str, str] = {
    "initial": "initial",
    "prebirth": "initial",
    "review": "review",
    "transfer_in": "transfer_in",
}
REPORTED_TYPES: tuple[str, ...] = ("initial", "review", "transfer_in", "all")
ATTENDANCE_OUTCOMES: tuple[str, ...] = (
    "attended_with_report",
    "attended_no_report",
    "report_only",
    "neither",
    "neither_not_invited",
)


def _conferences_held(record: Record, year: ReportingYear) -> pl.DataFrame:
    return held_in_year(record, year, codes.CHILD_CONFERENCE_TYPES).with_columns(
        pl.col("conference_type").replace_strict(REPORTED_TYPE, return_dtype=pl.String).alias("reported_type")
    )


def _by_reported_type(frame: pl.DataFrame, keys: list[str], aggs: list[pl.Expr]) -> pl.DataFrame:
    """Aggregate per conference type and again over all types (`all`)."""
    per_type = frame.group_by([*keys, "reported_type"]).agg(aggs)
    overall = (frame.group_by(keys).agg(aggs) if keys else frame.select(aggs)).with_columns(
        pl.lit("all").alias("reported_type")
    )
    return pl.concat([per_type, overall.select(per_type.columns)], how="vertical")


def _attendance_at(record: Record, held: pl.DataFrame) -> pl.DataFrame:
    """The attendance rows of the meetings in `held` (the year's, not the whole record's)."""
    return record.attendance.join(held.select("meeting_id").unique(), on="meeting_id", how="semi")


def meeting_quoracy(attendance: pl.DataFrame, rule: QuoracyRule) -> pl.DataFrame:
    """meeting_id, quorate: for each meeting in the `attendance` table, by the authority's rule."""
    attended = pl.col("attended").fill_null(False)
    social_care = pl.col("agency") == codes.CONVENING_AGENCY
    per_meeting = attendance.group_by("meeting_id").agg(
        (attended & social_care).any().alias("social_care_attended"),
        pl.col("agency").filter(attended & ~social_care & rule.counts_expr(pl.col("agency")))
        .n_unique()
        .alias("other_agencies_attended"),
    )
    return per_meeting.select(
        "meeting_id",
        rule.is_quorate_expr(pl.col("social_care_attended"), pl.col("other_agencies_attended")).alias("quorate"),
    )


def quorate_conferences(record: Record, year: ReportingYear, rule: QuoracyRule) -> pl.DataFrame:
    """conference_type, held, quorate, percent, attendance_not_recorded.

    `held` counts the conferences held in the year whose attendance was recorded; those without
    are counted apart in `attendance_not_recorded`.
    """
    # The conference's own `quorate` flag is not used: the authority's rule decides, from attendance.
    held = _conferences_held(record, year).drop("quorate")
    held = held.join(meeting_quoracy(_attendance_at(record, held), rule), on="meeting_id", how="left")
    counted = _by_reported_type(
        held,
        [],
        [
            count_where(pl.col("quorate").is_not_null()).alias("held"),
            count_where(pl.col("quorate")).alias("quorate"),
            count_where(pl.col("quorate").is_null()).alias("attendance_not_recorded"),
        ],
    )
    return (
        pl.DataFrame({"conference_type": list(REPORTED_TYPES)})
        .join(counted.rename({"reported_type": "conference_type"}), on="conference_type", how="left")
        .with_columns(pl.col("held", "quorate", "attendance_not_recorded").fill_null(0))
        .with_columns(percent_expr(pl.col("quorate"), pl.col("held")).alias("percent"))
        .select("conference_type", "held", "quorate", "percent", "attendance_not_recorded")
    )


def agency_attendance(record: Record, year: ReportingYear) -> pl.DataFrame:
    """agency (group), label, conference_type, conferences, and how many of those conferences
    the group attended with a report, attended without one, only sent a report, or neither
    (and of those, how many it was not invited to).

    An agency group is counted for a conference where any of its agencies was recorded
    (invited, attended or sent a report); agencies come together under `codes.AGENCY_GROUP`.
    """
    held = _conferences_held(record, year)
    per_group = (
        _attendance_at(record, held)
        .with_columns(
            pl.col("agency").replace_strict(codes.AGENCY_GROUP, default="other", return_dtype=pl.String).alias(
                "agency_group"
            )
        )
        .group_by("meeting_id", "agency_group")
        .agg(
            pl.col("attended").fill_null(False).any().alias("attended"),
            pl.col("report_submitted").fill_null(False).any().alias("report"),
            pl.col("invited").fill_null(False).any().alias("invited"),
        )
    )
    attended, report, invited = pl.col("attended"), pl.col("report"), pl.col("invited")
    neither = ~attended & ~report
    counted = _by_reported_type(
        held.join(per_group, on="meeting_id", how="inner"),
        ["agency_group"],
        [
            pl.len().cast(pl.Int64).alias("conferences"),
            count_where(attended & report).alias("attended_with_report"),
            count_where(attended & ~report).alias("attended_no_report"),
            count_where(~attended & report).alias("report_only"),
            count_where(neither).alias("neither"),
            count_where(neither & ~invited).alias("neither_not_invited"),
        ],
    )
    groups = list(codes.AGENCY_GROUP_LABEL)
    grid = pl.DataFrame(
        {
            "agency": [g for g in groups for _ in REPORTED_TYPES],
            "conference_type": [t for _ in groups for t in REPORTED_TYPES],
        }
    )
    counts = ["conferences", *ATTENDANCE_OUTCOMES]
    return (
        grid.join(
            counted.rename({"agency_group": "agency", "reported_type": "conference_type"}),
            on=["agency", "conference_type"],
            how="left",
        )
        .with_columns(
            pl.col(counts).fill_null(0),
            pl.col("agency").replace_strict(codes.AGENCY_GROUP_LABEL, return_dtype=pl.String).alias("label"),
        )
        .select("agency", "label", "conference_type", *counts)
    )
