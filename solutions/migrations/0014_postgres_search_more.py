"""PostgreSQL: the search document also holds indicator names, partners, source titles and
what changed in each transfer with its outcome (weight C, between the summary and the long
sections), and triggers on those tables rebuild it. SQLite's index holds them from 0013 on.
"""

import importlib

from django.db import migrations

previous = importlib.import_module("solutions.migrations.0011_postgres_search")

RELATED = """
    setweight(to_tsvector('english',
      coalesce((SELECT string_agg(i.name, ' ') FROM solutions_indicator i
                WHERE i.solution_id = s.id), '') || ' ' ||
      coalesce((SELECT string_agg(p.name, ' ') FROM solutions_partner p
                WHERE p.solution_id = s.id), '') || ' ' ||
      coalesce((SELECT string_agg(x.title, ' ') FROM solutions_sourcelink x
                WHERE x.solution_id = s.id), '') || ' ' ||
      coalesce((SELECT string_agg(t.adaptations || ' ' || t.outcome, ' ') FROM solutions_transfer t
                WHERE t.solution_id = s.id), '')
    ), 'C') ||
"""
# The long sections come last in 0011's function: the related rows go just before them.
SECTIONS = "    setweight(to_tsvector('english',\n      coalesce(s.problem, '')"
assert SECTIONS in previous.DOCUMENT_FUNCTION
DOCUMENT_FUNCTION = previous.DOCUMENT_FUNCTION.replace(SECTIONS, RELATED + SECTIONS)

TABLES = ["solutions_indicator", "solutions_partner", "solutions_sourcelink", "solutions_transfer"]

TRIGGERS = """
CREATE OR REPLACE FUNCTION solutions_related_search_trigger() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE solutions_solution SET search_document = NULL WHERE id = OLD.solution_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE solutions_solution SET search_document = NULL WHERE id = NEW.solution_id;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_search
  AFTER INSERT OR UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION solutions_related_search_trigger();
"""
    for table in TABLES
)

REBUILD = "UPDATE solutions_solution SET search_document = NULL;"

REVERSE = (
    "".join(f"DROP TRIGGER IF EXISTS {table}_search ON {table};" for table in TABLES)
    + "DROP FUNCTION IF EXISTS solutions_related_search_trigger();"
    + previous.DOCUMENT_FUNCTION
    + REBUILD
)


class Migration(migrations.Migration):
    dependencies = [("solutions", "0013_sqlite_search")]

    operations = [
        migrations.RunPython(
            previous.on_postgresql(DOCUMENT_FUNCTION + TRIGGERS + REBUILD),
            previous.on_postgresql(REVERSE),
        ),
    ]
