"""Pages of the territorial action plans: the list, a plan with its progress, the plan and
action forms (an action with its funding lines), "Planifier une action" from the gap diagnostic
or a school's page, and the plan's XLSX and PDF."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.rules import require
from cartography.models import Commune
from equipment.models import School

from . import plans
from .models.plans import Action, Plan
from .plan_forms import ActionForm, FundingLines, PlanForm

PAGE_SIZE = 20
SORTS = {
    "titre": ("title",),
    "debut": ("starts_on", "title"),
    "-debut": ("-starts_on", "title"),
    "territoire": ("level", "departement_code", "title"),
}
NEED_PARAMETERS = ("ecole", "commune", "rang", "version")


def _visible_plans(request):
    if not request.user.has_perm("trainings.see_plans"):
        raise Http404("Aucun plan d’action ne vous concerne.")
    return Plan.objects.visible_to(request.user)


def _plan_or_404(request, pk) -> Plan:
    return get_object_or_404(_visible_plans(request), pk=pk)


def _editable_plan(request, pk) -> Plan:
    plan = _plan_or_404(request, pk)
    require(
        request.user, "trainings.edit_plan", plan, "Vous lisez ce plan sans pouvoir le modifier."
    )
    return plan


@login_required
def plan_list(request):
    sort = request.GET.get("tri", "-debut")
    if sort not in SORTS:
        sort = "-debut"
    listed = (
        _visible_plans(request)
        .select_related("commune", "epci", "circonscription", "departement")
        .annotate(
            actions_count=Count("actions", filter=~Q(actions__status=Action.Status.ABANDONED)),
            done_count=Count("actions", filter=Q(actions__status=Action.Status.DONE)),
        )
        .order_by(*SORTS[sort])
    )
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "trainings/plans/plan_list.html",
        {
            "page": page,
            "sort": sort,
            "sorts": [
                ("-debut", "les plus récents"),
                ("debut", "les plus anciens"),
                ("titre", "titre"),
                ("territoire", "territoire"),
            ],
            "query": urlencode({"tri": sort}),
            "can_plan": request.user.has_perm("trainings.create_plan"),
        },
    )


def _actions(request, plan):
    return (
        Action.objects.visible_to(request.user)
        .filter(plan=plan)
        .with_budget()
        .select_related("school", "commune", "indicator", "structure")
        .prefetch_related("funding_lines", "sessions__training")
        .order_by("priority", "starts_on", "pk")
    )


@login_required
def plan_detail(request, pk):
    plan = _plan_or_404(request, pk)
    actions = _actions(request, plan)
    return render(
        request,
        "trainings/plans/plan_detail.html",
        {
            "plan": plan,
            "actions": [(action, plans.need_text(action)) for action in actions],
            "progress": plans.progress(actions),
            "can_edit": request.user.has_perm("trainings.edit_plan", plan),
            "owners": plan.owners.order_by("username"),
        },
    )


@login_required
def plan_export(request, pk, format):
    plan = _plan_or_404(request, pk)
    actions = _actions(request, plan)
    figures = plans.progress(actions)
    stem = f"plan-{plan.pk}"
    if format == "xlsx":
        response = HttpResponse(
            plans.plan_xlsx(plan, actions, figures),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            plans.plan_pdf(plan, actions, figures, request.build_absolute_uri("/")),
            content_type="application/pdf",
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}.{format}"'
    return response


def _need_query(request) -> str:
    """The need carried from the diagnostic or a school's page (ecole, commune, rang…)."""
    return urlencode({k: request.GET[k] for k in NEED_PARAMETERS if request.GET.get(k)})


@login_required
def plan_create(request):
    require(
        request.user,
        "trainings.create_plan",
        message="Seuls la DSDEN, les collectivités et les administrateurs créent des plans.",
    )
    initial = _territory_of_need(request)
    form = PlanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            plan = form.save(commit=False)
            plan.created_by = request.user
            plan.save()
            form.save_m2m()
            plan.owners.add(request.user)
        messages.success(request, f"Le plan « {plan.title} » est créé.")
        need = _need_query(request)
        if need:
            return redirect(reverse("plan-action-new", args=[plan.pk]) + "?" + need)
        return redirect("plan-detail", pk=plan.pk)
    return render(
        request,
        "trainings/plans/plan_form.html",
        {"form": form, "plan": None, "need_query": _need_query(request)},
    )


def _territory_of_need(request) -> dict:
    """A new plan's territory, guessed from the need: the school's or commune's EPCI."""
    commune = None
    if request.GET.get("ecole"):
        school = School.objects.filter(uai=request.GET["ecole"]).select_related("commune").first()
        commune = school.commune if school else None
    elif request.GET.get("commune"):
        commune = Commune.objects.filter(code=request.GET["commune"]).first()
    if commune is None:
        return {}
    if commune.epci_id:
        return {"level": Plan.Level.EPCI, "epci": commune.epci_id}
    return {"level": Plan.Level.COMMUNE, "commune": commune.pk}


@login_required
def plan_edit(request, pk):
    plan = _editable_plan(request, pk)
    form = PlanForm(request.POST or None, instance=plan, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le plan est enregistré.")
        return redirect("plan-detail", pk=plan.pk)
    return render(request, "trainings/plans/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_action(request):
    """ "Planifier une action": choose the plan (among those one edits) for the need carried
    in the query, or create a plan first."""
    require(
        request.user,
        "trainings.create_plan",
        message="Seuls la DSDEN, les collectivités et les administrateurs planifient des actions.",
    )
    need = _need_query(request)
    editable = Plan.objects.editable_by(request.user).select_related(
        "commune", "epci", "circonscription", "departement"
    )
    school = commune = None
    if request.GET.get("ecole"):
        school = get_object_or_404(
            School.objects.visible_to(request.user), uai=request.GET["ecole"]
        )
        commune = school.commune
    elif request.GET.get("commune"):
        commune = get_object_or_404(Commune, code=request.GET["commune"])
    if commune is not None:
        covering = Q(departement_code=commune.departement.code, level=Plan.Level.DEPARTEMENT)
        covering |= Q(commune_code=commune.code)
        if commune.epci_id:
            covering |= Q(level=Plan.Level.EPCI, epci_code=commune.epci.siren)
        if school is not None and school.circonscription_id:
            covering |= Q(circonscription=school.circonscription_id)
        editable = editable.filter(covering)
    return render(
        request,
        "trainings/plans/plan_choose.html",
        {
            "plans": editable.order_by("-starts_on", "title"),
            "need_query": need,
            "school": school,
            "commune": commune,
        },
    )


def _need_initial(request, user) -> dict:
    initial = {}
    if request.GET.get("ecole"):
        school = School.objects.visible_to(user).filter(uai=request.GET["ecole"]).first()
        if school:
            initial.update(school=school.pk, commune=school.commune_id)
            initial["title"] = f"Action à l’école {school.name}"
    elif request.GET.get("commune"):
        commune = Commune.objects.filter(code=request.GET["commune"]).first()
        if commune:
            initial.update(commune=commune.pk, title=f"Action à {commune.name}")
    for key, field in (("rang", "diagnostic_rank"), ("version", "diagnostic_version")):
        if request.GET.get(key, "").isdigit():
            initial[field] = int(request.GET[key])
    if "diagnostic_rank" in initial:
        initial["need"] = f"Classée {initial['diagnostic_rank']}ᵉ au diagnostic des écarts."
    return initial


@login_required
def action_form(request, pk, action_pk=None):
    plan = _editable_plan(request, pk)
    action = None
    if action_pk is not None:
        action = get_object_or_404(Action.objects.filter(plan=plan), pk=action_pk)
    data = request.POST if request.method == "POST" else None
    form = ActionForm(
        data,
        instance=action,
        user=request.user,
        plan=plan,
        initial=_need_initial(request, request.user) if action is None else None,
    )
    lines = FundingLines(data, instance=action or Action(plan=plan), prefix="financement")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            saved.plan = plan
            saved.save()
            form.save_m2m()
            lines.instance = saved
            lines.save()
        messages.success(request, f"L’action « {saved.title} » est enregistrée.")
        return redirect(reverse("plan-detail", args=[plan.pk]) + f"#action-{saved.pk}")
    return render(
        request,
        "trainings/plans/action_form.html",
        {"form": form, "lines": lines, "plan": plan, "action": action},
    )
