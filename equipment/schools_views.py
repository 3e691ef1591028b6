"""Pages of the schools' census: the DSDEN map and gap list, a school's page, its census form,
opening a campaign, and the public per-commune aggregates."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Avg, Count, FloatField, Func
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.rules import require
from cartography.models import Commune, Departement

from . import gaps
from .forms import CampaignForm, CensusAnswerForm
from .models import DEVICE_KINDS, NATIONAL_REFERENCE, Campaign, CensusAnswer, MaturityLevel, School

PAGE_SIZE = 50


def _visible_schools(request):
    require(
        request.user,
        "equipment.access_schools",
        message="Ces pages sont réservées à la DSDEN, aux ERUN, aux directions d'école "
        "et aux collectivités.",
    )
    return School.objects.visible_to(request.user)


def _filtered(request):
    schools = _visible_schools(request)
    form = gaps.SchoolFilterForm(request.GET or None, schools=schools)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    campaign = form.campaign()
    return form, campaign, gaps.filtered(schools, data, campaign)


def _classes(mode: str) -> dict:
    """The map's classes for a colouring `mode`, in the legend's order: key -> (colour, shape,
    label); the key None is a school without answer (or without figure)."""
    if mode == "terminals":
        classes = {
            high: (*symbol, f"{label} terminaux pour 100 élèves")
            for _, high, symbol, label in gaps.TERMINAL_CLASSES
        }
    elif mode == "connection":
        labels = dict(CensusAnswer.Connection.choices)
        classes = {
            k: (*symbol, f"connexion : {labels.get(k, '')}")
            for k, symbol in gaps.CONNECTION_SYMBOLS.items()
        }
    else:
        names = dict(MaturityLevel.objects.values_list("number", "name"))
        classes = {
            n: (*symbol, f"niveau {n} : {names.get(n, '')}")
            for n, symbol in gaps.LEVEL_SYMBOLS.items()
        }
    classes[None] = (*gaps.NO_ANSWER_SYMBOL, "sans réponse")
    return classes


def _class_key(row: dict, mode: str):
    """The key of `row`'s class in `_classes(mode)`."""
    if mode == "terminals":
        ratio = row["terminals_per_100"]
        if ratio is None:
            return None
        return next(h for _, h, _, _ in gaps.TERMINAL_CLASSES if h is None or ratio < h)
    return row["answer__connection" if mode == "connection" else "answer__level"]


def _departement(schools) -> str:
    """The département whose communes the map draws: the hub's, else the user's first."""
    codes = set(schools.order_by().values_list("departement_code", flat=True).distinct())
    default = settings.HUB_DEFAULT_DEPARTEMENT
    return default if default in codes or not codes else min(codes)


@login_required
def schools_map(request):
    form, campaign, schools = _filtered(request)
    mode = request.GET.get("couleur") or "level"
    page = Paginator(gaps.rows(schools), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    answered = schools.filter(answer__isnull=False).count()
    return render(
        request,
        "equipment/schools.html",
        {
            "title": "Écoles et équipement numérique",
            "form": form,
            "campaign": campaign,
            "page": page,
            "query": query.urlencode(),
            "answered": answered,
            "legend": _classes(mode).values(),
            "map_config": {
                "url": f"{reverse('equipment-schools-geojson')}?{query.urlencode()}",
                "communesUrl": f"{reverse('commune-list')}?departement={_departement(schools)}",
                "hasTiles": bool(settings.LEAFLET_CONFIG["TILES"]),
            },
        },
    )


# Beyond this many schools (a regional or national reach), the layer groups them: one point a
# commune, or a département when the communes are too many too (60 000 schools one by one are
# 18 MB). Filters, or a box (`bbox`), bring the schools back one by one.
MAP_MAX_SCHOOLS = 2000
GROUP_SYMBOL = ("#929292", "circle")


def _coordinate(axis: str) -> Func:
    return Func(
        "location", template=f"ST_{axis}(%(expressions)s::geometry)", output_field=FloatField()
    )


def _grouped_layer(located, total: int) -> dict:
    """One feature a commune (or département) at the middle of its schools, with their count."""
    located = located.order_by()
    if located.values("commune_code").distinct().count() <= MAP_MAX_SCHOOLS:
        key, names = "commune_code", Commune.objects.values_list("code", "name")
    else:
        key, names = "departement_code", Departement.objects.values_list("code", "name")
    groups = list(
        located.values(key).annotate(
            count=Count("pk"),
            answered=Count("answer__pupils"),
            x=Avg(_coordinate("X")),
            y=Avg(_coordinate("Y")),
        )
    )
    names = dict(names.filter(code__in=[g[key] for g in groups]))
    features = []
    for group in groups:
        code = group[key]
        if key == "commune_code":
            url = f"{reverse('equipment-schools')}?commune={code}"
        else:
            url = reverse("territory", kwargs={"level": "departement", "code": code})
        label = f"{group['count']} écoles, {group['answered']} réponses"
        features.append(
            {
                "type": "Feature",
                "id": f"{key.split('_')[0]}-{code}",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(group["x"], 5), round(group["y"], 5)],
                },
                "properties": {
                    "name": f"{names.get(code, code)} : {group['count']} écoles",
                    "count": group["count"],
                    "answered": group["answered"],
                    "level": None,
                    "reasons": "",
                    "colour": GROUP_SYMBOL[0],
                    "shape": GROUP_SYMBOL[1],
                    "class_label": label,
                    "url": url,
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "grouped_by": key.split("_")[0],
        "schools": total,
        "features": features,
    }


@login_required
def schools_geojson(request):
    """The map layer: every filtered school the user may see (in `bbox` when given), coloured
    as asked."""
    form, campaign, schools = _filtered(request)
    if form.is_bound and not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    located = schools.filter(location__isnull=False)
    if (total := located.count()) > MAP_MAX_SCHOOLS:
        return JsonResponse(_grouped_layer(located, total), content_type="application/geo+json")
    mode = request.GET.get("couleur") or "level"
    classes = _classes(mode)
    features = []
    locations = dict(schools.filter(location__isnull=False).values_list("uai", "location"))
    for row in gaps.rows(schools):
        point = locations.get(row["uai"])
        if point is None:
            continue
        colour, shape, label = classes.get(_class_key(row, mode), classes[None])
        features.append(
            {
                "type": "Feature",
                "id": row["uai"],
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(point.x, 6), round(point.y, 6)],
                },
                "properties": {
                    "name": row["name"],
                    "commune": row["commune__name"],
                    "level": row["answer__level"],
                    "reasons": row["answer__level_reasons"],
                    "terminals_per_100": row["terminals_per_100"],
                    "colour": colour,
                    "shape": shape,
                    "class_label": label,
                    "url": reverse("equipment-school", args=[row["uai"]]),
                },
            }
        )
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "campaign": campaign.school_year if campaign else None,
            "features": features,
        },
        content_type="application/geo+json",
    )


@login_required
def schools_export(request, format):
    if format not in FORMAT_TYPES:
        raise Http404("format inconnu (csv ou xlsx)")
    _, campaign, schools = _filtered(request)
    data = gaps.rows(schools)
    year = campaign.school_year if campaign else "sans-campagne"
    title = f"Identification des manques — {campaign or 'aucune campagne'} — {timezone.localdate():%d/%m/%Y}"
    if format == "xlsx":
        content, kind = gaps.write_xlsx(data, title), FORMAT_TYPES["xlsx"]
    else:
        content, kind = gaps.write_csv(data), FORMAT_TYPES["csv"]
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="manques-{year}.{format}"'
    return response


FORMAT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _school_or_404(request, uai) -> School:
    """The school, if in the user's view; 404 otherwise, whatever the role."""
    schools = School.objects.visible_to(request.user).select_related("commune", "circonscription")
    return get_object_or_404(schools, uai=uai)


@login_required
def school_detail(request, uai):
    school = _school_or_404(request, uai)
    answers = list(
        school.census_answers.select_related("campaign", "answered_by").order_by(
            "-campaign__school_year"
        )
    )
    campaigns = Campaign.objects.exclude(answers__school=school).filter(
        kinds__contains=[school.kind]
    )
    changes = []
    for answer in answers:
        records = list(answer.history.select_related("history_user").order_by("-history_date")[:20])
        for newer, older in zip(records, records[1:], strict=False):
            delta = newer.diff_against(older)
            changes += [
                {
                    "when": newer.history_date,
                    "who": newer.history_user,
                    "campaign": answer.campaign.school_year,
                    "field": answer._meta.get_field(c.field).verbose_name,
                    "old": c.old,
                    "new": c.new,
                }
                for c in delta.changes
            ]
    return render(
        request,
        "equipment/school_detail.html",
        {
            "title": school.name,
            "school": school,
            "answers": answers,
            "devices": DEVICE_KINDS,
            "open_campaigns": campaigns,
            "reference": NATIONAL_REFERENCE.get(school.kind),
            "changes": sorted(changes, key=lambda c: c["when"], reverse=True)[:50],
        },
    )


@login_required
def census_form(request, uai, campaign):
    school = _school_or_404(request, uai)
    require(
        request.user,
        "equipment.answer_census",
        school,
        "Vous pouvez consulter les réponses de cette école, pas y répondre.",
    )
    campaign = get_object_or_404(Campaign, pk=campaign)
    if school.kind not in campaign.kinds:
        raise Http404("Cette campagne n'interroge pas ce type d'établissement.")
    answer = CensusAnswer.objects.filter(campaign=campaign, school=school).first()
    if answer is None:
        answer = CensusAnswer(campaign=campaign, school=school, pupils=school.pupils or 0)
    form = CensusAnswerForm(request.POST or None, instance=answer)
    if request.method == "POST" and form.is_valid():
        answer = form.save(commit=False)
        answer.answered_by = request.user
        answer.save()
        messages.success(
            request, f"Réponse enregistrée. Niveau de maturité : {answer.level_reasons}."
        )
        return redirect("equipment-school", uai=school.uai)
    return render(
        request,
        "equipment/census_form.html",
        {
            "title": f"Recensement {campaign.school_year} — {school.name}",
            "school": school,
            "campaign": campaign,
            "form": form,
        },
    )


@login_required
def campaign_new(request):
    require(
        request.user,
        "equipment.open_campaign",
        message="L'ouverture d'une campagne est réservée à la DSDEN.",
    )
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.created_by = request.user
        campaign.save()
        messages.success(request, f"Campagne « {campaign} » ouverte.")
        return redirect(f"{reverse('equipment-schools')}?campagne={campaign.pk}")
    return render(
        request, "equipment/campaign_form.html", {"title": "Ouvrir une campagne", "form": form}
    )


def commune_aggregates(request):
    """Public: per-commune figures only, never a school's answers."""
    campaigns = list(Campaign.objects.all())
    chosen = next((c for c in campaigns if str(c.pk) == request.GET.get("campagne")), None)
    campaign = chosen or (campaigns[0] if campaigns else None)
    shown, hidden = gaps.commune_aggregates(campaign)
    return render(
        request,
        "equipment/communes.html",
        {
            "title": "Équipement numérique des écoles par commune",
            "campaigns": campaigns,
            "campaign": campaign,
            "communes": shown,
            "hidden": hidden,
            "minimum": gaps.MIN_SCHOOLS_PUBLISHED,
        },
    )
