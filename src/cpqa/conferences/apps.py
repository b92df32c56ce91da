from __future__ import annotations

import polars as pl
from django.apps import AppConfig
from django.db.models import QuerySet


class ConferencesConfig(AppConfig):
    name = "cpqa.conferences"
    label = "conferences"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The record reads the core group table through what this app registers, so the record
        # never imports a workflow (as `cpqa.oversight.apps` does for the QA tables).
        from cpqa.record import extensions

        extensions.register_tables("conferences", read=_read_conference_tables)


def _read_conference_tables(children: QuerySet | None) -> dict[str, pl.DataFrame]:
    from cpqa.conferences.tables import conference_tables

    return conference_tables(children)
