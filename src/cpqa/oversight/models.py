"""The quality-assurance workflows: escalations, concern notes, repeat-plan reviews, the long-plan
panel, midway reviews and the chair's feedback on social work reports.

Writes go through `cpqa.oversight.services`; these models hold the facts and what one row can
check. How the record's tables (`cpqa.domain.tables.SCHEMAS`) map onto them, for anyone loading
those tables (ids as in every table: child = `Child.local_id`, family = `Family.reference`,
staff = `StaffMember` pk, plan = `Plan` pk, written as strings):

- `escalations` -> `Escalation` (raised_date, raised_by -> raised_by_id, stage_raised,
  resolved_stage, resolved_date, family_id -> family; `reasons` -> the space-separated
  `reasons` codes) plus one `EscalationStage` per stage from `stage_raised` to `stage_reached`:
  each stage but the last has outcome "escalated" and onward_reason = `onward_reasons[i]`;
  the last has outcome "resolved" when `resolved_stage` is set, else none (still open). A
  stage's `started_date` is the day it began (the raised date for the first stage).
  `cpqa.oversight.services.do_import_escalation` does exactly this from one table row.
- `escalation_children` -> `EscalationChild` (escalation, child).
- `concern_notes` -> `ConcernNote` (kind, child, family, recorded_date, author_id).
- `repeat_plan_reviews` -> `RepeatPlanReview` (plan, reviewed_date, finding); child and
  family are the plan's.
- `midway_reviews` -> `MidwayReview` (plan, due_date, held_date, chair_id); the child is the
  plan's.
- The social work report's grade, shared-in-time and feedback live on
  `record.ConferenceSubject` (the `conferences` table's report_grade, report_shared_in_time);
  `ReportFeedback` keeps the date the family had the report, from which shared-in-time is
  worked out.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from cpqa.domain import codes

STAGE_CHOICES = [(stage, text) for stage, text in codes.ESCALATION_STAGE.items()]


class EscalationReason(models.Model):
    """The configurable list of reasons for a formal escalation (seeded from the seed report's list).

    A reason no longer offered is made inactive, never deleted, so old escalations keep it.
    """

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=200)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label


class Escalation(models.Model):
    """A formal escalation (the seed's CERP) about one child or a family's children."""

    family = models.ForeignKey(
        "record.Family", null=True, blank=True, on_delete=models.PROTECT, related_name="escalations"
    )
    children = models.ManyToManyField("record.Child", through="EscalationChild", related_name="escalations")
    raised_date = models.DateField()
    raised_by = models.ForeignKey(
        "record.StaffMember", null=True, on_delete=models.PROTECT, related_name="escalations_raised"
    )
    stage_raised = models.PositiveSmallIntegerField(choices=STAGE_CHOICES)
    # Space-separated EscalationReason codes (the record's `reasons` list).
    reasons = models.CharField(max_length=300)
    concern = models.TextField(blank=True, help_text="What the chair is worried about and wants to happen")
    resolved_stage = models.PositiveSmallIntegerField(choices=STAGE_CHOICES, null=True, blank=True)
    resolved_date = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-raised_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_date__isnull=True) | Q(resolved_date__gte=models.F("raised_date")),
                name="escalation_resolved_after_raised",
            ),
            models.CheckConstraint(
                condition=Q(resolved_stage__isnull=True, resolved_date__isnull=True)
                | Q(resolved_stage__isnull=False, resolved_date__isnull=False),
                name="escalation_resolved_stage_and_date_together",
            ),
        ]

    def __str__(self) -> str:
        return f"Escalation {self.pk}"

    @property
    def reason_codes(self) -> list[str]:
        return self.reasons.split()

    @property
    def is_resolved(self) -> bool:
        return self.resolved_date is not None

    def current_stage(self) -> EscalationStage | None:
        """The stage still waiting for an outcome, if any."""
        return self.stages.filter(outcome="").order_by("-stage").first()

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.stage_raised not in codes.ESCALATION_STAGE:
            errors["stage_raised"] = f"unknown escalation stage {self.stage_raised!r}"
        if not self.reason_codes:
            errors["reasons"] = "give at least one reason for the escalation"
        if errors:
            raise ValidationError(errors)


class EscalationChild(models.Model):
    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey("record.Child", on_delete=models.PROTECT, related_name="escalation_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["escalation", "child"], name="one_link_per_escalated_child")
        ]


class EscalationStage(models.Model):
    """One stage of an escalation: who must respond, by when, what they said, and what followed."""

    OUTCOME_CHOICES = [("resolved", "Resolved"), ("escalated", "Escalated to the next stage")]

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="stages")
    stage = models.PositiveSmallIntegerField(choices=STAGE_CHOICES)
    started_date = models.DateField()
    response_due_date = models.DateField()
    owner = models.CharField(max_length=120, help_text="Who must respond: the manager's name and post")
    response_date = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=OUTCOME_CHOICES, blank=True)
    outcome_date = models.DateField(null=True, blank=True)
    onward_reason = models.CharField(
        max_length=30, choices=codes.choices(codes.ESCALATION_ONWARD_REASON), blank=True
    )

    class Meta:
        ordering = ["escalation", "stage"]
        constraints = [
            models.UniqueConstraint(fields=["escalation", "stage"], name="one_row_per_escalation_stage"),
            models.CheckConstraint(
                condition=Q(response_due_date__gte=models.F("started_date")),
                name="escalation_response_due_after_start",
            ),
            models.CheckConstraint(
                condition=Q(response_date__isnull=True) | Q(response_date__gte=models.F("started_date")),
                name="escalation_response_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="escalated") | ~Q(onward_reason=""),
                name="escalated_stage_has_onward_reason",
            ),
        ]

    def __str__(self) -> str:
        return codes.ESCALATION_STAGE.get(self.stage, str(self.stage))

    @property
    def is_open(self) -> bool:
        return not self.outcome

    @property
    def awaiting_response(self) -> bool:
        return self.is_open and self.response_date is None


class ConcernNote(models.Model):
    """An informal concern or a QA case note: the chair's footprint on the child's file."""

    kind = models.CharField(max_length=30, choices=codes.choices(codes.CONCERN_NOTE_KIND))
    child = models.ForeignKey(
        "record.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="concern_notes"
    )
    family = models.ForeignKey(
        "record.Family", null=True, blank=True, on_delete=models.PROTECT, related_name="concern_notes"
    )
    recorded_date = models.DateField()
    author = models.ForeignKey(
        "record.StaffMember", null=True, on_delete=models.PROTECT, related_name="concern_notes"
    )
    note = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=False) | Q(family__isnull=False),
                name="concern_note_about_child_or_family",
            )
        ]

    def clean(self) -> None:
        if self.kind not in codes.CONCERN_NOTE_KIND:
            raise ValidationError({"kind": f"unknown kind of note {self.kind!r}"})


class RepeatPlanReview(models.Model):
    """The QA manager's review of a second or subsequent plan: one per plan start."""

    plan = models.OneToOneField("record.Plan", on_delete=models.PROTECT, related_name="repeat_review")
    reviewed_date = models.DateField()
    finding = models.CharField(max_length=40, choices=codes.choices(codes.REPEAT_PLAN_FINDING))
    themes = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        "record.StaffMember", null=True, on_delete=models.PROTECT, related_name="repeat_plan_reviews"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_date", "-pk"]

    def clean(self) -> None:
        if self.finding not in codes.REPEAT_PLAN_FINDING:
            raise ValidationError({"finding": f"unknown finding {self.finding!r}"})


class LongPlanPanelReview(models.Model):
    """The monthly panel's decision on a child who has been on a plan for 12 months or more."""

    plan = models.ForeignKey("record.Plan", on_delete=models.PROTECT, related_name="panel_reviews")
    panel_date = models.DateField()
    # The plan's length band on the panel date (cpqa.domain.oversight.LONG_PLAN_BANDS); blank under
    # 12 months, where only the authority's earlier flag (`milestone_months`) was reached.
    band = models.CharField(max_length=20, blank=True)
    # The latest of the authority's long-plan flags the plan had reached on the panel date.
    milestone_months = models.PositiveSmallIntegerField(null=True, blank=True)
    decision = models.TextField()
    actions = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-panel_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "panel_date"], name="one_panel_decision_per_plan_per_day")
        ]


class MidwayReview(models.Model):
    """A chair's review half way between conferences, with the social worker and their manager.

    A row with no held date is an assignment to a chair for the due date.
    """

    plan = models.ForeignKey("record.Plan", on_delete=models.PROTECT, related_name="midway_reviews")
    due_date = models.DateField()
    held_date = models.DateField(null=True, blank=True)
    chair = models.ForeignKey(
        "record.StaffMember", null=True, blank=True, on_delete=models.PROTECT, related_name="midway_reviews"
    )
    social_worker_present = models.BooleanField(null=True, blank=True)
    manager_present = models.BooleanField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="Progress with the plan and any changes it needs")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "due_date"], name="one_midway_review_per_due_date")
        ]


class ReportFeedback(models.Model):
    """When the family had the social worker's report for one child's conference."""

    subject = models.OneToOneField(
        "record.ConferenceSubject", on_delete=models.CASCADE, related_name="report_feedback_detail"
    )
    shared_with_family_date = models.DateField(null=True, blank=True)
    graded_by = models.ForeignKey("record.StaffMember", null=True, on_delete=models.PROTECT, related_name="+")
    graded_at = models.DateTimeField(auto_now=True)
