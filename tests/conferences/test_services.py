"""Booking, running and recording conferences, with dates worked out by hand.

Calendar facts used below (England): Good Friday 30 March 2018, Easter Monday 2 April 2018,
early May bank holiday Monday 7 May 2018, spring bank holiday Monday 28 May 2018.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cpqa.accounts.models import Role
from cpqa.conferences import running
from cpqa.conferences import services as svc
from cpqa.domain import codes
from cpqa.domain.config import AuthorityConfig, ParticipationAges, QuoracyRule
from cpqa.record import models as m
from cpqa.record import services as record_services
from cpqa.record.errors import RecordError
from cpqa.record.models import RecordChange
from tests.conferences import builders as b

D = dt.date
pytestmark = pytest.mark.django_db

# Strategy discussion Monday 19 March 2018. Counting 15 working days from the next day:
# 20,21,22,23 (4), 26,27,28,29 (8), [30 Mar Good Friday, 2 Apr Easter Monday], 3,4,5,6 (12),
# 9,10,11 (15): the initial conference is due Wednesday 11 April 2018.
DISCUSSION = D(2018, 3, 19)
ICPC_DUE = D(2018, 4, 11)


@pytest.fixture
def support() -> m.Model:
    return b.user(Role.BUSINESS_SUPPORT)


@pytest.fixture
def chair_user() -> m.Model:
    return b.user(Role.CHAIR)


def _book_icpc(
    by: object, local_id: str = "FAKE-C1", on: dt.date | None = None, **kwargs: object
) -> m.Conference:
    """An initial conference booked for the day before it is due, unless `on` says otherwise."""
    on = on or D(2018, 4, 10)
    kid = b.child(local_id, of_family=kwargs.pop("of_family", None))
    return svc.do_book_initial_conference(
        section47=b.enquiry(kid, DISCUSSION), scheduled_date=on, by=by, **kwargs
    )


def _attend(conference: m.Conference, by: object, **agencies: str) -> bool:
    """Invite the agencies named and record each one's attendance."""
    svc.do_choose_invitees(conference=conference, agencies=list(agencies), by=by)
    entries = {
        invitee.pk: running.InviteeAttendance(attendance=agencies.get(invitee.agency, "attended"))
        for invitee in conference.invitees.all()
    }
    return running.do_record_attendance(conference=conference, entries=entries, by=by)


# --- Booking ------------------------------------------------------------------------------------


def test_initial_conference_due_fifteen_working_days_after_the_strategy_discussion(support: object) -> None:
    conference = _book_icpc(support)
    assert conference.conference_type == "initial"
    assert conference.due_date == ICPC_DUE
    assert conference.late_reason == ""
    # Children's social care convenes, so it is always invited.
    assert list(conference.invitees.values_list("agency", flat=True)) == ["social_care"]
    change = RecordChange.objects.get(action="book_initial_conference")
    assert (change.username, change.object_id) == ("fake-business_support", str(conference.pk))


def test_booking_after_the_due_date_needs_a_late_reason_from_the_list(support: object) -> None:
    """Thursday 12 April is the day after the due date: refused without a reason."""
    kid = b.child("FAKE-C2")
    enquiry = b.enquiry(kid, DISCUSSION)
    with pytest.raises(ValidationError) as refused:
        svc.do_book_initial_conference(section47=enquiry, scheduled_date=D(2018, 4, 12), by=support)
    assert "late_reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        svc.do_book_initial_conference(
            section47=enquiry, scheduled_date=D(2018, 4, 12), late_reason="felt_like_it", by=support
        )
    assert "late_reason" in unknown.value.message_dict
    assert not m.Conference.objects.exists()
    late = svc.do_book_initial_conference(
        section47=enquiry, scheduled_date=D(2018, 4, 12), late_reason="late_notification", by=support
    )
    assert (late.due_date, late.late_reason) == (ICPC_DUE, "late_notification")


def test_booking_on_a_bank_holiday_is_refused(support: object) -> None:
    kid = b.child("FAKE-C3")
    with pytest.raises(ValidationError, match="not a working day") as refused:
        svc.do_book_initial_conference(
            section47=b.enquiry(kid, DISCUSSION), scheduled_date=D(2018, 4, 2), by=support
        )
    assert "scheduled_date" in refused.value.message_dict


def test_unborn_child_gets_a_prebirth_conference(support: object) -> None:
    """Expected 30 June 2018 and not yet born on 10 April: a pre-birth initial conference.

    The local pre-birth target is 70 days before the expected delivery: 30 June less 70 days
    is 21 April 2018 (30 days of June, 31 of May, 9 more back from 30 April).
    """
    unborn = b.child("FAKE-U1", born=None, expected=D(2018, 6, 30))
    conference = svc.do_book_initial_conference(
        section47=b.enquiry(unborn, DISCUSSION), scheduled_date=D(2018, 4, 10), by=support
    )
    assert conference.conference_type == "prebirth"
    assert conference.due_date == ICPC_DUE
    assert svc.prebirth_target_for(unborn) == D(2018, 4, 21)


def test_siblings_join_with_their_own_enquiry_and_strangers_are_refused(support: object) -> None:
    household = b.family()
    older = b.child("FAKE-S1", of_family=household)
    younger = b.child("FAKE-S2", born=D(2016, 2, 1), of_family=household)
    younger_enquiry = b.enquiry(younger, DISCUSSION)
    stranger = b.child("FAKE-S3", of_family=b.family("FAM-FAKE-2"))
    enquiry = b.enquiry(older, DISCUSSION)
    with pytest.raises(ValidationError, match="FAKE-S3 is not of the same family") as refused:
        svc.do_book_initial_conference(
            section47=enquiry, scheduled_date=D(2018, 4, 10), siblings=[younger, stranger], by=support
        )
    assert "siblings" in refused.value.message_dict
    assert not m.Conference.objects.exists()
    conference = svc.do_book_initial_conference(
        section47=enquiry, scheduled_date=D(2018, 4, 10), siblings=[younger], by=support
    )
    by_child = {s.child.local_id: s.section47_id for s in conference.subjects.all()}
    assert by_child == {"FAKE-S1": enquiry.pk, "FAKE-S2": younger_enquiry.pk}


def test_an_enquiry_is_booked_once_unless_the_booking_is_cancelled(support: object) -> None:
    conference = _book_icpc(support)
    enquiry = conference.subjects.get().section47
    with pytest.raises(RecordError, match="already booked"):
        svc.do_book_initial_conference(section47=enquiry, scheduled_date=D(2018, 4, 9), by=support)
    svc.do_cancel_conference(conference=conference, by=support, reason="not_needed")
    again = svc.do_book_initial_conference(section47=enquiry, scheduled_date=D(2018, 4, 9), by=support)
    assert again.due_date == ICPC_DUE


def test_initial_conference_for_a_child_already_on_a_plan_is_refused(support: object) -> None:
    kid = b.child("FAKE-C4")
    b.plan(kid, D(2017, 11, 1))
    with pytest.raises(RecordError, match="FAKE-C4 is already on a plan"):
        svc.do_book_initial_conference(
            section47=b.enquiry(kid, DISCUSSION), scheduled_date=D(2018, 4, 10), by=support
        )


def test_review_due_three_months_after_the_plan_then_six_after_each_review(
    support: object, chair_user: object
) -> None:
    """Plan from 11 April 2018: first review due 11 July 2018. Held 10 July: next due 10 January 2019."""
    plan = b.plan(b.child("FAKE-V1"), ICPC_DUE)
    first = svc.do_book_review_conference(plan=plan, scheduled_date=D(2018, 7, 10), by=support)
    assert first.due_date == D(2018, 7, 11)
    result = running.do_record_outcome(
        conference=first, child=plan.child, outcome="plan_continued", held_date=D(2018, 7, 10), by=chair_user
    )
    assert result.next_review_due == D(2019, 1, 10)
    assert result.first_core_group_due is None
    second = svc.do_book_review_conference(plan=plan, scheduled_date=D(2019, 1, 8), by=support)
    assert second.due_date == D(2019, 1, 10)


def test_review_before_its_plan_is_refused(support: object) -> None:
    plan = b.plan(b.child("FAKE-V2"), ICPC_DUE)
    for day in (ICPC_DUE, D(2018, 4, 10)):
        with pytest.raises(ValidationError, match="must come after the start") as refused:
            svc.do_book_review_conference(plan=plan, scheduled_date=day, by=support)
        assert "scheduled_date" in refused.value.message_dict
    assert not m.Conference.objects.exists()


def test_review_of_an_ended_plan_or_a_second_review_is_refused(support: object) -> None:
    plan = b.plan(b.child("FAKE-V3"), ICPC_DUE)
    svc.do_book_review_conference(plan=plan, scheduled_date=D(2018, 7, 10), by=support)
    with pytest.raises(RecordError, match="already booked"):
        svc.do_book_review_conference(plan=plan, scheduled_date=D(2018, 7, 9), by=support)
    ended = b.plan(b.child("FAKE-V4"), D(2017, 1, 10))
    record_services.do_end_plan(
        plan=ended, end_date=D(2018, 1, 10), end_reason="stepped_down_cin", by=support
    )
    with pytest.raises(RecordError, match="ended on 10 January 2018"):
        svc.do_book_review_conference(plan=ended, scheduled_date=D(2018, 7, 10), by=support)


def test_transfer_in_due_fifteen_working_days_after_the_notification(support: object) -> None:
    """Notified Friday 4 May 2018. Skipping 7 May and 28 May (bank holidays): 8-11 May (4),
    14-18 (9), 21-25 (14), 29 May (15): due Tuesday 29 May 2018."""
    kid = b.child("FAKE-T1")
    notification = record_services.do_record_transfer_in_notification(
        child=kid, from_authority="Elsewhere Council (fake)", received_date=D(2018, 5, 4), by=support
    )
    conference = svc.do_book_transfer_in_conference(
        notification=notification, scheduled_date=D(2018, 5, 24), by=support
    )
    assert (conference.conference_type, conference.due_date) == ("transfer_in", D(2018, 5, 29))
    with pytest.raises(RecordError, match="already booked"):
        svc.do_book_transfer_in_conference(
            notification=notification, scheduled_date=D(2018, 5, 25), by=support
        )


def test_chair_and_minute_taker_allocation_checks_their_roles(support: object) -> None:
    conference = _book_icpc(support)
    chair = b.chair()
    minutes = b.minute_taker()
    with pytest.raises(ValidationError) as refused:
        svc.do_allocate_conference_staff(conference=conference, chair=minutes, by=support)
    assert "chair" in refused.value.message_dict
    with pytest.raises(ValidationError):
        svc.do_allocate_conference_staff(
            conference=conference, chair=b.chair("Old Fakechair", active=False), by=support
        )
    svc.do_allocate_conference_staff(conference=conference, chair=chair, minute_taker=minutes, by=support)
    conference.refresh_from_db()
    assert (conference.chair, conference.minute_taker) == (chair, minutes)


def test_invitees_by_agency_and_the_family_members(support: object) -> None:
    household = b.family()
    mother = m.FamilyMember.objects.create(family=household, name="Parent Fakeperson", relationship="mother")
    outsider = m.FamilyMember.objects.create(
        family=b.family("FAM-FAKE-2"), name="Other Fakeperson", relationship="father"
    )
    conference = _book_icpc(support, of_family=household)
    with pytest.raises(ValidationError) as unknown:
        svc.do_choose_invitees(conference=conference, agencies=["police", "circus"], by=support)
    assert "circus" in unknown.value.message_dict["agencies"][0]
    with pytest.raises(ValidationError) as stranger:
        svc.do_choose_invitees(conference=conference, family_members=[outsider], by=support)
    assert "family_members" in stranger.value.message_dict
    svc.do_choose_invitees(
        conference=conference, agencies=["police", "school"], family_members=[mother], by=support
    )
    svc.do_choose_invitees(
        conference=conference, agencies=["police", "gp"], family_members=[mother], by=support
    )
    invited = sorted((i.agency, i.family_member_id) for i in conference.invitees.all())
    assert invited == [("", mother.pk), ("gp", None), ("police", None), ("social_care", None)]


def test_rearranging_keeps_the_due_date_and_records_the_reason(support: object) -> None:
    """Booked 10 April (due 11 April); inquorate, moved to Monday 16 April: late, for that reason."""
    conference = _book_icpc(support)
    with pytest.raises(ValidationError) as no_reason:
        svc.do_rearrange_conference(conference=conference, to_date=D(2018, 4, 16), reason="", by=support)
    assert "reason" in no_reason.value.message_dict
    svc.do_rearrange_conference(
        conference=conference, to_date=D(2018, 4, 16), reason="rearranged_inquorate", by=support
    )
    conference.refresh_from_db()
    assert (conference.due_date, conference.scheduled_date) == (ICPC_DUE, D(2018, 4, 16))
    assert conference.late_reason == "rearranged_inquorate"
    moved = conference.rearrangements.get()
    assert (moved.from_date, moved.to_date, moved.reason, moved.recorded_by) == (
        D(2018, 4, 10),
        D(2018, 4, 16),
        "rearranged_inquorate",
        support,
    )
    # Moved back within time, the conference is no longer late.
    svc.do_rearrange_conference(conference=conference, to_date=D(2018, 4, 11), reason="other", by=support)
    conference.refresh_from_db()
    assert (conference.due_date, conference.late_reason, conference.rearrangements.count()) == (
        ICPC_DUE,
        "",
        2,
    )


# --- The conference -------------------------------------------------------------------------


def test_quoracy_follows_the_configured_rule(support: object) -> None:
    """Social care + police attend, school sends apologies: one other agency, so not quorate
    under the default (two others); quorate under a rule asking for one."""
    conference = _book_icpc(support)
    assert (
        _attend(conference, support, social_care="attended", police="attended", school="apologies") is False
    )
    conference.refresh_from_db()
    assert conference.quorate is False
    lenient = AuthorityConfig(quoracy=QuoracyRule(other_agencies_required=1))
    assert svc.is_quorate(conference, lenient) is True
    school = conference.invitees.get(agency="school")
    assert (
        running.do_record_attendance(
            conference=conference,
            entries={
                school.pk: running.InviteeAttendance(
                    "attended", report_submitted=True, report_shared_in_time=True
                )
            },
            by=support,
        )
        is True
    )


def test_attendance_with_an_unknown_answer_or_a_stranger_is_refused(support: object) -> None:
    conference = _book_icpc(support)
    social_care = conference.invitees.get()
    with pytest.raises(ValidationError):
        running.do_record_attendance(
            conference=conference, entries={social_care.pk: running.InviteeAttendance("maybe")}, by=support
        )
    with pytest.raises(ValidationError, match="not invited"):
        running.do_record_attendance(
            conference=conference,
            entries={social_care.pk + 999: running.InviteeAttendance("attended")},
            by=support,
        )
    with pytest.raises(ValidationError, match="none was submitted"):
        running.do_record_attendance(
            conference=conference,
            entries={social_care.pk: running.InviteeAttendance("attended", report_shared_in_time=True)},
            by=support,
        )
    social_care.refresh_from_db()
    assert social_care.attendance == ""


def test_participation_questions_follow_the_configured_ages(support: object, chair_user: object) -> None:
    """Born 12 April 2010: aged 7 on 11 April 2018 (no booklet question), 8 on 12 April."""
    kid = b.child("FAKE-A1", born=D(2010, 4, 12))
    conference = svc.do_book_initial_conference(
        section47=b.enquiry(kid, DISCUSSION), scheduled_date=ICPC_DUE, by=support
    )
    subject = conference.subjects.get()
    questions = svc.participation_questions(kid, ICPC_DUE)
    assert (questions.age, questions.booklet, questions.advocate) == (7, False, False)
    with pytest.raises(ValidationError) as refused:
        running.do_record_participation(
            subject=subject, participation_code="PN6", booklet_completed=True, by=chair_user
        )
    assert "booklet_completed" in refused.value.message_dict
    assert svc.participation_questions(kid, D(2018, 4, 12)).booklet is True
    # An authority that offers booklets from 7 asks the question of this child.
    from_seven = AuthorityConfig(participation=ParticipationAges(booklet_from=7))
    running.do_record_participation(
        subject=subject, participation_code="PN6", booklet_completed=True, by=chair_user, config=from_seven
    )
    subject.refresh_from_db()
    assert (subject.participation_code, subject.booklet_completed, subject.advocate_used) == (
        "PN6",
        True,
        None,
    )


def test_pn0_only_for_a_child_under_four(support: object, chair_user: object) -> None:
    """Born 1 June 2014: 3 on 10 April 2018, so PN0 and nothing else; a 7-year-old cannot be PN0."""
    household = b.family()
    toddler = b.child("FAKE-A2", born=D(2014, 6, 1), of_family=household)
    older = b.child("FAKE-A3", born=D(2010, 6, 1), of_family=household)
    conference = svc.do_book_initial_conference(
        section47=b.enquiry(toddler, DISCUSSION), scheduled_date=D(2018, 4, 10), siblings=[older], by=support
    )
    young, old = conference.subjects.get(child=toddler), conference.subjects.get(child=older)
    with pytest.raises(ValidationError) as too_young:
        running.do_record_participation(subject=young, participation_code="PN1", by=chair_user)
    assert too_young.value.message_dict["participation_code"] == [
        "This child is 3, so they cannot attend and speak for themselves"
    ]
    # Born 1 June 2010: 7 on 10 April 2018.
    with pytest.raises(ValidationError) as not_too_young:
        running.do_record_participation(subject=old, participation_code="PN0", by=chair_user)
    too_young_label = codes.PARTICIPATION["PN0"]
    assert not_too_young.value.message_dict["participation_code"] == [
        f'This child is 7: "{too_young_label}" is only for children under 4. Select how their voice was heard'
    ]
    with pytest.raises(ValidationError) as unknown:
        running.do_record_participation(subject=old, participation_code="PN9", by=chair_user)
    assert "participation_code" in unknown.value.message_dict
    running.do_record_participation(subject=young, participation_code="PN0", by=chair_user)


def test_the_four_domains_are_recorded_in_order(support: object, chair_user: object) -> None:
    conference = _book_icpc(support)
    running.do_record_domains(
        conference=conference,
        working_well=" School attendance good ",
        worries="Fake worry",
        childs_voice="Fake voice",
        needs_to_happen="Fake next steps",
        by=chair_user,
    )
    conference.refresh_from_db()
    assert [getattr(conference, f) for f in running.DOMAIN_FIELDS] == [
        "School attendance good",
        "Fake worry",
        "Fake voice",
        "Fake next steps",
    ]


# --- Outcomes ------------------------------------------------------------------------------------


def test_initial_outcome_plan_starts_the_plan_with_next_dates(support: object, chair_user: object) -> None:
    """Held Wednesday 11 April 2018 (on time). First review: 11 July 2018 (+3 months).
    First core group, 10 working days: 12,13 (2), 16-20 (7), 23,24,25 (10): 25 April 2018."""
    conference = _book_icpc(support, on=ICPC_DUE)
    _attend(conference, support, social_care="attended", police="attended", school="attended")
    kid = conference.subjects.get().child
    result = running.do_record_outcome(
        conference=conference,
        child=kid,
        outcome="plan",
        held_date=ICPC_DUE,
        categories=["NEG", "EMO"],
        by=chair_user,
    )
    assert (result.next_review_due, result.first_core_group_due, result.quorate) == (
        D(2018, 7, 11),
        D(2018, 4, 25),
        True,
    )
    plan = kid.plans.get()
    assert (plan.start_date, plan.initial_categories, plan.initial_category, plan.from_other_authority) == (
        ICPC_DUE,
        "EMO+NEG",
        "MUL",
        False,
    )
    assert plan.referral == conference.subjects.get().section47.referral
    assert list(plan.core_groups.values_list("due_date", flat=True)) == [D(2018, 4, 25)]
    conference.refresh_from_db()
    assert (conference.held_date, conference.quorate) == (ICPC_DUE, True)
    subject = conference.subjects.get()
    assert (subject.outcome, subject.plan) == ("plan", plan)
    assert svc.next_dates_for(subject) == svc.NextDates(D(2018, 7, 11), D(2018, 4, 25))


def test_initial_outcome_no_plan_leaves_no_plan(support: object, chair_user: object) -> None:
    conference = _book_icpc(support, on=ICPC_DUE)
    kid = conference.subjects.get().child
    result = running.do_record_outcome(
        conference=conference, child=kid, outcome="no_plan", held_date=ICPC_DUE, by=chair_user
    )
    assert (result.plan, result.next_review_due, result.first_core_group_due) == (None, None, None)
    assert not kid.plans.exists()
    assert not m.CoreGroup.objects.exists()


def test_outcome_with_a_bad_category_changes_nothing(support: object, chair_user: object) -> None:
    conference = _book_icpc(support, on=ICPC_DUE)
    kid = conference.subjects.get().child
    with pytest.raises(ValidationError, match="unknown category of abuse: XYZ"):
        running.do_record_outcome(
            conference=conference,
            child=kid,
            outcome="plan",
            held_date=ICPC_DUE,
            categories=["XYZ"],
            by=chair_user,
        )
    with pytest.raises(ValidationError, match="at least one category"):
        running.do_record_outcome(
            conference=conference, child=kid, outcome="plan", held_date=ICPC_DUE, by=chair_user
        )
    conference.refresh_from_db()
    assert conference.held_date is None
    assert conference.subjects.get().outcome == ""
    assert not m.Plan.objects.exists() and not m.CoreGroup.objects.exists()
    assert not RecordChange.objects.filter(action__in=["record_outcome", "start_plan"]).exists()


def test_outcome_codes_must_fit_the_conference_type(support: object, chair_user: object) -> None:
    conference = _book_icpc(support, on=ICPC_DUE)
    kid = conference.subjects.get().child
    for wrong in ("plan_continued", "adjourned"):
        with pytest.raises(ValidationError) as refused:
            running.do_record_outcome(
                conference=conference, child=kid, outcome=wrong, held_date=ICPC_DUE, by=chair_user
            )
        assert "outcome" in refused.value.message_dict


def test_outcome_on_a_cancelled_conference_is_refused(support: object, chair_user: object) -> None:
    conference = _book_icpc(support, on=ICPC_DUE)
    kid = conference.subjects.get().child
    svc.do_cancel_conference(conference=conference, by=support, reason="not_needed")
    with pytest.raises(RecordError, match="cancelled"):
        running.do_record_outcome(
            conference=conference,
            child=kid,
            outcome="plan",
            held_date=ICPC_DUE,
            categories=["NEG"],
            by=chair_user,
        )
    assert not kid.plans.exists()


def test_outcome_recorded_twice_or_second_open_plan_is_refused(support: object, chair_user: object) -> None:
    conference = _book_icpc(support, on=ICPC_DUE)
    kid = conference.subjects.get().child
    running.do_record_outcome(
        conference=conference,
        child=kid,
        outcome="plan",
        held_date=ICPC_DUE,
        categories=["NEG"],
        by=chair_user,
    )
    with pytest.raises(RecordError, match="already recorded"):
        running.do_record_outcome(
            conference=conference, child=kid, outcome="no_plan", held_date=ICPC_DUE, by=chair_user
        )
    # A transfer-in conference cannot open a second plan for the same child.
    notification = m.TransferInNotification.objects.create(
        child=kid, from_authority="Elsewhere Council (fake)", received_date=D(2018, 5, 4)
    )
    transfer = m.Conference.objects.create(
        conference_type="transfer_in",
        due_date=D(2018, 5, 29),
        scheduled_date=D(2018, 5, 24),
        transfer_notification=notification,
    )
    m.ConferenceSubject.objects.create(conference=transfer, child=kid)
    with pytest.raises(RecordError, match="already has an open plan"):
        running.do_record_outcome(
            conference=transfer,
            child=kid,
            outcome="plan",
            held_date=D(2018, 5, 24),
            categories=["NEG"],
            by=chair_user,
        )
    assert kid.plans.count() == 1
    transfer.refresh_from_db()
    assert transfer.held_date is None


def test_held_after_the_due_date_needs_a_reason(support: object, chair_user: object) -> None:
    """Booked for 11 April and held 12 April (a day late): a reason is needed and kept."""
    conference = _book_icpc(support, on=ICPC_DUE)
    kid = conference.subjects.get().child
    with pytest.raises(ValidationError) as refused:
        running.do_record_outcome(
            conference=conference, child=kid, outcome="no_plan", held_date=D(2018, 4, 12), by=chair_user
        )
    assert "late_reason" in refused.value.message_dict
    running.do_record_outcome(
        conference=conference,
        child=kid,
        outcome="no_plan",
        held_date=D(2018, 4, 12),
        late_reason="chair_capacity",
        by=chair_user,
    )
    conference.refresh_from_db()
    assert (conference.held_date, conference.late_reason) == (D(2018, 4, 12), "chair_capacity")


def test_siblings_share_one_held_date(support: object, chair_user: object) -> None:
    household = b.family()
    younger = b.child("FAKE-S5", born=D(2016, 2, 1), of_family=household)
    conference = _book_icpc(support, local_id="FAKE-S4", on=ICPC_DUE, of_family=household, siblings=[younger])
    older = conference.subjects.get(child__local_id="FAKE-S4").child
    running.do_record_outcome(
        conference=conference, child=older, outcome="no_plan", held_date=ICPC_DUE, by=chair_user
    )
    with pytest.raises(ValidationError) as refused:
        running.do_record_outcome(
            conference=conference, child=younger, outcome="no_plan", held_date=D(2018, 4, 10), by=chair_user
        )
    assert "held_date" in refused.value.message_dict


def test_review_ends_the_plan_on_the_conference_date(support: object, chair_user: object) -> None:
    plan = b.plan(b.child("FAKE-V5"), ICPC_DUE)
    review = svc.do_book_review_conference(plan=plan, scheduled_date=D(2018, 7, 10), by=support)
    with pytest.raises(ValidationError) as no_reason:
        running.do_record_outcome(
            conference=review, child=plan.child, outcome="plan_ended", held_date=D(2018, 7, 10), by=chair_user
        )
    assert "end_reason" in no_reason.value.message_dict
    result = running.do_record_outcome(
        conference=review,
        child=plan.child,
        outcome="plan_ended",
        held_date=D(2018, 7, 10),
        end_reason="stepped_down_cin",
        by=chair_user,
    )
    plan.refresh_from_db()
    assert (plan.end_date, plan.end_reason) == (D(2018, 7, 10), "stepped_down_cin")
    assert (result.next_review_due, result.first_core_group_due) == (None, None)
    assert svc.next_dates_for(result.subject) == svc.NextDates(None, None)


def test_review_may_change_the_latest_categories_only(support: object, chair_user: object) -> None:
    plan = b.plan(b.child("FAKE-V6"), ICPC_DUE, categories="NEG")
    review = svc.do_book_review_conference(plan=plan, scheduled_date=D(2018, 7, 10), by=support)
    running.do_record_outcome(
        conference=review,
        child=plan.child,
        outcome="plan_continued",
        held_date=D(2018, 7, 10),
        categories=["NEG", "PHY"],
        by=chair_user,
    )
    plan.refresh_from_db()
    assert (plan.initial_categories, plan.initial_category) == ("NEG", "NEG")
    assert (plan.latest_categories, plan.latest_category) == ("NEG+PHY", "MUL")


def test_transfer_in_outcome_starts_a_plan_from_another_authority(
    support: object, chair_user: object
) -> None:
    """Held Thursday 24 May 2018: first review 24 August 2018; first core group, skipping the
    28 May bank holiday: 25 (1), 29 May-1 June (5), 4-8 June (10): 8 June 2018."""
    kid = b.child("FAKE-T2")
    notification = record_services.do_record_transfer_in_notification(
        child=kid, from_authority="Elsewhere Council (fake)", received_date=D(2018, 5, 4), by=support
    )
    conference = svc.do_book_transfer_in_conference(
        notification=notification, scheduled_date=D(2018, 5, 24), by=support
    )
    result = running.do_record_outcome(
        conference=conference,
        child=kid,
        outcome="plan",
        held_date=D(2018, 5, 24),
        categories=["EMO"],
        by=chair_user,
    )
    assert (result.next_review_due, result.first_core_group_due) == (D(2018, 8, 24), D(2018, 6, 8))
    assert result.plan.from_other_authority is True
    assert result.plan.start_date == D(2018, 5, 24)


def test_outcome_in_the_future_is_refused(support: object, chair_user: object) -> None:
    conference = _book_icpc(support, on=ICPC_DUE)
    kid = conference.subjects.get().child
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        running.do_record_outcome(
            conference=conference,
            child=kid,
            outcome="no_plan",
            held_date=tomorrow,
            late_reason="other",
            by=chair_user,
        )
    assert "held_date" in refused.value.message_dict
