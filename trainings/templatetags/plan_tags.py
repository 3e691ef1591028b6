"""`{% school_plan_actions user school as actions %}`: the plan actions touching a school that
the reader may see (a school's page shows them: its director and ERUN learn of an outside
structure's intervention there)."""

from django import template

from ..models.plans import Action

register = template.Library()


@register.simple_tag
def school_plan_actions(user, school):
    return (
        Action.objects.visible_to(user)
        .filter(school=school)
        .select_related("plan", "structure")
        .order_by("starts_on", "pk")
    )


@register.filter
def euros(value) -> str:
    """Decimal("2000.5") → "2 000,50 €" (a narrow no-break space between thousands)."""
    if value is None or value == "":
        return "–"
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",") + "\u00a0€"
