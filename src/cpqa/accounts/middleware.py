"""Two rules every request passes: sign out a session left idle, and hold a session that still
owes its second factor at the second-factor pages."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from cpqa.accounts import second_factor
from cpqa.accounts.access import ACCESS_ATTRIBUTE, PUBLIC

LAST_SEEN_KEY = "cpqa_last_seen"
# The last-seen time is written at most once a minute, not on every request.
LAST_SEEN_RESOLUTION_SECONDS = 60
# Views a session that still owes its second factor may open (they carry this attribute).
BEFORE_SECOND_FACTOR = "cpqa_before_second_factor"


def before_second_factor(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view as open to a signed-in session that has not yet given its second factor."""
    setattr(view, BEFORE_SECOND_FACTOR, True)
    return view


class IdleTimeoutMiddleware:
    """Sign out a session not used for CPQA_IDLE_MINUTES (the absolute end is a separate rule)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - float(last_seen) > settings.CPQA_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    f"You were signed out because the service was not used for "
                    f"{settings.CPQA_IDLE_MINUTES} minutes. Sign in again to carry on.",
                )
            elif last_seen is None or now - float(last_seen) >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """A local account signed in with its password alone is sent to set up its authenticator app
    (no app yet) or to enter a code (has one); only public pages, sign-out and the second-factor
    pages are open until then."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if getattr(view_func, ACCESS_ATTRIBUTE, None) == PUBLIC:
            return None
        pending = second_factor.required(request)
        # The header shows no menu to such a session (cpqa.ui's service navigation reads this).
        request.cpqa_second_factor_pending = pending
        if not pending or getattr(view_func, BEFORE_SECOND_FACTOR, False):
            return None
        target = "second_factor_verify" if second_factor.has_app(request.user) else "second_factor_set_up"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return HttpResponseRedirect(reverse(target) + (f"?{query}" if query else ""))
