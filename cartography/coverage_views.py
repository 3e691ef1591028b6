"""Pages of fibre coverage: the public map, and the préfecture's reports built by Celery."""

import re

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from accounts.rules import require

from . import search
from .coverage import (
    ABOVE_FULL_NOTE,
    BUILDING_COLOURS,
    NO_DATA_COLOUR,
    RATE_CLASSES,
    Quarter,
    available_quarters,
    by_epci,
    commune_figures,
    total,
)
from .models import EPCI, BuildingState, Commune, CoverageReport, Departement
from .reports import FORMATS, ReportScope, ScopeError
from .rules import report_departements
from .views import _selected_departement


def _quarter(text: str, quarters: list[Quarter]) -> Quarter | None:
    try:
        asked = Quarter.parse(text)
    except ValueError:
        return quarters[0] if quarters else None
    return asked if asked in quarters else (quarters[0] if quarters else None)


def coverage_map(request):
    departements = list(Departement.objects.order_by("code"))
    departement = _selected_departement(request, departements)
    codes = list(departement.communes.values_list("code", flat=True)) if departement else []
    quarters = available_quarters(codes)
    quarter = _quarter(request.GET.get("periode", ""), quarters)
    level = "epci" if request.GET.get("echelon") == "epci" else "commune"
    context = {
        "level": level,
        "building_states": [
            (state, label, BUILDING_COLOURS[state]) for state, label in BuildingState.choices
        ],
        "title": "Couverture en fibre optique",
        "departements": departements,
        "departement": departement,
        "quarters": quarters,
        "quarter": quarter,
        "classes": RATE_CLASSES,
        "no_data_colour": NO_DATA_COLOUR,
        "above_full_note": ABOVE_FULL_NOTE,
    }
    if departement and quarter:
        communes = commune_figures(codes, quarter)
        context["total"] = total(departement.code, departement.name, communes)
        context["epcis"] = by_epci(communes)
        query = {"departement": departement.code}
        context["map_config"] = {
            "coverageUrl": f"{reverse('coverage')}?{urlencode(query)}",
            "unservedUrl": f"{reverse('coverage-unserved')}?{urlencode(query)}",
            "buildingsUrl": reverse("coverage-buildings"),
            "period": str(quarter),
            "level": level,
            "buildingColours": BUILDING_COLOURS,
            "classes": RATE_CLASSES,
            "noDataColour": NO_DATA_COLOUR,
            "aboveFullNote": ABOVE_FULL_NOTE,
            "hasTiles": bool(settings.LEAFLET_CONFIG["TILES"]),
        }
    return render(request, "cartography/coverage_map.html", context)


class ReportForm(forms.Form):
    TERRITORIES = [
        ("departement", "Le département"),
        ("epci", "Un EPCI"),
        ("communes", "Une liste de communes"),
    ]
    territory = forms.ChoiceField(label="Territoire", choices=TERRITORIES, initial="departement")
    departement = forms.ChoiceField(label="Département", required=False)
    epci = forms.ChoiceField(label="EPCI (si « un EPCI »)", required=False)
    communes = forms.CharField(
        label="Communes (si « une liste de communes »)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="leurs noms, séparés par des virgules ou un par ligne, par ex. « Dreux, "
        "Écrosnes, Fresnay-l’Évêque » ; accents et majuscules sans importance",
    )
    period = forms.ChoiceField(label="Trimestre")
    format = forms.ChoiceField(
        label="Format",
        choices=[
            ("pdf", "PDF (A4, avec carte)"),
            ("xlsx", "Tableur XLSX (une feuille par échelon)"),
            ("csv", "CSV (point-virgule, UTF-8)"),
            ("geojson", "GeoJSON (communes et taux)"),
        ],
        initial="pdf",
    )

    def __init__(self, *args, departement=None, allowed=None, **kwargs):
        """`allowed`: the départements the user may report on (None: all of France); only
        territories within them are offered and accepted."""
        super().__init__(*args, **kwargs)
        self.allowed = allowed
        departements = Departement.objects.order_by("code")
        if allowed is not None:
            departements = departements.filter(code__in=allowed)
        self.fields["departement"].choices = [
            (d.code, f"{d.name} ({d.code})") for d in departements
        ]
        epcis = EPCI.objects.all()
        if allowed is not None:
            epcis = epcis.filter(communes__departement__code__in=allowed).distinct()
        if departement:
            self.fields["departement"].initial = departement.code
            epcis = epcis.in_departement(departement.code)
        self.fields["epci"].choices = [("", "—")] + [(e.siren, e.name) for e in epcis]
        codes = list(departement.communes.values_list("code", flat=True)) if departement else None
        self.fields["period"].choices = [(str(q), str(q)) for q in available_quarters(codes)]

    def clean_communes(self) -> list[str]:
        """The INSEE codes of the communes named (a code typed is kept as is)."""
        text = self.cleaned_data.get("communes") or ""
        communes = Commune.objects.all()
        if self.allowed is not None:
            communes = communes.filter(departement__code__in=self.allowed)
        codes, problems = [], []
        for entry in filter(None, (e.strip() for e in re.split(r"[,;\n]", text))):
            code, problem = commune_by_name(entry, communes)
            if code:
                codes.append(code)
            else:
                problems.append(problem)
        if problems:
            raise forms.ValidationError(problems)
        return codes

    def clean(self):
        data = super().clean()
        territory = data.get("territory")
        if not territory or not data.get("period") or territory in self.errors:
            return data
        if territory != "departement" and not data.get(territory):
            self.add_error(territory, "Renseignez ce champ pour ce choix de territoire.")
            return data
        parameters = {"period": data["period"], territory: data.get(territory)}
        try:
            self.scope = ReportScope.from_parameters(parameters)
        except ScopeError as exc:
            self.add_error(territory if territory != "departement" else "period", str(exc))
            return data
        outside = self._outside(self.scope.codes)
        if outside:
            self.add_error(
                territory,
                f"hors de votre périmètre : {', '.join(outside[:5])}"
                + (" …" if len(outside) > 5 else ""),
            )
        return data

    def _outside(self, codes: list[str]) -> list[str]:
        """The communes of `codes` outside the user's départements."""
        if self.allowed is None:
            return []
        inside = Commune.objects.filter(code__in=codes, departement__code__in=self.allowed)
        return sorted(set(codes) - set(inside.values_list("code", flat=True)))


CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$", re.IGNORECASE)
IN_DEPARTEMENT = re.compile(r"^(.*?)\s*\((\d[\dAB]{1,2})\)$")


def commune_by_name(entry: str, communes) -> tuple[str, str]:
    """(INSEE code, "") of the one commune among `communes` that `entry` names ("Écrosnes",
    "ecrosnes", "Fresnay l'Eveque", "Dreux (28)"; a five-character code is taken as an INSEE
    code, as staff write them), else ("", why not, in French, with the communes it might
    mean). A misspelt name is not taken on a guess: a report names its communes exactly."""
    if CODE.match(entry):
        return entry.upper(), ""
    name = entry
    if match := IN_DEPARTEMENT.match(entry):
        name, communes = match[1], communes.filter(departement__code=match[2].upper())
    lookup = search.find(name, communes=communes)
    if lookup.commune is not None and lookup.kind == "commune" and not lookup.corrected:
        return lookup.commune.code, ""
    named = [f"{c.name} ({c.departement.code})" for c in (*lookup.communes, *lookup.suggestions)]
    if lookup.message and not lookup.communes and lookup.suggestions:  # homonyms
        return "", (
            f"« {entry} » : plusieurs communes portent ce nom ({', '.join(named)}) ; "
            "précisez le département entre parenthèses."
        )
    hint = f" Vouliez-vous dire : {', '.join(named)} ?" if named else ""
    return "", f"« {entry} » : aucune commune de ce nom dans votre périmètre.{hint}"


@login_required
def report_form(request):
    require(
        request.user,
        "cartography.request_report",
        message="Les rapports sont réservés aux agents de la préfecture et DSDEN.",
    )
    allowed = report_departements(request.user)
    departements = Departement.objects.order_by("code")
    if allowed is not None:
        departements = departements.filter(code__in=allowed)
    departement = _selected_departement(request, list(departements))
    form = ReportForm(request.POST or None, departement=departement, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        report = CoverageReport.request(
            request.user,
            {**form.scope.parameters(), "format": form.cleaned_data["format"]},
            f"{form.scope.level_label} — {form.scope.quarter}",
        )
        from .tasks import build_coverage_report

        transaction.on_commit(lambda: build_coverage_report.delay(report.pk))
        return redirect("coverage-report", pk=report.pk)
    reports = CoverageReport.objects.visible_to(request.user).filter(
        job__requested_by=request.user
    )[:10]
    return render(
        request,
        "cartography/coverage_report_form.html",
        {"title": "Rapport de couverture", "form": form, "reports": reports},
    )


def _own_report(request, pk) -> CoverageReport:
    """The report, if the user follows it (see `CoverageReport.objects.visible_to`); else 404."""
    return get_object_or_404(CoverageReport.objects.visible_to(request.user), pk=pk)


@login_required
def report_status(request, pk):
    report = _own_report(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                **report.job.status(),
                "download": reverse("coverage-report-file", args=[report.pk])
                if report.job.state == report.job.State.DONE
                else None,
            }
        )
    return render(
        request,
        "cartography/coverage_report_status.html",
        {"title": "Rapport de couverture", "report": report, "job": report.job},
    )


@login_required
def report_file(request, pk):
    job = _own_report(request, pk).job
    if job.state != job.State.DONE or not job.result:
        raise Http404("ce rapport n'est pas prêt")
    format = job.coverage_report.parameters.get("format", "pdf")
    return FileResponse(
        job.result.open("rb"),
        as_attachment=True,
        filename=job.result.name.rsplit("/", 1)[-1],
        content_type=FORMATS[format][0],
    )
