"""The conference workflow's own table: core group meetings. A conference itself is the record's
(`cpqa.record.models`), and the change log moved to the record too (migration 0002).

A core group is the child's social worker and the professionals who work with the family,
meeting between conferences to take the plan forward (docs/definitions.md#core-group-due).
Its rows reach the record's tables through `cpqa.conferences.tables` (registered in
`cpqa.conferences.apps`), so the domain's `core_groups_due` reads them like any other table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cpqa.domain import codes
from cpqa.record.models import Plan


class CoreGroupMeeting(models.Model):
    """One core group meeting held for a child's plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="core_group_meetings")
    held_date = models.DateField()
    # Space-separated agency codes (cpqa.domain.codes.AGENCY) of those who attended.
    agencies_attended = models.CharField(max_length=400, blank=True)
    # Free text; its length is limited by the form (the service's one free-text limit).
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "held_date", "pk"]

    def __str__(self) -> str:
        return f"Core group {self.pk}"

    @property
    def agency_codes(self) -> list[str]:
        return self.agencies_attended.split()

    @property
    def agency_labels(self) -> list[str]:
        return [codes.label(codes.AGENCY, code) for code in self.agency_codes]
