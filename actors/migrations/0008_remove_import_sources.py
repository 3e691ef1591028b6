from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("actors", "0007_import_sources_to_hub")]

    operations = [
        migrations.DeleteModel(name="ImportRun"),
        migrations.DeleteModel(name="ImportSource"),
    ]
