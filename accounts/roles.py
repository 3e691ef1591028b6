"""The role groups of the hub; one source of truth for their names."""

HUB_ADMINS = "Administrateurs du hub"
DSDEN_STAFF = "Agents DSDEN"
PREFECTURE_STAFF = "Agents préfecture"
MEDIATEURS = "Médiateurs numériques"

ALL = (HUB_ADMINS, DSDEN_STAFF, PREFECTURE_STAFF, MEDIATEURS)

# Apps whose every permission hub administrators hold.
ADMINISTERED_APPS = (
    "accounts",
    "cartography",
    "actors",
    "equipment",
    "trainings",
    "indicators",
    "django_celery_beat",
)
