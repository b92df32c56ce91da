"""The day the service treats as today.

Live, it is the date in London. The demo's synthetic record was taken on a fixed day, so the
demo sets CPQA_TODAY to that day and every list reads as it would have then.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def service_today() -> dt.date:
    text = getattr(settings, "CPQA_TODAY", "") or ""
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ImproperlyConfigured(f"CPQA_TODAY={text!r} is not a date in the form YYYY-MM-DD") from None


def is_pinned() -> bool:
    """True when CPQA_TODAY fixes the day (the demo), so pages can say so."""
    return bool(getattr(settings, "CPQA_TODAY", ""))
