"""Booking, rearranging and running a conference: thin views over the services.

Every view is guarded by role (`role_required`); every child a page shows is loaded through
`access_child`, which checks the user's right to that child and logs the read. Forms parse,
services decide, and a service's refusal is shown against the field it names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cpqa.accounts.access import role_required as guard
from cpqa.accounts.roles import CONFERENCE_BOOKERS, CONFERENCE_READERS, CONFERENCE_RUNNERS
from cpqa.conferences import forms as f
from cpqa.conferences import running
from cpqa.conferences import selectors as sel
from cpqa.conferences import services as svc
from cpqa.core.clock import service_today
from cpqa.core.config import authority_config
from cpqa.domain import codes, documents, timescales
from cpqa.domain.config import AuthorityConfig
from cpqa.record import models as m
from cpqa.record.access import access_child, visible_children
from cpqa.ui.forms import save_form, yes_no_initial, yes_no_value


def _date(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "Not recorded"


def _conference(request: HttpRequest, pk: int) -> tuple[m.Conference, list[m.ConferenceSubject]]:
    """The conference and its children, each child checked and the read logged."""
    try:
        conference = sel.conference_with_subjects(pk)
    except m.Conference.DoesNotExist:
        raise Http404("No such conference.") from None
    subjects = list(sel.subjects_of(conference))
    for subject in subjects:
        access_child(request, subject.child_id)
    return conference, subjects


def _subject(request: HttpRequest, pk: int) -> m.ConferenceSubject:
    subject = get_object_or_404(
        m.ConferenceSubject.objects.select_related("conference", "child", "plan", "section47"), pk=pk
    )
    access_child(request, subject.child_id)
    return subject


def _family_choices(request: HttpRequest, child: m.Child) -> list[m.Child]:
    """The child's brothers and sisters this user may see (the family's other children)."""
    if child.family_id is None:
        return []
    return list(visible_children(request.user).filter(family_id=child.family_id).exclude(pk=child.pk))


def _booking_page(
    request: HttpRequest,
    *,
    child: m.Child,
    heading: str,
    due: dt.date,
    due_rule: str,
    form: f.BookingForm,
    book: Callable[[dict[str, Any]], m.Conference],
    existing: m.Conference | None,
    notes: list[str] | None = None,
) -> HttpResponse:
    conference = None if existing is not None else save_form(form, request, book)
    if conference is not None:
        messages.success(
            request,
            f"{codes.label(codes.CONFERENCE_TYPE, conference.conference_type)} booked for "
            f"{_date(conference.scheduled_date)} (due {_date(conference.due_date)})",
        )
        return redirect("conference_detail", pk=conference.pk)
    return render(
        request,
        "conferences/book.html",
        {
            "child": child,
            "heading": heading,
            "due": due,
            "due_rule": due_rule,
            "form": form,
            "existing": existing,
            "notes": notes or [],
        },
    )


@guard(*CONFERENCE_BOOKERS)
def book_initial(request: HttpRequest, s47_pk: int) -> HttpResponse:
    enquiry = get_object_or_404(
        m.Section47.objects.select_related("referral", "strategy_discussion"), pk=s47_pk
    )
    child = access_child(request, enquiry.referral.child_id)
    siblings = _family_choices(request, child)
    form = f.BookingForm(
        request.POST or None,
        together=[(sibling, sibling) for sibling in siblings],
        together_label="Other children of the family to include",
    )
    existing = (
        m.Conference.objects.filter(subjects__section47=enquiry, cancelled=False).order_by("-pk").first()
    )
    notes = []
    target = svc.prebirth_target_for(child)
    if target is not None:
        notes.append(f"Unborn baby: the local pre-birth target is no later than {_date(target)}.")

    def book(data: dict[str, Any]) -> m.Conference:
        return svc.do_book_initial_conference(
            section47=enquiry, siblings=form.chosen_together(), by=request.user, **form.booking()
        )

    return _booking_page(
        request,
        child=child,
        heading="Book an initial child protection conference",
        due=svc.initial_conference_due_for(enquiry),
        due_rule=f"{timescales.ICPC_WORKING_DAYS} working days after the strategy discussion on {_date(svc.strategy_discussion_date(enquiry))}",
        form=form,
        book=book,
        existing=existing,
        notes=notes,
    )


@guard(*CONFERENCE_BOOKERS)
def book_review(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_object_or_404(m.Plan, pk=plan_pk)
    child = access_child(request, plan.child_id)
    if plan.end_date is not None:
        raise Http404("This plan has ended: there is nothing to review.")
    sibling_plans = [
        p
        for s in _family_choices(request, child)
        for p in s.plans.filter(end_date__isnull=True)
        if not svc.pending_conferences(conference_type="review", subjects__plan=p)
    ]
    form = f.BookingForm(
        request.POST or None,
        together=[(p.child, p) for p in sibling_plans],
        together_label="Brothers and sisters on a plan to review at the same conference",
    )
    pending = svc.pending_conferences(conference_type="review", subjects__plan=plan)
    last = svc.last_review_held(plan)
    rule = (
        f"6 months after the last review on {_date(last)}"
        if last
        else f"3 months after the plan started on {_date(plan.start_date)}"
    )

    def book(data: dict[str, Any]) -> m.Conference:
        return svc.do_book_review_conference(
            plan=plan, sibling_plans=form.chosen_together(), by=request.user, **form.booking()
        )

    return _booking_page(
        request,
        child=child,
        heading="Book a review child protection conference",
        due=svc.review_due_for(plan),
        due_rule=rule,
        form=form,
        book=book,
        existing=pending[0] if pending else None,
    )


@guard(*CONFERENCE_BOOKERS)
def book_transfer_in(request: HttpRequest, notification_pk: int) -> HttpResponse:
    notification = get_object_or_404(m.TransferInNotification, pk=notification_pk)
    child = access_child(request, notification.child_id)
    form = f.BookingForm(request.POST or None)
    existing = notification.conferences.filter(cancelled=False).order_by("-pk").first()

    def book(data: dict[str, Any]) -> m.Conference:
        return svc.do_book_transfer_in_conference(
            notification=notification, by=request.user, **form.booking()
        )

    return _booking_page(
        request,
        child=child,
        heading="Book a transfer-in child protection conference",
        due=svc.transfer_in_due_for(notification),
        due_rule=f"{timescales.TRANSFER_IN_WORKING_DAYS} working days after the notification from {notification.from_authority} "
        f"on {_date(notification.received_date)}",
        form=form,
        book=book,
        existing=existing,
    )


# --- Changing a booking --------------------------------------------------------------------------


def _conference_form_page(
    request: HttpRequest,
    pk: int,
    *,
    template: str,
    form: Callable[[m.Conference, Any], forms.Form],
    save: Callable[[m.Conference, forms.Form], Any],
    done: Callable[[m.Conference, Any], str],
    context: Callable[[m.Conference], dict[str, Any]] | None = None,
) -> HttpResponse:
    """A page with one form about one conference: on a saved POST, back to the conference with
    `done`'s message; otherwise the form (with any refusal) in `template`."""
    conference, subjects = _conference(request, pk)
    bound = form(conference, request.POST or None)
    result = save_form(bound, request, lambda data: save(conference, bound))
    if result is not None:
        messages.success(request, done(conference, result))
        return redirect("conference_detail", pk=conference.pk)
    extra = context(conference) if context else {}
    return render(request, template, {"conference": conference, "subjects": subjects, "form": bound, **extra})


@guard(*CONFERENCE_BOOKERS)
def conference_staff(request: HttpRequest, pk: int) -> HttpResponse:
    def weeks(conference: m.Conference) -> list[sel.ChairWeek]:
        return sel.chair_weeks(conference.scheduled_date or service_today())

    def week_context(conference: m.Conference) -> dict[str, Any]:
        monday, sunday = sel.week_of(conference.scheduled_date or service_today())
        return {"weeks": weeks(conference), "monday": monday, "sunday": sunday}

    return _conference_form_page(
        request,
        pk,
        template="conferences/staff.html",
        form=lambda conference, data: f.StaffForm(
            data,
            chair_loads=[(week.chair, len(week.conferences)) for week in weeks(conference)],
            initial={"chair": conference.chair_id, "minute_taker": conference.minute_taker_id},
        ),
        save=lambda conference, form: svc.do_allocate_conference_staff(
            conference=conference, by=request.user, **form.cleaned_data
        ),
        done=lambda conference, _: "Chair and minute taker allocated",
        context=week_context,
    )


@guard(*CONFERENCE_BOOKERS)
def conference_invitees(request: HttpRequest, pk: int) -> HttpResponse:
    def invitees_form(conference: m.Conference, data: Any) -> f.InviteesForm:
        current = list(conference.invitees.all())
        return f.InviteesForm(
            data,
            family_ids=svc.conference_family_ids(conference),
            initial={
                "agencies": [i.agency for i in current if i.agency and not i.name],
                "family_members": [i.family_member_id for i in current if i.family_member_id],
            },
        )

    return _conference_form_page(
        request,
        pk,
        template="conferences/invitees.html",
        form=invitees_form,
        save=lambda conference, form: svc.do_choose_invitees(
            conference=conference, by=request.user, **form.cleaned_data
        ),
        done=lambda conference, _: "Invitations list saved",
    )


@guard(*CONFERENCE_BOOKERS)
def conference_rearrange(request: HttpRequest, pk: int) -> HttpResponse:
    return _conference_form_page(
        request,
        pk,
        template="conferences/rearrange.html",
        form=lambda conference, data: f.RearrangeForm(data),
        save=lambda conference, form: svc.do_rearrange_conference(
            conference=conference, by=request.user, **form.cleaned_data
        ),
        done=lambda conference, _: (
            f"Conference moved to {_date(conference.scheduled_date)}; it stays due on {_date(conference.due_date)}"
        ),
    )


@guard(*CONFERENCE_BOOKERS)
def conference_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _conference_form_page(
        request,
        pk,
        template="conferences/cancel.html",
        form=lambda conference, data: f.CancelForm(data),
        save=lambda conference, form: svc.do_cancel_conference(
            conference=conference, by=request.user, reason=form.cleaned_data["reason"]
        ),
        done=lambda conference, _: "Conference cancelled",
    )


@guard(*CONFERENCE_BOOKERS)
def conference_paperwork(request: HttpRequest, pk: int) -> HttpResponse:
    return _conference_form_page(
        request,
        pk,
        template="conferences/paperwork.html",
        form=lambda conference, data: f.PaperworkForm(data),
        save=lambda conference, form: svc.do_record_paperwork_sent(
            conference=conference, by=request.user, **form.cleaned_data
        ),
        done=lambda conference, _: "Saved",
    )


# --- The conference itself -------------------------------------------------------------------------


def _quoracy(conference: m.Conference, config: AuthorityConfig) -> dict[str, Any]:
    """Quoracy by the authority's rule: from who attended once the conference has happened;
    before then, whether it would be quorate if those invited attend."""
    happened = svc.has_happened(conference)
    agencies = svc.agencies_attended(conference) if happened else svc.agencies_invited(conference)
    quorate = config.quoracy.is_quorate(frozenset(agencies))
    if happened:
        verdict = "Quorate" if quorate else "Not quorate"
    else:
        verdict = "Would be quorate if those invited attend" if quorate else (
            "Would not be quorate even if everyone invited attends: invite more agencies"
        )
    return {
        "quorate": quorate,
        "happened": happened,
        "verdict": verdict,
        "rule": config.quoracy.describe(),
        "agencies": sorted(codes.label(codes.AGENCY, a) for a in agencies),
    }


def _document_dues(conference: m.Conference, config: AuthorityConfig) -> list[tuple[str, dt.date | None]]:
    """Each of the conference's documents and the day the authority's deadline falls on."""
    dues = documents.document_due_dates(conference.conference_type, conference.booked_date, conference.date, config)
    return [(label, dues[document]) for document, label in documents.DOCUMENTS.items()]


@guard(*CONFERENCE_READERS)
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    conference, subjects = _conference(request, pk)
    config = authority_config()
    rows = []
    for subject in subjects:
        questions = (
            svc.participation_questions(subject.child, conference.date, config) if conference.date else None
        )
        rows.append(
            {
                "subject": subject,
                "age": questions.age if questions else None,
                "participation": codes.label(codes.PARTICIPATION, subject.participation_code),
                "outcome": codes.label(codes.CONFERENCE_OUTCOME, subject.outcome),
                "next": svc.next_dates_for(subject) if subject.outcome else None,
            }
        )
    invitees = [
        {
            "invitee": i,
            "name": f.invitee_name(i),
            "attendance": dict(m.Invitee.ATTENDANCE_CHOICES).get(i.attendance, ""),
        }
        for i in sel.invitees_of(conference)
    ]
    role = request.user.role
    return render(
        request,
        "conferences/detail.html",
        {
            "conference": conference,
            "type_label": codes.label(codes.CONFERENCE_TYPE, conference.conference_type),
            "late_reason": codes.label(codes.LATE_REASON, conference.late_reason),
            "cancel_reason": codes.label(codes.CANCEL_REASON, conference.cancel_reason),
            "rows": rows,
            "invitees": invitees,
            "quoracy": _quoracy(conference, config),
            "rearrangements": [
                {"move": r, "reason": codes.label(codes.LATE_REASON, r.reason)}
                for r in conference.rearrangements.all()
            ],
            "domains": [
                (f.DomainsForm.base_fields[name].label, getattr(conference, name))
                for name in running.DOMAIN_FIELDS
            ],
            "document_dues": _document_dues(conference, config),
            "may_book": role in CONFERENCE_BOOKERS,
            "may_run": role in CONFERENCE_RUNNERS,
            "is_open": not conference.cancelled and conference.held_date is None,
        },
    )


@guard(*CONFERENCE_RUNNERS)
def conference_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    return _conference_form_page(
        request,
        pk,
        template="conferences/attendance.html",
        form=lambda conference, data: f.AttendanceForm(data, invitees=sel.invitees_of(conference)),
        save=lambda conference, form: running.do_record_attendance(
            conference=conference, entries=form.entries(), by=request.user
        ),
        done=lambda conference, quorate: (
            "Attendance saved: the conference is " + ("quorate" if quorate else "not quorate")
        ),
        context=lambda conference: {"quoracy": _quoracy(conference, authority_config())},
    )


@guard(*CONFERENCE_RUNNERS)
def conference_domains(request: HttpRequest, pk: int) -> HttpResponse:
    return _conference_form_page(
        request,
        pk,
        template="conferences/domains.html",
        form=lambda conference, data: f.DomainsForm(
            data, initial={name: getattr(conference, name) for name in running.DOMAIN_FIELDS}
        ),
        save=lambda conference, form: running.do_record_domains(
            conference=conference, by=request.user, **form.cleaned_data
        ),
        done=lambda conference, _: "Conference record saved",
    )


@guard(*CONFERENCE_RUNNERS)
def subject_participation(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _subject(request, pk)
    conference = subject.conference
    if conference.date is None:
        raise Http404("The conference has no date yet.")
    questions = svc.participation_questions(subject.child, conference.date)
    form = f.ParticipationForm(
        request.POST or None,
        questions=questions,
        initial={
            "participation_code": subject.participation_code,
            "booklet_completed": yes_no_initial(subject.booklet_completed),
            "advocate_used": yes_no_initial(subject.advocate_used),
        },
    )
    if save_form(
        form,
        request,
        lambda data: running.do_record_participation(
            subject=subject,
            participation_code=data["participation_code"],
            booklet_completed=yes_no_value(data.get("booklet_completed", "")),
            advocate_used=yes_no_value(data.get("advocate_used", "")),
            by=request.user,
        ),
    ):
        messages.success(request, f"Participation saved for child {subject.child.local_id}")
        return redirect("conference_detail", pk=conference.pk)
    return render(
        request,
        "conferences/participation.html",
        {
            "conference": conference,
            "subject": subject,
            "questions": questions,
            "form": form,
        },
    )


@guard(*CONFERENCE_RUNNERS)
def subject_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    subject = _subject(request, pk)
    conference = subject.conference
    form = f.OutcomeForm(
        request.POST or None,
        conference_type=conference.conference_type,
        initial={"held_date": conference.held_date or conference.scheduled_date},
    )
    result = (
        None
        if subject.outcome
        else save_form(
            form,
            request,
            lambda data: running.do_record_outcome(
                conference=conference,
                child=subject.child,
                outcome=data["outcome"],
                held_date=data["held_date"],
                categories=data.get("categories") or [],
                end_reason=data.get("end_reason") or "",
                late_reason=data.get("late_reason") or "",
                by=request.user,
            ),
        )
    )
    if result is not None:
        outcome = codes.label(codes.CONFERENCE_OUTCOME, result.subject.outcome).lower()
        parts = [f"Outcome recorded for child {subject.child.local_id}: {outcome}"]
        if result.next_review_due:
            parts.append(f"next review due {_date(result.next_review_due)}")
        if result.first_core_group_due:
            parts.append(f"first core group due {_date(result.first_core_group_due)}")
        messages.success(request, "; ".join(parts))
        return redirect("conference_detail", pk=conference.pk)
    return render(
        request,
        "conferences/outcome.html",
        {
            "conference": conference,
            "subject": subject,
            "form": form,
            "recorded": codes.label(codes.CONFERENCE_OUTCOME, subject.outcome) if subject.outcome else "",
            "next": svc.next_dates_for(subject) if subject.outcome else None,
            "due": conference.due_date,
        },
    )
