"""The record seen as a CIN census return: the shape both the checks and the export work on.

The record keeps conferences as conferences; the census keeps their dates on other modules
(an initial conference is `Section47/DateOfInitialCPC`, a transfer-in is
`CINdetails/DateOfInitialCPC`, a review is a `CPPreviewDate` of its plan). Turning one into the
other in this one place means `cpqa check-cin` on a file, `cpqa check --db` and
`cpqa export-cin` judge and write exactly the same facts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import polars as pl

from cpqa.domain import codes
from cpqa.domain.calendar import ENGLAND, ReportingYear, WorkingCalendar
from cpqa.domain.tables import Record
from cpqa.domain.timescales import initial_conference_due_expr


def census_period(reference_date: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day a census with this reference date covers.

    The DfE's rules define the census period as the year to the reference date: it starts on
    the reference date less a year, plus a day (1 April for a 31 March reference date), and
    ends on the reference date. An event on the previous reference date belongs to the
    previous census (rules 8715, 8930 and every rule that says "within the census year").
    """
    try:
        year_before = reference_date.replace(year=reference_date.year - 1)
    except ValueError:  # 29 February: the year before has none
        year_before = reference_date.replace(year=reference_date.year - 1, day=28)
    return year_before + dt.timedelta(days=1), reference_date


@dataclass(frozen=True)
class CensusTables:
    """The CP part of a census return, with the child and episode context the rules need.

    Tables and their columns (dates are Polars dates):
    - children: child_id, sex, date_of_birth, expected_date_of_birth, date_of_death, upn,
      upn_unknown, ethnicity, disabilities, former_upn, gender_current (as a return wrote it)
    - episodes: episode_id, child_id, referral_date, referral_source, primary_need,
      closure_date, closure_reason, referral_nfa, icpc_date (the episode-level ICPC)
    - assessments: assessment_id, episode_id, child_id, start_date, authorised_date, factors
    - cin_plans: cin_plan_id, episode_id, child_id, start_date, end_date
    - s47: s47_id, episode_id, child_id, start_date, icpc_target_date, icpc_date, icpc_not_required
    - plans: plan_id, episode_id, child_id, start_date, end_date, initial_category,
      latest_category, previous_plans
    - reviews: review_id, plan_id, episode_id, child_id, review_date (null: an undated review)
    - unplaced: child_id, item, day: CP facts of a child with no CIN episode to hold them
      (the census has nowhere to put them, so an export must refuse rather than drop them)
    """

    children: pl.DataFrame
    episodes: pl.DataFrame
    assessments: pl.DataFrame
    cin_plans: pl.DataFrame
    s47: pl.DataFrame
    plans: pl.DataFrame
    reviews: pl.DataFrame
    unplaced: pl.DataFrame

    def for_year(self, year: ReportingYear) -> CensusTables:
        """Only what the census for `year` holds, as it stood on the year's last day.

        Episodes open at any time in the year, and within them the modules active in the year;
        anything that happened after 31 March is not yet known at the reference date, so an
        ICPC, end or closure after it is left out (the enquiry, plan or episode was still open).
        """
        start, end = year.start, year.end

        def overlaps(first: str, last: pl.Expr) -> pl.Expr:
            return (pl.col(first) <= end) & (last.is_null() | (last >= start))

        def known_by_year_end(*columns: str) -> list[pl.Expr]:
            return [pl.when(pl.col(c) <= end).then(pl.col(c)).alias(c) for c in columns]

        episodes = self.episodes.filter(overlaps("referral_date", pl.col("closure_date"))).with_columns(
            pl.when(pl.col("closure_date") <= end).then(pl.col("closure_reason")).alias("closure_reason"),
            *known_by_year_end("closure_date"),
            pl.when(pl.col("icpc_date").is_between(start, end)).then(pl.col("icpc_date")).alias("icpc_date"),
        )
        kept = episodes.select("episode_id")

        def within(frame: pl.DataFrame) -> pl.DataFrame:
            return frame.join(kept, on="episode_id", how="semi")

        assessments = (
            within(self.assessments)
            .filter(overlaps("start_date", pl.col("authorised_date")))
            .with_columns(known_by_year_end("authorised_date"))
        )
        cin_plans = (
            within(self.cin_plans)
            .filter(overlaps("start_date", pl.col("end_date")))
            .with_columns(known_by_year_end("end_date"))
        )
        s47 = (
            within(self.s47)
            .filter(
                overlaps("start_date", pl.col("icpc_date"))
                # "No conference needed" has no date of its own: only this year's enquiries.
                & ~(
                    pl.col("icpc_date").is_null()
                    & pl.col("icpc_not_required").fill_null(False)
                    & (pl.col("start_date") < start)
                )
            )
            .with_columns(known_by_year_end("icpc_date"))
        )
        plans = (
            within(self.plans)
            .filter(overlaps("start_date", pl.col("end_date")))
            .with_columns(known_by_year_end("end_date"))
        )
        reviews = self.reviews.join(plans.select("plan_id"), on="plan_id", how="semi").filter(
            pl.col("review_date").is_null() | pl.col("review_date").is_between(start, end)
        )
        children = self.children.join(episodes.select("child_id"), on="child_id", how="semi").with_columns(
            known_by_year_end("date_of_death")
        )
        return replace(
            self,
            children=children,
            episodes=episodes,
            assessments=assessments,
            cin_plans=cin_plans,
            s47=s47,
            plans=plans,
            reviews=reviews,
        )


def census_tables(
    record: Record, *, fill_derivable: bool = False, calendar: WorkingCalendar = ENGLAND
) -> CensusTables:
    """The record as census modules.

    `fill_derivable` fills the census items the record can work out when they were not
    recorded as such: the ICPC target (strategy discussion + 15 working days, the timescale
    engine's rule) and NumberOfPreviousCPP (the child's earlier plans in the record). A file
    being checked is judged as it stands, so its checks leave this off.
    """
    held = record.conferences.filter(pl.col("held_date").is_not_null())
    s47 = _enquiries_with_conferences(record.s47, held)
    episodes, unplaced_conferences = _episodes_with_conferences(record.episodes, held)
    plans = _plans_in_episodes(record.plans, episodes)
    unplaced = pl.concat(
        [
            unplaced_conferences,
            plans.filter(pl.col("episode_id").is_null()).select(
                "child_id", pl.lit("CPPstartDate").alias("item"), pl.col("start_date").alias("day")
            ),
            record.s47.filter(pl.col("episode_id").is_null()).select(
                "child_id", pl.lit("S47ActualStartDate").alias("item"), pl.col("start_date").alias("day")
            ),
        ]
    )
    plans = plans.select(
        "plan_id",
        "episode_id",
        "child_id",
        "start_date",
        "end_date",
        "initial_category",
        "latest_category",
        "previous_plans",
    )
    reviews = _plan_reviews(record.conferences, plans)
    if fill_derivable:
        s47, plans = _fill_derivable(s47, plans, calendar)
    return CensusTables(
        children=record.children.select(
            "child_id",
            "sex",
            "date_of_birth",
            "expected_date_of_birth",
            "date_of_death",
            "upn",
            "upn_unknown",
            "ethnicity",
            "disabilities",
            "former_upn",
            "gender_current",
        ),
        episodes=episodes,
        assessments=record.assessments.select(
            "assessment_id", "episode_id", "child_id", "start_date", "authorised_date", "factors"
        ),
        cin_plans=record.cin_plans.select("cin_plan_id", "episode_id", "child_id", "start_date", "end_date"),
        s47=s47,
        plans=plans,
        reviews=reviews,
        unplaced=unplaced,
    )


def _enquiries_with_conferences(s47: pl.DataFrame, held: pl.DataFrame) -> pl.DataFrame:
    """Each enquiry with the date of its (first) initial conference, `Section47/DateOfInitialCPC`."""
    initial = (
        held.filter(pl.col("conference_type").is_in(codes.INITIAL_CONFERENCE_TYPES) & pl.col("s47_id").is_not_null())
        .group_by("s47_id")
        .agg(pl.col("held_date").min().alias("icpc_date"))
    )
    return s47.join(initial, on="s47_id", how="left").select(
        "s47_id", "episode_id", "child_id", "start_date", "icpc_target_date", "icpc_date", "icpc_not_required"
    )


def _episodes_with_conferences(
    episodes: pl.DataFrame, held: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Episodes with `CINdetails/DateOfInitialCPC`, and the conferences no episode can hold."""
    # A conference not tied to an enquiry sits on the episode (a transfer-in, by definition).
    episode_level = held.filter(
        (pl.col("conference_type") == "transfer_in")
        | (pl.col("conference_type").is_in(codes.INITIAL_CONFERENCE_TYPES) & pl.col("s47_id").is_null())
    ).select("child_id", "held_date")
    episode_level = episode_of(episode_level, "held_date", episodes)
    unplaced_conferences = episode_level.filter(pl.col("episode_id").is_null()).select(
        "child_id", pl.lit("DateOfInitialCPC").alias("item"), pl.col("held_date").alias("day")
    )
    episode_level = (
        episode_level.filter(pl.col("episode_id").is_not_null())
        .group_by("episode_id")
        .agg(pl.col("held_date").min().alias("icpc_date"))
    )
    episodes = episodes.join(episode_level, on="episode_id", how="left").select(
        "episode_id",
        "child_id",
        "referral_date",
        "referral_source",
        "primary_need",
        "closure_date",
        "closure_reason",
        "referral_nfa",
        "icpc_date",
    )
    return episodes, unplaced_conferences


def _plans_in_episodes(plans: pl.DataFrame, episodes: pl.DataFrame) -> pl.DataFrame:
    """Plans, those recorded with no episode placed in the episode their start falls in."""
    unlinked = plans.filter(pl.col("episode_id").is_null())
    if not unlinked.height:
        return plans
    return pl.concat(
        [
            plans.filter(pl.col("episode_id").is_not_null()),
            episode_of(unlinked.drop("episode_id"), "start_date", episodes).select(plans.columns),
        ]
    )


def _plan_reviews(conferences: pl.DataFrame, plans: pl.DataFrame) -> pl.DataFrame:
    """The review conferences of the plans, as `CPPreviewDate`s."""
    return (
        conferences.filter(
            (pl.col("conference_type") == "review")
            & pl.col("plan_id").is_not_null()
            # Held reviews, and reviews recorded with no date at all (rule 8842Q queries those);
            # a review booked for a later date is not yet a census fact.
            & (
                pl.col("held_date").is_not_null()
                | (pl.col("scheduled_date").is_null() & pl.col("due_date").is_null())
            )
        )
        .join(plans.select("plan_id", "episode_id"), on="plan_id", how="inner")
        .select(
            pl.col("conference_id").alias("review_id"),
            "plan_id",
            "episode_id",
            "child_id",
            pl.col("held_date").alias("review_date"),
        )
    )


def _fill_derivable(
    s47: pl.DataFrame, plans: pl.DataFrame, calendar: WorkingCalendar
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The ICPC target and NumberOfPreviousCPP, where not recorded, from what the record shows."""
    s47 = s47.with_columns(
        pl.coalesce(
            pl.col("icpc_target_date"),
            initial_conference_due_expr(pl.col("start_date"), calendar),
        ).alias("icpc_target_date")
    )
    plans = plans.with_columns(
        pl.coalesce(
            pl.col("previous_plans"),
            (pl.col("start_date").rank("min").over("child_id") - 1).cast(pl.Int64),
        ).alias("previous_plans")
    )
    return s47, plans


def episode_of(frame: pl.DataFrame, date_column: str, episodes: pl.DataFrame) -> pl.DataFrame:
    """`frame` with the `episode_id` of the child's episode that a date falls in.

    That is the child's latest episode referred on or before the date; where the date is
    before every episode (a data error the rules report), the child's first episode.
    """
    by_referral = episodes.select("child_id", "episode_id", pl.col("referral_date").alias("_referral")).sort(
        "_referral"
    )
    first = by_referral.group_by("child_id", maintain_order=True).agg(
        pl.col("episode_id").first().alias("_first_episode")
    )
    ordered = frame.with_row_index("_row")
    dated = ordered.filter(pl.col(date_column).is_not_null()).sort(date_column)
    matched = dated.join_asof(
        by_referral,
        left_on=date_column,
        right_on="_referral",
        by="child_id",
        strategy="backward",
        check_sortedness=False,
    ).drop("_referral")
    undated = ordered.filter(pl.col(date_column).is_null()).with_columns(
        pl.lit(None, pl.String).alias("episode_id")
    )
    return (
        pl.concat([matched, undated])
        .join(first, on="child_id", how="left")
        .with_columns(pl.coalesce("episode_id", "_first_episode").alias("episode_id"))
        .sort("_row")
        .drop("_row", "_first_episode")
    )
