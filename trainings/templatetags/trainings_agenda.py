"""The agenda on other apps' pages: a place's upcoming public sessions."""

from django import template

from trainings.models import Session

register = template.Library()

PLACE_SESSIONS = 5


@register.inclusion_tag("trainings/agenda/place_sessions.html", takes_context=True)
def place_sessions(context, place):
    """The next sessions held at `place` that the reader may see, with their seats."""
    user = context["request"].user
    sessions = (
        Session.objects.visible_to(user)
        .upcoming()
        .filter(place=place)
        .with_seats()
        .select_related("training", "place__commune")
        .prefetch_related("training__themes")
    )
    return {
        "sessions": list(sessions[: PLACE_SESSIONS + 1]),
        "place": place,
        "limit": PLACE_SESSIONS,
    }
