"""Forms for the QA workflows, in GOV.UK style (`{% govuk_field %}`).

Forms only parse what was typed; the rules live in `cpqa.oversight.services`, whose refusals
come back onto the form through `show_refusal`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from cpqa.domain import codes
from cpqa.oversight import models as qa
from cpqa.record import models as m
from cpqa.ui.forms import YES_NO, GovukDateField, GovukForm

STAGES = [(str(stage), text) for stage, text in codes.ESCALATION_STAGE.items()]


def _chairs() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=m.StaffMember.objects.filter(role="chair", active=True),
        label="Chair",
        widget=forms.RadioSelect,
        empty_label=None,
    )


class ConcernNoteForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of note",
        choices=codes.choices(codes.CONCERN_NOTE_KIND),
        widget=forms.RadioSelect,
        help_text="A QA case note records a consultation or case discussion; a case of concern records a worry",
    )
    about_family = forms.BooleanField(
        label="This note is about the whole family",
        required=False,
        help_text="It then shows on each of the family's children's files",
    )
    recorded_date = GovukDateField(label="Date")
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 6}))


class RaiseEscalationForm(GovukForm):
    text_called: ClassVar[dict[str, str]] = {"concern": "The concern", "owner": "The name and post of who must respond"}
    stage = forms.TypedChoiceField(
        label="Stage",
        choices=STAGES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="Start at stage 1 unless the concern needs the head of service or director straight away",
    )
    raised_date = GovukDateField(label="Date raised")
    reasons = forms.MultipleChoiceField(label="Reasons", widget=forms.CheckboxSelectMultiple)
    owner = forms.CharField(label="Who must respond", max_length=120, help_text="Their name and post")
    concern = forms.CharField(
        label="The concern and what needs to happen", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def __init__(self, *args: Any, children: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reasons"].choices = list(
            qa.EscalationReason.objects.filter(active=True).values_list("code", "label")
        )
        self.fields["children"] = forms.MultipleChoiceField(
            label="Children it is about",
            choices=children,
            widget=forms.CheckboxSelectMultiple,
            help_text="Choose every child in the family the escalation covers",
        )
        self.order_fields(["children", "stage", "raised_date", "reasons", "owner", "concern"])


class EscalationResponseForm(GovukForm):
    response_date = GovukDateField(label="Date of the response")
    response = forms.CharField(label="The response", widget=forms.Textarea(attrs={"rows": 5}))


OUTCOMES = [("resolved", "Resolved: the chair is satisfied"), ("escalated", "Escalate to the next stage")]


class EscalationOutcomeForm(GovukForm):
    text_called: ClassVar[dict[str, str]] = {"owner": "The name and post of who must respond"}
    outcome = forms.ChoiceField(label="Outcome", choices=OUTCOMES, widget=forms.RadioSelect)
    outcome_date = GovukDateField(label="Date")
    onward_reason = forms.ChoiceField(
        label="Why it goes to the next stage",
        required=False,
        widget=forms.RadioSelect,
        choices=codes.choices(codes.ESCALATION_ONWARD_REASON),
        help_text="Only when escalating",
    )
    owner = forms.CharField(
        label="Who must respond at the next stage",
        required=False,
        max_length=120,
        help_text="Only when escalating: their name and post",
    )


class EscalationReasonForm(GovukForm):
    code = forms.SlugField(
        label="Code",
        max_length=40,
        help_text="Lower case letters, numbers and underscores, for example no_visits",
    )
    label = forms.CharField(label="Wording", max_length=200)


class RepeatPlanReviewForm(GovukForm):
    finding = forms.ChoiceField(
        label="Finding", choices=codes.choices(codes.REPEAT_PLAN_FINDING), widget=forms.RadioSelect
    )
    reviewed_date = GovukDateField(label="Date reviewed")
    themes = forms.CharField(
        label="Themes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the review showed, for the themes the QA manager reports to service managers",
    )


class PanelDecisionForm(GovukForm):
    panel_date = GovukDateField(label="Date of the panel")
    decision = forms.CharField(label="The panel's decision", widget=forms.Textarea(attrs={"rows": 4}))
    actions = forms.CharField(
        label="Actions (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who will do what, by when",
    )


class MidwayReviewForm(GovukForm):
    held_date = GovukDateField(label="Date held")
    social_worker_present = forms.ChoiceField(
        label="Was the social worker there?", choices=YES_NO, widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the social worker was there"},
    )
    manager_present = forms.ChoiceField(
        label="Was their manager there?", choices=YES_NO, widget=forms.RadioSelect,
        error_messages={"required": "Select yes if their manager was there"},
    )
    summary = forms.CharField(
        label="Progress with the plan and changes it needs", widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, ask_chair: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ask_chair:
            self.fields["chair"] = _chairs()
            self.order_fields(["chair", "held_date"])


class AssignMidwayForm(GovukForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"] = _chairs()


class ReportFeedbackForm(GovukForm):
    grade = forms.ChoiceField(
        label="Grade of the social work report",
        choices=codes.choices(codes.REPORT_GRADE),
        widget=forms.RadioSelect,
    )
    shared_with_family_date = GovukDateField(
        label="Date the family had the report",
        required=False,
        help_text="Leave blank if the family did not have it before the conference",
    )
    feedback = forms.CharField(
        label="Feedback to the social worker", widget=forms.Textarea(attrs={"rows": 6})
    )
