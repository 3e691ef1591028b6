import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cartography", "0004_reports_and_sources_to_hub")]

    operations = [
        migrations.DeleteModel(name="CoverageSource"),
        migrations.AlterModelOptions(
            name="coveragereport",
            options={
                "ordering": ["-job__created_at"],
                "verbose_name": "rapport de couverture",
                "verbose_name_plural": "rapports de couverture",
            },
        ),
        migrations.RemoveField(model_name="coveragereport", name="requested_by"),
        migrations.RemoveField(model_name="coveragereport", name="status"),
        migrations.RemoveField(model_name="coveragereport", name="progress"),
        migrations.RemoveField(model_name="coveragereport", name="step"),
        migrations.RemoveField(model_name="coveragereport", name="file"),
        migrations.RemoveField(model_name="coveragereport", name="error"),
        migrations.RemoveField(model_name="coveragereport", name="created_at"),
        migrations.RemoveField(model_name="coveragereport", name="finished_at"),
        migrations.AlterField(
            model_name="coveragereport",
            name="job",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="coverage_report",
                to="hub.job",
            ),
        ),
    ]
