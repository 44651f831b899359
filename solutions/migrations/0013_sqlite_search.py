"""SQLite full-text search: an FTS5 index of every solution, kept current by triggers.

Its columns are weighted at query time (solutions/search/sqlite.py): the title, the summary,
the context (themes, tags, the origin city with its alternate names, indicator names,
partners, source titles, what changed in each transfer and its outcome) and the body (the four
long sections). Porter stemming and folded accents. The triggers that keep it current are
installed after every migrate run by solutions/search/sqlite_index.py, which holds the current
definitions. Nothing here runs on PostgreSQL (migration 0011).
"""

from django.db import migrations

from solutions.search import sqlite_index

INDEX = "solutions_search"

CREATE = f"""
CREATE VIRTUAL TABLE {INDEX} USING fts5(
  title, summary, context, body, tokenize = 'porter unicode61 remove_diacritics 2'
)
"""

def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(CREATE)
    # Its rows and the triggers that keep them current come after the whole migrate run
    # (solutions/search/sqlite_index.py): triggers made here would make a later migration's
    # table remake in the same run fail.


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        sqlite_index.drop_triggers(cursor)
    schema_editor.execute(f"DROP TABLE IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("solutions", "0012_transfer_order_indexes"),
        ("cities", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    # Indicators, partners, sources and transfers are in solutions' earlier migrations.

    operations = [migrations.RunPython(create, drop)]
