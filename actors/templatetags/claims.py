"""What a place's page says of "C'est mon lieu" to the person reading it."""

from django import template

from actors.models import PlaceClaim

register = template.Library()


@register.simple_tag
def pending_claim(user, place):
    """The user's pending claim of `place`, if any (None for anonymous users)."""
    if not user.is_authenticated:
        return None
    return PlaceClaim.objects.pending().filter(place=place, user=user).first()
