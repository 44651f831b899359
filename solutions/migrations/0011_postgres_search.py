"""PostgreSQL full-text search: a weighted search document kept current by triggers.

Title weighs most (A); the summary, themes, tags and the city with its alternate names next (B);
the long sections last (D). Triggers on the solution and on every table the document reads
keep it current, so bulk imports and admin edits are covered alike. A materialized view of the
words in the published documents, with a trigram index, suggests spellings ("did you mean").
Nothing here runs on SQLite, which searches with the simple backend in solutions/search/sqlite.py.
"""

from django.db import migrations

DOCUMENT_FUNCTION = """
CREATE OR REPLACE FUNCTION solutions_search_document(s solutions_solution) RETURNS tsvector AS $$
  SELECT
    setweight(to_tsvector('english', coalesce(s.title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(s.summary, '')), 'B') ||
    setweight(to_tsvector('english', coalesce((
      SELECT string_agg(t.name, ' ') FROM solutions_theme t
      JOIN solutions_solution_themes st ON st.theme_id = t.id WHERE st.solution_id = s.id
    ), '')), 'B') ||
    setweight(to_tsvector('english', coalesce((
      SELECT string_agg(tag.name, ' ') FROM taggit_tag tag
      JOIN taggit_taggeditem ti ON ti.tag_id = tag.id
      JOIN django_content_type ct ON ct.id = ti.content_type_id
      WHERE ct.app_label = 'solutions' AND ct.model = 'solution' AND ti.object_id = s.id
    ), '')), 'B') ||
    setweight(to_tsvector('english', coalesce((
      SELECT c.name || ' ' || replace(c.alternate_names, E'\\n', ' ')
      FROM cities_city c WHERE c.id = s.city_id
    ), '')), 'B') ||
    setweight(to_tsvector('english',
      coalesce(s.problem, '') || ' ' || coalesce(s.approach, '') || ' ' ||
      coalesce(s.results, '') || ' ' || coalesce(s.lessons_learned, '')
    ), 'D')
$$ LANGUAGE sql STABLE;
"""

TRIGGERS = """
CREATE OR REPLACE FUNCTION solutions_solution_search_trigger() RETURNS trigger AS $$
BEGIN
  NEW.search_document := solutions_search_document(NEW);
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER solutions_solution_search
  BEFORE INSERT OR UPDATE ON solutions_solution
  FOR EACH ROW EXECUTE FUNCTION solutions_solution_search_trigger();

-- Related rows changed: touch the solutions, whose own trigger rebuilds the document.
CREATE OR REPLACE FUNCTION solutions_themes_search_trigger() RETURNS trigger AS $$
BEGIN
  UPDATE solutions_solution SET search_document = NULL
  WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.solution_id ELSE NEW.solution_id END;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER solutions_themes_search
  AFTER INSERT OR DELETE ON solutions_solution_themes
  FOR EACH ROW EXECUTE FUNCTION solutions_themes_search_trigger();

CREATE OR REPLACE FUNCTION solutions_tags_search_trigger() RETURNS trigger AS $$
DECLARE
  item taggit_taggeditem;
BEGIN
  item := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  IF EXISTS (SELECT 1 FROM django_content_type
             WHERE id = item.content_type_id AND app_label = 'solutions' AND model = 'solution') THEN
    UPDATE solutions_solution SET search_document = NULL WHERE id = item.object_id;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER solutions_tags_search
  AFTER INSERT OR DELETE ON taggit_taggeditem
  FOR EACH ROW EXECUTE FUNCTION solutions_tags_search_trigger();

CREATE OR REPLACE FUNCTION solutions_city_search_trigger() RETURNS trigger AS $$
BEGIN
  UPDATE solutions_solution SET search_document = NULL WHERE city_id = NEW.id;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER solutions_city_search
  AFTER UPDATE OF name, alternate_names ON cities_city
  FOR EACH ROW EXECUTE FUNCTION solutions_city_search_trigger();

CREATE OR REPLACE FUNCTION solutions_theme_search_trigger() RETURNS trigger AS $$
BEGIN
  UPDATE solutions_solution SET search_document = NULL
  WHERE id IN (SELECT solution_id FROM solutions_solution_themes WHERE theme_id = NEW.id);
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER solutions_theme_search
  AFTER UPDATE OF name ON solutions_theme
  FOR EACH ROW EXECUTE FUNCTION solutions_theme_search_trigger();

CREATE OR REPLACE FUNCTION solutions_tag_search_trigger() RETURNS trigger AS $$
BEGIN
  UPDATE solutions_solution SET search_document = NULL
  WHERE id IN (
    SELECT ti.object_id FROM taggit_taggeditem ti
    JOIN django_content_type ct ON ct.id = ti.content_type_id
    WHERE ti.tag_id = NEW.id AND ct.app_label = 'solutions' AND ct.model = 'solution'
  );
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER solutions_tag_search
  AFTER UPDATE OF name ON taggit_tag
  FOR EACH ROW EXECUTE FUNCTION solutions_tag_search_trigger();
"""

INDEXES = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX solutions_search_document_gin ON solutions_solution USING gin (search_document)
  WITH (fastupdate = off);
CREATE MATERIALIZED VIEW solutions_search_words AS
  SELECT word, ndoc FROM ts_stat(
    'SELECT to_tsvector(''simple'', title || '' '' || summary) FROM solutions_solution
     WHERE status = ''published'''
  ) WHERE length(word) BETWEEN 3 AND 40;
CREATE UNIQUE INDEX solutions_search_words_word ON solutions_search_words (word);
CREATE INDEX solutions_search_words_trgm ON solutions_search_words USING gin (word gin_trgm_ops);
UPDATE solutions_solution SET search_document = NULL;
"""

REVERSE = """
DROP MATERIALIZED VIEW IF EXISTS solutions_search_words;
DROP INDEX IF EXISTS solutions_search_document_gin;
DROP TRIGGER IF EXISTS solutions_tag_search ON taggit_tag;
DROP TRIGGER IF EXISTS solutions_theme_search ON solutions_theme;
DROP TRIGGER IF EXISTS solutions_city_search ON cities_city;
DROP TRIGGER IF EXISTS solutions_tags_search ON taggit_taggeditem;
DROP TRIGGER IF EXISTS solutions_themes_search ON solutions_solution_themes;
DROP TRIGGER IF EXISTS solutions_solution_search ON solutions_solution;
DROP FUNCTION IF EXISTS solutions_tag_search_trigger, solutions_theme_search_trigger,
  solutions_city_search_trigger, solutions_tags_search_trigger, solutions_themes_search_trigger,
  solutions_solution_search_trigger;
DROP FUNCTION IF EXISTS solutions_search_document(solutions_solution);
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("solutions", "0010_search_document"),
        ("cities", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(
            on_postgresql(DOCUMENT_FUNCTION + TRIGGERS + INDEXES), on_postgresql(REVERSE)
        ),
    ]
