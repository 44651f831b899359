"""PostgreSQL: accents folded and hyphenated words split, as SQLite's index does (0013).

The search document and the queries use the text search configuration `search_english`:
English with the `unaccent` dictionary before the stemmer ("Medellin" finds "Medellín"), and
no entry for a hyphenated word as a whole, only for its parts, so "waste-pickers" and "waste
pickers" are the same two words in the same order. `unaccent` is a trusted extension
(PostgreSQL 13+): the database's owner may create it.
"""

import importlib

from django.db import migrations

previous = importlib.import_module("solutions.migrations.0014_postgres_search_more")
first = importlib.import_module("solutions.migrations.0011_postgres_search")

CONFIGURATION = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION search_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION search_english
  ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
ALTER TEXT SEARCH CONFIGURATION search_english DROP MAPPING FOR asciihword, hword;
"""

assert previous.DOCUMENT_FUNCTION.count("to_tsvector('english'") == 7
DOCUMENT_FUNCTION = previous.DOCUMENT_FUNCTION.replace(
    "to_tsvector('english'", "to_tsvector('search_english'"
)

FORWARD = CONFIGURATION + DOCUMENT_FUNCTION + previous.REBUILD
REVERSE = (
    previous.DOCUMENT_FUNCTION
    + previous.REBUILD
    + "DROP TEXT SEARCH CONFIGURATION IF EXISTS search_english;"
)


class Migration(migrations.Migration):
    dependencies = [("solutions", "0014_postgres_search_more")]

    operations = [
        migrations.RunPython(first.on_postgresql(FORWARD), first.on_postgresql(REVERSE)),
    ]
