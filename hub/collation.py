"""French order for names, in the database and in Python.

Names are sorted as a French reader expects ("Écrosnes" between "Dreux" and "Fontaine", "Le
Mée" beside "Lèves", case ignored), not by code point (which puts "É" after "Z"). In the database
the name columns carry PostgreSQL's ICU collation `fr-x-icu` (`db_collation=FRENCH` on the
field), so every `order_by("name")`, model ordering, admin list and raw `ORDER BY name` follows
it; `french()` applies it to another expression. Python-side sorts use `french_key`.
"""

import unicodedata

from django.db.models.functions import Collate

# ICU's French collation, shipped with PostgreSQL built with ICU (deterministic: equality and
# unique constraints stay byte-exact, only the order changes).
FRENCH = "fr-x-icu"


def french(expression):
    """`expression` (a field name or an expression) compared in French order."""
    return Collate(expression, FRENCH)


def french_key(text) -> tuple[str, str]:
    """A sort key for Python-side sorts: accents and case folded first, the text itself
    breaking ties, so "Écrosnes" sorts among the E."""
    text = "" if text is None else str(text)
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).casefold()
    # Hyphens and apostrophes weigh as spaces ("Saint-Denis" beside "Saint Denis").
    for mark in "-'’":
        folded = folded.replace(mark, " ")
    return folded, text
