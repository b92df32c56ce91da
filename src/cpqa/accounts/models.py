"""Users, their roles, and the append-only access log."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from cpqa.core.models import InsertOnly


class Role(models.TextChoices):
    QA_MANAGER = "qa_manager", "QA service manager"
    CHAIR = "chair", "Child protection chair"
    BUSINESS_SUPPORT = "business_support", "Business support"
    SOCIAL_WORK_MANAGER = "social_work_manager", "Social work manager"
    ANALYST = "analyst", "Performance analyst"
    ADMINISTRATOR = "administrator", "Administrator"


class User(AbstractUser):
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.ANALYST)
    # For social work managers: the teams whose children they may see.
    teams = models.ManyToManyField("record.Team", blank=True, related_name="managers")

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.is_active and self.role in roles


class AccessEvent(InsertOnly):
    """One read of child-level data, one export or one report: insert only, never changed."""

    ACTIONS = [
        ("view", "Viewed a record"),
        ("list", "Listed records"),
        ("search", "Searched"),
        ("export", "Exported"),
        ("report", "Produced a report"),
        ("denied", "Was refused"),
    ]

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="access_events")
    username = models.CharField(max_length=150)
    role = models.CharField(max_length=30)
    action = models.CharField(max_length=10, choices=ACTIONS)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    # What was asked for, without personal data: a view name, a filter, a file format.
    detail = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]

