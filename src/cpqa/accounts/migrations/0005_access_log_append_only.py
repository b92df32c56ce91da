"""Chain the entries written before the chain existed, then make the log append-only."""

from django.db import migrations


def chain_existing(apps, schema_editor):
    from cpqa.accounts.audit import GENESIS_HASH, entry_hash

    event_model = apps.get_model("accounts", "AccessEvent")
    head_model = apps.get_model("accounts", "AccessLogHead")
    previous = GENESIS_HASH
    position = 0
    for event in event_model.objects.order_by("at", "pk").iterator():
        position += 1
        event.position = position
        event.previous_hash = previous
        event.entry_hash = entry_hash(previous, event)
        event_model.objects.filter(pk=event.pk).update(
            position=position, previous_hash=previous, entry_hash=event.entry_hash
        )
        previous = event.entry_hash
    head_model.objects.update_or_create(pk=1, defaults={"entries": position, "last_hash": previous if position else ""})


def install_triggers(apps, schema_editor):
    from cpqa.accounts import audit_triggers

    audit_triggers.install(schema_editor.connection)


def remove_triggers(apps, schema_editor):
    from cpqa.accounts import audit_triggers

    audit_triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_access_log_chain")]

    operations = [
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
