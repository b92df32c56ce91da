"""The day the service treats as today: the one clock every page, form, validation, command,
tracker and report stamp reads.

Live, it is the date in London. The demo's synthetic record was taken on a fixed day, so the
demo sets CPQA_TODAY to that day and everything reads as it would have then: ages, days on a
plan, what is due and late, and what may be recorded as having happened.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The service runs in England; its day turns at midnight in London, whatever the server's zone.
SERVICE_ZONE = ZoneInfo("Europe/London")


def _pinned_text() -> str:
    # A command with no Django set up (a report from a census file) reads the same setting from
    # the environment that the settings module reads it from.
    if settings.configured:
        return getattr(settings, "CPQA_TODAY", "") or ""
    return os.environ.get("CPQA_TODAY", "")


def service_today() -> dt.date:
    text = _pinned_text()
    if not text:
        return dt.datetime.now(SERVICE_ZONE).date()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ImproperlyConfigured(f"CPQA_TODAY={text!r} is not a date in the form YYYY-MM-DD") from None


def service_now() -> dt.datetime:
    """The service's day at the time of day now in London: a stamp for files the service writes."""
    now = dt.datetime.now(SERVICE_ZONE)
    return dt.datetime.combine(service_today(), now.time().replace(microsecond=0))


def is_pinned() -> bool:
    """True when CPQA_TODAY fixes the day (the demo), so pages can say so."""
    return bool(_pinned_text())
