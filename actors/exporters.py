"""Write places in the national standard v1.0.2 exactly: column order, "|" lists, ISO dates."""

import csv
import json
from collections.abc import Iterator

from django.db.models import Prefetch

from hub.exports import safe_cell

from . import standard
from .importers.places import OFFER_FIELDS, PLACE_FIELDS
from .models import Offer, Place, PlaceSource


def export_queryset(queryset=None):
    queryset = Place.objects.all() if queryset is None else queryset
    return (
        queryset.select_related("structure", "commune")
        .prefetch_related(
            Prefetch("offers", queryset=Offer.objects.order_by("position")),
            Prefetch("sources", queryset=PlaceSource.objects.order_by("pk")),
        )
        .order_by("pk")
    )


def _merged(lists) -> list[str]:
    return list(dict.fromkeys(v for values in lists for v in values))


def place_row(place: Place) -> dict:
    """One place as clean values keyed by the standard's columns."""
    first_source = place.sources.all()[0] if place.sources.all() else None
    offers = list(place.offers.all())
    values = {column: getattr(place, field) for column, field in PLACE_FIELDS.items()}
    values |= {
        "id": first_source.external_id if first_source else f"hub-{place.pk}",
        "source": first_source.source if first_source else "",
        "pivot": place.structure.siret or standard.NO_SIRET,
        "structure_parente": place.structure.parent_network,
        "code_insee": place.commune.code if place.commune else "",
        "latitude": None if place.location_approximate else place.location.y,
        "longitude": None if place.location_approximate else place.location.x,
        "services": [o.service for o in offers if o.service],
        # Typed before numbers were normalised on save: written as the schema wants, or left out.
        "telephone": standard.phone_number(place.phone) or None,
    }
    for column, field in OFFER_FIELDS.items():
        values[column] = _merged(getattr(o, field) for o in offers)
    return values


def rows(queryset=None) -> Iterator[dict[str, str]]:
    seen = set()
    for place in export_queryset(queryset):
        values = place_row(place)
        # Two sources may use the same id ("1", "lieu-1"): the schema wants ids unique.
        if values["id"] in seen:
            values["id"] = f"{values['id']}-hub-{place.pk}"
        seen.add(values["id"])
        yield {name: standard.to_text(name, values.get(name)) for name in standard.FIELDS}


def write_csv(stream, queryset=None) -> int:
    writer = csv.DictWriter(stream, fieldnames=standard.FIELDS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows(queryset):
        writer.writerow({name: safe_cell(value) for name, value in row.items()})
        n += 1
    return n


def write_json(stream, queryset=None) -> int:
    """A JSON array of objects; lists stay "|"-joined text and empty fields are left out,
    as in the CSV, so both formats carry the same values."""
    items = []
    for row in rows(queryset):
        item = {k: v for k, v in row.items() if v != ""}
        for number in ("latitude", "longitude"):
            if number in item:
                item[number] = float(item[number])
        items.append(item)
    json.dump(items, stream, ensure_ascii=False, indent=1)
    stream.write("\n")
    return len(items)
