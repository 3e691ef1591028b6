"""Schedule the sweeper of vanished jobs, and allow the open data hosts of the State."""

from django.db import migrations

SWEEPER = "Traitements interrompus (worker disparu)"
HOSTS = {
    "www.data.gouv.fr": "data.gouv.fr (liens stables des ressources)",
    "static.data.gouv.fr": "data.gouv.fr (fichiers des ressources)",
}


def forwards(apps, schema_editor):
    Interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = Interval.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SWEEPER, defaults={"task": "hub.sweep_vanished_jobs", "interval": every_minute}
    )
    ImportHost = apps.get_model("hub", "ImportHost")
    for host, note in HOSTS.items():
        ImportHost.objects.get_or_create(host=host, defaults={"note": note})


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SWEEPER).delete()
    apps.get_model("hub", "ImportHost").objects.filter(host__in=HOSTS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
