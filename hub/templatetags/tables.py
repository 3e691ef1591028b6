"""`{% scroll_table %}…{% end_scroll_table %}`: the one way a page shows a table. It wraps the
table in the DSFR table markup, whose scrolling part (wide tables scroll sideways on a phone)
is a keyboard-focusable region named by the table's caption (RGAA 7.3, WCAG 2.1.1):

    {% scroll_table id="epci-table" class="fr-table--sm fr-mt-4w" %}
      <table><caption>…</caption>…</table>
    {% end_scroll_table %}

The table must have a `<caption>`; its `id` is kept, or one is given."""

import hashlib
import re

from django import template
from django.template.base import token_kwargs
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

CAPTION = re.compile(r"<caption\b([^>]*)>")
ID = re.compile(r'\bid="([^"]+)"')


class ScrollTableNode(template.Node):
    def __init__(self, nodelist, attributes):
        self.nodelist = nodelist
        self.attributes = attributes

    def render(self, context):
        inner = self.nodelist.render(context)
        caption = CAPTION.search(inner)
        if caption is None:
            raise template.TemplateSyntaxError("{% scroll_table %} needs a table with a <caption>")
        existing = ID.search(caption.group(1))
        if existing:
            caption_id = existing.group(1)
        else:
            # Drawn from the table itself: two tables of a page differ, and a page drawn twice
            # is the same page (no random id defeating a cache's validator).
            caption_id = "legende-" + hashlib.blake2s(inner.encode(), digest_size=5).hexdigest()
            tag = f'<caption id="{caption_id}"{caption.group(1)}>'
            inner = inner[: caption.start()] + tag + inner[caption.end() :]
        values = {name: value.resolve(context) for name, value in self.attributes.items()}
        classes = " ".join(filter(None, ["fr-table", values.get("class", "")]))
        return format_html(
            '<div class="{}"{}><div class="fr-table__wrapper">'
            '<div class="fr-table__container" role="region" tabindex="0" aria-labelledby="{}">'
            '<div class="fr-table__content">{}</div></div></div></div>',
            classes,
            format_html(' id="{}"', values["id"]) if values.get("id") else "",
            caption_id,
            mark_safe(inner),  # the template's own rendering, escaped by it
        )


@register.tag
def scroll_table(parser, token):
    attributes = token_kwargs(token.split_contents()[1:], parser)
    unknown = set(attributes) - {"id", "class"}
    if unknown:
        raise template.TemplateSyntaxError(f"scroll_table takes id and class, not {unknown}")
    nodelist = parser.parse(("end_scroll_table",))
    parser.delete_first_token()
    return ScrollTableNode(nodelist, attributes)
