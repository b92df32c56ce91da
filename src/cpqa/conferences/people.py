"""Named people at a conference: someone invited by name (name, role, agency, email), and
someone who came without an invitation, recorded on the day.

Quoracy stays by agency (`cpqa.domain.config.QuoracyRule`): a named person counts for their
agency, whether invited or not.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cpqa.accounts.access import role_required
from cpqa.accounts.models import User
from cpqa.accounts.roles import CONFERENCE_BOOKERS, CONFERENCE_RUNNERS
from cpqa.conferences import selectors as sel
from cpqa.core.config import authority_config
from cpqa.domain import codes
from cpqa.record import models as m
from cpqa.record.access import access_child
from cpqa.record.errors import RecordError
from cpqa.record.services import field_error, note_change
from cpqa.ui.forms import GovukForm, save_form

AGENCY_CHOICES = [("", "Select an agency"), *codes.AGENCY.items()]


def _checked_person(name: str, agency: str) -> str:
    name = name.strip()
    if not name:
        raise field_error("name", "Enter the person's name")
    if agency not in codes.AGENCY:
        raise field_error("agency", "Select the person's agency")
    return name


@transaction.atomic
def do_invite_person(
    *, conference: m.Conference, name: str, role: str, agency: str, email: str, by: User
) -> m.Invitee:
    """Invite a named person from an agency to a conference that has not happened."""
    if conference.cancelled or conference.held_date is not None:
        raise RecordError("Invitations can only be added to a conference that has not happened")
    name = _checked_person(name, agency)
    invitee = m.Invitee.objects.create(
        conference=conference, name=name[:120], role=role.strip()[:120], agency=agency, email=email.strip(),
        invited=True,
    )
    note_change(by=by, action="invite_person", obj=invitee, detail=agency)
    return invitee


@transaction.atomic
def do_record_uninvited_attendee(
    *, conference: m.Conference, name: str, role: str, agency: str, attended: bool, by: User
) -> m.Invitee:
    """Someone who came without an invitation (or was expected and sent apologies)."""
    if conference.cancelled:
        raise RecordError("This conference was cancelled: nobody can be recorded as attending")
    name = _checked_person(name, agency)
    invitee = m.Invitee.objects.create(
        conference=conference, name=name[:120], role=role.strip()[:120], agency=agency, invited=False,
        attendance="attended" if attended else "apologies",
    )
    note_change(by=by, action="record_uninvited_attendee", obj=invitee, detail=agency)
    return invitee


class PersonForm(GovukForm):
    name = forms.CharField(label="Full name", max_length=120)
    role = forms.CharField(label="Role (optional)", required=False, max_length=120,
                           help_text="For example, class teacher or health visitor")
    agency = forms.ChoiceField(label="Agency", choices=AGENCY_CHOICES)


class InvitePersonForm(PersonForm):
    email = forms.EmailField(
        label="Email address (optional)", required=False, max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )


class UninvitedAttendeeForm(PersonForm):
    attended = forms.ChoiceField(
        label="Did they attend?", choices=[("yes", "Yes, they attended"), ("no", "No, they sent apologies")],
        widget=forms.RadioSelect, error_messages={"required": "Select whether they attended"},
    )


def _person_page(
    request: HttpRequest, pk: int, *, form_class: type[PersonForm], template: str, save: Any, done: str
) -> HttpResponse:
    try:
        conference = sel.conference_with_subjects(pk)
    except m.Conference.DoesNotExist:
        raise Http404("No such conference.") from None
    subjects = list(sel.subjects_of(conference))
    for subject in subjects:
        access_child(request, subject.child_id)
    form = form_class(request.POST if request.method == "POST" else None)
    if save_form(form, request, lambda data: save(conference, data)) is not None:
        messages.success(request, done)
        return redirect("conference_detail", pk=conference.pk)
    return render(request, template, {"conference": conference, "subjects": subjects, "form": form,
                                      "quoracy_rule": authority_config().quoracy.describe()})


@role_required(*CONFERENCE_BOOKERS)
def invite_person(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_page(
        request, pk, form_class=InvitePersonForm, template="conferences/invite_person.html",
        save=lambda conference, data: do_invite_person(
            conference=conference, name=data["name"], role=data.get("role") or "", agency=data["agency"],
            email=data.get("email") or "", by=request.user,
        ),
        done="Invitation added",
    )


@role_required(*CONFERENCE_RUNNERS)
def record_uninvited_attendee(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_page(
        request, pk, form_class=UninvitedAttendeeForm, template="conferences/uninvited_attendee.html",
        save=lambda conference, data: do_record_uninvited_attendee(
            conference=conference, name=data["name"], role=data.get("role") or "", agency=data["agency"],
            attended=data["attended"] == "yes", by=request.user,
        ),
        done="Attendance recorded for someone who was not invited",
    )
