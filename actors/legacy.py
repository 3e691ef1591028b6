"""The legacy v0.1 of the standard, mapped to v1.0.2.

v0.1 had 29 columns, `;` between the values of a field, 15 services and long labels. The value
mapping follows the one public conversion (through data.inclusion's codes, each v0.1 value
having exactly one); values with no v1 counterpart are dropped and counted.
"""

from collections import Counter

from .standard import fold

LEGACY_ONLY_COLUMNS = {
    "courriel",
    "publics_accueillis",
    "conditions_acces",
    "labels_nationaux",
    "cle_ban",
}

RENAMED = {
    "courriel": "courriels",
    "labels_autres": "autres_formations_labels",
    "accessibilite": "fiche_acces_libre",
}
COPIED = [
    "id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "complement_adresse",
    "latitude", "longitude", "typologie", "telephone", "site_web", "horaires",
    "presentation_resume", "presentation_detail", "source", "structure_parente", "date_maj",
    "prise_rdv",
]  # fmt: skip

SERVICES = {
    "Devenir autonome dans les démarches administratives": "Aide aux démarches administratives",
    "Réaliser des démarches administratives avec un accompagnement": "Aide aux démarches administratives",
    "Accompagner les démarches de santé": "Aide aux démarches administratives",
    "Prendre en main un smartphone ou une tablette": "Maîtrise des outils numériques du quotidien",
    "Prendre en main un ordinateur": "Maîtrise des outils numériques du quotidien",
    "Utiliser le numérique au quotidien": "Maîtrise des outils numériques du quotidien",
    "Approfondir ma culture numérique": "Compréhension du monde numérique",
    "Promouvoir la citoyenneté numérique": "Compréhension du monde numérique",
    "Favoriser mon insertion professionnelle": "Insertion professionnelle via le numérique",
    "Créer et développer mon entreprise": "Insertion professionnelle via le numérique",
    "Accéder à une connexion internet": "Accès internet et matériel informatique",
    "Accéder à du matériel": "Accès internet et matériel informatique",
    "S'équiper en matériel informatique": "Acquisition de matériel informatique à prix solidaire",
    "Créer avec le numérique": "Loisirs et créations numériques",
    "Soutenir la parentalité et l'éducation avec le numérique": "Parentalité et éducation avec le numérique",
}
# publics_accueillis splits into two v1 fields.
PUBLICS = {
    "Seniors (+ 65 ans)": ("publics_specifiquement_adresses", "Seniors"),
    "Familles/enfants": ("publics_specifiquement_adresses", "Familles et/ou enfants"),
    "Jeunes (16-26 ans)": ("publics_specifiquement_adresses", "Jeunes"),
    "Uniquement femmes": ("publics_specifiquement_adresses", "Femmes"),
    "Public langues étrangères": ("prise_en_charge_specifique", "Langues étrangères (autres)"),
    "Déficience visuelle": ("prise_en_charge_specifique", "Déficience visuelle"),
    "Surdité": ("prise_en_charge_specifique", "Surdité"),
    "Handicaps mentaux : déficiences limitant les activités d'une personne": (
        "prise_en_charge_specifique",
        "Handicaps mentaux",
    ),
    "Personnes en situation d'illettrisme": ("prise_en_charge_specifique", "Illettrisme"),
    "Adultes": None,
    "Handicaps psychiques : troubles psychiatriques donnant lieu à des atteintes comportementales": None,
}
FEES = {
    "Gratuit : Je peux accéder gratuitement au lieu et à ses services": "Gratuit",
    "Gratuit sous condition : La gratuité est conditionnée à des critères (situation familiale, convention avec un organisme social...)": "Gratuit sous condition",
    "Payant : L'accès au lieu et/ou à ses services est payant": "Payant",
    "Adhésion : L'accès au lieu et/ou à ses services nécessite d'y adhérer": "Payant",
    "Accepte le Pass numérique : Il est possible d'utiliser un Pass numérique pour accéder au lieu": "Gratuit sous condition",
}
# labels_nationaux splits into national programmes and training labels.
LABELS = {
    "France Services": ("dispositif_programmes_nationaux", "France Services"),
    "CNFS": ("dispositif_programmes_nationaux", "Conseillers numériques"),
    "Aidants Connect": ("dispositif_programmes_nationaux", "Aidants Connect"),
    "Grandes écoles du numérique": ("dispositif_programmes_nationaux", "Grande école du numérique"),
    "Point relais CAF": ("dispositif_programmes_nationaux", "Point d'accès numérique CAF"),
    "Point numérique CAF": ("dispositif_programmes_nationaux", "Point d'accès numérique CAF"),
    "Fabriques de Territoire": ("formations_labels", "Fabriques de Territoire"),
    "APTIC": None,
    "Relais pôle emploi": None,
    "French Tech": None,
    "Campus connecté": None,
}
ACCOMPANIMENT = {
    "Seul : j'ai accès à du matériel et une connexion": "En autonomie",
    "Avec de l'aide : je suis accompagné seul dans l'usage du numérique": "Accompagnement individuel",
    "A ma place : une personne habilitée fait les démarches à ma place": "Accompagnement individuel",
    "Dans un atelier : j'apprends collectivement à utiliser le numérique": "Dans un atelier collectif",
}


def _lookup(table: dict, value: str):
    """Exact, then forgiving (accents, curly quotes, spaces), then on the short label alone
    ("Gratuit : Je peux…" written "Gratuit")."""
    if value in table:
        return True, table[value]
    folded = fold(value)
    for key, mapped in table.items():
        if fold(key) == folded or fold(key.split(" : ")[0]) == folded:
            return True, mapped
    return False, None


def _values(text: str) -> list[str]:
    return [v.strip() for v in text.replace("|", ";").split(";") if v.strip()]


def to_v1(row: dict[str, str], mapped: Counter, unknown: list[tuple[str, str]]) -> dict[str, str]:
    """A v0.1 row as a v1.0.2 row; `mapped` counts mapped values per field, `unknown` collects
    values that have no mapping (the v1 check then reports them)."""
    out = {name: row.get(name, "") for name in COPIED}
    for old, new in RENAMED.items():
        out[new] = "|".join(_values(row.get(old, ""))) if old == "courriel" else row.get(old, "")
    out["typologie"] = "|".join(_values(row.get("typologie", "")))
    multi: dict[str, list[str]] = {}

    def add(field_name, value):
        if value and value not in multi.setdefault(field_name, []):
            multi[field_name].append(value)

    for field_name, table, target in [
        ("services", SERVICES, "services"),
        ("conditions_acces", FEES, "frais_a_charge"),
        ("modalites_accompagnement", ACCOMPANIMENT, "modalites_accompagnement"),
    ]:
        for value in _values(row.get(field_name, "")):
            known, new = _lookup(table, value)
            if known:
                mapped[field_name] += 1
                add(target, new)
            else:
                unknown.append((field_name, value))
    for field_name, table in [("publics_accueillis", PUBLICS), ("labels_nationaux", LABELS)]:
        for value in _values(row.get(field_name, "")):
            known, target = _lookup(table, value)
            if not known:
                unknown.append((field_name, value))
            elif target is None:
                mapped[f"{field_name} (sans équivalent v1, retirées)"] += 1
            else:
                mapped[field_name] += 1
                add(*target)
    for name, values in multi.items():
        out[name] = "|".join(values)
    return out
