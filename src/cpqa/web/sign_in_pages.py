"""Sign-in pages beyond the password: the second factor (set up, enter a code, recovery codes),
password change and reset. The rules behind them are in cpqa.accounts (second_factor, oidc)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme

from cpqa.accounts import oidc, second_factor
from cpqa.accounts.access import public_page, role_required
from cpqa.accounts.middleware import before_second_factor
from cpqa.accounts.roles import ALL_ROLES
from cpqa.web.account_forms import (
    AppCodeForm,
    CodeForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from cpqa.web.forms import SignInForm

RECOVERY_CODES_SESSION_KEY = "cpqa_recovery_codes_to_show"
WRONG_CODE = (
    "The security code is not right, or too many codes were tried: check the code in your app "
    "(or a recovery code), wait a minute and try again."
)


class SignInView(auth_views.LoginView):
    template_name = "web/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["single_sign_on"] = oidc.enabled()
        context["password_only"] = not settings.CPQA_REQUIRE_2FA
        return context


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("today")


def _guarded(view: Any) -> Any:
    return before_second_factor(role_required(*ALL_ROLES)(view))


@_guarded
def second_factor_set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), enter its first code."""
    # Only an account with no app sets one up: with the password alone, nobody may swap in an
    # app of their own for the one the account has (a new phone goes through the administrator).
    if second_factor.has_app(request.user):
        pending = second_factor.required(request)
        return HttpResponseRedirect(reverse("second_factor_verify") if pending else _next(request))
    device = second_factor.device_being_set_up(request.user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm_app(request, form.cleaned_data["code"])
        if codes is not None:
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return HttpResponseRedirect(reverse("second_factor_recovery_codes") + "?" + _next_query(request))
        form.add_error("code", "The code is not right. Enter the code your app shows now (it changes every 30 seconds); after several wrong codes, wait a minute first")
    return render(request, "accounts/second_factor_set_up.html", {
        "form": form, "secret": second_factor.secret_for_typing(device), "next": _next(request),
    })


def _next_query(request: HttpRequest) -> str:
    from urllib.parse import urlencode

    return urlencode({"next": _next(request)})


@_guarded
def second_factor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the app being set up, as SVG: only to its own session, never cached."""
    if second_factor.has_app(request.user):
        raise Http404("No app is being set up.")
    device = second_factor.device_being_set_up(request.user)
    response = HttpResponse(second_factor.qr_code_svg(device), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@_guarded
def second_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown this once (they are stored only as used/unused tokens)."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        messages.info(request, "Recovery codes are shown only once, when the app is set up. "
                      "Ask the administrator to reset your second factor if you have lost them.")
        return HttpResponseRedirect(_next(request))
    return render(request, "accounts/second_factor_recovery_codes.html", {"codes": codes, "next": _next(request)})


@_guarded
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    """Enter the code from the app (or a recovery code) after the password."""
    if not second_factor.required(request):
        return HttpResponseRedirect(_next(request))
    if not second_factor.has_app(request.user):
        return HttpResponseRedirect(reverse("second_factor_set_up") + "?" + _next_query(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor.verify(request, form.cleaned_data["code"])
        if device is not None:
            if device.name == second_factor.RECOVERY_DEVICE_NAME:
                left = second_factor.recovery_codes_left(request.user)
                messages.info(request, f"You used a recovery code. You have {left} left.")
            return HttpResponseRedirect(_next(request))
        form.add_error("code", WRONG_CODE)
    return render(request, "accounts/second_factor_verify.html", {"form": form, "next": _next(request)})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("password_change_done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not request.user.has_usable_password():
            return render(request, "accounts/password_change.html", {"council_account": True})
        return super().dispatch(request, *args, **kwargs)


password_change = role_required(*ALL_ROLES)(PasswordChangeView.as_view())
password_change_done = role_required(*ALL_ROLES)(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)
password_reset = public_page(auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html", form_class=PasswordResetForm,
    email_template_name="accounts/password_reset_email.txt", subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("password_reset_done"),
))
password_reset_done = public_page(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public_page(auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html", form_class=SetPasswordForm,
    success_url=reverse_lazy("password_reset_complete"),
))
password_reset_complete = public_page(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
)

sign_on_start = public_page(oidc.SignOnStart.as_view())
sign_on_callback = public_page(oidc.SignOnCallback.as_view())

