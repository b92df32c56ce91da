"""Seed the escalation reasons with the seed report's list.

The list is written out here rather than read from cpqa.domain.codes, so that this migration
keeps doing the same thing if the code list later changes; an authority changes its reasons
on the escalation reasons page, not here.
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

REASONS = [
    ("visits_out_of_timescale", "Visits not within timescales"),
    ("plan_not_progressed", "Plan not progressed"),
    ("core_group_not_held", "Core group meetings not held"),
    ("management_oversight", "Lack of management oversight"),
    ("case_transfer_delay", "Delay in case transfer"),
    ("legal_planning_delay", "Delay in legal planning, PLO or proceedings"),
    ("other", "Other"),
]


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    reason = apps.get_model("oversight", "EscalationReason")
    for position, (code, label) in enumerate(REASONS, start=1):
        reason.objects.get_or_create(code=code, defaults={"label": label, "position": position * 10})


def unseed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    reason = apps.get_model("oversight", "EscalationReason")
    reason.objects.filter(code__in=[code for code, _ in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
