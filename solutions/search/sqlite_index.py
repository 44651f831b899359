"""SQLite's full-text index of solutions (`solutions_search`, an FTS5 table) and the triggers
that keep it current, on the solution and on every table the index reads, so the admin, the
staff form, the workflow and bulk inserts are covered alike.

Migration 0013 creates the table; the triggers are installed after every `migrate`, and dropped
before it (`before_migrate`, `after_migrate`, connected in apps.py): SQLite remakes a table to
alter it, and a trigger that names a table being remade makes the remake fail (a new column on
themes) or is dropped with it (a new column on solutions). After a migration the index is
rebuilt, so nothing written in between is missed.
"""

from django.db import connections

INDEX = "solutions_search"

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


DELETE_TRIGGER = (
    f"CREATE TRIGGER solutions_search_del AFTER DELETE ON solutions_solution "
    f"FOR EACH ROW BEGIN DELETE FROM {INDEX} WHERE rowid = OLD.id; END"
)


def exists(cursor):
    cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [INDEX])
    return cursor.fetchone() is not None


def drop_triggers(cursor):
    for name, *_rest in TRIGGERS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    cursor.execute("DROP TRIGGER IF EXISTS solutions_search_del")


def create_triggers(cursor):
    drop_triggers(cursor)
    for name, when, table, ids in TRIGGERS:
        cursor.execute(
            f"CREATE TRIGGER {name} {when} ON {table} FOR EACH ROW BEGIN {reindex(ids)} END"
        )
    cursor.execute(DELETE_TRIGGER)


def rebuild(cursor):
    cursor.execute(f"DELETE FROM {INDEX}")
    cursor.execute(
        f"INSERT INTO {INDEX} (rowid, title, summary, context, body) "
        + ROWS.format(ids="SELECT id FROM solutions_solution")
    )


def _sqlite_index(using):
    connection = connections[using]
    if connection.vendor != "sqlite":
        return None
    cursor = connection.cursor()
    return cursor if exists(cursor) else None


def before_migrate(sender, using, plan=None, **kwargs):
    if plan and (cursor := _sqlite_index(using)):
        drop_triggers(cursor)


def after_migrate(sender, using, plan=None, **kwargs):
    if cursor := _sqlite_index(using):
        create_triggers(cursor)
        if plan:
            rebuild(cursor)
