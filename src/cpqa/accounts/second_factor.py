"""The second factor for local accounts: an authenticator app (TOTP) and one-use recovery codes.

Built on django-otp: a `TOTPDevice` per account (unconfirmed while the person is setting it
up) and a `StaticDevice` holding the recovery codes, each used once. django-otp throttles wrong
codes on each device (the wait doubles with each failure), so a 6-digit code cannot be guessed
by trying. An account that signs in with the council's own account (single sign-on) has no
device here: the council's identity provider asks for its second factor.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cpqa.accounts.audit import log_event
from cpqa.accounts.models import User

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# The session key backend name single sign-on uses (django.contrib.auth stores it per session).
OIDC_BACKEND = "cpqa.accounts.oidc.CouncilOIDCBackend"


def required(request: HttpRequest) -> bool:
    """Whether this signed-in session still owes a second factor before it sees any page."""
    if not settings.CPQA_REQUIRE_2FA:
        return False
    user = request.user
    if not user.is_authenticated:
        return False
    if request.session.get("_auth_user_backend") == OIDC_BACKEND:
        return False
    return not user.is_verified()


def has_app(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def device_being_set_up(user: User) -> TOTPDevice:
    """The unconfirmed app device for this account, made on first ask (one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_for_typing(device: TOTPDevice) -> str:
    """The key as base32 in groups of four, for someone who types it into the app by hand."""
    import base64

    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_code_svg(device: TOTPDevice) -> bytes:
    """The app's set-up address as a QR code in SVG (served by a view, never stored)."""
    code = segno.make(device.config_url, error="m")
    from io import BytesIO

    out = BytesIO()
    code.save(out, kind="svg", scale=5, border=4, dark="#0b0c0c", light="#ffffff", xmldecl=False,
              title="QR code to set up your authenticator app")
    return out.getvalue()


@transaction.atomic
def confirm_app(request: HttpRequest, code: str) -> list[str] | None:
    """Check the first code from the app being set up; on success the app becomes the account's
    only one, new recovery codes replace the old, the session counts as verified, and the codes
    are returned (to be shown once). None when the code is wrong."""
    user: User = request.user
    if has_app(user):
        # Never replace a confirmed app this way (see cpqa.web.sign_in_pages.second_factor_set_up).
        return None
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token(_digits(code)):
        _note(request, "set-up code refused")
        return None
    _note(request, "app set up")
    device.confirmed = True
    device.save()
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = new_recovery_codes(user)
    otp_login(request, device)
    return codes


def new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def verify(request: HttpRequest, code: str) -> Device | None:
    """Accept a code from the app or an unused recovery code; the device that took it, or None."""
    user: User = request.user
    token = code.strip().replace(" ", "")
    with transaction.atomic():
        for model, value in ((TOTPDevice, _digits(token)), (StaticDevice, token.lower())):
            for device in model.objects.select_for_update().filter(user=user, confirmed=True):
                if device.verify_is_allowed()[0] and device.verify_token(value):
                    otp_login(request, device)
                    _note(request, "recovery code used" if model is StaticDevice else "code accepted")
                    return device
    _note(request, "code refused")
    return None


def _note(request: HttpRequest, what: str) -> None:
    """Every second-factor event goes to the access log (an investigator's question: who tried
    codes for this account, and when); `what` never holds the code itself."""
    log_event("second_factor", user=request.user, detail=what, ip_address=request.META.get("REMOTE_ADDR"))


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def remove_all(user: User) -> int:
    """Delete every device of the account (an administrator's reset); how many there were."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).count()
    StaticDevice.objects.filter(user=user).delete()
    return removed


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())
