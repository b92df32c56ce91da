"""Views: thin. They check the role, call a selector or a service, and render."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from cpqa.accounts.access import ALL_ROLES, public_page, role_required
from cpqa.web.forms import SignInForm

sign_in = public_page(
    auth_views.LoginView.as_view(
        template_name="web/sign_in.html", authentication_form=SignInForm, redirect_authenticated_user=True
    )
)

sign_out = role_required(*ALL_ROLES)(require_POST(auth_views.LogoutView.as_view()))


@role_required(*ALL_ROLES)
def today(request: HttpRequest) -> HttpResponse:
    return render(request, "web/today.html", {})
