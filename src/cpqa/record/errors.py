"""The one error a write to the record raises when the record's state forbids it."""

from __future__ import annotations

from cpqa.core.errors import Refusal


class RecordError(Refusal):
    """A refused write; the message names the child's local id and the field, never a name."""
