"""Schools with their census answer for a campaign: the filters of the DSDEN map and gap list
("identification des manques"), its rows and its exports, and the per-commune aggregates the
public may see."""

from __future__ import annotations

from django import forms
from django.contrib.gis.geos import Polygon
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    FloatField,
    IntegerField,
    Max,
    Q,
    Value,
    When,
)

from cartography.models import EPCI, Commune
from hub.api import parse_bbox
from hub.exports import french_csv, safe_row, titled_sheet, workbook_bytes

from .models import (
    NATIONAL_REFERENCE,
    PUPIL_TERMINALS,
    Campaign,
    CensusAnswer,
    Circonscription,
    MaturityLevel,
    School,
)

# Map symbols: each class has a shape as well as a colour (drawn by static/js/hub-map.js), and
# the colours are Okabe and Ito's, told apart with the common colour-vision deficiencies too.
# From the least to the best equipped: vermillion, orange, yellow, sky blue, blue.
NO_ANSWER_SYMBOL = ("#ffffff", "circle")
LEVEL_SYMBOLS = {
    None: NO_ANSWER_SYMBOL,
    0: ("#d55e00", "triangle"),
    1: ("#e69f00", "diamond"),
    2: ("#f0e442", "square"),
    3: ("#56b4e9", "hexagon"),
    4: ("#0072b2", "star"),
}
TERMINAL_CLASSES = [  # terminals per 100 pupils: low, high, symbol, label
    (0, 5, ("#d55e00", "triangle"), "moins de 5"),
    (5, 10, ("#e69f00", "diamond"), "5 à 10"),
    (10, 20, ("#f0e442", "square"), "10 à 20"),
    (20, None, ("#0072b2", "star"), "20 et plus"),
]
SORTS = {
    "manques": None,  # see `gap_order`
    "nom": ["name"],
    "-nom": ["-name"],
    "niveau": [F("answer__level").asc(nulls_first=True), "name"],
    "-niveau": [F("answer__level").desc(nulls_last=True), "name"],
    "commune": ["commune__name", "name"],
    "circonscription": ["circonscription__name", "name"],
    "terminaux": [F("terminals_per_100").asc(nulls_first=True), "name"],
    "-terminaux": [F("terminals_per_100").desc(nulls_last=True), "name"],
}
COLOUR_BY = [
    ("level", "niveau de maturité"),
    ("terminals", "terminaux pour 100 élèves"),
    ("connection", "connexion"),
]
CONNECTION_SYMBOLS = {
    "fibre": ("#0072b2", "star"),
    "cable": ("#56b4e9", "hexagon"),
    "copper": ("#f0e442", "square"),
    "4g": ("#e69f00", "diamond"),
    "satellite": ("#cc79a7", "triangle-down"),
    "none": ("#d55e00", "triangle"),
    None: NO_ANSWER_SYMBOL,
}


class SchoolFilterForm(forms.Form):
    campagne = forms.ModelChoiceField(
        label="Campagne", queryset=Campaign.objects.all(), required=False, empty_label=None
    )
    type = forms.ChoiceField(label="Type d'école", required=False)
    circonscription = forms.ModelChoiceField(
        label="Circonscription", queryset=Circonscription.objects.none(), required=False
    )
    commune = forms.CharField(label="Commune (nom ou code INSEE)", required=False)
    epci = forms.ModelChoiceField(label="EPCI", queryset=EPCI.objects.none(), required=False)
    niveau = forms.ChoiceField(label="Niveau de maturité", required=False)
    connexion = forms.ChoiceField(label="Connexion", required=False)
    rep = forms.ChoiceField(
        label="Éducation prioritaire",
        required=False,
        choices=[("", "toutes"), ("REP", "REP"), ("REP+", "REP+"), ("aucune", "hors REP")],
    )
    couleur = forms.ChoiceField(label="Colorer la carte par", choices=COLOUR_BY, required=False)
    bbox = forms.CharField(required=False, widget=forms.HiddenInput)
    tri = forms.ChoiceField(
        label="Trier par",
        required=False,
        choices=[
            ("manques", "plus grands manques d’abord"),
            ("-niveau", "niveau décroissant"),
            ("niveau", "niveau croissant"),
            ("nom", "nom"),
            ("commune", "commune"),
            ("circonscription", "circonscription"),
            ("terminaux", "terminaux pour 100 élèves, croissant"),
            ("-terminaux", "terminaux pour 100 élèves, décroissant"),
        ],
    )

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        schools = School.objects.all() if schools is None else schools
        self.fields["type"].choices = [("", "tous")] + list(School.Kind.choices)
        self.fields["circonscription"].queryset = Circonscription.objects.filter(
            pk__in=schools.values("circonscription")
        )
        self.fields["epci"].queryset = EPCI.objects.filter(
            pk__in=Commune.objects.filter(pk__in=schools.values("commune")).values("epci")
        )
        self.fields["niveau"].choices = [("", "tous"), ("aucun", "sans réponse")] + [
            (str(n), f"niveau {n}") for n in range(5)
        ]
        self.fields["connexion"].choices = [("", "toutes")] + list(CensusAnswer.Connection.choices)
        self.fields["campagne"].initial = Campaign.objects.first()

    def clean_bbox(self):
        text = self.cleaned_data["bbox"]
        if not text:
            return None
        try:
            return Polygon.from_bbox(parse_bbox(text))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def campaign(self) -> Campaign | None:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("campagne"):
            return self.cleaned_data["campagne"]
        return Campaign.objects.first()


def with_answers(schools, campaign: Campaign | None):
    """Schools annotated with their answer to `campaign` (`answer__…`) and their terminals per
    100 pupils (`terminals_per_100`)."""
    schools = schools.annotate(
        answer=FilteredRelation("census_answers", condition=Q(census_answers__campaign=campaign))
    )
    terminals = sum((F(f"answer__{kind}_pupils") for kind in PUPIL_TERMINALS), start=0)
    return schools.annotate(
        terminals_per_100=100.0 * terminals / F("answer__pupils"),
    ).select_related("commune", "circonscription")


def filtered(schools, data: dict, campaign: Campaign | None):
    schools = with_answers(schools.exclude(status=School.Status.CLOSED), campaign)
    if campaign is not None:
        schools = schools.filter(kind__in=campaign.kinds)
    if data.get("bbox") is not None:
        schools = schools.filter(location__bboverlaps=data["bbox"])
    if data.get("type"):
        schools = schools.filter(kind=data["type"])
    if data.get("circonscription"):
        schools = schools.filter(circonscription=data["circonscription"])
    if data.get("commune"):
        schools = schools.filter(commune__in=Commune.objects.search(data["commune"]))
    if data.get("epci"):
        schools = schools.filter(commune__epci=data["epci"])
    if data.get("niveau") == "aucun":
        schools = schools.filter(answer__isnull=True)
    elif data.get("niveau"):
        schools = schools.filter(answer__level=int(data["niveau"]))
    if data.get("connexion"):
        schools = schools.filter(answer__connection=data["connexion"])
    if data.get("rep") == "aucune":
        schools = schools.filter(education_priority="")
    elif data.get("rep"):
        schools = schools.filter(education_priority=data["rep"])
    sort = data.get("tri") or DEFAULT_SORT
    return schools.order_by(*(SORTS.get(sort) or gap_order()))


DEFAULT_SORT = "manques"


def gap_order() -> list:
    """The largest gaps first: schools below the top maturity level, the lowest level first and,
    within a level, the fewest pupils' terminals for 100 pupils relative to the national
    reference of their kind of school; then the schools without an answer (gaps unknown); the
    schools at the top level (nothing missing) last."""
    top = MaturityLevel.objects.aggregate(top=Max("number"))["top"]
    groups = [When(answer__isnull=True, then=Value(1))]
    if top is not None:
        groups.append(When(answer__level__gte=top, then=Value(2)))
    group = Case(*groups, default=Value(0), output_field=IntegerField())
    reference = Case(
        *(When(kind=kind, then=Value(figure)) for kind, figure in NATIONAL_REFERENCE.items()),
        output_field=FloatField(),
    )
    return [
        group.asc(),
        F("answer__level").asc(nulls_last=True),
        (F("terminals_per_100") / reference).asc(nulls_last=True),
        "name",
    ]


ROW_FIELDS = [
    "uai", "name", "kind", "commune__name", "commune__code", "circonscription__name",
    "education_priority", "ips", "answer__pupils", "answer__level", "answer__level_reasons",
    "terminals_per_100", "answer__connection", "answer__download_mbps", "answer__wifi",
    "answer__platform", "answer__trained_staff", "answer__needs", "answer__updated_at",
]  # fmt: skip


def rows(schools) -> list[dict]:
    """One dict per school for the gap list and its exports."""
    kinds = dict(School.Kind.choices)
    connections = dict(CensusAnswer.Connection.choices)
    wifi = dict(CensusAnswer.Wifi.choices)
    out = []
    for row in schools.values(*ROW_FIELDS):
        ratio = row["terminals_per_100"]
        out.append(
            {
                **row,
                "kind_label": kinds.get(row["kind"], row["kind"]),
                "terminals_per_100": None if ratio is None else round(ratio, 1),
                "reference": NATIONAL_REFERENCE.get(row["kind"]),
                "connection_label": connections.get(row["answer__connection"], ""),
                "wifi_label": wifi.get(row["answer__wifi"], ""),
                "answered": row["answer__pupils"] is not None,
            }
        )
    return out


EXPORT_COLUMNS = [
    ("uai", "UAI"),
    ("name", "école"),
    ("kind_label", "type"),
    ("commune__name", "commune"),
    ("commune__code", "code INSEE"),
    ("circonscription__name", "circonscription"),
    ("education_priority", "éducation prioritaire"),
    ("ips", "IPS"),
    ("answer__pupils", "élèves"),
    ("answer__level", "niveau de maturité"),
    ("answer__level_reasons", "ce qui manque"),
    ("terminals_per_100", "terminaux élèves pour 100 élèves"),
    ("reference", "référence nationale (ETIC 2018-2019)"),
    ("connection_label", "connexion"),
    ("answer__download_mbps", "débit mesuré (Mbit/s)"),
    ("wifi_label", "Wi-Fi dans les classes"),
    ("answer__trained_staff", "personnels formés"),
    ("answer__needs", "besoins exprimés"),
]


def _cell(value):
    if value is None:
        return ""
    return float(value) if hasattr(value, "is_finite") else value


def write_csv(data: list[dict]) -> bytes:
    return french_csv(
        [label for _, label in EXPORT_COLUMNS],
        ([_cell(row[key]) for key, _ in EXPORT_COLUMNS] for row in data),
    )


def write_xlsx(data: list[dict], title: str) -> bytes:
    workbook, sheet = titled_sheet(title, "Manques", [label for _, label in EXPORT_COLUMNS])
    for row in data:
        sheet.append(
            safe_row(
                None if row[key] in (None, "") else _cell(row[key]) for key, _ in EXPORT_COLUMNS
            )
        )
    sheet.freeze_panes = "C4"
    widths = [10, 34, 16, 22, 9, 22, 9, 7, 8, 9, 60, 12, 12, 18, 10, 18, 9, 40]
    for column, width in zip("ABCDEFGHIJKLMNOPQR", widths, strict=True):
        sheet.column_dimensions[column].width = width
    return workbook_bytes(workbook)


MIN_SCHOOLS_PUBLISHED = 3


def commune_aggregates(campaign: Campaign | None) -> tuple[list[dict], int]:
    """Per-commune figures the public may see; communes with fewer than three answering
    schools are left out (their figures would describe a single school)."""
    if campaign is None:
        return [], 0
    answers = CensusAnswer.objects.filter(campaign=campaign)
    per_commune = (
        answers.values("school__commune__code", "school__commune__name")
        .annotate(
            schools=Count("pk"),
            fibre=Count("pk", filter=Q(connection="fibre")),
            wifi_all=Count("pk", filter=Q(wifi="all")),
        )
        .order_by("school__commune__name")
    )
    terminals = {}
    for a in answers.values(
        "school__commune__code", "pupils", *[f"{k}_pupils" for k in PUPIL_TERMINALS]
    ):
        code = a["school__commune__code"]
        total = terminals.setdefault(code, [0, 0])
        total[0] += sum(a[f"{k}_pupils"] for k in PUPIL_TERMINALS)
        total[1] += a["pupils"]
    shown, hidden = [], 0
    for c in per_commune:
        if c["schools"] < MIN_SCHOOLS_PUBLISHED:
            hidden += 1
            continue
        devices, pupils = terminals[c["school__commune__code"]]
        shown.append(
            {
                "code": c["school__commune__code"],
                "name": c["school__commune__name"],
                "schools": c["schools"],
                "fibre_share": c["fibre"] / c["schools"],
                "wifi_share": c["wifi_all"] / c["schools"],
                "terminals_per_100": round(100 * devices / pupils, 1) if pupils else None,
            }
        )
    return shown, hidden
