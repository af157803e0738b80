"""The search of learnings and completed improvements, by database (improvement/search.py queries it).

PostgreSQL: a GIN index on each table's Swedish text-search vector (an expression, the same one search.py asks
with), the improvements' only where they are done. SQLite: one FTS5 table of both, kept up by triggers on the two
tables (whatever writes a row: the services, the admin, the demo's generator), its rowid the row's id times two,
plus one for an improvement. Neither exists on the other database."""

from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Q

LEARNING_TEXTS = ("what_happened", "what_we_expected", "what_we_learned", "what_we_change")
IMPROVEMENT_TEXTS = ("problem", "value_for_resident", "idea", "measure", "lesson")


def _vector(texts: tuple[str, ...]) -> Any:
    return SearchVector("title", weight="A", config="swedish") + SearchVector(*texts, weight="B", config="swedish")


def _indexes() -> list[tuple[str, GinIndex]]:
    return [
        ("Learning", GinIndex(_vector(LEARNING_TEXTS), name="learning_search")),
        ("Improvement", GinIndex(_vector(IMPROVEMENT_TEXTS), name="improvement_search", condition=Q(stage="done"))),
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
        for model, index in _indexes():
            schema_editor.add_index(apps.get_model("improvement", model), index)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for model, index in _indexes():
            schema_editor.remove_index(apps.get_model("improvement", model), index)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("improvement", "0003_deviations_learnings")]

    operations = [migrations.RunPython(forwards, backwards)]
