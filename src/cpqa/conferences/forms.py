"""Forms for booking and running a conference, in GOV.UK style (`{% govuk_field %}`).

Forms only parse what was typed; every rule lives in the services, whose refusals come back to
the form through `show_refusal` so the message appears against the right field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms

from cpqa.conferences import running
from cpqa.conferences import services as svc
from cpqa.domain import codes
from cpqa.record import models as m
from cpqa.ui.forms import (
    YES_NO,
    GovukDateField,
    GovukForm,
    TimeField,
)


class BookingForm(GovukForm):
    scheduled_date = GovukDateField(label="Date of the conference", help_text="For example, 27 3 2026")
    # "Enter the date of the conference" comes from the label (cpqa.ui.forms.speak_plainly).
    scheduled_time = TimeField(
        label="Time (optional)", required=False, help_text="24-hour clock, for example 10:30"
    )
    venue = forms.CharField(label="Venue (optional)", required=False, max_length=120)
    late_reason = forms.ChoiceField(
        label="Reason for a date after the due date",
        required=False,
        choices=codes.choices(codes.LATE_REASON),
        widget=forms.RadioSelect,
        help_text="Only needed when the date is after the due date",
    )

    def __init__(
        self,
        *args: Any,
        together: Sequence[tuple[m.Child, Any]] = (),
        together_label: str = "",
        **kwargs: Any,
    ) -> None:
        """`together`: (child, what to book with them) for each brother or sister who may join."""
        super().__init__(*args, **kwargs)
        self.together = {str(child.pk): item for child, item in together}
        if together:
            self.fields["together"] = forms.MultipleChoiceField(
                label=together_label,
                required=False,
                choices=[
                    (str(child.pk), f"{child.display_name} ({child.local_id})") for child, _ in together
                ],
                widget=forms.CheckboxSelectMultiple,
                help_text="Brothers and sisters discussed at the same conference",
            )

    def booking(self) -> dict[str, Any]:
        """The slot's keyword arguments for a `do_book_*` service."""
        data = self.cleaned_data
        return {
            "scheduled_date": data["scheduled_date"],
            "scheduled_time": data.get("scheduled_time"),
            "venue": data.get("venue") or "",
            "late_reason": data.get("late_reason") or "",
        }

    def chosen_together(self) -> list[Any]:
        return [self.together[pk] for pk in self.cleaned_data.get("together", [])]


class StaffForm(GovukForm):
    chair = forms.ModelChoiceField(
        queryset=m.StaffMember.objects.none(), widget=forms.RadioSelect, label="Chair", empty_label=None
    )
    minute_taker = forms.ModelChoiceField(
        queryset=m.StaffMember.objects.none(), required=False, label="Minute taker (optional)"
    )

    def __init__(self, *args: Any, chair_loads: Sequence[tuple[m.StaffMember, int]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        chairs = [chair for chair, _ in chair_loads]
        field = self.fields["chair"]
        field.queryset = m.StaffMember.objects.filter(pk__in=[c.pk for c in chairs])
        # Each chair's label carries how many conferences they already have that week.
        field.choices = [
            (chair.pk, f"{chair.name} ({count} booked that week)") for chair, count in chair_loads
        ]
        self.fields["minute_taker"].queryset = m.StaffMember.objects.filter(
            role__in=svc.MINUTE_TAKER_ROLES, active=True
        ).order_by("name")


class InviteesForm(GovukForm):
    agencies = forms.MultipleChoiceField(
        label="Agencies",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(code, label) for code, label in codes.AGENCY.items() if code != codes.CONVENING_AGENCY],
        help_text="Children's social care is always invited",
    )
    family_members = forms.ModelMultipleChoiceField(
        queryset=m.FamilyMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Family members",
    )

    def __init__(self, *args: Any, family_ids: Iterable[int] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        members = self.fields["family_members"]
        members.queryset = m.FamilyMember.objects.filter(family_id__in=list(family_ids)).order_by("name")
        members.label_from_instance = lambda member: f"{member.name} ({member.relationship})"


class RearrangeForm(GovukForm):
    to_date = GovukDateField(
        label="New date", help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the new date of the conference"},
    )
    scheduled_time = TimeField(label="New time (optional)", required=False, help_text="24-hour clock, for example 10:30")
    venue = forms.CharField(
        label="New venue (optional)", required=False, max_length=120, help_text="Leave empty to keep the venue"
    )
    reason = forms.ChoiceField(
        label="Why is the conference being rearranged?",
        choices=codes.choices(codes.LATE_REASON),
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the conference is being rearranged"},
    )


class CancelForm(GovukForm):
    reason = forms.ChoiceField(
        label="Why is the conference being cancelled?",
        choices=codes.choices(codes.CANCEL_REASON),
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the conference is being cancelled"},
    )


class PaperworkForm(GovukForm):
    paperwork = forms.ChoiceField(
        label="What was sent?",
        error_messages={"required": "Select what was sent"},
        choices=[
            ("invitations", "Invitations"),
            ("decision_letter", "Decision letter"),
            ("minutes", "Minutes"),
        ],
        widget=forms.RadioSelect,
    )
    sent_date = GovukDateField(label="Date sent")


class AttendanceForm(GovukForm):
    """One group of questions per invitee: attendance, report submitted, shared in time."""

    def __init__(self, *args: Any, invitees: Sequence[m.Invitee] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.invitees = list(invitees)
        for invitee in self.invitees:
            name = invitee_name(invitee)
            self.fields[f"attendance_{invitee.pk}"] = forms.ChoiceField(
                label=name,
                required=False,
                choices=m.Invitee.ATTENDANCE_CHOICES,
                widget=forms.RadioSelect,
                initial=invitee.attendance,
            )
            if invitee.agency:
                self.fields[f"report_submitted_{invitee.pk}"] = forms.BooleanField(
                    label=f"{name}: report submitted", required=False, initial=invitee.report_submitted
                )
                self.fields[f"report_shared_in_time_{invitee.pk}"] = forms.BooleanField(
                    label=f"{name}: report shared with the family in time",
                    required=False,
                    initial=bool(invitee.report_shared_in_time),
                )

    def groups(self) -> list[list[forms.BoundField]]:
        """The bound fields of each invitee together, for the template."""
        return [
            [
                self[name]
                for name in (
                    f"attendance_{i.pk}",
                    f"report_submitted_{i.pk}",
                    f"report_shared_in_time_{i.pk}",
                )
                if name in self.fields
            ]
            for i in self.invitees
        ]

    def entries(self) -> dict[int, running.InviteeAttendance]:
        data = self.cleaned_data
        out: dict[int, running.InviteeAttendance] = {}
        for invitee in self.invitees:
            submitted = bool(data.get(f"report_submitted_{invitee.pk}"))
            shared = data.get(f"report_shared_in_time_{invitee.pk}")
            out[invitee.pk] = running.InviteeAttendance(
                attendance=data.get(f"attendance_{invitee.pk}") or "",
                report_submitted=submitted,
                report_shared_in_time=bool(shared) if submitted else None,
            )
        return out


def invitee_name(invitee: m.Invitee) -> str:
    """How an invitee reads on a page: "Sam Jones, class teacher (School)"; "(not invited)" for
    someone who came without an invitation."""
    if invitee.family_member_id:
        text = f"{invitee.family_member.name} ({invitee.family_member.relationship})"
    elif invitee.agency:
        label = codes.label(codes.AGENCY, invitee.agency)
        person = ", ".join(part for part in (invitee.name, invitee.role) if part)
        text = f"{person} ({label})" if person else label
    else:
        text = ", ".join(part for part in (invitee.name, invitee.role) if part) or "Someone not named"
    return text if invitee.invited else f"{text} (not invited)"


class ParticipationForm(GovukForm):
    participation_code = forms.ChoiceField(
        label="How was the child's voice heard?",
        choices=codes.choices(codes.PARTICIPATION),
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the child's voice was heard"},
    )

    def __init__(self, *args: Any, questions: svc.ParticipationQuestions, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if questions.booklet:
            self.fields["booklet_completed"] = forms.ChoiceField(
                label="Was the consultation booklet completed?",
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )
        if questions.advocate:
            self.fields["advocate_used"] = forms.ChoiceField(
                label="Did an advocate support the child?",
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            )


class DomainsForm(GovukForm):
    """The Strengthening Families record, what is working well first
    (docs/definitions.md#strengthening-families-domains)."""

    working_well = forms.CharField(
        label="What is working well",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Strengths and existing safety",
    )
    worries = forms.CharField(
        label="What are we worried about",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Danger and harm, complicating factors, grey areas",
    )
    childs_voice = forms.CharField(
        label="The child's voice",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Wishes and feelings, and how they were heard",
    )
    needs_to_happen = forms.CharField(
        label="What needs to happen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Risk statement, outcomes, next steps with who and by when, contingency",
    )


class OutcomeForm(GovukForm):
    outcome = forms.ChoiceField(label="Decision", widget=forms.RadioSelect)
    held_date = GovukDateField(label="Date the conference was held")
    categories = forms.MultipleChoiceField(
        label="Categories of abuse",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(code, codes.CATEGORY[code]) for code in codes.SINGLE_CATEGORIES],
        help_text="For a plan: one or several",
    )
    end_reason = forms.ChoiceField(
        label="Why the plan ends",
        required=False,
        choices=[("", "Choose a reason"), *codes.choices(codes.PLAN_END_REASON)],
        help_text="Only when the plan ends",
    )
    late_reason = forms.ChoiceField(
        label="Reason the conference was held after its due date",
        required=False,
        choices=[("", "Not late, or already recorded"), *codes.choices(codes.LATE_REASON)],
    )

    def __init__(self, *args: Any, conference_type: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            (code, codes.CONFERENCE_OUTCOME[code]) for code in svc.OUTCOMES_BY_TYPE.get(conference_type, ())
        ]
        if conference_type == "review":
            self.fields["categories"].help_text = "Only if they change; leave empty to keep the current categories"
        else:
            del self.fields["end_reason"]
