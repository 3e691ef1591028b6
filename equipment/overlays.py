"""Schools as map overlays for other apps (the coverage map asks for those in the communes
without fibre). Only what the Annuaire publishes: no census data here."""

from hub.api import point_feature

from .models import School


def schools_in_communes(codes: list[str]) -> list[dict]:
    schools = School.objects.filter(commune__code__in=codes, location__isnull=False).exclude(
        status=School.Status.CLOSED
    )
    return [
        point_feature(
            f"ecole-{s.uai}",
            s.location,
            {
                "kind": "école",
                "name": s.name,
                "commune": s.commune.name,
                "uai": s.uai,
                "approximate": s.location_approximate,
            },
        )
        for s in schools.select_related("commune").order_by("name")
    ]
