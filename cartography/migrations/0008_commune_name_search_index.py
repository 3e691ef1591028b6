"""Commune names searched fast at national scale (35 000 communes): `hub_fold(name)`, the
same folding as `cartography.search.fold` (no accents, lower case, hyphens and apostrophes as
spaces), declared IMMUTABLE so that a trigram index can hold it; `LIKE '%…%'` and the `%`
similarity operator use the index. Reversible."""

from django.db import migrations

FOLD = """
CREATE FUNCTION hub_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT translate(lower(public.unaccent('public.unaccent'::regdictionary, $1)), '-''’', '   ') $$;
CREATE INDEX commune_name_fold_trgm ON cartography_commune USING gin (hub_fold(name) gin_trgm_ops);
"""
UNFOLD = """
DROP INDEX IF EXISTS commune_name_fold_trgm;
DROP FUNCTION IF EXISTS hub_fold(text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cartography", "0007_postal_codes"),
    ]

    operations = [migrations.RunSQL(FOLD, UNFOLD)]
