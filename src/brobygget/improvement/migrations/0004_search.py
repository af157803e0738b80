"""The search of learnings and completed improvements, by database (improvement/search.py queries it).

PostgreSQL: a column `search_vector` on each table (not a model field), the row's Swedish text-search vector, kept
up by a trigger before every insert and update (an improvement's only once it is done), with a GIN index. Stored,
because ranking reads it for every row found: computed again per row, a common word in 100,000 learnings took 9 s.
A trigger, not a generated column, because PostgreSQL refuses to change the type of a column a generated column
reads, and a later migration of a title's length should not fail. SQLite: one FTS5 table of both, kept up by
triggers on the two tables (whatever writes a row: the services, the admin, the demo's generator), its rowid the
row's id times two, plus one for an improvement. Neither exists on the other database."""

from typing import Any

from django.db import migrations

LEARNING_TEXTS = ("what_happened", "what_we_expected", "what_we_learned", "what_we_change")
IMPROVEMENT_TEXTS = ("problem", "value_for_resident", "idea", "measure", "lesson")


def _vector_sql(texts: tuple[str, ...]) -> str:
    """The row's Swedish text-search vector: the title weighs A, the texts B."""
    return (
        "setweight(to_tsvector('swedish', coalesce(NEW.title, '')), 'A') || "
        f"setweight(to_tsvector('swedish', concat_ws(' ', {', '.join(f'NEW.{name}' for name in texts)})), 'B')"
    )


POSTGRESQL_CREATE = [
    "ALTER TABLE improvement_learning ADD COLUMN search_vector tsvector",
    f"""CREATE FUNCTION improvement_learning_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.search_vector := {_vector_sql(LEARNING_TEXTS)}; RETURN NEW; END $$""",
    "CREATE TRIGGER improvement_learning_search_vector BEFORE INSERT OR UPDATE ON improvement_learning "
    "FOR EACH ROW EXECUTE FUNCTION improvement_learning_search_vector()",
    "UPDATE improvement_learning SET search_vector = NULL",  # the trigger fills it in
    "CREATE INDEX learning_search ON improvement_learning USING gin (search_vector)",
    "ALTER TABLE improvement_improvement ADD COLUMN search_vector tsvector",
    f"""CREATE FUNCTION improvement_improvement_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.stage = 'done' THEN NEW.search_vector := {_vector_sql(IMPROVEMENT_TEXTS)};
            ELSE NEW.search_vector := NULL;
            END IF;
            RETURN NEW;
        END $$""",
    "CREATE TRIGGER improvement_improvement_search_vector BEFORE INSERT OR UPDATE ON improvement_improvement "
    "FOR EACH ROW EXECUTE FUNCTION improvement_improvement_search_vector()",
    "UPDATE improvement_improvement SET search_vector = NULL WHERE stage = 'done'",
    "CREATE INDEX improvement_search ON improvement_improvement USING gin (search_vector) WHERE stage = 'done'",
]

POSTGRESQL_DROP = [
    *(
        statement
        for table in ("learning", "improvement")
        for statement in (
            f"DROP TRIGGER IF EXISTS improvement_{table}_search_vector ON improvement_{table}",
            f"DROP FUNCTION IF EXISTS improvement_{table}_search_vector()",
            f"ALTER TABLE improvement_{table} DROP COLUMN IF EXISTS search_vector",
        )
    ),
]


def _body(texts: tuple[str, ...]) -> str:
    return " || ' ' || ".join(f"new.{name}" for name in texts)


def _row(kind: int, texts: tuple[str, ...], at: str) -> str:
    return f"SELECT new.id * 2 + {kind}, new.title, {_body(texts)}, new.municipality_id, new.unit_id, new.{at}"


_COLUMNS = "improvement_search(rowid, title, body, municipality_id, unit_id, at)"

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE improvement_search USING fts5(title, body, municipality_id UNINDEXED, "
    "unit_id UNINDEXED, at UNINDEXED, tokenize = 'unicode61 remove_diacritics 0')",
    f"""CREATE TRIGGER improvement_learning_search_insert AFTER INSERT ON improvement_learning BEGIN
        INSERT INTO {_COLUMNS} {_row(0, LEARNING_TEXTS, "written_at")}; END""",
    f"""CREATE TRIGGER improvement_learning_search_update AFTER UPDATE ON improvement_learning BEGIN
        DELETE FROM improvement_search WHERE rowid = old.id * 2;
        INSERT INTO {_COLUMNS} {_row(0, LEARNING_TEXTS, "written_at")}; END""",  # noqa: S608 - our names only
    """CREATE TRIGGER improvement_learning_search_delete AFTER DELETE ON improvement_learning BEGIN
        DELETE FROM improvement_search WHERE rowid = old.id * 2; END""",
    f"""CREATE TRIGGER improvement_improvement_search_insert AFTER INSERT ON improvement_improvement
        WHEN new.stage = 'done' BEGIN
        INSERT INTO {_COLUMNS} {_row(1, IMPROVEMENT_TEXTS, "finished_at")}; END""",
    f"""CREATE TRIGGER improvement_improvement_search_update AFTER UPDATE ON improvement_improvement BEGIN
        DELETE FROM improvement_search WHERE rowid = old.id * 2 + 1;
        INSERT INTO {_COLUMNS} {_row(1, IMPROVEMENT_TEXTS, "finished_at")} WHERE new.stage = 'done'; END""",  # noqa: S608
    """CREATE TRIGGER improvement_improvement_search_delete AFTER DELETE ON improvement_improvement BEGIN
        DELETE FROM improvement_search WHERE rowid = old.id * 2 + 1; END""",
    f"INSERT INTO {_COLUMNS} {_row(0, LEARNING_TEXTS, 'written_at').replace('new.', '')} FROM improvement_learning",
    f"INSERT INTO {_COLUMNS} {_row(1, IMPROVEMENT_TEXTS, 'finished_at').replace('new.', '')} "
    "FROM improvement_improvement WHERE stage = 'done'",
]

SQLITE_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS improvement_{table}_search_{event}"
        for table in ("learning", "improvement")
        for event in ("insert", "update", "delete")
    ),
    "DROP TABLE IF EXISTS improvement_search",
]


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL_CREATE:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL_DROP:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("improvement", "0003_deviations_learnings")]

    operations = [migrations.RunPython(forwards, backwards)]
