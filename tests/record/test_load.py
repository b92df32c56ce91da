"""Loading a record's tables into the database: all or nothing, and the same record twice changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from cpqa.cli import main
from cpqa.domain.tables import Record
from cpqa.record import models as m
from cpqa.record.errors import RecordError
from cpqa.record.load import IMPORT_USERNAME, load_record, load_synthetic_authority
from cpqa.record.selectors import record_tables
from cpqa.synthetic import SyntheticAuthority, generate_authority
from cpqa.synthetic.commands import ensure_demo_data

D = dt.date
# Two fake siblings. 2017-02-01 is a Wednesday; 2017-04-27 a Thursday; 2017-08-03 a Thursday.
ICPC_DAY = D(2017, 2, 1)
REVIEW_DAY = D(2017, 4, 27)


def _tables() -> dict[str, pl.DataFrame]:
    return {
        "children": pl.DataFrame(
            {
                "child_id": ["TESTA1", "TESTB2"],
                "family_id": ["TESTFAM1", "TESTFAM1"],
                "first_name": ["Alpha", "Bravo"],
                "last_name": ["Testfamily (fake)", "Testfamily (fake)"],
                "sex": ["F", "M"],
                "date_of_birth": [D(2012, 5, 1), D(2014, 7, 9)],
                "ethnicity": ["WBRI", "WBRI"],
                "disabilities": [["NONE"], ["NONE"]],
            }
        ),
        "episodes": pl.DataFrame(
            {
                "episode_id": ["E1", "E2"],
                "child_id": ["TESTA1", "TESTB2"],
                "referral_date": [D(2017, 1, 9), D(2017, 1, 9)],
                "referral_source": ["6", "6"],
                "primary_need": ["N1", "N1"],
            }
        ),
        "s47": pl.DataFrame(
            {
                "s47_id": ["S1", "S2"],
                "episode_id": ["E1", "E2"],
                "child_id": ["TESTA1", "TESTB2"],
                "start_date": [D(2017, 1, 10), D(2017, 1, 10)],
                "icpc_not_required": [False, False],
            }
        ),
        "plans": pl.DataFrame(
            {
                "plan_id": ["P1", "P2"],
                "episode_id": ["E1", "E2"],
                "child_id": ["TESTA1", "TESTB2"],
                "start_date": [ICPC_DAY, ICPC_DAY],
                "end_date": [None, REVIEW_DAY],
                "end_reason": [None, "stepped_down_cin"],
                "initial_categories": [["NEG"], ["EMO", "NEG"]],
                "latest_categories": [["NEG"], ["EMO", "NEG"]],
            },
            schema_overrides={"end_date": pl.Date, "end_reason": pl.String},
        ),
        "conferences": pl.DataFrame(
            {
                "conference_id": ["C1", "C2", "C3", "C4"],
                "meeting_id": ["M1", "M1", "M2", "M2"],
                "child_id": ["TESTA1", "TESTB2", "TESTA1", "TESTB2"],
                "conference_type": ["initial", "initial", "review", "review"],
                "held_date": [ICPC_DAY, ICPC_DAY, REVIEW_DAY, REVIEW_DAY],
                "scheduled_date": [ICPC_DAY, ICPC_DAY, REVIEW_DAY, REVIEW_DAY],
                "s47_id": ["S1", "S2", None, None],
                "plan_id": ["P1", "P2", "P1", "P2"],
                "outcome": ["plan", "plan", "plan_continued", "plan_ended"],
            }
        ),
        "attendance": pl.DataFrame(
            {
                "meeting_id": ["M1", "M1", "M2"],
                "agency": ["social_care", "police", "social_care"],
                "invited": [True, True, True],
                "attended": [True, False, True],
                "report_submitted": [True, True, False],
            }
        ),
    }


def _record(**changed: pl.DataFrame) -> Record:
    return Record.of(source="database", **{**_tables(), **changed})


def _nothing_written() -> bool:
    return not any(
        model.objects.exists() for model in (m.Child, m.Family, m.Referral, m.Plan, m.Conference, m.Invitee)
    )


@pytest.mark.django_db
def test_every_row_is_written_once_and_a_second_load_changes_nothing() -> None:
    """Two children, two plans, an initial conference and a review for both: 4 conferences per child."""
    first = load_record(_record())
    assert (first.children_added, first.plans_added, first.conferences_added, first.reviews_added) == (
        2,
        2,
        4,
        2,
    )
    assert m.Child.objects.count() == 2
    assert m.Conference.objects.count() == 2  # two meetings, each about both siblings
    assert m.ConferenceSubject.objects.count() == 4
    assert m.Invitee.objects.count() == 3
    bravo = m.Plan.objects.get(child__local_id="TESTB2")
    assert (bravo.initial_categories, bravo.initial_category) == ("EMO+NEG", "MUL")
    assert m.Child.objects.get(local_id="TESTA1").family.reference == "TESTFAM1"

    again = load_record(_record())
    assert not again.changed_anything
    assert (again.children_added, again.children_updated, again.conferences_added, again.reviews_updated) == (
        0,
        0,
        0,
        0,
    )
    assert m.ConferenceSubject.objects.count() == 4


@pytest.mark.django_db
def test_a_later_years_record_updates_the_same_child() -> None:
    """Year one: Alpha's plan is open after her initial conference. Year two: a review ends it."""
    year_one = _tables()
    for name in ("children", "episodes", "s47", "plans"):
        year_one[name] = year_one[name].filter(pl.col("child_id") == "TESTA1")
    year_one["conferences"] = year_one["conferences"].filter(pl.col("conference_id") == "C1")
    year_one["attendance"] = year_one["attendance"].filter(pl.col("meeting_id") == "M1")
    load_record(Record.of(**year_one))

    year_two = {name: frame for name, frame in year_one.items()}
    ended = D(2017, 8, 3)
    year_two["plans"] = year_one["plans"].with_columns(
        end_date=pl.lit(ended), end_reason=pl.lit("stepped_down_cin")
    )
    review = year_one["conferences"].with_columns(
        conference_id=pl.lit("C9"),
        meeting_id=pl.lit("M9"),
        conference_type=pl.lit("review"),
        held_date=pl.lit(ended),
        scheduled_date=pl.lit(ended),
        s47_id=pl.lit(None, pl.String),
        outcome=pl.lit("plan_ended"),
    )
    year_two["conferences"] = pl.concat([year_one["conferences"], review])
    summary = load_record(Record.of(**year_two))

    assert (summary.children_added, summary.plans_added, summary.plans_updated) == (0, 0, 1)
    assert (summary.reviews_added, summary.conferences_added) == (1, 1)
    plan = m.Plan.objects.get()
    assert (plan.end_date, plan.end_reason) == (ended, "stepped_down_cin")
    assert m.Child.objects.count() == 1


def _changed(table: str, id_column: str, row_id: str, **values: Any) -> pl.DataFrame:
    """The hand-made table with one row's values replaced."""
    frame = _tables()[table]
    return frame.with_columns(
        pl.when(pl.col(id_column) == row_id).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
        for column, value in values.items()
    )


def _with_bravo_plan(**values: Any) -> pl.DataFrame:
    return _changed("plans", "child_id", "TESTB2", **values)


def _bravo_review_on(day: dt.date) -> pl.DataFrame:
    # A meeting of its own, as Alpha's review keeps its day.
    return _changed("conferences", "conference_id", "C4", held_date=day, scheduled_date=day, meeting_id="M3")


def _second_open_plan() -> pl.DataFrame:
    plans = _tables()["plans"].with_columns(
        end_date=pl.lit(None, pl.Date), end_reason=pl.lit(None, pl.String)
    )
    extra = plans.filter(pl.col("child_id") == "TESTB2").with_columns(
        plan_id=pl.lit("P3"), start_date=pl.lit(D(2017, 3, 1))
    )
    return pl.concat([plans, extra])


def _overlapping_plan() -> pl.DataFrame:
    plans = _tables()["plans"]
    extra = plans.filter(pl.col("child_id") == "TESTB2").with_columns(
        plan_id=pl.lit("P3"), start_date=pl.lit(D(2017, 3, 1)), end_date=pl.lit(D(2017, 9, 1))
    )
    return pl.concat([plans, extra])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changed, field",
    [
        # Bravo's plan "ends" on 15 January, before it starts on 1 February.
        ({"plans": _with_bravo_plan(end_date=D(2017, 1, 15))}, "end_date"),
        # Bravo's review on 20 January, before his plan starts on 1 February.
        ({"conferences": _bravo_review_on(D(2017, 1, 20))}, "plan"),
        # An ethnicity code that is not a DfE code.
        ({"children": _changed("children", "child_id", "TESTB2", ethnicity="ZZZZ")}, "ethnicity"),
        # A category of abuse that does not exist.
        ({"plans": _with_bravo_plan(initial_categories=["NEG", "QQQ"])}, "initial_categories"),
        # A second plan for Bravo while the first is open, and one starting before the first ends.
        ({"plans": _second_open_plan()}, "second open plan"),
        ({"plans": _overlapping_plan()}, "before the plan from 2017-02-01 ends"),
        # An outcome that is not one of the outcome codes.
        ({"conferences": _changed("conferences", "conference_id", "C4", outcome="maybe")}, "outcome"),
    ],
)
def test_a_bad_row_refuses_the_whole_record_naming_the_child_and_field(changed: dict, field: str) -> None:
    """Alpha's rows are fine; one of Bravo's is not: nothing at all is written, Bravo is named."""
    with pytest.raises(RecordError) as refused:
        load_record(_record(**changed))
    message = str(refused.value)
    assert "child TESTB2" in message
    assert field in message
    assert "Bravo" not in message and "Testfamily" not in message  # ids, never names
    assert _nothing_written()


@pytest.mark.django_db
def test_a_bad_record_leaves_what_was_there_untouched() -> None:
    """A good load, then a bad one: the database is as the good load left it."""
    load_record(_record())
    with pytest.raises(RecordError, match="child TESTB2"):
        load_record(_record(plans=_with_bravo_plan(end_date=D(2017, 1, 15))))
    assert m.Plan.objects.get(child__local_id="TESTB2").end_date == REVIEW_DAY


@pytest.mark.django_db
def test_a_source_without_names_or_families_keeps_those_recorded() -> None:
    """A CIN census file has no names or families: loading one after the service's record blanks neither."""
    load_record(_record())
    children = _tables()["children"].with_columns(
        first_name=pl.lit(None, pl.String),
        last_name=pl.lit(None, pl.String),
        family_id=pl.lit(None, pl.String),
    )
    summary = load_record(_record(children=children))
    assert summary.children_updated == 0
    alpha = m.Child.objects.get(local_id="TESTA1")
    assert (alpha.first_name, alpha.family.reference) == ("Alpha", "TESTFAM1")


@pytest.mark.django_db
def test_a_chair_the_database_does_not_know_is_refused() -> None:
    conferences = _tables()["conferences"].with_columns(chair_id=pl.lit("999999"))
    with pytest.raises(RecordError, match="chair_id '999999' is not a member of staff"):
        load_record(_record(conferences=conferences))
    assert _nothing_written()


@pytest.fixture(scope="module")
def small_authority() -> SyntheticAuthority:
    return generate_authority(seed=5, children_on_plan=40)


@pytest.mark.django_db
def test_a_small_synthetic_authority_loads_whole_and_reads_back_the_same(
    small_authority: SyntheticAuthority,
) -> None:
    authority = small_authority
    record = authority.record
    calls: list[tuple[str, int, int]] = []
    summary = load_synthetic_authority(
        authority, progress=lambda stage, done, total: calls.append((stage, done, total))
    )

    assert summary.children_added == record.children.height == m.Child.objects.count()
    assert summary.plans_added == record.plans.height == m.Plan.objects.count()
    assert summary.conferences_added == record.conferences.height == m.ConferenceSubject.objects.count()
    reviews = record.conferences.filter(pl.col("conference_type") == "review").height
    assert summary.reviews_added == reviews
    assert m.Conference.objects.count() == record.conferences.get_column("meeting_id").n_unique()
    assert m.Invitee.objects.count() == record.attendance.height
    assert m.StaffMember.objects.count() == authority.staff.height
    assert not m.Team.objects.filter(linked_chair__isnull=True).exists()
    assert (
        m.Rearrangement.objects.count()
        == record.conferences.group_by("meeting_id")
        .agg(pl.col("rearrangements").first())
        .get_column("rearrangements")
        .sum()
    )
    assert ("conferences", record.conferences.height, record.conferences.height) in calls

    back = record_tables()
    by_type = record.conferences.group_by("conference_type").len().sort("conference_type")
    assert back.conferences.group_by("conference_type").len().sort("conference_type").equals(by_type)
    assert (
        back.plans.get_column("initial_category")
        .sort()
        .equals(record.plans.get_column("initial_category").sort())
    )

    assert not load_synthetic_authority(authority).changed_anything


@pytest.mark.django_db
def test_the_qa_tables_go_into_the_oversight_models(small_authority: SyntheticAuthority) -> None:
    from django.apps import apps

    summary = load_synthetic_authority(small_authority)
    record = small_authority.record
    escalation = apps.get_model("oversight", "Escalation")
    assert escalation.objects.count() == record.escalations.height
    assert apps.get_model("oversight", "ConcernNote").objects.count() == record.concern_notes.height
    assert (
        apps.get_model("oversight", "RepeatPlanReview").objects.count() == record.repeat_plan_reviews.height
    )
    assert apps.get_model("oversight", "MidwayReview").objects.count() == record.midway_reviews.height
    assert not summary.skipped
    # The oversight services record the import as the writer: an account that cannot sign in.
    from cpqa.accounts.models import User

    writer = User.objects.get(username=IMPORT_USERNAME)
    assert not writer.is_active and not writer.has_usable_password()


@pytest.mark.django_db
def test_demo_data_is_loaded_only_into_an_empty_database() -> None:
    load_record(_record())
    assert ensure_demo_data() is None
    assert m.Child.objects.count() == 2


@pytest.mark.django_db
def test_cpqa_generate_loads_and_reports_then_changes_nothing(capsys: Any) -> None:
    assert main(["generate", "--children-on-plan", "25", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    children = m.Child.objects.count()
    assert f"children: {children:,} added, 0 updated" in out
    assert main(["generate", "--children-on-plan", "25", "--seed", "4"]) == 0
    assert "children: 0 added, 0 updated" in capsys.readouterr().out
    assert m.Child.objects.count() == children


def test_cpqa_generate_refuses_a_malformed_year(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["generate", "--years", "2017-19"])
    assert exited.value.code == 2
    assert "the second year must follow the first" in capsys.readouterr().err
