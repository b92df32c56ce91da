"""The accessibility check itself: it must find what it is meant to find, or a green journey
would prove nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import wcag_violations

pytestmark = pytest.mark.browser


def test_the_check_reports_an_unlabelled_field_and_low_contrast(page: Page) -> None:
    # A text box with no label fails WCAG 4.1.2 (axe rule "label", tagged wcag2a); grey #999 on
    # white is 2.8:1, under the 4.5:1 that WCAG 1.4.3 asks of body text ("color-contrast", wcag2aa).
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Check</title></head><body><main>'
        '<h1>Check</h1><input type="text"><p style="color:#999;background:#fff">Faint text</p>'
        "</main></body></html>"
    )
    assert {violation["id"] for violation in wcag_violations(page)} == {"label", "color-contrast"}


def test_the_check_passes_a_labelled_field(page: Page) -> None:
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Check</title></head><body><main>'
        '<h1>Check</h1><label for="name">Name</label><input id="name" type="text"></main></body></html>'
    )
    assert wcag_violations(page) == []
