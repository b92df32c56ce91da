"""Sign-in beyond the password (second factor, password change and reset) and the
administrator's accounts page. ACCESS: the URL-by-role test's expectations (cpqa.accounts.access)."""

from django.urls import path

from cpqa.accounts.access import PUBLIC_EXPECT, Expect, Sample, expect
from cpqa.accounts.models import Role
from cpqa.accounts.roles import ALL_ROLES
from cpqa.ui.navigation import NavItem
from cpqa.web import account_pages, sign_in_pages

urlpatterns = [
    path("sign-in/second-factor/", sign_in_pages.second_factor_verify, name="second_factor_verify"),
    path("sign-in/second-factor/set-up/", sign_in_pages.second_factor_set_up, name="second_factor_set_up"),
    path("sign-in/second-factor/qr-code.svg", sign_in_pages.second_factor_qr, name="second_factor_qr"),
    path(
        "sign-in/second-factor/recovery-codes/", sign_in_pages.second_factor_recovery_codes,
        name="second_factor_recovery_codes",
    ),
    path("password/change/", sign_in_pages.password_change, name="password_change"),
    path("password/change/done/", sign_in_pages.password_change_done, name="password_change_done"),
    path("password/reset/", sign_in_pages.password_reset, name="password_reset"),
    path("password/reset/sent/", sign_in_pages.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/", sign_in_pages.password_reset_confirm, name="password_reset_confirm"
    ),
    path("password/reset/done/", sign_in_pages.password_reset_complete, name="password_reset_complete"),
    path("accounts/", account_pages.account_list, name="account_list"),
    path("accounts/new/", account_pages.account_new, name="account_new"),
    path("accounts/<int:pk>/", account_pages.account_detail, name="account_detail"),
    path("accounts/<int:pk>/disable/", account_pages.account_disable, name="account_disable"),
    path("accounts/<int:pk>/enable/", account_pages.account_enable, name="account_enable"),
    path("accounts/<int:pk>/unlock/", account_pages.account_unlock, name="account_unlock"),
    path(
        "accounts/<int:pk>/reset-second-factor/", account_pages.account_reset_second_factor,
        name="account_reset_second_factor",
    ),
    path("accounts/<int:pk>/role/", account_pages.account_role, name="account_role"),
    path("accounts/<int:pk>/teams/", account_pages.account_teams, name="account_teams"),
]

_ADMIN = {Role.ADMINISTRATOR}
# The sample account is the chair's, never the administrator's own (disabling oneself is refused).
_ACCOUNT = {"pk": Sample("user")}

ACCESS = {
    "second_factor_verify": expect(ALL_ROLES),
    "second_factor_set_up": expect(ALL_ROLES),
    "second_factor_qr": expect(ALL_ROLES),
    "second_factor_recovery_codes": expect(ALL_ROLES),
    "password_change": expect(ALL_ROLES),
    "password_change_done": expect(ALL_ROLES),
    "password_reset": PUBLIC_EXPECT,
    "password_reset_done": PUBLIC_EXPECT,
    "password_reset_confirm": Expect(
        allowed=PUBLIC_EXPECT.allowed, sample={"uidb64": "MQ", "token": "not-a-token"}, public=True
    ),
    "password_reset_complete": PUBLIC_EXPECT,
    "account_list": expect(_ADMIN),
    "account_new": expect(_ADMIN),
    "account_detail": expect(_ADMIN, _ACCOUNT),
    "account_disable": expect(_ADMIN, _ACCOUNT, method="post"),
    "account_enable": expect(_ADMIN, _ACCOUNT, method="post"),
    "account_unlock": expect(_ADMIN, _ACCOUNT, method="post"),
    "account_reset_second_factor": expect(_ADMIN, _ACCOUNT, method="post"),
    "account_role": expect(_ADMIN, _ACCOUNT, method="post"),
    "account_teams": expect(_ADMIN, _ACCOUNT, method="post"),
}

NAVIGATION = [
    NavItem("Accounts", "account_list", frozenset(_ADMIN)),
]
