"""SQLite full-text search: an FTS5 index of every solution, kept current by triggers.

Its columns are weighted at query time (solutions/search/sqlite.py): the title, the summary,
the context (themes, tags, the origin city with its alternate names, indicator names,
partners, source titles, what changed in each transfer and its outcome) and the body (the four
long sections). Triggers on the solution and on every table the index reads rebuild the
solution's row, so the admin, the staff form, the workflow and bulk inserts are covered
alike. Porter stemming and folded accents. Nothing here runs on PostgreSQL (migration 0011).
"""

from django.db import migrations

INDEX = "solutions_search"

CREATE = f"""
CREATE VIRTUAL TABLE {INDEX} USING fts5(
  title, summary, context, body, tokenize = 'porter unicode61 remove_diacritics 2'
)
"""

# A solution's row of the index, for the solutions `ids` (an SQL expression).
ROWS = """
SELECT s.id, s.title, s.summary,
  coalesce((
    SELECT group_concat(t.name, ' ') FROM solutions_theme t
    JOIN solutions_solution_themes st ON st.theme_id = t.id WHERE st.solution_id = s.id
  ), '') || ' ' ||
  coalesce((
    SELECT group_concat(tag.name, ' ') FROM taggit_tag tag
    JOIN taggit_taggeditem ti ON ti.tag_id = tag.id
    JOIN django_content_type ct ON ct.id = ti.content_type_id
    WHERE ct.app_label = 'solutions' AND ct.model = 'solution' AND ti.object_id = s.id
  ), '') || ' ' ||
  coalesce((
    SELECT c.name || ' ' || replace(c.alternate_names, char(10), ' ')
    FROM cities_city c WHERE c.id = s.city_id
  ), '') || ' ' ||
  coalesce((SELECT group_concat(i.name, ' ') FROM solutions_indicator i
            WHERE i.solution_id = s.id), '') || ' ' ||
  coalesce((SELECT group_concat(p.name, ' ') FROM solutions_partner p
            WHERE p.solution_id = s.id), '') || ' ' ||
  coalesce((SELECT group_concat(x.title, ' ') FROM solutions_sourcelink x
            WHERE x.solution_id = s.id), '') || ' ' ||
  coalesce((SELECT group_concat(t.adaptations || ' ' || t.outcome, ' ') FROM solutions_transfer t
            WHERE t.solution_id = s.id), ''),
  s.problem || ' ' || s.approach || ' ' || s.results || ' ' || s.lessons_learned
FROM solutions_solution s WHERE s.id IN ({ids})
"""


def reindex(ids):
    return (
        f"DELETE FROM {INDEX} WHERE rowid IN ({ids}); "
        f"INSERT INTO {INDEX} (rowid, title, summary, context, body) {ROWS.format(ids=ids)};"
    )


# (trigger name, when, on table, the solutions whose rows change)
TRIGGERS = [
    ("solutions_search_ins", "AFTER INSERT", "solutions_solution", "NEW.id"),
    ("solutions_search_upd", "AFTER UPDATE", "solutions_solution", "NEW.id"),
    ("solutions_search_themes_ins", "AFTER INSERT", "solutions_solution_themes", "NEW.solution_id"),
    ("solutions_search_themes_del", "AFTER DELETE", "solutions_solution_themes", "OLD.solution_id"),
    ("solutions_search_tags_ins", "AFTER INSERT", "taggit_taggeditem", "NEW.object_id"),
    ("solutions_search_tags_del", "AFTER DELETE", "taggit_taggeditem", "OLD.object_id"),
    *(
        (f"solutions_search_{table}_{op[0].lower()}", f"AFTER {op}", f"solutions_{table}", ids)
        for table in ("indicator", "partner", "sourcelink", "transfer")
        for op, ids in (
            ("INSERT", "NEW.solution_id"),
            ("UPDATE", "NEW.solution_id, OLD.solution_id"),
            ("DELETE", "OLD.solution_id"),
        )
    ),
    (
        "solutions_search_city",
        "AFTER UPDATE OF name, alternate_names",
        "cities_city",
        "SELECT id FROM solutions_solution WHERE city_id = NEW.id",
    ),
    (
        "solutions_search_theme",
        "AFTER UPDATE OF name",
        "solutions_theme",
        "SELECT solution_id FROM solutions_solution_themes WHERE theme_id = NEW.id",
    ),
    (
        "solutions_search_tag",
        "AFTER UPDATE OF name",
        "taggit_tag",
        "SELECT object_id FROM taggit_taggeditem WHERE tag_id = NEW.id",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(CREATE)
    for name, when, table, ids in TRIGGERS:
        schema_editor.execute(
            f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW BEGIN {reindex(ids)} END"
        )
    schema_editor.execute(
        f"CREATE TRIGGER solutions_search_del AFTER DELETE ON solutions_solution "
        f"FOR EACH ROW BEGIN DELETE FROM {INDEX} WHERE rowid = OLD.id; END"
    )
    schema_editor.execute(
        f"INSERT INTO {INDEX} (rowid, title, summary, context, body) "
        + ROWS.format(ids="SELECT id FROM solutions_solution")
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, *_rest in TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    schema_editor.execute("DROP TRIGGER IF EXISTS solutions_search_del")
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
