"""The change log moves to the record app (every service that writes notes its change there).

The table is renamed in the database and the model leaves this app's state; the record app's
migration 0002 takes the model into its state over the renamed table, so no row is lost.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("conferences", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("RecordChange", "record_recordchange")],
            state_operations=[migrations.DeleteModel("RecordChange")],
        )
    ]
