"""The public database's stored search vector (Postgres only; nothing on SQLite).

``submissions_submission.search_vector`` holds the text the public searches, weighted
as the search always weighed it (title and city A, subtitle and umbrella title B,
abstract and citation C), under a GIN index, so a search reads the index instead of
running ``to_tsvector`` over every row's text twice per request.

Why triggers and not a generated column or a value the services write:
- the city's name lives on ``submissions_organisation``, and a generated column can
  only read its own row;
- entries are written by many paths (the forms, the import, the workflow, fixtures,
  ``QuerySet.update()``): a value kept by some services would go stale on the others.
A BEFORE trigger computes the vector whenever a searched column or the organisation
changes, and an AFTER trigger on organisations recomputes their entries' vectors when
a city is renamed. The column is not a model field, so no other query ever loads it;
``selectors.public`` reads it by name.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE submissions_submission ADD COLUMN search_vector tsvector;

CREATE FUNCTION submissions_submission_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(
            (SELECT name FROM submissions_organisation WHERE id = NEW.organisation_id), ''
        )), 'A')
        || setweight(to_tsvector('english',
            coalesce(NEW.subtitle, '') || ' ' || coalesce(NEW.umbrella_title, '')), 'B')
        || setweight(to_tsvector('english',
            coalesce(NEW.abstract, '') || ' ' || coalesce(NEW.citation, '')), 'C');
    RETURN NEW;
END
$$;

CREATE TRIGGER submissions_submission_search_vector
BEFORE INSERT OR UPDATE OF title, subtitle, umbrella_title, abstract, citation, organisation_id
ON submissions_submission
FOR EACH ROW EXECUTE FUNCTION submissions_submission_search_vector();

CREATE FUNCTION submissions_organisation_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Naming the column fires the entries' own trigger, which reads the new name.
    UPDATE submissions_submission SET organisation_id = organisation_id
    WHERE organisation_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER submissions_organisation_renamed
AFTER UPDATE OF name ON submissions_organisation
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION submissions_organisation_renamed();

-- The rows already there.
UPDATE submissions_submission SET organisation_id = organisation_id;

CREATE INDEX submission_search_vector ON submissions_submission USING gin (search_vector);
"""

BACKWARD = """
DROP TRIGGER IF EXISTS submissions_organisation_renamed ON submissions_organisation;
DROP FUNCTION IF EXISTS submissions_organisation_renamed();
DROP TRIGGER IF EXISTS submissions_submission_search_vector ON submissions_submission;
DROP FUNCTION IF EXISTS submissions_submission_search_vector();
DROP INDEX IF EXISTS submission_search_vector;
ALTER TABLE submissions_submission DROP COLUMN IF EXISTS search_vector;
"""


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("submissions", "0006_submission_outcome_rank")]

    operations = [migrations.RunPython(_on_postgres(FORWARD), _on_postgres(BACKWARD))]
