"""Schedule the daily purge of the sign-in journal (hub.purge_sign_in_log)."""

from django.db import migrations

PURGE = "Purge du journal des connexions"


def forwards(apps, schema_editor):
    Interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_day, _ = Interval.objects.get_or_create(every=1, period="days")
    PeriodicTask.objects.get_or_create(
        name=PURGE, defaults={"task": "hub.purge_sign_in_log", "interval": every_day}
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=PURGE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0003_data_version"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
