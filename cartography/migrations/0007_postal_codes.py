"""Postal codes (La Poste's official base) and trigram similarity for typo-tolerant searches
of commune names (`pg_trgm`; `unaccent` exists since 0001). Both reversible."""

import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cartography", "0006_french_name_order"),
    ]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name="PostalCode",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(db_index=True, max_length=5, verbose_name="code postal")),
                (
                    "insee_code",
                    models.CharField(max_length=5, verbose_name="code INSEE (tel que publié)"),
                ),
                (
                    "commune_name",
                    models.CharField(
                        max_length=200, verbose_name="nom de la commune (tel que publié)"
                    ),
                ),
                (
                    "delivery_label",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="libellé d’acheminement"
                    ),
                ),
                (
                    "line_5",
                    models.CharField(
                        blank=True,
                        max_length=200,
                        verbose_name="ligne 5 (lieu-dit, commune déléguée)",
                    ),
                ),
                (
                    "commune",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="postal_codes",
                        to="cartography.commune",
                        verbose_name="commune",
                    ),
                ),
            ],
            options={
                "verbose_name": "code postal",
                "verbose_name_plural": "codes postaux",
                "ordering": ["code", "insee_code", "line_5"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("insee_code", "code", "line_5"), name="unique_postal_code_row"
                    )
                ],
            },
        ),
    ]
