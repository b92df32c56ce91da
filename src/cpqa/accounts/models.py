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
    # Set for an account made by single sign-on: the identity provider's subject ("sub") for
    # this user, the one claim that never changes (names, emails and UPNs can).
    oidc_subject = models.CharField(max_length=255, null=True, blank=True, unique=True)

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and self.is_active and self.role in roles

    @property
    def signs_in_with_council_account(self) -> bool:
        return bool(self.oidc_subject)


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



class AccountChange(InsertOnly):
    """What an administrator did to an account (made, disabled, unlocked, second factor reset,
    role changed), by whom, from what to what: insert only, never changed."""

    ACTIONS = [
        ("create", "Created the account"),
        ("disable", "Disabled the account"),
        ("enable", "Enabled the account"),
        ("unlock", "Unlocked the account"),
        ("reset_2fa", "Reset the second factor"),
        ("role", "Changed the role"),
        ("teams", "Changed the teams"),
        ("sso_role", "Role set by single sign-on"),
    ]

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="account_changes_made")
    # Kept as text too, so the trail survives either account being removed.
    by_username = models.CharField(max_length=150)
    account = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="account_changes")
    account_username = models.CharField(max_length=150)
    action = models.CharField(max_length=12, choices=ACTIONS)
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
