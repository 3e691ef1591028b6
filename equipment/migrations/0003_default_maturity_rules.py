"""A documented starting rule set; hub administrators edit it in the admin afterwards."""

from django.db import migrations

LEVELS = [
    (0, "Pas d'équipement ni de connexion utilisable", "Aucun critère : le point de départ.", []),
    (
        1,
        "Premiers usages",
        "L'école est connectée et les élèves ont accès à quelques terminaux.",
        [
            ("connection", "ne", "none", "pas de connexion internet"),
            ("terminals_per_100", "gte", "1", "aucun terminal utilisable par les élèves"),
        ],
    ),
    (
        2,
        "Équipée",
        "Des terminaux en nombre, du Wi-Fi dans les classes et un débit suffisant.",
        [
            (
                "terminals_per_100",
                "gte",
                "10",
                "{value} terminaux pour 100 élèves, moins de {threshold}",
            ),
            ("wifi", "ne", "none", "pas de Wi-Fi dans les classes"),
            ("download_mbps", "gte", "8", "débit mesuré {value} Mbit/s, moins de {threshold}"),
        ],
    ),
    (
        3,
        "Outillée",
        "Écrans en classe, Wi-Fi partout, une plateforme scolaire, un bon débit.",
        [
            ("displays_pupils", "gte", "1", "aucun écran interactif ou vidéoprojecteur en classe"),
            ("wifi", "eq", "all", "Wi-Fi dans une partie des classes seulement"),
            ("platform", "ne", "none", "aucun ENT ni plateforme scolaire"),
            ("download_mbps", "gte", "30", "débit mesuré {value} Mbit/s, moins de {threshold}"),
        ],
    ),
    (
        4,
        "Équipée, connectée, formée, en projets",
        "La fibre, un référent numérique et des personnels formés.",
        [
            ("connection", "eq", "fibre", "pas de fibre optique ({value})"),
            ("has_referent", "eq", "1", "pas de référent numérique désigné"),
            ("trained_staff", "gte", "1", "aucun personnel formé au numérique"),
        ],
    ),
]


def create(apps, schema_editor):
    Level = apps.get_model("equipment", "MaturityLevel")
    Criterion = apps.get_model("equipment", "MaturityCriterion")
    for number, name, description, criteria in LEVELS:
        level = Level.objects.create(number=number, name=name, description=description)
        for measure, operator, value, failure in criteria:
            Criterion.objects.create(
                level=level, measure=measure, operator=operator, value=value, failure=failure
            )


def remove(apps, schema_editor):
    apps.get_model("equipment", "MaturityLevel").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("equipment", "0002_census_maturity_deployments_loans")]
    operations = [migrations.RunPython(create, remove)]
