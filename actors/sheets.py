"""Printable orientation sheets (PDF, A4) for people who leave with paper."""

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from hub import pdf

from . import opening


def sheet_context(place) -> dict:
    offers = list(place.offers.all())
    return {
        "place": place,
        "services": [o.service for o in offers if o.service],
        "fees": list(dict.fromkeys(f for o in offers for f in o.fees)),
        "week": opening.describe(place.opening_hours),
        "stops": [(s, opening.describe(s.opening_hours)) for s in place.stops.all()],
    }


def render_pdf(places, request) -> bytes:
    html = render_to_string(
        "actors/sheet.html",
        {
            "sheets": [sheet_context(p) for p in places],
            "printed_on": timezone.localdate(),
            "font_regular": finders.find("dsfr/dist/fonts/Marianne-Regular.woff2"),
            "font_bold": finders.find("dsfr/dist/fonts/Marianne-Bold.woff2"),
        },
        request=request,
    )
    return pdf.render_pdf(html, request.build_absolute_uri("/"))
