from __future__ import annotations

from typing import Any

import polars as pl
from django.apps import AppConfig
from django.db.models import QuerySet


class OversightConfig(AppConfig):
    name = "cpqa.oversight"
    label = "oversight"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The record reads (and loads) the QA tables through what this app registers, so the
        # record never imports a workflow.
        from cpqa.record import extensions

        extensions.register_tables("oversight", read=_read_qa_tables, load=_load_qa_tables)


# The reader and the loader import their modules when first called, not in ready(): every
# command sets Django up, and a report has no use for the loader (or the services it uses).
def _read_qa_tables(children: QuerySet | None) -> dict[str, pl.DataFrame]:
    from cpqa.oversight.tables import oversight_tables

    return oversight_tables(children=children)


def _load_qa_tables(loader: Any) -> None:
    from cpqa.oversight.load import load_qa_tables

    load_qa_tables(loader)
