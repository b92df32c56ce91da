"""Forms for the record's own pages: the strategy discussion and the transfer-in notification.
They parse; the services in cpqa.record.services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from cpqa.ui.forms import YES_NO, GovukDateField, GovukForm, yes_no_value


class StrategyDiscussionForm(GovukForm):
    held_date = GovukDateField(label="Date of the strategy discussion")
    notified_to_qa_date = GovukDateField(
        label="Date Safeguarding and Quality Assurance were told (optional)", required=False
    )
    starts_section47 = forms.ChoiceField(
        label="Did it start a section 47 enquiry?", choices=YES_NO, widget=forms.RadioSelect,
        error_messages={"required": "Select yes if it started a section 47 enquiry"},
    )

    def __init__(self, *args: Any, needs_referral: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if needs_referral:
            self.fields["referral_date"] = GovukDateField(
                label="Date of the referral", help_text="The child has no open referral: this opens one"
            )

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["starts_section47"] = bool(yes_no_value(data["starts_section47"]))
        return data


class TransferInNotificationForm(GovukForm):
    from_authority = forms.CharField(label="Authority the child has moved from", max_length=120)
    received_date = GovukDateField(label="Date the written notification was received")
    other_plan_start_date = GovukDateField(
        label="Date the child's plan started there (optional)", required=False
    )
