# Issue 13: the census items a CIN return carries that the record did not keep.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('record', '0003_conference_booked_date'),
    ]

    operations = [
        migrations.AddField(
            model_name='child',
            name='former_upn',
            field=models.CharField(blank=True, max_length=13, verbose_name='former UPN'),
        ),
        migrations.AddField(
            model_name='child',
            name='gender_current',
            field=models.CharField(
                blank=True,
                choices=[('1', 'Male'), ('2', 'Female'), ('0', 'Not recorded or unborn'), ('9', 'Indeterminate')],
                max_length=1,
                verbose_name='census GenderCurrent',
            ),
        ),
    ]
