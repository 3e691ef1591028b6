"""What a plan page, its exports and the API say of a plan: progress figures, the need an
action answers in words, the territories one may plan in, and the XLSX and PDF documents."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import roles
from accounts.models import StaffScope
from accounts.rules import territory
from hub.exports import safe_row, titled_sheet, workbook_bytes
from hub.pdf import render_pdf

from .models.plans import PLANNING_ROLES, Action, FundingLine, Plan


@dataclass
class Progress:
    """A plan's progress: actions (abandoned ones apart), sessions, participants, budget."""

    actions_planned: int
    actions_done: int
    actions_in_progress: int
    actions_abandoned: int
    sessions_held: int
    sessions_to_come: int
    participants: int | None  # None: attendance is not recorded (yet)
    budget: Decimal

    @property
    def done_percent(self) -> int:
        return round(100 * self.actions_done / self.actions_planned) if self.actions_planned else 0


def participants_of(sessions) -> int | None:
    """People present at `sessions`: registrations marked present plus walk-ins. None while
    the registrations part of the app is not installed."""
    try:
        registration = apps.get_model("trainings", "Registration")
        walk_in = apps.get_model("trainings", "WalkInCount")
    except LookupError:
        return None
    present = registration.objects.filter(
        session__in=sessions, attendance=registration.Attendance.PRESENT
    ).count()
    walk_ins = walk_in.objects.filter(session__in=sessions).aggregate(n=Sum("count"))["n"] or 0
    return present + walk_ins


def progress(actions) -> Progress:
    """Progress of the `actions` (a queryset: those of a plan the reader sees)."""
    from .models.catalogue import Session

    counts = dict.fromkeys(Action.Status.values, 0)
    for status in actions.values_list("status", flat=True):
        counts[status] += 1
    sessions = Session.objects.filter(actions__in=actions, cancelled=False).distinct()
    now = timezone.now()
    held = Session.objects.filter(pk__in=sessions.filter(ends_at__lt=now).values("pk"))
    budget = FundingLine.objects.filter(action__in=actions).aggregate(total=Sum("amount"))
    return Progress(
        actions_planned=len(actions) - counts[Action.Status.ABANDONED],
        actions_done=counts[Action.Status.DONE],
        actions_in_progress=counts[Action.Status.IN_PROGRESS],
        actions_abandoned=counts[Action.Status.ABANDONED],
        sessions_held=held.count(),
        sessions_to_come=sessions.filter(ends_at__gte=now).count(),
        participants=participants_of(held),
        budget=budget["total"] or Decimal("0"),
    )


def french_decimal(value: Decimal) -> str:
    """Decimal("12.50") → "12,5", Decimal("1500") → "1500" (no exponent, a decimal comma)."""
    return f"{value.normalize():f}".replace(".", ",")


def need_text(action: Action) -> str:
    """The need an action answers, in words (its target, then the sentence written)."""
    parts = []
    if action.school_id:
        parts.append(f"école {action.school.name} ({action.school.uai})")
    if action.commune_id:
        parts.append(f"commune {action.commune.name}")
    if action.indicator_id:
        parts.append(
            f"indicateur « {action.indicator.name} » sous le seuil de "
            f"{french_decimal(action.indicator_threshold)}"
        )
    if action.diagnostic_rank:
        parts.append(
            f"rang {action.diagnostic_rank} du diagnostic des écarts "
            f"(pondération v{action.diagnostic_version or '?'})"
        )
    target = " ; ".join(parts)
    return f"{target} — {action.need}" if target else action.need


def plan_territories(user):
    """(communes, EPCI, circonscriptions, départements) the user may plan in."""
    from cartography.models import EPCI, Commune, Departement
    from equipment.models import Circonscription

    area = territory(user, *PLANNING_ROLES)  # empty: each filter selects nothing
    communes = Commune.objects.filter(area.q("departement__code", "epci__siren", "code"))
    epcis = EPCI.objects.filter(area.q("communes__departement__code", "siren")).distinct()
    circonscriptions = Circonscription.objects.filter(area.q("departement_code"))
    departements = Departement.objects.filter(area.q("code"))
    return communes, epcis, circonscriptions, departements


def planners(user, plan: Plan | None = None):
    """Who may be named a plan's owner: the users holding a planning role over the territories
    the user plans in (and the plan's current owners)."""
    area = territory(user, *PLANNING_ROLES)
    users = get_user_model().objects
    scopes = StaffScope.objects.filter(role__in=PLANNING_ROLES)
    if not area:
        scopes = scopes.none()
    elif not area.national:
        from cartography.models import EPCI, Commune

        in_departements = Q(departement__code__in=area.departements)
        epcis = EPCI.objects.filter(communes__in=Commune.objects.filter(in_departements))
        scopes = scopes.filter(
            Q(kind=roles.DEPARTEMENT, code__in=area.departements)
            | Q(kind=roles.EPCI, code__in=[*area.epcis, *epcis.values_list("siren", flat=True)])
            | Q(kind=roles.COMMUNE, code__in=area.communes)
            | Q(kind=roles.COMMUNE, code__in=Commune.objects.filter(in_departements).values("code"))
        )
    chosen = Q(pk__in=scopes.values("user"), is_active=True)
    if plan is not None and plan.pk:
        chosen |= Q(owned_plans=plan)
    return users.filter(pk__in=users.filter(chosen).values("pk")).order_by("username")


# --- Exports ------------------------------------------------------------------------------------

HEADER = [
    "action",
    "type",
    "statut",
    "priorité",
    "début",
    "fin",
    "besoin",
    "structure intervenante",
    "sessions",
    "financeurs",
    "budget (€)",
]


def action_rows(actions) -> list[list]:
    rows = []
    for action in actions:
        lines = list(action.funding_lines.all())
        rows.append(
            [
                action.title,
                action.get_kind_display(),
                action.get_status_display(),
                action.get_priority_display(),
                action.starts_on,
                action.ends_on,
                need_text(action),
                action.structure.name if action.structure_id else "",
                action.sessions.count(),
                ", ".join(
                    f"{line.funder_name} ({french_decimal(line.amount)} €)" for line in lines
                ),
                float(action.budget),
            ]
        )
    return rows


def plan_xlsx(plan: Plan, actions, figures: Progress) -> bytes:
    title = (
        f"{plan.title} — {plan.territory_label}, "
        f"du {plan.starts_on:%d/%m/%Y} au {plan.ends_on:%d/%m/%Y}"
    )
    workbook, sheet = titled_sheet(title, "Actions", HEADER)
    for row in action_rows(actions):
        sheet.append(safe_row(row))
    sheet.append([])
    sheet.append(["Actions réalisées", figures.actions_done])
    sheet.append(["Actions prévues (hors abandonnées)", figures.actions_planned])
    sheet.append(["Sessions tenues", figures.sessions_held])
    sheet.append(
        ["Participants", figures.participants if figures.participants is not None else "—"]
    )
    sheet.append(["Budget total (€)", float(figures.budget)])
    return workbook_bytes(workbook)


def plan_pdf(plan: Plan, actions, figures: Progress, base_url: str) -> bytes:
    html = render_to_string(
        "trainings/plans/plan_pdf.html",
        {
            "plan": plan,
            "actions": [(a, need_text(a)) for a in actions],
            "progress": figures,
            "today": timezone.localdate(),
        },
    )
    return render_pdf(html, base_url)
