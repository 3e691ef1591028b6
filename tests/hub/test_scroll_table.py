"""`{% scroll_table %}`: a wide table scrolls inside a keyboard-focusable region named by its
caption, and every page's DSFR table goes through it (a table written by hand would scroll
on a phone where the keyboard cannot follow)."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

ROOT = Path(__file__).resolve().parents[2]


def _render(source: str, **context) -> str:
    return Template("{% load tables %}" + source).render(Context(context))


def test_the_table_scrolls_in_a_focusable_region_named_by_its_caption():
    html = _render(
        '{% scroll_table id="epci-table" class="fr-table--sm fr-mt-4w" %}'
        "<table><caption>{{ title }}</caption><tr><td>1</td></tr></table>"
        "{% end_scroll_table %}",
        title="Couverture <par> EPCI",
    )
    region = re.search(
        r'<div class="fr-table__container" role="region" tabindex="0" aria-labelledby="([^"]+)">',
        html,
    )
    assert region, html
    assert f'<caption id="{region.group(1)}">Couverture &lt;par&gt; EPCI</caption>' in html
    assert html.startswith('<div class="fr-table fr-table--sm fr-mt-4w" id="epci-table">')
    # Drawn twice, the same page: the id comes from the table, not from chance.
    assert html == _render(
        '{% scroll_table id="epci-table" class="fr-table--sm fr-mt-4w" %}'
        "<table><caption>{{ title }}</caption><tr><td>1</td></tr></table>"
        "{% end_scroll_table %}",
        title="Couverture <par> EPCI",
    )


def test_a_caption_keeps_its_own_id_and_two_tables_get_two_names():
    html = _render(
        '{% scroll_table %}<table><caption id="epci-caption" class="x">A</caption></table>'
        "{% end_scroll_table %}"
        "{% scroll_table %}<table><caption>B</caption></table>{% end_scroll_table %}"
    )
    names = re.findall(r'aria-labelledby="([^"]+)"', html)
    assert names[0] == "epci-caption" and len(set(names)) == 2
    assert '<caption id="epci-caption" class="x">A</caption>' in html


def test_a_table_without_caption_is_refused():
    with pytest.raises(TemplateSyntaxError, match="caption"):
        _render("{% scroll_table %}<table><tr><td>1</td></tr></table>{% end_scroll_table %}")


def test_every_page_table_goes_through_scroll_table():
    by_hand = [
        str(path.relative_to(ROOT))
        for folder in [ROOT / "templates", *ROOT.glob("*/templates")]
        for path in folder.rglob("*.html")
        if re.search(r'<div class="fr-table[ "]', path.read_text())
    ]
    assert not by_hand, "tableaux DSFR écrits sans {% scroll_table %} : " + ", ".join(by_hand)
