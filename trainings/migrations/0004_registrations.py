"""Registrations to sessions, the waiting list, messages sent, attendance and walk-in counts."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import trainings.models.registrations

# (name, task, every, period) of the beat entries; administrators change them in the admin.
SCHEDULES = [
    ("Ateliers : places proposées expirées", "trainings.expire_offers", 15, "minutes"),
    ("Ateliers : rappels deux jours avant", "trainings.send_reminders", 1, "hours"),
    (
        "Ateliers : effacement des données des participants",
        "trainings.erase_personal_data",
        1,
        "days",
    ),
]


def schedule(apps, schema_editor):
    Interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, every, period in SCHEDULES:
        interval, _ = Interval.objects.get_or_create(every=every, period=period)
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": interval})


def unschedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0003_plans_funding"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Registration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(blank=True, max_length=100, verbose_name="nom ou pseudonyme"),
                ),
                (
                    "email",
                    models.EmailField(
                        blank=True, max_length=254, verbose_name="adresse électronique"
                    ),
                ),
                ("phone", models.CharField(blank=True, max_length=20, verbose_name="téléphone")),
                ("needs", models.TextField(blank=True, verbose_name="besoins particuliers")),
                (
                    "audience",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("parents", "parents"),
                            ("enseignants", "enseignants"),
                            ("jeunes", "jeunes"),
                            ("seniors", "seniors"),
                            ("mediateurs", "médiateurs numériques"),
                            ("tout_public", "tout public"),
                        ],
                        default="",
                        max_length=20,
                        verbose_name="public",
                    ),
                ),
                ("consent_at", models.DateTimeField(verbose_name="consentement donné le")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("confirmee", "confirmée"),
                            ("en_attente", "en attente"),
                            ("proposee", "place proposée"),
                            ("annulee", "annulée"),
                        ],
                        max_length=12,
                        verbose_name="statut",
                    ),
                ),
                (
                    "position",
                    models.PositiveIntegerField(
                        blank=True, null=True, verbose_name="rang sur la liste d’attente"
                    ),
                ),
                (
                    "token",
                    models.CharField(
                        default=trainings.models.registrations.new_token,
                        max_length=64,
                        null=True,
                        unique=True,
                    ),
                ),
                (
                    "offer_expires_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="offre valable jusqu’au"
                    ),
                ),
                (
                    "attendance",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("present", "présent"),
                            ("excuse", "excusé"),
                            ("absent", "absent"),
                        ],
                        default="",
                        max_length=10,
                        verbose_name="présence",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="inscrit le")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="modifiée le")),
                (
                    "cancelled_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="annulée le"),
                ),
                (
                    "erased_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="données personnelles effacées le"
                    ),
                ),
                (
                    "registered_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="inscrit en personne par",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="registrations",
                        to="trainings.session",
                        verbose_name="session",
                    ),
                ),
            ],
            options={
                "verbose_name": "inscription",
                "ordering": ["session", "created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="RegistrationMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("confirmation", "confirmation"),
                            ("attente", "liste d’attente"),
                            ("offre", "place proposée"),
                            ("rappel", "rappel"),
                        ],
                        max_length=15,
                        verbose_name="message",
                    ),
                ),
                ("channel", models.CharField(max_length=20, verbose_name="canal")),
                ("subject", models.CharField(max_length=250, verbose_name="objet")),
                ("sent_at", models.DateTimeField(auto_now_add=True, verbose_name="envoyé le")),
                (
                    "registration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="messages",
                        to="trainings.registration",
                    ),
                ),
            ],
            options={
                "verbose_name": "message d’inscription",
                "verbose_name_plural": "messages d’inscription",
                "ordering": ["sent_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="WalkInCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("parents", "parents"),
                            ("enseignants", "enseignants"),
                            ("jeunes", "jeunes"),
                            ("seniors", "seniors"),
                            ("mediateurs", "médiateurs numériques"),
                            ("tout_public", "tout public"),
                        ],
                        max_length=20,
                        verbose_name="public",
                    ),
                ),
                (
                    "count",
                    models.PositiveIntegerField(verbose_name="personnes venues sans inscription"),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="walk_ins",
                        to="trainings.session",
                        verbose_name="session",
                    ),
                ),
            ],
            options={
                "verbose_name": "venue sans inscription",
                "verbose_name_plural": "venues sans inscription",
            },
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["session", "status"], name="registration_session_status"),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    models.Q(("email", ""), _negated=True),
                    models.Q(("status", "annulee"), _negated=True),
                ),
                fields=("session", "email"),
                name="registration_one_per_email",
                violation_error_message="Cette adresse électronique est déjà inscrite à cette session.",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    models.Q(("phone", ""), _negated=True),
                    models.Q(("status", "annulee"), _negated=True),
                ),
                fields=("session", "phone"),
                name="registration_one_per_phone",
                violation_error_message="Ce numéro de téléphone est déjà inscrit à cette session.",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("email", ""), _negated=True),
                    models.Q(("phone", ""), _negated=True),
                    ("erased_at__isnull", False),
                    _connector="OR",
                ),
                name="registration_has_contact",
                violation_error_message="Indiquez une adresse électronique ou un téléphone.",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "proposee"), _negated=True),
                    ("offer_expires_at__isnull", False),
                    _connector="OR",
                ),
                name="registration_offer_expires",
            ),
        ),
        migrations.AddConstraint(
            model_name="registrationmessage",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "rappel")),
                fields=("registration",),
                name="registration_one_reminder",
            ),
        ),
        migrations.AddConstraint(
            model_name="walkincount",
            constraint=models.UniqueConstraint(
                fields=("session", "audience"), name="walk_in_one_per_audience"
            ),
        ),
        migrations.RunPython(schedule, unschedule),
    ]
