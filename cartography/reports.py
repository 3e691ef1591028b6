"""The préfecture's coverage reports: one territory, one quarter, as CSV, XLSX, PDF or GeoJSON.

`ReportScope` says which communes (a département, an EPCI or a list) and which quarter;
`report_data` gathers the figures once; one writer per format turns them into a file. The same
functions serve the report page (through Celery), the API and `manage.py coverage_report`.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone

from hub.exports import french_csv, safe_row
from hub.pdf import render_pdf

from .coverage import (
    ABOVE_FULL_NOTE,
    NO_DATA_COLOUR,
    RATE_CLASSES,
    CoverageFigures,
    Quarter,
    available_quarters,
    by_epci,
    commune_figures,
    rate_colour,
    total,
)
from .models import EPCI, Commune, CoverageReport, CoverageSnapshot, Departement
from .services import CommuneResolver, normalize_departement_code

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
    "geojson": ("application/geo+json", "geojson"),
}
SOURCE = "ARCEP, observatoire du haut et très haut débit (Licence Ouverte)"


class ScopeError(ValueError):
    """A report request that cannot be answered; the message is for the person asking."""


@dataclass
class ReportScope:
    quarter: Quarter
    departement: str = ""
    epci: str = ""
    communes: list[str] = field(default_factory=list)
    name: str = ""
    codes: list[str] = field(default_factory=list)

    @classmethod
    def from_parameters(cls, parameters: dict) -> ReportScope:
        """Check a request ({departement | epci | communes, period}) against the database."""
        try:
            quarter = Quarter.parse(parameters.get("period") or "")
        except ValueError as exc:
            raise ScopeError(str(exc)) from exc
        scope = cls(quarter)
        chosen = [k for k in ("departement", "epci", "communes") if parameters.get(k)]
        if len(chosen) != 1:
            raise ScopeError("choisissez un territoire : un département, un EPCI ou des communes")
        if parameters.get("departement"):
            try:
                code = normalize_departement_code(parameters["departement"])
            except ValueError as exc:
                raise ScopeError(str(exc)) from exc
            departement = Departement.objects.filter(code=code).first()
            if departement is None:
                raise ScopeError(f"le département {code} n'est pas chargé dans le hub")
            scope.departement, scope.name = code, departement.name
            codes = Commune.objects.filter(departement=departement)
        elif parameters.get("epci"):
            epci = EPCI.objects.filter(siren=str(parameters["epci"]).strip()).first()
            if epci is None:
                raise ScopeError(f"EPCI inconnu : SIREN « {parameters['epci']} »")
            scope.epci, scope.name = epci.siren, epci.name
            codes = Commune.objects.filter(epci=epci)
        else:
            asked = parameters["communes"]
            if isinstance(asked, str):
                asked = asked.replace(",", " ").split()
            resolver = CommuneResolver.from_database()
            current = []
            for code in asked:
                resolved = resolver.current_code(code)
                if resolved is None:
                    raise ScopeError(f"commune inconnue : « {code} »")
                current.append(resolved)
            scope.communes = list(dict.fromkeys(current))
            codes = Commune.objects.filter(code__in=scope.communes)
            names = list(codes.order_by("name").values_list("name", flat=True)[:3])
            scope.name = ", ".join(names) + (" …" if len(scope.communes) > 3 else "")
        scope.codes = list(codes.values_list("code", flat=True))
        if not scope.codes:
            raise ScopeError("ce territoire n'a aucune commune dans le hub")
        if quarter not in available_quarters(scope.codes):
            known = ", ".join(str(q) for q in available_quarters(scope.codes)[:8]) or "aucun"
            raise ScopeError(
                f"pas de données de couverture pour {quarter} sur ce territoire "
                f"(trimestres disponibles : {known})"
            )
        return scope

    @property
    def level_label(self) -> str:
        if self.departement:
            return f"département {self.name} ({self.departement})"
        if self.epci:
            return f"EPCI {self.name}"
        return f"communes : {self.name}"

    @property
    def slug(self) -> str:
        key = self.departement or self.epci or "communes"
        return f"couverture-fibre-{key}-{self.quarter.year}-T{self.quarter.number}"

    def parameters(self) -> dict:
        return {
            "period": str(self.quarter),
            "departement": self.departement,
            "epci": self.epci,
            "communes": self.communes,
        }


@dataclass
class ReportData:
    scope: ReportScope
    communes: list[CoverageFigures]
    epcis: list[CoverageFigures]
    total: CoverageFigures
    sources: list[str]
    generated_at: object

    @property
    def title(self) -> str:
        return (
            f"Couverture en fibre optique (FttH) — {self.scope.level_label} — {self.scope.quarter}"
        )


def report_data(scope: ReportScope) -> ReportData:
    communes = commune_figures(scope.codes, scope.quarter)
    editions = (
        CoverageSnapshot.objects.filter(level="commune", code__in=scope.codes)
        .filter(period__in=[scope.quarter.start, scope.quarter.previous().start])
        .values_list("edition", "source_file")
        .distinct()
        .order_by("-edition")
    )
    sources = [f"{SOURCE}, édition {Quarter.from_date(e)} ({f})" for e, f in editions]
    return ReportData(
        scope=scope,
        communes=communes,
        epcis=by_epci(communes) if not scope.epci else [],
        total=total(scope.departement or scope.epci, scope.name, communes),
        sources=list(dict.fromkeys(sources)) or [SOURCE],
        generated_at=timezone.localtime(),
    )


# --- writers ----------------------------------------------------------------------------------

COLUMNS = [
    "niveau",
    "code",
    "nom",
    "EPCI",
    "locaux",
    "locaux raccordables FttH",
    "taux de raccordabilité (%)",
    "taux au trimestre précédent (%)",
    "évolution (points)",
    "locaux non raccordables",
    "catégorie ARCEP",
    "remarque",
]


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def _rows(data: ReportData):
    """(level, figures) in reading order: the total, the EPCI, then the communes."""
    top = "département" if data.scope.departement else "EPCI" if data.scope.epci else "ensemble"
    yield top, data.total
    for epci in data.epcis:
        yield "EPCI", epci
    for commune in data.communes:
        yield "commune", commune


def _values(level: str, f: CoverageFigures) -> list:
    change = f.rate_change
    return [
        level,
        f.code,
        f.name,
        f.epci_name if level == "commune" else "",
        f.premises,
        f.ftth_ready,
        _percent(f.rate),
        _percent(f.previous_rate),
        None if change is None else round(100 * change, 1),
        f.without_fibre,
        f.category if level == "commune" else None,
        ABOVE_FULL_NOTE if f.above_full else "",
    ]


def write_csv(data: ReportData) -> bytes:
    """`;`-separated, UTF-8 with BOM and decimal commas: opens as is in a French spreadsheet."""
    return french_csv(COLUMNS, (_values(level, figures) for level, figures in _rows(data)))


def write_xlsx(data: ReportData) -> bytes:
    """A sheet per level (total, EPCI, communes) with formatted numbers, plus the sources."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="E3E3FD")
    sheets = [("Synthèse", [r for r in _rows(data) if r[1] is data.total])]
    if data.epcis:
        sheets.append(("EPCI", [("EPCI", e) for e in data.epcis]))
    sheets.append(("Communes", [("commune", c) for c in data.communes]))
    for index, (name, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        sheet.append([data.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([f"Source : {'; '.join(data.sources)}"])
        sheet.append(
            [f"Édité le {data.generated_at:%d/%m/%Y à %H:%M} par le hub d'inclusion numérique"]
        )
        sheet.append([])
        sheet.append(COLUMNS)
        for cell in sheet[5]:
            cell.font, cell.fill = bold, header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for level, figures in rows:
            sheet.append(safe_row(_values(level, figures)))
        if name != "Synthèse":
            sheet.append(
                safe_row(
                    _values("total", total(data.total.code, data.total.name, [r[1] for r in rows]))
                )
            )
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        for row in sheet.iter_rows(min_row=6):
            for cell in row[4:6] + row[9:10]:
                cell.number_format = "# ##0"
            for cell in row[6:9]:
                cell.number_format = "0.0"
        for column, width in enumerate([12, 11, 34, 34, 11, 13, 13, 13, 11, 13, 10, 60], start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.freeze_panes = "A6"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_geojson(data: ReportData) -> bytes:
    geometries = dict(
        Commune.objects.filter(code__in=data.scope.codes).values_list("code", "geometry")
    )
    features = []
    for commune in data.communes:
        geometry = geometries.get(commune.code)
        properties = dict(zip(COLUMNS, _values("commune", commune), strict=True))
        features.append(
            {
                "type": "Feature",
                "id": commune.code,
                "geometry": json.loads(geometry.geojson) if geometry else None,
                "properties": properties,
            }
        )
    collection = {
        "type": "FeatureCollection",
        "name": data.scope.slug,
        "metadata": {
            "title": data.title,
            "period": str(data.scope.quarter),
            "sources": data.sources,
            "generated_at": data.generated_at.isoformat(),
            "total": dict(zip(COLUMNS, _values("total", data.total), strict=True)),
        },
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


def territory_svg(data: ReportData, width: float = 170, height: float = 120) -> str:
    """The territory's communes as SVG coloured by rate (Lambert-93 in mainland France).

    Outlines are simplified to under 0.2 mm of the printed map, whatever the
    territory's size, and the communes of one colour drawn as one path: WeasyPrint's time grows
    with the elements and points it reads (a 900-commune département stays light)."""
    srid = 3857 if any(code.startswith("97") for code in data.scope.codes[:1]) else 2154
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH g AS (
                SELECT code, ST_Transform(geometry, %s) AS geom
                FROM cartography_commune WHERE code = ANY(%s) AND geometry IS NOT NULL),
            box AS (SELECT ST_Extent(geom) AS b FROM g)
            SELECT code,
                   ST_AsSVG(ST_SimplifyPreserveTopology(
                       geom, greatest(ST_XMax(b) - ST_XMin(b), ST_YMax(b) - ST_YMin(b)) / %s),
                       1, 0),
                   b::text
            FROM g, box
            """,
            [srid, data.scope.codes, MAP_RESOLUTION],
        )
        rows = cursor.fetchall()
    if not rows:
        return ""
    xmin, ymin, xmax, ymax = (
        float(v) for v in rows[0][2].removeprefix("BOX(").rstrip(")").replace(",", " ").split()
    )
    rates = {c.code: c.rate for c in data.communes}
    by_colour: dict[str, list[str]] = {}
    for code, svg, _ in rows:
        by_colour.setdefault(rate_colour(rates.get(code)), []).append(svg)
    paths = "".join(f'<path d="{" ".join(d)}" fill="{colour}"/>' for colour, d in by_colour.items())
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}mm" height="{height}mm" '
        f'viewBox="{xmin} {-ymax} {xmax - xmin} {ymax - ymin}" preserveAspectRatio="xMidYMid meet"'
        f' role="img" aria-label="Carte des communes colorées par taux de locaux raccordables">'
        f'<g stroke="#ffffff" stroke-width="{(xmax - xmin) / 800:.0f}" fill-rule="evenodd">'
        f"{paths}</g></svg>"
    )


# Outlines simplified to the territory’s largest side / MAP_RESOLUTION (under 0.2 mm printed).
MAP_RESOLUTION = 1000


def pdf_html(data: ReportData) -> str:
    """The report as the HTML WeasyPrint draws (its tables are what the PDF shows)."""
    return render_to_string(
        "cartography/coverage_report_pdf.html",
        {
            "data": data,
            "map_svg": territory_svg(data),
            "above_full": [c.name for c in data.communes if c.above_full],
            "above_full_note": ABOVE_FULL_NOTE,
            "classes": RATE_CLASSES,
            "no_data_colour": NO_DATA_COLOUR,
            "font_regular": finders.find("dsfr/dist/fonts/Marianne-Regular.woff2"),
            "font_bold": finders.find("dsfr/dist/fonts/Marianne-Bold.woff2"),
        },
    )


def write_pdf(data: ReportData) -> bytes:
    return render_pdf(pdf_html(data))


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf, "geojson": write_geojson}


def render_report(scope: ReportScope, format: str) -> bytes:
    if format not in WRITERS:
        raise ScopeError(f"format inconnu « {format} » (csv, xlsx, pdf ou geojson)")
    return WRITERS[format](report_data(scope))


def build_report(report: CoverageReport, progress) -> None:
    """Build a requested report as its job (run by Celery through `hub.jobs.run_job`), telling
    `progress` (a `JobProgress`) each step; the file becomes the job's result."""
    progress.step(5, 100, "Vérification du territoire et du trimestre")
    scope = ReportScope.from_parameters(report.parameters)
    format = report.parameters.get("format", "pdf")
    if format not in WRITERS:
        raise ScopeError(f"format inconnu « {format} »")
    progress.step(25, 100, "Calcul des chiffres par commune")
    data = report_data(scope)
    progress.step(55, 100, f"Écriture du fichier {format.upper()}")
    content = WRITERS[format](data)
    progress.step(90, 100, "Enregistrement du fichier")
    report.title = report.job.title = data.title
    report.save(update_fields=["title"])
    report.job.result.save(f"{scope.slug}.{FORMATS[format][1]}", ContentFile(content), save=False)
