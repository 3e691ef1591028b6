"""A census campaign, circonscription by circonscription: the spreadsheet an ERUN fills offline
for its schools and its upload, who has answered, and the reminders to directors.

Every uploaded row is validated by `CensusAnswerForm`, the same form as the web page; the file
is checked whole before anything is written, so a refused upload leaves the database as it was.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from hub.exports import safe_cell, safe_row
from hub.imports import Counts, ImportFileError, changed_fields, xlsx_rows

from .forms import CENSUS_FIELDS, CensusAnswerForm
from .models import (
    Campaign,
    CensusAnswer,
    Circonscription,
    MaturityLevel,
    School,
    SchoolDirector,
)

SHEET = "Recensement"
CODES_SHEET = "Codes"
LISTS_SHEET = "Listes"  # hidden: the sources of the drop-down lists
IDENTIFICATION = [("uai", "UAI", 12), ("name", "École", 38), ("commune", "Commune", 24)]
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
MAX_ROWS = 2000  # a circonscription has a few dozen schools; more is not a template of ours
REMINDER_KEPT = 400 * 24 * 3600  # seconds: longer than a campaign


def _key(text) -> str:
    """Headers and choice labels compared as a person reads them."""
    return " ".join(str(text).replace("’", "'").split()).casefold()


def _census_fields() -> dict[str, forms.Field]:
    return dict(CensusAnswerForm().fields)


class CensusUploadError(Exception):
    """An upload refused whole; `problems` lists every problem found, each an `ImportFileError`
    with its row number (`line`), its column header (`column`) and its `reason`."""

    def __init__(self, problems: list[ImportFileError]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class CensusRows(list):
    """The valid rows of an upload, as (school, cleaned_data), and how many blank rows (schools
    left unanswered in the file) were skipped."""

    blank: int = 0


# --- The template ---------------------------------------------------------------------------


def asked_schools(campaign: Campaign, circonscription: Circonscription | None = None):
    schools = campaign.schools()
    if circonscription is not None:
        schools = schools.filter(circonscription=circonscription)
    return schools


def census_template(campaign: Campaign, circonscription: Circonscription) -> bytes:
    """The workbook an ERUN fills: one row per asked school, its current answer pre-filled."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    fields = _census_fields()
    schools = list(asked_schools(campaign, circonscription).select_related("commune"))
    answers = {
        a.school_id: a for a in CensusAnswer.objects.filter(campaign=campaign, school__in=schools)
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    sheet["A1"] = (
        f"Recensement de l'équipement numérique des écoles — {campaign.title} "
        f"({campaign.school_year}) — circonscription {circonscription.name}"
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = (
        "Une ligne par école ; laissez vide la ligne d'une école qui ne répond pas. "
        "Explications et valeurs permises : feuille « Codes »."
    )
    headers = [label for _, label, _ in IDENTIFICATION] + [fields[n].label for n in CENSUS_FIELDS]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(HEADER_ROW, column, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    sheet.row_dimensions[HEADER_ROW].height = 75

    first_census_column = len(IDENTIFICATION) + 1
    for row, school in enumerate(schools, start=FIRST_ROW):
        commune = school.commune.name if school.commune else school.commune_code
        for column, value in enumerate(safe_row([school.uai, school.name, commune]), start=1):
            sheet.cell(row, column, value).fill = PatternFill("solid", fgColor="F2F2F2")
        answer = answers.get(school.pk)
        for column, name in enumerate(CENSUS_FIELDS, start=first_census_column):
            cell = sheet.cell(row, column, safe_cell(_cell_value(answer, name, fields[name])))
            cell.protection = Protection(locked=False)

    # The identification cells are locked (no password: against slips, not people).
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.freeze_panes = sheet.cell(FIRST_ROW, first_census_column)
    for column, (_, _, width) in enumerate(IDENTIFICATION, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width

    last_row = max(FIRST_ROW, FIRST_ROW + len(schools) - 1)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_column = 0
    for column, name in enumerate(CENSUS_FIELDS, start=first_census_column):
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 18
        field = fields[name]
        cells = f"{letter}{FIRST_ROW}:{letter}{last_row}"
        if isinstance(field, forms.ChoiceField):
            list_column += 1
            source = get_column_letter(list_column)
            labels = _choice_labels(field)
            lists.cell(1, list_column, field.label)
            for row, label in enumerate(labels, start=2):
                lists.cell(row, list_column, label)
            validation = DataValidation(
                type="list", formula1=f"{LISTS_SHEET}!${source}$2:${source}${len(labels) + 1}"
            )
            validation.error = "Choisissez une valeur de la liste."
        elif isinstance(field, forms.IntegerField | forms.DecimalField):
            kind = "whole" if isinstance(field, forms.IntegerField) else "decimal"
            validation = DataValidation(type=kind, operator="greaterThanOrEqual", formula1="0")
            validation.error = "Saisissez un nombre positif ou nul."
        else:
            continue
        validation.allow_blank = True
        validation.showErrorMessage = True
        validation.add(cells)
        sheet.add_data_validation(validation)

    _codes_sheet(workbook.create_sheet(CODES_SHEET, 1), fields)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _choice_labels(field: forms.ChoiceField) -> list[str]:
    return [str(label) for code, label in field.choices if code != ""]


def _cell_value(answer: CensusAnswer | None, name: str, field: forms.Field):
    if answer is None:
        return None
    value = getattr(answer, name)
    if isinstance(field, forms.ChoiceField):
        return dict(field.choices).get(value, value)
    return None if value == "" else value


def _codes_sheet(sheet, fields: dict[str, forms.Field]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append(["Comment remplir la feuille « Recensement »"])
    sheet["A1"].font = Font(bold=True, size=13)
    for line in (
        "Une ligne par école de la circonscription interrogée par la campagne.",
        "Une ligne laissée vide (aucune case du recensement remplie) est ignorée : l'école "
        "n'a pas répondu. Vider une ligne ne supprime pas une réponse déjà enregistrée.",
        "Le fichier est vérifié en entier : s'il contient une erreur, rien n'est enregistré et "
        "chaque erreur est signalée avec son numéro de ligne et sa colonne.",
        "Ne modifiez pas les en-têtes ni les colonnes UAI, École et Commune.",
    ):
        sheet.append([line])
    sheet.append([])
    sheet.append(["Colonne", "Valeurs permises", "Précisions"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.append(["UAI", "identifiant de l'école", "ne pas modifier"])
    sheet.append(["École, Commune", "pour se repérer", "ne pas modifier"])
    for name in CENSUS_FIELDS:
        field = fields[name]
        sheet.append([str(field.label), _allowed(field), str(field.help_text or "")])
    sheet.column_dimensions["A"].width = 55
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 50
    for row in sheet.iter_rows(min_row=8):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _allowed(field: forms.Field) -> str:
    if isinstance(field, forms.ChoiceField):
        text = " ; ".join(_choice_labels(field))
        if field.initial:
            text += f" (vide : « {dict(field.choices)[field.initial]} »)"
        return text
    if isinstance(field, forms.IntegerField):
        return "nombre entier" + (", obligatoire" if field.required else " (vide : 0)")
    if isinstance(field, forms.DecimalField):
        return "nombre, décimales permises (vide : non renseigné)"
    return f"texte libre, {field.max_length} caractères au plus" if field.max_length else "texte"


# --- The upload -----------------------------------------------------------------------------


def read_census_upload(
    path_or_file, campaign: Campaign, user, circonscription: Circonscription | None = None
) -> CensusRows:
    """The rows of a filled template, each checked by the census form, or `CensusUploadError`
    listing every problem of the file. Writes nothing (see `save_census_answers`).

    A row must name a school asked by `campaign` (in `circonscription` when given) that `user`
    may answer for; a row whose census cells are all empty is a school left unanswered.
    """
    name = getattr(path_or_file, "name", None) or "fichier"
    rows = _read_rows(path_or_file, name)
    header_line, header = next(
        ((n, row) for n, row in rows if any(_key(v) == "uai" for v in row if v is not None)),
        (None, None),
    )
    if header is None:
        raise CensusUploadError(
            [
                ImportFileError(
                    name, "Ligne d'en-tête introuvable : une colonne « UAI » est attendue."
                )
            ]
        )
    fields = _census_fields()
    columns, problems = _columns(header, header_line, fields, name)
    if problems:
        raise CensusUploadError(problems)

    uai_column = columns.pop("uai")
    by_label = {_key(fields[n].label): n for n in CENSUS_FIELDS}
    # A choice cell holds its label (as the drop-down list offers) or, failing that, its code.
    choices = {
        n: {_key(code): code for code, _ in f.choices if code != ""}
        | {_key(label): code for code, label in f.choices if code != ""}
        for n, f in fields.items()
        if isinstance(f, forms.ChoiceField)
    }
    allowed = {
        s.uai: s
        for s in asked_schools(campaign, circonscription).filter(
            pk__in=School.objects.answerable_by(user).values("pk")
        )
    }
    result, seen = CensusRows(), {}
    for line, row in rows:
        if line <= header_line:
            continue
        cells = {
            by_label[key]: row[index] if index < len(row) else None
            for key, index in columns.items()
        }
        uai = _text(row[uai_column] if uai_column < len(row) else None).upper()
        if all(_text(v) == "" for v in cells.values()):
            result.blank += bool(uai)  # a fully empty row is no school at all
            continue
        school = None
        if not uai:
            problems.append(ImportFileError(name, "UAI manquant.", line, "UAI"))
        elif uai in seen:
            reason = f"L'école {uai} figure déjà ligne {seen[uai]}."
            problems.append(ImportFileError(name, reason, line, "UAI"))
        else:
            seen[uai] = line
            school = allowed.get(uai)
            if school is None:
                reason = _why_not_allowed(uai, campaign, circonscription)
                problems.append(ImportFileError(name, reason, line, "UAI"))
        data = {n: _form_value(cells[n], fields[n], choices.get(n)) for n in CENSUS_FIELDS}
        form = CensusAnswerForm(data)
        if not form.is_valid():
            for field, errors in form.errors.items():
                column = fields[field].label if field in fields else None
                problems += [ImportFileError(name, error, line, column) for error in errors]
        elif school is not None:
            result.append((school, form.cleaned_data))
    if problems:
        raise CensusUploadError(problems)
    return result


def _read_rows(path_or_file, name: str) -> list[tuple[int, tuple]]:
    try:
        return list(xlsx_rows(path_or_file, name, sheet=SHEET, max_rows=MAX_ROWS))
    except ImportFileError as exc:
        raise CensusUploadError([exc]) from exc


def _columns(header, line: int, fields, name: str) -> tuple[dict[str, int], list]:
    """{"uai" or a census label key: index} and the header's problems (unknown, missing)."""
    known = {_key(fields[n].label) for n in CENSUS_FIELDS}
    identification = {_key(label) for _, label, _ in IDENTIFICATION}
    columns, problems = {}, []
    for index, value in enumerate(header):
        if value is None or _text(value) == "":
            continue
        key = _key(value)
        if key in columns:
            problems.append(ImportFileError(name, "Colonne en double.", line, str(value)))
        elif key == "uai" or key in known:
            columns[key] = index
        elif key not in identification:
            problems.append(
                ImportFileError(
                    name,
                    "Colonne inconnue (les en-têtes du modèle ne se modifient pas).",
                    line,
                    str(value),
                )
            )
    for n in CENSUS_FIELDS:
        if _key(fields[n].label) not in columns:
            problems.append(
                ImportFileError(name, "Colonne absente du fichier.", line, str(fields[n].label))
            )
    return columns, problems


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _form_value(value, field: forms.Field, choices: dict | None):
    """A cell as the web form would receive it: labels of choices mapped to their codes,
    decimal commas and spaces in numbers removed, an empty cell as the form's default."""
    if _text(value) == "":
        return "" if field.initial is None else field.initial
    if choices is not None:
        return choices.get(_key(value), _text(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and isinstance(field, forms.IntegerField | forms.DecimalField):
        return "".join(value.split()).replace(",", ".")
    return _text(value) if isinstance(value, str) else str(value)


def _why_not_allowed(uai: str, campaign: Campaign, circonscription) -> str:
    school = School.objects.select_related("circonscription").filter(uai=uai).first()
    if school is None:
        return f"UAI {uai} inconnu."
    if circonscription is not None and school.circonscription_id != circonscription.pk:
        other = school.circonscription.name if school.circonscription else "aucune"
        return f"L'école {uai} n'est pas de la circonscription {circonscription.name} ({other})."
    if not campaign.schools().filter(pk=school.pk).exists():
        return f"L'école {uai} n'est pas interrogée par cette campagne."
    return f"L'école {uai} n'est pas dans votre périmètre."


@transaction.atomic
def save_census_answers(campaign: Campaign, rows, user) -> Counts:
    """Create or update each school's answer, in one transaction; an answer that the file does
    not change is left alone (it keeps who answered it and when)."""
    counts = Counts()
    existing = {
        a.school_id: a
        for a in CensusAnswer.objects.select_for_update().filter(
            campaign=campaign, school__in=[school for school, _ in rows]
        )
    }
    for school, data in rows:
        answer = existing.get(school.pk)
        if answer is None:
            answer = CensusAnswer(campaign=campaign, school=school, **data)
            counts.created += 1
        elif not changed_fields(answer, data):
            counts.unchanged += 1
            continue
        else:
            for field, value in data.items():
                setattr(answer, field, value)
            counts.updated += 1
        answer.answered_by = user
        answer.save()
    return counts


# --- Who has answered ------------------------------------------------------------------------


@dataclass
class SchoolProgress:
    school: School
    answer: CensusAnswer | None
    has_director: bool  # a director with an e-mail: a reminder reaches the school
    level_name: str = ""

    @property
    def answered(self) -> bool:
        return self.answer is not None


def circonscription_progress(campaign: Campaign, circonscription: Circonscription):
    """Each asked school of the circonscription with its answer, if any, by name."""
    schools = (
        asked_schools(campaign, circonscription)
        .select_related("commune")
        .annotate(
            directors_reachable=Count(
                "directors",
                filter=Q(directors__user__is_active=True) & ~Q(directors__user__email=""),
            )
        )
        .order_by("name")
    )
    answers = {
        a.school_id: a
        for a in CensusAnswer.objects.filter(
            campaign=campaign, school__circonscription=circonscription
        ).select_related("answered_by")
    }
    names = dict(MaturityLevel.objects.values_list("number", "name"))
    rows = []
    for school in schools:
        answer = answers.get(school.pk)
        level_name = names.get(answer.level, "") if answer else ""
        rows.append(SchoolProgress(school, answer, school.directors_reachable > 0, level_name))
    return rows


def campaign_progress(campaign: Campaign, circonscriptions) -> list[dict]:
    """Per circonscription: {circonscription, asked, answered}, by name."""
    counts = {
        row["circonscription"]: row
        for row in campaign.schools()
        .filter(circonscription__in=circonscriptions)
        .values("circonscription")
        .annotate(
            asked=Count("pk", distinct=True),
            answered=Count(
                "census_answers", filter=Q(census_answers__campaign=campaign), distinct=True
            ),
        )
    }
    return [
        {
            "circonscription": c,
            "asked": counts.get(c.pk, {}).get("asked", 0),
            "answered": counts.get(c.pk, {}).get("answered", 0),
        }
        for c in circonscriptions.order_by("name")
    ]


def unanswered_schools(campaign: Campaign, circonscription: Circonscription | None, user):
    """The asked schools, among those `user` answers for, that have not answered."""
    asked = asked_schools(campaign, circonscription).filter(
        pk__in=School.objects.answerable_by(user).values("pk")
    )
    return asked.exclude(census_answers__campaign=campaign)


# --- Reminders ---------------------------------------------------------------------------------


def _reminder_key(campaign_id: int, circonscription_id: int | None, departement: str = "") -> str:
    """A circonscription's reminders, or those of all the circonscriptions of a département
    (one note per département: another's reminder is none of its staff's business)."""
    return f"equipment:census-reminder:{campaign_id}:{circonscription_id or f'all-{departement}'}"


def send_census_reminders(campaign: Campaign, circonscription: Circonscription | None, user) -> int:
    """On behalf of `user`, e-mail the directors of the asked schools within their scope that
    have not answered, one e-mail per person listing their schools; returns the number of
    e-mails. When and how many is kept in the cache
    for the progress page (a note, not a record: a cache flush forgets it)."""
    schools = unanswered_schools(campaign, circonscription, user)
    directors = (
        SchoolDirector.objects.filter(school__in=schools, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "school")
        .order_by("user_id", "school__name")
    )
    schools_by_email: dict[str, list[School]] = {}
    for director in directors:
        schools_by_email.setdefault(director.user.email, []).append(director.school)
    messages = [
        (
            f"Recensement de l'équipement numérique {campaign.school_year} : "
            "votre réponse est attendue",
            _reminder_body(campaign, schools),
            None,
            [email],
        )
        for email, schools in schools_by_email.items()
    ]
    send_mass_mail(messages, fail_silently=False)
    note = {"at": timezone.now(), "emails": len(messages)}
    if circonscription is not None:
        keys = [_reminder_key(campaign.pk, circonscription.pk)]
    else:
        reached = schools.order_by().values_list("departement_code", flat=True).distinct()
        keys = [_reminder_key(campaign.pk, None, code) for code in reached]
    cache.set_many(dict.fromkeys(keys, note), REMINDER_KEPT)
    return len(messages)


def _reminder_body(campaign: Campaign, schools: list[School]) -> str:
    links = "\n".join(
        f"- {school.name} ({school.uai}) : {settings.HUB_BASE_URL}"
        + reverse("equipment-census", kwargs={"campaign": campaign.pk, "uai": school.uai})
        for school in schools
    )
    return (
        f"Bonjour,\n\nLa campagne « {campaign.title} » recense l'équipement numérique des écoles "
        f"pour l'année {campaign.school_year}, jusqu'au {campaign.closes_on:%d/%m/%Y}. "
        f"Nous n'avons pas encore reçu la réponse de :\n{links}\n\n"
        "Le questionnaire se remplit en ligne, après connexion au hub, en quelques minutes. "
        "Vos réponses aident à orienter les équipements et les formations vers les écoles "
        "qui en ont besoin.\n\nMerci de votre participation."
    )


def last_reminder(
    campaign: Campaign, circonscription: Circonscription | None = None, departements=()
) -> dict | None:
    """The latest reminder that reached this circonscription's schools (or those of
    `departements`): {at, emails, scope}."""
    if circonscription is not None:
        departements = [circonscription.departement_code]
    keys = [(_reminder_key(campaign.pk, None, code), "all") for code in departements]
    if circonscription is not None:
        keys.append((_reminder_key(campaign.pk, circonscription.pk), "circonscription"))
    found = [
        {**note, "scope": scope} for key, scope in keys if (note := cache.get(key)) is not None
    ]
    return max(found, key=lambda note: note["at"], default=None)
