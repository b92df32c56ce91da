"""What an administrator does to accounts: each change checked, made, and logged (AccountChange).

Every function takes `by`, the administrator, and refuses (`Refusal`, in the user's words) a
change that cannot be made, changing nothing. Disabling an account or resetting its second
factor ends the account's sessions at once: it is signed out wherever it was signed in.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cpqa.accounts import second_factor
from cpqa.accounts.models import AccountChange, Role, User
from cpqa.core.errors import Refusal


def _note(by: User | None, account: User, action: str, old: str = "", new: str = "") -> None:
    AccountChange.objects.create(
        by=by, by_username=by.get_username() if by else "", account=account,
        account_username=account.get_username(), action=action, old_value=old[:200], new_value=new[:200],
    )


def _require_administrator(by: User) -> None:
    if not (by is not None and by.has_role(Role.ADMINISTRATOR)):
        raise Refusal("Only an administrator can change accounts")


def end_sessions(account: User) -> int:
    """Delete every live session of the account, so it is signed out at once; how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(account.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def do_create_account(
    *, by: User, username: str, role: str, first_name: str, last_name: str, email: str, password: str,
    teams: Iterable[object] = (),
) -> User:
    _require_administrator(by)
    username = username.strip()
    if not username:
        raise Refusal("Enter a username")
    if User.objects.filter(username__iexact=username).exists():
        raise Refusal(f"The username {username} is already taken")
    if role not in Role.values:
        raise Refusal("Choose a role from the list")
    account = User(username=username, role=role, first_name=first_name.strip(), last_name=last_name.strip(),
                   email=email.strip())
    try:
        validate_password(password, account)
    except ValidationError as error:
        raise Refusal("Password: " + " ".join(error.messages)) from None
    account.set_password(password)
    account.save()
    team_list = list(teams)
    if team_list:
        if role != Role.SOCIAL_WORK_MANAGER:
            raise Refusal("Teams are only for social work managers")
        account.teams.set(team_list)
    _note(by, account, "create", "", Role(role).label)
    return account


@transaction.atomic
def do_set_active(*, by: User, account: User, active: bool) -> None:
    _require_administrator(by)
    if account.pk == by.pk and not active:
        raise Refusal("You cannot disable your own account: ask another administrator")
    if account.is_active == active:
        return
    account.is_active = active
    account.save(update_fields=["is_active"])
    if not active:
        end_sessions(account)
    states = ("disabled", "active")
    _note(by, account, "enable" if active else "disable", states[not active], states[active])


@transaction.atomic
def do_unlock(*, by: User, account: User) -> int:
    """Clear the account's failed sign-ins (django-axes), so it can sign in again now."""
    from axes.utils import reset

    _require_administrator(by)
    cleared = reset(username=account.get_username())
    _note(by, account, "unlock", f"{cleared} lock-out record(s)", "unlocked")
    return cleared


@transaction.atomic
def do_reset_second_factor(*, by: User, account: User) -> None:
    """Remove the account's app and recovery codes and sign it out: it sets up a new app on its
    next sign-in (for a lost or replaced phone)."""
    _require_administrator(by)
    if account.signs_in_with_council_account:
        raise Refusal("This account signs in with the council's account, whose second factor the council manages")
    removed = second_factor.remove_all(account)
    end_sessions(account)
    _note(by, account, "reset_2fa", f"{removed} device(s)", "none")


@transaction.atomic
def do_change_role(*, by: User, account: User, role: str) -> None:
    _require_administrator(by)
    if role not in Role.values:
        raise Refusal("Choose a role from the list")
    if account.pk == by.pk and role != Role.ADMINISTRATOR:
        raise Refusal("You cannot take the administrator role from yourself: ask another administrator")
    if account.role == role:
        return
    old = account.role
    account.role = role
    account.save(update_fields=["role"])
    if role != Role.SOCIAL_WORK_MANAGER:
        account.teams.clear()
    _note(by, account, "role", Role(old).label, Role(role).label)


@transaction.atomic
def do_set_teams(*, by: User, account: User, teams: Iterable[object]) -> None:
    _require_administrator(by)
    team_list = list(teams)
    if team_list and account.role != Role.SOCIAL_WORK_MANAGER:
        raise Refusal("Teams are only for social work managers")
    old = sorted(account.teams.values_list("name", flat=True))
    account.teams.set(team_list)
    new = sorted(account.teams.values_list("name", flat=True))
    if old != new:
        _note(by, account, "teams", ", ".join(old), ", ".join(new))


def note_role_from_sign_on(account: User, old: str, new: str) -> None:
    """Single sign-on set or changed the account's role from its groups: logged like the rest."""
    _note(None, account, "sso_role", Role(old).label if old in Role.values else old, Role(new).label)
