"""The administrator's accounts page: every account, a new one, and on each account the actions
(disable or enable, unlock, reset the second factor, change role or teams). Each action is a
service in cpqa.accounts.services, which checks it and logs it (AccountChange)."""

from __future__ import annotations

from collections.abc import Callable

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from cpqa.accounts import services
from cpqa.accounts.access import role_required
from cpqa.accounts.models import AccountChange, Role, User
from cpqa.core.errors import Refusal
from cpqa.web.account_forms import NewAccountForm, RoleForm, TeamsForm
from cpqa.web.tables import Cell, Table

ADMIN = Role.ADMINISTRATOR


def _locked_usernames() -> set[str]:
    return set(
        AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


def _second_factor_text(user: User, with_app: set[int]) -> str:
    if user.signs_in_with_council_account:
        return "Council account (single sign-on)"
    return "Set up" if user.pk in with_app else "Not set up"


@role_required(ADMIN)
def account_list(request: HttpRequest) -> HttpResponse:
    users = list(User.objects.order_by("username"))
    with_app = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    locked = _locked_usernames()
    rows = [
        [
            Cell(user.username, href=reverse("account_detail", kwargs={"pk": user.pk})),
            user.get_full_name() or "–",
            user.role_label,
            "Active" if user.is_active else "Disabled",
            "Locked" if user.username in locked else "–",
            _second_factor_text(user, with_app),
        ]
        for user in users
    ]
    table = Table.of(
        f"{len(users)} accounts", ["Username", "Name", "Role", "Status", "Lock-out", "Second factor"], rows,
        empty_message="No accounts yet.",
    )
    return render(request, "accounts/account_list.html", {"table": table})


@role_required(ADMIN)
def account_new(request: HttpRequest) -> HttpResponse:
    form = NewAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = services.do_create_account(
                by=request.user, username=data["username"], role=data["role"], first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"], password=data["password"], teams=data["teams"],
            )
        except Refusal as refusal:
            field = "password" if str(refusal).startswith("Password") else (
                "teams" if "Teams" in str(refusal) else "username"
            )
            form.add_error(field, str(refusal))
        else:
            messages.success(request, f"Account {account.username} created.")
            return HttpResponseRedirect(reverse("account_detail", kwargs={"pk": account.pk}))
    return render(request, "accounts/account_new.html", {"form": form})


def _account(pk: int) -> User:
    account = User.objects.filter(pk=pk).first()
    if account is None:
        raise Http404("No such account.")
    return account


@role_required(ADMIN)
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(pk)
    return _render_detail(request, account)


def _render_detail(
    request: HttpRequest, account: User, role_form: RoleForm | None = None, teams_form: TeamsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    with_app = set(TOTPDevice.objects.filter(user=account, confirmed=True).values_list("user_id", flat=True))
    locked = account.username in _locked_usernames()
    rows = [
        ("Username", account.username),
        ("Name", account.get_full_name() or "–"),
        ("Email address", account.email or "–"),
        ("Role", account.role_label),
        ("Teams", ", ".join(sorted(account.teams.values_list("name", flat=True))) or "–"),
        ("Status", "Active" if account.is_active else "Disabled"),
        ("Lock-out", "Locked after too many wrong passwords" if locked else "Not locked"),
        ("Second factor", _second_factor_text(account, with_app)),
        ("Last sign-in", timezone.localtime(account.last_login).strftime("%d/%m/%Y %H:%M") if account.last_login else "Never"),
    ]
    changes = Table.of(
        "Changes to this account, newest first", ["When", "By", "Change", "From", "To"],
        [
            [timezone.localtime(c.at).strftime("%d/%m/%Y %H:%M:%S"), c.by_username or "single sign-on",
             dict(AccountChange.ACTIONS)[c.action], c.old_value or "–", c.new_value or "–"]
            for c in AccountChange.objects.filter(account=account)[:50]
        ],
        empty_message="No changes recorded.",
    )
    context = {
        "account": account, "rows": rows, "locked": locked, "changes": changes,
        "has_second_factor": bool(with_app),
        "role_form": role_form or RoleForm(initial={"role": account.role}, prefix="role"),
        "teams_form": teams_form or TeamsForm(initial={"teams": list(account.teams.all())}, prefix="teams"),
        "is_self": account.pk == request.user.pk,
    }
    return render(request, "accounts/account_detail.html", context, status=status)


def _action(run: Callable[[User, User, HttpRequest], str]) -> Callable[..., HttpResponse]:
    """A POST action on one account: run it, say what happened, back to the account's page."""

    @role_required(ADMIN)
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        account = _account(pk)
        try:
            done = run(request.user, account, request)
        except Refusal as refusal:
            messages.error(request, str(refusal))
        else:
            if done:
                messages.success(request, done)
        return HttpResponseRedirect(reverse("account_detail", kwargs={"pk": account.pk}))

    view.__name__ = run.__name__
    return view


def _disable(by: User, account: User, request: HttpRequest) -> str:
    services.do_set_active(by=by, account=account, active=False)
    return f"{account.username} is disabled and has been signed out."


def _enable(by: User, account: User, request: HttpRequest) -> str:
    services.do_set_active(by=by, account=account, active=True)
    return f"{account.username} can sign in again."


def _unlock(by: User, account: User, request: HttpRequest) -> str:
    services.do_unlock(by=by, account=account)
    return f"{account.username} is unlocked and can try to sign in again now."


def _reset_second_factor(by: User, account: User, request: HttpRequest) -> str:
    services.do_reset_second_factor(by=by, account=account)
    return f"{account.username}'s authenticator app and recovery codes are removed; they set up a new app when they next sign in."


account_disable = _action(_disable)
account_enable = _action(_enable)
account_unlock = _action(_unlock)
account_reset_second_factor = _action(_reset_second_factor)


@role_required(ADMIN)
@require_POST
def account_role(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(pk)
    form = RoleForm(request.POST, prefix="role")
    if form.is_valid():
        try:
            services.do_change_role(by=request.user, account=account, role=form.cleaned_data["role"])
        except Refusal as refusal:
            form.add_error("role", str(refusal))
        else:
            messages.success(request, f"{account.username} is now {account.role_label}.")
            return HttpResponseRedirect(reverse("account_detail", kwargs={"pk": account.pk}))
    return _render_detail(request, account, role_form=form)


@role_required(ADMIN)
@require_POST
def account_teams(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(pk)
    form = TeamsForm(request.POST, prefix="teams")
    if form.is_valid():
        try:
            services.do_set_teams(by=request.user, account=account, teams=form.cleaned_data["teams"])
        except Refusal as refusal:
            form.add_error("teams", str(refusal))
        else:
            messages.success(request, f"{account.username}'s teams are saved.")
            return HttpResponseRedirect(reverse("account_detail", kwargs={"pk": account.pk}))
    return _render_detail(request, account, teams_form=form)

