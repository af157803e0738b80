"""The inbox's search of a case's words: its text, its place and what was said in it (dialog/search.py queries it).

What is searched of a case: the resident's text and place, and the entries the resident and the municipality
wrote to each other (`SEARCHED_KINDS`: answers, replies, corrections, what we did), never internal notes or events.

PostgreSQL: a column `search_vector` on the case (not a model field), its Swedish text-search vector, kept up by a
trigger before an insert or an update of the text or the place, and made again (the entry's trigger sets it to
NULL, the case's trigger fills it in) when such an entry is written, changed or deleted; a GIN index. A trigger,
not a generated column, because the vector reads the entries, another table. SQLite: an FTS5 table whose rowid is
the case's id, kept up by triggers on the cases and the entries. Neither exists on the other database. Triggers,
so that whatever writes a row (the services, the admin, the demo's generator) keeps the search true."""

# ruff: noqa: S608 - the SQL is made of our own names and the kinds above only, never of a value

from typing import Any

from django.db import migrations

SEARCHED_KINDS = ("answer", "resident_reply", "correction", "follow_up")
_KINDS = ", ".join(f"'{kind}'" for kind in SEARCHED_KINDS)

_ENTRIES_TEXT = (
    "SELECT string_agg(e.text, ' ' ORDER BY e.id) FROM dialog_caseentry e "
    f"WHERE e.case_id = NEW.id AND e.kind IN ({_KINDS})"
)

POSTGRESQL_CREATE = [
    "ALTER TABLE dialog_case ADD COLUMN search_vector tsvector",
    f"""CREATE FUNCTION dialog_case_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_vector := to_tsvector('swedish', concat_ws(' ', NEW.text, NEW.address, ({_ENTRIES_TEXT})));
            RETURN NEW;
        END $$""",
    "CREATE TRIGGER dialog_case_search_vector BEFORE INSERT OR UPDATE OF text, address, search_vector "
    "ON dialog_case FOR EACH ROW EXECUTE FUNCTION dialog_case_search_vector()",
    f"""CREATE FUNCTION dialog_caseentry_search() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' AND OLD.kind IN ({_KINDS}) THEN
                UPDATE dialog_case SET search_vector = NULL WHERE id = OLD.case_id;
            END IF;
            IF TG_OP <> 'DELETE' AND NEW.kind IN ({_KINDS}) THEN
                UPDATE dialog_case SET search_vector = NULL WHERE id = NEW.case_id;
            END IF;
            RETURN NULL;
        END $$""",
    "CREATE TRIGGER dialog_caseentry_search AFTER INSERT OR DELETE OR UPDATE OF text, kind, case_id "
    "ON dialog_caseentry FOR EACH ROW EXECUTE FUNCTION dialog_caseentry_search()",
    "UPDATE dialog_case SET search_vector = NULL",  # the trigger fills it in
    "CREATE INDEX case_search ON dialog_case USING gin (search_vector)",
]

POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS dialog_caseentry_search ON dialog_caseentry",
    "DROP FUNCTION IF EXISTS dialog_caseentry_search()",
    "DROP TRIGGER IF EXISTS dialog_case_search_vector ON dialog_case",
    "DROP FUNCTION IF EXISTS dialog_case_search_vector()",
    "ALTER TABLE dialog_case DROP COLUMN IF EXISTS search_vector",
]


def _index_case(case_id: str) -> str:
    """The statements that index one case again (its id an SQL expression: `new.case_id`, `old.id`)."""
    return (
        f"DELETE FROM dialog_case_search WHERE rowid = {case_id}; "
        "INSERT INTO dialog_case_search(rowid, body) SELECT c.id, c.text || ' ' || c.address || coalesce(' ' || "
        "(SELECT group_concat(e.text, ' ') FROM dialog_caseentry e "
        f"WHERE e.case_id = c.id AND e.kind IN ({_KINDS})), '') FROM dialog_case c WHERE c.id = {case_id};"
    )


SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE dialog_case_search USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')",
    """CREATE TRIGGER dialog_case_search_insert AFTER INSERT ON dialog_case BEGIN
        INSERT INTO dialog_case_search(rowid, body) VALUES (new.id, new.text || ' ' || new.address); END""",
    f"""CREATE TRIGGER dialog_case_search_update AFTER UPDATE OF text, address ON dialog_case BEGIN
        {_index_case("new.id")} END""",
    """CREATE TRIGGER dialog_case_search_delete AFTER DELETE ON dialog_case BEGIN
        DELETE FROM dialog_case_search WHERE rowid = old.id; END""",
    f"""CREATE TRIGGER dialog_caseentry_search_insert AFTER INSERT ON dialog_caseentry
        WHEN new.kind IN ({_KINDS}) BEGIN {_index_case("new.case_id")} END""",
    f"""CREATE TRIGGER dialog_caseentry_search_update AFTER UPDATE OF text, kind, case_id ON dialog_caseentry
        BEGIN {_index_case("old.case_id")} {_index_case("new.case_id")} END""",
    f"""CREATE TRIGGER dialog_caseentry_search_delete AFTER DELETE ON dialog_caseentry
        WHEN old.kind IN ({_KINDS}) BEGIN {_index_case("old.case_id")} END""",
    "INSERT INTO dialog_case_search(rowid, body) SELECT c.id, c.text || ' ' || c.address || coalesce(' ' || "
    "(SELECT group_concat(e.text, ' ') FROM dialog_caseentry e "
    f"WHERE e.case_id = c.id AND e.kind IN ({_KINDS})), '') FROM dialog_case c",
]

SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS dialog_case_search_{event}" for event in ("insert", "update", "delete")),
    *(f"DROP TRIGGER IF EXISTS dialog_caseentry_search_{event}" for event in ("insert", "update", "delete")),
    "DROP TABLE IF EXISTS dialog_case_search",
]


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("dialog", "0010_staff_notices")]

    operations = [migrations.RunPython(forwards, backwards)]
