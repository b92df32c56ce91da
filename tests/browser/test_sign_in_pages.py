"""The sign-in pages a person sees with the second factor on, checked with axe-core (WCAG 2.2 AA)
like every other page: set up the authenticator app (QR code), the recovery codes shown once,
the security-code page, and the sign-in page with its council-account button. The other new
pages (password change and reset, the accounts pages) are in the walk of test_every_page.py."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from cpqa.accounts.models import Role, User
from tests.browser.helpers import Steps
from tests.web.samples import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _code(device: TOTPDevice, later: int = 0) -> str:
    clock = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    clock.time = time.time() + later
    return f"{clock.token():06d}"


def _password(page: Page, steps: Steps, username: str) -> None:
    steps.visit("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_setting_up_the_app_and_entering_a_code(page: Page, steps: Steps, second_factor_on: None) -> None:
    user = User.objects.create_user("test-browser-2fa", password=PASSWORD, role=Role.ANALYST)
    _password(page, steps, user.username)
    expect(page.get_by_role("heading", level=1, name="Set up your authenticator app")).to_be_visible()
    # The QR code is an image the browser loaded from the service itself (CSP img-src 'self').
    qr = page.get_by_role("img", name=re.compile("^QR code to set up"))
    expect(qr).to_be_visible()
    assert page.evaluate("el => el.naturalWidth", qr.element_handle()) > 0
    steps.check("second-factor-set-up")

    device = TOTPDevice.objects.get(user=user)
    page.get_by_label("Security code").fill(_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1, name="Your authenticator app is set up")).to_be_visible()
    assert page.locator(".cpqa-recovery-codes li").count() == 10
    steps.check("second-factor-recovery-codes")
    page.get_by_role("button", name="I have kept my recovery codes").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Today"))).to_be_visible()

    steps.sign_out()
    _password(page, steps, user.username)
    expect(page.get_by_role("heading", level=1, name="Enter your security code")).to_be_visible()
    steps.check("second-factor-verify")
    accepted = {_code(device, later) for later in (-30, 0, 30)}
    page.get_by_label("Security code").fill(next(c for c in ("000000", "111111", "222222") if c not in accepted))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    steps.check("second-factor-wrong-code")
    time.sleep(1.1)  # django-otp's wait after a wrong code
    page.get_by_label("Security code").fill(_code(device, 30))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("^Today"))).to_be_visible()


def test_sign_in_page_with_the_council_account_button(page: Page, steps: Steps, settings: Any) -> None:
    settings.CPQA_OIDC_ENABLED = True
    settings.ROOT_URLCONF = "tests.accounts.sso_urls"
    settings.OIDC_RP_CLIENT_ID = "cpqa-test-client"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "http://127.0.0.1:9/authorize"
    steps.visit("/sign-in/")
    expect(page.get_by_role("button", name="Sign in with your council account")).to_be_visible()
    steps.check("sign-in-with-council-account")
