"""The national "lieux de médiation numérique" standard, v1.0.2: columns, enumerations, checks.

The official Frictionless schema (committed beside this module) is the single source of truth:
column order, required fields, patterns and enumerations are all read from it.
"""

from __future__ import annotations

import datetime
import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from hub.exports import unneutralised
from hub.links import is_http_url

SCHEMA_PATH = Path(__file__).parent / "schema" / "lieux-mediation-numerique-schema-v1.0.2.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
FIELDS: list[str] = [f["name"] for f in SCHEMA["fields"]]
REQUIRED = {f["name"] for f in SCHEMA["fields"] if f.get("constraints", {}).get("required")}
_PATTERNS = {
    f["name"]: f["constraints"]["pattern"]
    for f in SCHEMA["fields"]
    if f.get("constraints", {}).get("pattern")
}
_ENUM_PATTERN = re.compile(r"^\(\?:\(\?:\^\|\\\|\)\((?P<items>.*)\)\)\+\$$")


def _enumeration(pattern: str) -> list[str] | None:
    """The values of a `(?:(?:^|\\|)(A|B|C))+$` pattern, unescaped."""
    match = _ENUM_PATTERN.match(pattern)
    if not match:
        return None
    return [re.sub(r"\\(.)", r"\1", item) for item in match["items"].split("|")]


ENUMERATIONS: dict[str, list[str]] = {
    name: values for name, p in _PATTERNS.items() if (values := _enumeration(p)) is not None
}
# Multi-valued fields are written with "|" between values.
MULTI_VALUED = set(ENUMERATIONS) | {"typologie", "courriels", "autres_formations_labels"}
NO_SIRET = "00000000000000"
# Addresses shown as links on a place's page: kept only as http(s) (the schema gives no format).
URL_FIELDS = ("site_web", "fiche_acces_libre", "prise_rdv")

SERVICES = ENUMERATIONS["services"]
PUBLICS = ENUMERATIONS["publics_specifiquement_adresses"]
SPECIFIC_SUPPORT = ENUMERATIONS["prise_en_charge_specifique"]
FEES = ENUMERATIONS["frais_a_charge"]
PROGRAMMES = ENUMERATIONS["dispositif_programmes_nationaux"]
LABELS = ENUMERATIONS["formations_labels"]
ACCESS_MODES = ENUMERATIONS["modalites_acces"]
ACCOMPANIMENT_MODES = ENUMERATIONS["modalites_accompagnement"]


def fold(text: str) -> str:
    """Compare values the way people mistype them: no accents, straight quotes, no spaces."""
    text = unicodedata.normalize("NFD", text.replace("’", "'").casefold())
    return "".join(c for c in text if not unicodedata.combining(c) and not c.isspace())


_COMPILED = {name: re.compile(pattern) for name, pattern in _PATTERNS.items()}
_FOLDED = {name: {fold(v): v for v in values} for name, values in ENUMERATIONS.items()}


@dataclass
class CheckedRow:
    """A row of the standard, checked: clean values, blocking problems, tolerated defects."""

    values: dict = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


PHONE_HELP = "10 chiffres, par exemple 02 37 47 00 00, ou au format international +33 2 37 47 00 00"


def phone_number(value: str) -> str | None:
    """A phone number as the schema writes it ("02 37 47 00 00" → "+33237470000"), "" for
    none, None when it cannot be a French number."""
    compact = re.sub(r"[\s.\-()/\u00a0\u202f]", "", value.replace("(0)", ""))
    if not compact:
        return ""
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if re.fullmatch(r"0[1-9]\d{8}", compact):
        compact = "+33" + compact[1:]
    elif re.fullmatch(r"\+330[1-9]\d{8}", compact):
        compact = "+33" + compact[4:]
    return compact if _COMPILED["telephone"].fullmatch(compact) else None


def postal_code(value: str) -> str | None:
    """Five digits ("28 000" → "28000"), as the schema wants; None otherwise."""
    compact = re.sub(r"\s", "", value)
    return compact if _COMPILED["code_postal"].fullmatch(compact) else None


_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def decode_entities(text: str) -> str:
    """HTML entities left by the tool that wrote a file ("Caf&eacute; &amp; num&#233;rique"),
    decoded once; a bare "&" (or "&copy" without its ";") stays as written."""
    return _ENTITY.sub(lambda m: html.unescape(m[0]), text) if "&" in text else text


def _date(value: str) -> tuple[datetime.date | None, str | None]:
    try:
        return datetime.date.fromisoformat(value[:10]), None
    except ValueError:
        pass
    try:
        parsed = datetime.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        return None, None
    return parsed, f"date « {value} » lue au format JJ/MM/AAAA"


def _urls(value: str) -> tuple[str | None, list[str], str | None]:
    """The `|`-separated web addresses of a URL field: (clean value, notes, problem).
    An address without a scheme (`www.exemple.fr`) is read as https; any other scheme than
    http(s) (`javascript:`, `data:`, `ftp:`…) refuses the row."""
    clean, notes = [], []
    for part in (p.strip() for p in value.split("|")):
        if not part:
            continue
        if not is_http_url(part):
            if urlsplit(part).scheme or "://" in part or not is_http_url("https://" + part):
                return None, notes, f"adresse web attendue (http:// ou https://), lu « {part} »"
            notes.append(f"adresse « {part} » lue comme « https://{part} »")
            part = "https://" + part
        clean.append(part)
    return "|".join(clean) or None, notes, None


def check_row(raw: dict[str, str]) -> CheckedRow:
    """Check one row (column → text) against the schema, tolerating known defects of real files."""
    row = CheckedRow()
    for name in FIELDS:
        # A file the hub exported carries quotes that neutralise formulas (hub/exports.py).
        value = unneutralised((raw.get(name) or "").strip())
        if not value:
            if name in REQUIRED:
                row.problems.append((name, "champ obligatoire vide"))
            row.values[name] = [] if name in MULTI_VALUED else None
            continue
        if name in MULTI_VALUED:
            items = [v.strip() for v in value.split("|") if v.strip()]
            if name in ENUMERATIONS:
                items = _check_enumeration(name, items, row)
            row.values[name] = list(dict.fromkeys(items))
        elif name in ("latitude", "longitude"):
            try:
                row.values[name] = float(value.replace(",", "."))
            except ValueError:
                row.problems.append((name, f"nombre attendu, lu « {value} »"))
        elif name == "date_maj":
            parsed, note = _date(value)
            if parsed is None:
                row.problems.append((name, f"date attendue (AAAA-MM-JJ), lu « {value} »"))
            elif note:
                row.warnings.append((name, note))
            row.values[name] = parsed
        elif name == "telephone":
            phone = phone_number(value)
            if phone is None:
                row.warnings.append((name, f"numéro « {value} » hors du format attendu : ignoré"))
            elif phone != re.sub(r"[\s.\-]", "", value):
                row.warnings.append((name, f"numéro « {value} » écrit au format international"))
            row.values[name] = phone or None
        elif name == "pivot":
            if value.strip("0") == "":
                row.warnings.append((name, f"pivot « {value} » : pas de SIRET"))
                value = NO_SIRET
            elif not _COMPILED[name].fullmatch(value):
                row.problems.append(
                    (name, f"SIRET ou RNA attendu (9 à 14 caractères), lu « {value} »")
                )
            row.values[name] = value
        elif name in URL_FIELDS:
            urls, notes, problem = _urls(value)
            row.warnings.extend((name, note) for note in notes)
            if problem:
                row.problems.append((name, problem))
            row.values[name] = urls
        else:
            if name in _COMPILED and not _COMPILED[name].search(value):
                row.problems.append((name, f"valeur « {value} » hors du format attendu"))
            row.values[name] = value
    for lat_lon in ("latitude", "longitude"):
        row.values.setdefault(lat_lon, None)
    lat, lon = row.values["latitude"], row.values["longitude"]
    if (lat is None) != (lon is None):
        row.problems.append(("latitude", "latitude et longitude vont ensemble"))
    elif lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        row.problems.append(("latitude", f"coordonnées hors du globe ({lat}, {lon})"))
    return row


def _check_enumeration(name: str, items: list[str], row: CheckedRow) -> list[str]:
    allowed = ENUMERATIONS[name]
    clean = []
    for item in items:
        if item in allowed:
            clean.append(item)
        elif (canonical := _FOLDED[name].get(fold(item))) is not None:
            row.warnings.append((name, f"« {item} » lu comme « {canonical} »"))
            clean.append(canonical)
        else:
            row.problems.append((name, f"valeur inconnue « {item} »"))
    return clean


def to_text(name: str, value) -> str:
    """A clean value written back in the standard's form."""
    if value is None:
        return ""
    if name in MULTI_VALUED:
        return "|".join(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)
