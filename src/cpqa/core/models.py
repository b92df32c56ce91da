"""The authority's configuration as the database keeps it, and the log of every change to it.

One row of `AuthoritySettings` (the service runs for one authority) and the closure days; both
read into the domain's `AuthorityConfig` by `cpqa.core.config.authority_config()`, the one way
any caller gets them. Defaults are the domain's own, so an authority that has changed nothing
runs on exactly the defaults the definitions give.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from cpqa.domain.config import AuthorityConfig

DEFAULTS = AuthorityConfig()


def _working_days(default: int, most: int = 60) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(default=default, validators=[MaxValueValidator(most)])


def _age(default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(default=default, validators=[MaxValueValidator(17)])


class AuthoritySettings(models.Model):
    """What an authority configures; the single row has primary key 1."""

    name = models.CharField(max_length=120, default=DEFAULTS.name)
    la_code = models.CharField(
        max_length=3, default=DEFAULTS.la_code, validators=[RegexValidator(r"^\d{3}$")]
    )
    prebirth_days_before_delivery = models.PositiveSmallIntegerField(
        default=DEFAULTS.prebirth_days_before_delivery, validators=[MaxValueValidator(280)]
    )
    quoracy_social_care_required = models.BooleanField(default=DEFAULTS.quoracy.social_care_required)
    quoracy_other_agencies_required = models.PositiveSmallIntegerField(
        default=DEFAULTS.quoracy.other_agencies_required, validators=[MaxValueValidator(13)]
    )
    # Space-separated agency codes (cpqa.domain.codes.AGENCY) whose attendance counts.
    quoracy_counted_agencies = models.CharField(
        max_length=400, default=" ".join(sorted(DEFAULTS.quoracy.counted_agencies))
    )
    participation_booklet_from = _age(DEFAULTS.participation.booklet_from)
    participation_advocacy_from = _age(DEFAULTS.participation.advocacy_from)
    participation_attendance_from = _age(DEFAULTS.participation.attendance_from)
    report_shared_days_initial = _working_days(DEFAULTS.report_shared_days_initial)
    report_shared_days_review = _working_days(DEFAULTS.report_shared_days_review)
    agency_report_days_initial = _working_days(DEFAULTS.agency_report_days_initial)
    agency_report_days_review = _working_days(DEFAULTS.agency_report_days_review)
    invitation_days_after_booking = _working_days(DEFAULTS.invitation_days_after_booking)
    invitation_days_before_review = _working_days(DEFAULTS.invitation_days_before_review)
    decision_letter_days = _working_days(DEFAULTS.decision_letter_days)
    minutes_days = _working_days(DEFAULTS.minutes_days)
    escalation_stage_1_days = _working_days(DEFAULTS.escalation_response_working_days[1])
    escalation_stage_2_days = _working_days(DEFAULTS.escalation_response_working_days[2])
    escalation_stage_3_days = _working_days(DEFAULTS.escalation_response_working_days[3])
    # Space-separated months, e.g. "9 12 15 18".
    long_plan_flag_months = models.CharField(
        max_length=60, default=" ".join(str(m) for m in DEFAULTS.long_plan_flag_months)
    )
    core_group_interval_weeks = models.PositiveSmallIntegerField(
        default=DEFAULTS.core_group_interval_weeks, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "authority settings"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="one_authority_settings_row")]


class ClosureDay(models.Model):
    """A day the authority's offices are closed beyond England's bank holidays (not a working day)."""

    day = models.DateField(unique=True)
    description = models.CharField(max_length=120)

    class Meta:
        ordering = ["day"]


class InsertOnly(models.Model):
    """A log row: written once, never changed or deleted through the application."""

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError(f"{self._meta.verbose_name_plural} are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError(f"{self._meta.verbose_name_plural} are never deleted")


class ConfigurationChange(InsertOnly):
    """Who changed which setting, when, from what to what: insert only, never changed."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="configuration_changes"
    )
    username = models.CharField(max_length=150)
    setting = models.CharField(max_length=60)
    old_value = models.CharField(max_length=400, blank=True)
    new_value = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
