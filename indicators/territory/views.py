"""`/territoires/<commune|epci|departement>/<code>/`: the page, a block's CSV, the A4 PDF."""

import csv
import io

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from hub.exports import safe_row
from hub.pdf import render_pdf
from hub.throttling import throttled

from .data import BLOCK_KEYS, build, find_territory, reads_schools

CSV_HEADER = [
    "bloc", "indicateur", "territoire", "échelon", "code", "période", "valeur", "unité",
    "statut", "données manquantes", "millésime des données", "sources", "calculée le",
]  # fmt: skip


def _context(request, level, code, keys=None):
    territory = find_territory(level, code)
    return {
        "title": f"{territory.name} : portrait du territoire",
        "territory": territory,
        "blocks": build(request.user, territory, keys),
        "staff": reads_schools(request.user),
        "printed_on": timezone.localdate(),
    }


def territory_page(request, level, code):
    """Everything the hub knows about one territory; `?block=…&format=csv` gives one block's
    figures as CSV."""
    if request.GET.get("format") == "csv":
        return block_csv(request, level, code, request.GET.get("block", ""))
    return render(request, "indicators/territory.html", _context(request, level, code))


def block_csv(request, level, code, key):
    if key not in BLOCK_KEYS:
        raise Http404(f"Bloc inconnu : {key or '(aucun)'}. Blocs : {', '.join(BLOCK_KEYS)}.")
    context = _context(request, level, code, (key,))
    if not context["blocks"]:
        raise Http404("Ce bloc est réservé aux agents qui suivent les écoles.")
    block, territory = context["blocks"][0], context["territory"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in _csv_rows(block, territory):
        writer.writerow(safe_row(row))
    response = HttpResponse(("\ufeff" + out.getvalue()).encode(), content_type="text/csv")
    filename = f"territoire-{territory.level}-{territory.code}-{block.key}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_rows(block, territory):
    """One row per figure of the block: the territory's newest and previous periods, then the
    references. A withheld or missing value has no figure; its status says why."""
    from ..models import ValueStatus

    if block.key == "population":
        for row in block.extra["rows"]:
            place = row["place"]
            unknown = f"{row['unknown']} commune(s) sans population" if row["unknown"] else ""
            total = "" if row["total"] is None else row["total"]
            yield [
                block.title, "Population municipale", place.name, place.level, place.code, "",
                total, "habitants", unknown or "connue", unknown, "",
                "INSEE, population municipale", "",
            ]  # fmt: skip
        return
    for line in block.lines:
        indicator = line.indicator
        entries = [(territory.place, line.period, line.value, line.text)]
        if line.previous is not None:
            entries.append(
                (territory.place, line.previous_period, line.previous, line.previous_text)
            )
        entries += [(c.place, line.period, c.value, c.text) for c in line.comparisons]
        for place, period, value, text in entries:
            shown = value is not None and value.value is not None
            shown = shown and value.status != ValueStatus.WITHHELD
            yield [
                block.title,
                indicator.name,
                place.name,
                place.level,
                place.code,
                period or "",
                str(round(value.value, indicator.precision)).replace(".", ",") if shown else "",
                indicator.unit,
                value.get_status_display() if shown else text,
                " | ".join(value.missing_inputs) if value else "",
                value.data_vintage if value else "",
                indicator.sources,
                value.computed_at.isoformat() if value and value.computed_at else "",
            ]


@throttled("pdf")  # a PDF costs seconds of CPU: anonymous requests are capped
def territory_pdf(request, level, code):
    """The same page as an A4 PDF (tagged, in French), for people who print or file it."""
    context = {
        **_context(request, level, code),
        "font_regular": finders.find("dsfr/dist/fonts/Marianne-Regular.woff2"),
        "font_bold": finders.find("dsfr/dist/fonts/Marianne-Bold.woff2"),
    }
    html = render_to_string("indicators/territory_pdf.html", context, request=request)
    pdf = render_pdf(html, request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    territory = context["territory"]
    response["Content-Disposition"] = (
        f'inline; filename="territoire-{territory.level}-{territory.code}.pdf"'
    )
    return response
