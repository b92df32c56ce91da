"""Ofsted's Annex A child-level lists 5 (section 47 enquiries and ICPCs) and 7 (child protection).

Column headers and value conventions follow the Ofsted template as described in
docs/definitions.md#annex-a (dates dd/mm/yyyy; lettered answers such as "a) Yes"). The lists are built
from a `Record` with Polars, so they come out the same from the database or a census file; the
writers put them in an .xlsx workbook (one sheet per list) or CSV.

Choices where the template is silent, stated so two people get the same list:
- The period is the six months before the inspection date `as_of` (as_of - 6 months, exclusive,
  to as_of, inclusive).
- Age is completed years on `as_of`; an unborn child's age is left blank.
- "Number of ... in the last 12 months" counts the child's *earlier* enquiries (or initial
  conferences) in the 12 months before this enquiry's start, excluding this one.
- Facts the record does not hold (the allocated worker; emergency protection orders) are left
  blank rather than guessed; a census file also lacks visits and teams.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import polars as pl

from cpqa.domain import codes
from cpqa.domain.calendar import add_months, completed_years_expr
from cpqa.domain.tables import Record

LIST_5_COLUMNS: tuple[str, ...] = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Was an Initial Child Protection Conference deemed unnecessary?",
    "Date of Initial Child Protection Conference",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    "Number of Section 47 Enquiries in the last 12 months",
    "Number of ICPCs in the last 12 months",
    "Allocated Team",
    "Allocated Worker",
)

LIST_7_COLUMNS: tuple[str, ...] = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
)

GENDER_ANSWER: dict[str, str] = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
YES, NO, UNKNOWN = "a) Yes", "b) No", "c) Unknown"
CATEGORY_ANSWER: dict[str, str] = {
    "NEG": "a) Neglect",
    "PHY": "b) Physical abuse",
    "SAB": "c) Sexual abuse",
    "EMO": "d) Emotional abuse",
    "MUL": "e) Multiple/not recommended",
}
# The template letters the DfE codes in the census order: a) WBRI ... r) OOTH, s) REFU, t) NOBT.
ETHNICITY_ANSWER: dict[str, str] = {
    code: f"{chr(ord('a') + index)}) {code}" for index, code in enumerate(codes.ETHNICITY)
}


def period_start(as_of: dt.date) -> dt.date:
    """The first day inside the six months before the inspection date."""
    return add_months(as_of, -6) + dt.timedelta(days=1)


def _date_text(column: str) -> pl.Expr:
    return pl.col(column).dt.strftime("%d/%m/%Y")


def _yes_no(column: str) -> pl.Expr:
    return pl.when(pl.col(column).is_null()).then(pl.lit(UNKNOWN)).when(pl.col(column)).then(
        pl.lit(YES)
    ).otherwise(pl.lit(NO))


def _child_columns(record: Record, as_of: dt.date) -> pl.DataFrame:
    """The six columns every list starts with, one row per child."""
    children = record.children
    disabled = (
        pl.when(pl.col("disabilities").is_null() | (pl.col("disabilities").list.len() == 0))
        .then(None)
        .otherwise(~pl.col("disabilities").list.contains("NONE"))
    )
    return children.select(
        "child_id",
        pl.col("child_id").alias("Child Unique ID"),
        pl.col("sex").replace_strict(GENDER_ANSWER, default=GENDER_ANSWER["U"]).alias("Gender"),
        pl.col("ethnicity").replace_strict(ETHNICITY_ANSWER, default=None).alias("Ethnicity"),
        _date_text("date_of_birth").alias("Date of Birth"),
        completed_years_expr(pl.col("date_of_birth"), as_of).alias("Age of Child (Years)"),
        disabled.alias("_disabled"),
        pl.col("team").alias("Allocated Team"),
    ).with_columns(_yes_no("_disabled").alias("Does the Child have a Disability")).drop("_disabled")


def list_5(record: Record, as_of: dt.date) -> pl.DataFrame:
    """Every section 47 enquiry that started in the six months before `as_of`, one row each."""
    start = period_start(as_of)
    enquiries = record.s47.filter(pl.col("start_date").is_between(start, as_of))
    initial = record.conferences.filter(
        pl.col("conference_type").is_in(codes.INITIAL_CONFERENCE_TYPES) & pl.col("held_date").is_not_null()
    )
    first_icpc = initial.group_by("s47_id").agg(pl.col("held_date").min().alias("icpc_date"))
    plan_starts = record.plans.select("child_id", pl.col("start_date").alias("icpc_date"), pl.lit(True).alias("plan"))
    enquiries = (
        enquiries.join(first_icpc, on="s47_id", how="left")
        .join(plan_starts.unique(["child_id", "icpc_date"]), on=["child_id", "icpc_date"], how="left")
    )

    def earlier_in_12_months(events: pl.DataFrame, date_column: str, name: str) -> pl.DataFrame:
        # For each enquiry, the child's events in [start - 12 months, start), i.e. before this one.
        pairs = enquiries.select("s47_id", "child_id", pl.col("start_date").alias("_this")).join(
            events.select("child_id", pl.col(date_column).alias("_other")), on="child_id"
        )
        window_start = pl.col("_this").dt.offset_by("-12mo")
        counted = pairs.filter((pl.col("_other") >= window_start) & (pl.col("_other") < pl.col("_this")))
        return counted.group_by("s47_id").agg(pl.len().cast(pl.Int64).alias(name))

    earlier_s47 = earlier_in_12_months(record.s47, "start_date", "Number of Section 47 Enquiries in the last 12 months")
    earlier_icpc = earlier_in_12_months(initial, "held_date", "Number of ICPCs in the last 12 months")

    rows = (
        enquiries.join(earlier_s47, on="s47_id", how="left")
        .join(earlier_icpc, on="s47_id", how="left")
        .join(_child_columns(record, as_of), on="child_id", how="left")
        .with_columns(
            _date_text("start_date").alias("Strategy discussion initiating Section 47 Enquiry Start Date"),
            pl.when(pl.col("icpc_not_required").fill_null(False)).then(pl.lit(YES)).otherwise(pl.lit(NO))
            .alias("Was an Initial Child Protection Conference deemed unnecessary?"),
            _date_text("icpc_date").alias("Date of Initial Child Protection Conference"),
            pl.when(pl.col("icpc_date").is_null()).then(None)
            .when(pl.col("plan").fill_null(False)).then(pl.lit(YES)).otherwise(pl.lit(NO))
            .alias("Did the Initial Child Protection Conference Result in a Child Protection Plan"),
            pl.col("Number of Section 47 Enquiries in the last 12 months").fill_null(0),
            pl.col("Number of ICPCs in the last 12 months").fill_null(0),
            pl.lit(None, dtype=pl.String).alias("Allocated Worker"),
        )
        .sort(["start_date", "child_id"])
    )
    return rows.select(LIST_5_COLUMNS)


def list_7(record: Record, as_of: dt.date) -> pl.DataFrame:
    """Children on a plan on `as_of`, and plans that ended in the six months before it."""
    start = period_start(as_of)
    plans = record.plans.filter(
        (pl.col("start_date") <= as_of)
        & (pl.col("end_date").is_null() | (pl.col("end_date") > as_of) | pl.col("end_date").is_between(start, as_of))
    )
    reviews = record.conferences.filter(
        (pl.col("conference_type") == "review") & pl.col("held_date").is_not_null() & (pl.col("held_date") <= as_of)
    )
    latest_review = reviews.group_by("plan_id").agg(pl.col("held_date").max().alias("_latest_review"))
    visits = record.visits.filter(pl.col("visit_date") <= as_of).sort("visit_date")
    last_visit = visits.group_by("plan_id").agg(
        pl.col("visit_date").last().alias("_last_visit"), pl.col("seen_alone").last().alias("_seen_alone")
    )
    all_plans = record.plans.select("child_id", pl.col("start_date").alias("_other_start"))
    earlier = (
        plans.select("plan_id", "child_id", "start_date")
        .join(all_plans, on="child_id")
        .filter(pl.col("_other_start") < pl.col("start_date"))
        .group_by("plan_id")
        .agg(pl.len().cast(pl.Int64).alias("_earlier_in_record"))
    )
    rows = (
        plans.join(latest_review, on="plan_id", how="left")
        .join(last_visit, on="plan_id", how="left")
        .join(earlier, on="plan_id", how="left")
        .join(_child_columns(record, as_of), on="child_id", how="left")
        .with_columns(
            _date_text("start_date").alias("Child Protection Plan Start Date"),
            pl.col("initial_category").replace_strict(CATEGORY_ANSWER, default=None).alias("Initial Category of Abuse"),
            pl.coalesce("latest_category", "initial_category")
            .replace_strict(CATEGORY_ANSWER, default=None)
            .alias("Latest Category of Abuse"),
            _date_text("_last_visit").alias("Date of the Last Statutory Visit"),
            pl.when(pl.col("_last_visit").is_null()).then(None).otherwise(_yes_no("_seen_alone"))
            .alias("Was the Child Seen Alone?"),
            _date_text("_latest_review").alias("Date of latest review conference"),
            _date_text("end_date").alias("Child Protection Plan End Date"),
            pl.lit(None, dtype=pl.String).alias(LIST_7_COLUMNS[13]),
            # The larger of what the record shows and what another system said (NumberOfPreviousCPP).
            pl.max_horizontal(pl.col("_earlier_in_record").fill_null(0), pl.col("previous_plans").fill_null(0))
            .alias("Number of Previous Child Protection Plans"),
            pl.lit(None, dtype=pl.String).alias("Allocated Worker"),
        )
        .sort(["start_date", "child_id"])
    )
    return rows.select(LIST_7_COLUMNS)


def write_xlsx(lists: dict[str, pl.DataFrame], out: Path) -> None:
    """One sheet per list with the template's headers; cells as text except the counts."""
    import xlsxwriter

    out.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(out))
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    try:
        for sheet_name, frame in lists.items():
            sheet = workbook.add_worksheet(sheet_name)
            for column, name in enumerate(frame.columns):
                sheet.write_string(0, column, name, header)
                sheet.set_column(column, column, 18)
            for row_index, row in enumerate(frame.iter_rows(), start=1):
                for column, value in enumerate(row):
                    if value is None:
                        continue
                    if isinstance(value, int):
                        sheet.write_number(row_index, column, value)
                    else:
                        sheet.write_string(row_index, column, str(value))
            sheet.freeze_panes(1, 0)
    finally:
        workbook.close()


def write_csv(frame: pl.DataFrame, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(frame.columns)
        for row in frame.iter_rows():
            writer.writerow(["" if value is None else value for value in row])
