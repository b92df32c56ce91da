"""Headers every dynamic answer carries, and the absolute end of a signed-in session.

- Content-Security-Policy: scripts, styles, fonts and images from this site only; no inline
  script or style anywhere (the templates keep theirs in static files), nothing may frame a page.
- Permissions-Policy: no page may use the camera, microphone, location and the like.
- Cache-Control: no-store on every answer that passes through Django (pages and downloads: a
  CSV of children must not stay in a shared computer's browser cache or a proxy). Static files
  are served by WhiteNoise before this middleware and keep their long caching.

A fixed policy needs no library (django-csp's nonces are for inline scripts, which cpqa has none of).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "usb", "screen-wake-lock", "xr-spatial-tracking",
    )
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        add_never_cache_headers(response)
        return response


# When the session was signed in, as a POSIX timestamp (set on sign-in, cpqa.web.apps).
SIGNED_IN_AT = "cpqa_signed_in_at"


def note_sign_in(sender: object, request: HttpRequest, **_: object) -> None:
    """user_logged_in receiver: start the absolute clock of this session."""
    request.session[SIGNED_IN_AT] = timezone.now().timestamp()


class AbsoluteSessionTimeoutMiddleware:
    """Sign a session out CPQA_SESSION_HOURS after it signed in, however busy it has been.

    Django's own expiry moves on whenever the session is written, so it is not an absolute end;
    this is. (Signing out after a time of no use is the idle timeout, a separate control.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.get(SIGNED_IN_AT)
            if not isinstance(started, (int, float)):
                # A session from before this control: its clock starts now.
                request.session[SIGNED_IN_AT] = now
            elif now - started > settings.CPQA_SESSION_ABSOLUTE_SECONDS:
                # Signed out here; the sign-in rule (LoginRequiredMiddleware) then asks to sign in.
                logout(request)
        return self.get_response(request)
