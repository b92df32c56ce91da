"""The synthetic authority: repeatable, shaped like the seed report's authority, and a valid record.

The headline ranges are the seed annual report's 2017-18 figures (../shared/seeds/) with room
for chance: they are counted here with plain Polars from the definitions in indicators.md, not
with the indicators package, so a fault in either shows up.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from cpqa.domain import codes, timescales
from cpqa.domain.calendar import ENGLAND, ReportingYear
from cpqa.domain.tables import SCHEMAS
from cpqa.synthetic import SyntheticAuthority, generate_authority

YEAR = ReportingYear(2017)  # the seed report's year, the default authority's last year
YEAR_END = YEAR.end


@pytest.fixture(scope="module")
def authority() -> SyntheticAuthority:
    return generate_authority()


def _held_in_year(conferences: pl.DataFrame, *types: str) -> pl.DataFrame:
    return conferences.filter(
        pl.col("held_date").is_between(YEAR.start, YEAR.end) & pl.col("conference_type").is_in(list(types))
    )


def _open_on(plans: pl.DataFrame, day: dt.date) -> pl.DataFrame:
    # indicators.md: open on D when start <= D and (end empty or end > D).
    return plans.filter(
        (pl.col("start_date") <= day) & (pl.col("end_date").is_null() | (pl.col("end_date") > day))
    )


# -- the same seed, the same record ---------------------------------------------------------------


def test_the_same_seed_gives_the_same_record_table_for_table() -> None:
    first = generate_authority(seed=7, children_on_plan=80)
    second = generate_authority(seed=7, children_on_plan=80)
    for name in first.record.table_names():
        assert getattr(first.record, name).equals(getattr(second.record, name)), name
    for extra in (
        "teams",
        "staff",
        "families",
        "family_members",
        "allocations",
        "meetings",
        "rearrangements",
    ):
        assert getattr(first, extra).equals(getattr(second, extra)), extra


def test_another_seed_gives_another_record() -> None:
    first = generate_authority(seed=7, children_on_plan=80)
    other = generate_authority(seed=8, children_on_plan=80)
    assert not first.record.plans.equals(other.record.plans)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"children_on_plan": 0}, "at least 1"),
        ({"years": ("2017",)}, "not of the form 2017-18"),
        ({"years": ()}, "at least one reporting year"),
        ({"today": dt.date(2015, 1, 1)}, "before the first reporting year"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate_authority(**kwargs)


# -- the seed authority's shape --------------------------------------------------------------------


def test_children_on_a_plan_at_year_end_and_rising_through_the_year(authority: SyntheticAuthority) -> None:
    plans = authority.record.plans
    by_month = [_open_on(plans, day).get_column("child_id").n_unique() for day in YEAR.month_ends()]
    # Seed: 391 in April rising to 559 in March (about 550 at year end is the default's target).
    assert 450 <= by_month[-1] <= 700
    assert by_month[-1] >= 1.1 * by_month[0]


def test_conference_volumes_per_child_in_the_year(authority: SyntheticAuthority) -> None:
    conferences = authority.record.conferences
    # Seed 2017-18: 870 initial (pre-birth included), 1,308 review, 67 pre-birth, 89 transfer-in
    # and 41 transfer-out conferences, each counted per child.
    assert 700 <= _held_in_year(conferences, "initial", "prebirth").height <= 1050
    assert 1050 <= _held_in_year(conferences, "review").height <= 1600
    assert 35 <= _held_in_year(conferences, "prebirth").height <= 110
    assert 50 <= _held_in_year(conferences, "transfer_in").height <= 140
    assert 20 <= _held_in_year(conferences, "transfer_out").height <= 75
    # The year before was quieter (seed: 473 initial conferences in 2016-17).
    before = conferences.filter(
        pl.col("held_date").is_between(YEAR.previous.start, YEAR.previous.end)
        & pl.col("conference_type").is_in(["initial", "prebirth"])
    )
    assert before.height < _held_in_year(conferences, "initial", "prebirth").height


def test_reviews_dip_in_the_summer_holiday(authority: SyntheticAuthority) -> None:
    reviews = _held_in_year(authority.record.conferences, "review").with_columns(
        month=pl.col("held_date").dt.month()
    )
    per_month = dict(reviews.group_by("month").len().iter_rows())
    # Seed: 152 reviews in July, 31 in August (school-aged children's reviews held before the holiday).
    assert per_month[8] * 2 < per_month[7]
    assert per_month[8] < 0.6 * reviews.height / 12


def test_initial_conference_timeliness_and_reviews_in_time(authority: SyntheticAuthority) -> None:
    record = authority.record
    initial = _held_in_year(record.conferences, "initial", "prebirth").join(
        record.s47.select("s47_id", pl.col("start_date").alias("s47_start")), on="s47_id"
    )
    due = {d: ENGLAND.add_working_days(d, 15) for d in initial.get_column("s47_start").unique()}
    in_time = sum(held <= due[start] for held, start in initial.select("held_date", "s47_start").iter_rows())
    # Seed: 54% of ICPCs within 15 working days of the strategy discussion.
    assert 0.40 <= in_time / initial.height <= 0.70
    reviews = _held_in_year(record.conferences, "review")
    # Seed: 98.9% of reviews in time.
    assert (reviews.get_column("held_date") <= reviews.get_column("due_date")).mean() >= 0.97


def test_pre_birth_conferences_fall_in_all_three_bands(authority: SyntheticAuthority) -> None:
    record = authority.record
    prebirth = _held_in_year(record.conferences, "prebirth").join(
        record.children.select("child_id", "expected_date_of_birth"), on="child_id"
    )
    bands = {
        timescales.prebirth_band(held, expected)
        for held, expected in prebirth.select("held_date", "expected_date_of_birth").iter_rows()
    }
    assert bands == {"under_4_weeks", "weeks_4_to_10", "over_10_weeks"}


def test_repeat_plans_long_plans_and_short_plans(authority: SyntheticAuthority) -> None:
    plans = authority.record.plans
    started = plans.filter(pl.col("start_date").is_between(YEAR.start, YEAR.end))
    # Seed: 16.7% of plans started were second or subsequent plans.
    assert 0.08 <= (started.get_column("previous_plans") >= 1).mean() <= 0.26
    at_year_end = _open_on(plans, YEAR_END)
    long_plans = at_year_end.filter((pl.lit(YEAR_END) - pl.col("start_date")).dt.total_days() >= 730)
    # Seed: 15 children (7 families) on a plan for two years or more at 31 March.
    assert 3 <= long_plans.height <= 40
    ended = plans.filter(pl.col("end_date").is_between(YEAR.start, YEAR.end))
    within_three_months = ended.filter(pl.col("end_date") <= pl.col("start_date").dt.offset_by("3mo"))
    # Seed: almost 25% of plans ended within 3 months.
    assert 0.15 <= within_three_months.height / ended.height <= 0.40


def test_categories_include_several_per_plan_with_the_dfe_category_derived(
    authority: SyntheticAuthority,
) -> None:
    at_year_end = _open_on(authority.record.plans, YEAR_END)
    several = at_year_end.filter(pl.col("initial_categories").list.len() > 1)
    # Seed: 42% of children under two categories at year end.
    assert 0.2 <= several.height / at_year_end.height <= 0.55
    for categories, category in authority.record.plans.select(
        "initial_categories", "initial_category"
    ).iter_rows():
        assert category == codes.dfe_category(categories)


def test_families_with_siblings_share_one_meeting(authority: SyntheticAuthority) -> None:
    meetings = authority.record.conferences.group_by("meeting_id").agg(
        pl.col("child_id").n_unique().alias("children"),
        pl.col("child_id").len().alias("rows"),
        pl.col("child_id").first(),
    )
    assert (meetings.get_column("children") == meetings.get_column("rows")).all()
    share = (meetings.get_column("children") >= 2).mean()
    assert 0.2 <= share <= 0.6
    together = meetings.filter(pl.col("children") >= 2).join(
        authority.record.children.select("child_id", "family_id"), on="child_id"
    )
    assert together.height > 0


def test_unborn_children_and_the_profile_at_year_end(authority: SyntheticAuthority) -> None:
    record = authority.record
    at_year_end = _open_on(record.plans, YEAR_END).join(record.children, on="child_id")
    unborn = at_year_end.filter(pl.col("date_of_birth").is_null() | (pl.col("date_of_birth") > YEAR_END))
    # Seed: 13 unborn children on plans at 31 March 2018.
    assert 2 <= unborn.height <= 30
    ethnicities = at_year_end.get_column("ethnicity").value_counts(sort=True)
    assert ethnicities.item(0, "ethnicity") == "WBRI"  # seed: 31% White British, the largest group
    assert at_year_end.get_column("ethnicity").n_unique() >= 10


def test_quality_assurance_tables_in_the_year(authority: SyntheticAuthority) -> None:
    record = authority.record
    escalations = record.escalations.filter(pl.col("raised_date").is_between(YEAR.start, YEAR.end))
    # Seed: 26 CERPs with 22 families; 285 chair case-of-concern notes.
    assert 20 <= escalations.height <= 32
    assert 15 <= escalations.get_column("family_id").n_unique() <= escalations.height
    notes = record.concern_notes.filter(
        pl.col("recorded_date").is_between(YEAR.start, YEAR.end) & (pl.col("kind") == "chair_case_of_concern")
    )
    assert 250 <= notes.height <= 320
    # Midway reviews began on 1 August 2017 (seed 8b).
    assert record.midway_reviews.get_column("due_date").min() >= dt.date(2017, 8, 1)
    assert record.midway_reviews.height > 0


def test_every_repeat_plan_started_a_month_before_today_has_its_review(authority: SyntheticAuthority) -> None:
    record = authority.record
    repeat = record.plans.filter(
        (pl.col("previous_plans") >= 1) & (pl.col("start_date") <= authority.today - dt.timedelta(days=40))
    )
    reviewed = set(record.repeat_plan_reviews.get_column("plan_id").to_list())
    assert set(repeat.get_column("plan_id").to_list()) <= reviewed
    assert set(record.repeat_plan_reviews.get_column("finding").unique()) <= set(codes.REPEAT_PLAN_FINDING)


def test_initial_conferences_are_quorate_more_often_than_reviews(authority: SyntheticAuthority) -> None:
    held = authority.record.conferences.filter(pl.col("held_date").is_not_null())
    by_type = dict(
        held.group_by("meeting_id")
        .agg(pl.col("conference_type").first(), pl.col("quorate").first())
        .group_by("conference_type")
        .agg(pl.col("quorate").mean())
        .iter_rows()
    )
    # Seed audit: 79% of ICPCs quorate, 55% of reviews (police prioritise ICPCs).
    assert by_type["initial"] > by_type["review"]


# -- every rule the record enforces ----------------------------------------------------------------


def test_every_table_has_exactly_its_schema(authority: SyntheticAuthority) -> None:
    for name in authority.record.table_names():
        assert dict(getattr(authority.record, name).schema) == SCHEMAS[name], name


def test_plans_end_after_they_start_and_never_overlap(authority: SyntheticAuthority) -> None:
    plans = authority.record.plans.sort("child_id", "start_date")
    assert plans.filter(pl.col("end_date") <= pl.col("start_date")).height == 0
    overlapping = plans.with_columns(
        next_start=pl.col("start_date").shift(-1).over("child_id"),
    ).filter(
        pl.col("next_start").is_not_null()
        & (pl.col("end_date").is_null() | (pl.col("end_date") > pl.col("next_start")))
    )
    assert overlapping.height == 0
    assert plans.filter(pl.col("end_date").is_null()).get_column("child_id").is_duplicated().sum() == 0


def test_conferences_are_on_working_days_and_reviews_follow_their_plan(authority: SyntheticAuthority) -> None:
    record = authority.record
    days = record.conferences.get_column("scheduled_date").unique().to_list()
    assert all(ENGLAND.is_working_day(day) for day in days)
    reviews = record.conferences.filter(pl.col("conference_type") == "review").join(
        record.plans.select("plan_id", pl.col("child_id").alias("plan_child"), "start_date", "end_date"),
        on="plan_id",
    )
    assert reviews.height == record.conferences.filter(pl.col("conference_type") == "review").height
    assert (reviews.get_column("child_id") == reviews.get_column("plan_child")).all()
    assert (reviews.get_column("scheduled_date") > reviews.get_column("start_date")).all()
    # indicators.md: a review's outcome is "plan ended" exactly when the plan ends that day.
    held = reviews.filter(pl.col("held_date").is_not_null())
    ended_that_day = held.get_column("end_date") == held.get_column("held_date")
    assert ((held.get_column("outcome") == "plan_ended") == ended_that_day.fill_null(False)).all()


def test_due_dates_come_from_the_timescale_engine(authority: SyntheticAuthority) -> None:
    record = authority.record
    initial = record.conferences.filter(pl.col("conference_type").is_in(["initial", "prebirth"])).join(
        record.s47.select("s47_id", pl.col("start_date").alias("s47_start"), "icpc_target_date"), on="s47_id"
    )
    for due, start, target in (
        initial.select("due_date", "s47_start", "icpc_target_date").unique().iter_rows()
    ):
        assert due == target == timescales.initial_conference_due(start)
    transfers = record.conferences.filter(pl.col("conference_type") == "transfer_in")
    for due, notified in transfers.select("due_date", "notification_date").unique().iter_rows():
        assert due == timescales.transfer_in_conference_due(notified)
    # Each review is due 3 months after the plan's start, then 6 months after the review before.
    reviews = (
        record.conferences.filter(pl.col("conference_type") == "review")
        .join(record.plans.select("plan_id", pl.col("start_date").alias("plan_start")), on="plan_id")
        .select("plan_id", "plan_start", "due_date", "scheduled_date")
        .unique()
        .sort("plan_id", "scheduled_date")
    )
    previous: dict[str, dt.date] = {}
    for plan, start, due, held in reviews.iter_rows():
        assert due == timescales.review_due(start, previous.get(plan))
        previous[plan] = held


def test_initial_and_pre_birth_conferences_come_before_the_birth_they_concern(
    authority: SyntheticAuthority,
) -> None:
    record = authority.record
    prebirth = record.conferences.filter(pl.col("conference_type") == "prebirth").join(
        record.children, on="child_id"
    )
    assert prebirth.filter(pl.col("date_of_birth") <= pl.col("scheduled_date")).height == 0
    assert prebirth.get_column("expected_date_of_birth").null_count() == 0
    unborn_now = record.children.filter(pl.col("date_of_birth").is_null())
    assert (unborn_now.get_column("sex") == "U").all()
    assert unborn_now.get_column("expected_date_of_birth").null_count() == 0


def test_episodes_enquiries_and_assessments_keep_their_dates_in_order(authority: SyntheticAuthority) -> None:
    record = authority.record
    assert record.episodes.filter(pl.col("closure_date") < pl.col("referral_date")).height == 0
    episodes = record.episodes.sort("child_id", "referral_date").with_columns(
        next_referral=pl.col("referral_date").shift(-1).over("child_id")
    )
    overlapping = episodes.filter(
        pl.col("next_referral").is_not_null()
        & (pl.col("closure_date").is_null() | (pl.col("closure_date") >= pl.col("next_referral")))
    )
    assert overlapping.height == 0
    assert record.s47.filter(pl.col("completed_date") < pl.col("start_date")).height == 0
    assert record.assessments.filter(pl.col("authorised_date") < pl.col("start_date")).height == 0
    assert record.cin_plans.filter(pl.col("end_date") < pl.col("start_date")).height == 0


def test_nothing_is_held_after_today_and_booked_conferences_are_in_the_next_four_weeks(
    authority: SyntheticAuthority,
) -> None:
    record, today = authority.record, authority.today
    assert record.conferences.get_column("held_date").max() <= today
    booked = record.conferences.filter(pl.col("held_date").is_null())
    assert booked.height > 0
    assert (
        booked.filter(
            (pl.col("scheduled_date") <= today) | (pl.col("scheduled_date") > today + dt.timedelta(days=28))
        ).height
        == 0
    )
    assert booked.get_column("outcome").null_count() == booked.height
    assert record.plans.get_column("start_date").max() <= today
    assert record.plans.get_column("end_date").max() <= today


def test_every_code_is_a_known_code(authority: SyntheticAuthority) -> None:
    record = authority.record
    checks = [
        (record.children, "ethnicity", codes.ETHNICITY),
        (record.children, "sex", codes.SEX),
        (record.children, "upn_unknown", codes.UPN_UNKNOWN),
        (record.episodes, "referral_source", codes.REFERRAL_SOURCE),
        (record.episodes, "primary_need", codes.PRIMARY_NEED),
        (record.episodes, "closure_reason", codes.REASON_FOR_CLOSURE),
        (record.plans, "end_reason", codes.PLAN_END_REASON),
        (record.plans, "latest_category", codes.CATEGORY),
        (record.conferences, "conference_type", codes.CONFERENCE_TYPE),
        (record.conferences, "outcome", codes.CONFERENCE_OUTCOME),
        (record.conferences, "late_reason", codes.LATE_REASON),
        (record.conferences, "participation_code", codes.PARTICIPATION),
        (record.conferences, "report_grade", codes.REPORT_GRADE),
        (record.attendance, "agency", codes.AGENCY),
        (record.concern_notes, "kind", codes.CONCERN_NOTE_KIND),
    ]
    for frame, column, known in checks:
        assert set(frame.get_column(column).drop_nulls().unique()) <= set(known), column
    for frame, column, known in [
        (record.children, "disabilities", codes.DISABILITY),
        (record.assessments, "factors", codes.ASSESSMENT_FACTOR),
        (record.plans, "initial_categories", codes.SINGLE_CATEGORIES),
        (record.escalations, "reasons", codes.ESCALATION_REASON),
        (record.escalations, "onward_reasons", codes.ESCALATION_ONWARD_REASON),
    ]:
        assert set(frame.get_column(column).explode().drop_nulls().unique()) <= set(known), column


def test_participation_codes_follow_the_childs_age(authority: SyntheticAuthority) -> None:
    record = authority.record
    held = record.conferences.filter(pl.col("held_date").is_not_null()).join(
        record.children.select("child_id", "date_of_birth"), on="child_id"
    )
    # A child under 4 (or not yet born) on the day is PN0; no one 4 or over is.
    age_days = (pl.col("held_date") - pl.col("date_of_birth")).dt.total_days()
    babies = held.filter(pl.col("date_of_birth").is_null() | (age_days < 3 * 365))
    assert (babies.get_column("participation_code") == "PN0").all()
    older = held.filter(age_days > 5 * 365)
    assert (older.get_column("participation_code") != "PN0").all()


def test_names_are_clearly_fake_and_ids_fit_the_census(authority: SyntheticAuthority) -> None:
    children = authority.record.children
    assert children.get_column("last_name").str.ends_with("(fake)").all()
    assert authority.staff.get_column("name").str.ends_with("(fake)").all()
    assert authority.family_members.get_column("name").str.ends_with("(fake)").all()
    assert authority.staff.get_column("name").is_unique().all()
    ids = children.get_column("child_id")
    assert ids.is_unique().all()
    # CIN rules 1570 and 1580: at most 20 characters, letters and digits only.
    assert ids.str.contains(r"^[A-Za-z0-9]{1,20}$").all()


def test_the_service_matches_the_seed_report(authority: SyntheticAuthority) -> None:
    staff = authority.staff
    chairs = staff.filter(pl.col("role") == "chair")
    # Seed 1b: 7.5 FTE chairs, 5 of them permanent, the rest part-time locums; one QA manager.
    assert chairs.get_column("fte").sum() == pytest.approx(7.5)
    assert chairs.filter(pl.col("contract_type") == "permanent").height == 5
    assert staff.filter(pl.col("role") == "qa_manager").height == 1
    teams = authority.teams
    assert set(teams.get_column("service")) == {"Assessment", "Care planning", "Permanence"}
    assert teams.height == 12
    assert set(teams.get_column("linked_chair_id")) <= set(chairs.get_column("staff_id"))
