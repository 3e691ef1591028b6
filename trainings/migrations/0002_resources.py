"""The resources library: resources, collections, ratings and reports; and `hub_french`, the
text search configuration of its search (French stemming on unaccented words: "securite"
finds "Sécurité", "smartphones" finds "smartphone"), created first and dropped last.
`unaccent` exists since cartography 0001."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import trainings.models.resources


class Migration(migrations.Migration):
    dependencies = [
        ("cartography", "0001_initial"),
        ("trainings", "0001_catalogue"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(
            sql=[
                "CREATE TEXT SEARCH CONFIGURATION hub_french (COPY = pg_catalog.french)",
                "ALTER TEXT SEARCH CONFIGURATION hub_french ALTER MAPPING FOR "
                "hword, hword_part, word WITH public.unaccent, french_stem",
            ],
            reverse_sql=["DROP TEXT SEARCH CONFIGURATION hub_french"],
        ),
        migrations.CreateModel(
            name="Collection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "title",
                    models.CharField(db_collation="fr-x-icu", max_length=200, verbose_name="titre"),
                ),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="identifiant")),
                ("summary", models.TextField(max_length=2000, verbose_name="présentation")),
                ("published", models.BooleanField(default=True, verbose_name="publiée")),
                ("is_demo", models.BooleanField(default=False, verbose_name="démonstration")),
            ],
            options={
                "verbose_name": "collection",
                "ordering": ["title"],
            },
        ),
        migrations.CreateModel(
            name="Resource",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "title",
                    models.CharField(db_collation="fr-x-icu", max_length=200, verbose_name="titre"),
                ),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="identifiant")),
                ("summary", models.TextField(max_length=2000, verbose_name="résumé")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("guide", "guide"),
                            ("fiche", "fiche pratique"),
                            ("video", "vidéo"),
                            ("exercice", "exercice"),
                            ("reperes", "repères par âge"),
                            ("support", "support d’atelier"),
                        ],
                        max_length=10,
                        verbose_name="type",
                    ),
                ),
                (
                    "public_audiences",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(
                            choices=[
                                ("parents", "parents"),
                                ("jeunes", "jeunes"),
                                ("seniors", "seniors"),
                                ("tout_public", "tout public"),
                            ],
                            max_length=20,
                        ),
                        blank=True,
                        default=list,
                        size=None,
                        verbose_name="publics (grand public)",
                    ),
                ),
                (
                    "professional_audiences",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(
                            choices=[
                                ("enseignants", "enseignants"),
                                ("mediateurs", "médiateurs numériques"),
                                ("educateurs", "éducateurs"),
                            ],
                            max_length=20,
                        ),
                        blank=True,
                        default=list,
                        size=None,
                        verbose_name="publics (professionnels)",
                    ),
                ),
                (
                    "licence",
                    models.CharField(
                        choices=[
                            ("lo-2.0", "Licence Ouverte 2.0 (Etalab)"),
                            ("cc-by-4.0", "CC BY 4.0"),
                            ("cc-by-sa-4.0", "CC BY-SA 4.0"),
                            ("cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"),
                            ("cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0"),
                            ("reserves", "tous droits réservés"),
                        ],
                        max_length=20,
                        verbose_name="licence",
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("falc", "facile à lire et à comprendre (FALC)"),
                            ("courant", "langage courant"),
                        ],
                        default="courant",
                        max_length=10,
                        verbose_name="niveau de langue",
                    ),
                ),
                (
                    "publisher",
                    models.CharField(blank=True, max_length=200, verbose_name="auteur ou éditeur"),
                ),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=200,
                        upload_to=trainings.models.resources.resource_file_path,
                        verbose_name="fichier",
                    ),
                ),
                (
                    "file_type",
                    models.CharField(
                        blank=True, editable=False, max_length=10, verbose_name="type du fichier"
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        blank=True,
                        max_length=500,
                        validators=[
                            django.core.validators.URLValidator(
                                message="Saisissez une adresse web commençant par http:// ou https://.",
                                schemes=["http", "https"],
                            )
                        ],
                        verbose_name="lien",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("proposee", "proposée"),
                            ("publiee", "publiée"),
                            ("retiree", "retirée"),
                        ],
                        default="proposee",
                        max_length=10,
                        verbose_name="état",
                    ),
                ),
                ("is_demo", models.BooleanField(default=False, verbose_name="démonstration")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="proposée le")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="modifiée le")),
                (
                    "published_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="publiée le"),
                ),
                (
                    "search_vector",
                    models.GeneratedField(
                        db_persist=True,
                        expression=django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.SearchVector(
                                "title", config="hub_french", weight="A"
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                "summary", "publisher", config="hub_french", weight="B"
                            ),
                            django.contrib.postgres.search.SearchConfig("hub_french"),
                        ),
                        output_field=django.contrib.postgres.search.SearchVectorField(),
                    ),
                ),
                (
                    "contributor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="proposed_resources",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="proposée par",
                    ),
                ),
                (
                    "themes",
                    models.ManyToManyField(
                        blank=True,
                        related_name="resources",
                        to="trainings.theme",
                        verbose_name="thèmes",
                    ),
                ),
                (
                    "trainings",
                    models.ManyToManyField(
                        blank=True,
                        related_name="resources",
                        to="trainings.training",
                        verbose_name="formations",
                    ),
                ),
            ],
            options={
                "verbose_name": "ressource",
                "ordering": ["-published_at", "title"],
                "permissions": [("moderate_resource", "Peut publier ou retirer une ressource")],
            },
        ),
        migrations.CreateModel(
            name="Rating",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "value",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "pas utile"),
                            (2, "peu utile"),
                            (3, "utile"),
                            (4, "très utile"),
                        ],
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(4),
                        ],
                        verbose_name="utilité",
                    ),
                ),
                ("session_key", models.CharField(blank=True, max_length=40)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ratings",
                        to="trainings.resource",
                    ),
                ),
            ],
            options={
                "verbose_name": "avis d’utilité",
                "verbose_name_plural": "avis d’utilité",
            },
        ),
        migrations.CreateModel(
            name="CollectionItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="ordre")),
                (
                    "collection",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="trainings.collection",
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="trainings.resource",
                    ),
                ),
            ],
            options={
                "verbose_name": "ressource de la collection",
                "verbose_name_plural": "ressources de la collection",
                "ordering": ["position", "pk"],
            },
        ),
        migrations.AddField(
            model_name="collection",
            name="resources",
            field=models.ManyToManyField(
                related_name="collections",
                through="trainings.CollectionItem",
                to="trainings.resource",
                verbose_name="ressources",
            ),
        ),
        migrations.CreateModel(
            name="ResourceReport",
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
                            ("lien", "Le lien ou le fichier ne fonctionne pas"),
                            ("obsolete", "Le contenu est dépassé"),
                            ("erreur", "Le contenu contient une erreur"),
                            ("inadapte", "Le contenu est inapproprié"),
                            ("autre", "Autre chose"),
                        ],
                        max_length=10,
                        verbose_name="problème",
                    ),
                ),
                (
                    "message",
                    models.TextField(blank=True, max_length=2000, verbose_name="précisions"),
                ),
                (
                    "email",
                    models.EmailField(
                        blank=True, max_length=254, verbose_name="adresse électronique du signalant"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "à traiter"), ("resolved", "traité")],
                        default="open",
                        max_length=10,
                        verbose_name="état",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="signalé le")),
                (
                    "resolved_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="traité le"),
                ),
                (
                    "reporter",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="traité par",
                    ),
                ),
                (
                    "resource",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="trainings.resource",
                    ),
                ),
            ],
            options={
                "verbose_name": "signalement sur une ressource",
                "verbose_name_plural": "signalements sur les ressources",
                "ordering": ["-created_at"],
            },
        ),
        migrations.AddIndex(
            model_name="resource",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="resource_search"
            ),
        ),
        migrations.AddIndex(
            model_name="resource",
            index=models.Index(fields=["state", "published_at"], name="resource_state"),
        ),
        migrations.AddConstraint(
            model_name="resource",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("file", ""), _negated=True),
                    models.Q(("url", ""), _negated=True),
                    _connector="OR",
                ),
                name="resource_file_or_link",
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__gte", 1), ("value__lte", 4)), name="rating_1_to_4"
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("user__isnull", False),
                    models.Q(("session_key", ""), _negated=True),
                    _connector="OR",
                ),
                name="rating_has_reader",
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)),
                fields=("resource", "user"),
                name="rating_once_per_user",
            ),
        ),
        migrations.AddConstraint(
            model_name="rating",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", True)),
                fields=("resource", "session_key"),
                name="rating_once_per_session",
            ),
        ),
        migrations.AddConstraint(
            model_name="collectionitem",
            constraint=models.UniqueConstraint(
                fields=("collection", "resource"), name="collection_item_once"
            ),
        ),
    ]
