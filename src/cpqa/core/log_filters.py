"""Log filters that keep personal data out of the application's logs."""

from __future__ import annotations

import logging


class DropTraceback(logging.Filter):
    """On django.request: keep the line ("Internal Server Error: /children/12/"; addresses carry
    ids only), drop the traceback, whose exception message may name a child. cpqa.web.errors logs
    the failure's kind and the code's lines instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
