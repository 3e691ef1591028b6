"""Places of help as map overlays for other apps (the coverage map asks for those in the
communes without fibre)."""

from django.urls import reverse

from hub.api import point_feature

from .models import Place


def places_in_communes(codes: list[str]) -> list[dict]:
    places = Place.objects.filter(commune__code__in=codes, location__isnull=False)
    return [
        point_feature(
            f"lieu-{p.pk}",
            p.location,
            {
                "kind": "lieu",
                "name": p.name,
                "commune": p.commune.name,
                "url": reverse("directory-place", args=[p.pk]),
            },
        )
        for p in places.select_related("commune").order_by("name")
    ]
