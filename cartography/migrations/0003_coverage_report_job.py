import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cartography", "0002_coverage"),
        ("hub", "0002_sweeper_and_allowed_hosts"),
    ]

    operations = [
        migrations.AddField(
            model_name="coveragereport",
            name="job",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="coverage_report",
                to="hub.job",
            ),
        ),
    ]
