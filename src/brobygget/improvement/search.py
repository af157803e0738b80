"""The search of learnings and completed improvements across a municipality: `search()`, the one function the view
calls, and the only code here that knows which database answers.

PostgreSQL: the Swedish text-search configuration (stemming: "lärdomar" finds "lärdomen"), each word also as a
prefix as on SQLite, every word required, ranked by `ts_rank` with the title weighted above the text; answered by
the GIN index on the stored vector (migration 0004_search). SQLite: the FTS5 table `improvement_search` (triggers
keep it up), each word a prefix after a common Swedish ending is cut ("lärdomar" → lärdom*, so "lärdom" and
"lärdomen" match; a compound is found by its first part: "sjuk" finds "sjukfrånvaro"), ranked in Python by `score`
(each time a word is found in the title it counts ten, in the text one), not by FTS5's bm25, which counts every match
of each word in the table.

Bounded: a search reads at most LATEST_PER_KIND learnings and as many completed improvements, the latest that
match, and ranks those (in the database on PostgreSQL, here on SQLite); without words it reads as many of each,
newest first, from an index. `SearchPage.more` says there were more, and the page asks for more words or a filter
(unit, principle, year) to reach older ones. On PostgreSQL the latest matches are looked for first among the newest
NEWEST_WINDOW rows of each kind (bounded), then, for a kind with fewer there, from its GIN index, which visits every
match's row (docs/improvement.md, Search).

Either way the result is a page of hits: title, unit, year and a snippet of the text around the first word found.
Never an author: an anonymous learning keeps none, and a named one's name is not part of a hit."""

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection, transaction
from django.db.models import Exists, Expression, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from brobygget.core.models import PrincipleTag
from brobygget.core.prepared import prepared
from brobygget.improvement.learnings import year_bounds
from brobygget.improvement.models import Improvement, Learning, Stage
from brobygget.organisation.models import Unit

PAGE_SIZE = 20
# A search reads at most this many of each kind, the latest (by id: the latest written or raised; on PostgreSQL the
# completed improvements among the newest rows by the time finished; without words, by the time written or
# finished), and ranks and pages through those: one page costs the same however many rows match. More words or a
# filter reach older ones.
LATEST_PER_KIND = 50
# On PostgreSQL a word is first looked for among this many of the newest rows of each kind (the learnings by id, the
# completed improvements by the time finished), which a common word's LATEST_PER_KIND matches are found in long
# before the end; a kind with fewer matches there is read from its GIN index (`_ranked_postgresql`).
NEWEST_WINDOW = 2000
# A unit filter of at most this many units (it and those below) reads their rows by the unit's index.
FEW_UNITS = 30
# At most this many words of a query are searched for, each at most this long.
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# On SQLite a word found in the title counts this many times one found in the text (`score`; bm25's weights were the
# same).
TITLE_WEIGHT = 10
SNIPPET_BEFORE = 60
SNIPPET_LENGTH = 240

LEARNING, IMPROVEMENT = 0, 1
# The texts searched (migration 0004_search indexes the same), besides the title, which weighs more.
LEARNING_TEXTS = ("what_happened", "what_we_expected", "what_we_learned", "what_we_change")
IMPROVEMENT_TEXTS = ("problem", "value_for_resident", "idea", "measure", "lesson")
# Common Swedish endings cut before a word is searched as a prefix on SQLite (longest first).
_ENDINGS = ("arna", "erna", "orna", "heten", "ande", "ende", "het", "ar", "er", "or", "en", "et", "na", "a", "e")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Hit:
    """One result: a learning or a completed improvement, as the result list shows it."""

    kind: str  # "learning" or "improvement"
    pk: int
    title: str
    unit: str
    year: int
    snippet: SafeString


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    total: int  # the hits read, at most LATEST_PER_KIND of each kind
    page: int
    pages: int
    more: bool = False  # a kind had more than LATEST_PER_KIND: the latest of it were read


@dataclass(frozen=True)
class Filters:
    """What to search for, and within what: a unit (its path: it and the units below), a principle, a year."""

    query: str = ""
    unit_path: str = ""
    principle_id: int | None = None
    year: int | None = None


def terms(query: str) -> list[str]:
    """The words of a query, lower case, as many as are searched."""
    return [word[:MAX_TERM_LENGTH] for word in _WORD.findall(query.casefold())][:MAX_TERMS]


def _stem(word: str) -> str:
    """The word without a common Swedish ending, when at least four letters remain."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


class StoredVector(Expression):
    """The `search_vector` column of a table on PostgreSQL: not a model field; migration 0004_search adds it and a
    trigger keeps it (the title weighs A, the texts B), with a GIN index."""

    output_field = SearchVectorField()

    def __init__(self, model: type[Learning] | type[Improvement]) -> None:
        super().__init__()
        self.table = model._meta.db_table

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[str | int, ...]]:
        # The table's alias in the query this is compiled in ("U0" in a subquery), else its name.
        alias = compiler.query.base_table if compiler.query.model._meta.db_table == self.table else self.table
        return f"{compiler.quote_name(alias)}.{connection.ops.quote_name('search_vector')}", ()


def postgresql_query(words: list[str]) -> SearchQuery:
    """Every word, stemmed by the Swedish configuration or as the start of a word after its ending is cut (so that a
    compound is found by its first part, as on SQLite, and "lekplatsen" finds "lekplats", which the stemmer leaves
    apart). The words are letters and digits only (`terms`), quoted all the same."""
    return SearchQuery(_tsquery(words), config="swedish", search_type="raw")


def _tsquery(words: list[str]) -> str:
    """`postgresql_query`'s text, for `to_tsquery('swedish', …)`."""
    return " & ".join(f"('{word}' | '{_stem(word)}':*)" for word in words)


def few_units(unit_path: str) -> list[int] | None:
    """The ids of the units at and below `unit_path` when they are at most FEW_UNITS, else None. A few units' rows
    are read by their own index (unit, time) and sorted; those of many, newest first along the municipality's index,
    where they soon come. One query."""
    if not unit_path:
        return None
    ids = list(Unit.objects.filter(path__below=unit_path).order_by().values_list("pk", flat=True)[: FEW_UNITS + 1])
    return ids if len(ids) <= FEW_UNITS else None


def _filtered(
    filters: Filters, municipality_id: int, unit_ids: list[int] | None = None
) -> tuple[QuerySet[Learning], QuerySet[Improvement]]:
    if unit_ids is not None:
        # The units are the municipality's (their path was looked up in it): without the municipality's own
        # condition, the database reads them by the unit's index.
        learnings = Learning.objects.filter(unit_id__in=unit_ids)
        improvements = Improvement.objects.filter(unit_id__in=unit_ids, stage=Stage.DONE)
    else:
        learnings = Learning.objects.filter(municipality_id=municipality_id)
        improvements = Improvement.objects.filter(municipality_id=municipality_id, stage=Stage.DONE)
        if filters.unit_path:
            below = Unit.objects.filter(path__below=filters.unit_path).values("pk")
            learnings = learnings.filter(unit_id__in=below)
            improvements = improvements.filter(unit_id__in=below)
    if filters.year is not None:
        start, end = year_bounds(filters.year)
        learnings = learnings.filter(written_at__gte=start, written_at__lt=end)
        improvements = improvements.filter(finished_at__gte=start, finished_at__lt=end)
    principle_id = filters.principle_id
    if principle_id is not None:
        types = ContentType.objects.get_for_models(Learning, Improvement)

        def tagged(model: type[Learning] | type[Improvement]) -> Exists:
            return Exists(
                PrincipleTag.objects.filter(
                    principle_id=principle_id, content_type=types[model], object_id=OuterRef("pk")
                )
            )

        learnings = learnings.filter(tagged(Learning))
        improvements = improvements.filter(tagged(Improvement))
    return learnings, improvements


def _bounded(
    found: list[tuple[int, int, float, datetime.datetime | None]],
) -> tuple[list[tuple[int, int, float, datetime.datetime | None]], bool]:
    """The candidates read (kind, pk, rank, time) and whether a kind reached LATEST_PER_KIND (there are more)."""
    per_kind = {LEARNING: 0, IMPROVEMENT: 0}
    for kind, _pk, _rank, _at in found:
        per_kind[kind] += 1
    return found, any(n >= LATEST_PER_KIND for n in per_kind.values())


def _matches_postgresql(
    filters: Filters, municipality_id: int, kinds: tuple[int, ...]
) -> list[tuple[int, int, float, datetime.datetime | None]]:
    """The latest LATEST_PER_KIND matches of each of `kinds` (by id) with their rank, from the GIN indexes: one
    query. Visits every match's row (a bitmap heap scan): the fallback of `_ranked_postgresql` for a word rare among
    the newest rows."""
    learnings, improvements = _filtered(filters, municipality_id)
    query = postgresql_query(terms(filters.query))
    parts = []
    for rows, model, kind, at in (
        (learnings, Learning, LEARNING, "written_at"),
        (improvements, Improvement, IMPROVEMENT, "finished_at"),
    ):
        if kind not in kinds:
            continue
        latest = rows.alias(document=StoredVector(model)).filter(document=query).order_by("-pk").values("pk")
        # Ranked in an outer query: in the same one, the rank is computed for every match before the latest are kept.
        parts.append(
            model.objects.filter(pk__in=Subquery(latest[:LATEST_PER_KIND]))
            .annotate(
                kind=Value(kind, output_field=IntegerField()), rank=SearchRank(StoredVector(model), query), at=F(at)
            )
            .order_by()
            .values_list("kind", "pk", "rank", "at")
        )
    # From the GIN indexes only: walked newest first along the primary key instead (which the planner picks when it
    # guesses a word is common), a word found in none of the newest rows may read every row of the table.
    with _gin_indexes_only():
        return list(parts[0].union(*parts[1:], all=True)) if len(parts) > 1 else list(parts[0])


def _newest_sql(filters: Filters, municipality_id: int, words: list[str]) -> tuple[str, list[Any]]:
    """The latest LATEST_PER_KIND matches of each kind among the NEWEST_WINDOW newest rows of the kind (the
    municipality's; learnings by id, the completed improvements by the time finished), with their rank: one statement.
    Each kind's newest rows are walked newest first and each tested with the stored vector (`@@`) and the filters, and
    the walk stops at the LATEST_PER_KIND-th match (a common word: some hundreds of rows) or at the window's end (a
    rare word)."""
    tsquery = _tsquery(words)
    where = ["w.search_vector @@ to_tsquery('swedish', %s)"]
    params: list[Any] = [tsquery]
    if filters.unit_path:
        where.append("w.unit_id IN (SELECT id FROM organisation_unit WHERE path LIKE %s)")
        params.append(f"{connection.ops.prep_for_like_query(filters.unit_path)}%")
    selects: list[str] = []
    values_all: list[Any] = []
    types = ContentType.objects.get_for_models(Learning, Improvement) if filters.principle_id is not None else {}
    # The improvements' window is the latest finished (done, as the model's constraint ties them), read from the
    # index on the time finished: the newest by id are mostly still on the wheel, and walking the ids backwards read
    # some 13,000 of them to find the done ones at size L (PostgreSQL's planner takes the done ones, 85 % of all, to
    # be spread evenly, and no index on the stage made it choose otherwise).
    for model, kind, at, rows, newest in (
        (Learning, LEARNING, "written_at", "", "id DESC"),
        (Improvement, IMPROVEMENT, "finished_at", "AND finished_at IS NOT NULL", "finished_at DESC, id DESC"),
    ):
        condition, values = list(where), list(params)
        if filters.year is not None:
            start, end = year_bounds(filters.year)
            condition.append(f"w.{at} >= %s AND w.{at} < %s")
            values += [start, end]
        if filters.principle_id is not None:
            condition.append(
                "EXISTS (SELECT 1 FROM core_principletag t WHERE t.principle_id = %s AND t.content_type_id = %s "
                "AND t.object_id = w.id)"
            )
            values += [filters.principle_id, types[model].pk]
        table = model._meta.db_table
        selects.append(
            f"(SELECT {kind} AS kind, w.id, ts_rank(w.search_vector, to_tsquery('swedish', %s)) AS rank, w.{at} "  # noqa: S608
            f"FROM (SELECT id, unit_id, {at}, search_vector FROM {table} WHERE municipality_id = %s {rows} "
            f"ORDER BY {newest} LIMIT %s) w WHERE {' AND '.join(condition)} ORDER BY {newest} LIMIT %s)"
        )
        window = [municipality_id, NEWEST_WINDOW]
        values_all += [tsquery, *window, *values, LATEST_PER_KIND]
    return " UNION ALL ".join(selects), values_all


def _ranked_postgresql(filters: Filters, municipality_id: int) -> tuple[list[tuple[int, int]], bool]:
    """The latest LATEST_PER_KIND matches of each kind (by id: the latest written or raised), best first by
    `ts_rank`. First among the newest NEWEST_WINDOW rows of each kind (`_newest_sql`, one query, bounded); a kind
    that finds fewer there is read again from its GIN index (`_matches_postgresql`, one more query), which a word
    rare among the newest rows fits. Two queries at most."""
    sql, params = _newest_sql(filters, municipality_id, terms(filters.query))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found: list[tuple[int, int, float, datetime.datetime | None]] = list(cursor.fetchall())
    short = tuple(kind for kind in (LEARNING, IMPROVEMENT) if sum(row[0] == kind for row in found) < LATEST_PER_KIND)
    if short:
        found = [row for row in found if row[0] not in short] + _matches_postgresql(filters, municipality_id, short)
    found, more = _bounded(found)
    found.sort(key=lambda row: (-row[2], _newest_key(row[3]), -row[1]))
    return [(kind, pk) for kind, pk, _rank, _at in found], more


@contextmanager
def _gin_indexes_only() -> Iterator[None]:
    """PostgreSQL's planner without index scans and sequential scans for the block (bitmap scans of the GIN indexes
    remain), set back afterwards. In a transaction, for it alone (SET LOCAL in a savepoint); otherwise for the
    session, and reset at once (two statements, no transaction around the query)."""
    if connection.in_atomic_block:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off")
            yield
            cursor.execute("SET LOCAL enable_indexscan TO DEFAULT; SET LOCAL enable_seqscan TO DEFAULT")
        return
    with connection.cursor() as cursor:
        cursor.execute("SET enable_indexscan = off; SET enable_seqscan = off")
        try:
            yield
        finally:
            cursor.execute("RESET enable_indexscan; RESET enable_seqscan")


def _newest_key(at: datetime.datetime | None) -> float:
    """A sort key that puts the latest first."""
    return -at.timestamp() if at is not None else 0.0


def _found(text: str, stems: list[str]) -> int:
    """How many times the stems start a word of the text (as FTS5's tokens: a word starts after what is not a letter
    or digit), in any case."""
    low = text.casefold()
    n = 0
    for stem in stems:
        at = low.find(stem)
        while at >= 0:
            n += at == 0 or not low[at - 1].isalnum()
            at = low.find(stem, at + len(stem))
    return n


def score(title: str, text: str, stems: list[str]) -> int:
    """How well a match on SQLite answers the words (`stems`: each without its common ending): each time a word is
    found in the title it counts TITLE_WEIGHT, in the text one. A word is found as FTS5 finds it, as the start of a
    word."""
    return TITLE_WEIGHT * _found(title, stems) + _found(text, stems)


def _sqlite_match(words: list[str], *, prefix: bool) -> str:
    """The FTS5 query of the words, every one required: each as the start of a word after its common ending is cut
    (`prefix`), or each as a whole word, as written or without its ending."""
    if prefix:
        return " AND ".join(f'"{_stem(word)}"*' for word in words)
    return " AND ".join(f'("{word}" OR "{_stem(word)}")' if _stem(word) != word else f'"{word}"' for word in words)


def _sqlite_latest(
    match: str, kinds: tuple[int, ...], where: list[str], params: list[Any]
) -> list[tuple[int, str | None, str | None, str | None]]:
    """The latest LATEST_PER_KIND rows of each of `kinds` that FTS5 finds for `match` and pass the filters (`where`,
    `params`), as (rowid, time, title, text): one statement."""
    condition = " AND ".join(["improvement_search MATCH %s", *where])
    parts, values = [], []
    for kind in kinds:
        # SQLite tests the terms in the order written: the kind (from the rowid) before the columns of the row. The
        # improvements' walk starts at the newest improvement's rowid (FTS5 seeks there), not through the matches of
        # learnings above it (at size L the learnings' ids run to 500,000, the improvements' to 200,000).
        start = "rowid <= (SELECT max(id) * 2 + 1 FROM improvement_improvement) AND " if kind == IMPROVEMENT else ""
        parts.append(
            "SELECT * FROM (SELECT rowid, at, title, body FROM improvement_search "  # noqa: S608
            f"WHERE {start}(rowid & 1) = %s AND {condition} ORDER BY rowid DESC LIMIT %s)"
        )
        values += [kind, match, *params, LATEST_PER_KIND]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), values)
        return cursor.fetchall()


def _ranked_sqlite(filters: Filters, municipality_id: int) -> tuple[list[tuple[int, int]], bool]:
    """The latest LATEST_PER_KIND matches of each kind (by rowid: the latest written or raised), best first by
    `score` (then the latest first). FTS5 reads a match's rowid from its index and its other columns (municipality,
    unit, time, title and text) from its row, so the rowid's kind is tested first and each kind stops at its bound.

    Bounded: each word is first looked for as a whole word (as written, or without its common ending), which FTS5
    walks newest first and stops at the bound; only a kind that finds fewer than LATEST_PER_KIND so is read again
    with each word as the start of a word (`"schemat"*`), which FTS5 (3.40) answers by merging the whole lists of
    every indexed word with that start before it walks them (some 2–3 ms a kind for the bench's word at size L,
    0.2–0.3 ms as a whole word; 16–18 ms for `rutin`). A word common as written is thus read as written: the latest
    LATEST_PER_KIND rows with the word itself, not those with only a longer word it starts. One query, or two.

    Ranked here, not by FTS5's bm25: bm25 weighs each word by how rare it is in the whole table, and FTS5 counts that
    by walking every match of the word (7.7–8.6 ms a kind for a common word at size L); the few rows read are
    ranked by `score` in Python instead."""
    words = terms(filters.query)
    where = ["municipality_id = %s"]
    params: list[Any] = [municipality_id]
    if filters.unit_path:
        where.append("unit_id IN (SELECT id FROM organisation_unit WHERE path GLOB %s)")
        params.append(f"{filters.unit_path}*")
    if filters.year is not None:
        start, end = year_bounds(filters.year)
        where.append("at >= %s AND at < %s")
        params += [connection.ops.adapt_datetimefield_value(start), connection.ops.adapt_datetimefield_value(end)]
    if filters.principle_id is not None:
        types = ContentType.objects.get_for_models(Learning, Improvement)
        where.append(
            "EXISTS (SELECT 1 FROM core_principletag t WHERE t.principle_id = %s AND t.object_id = "
            "improvement_search.rowid >> 1 AND t.content_type_id = CASE improvement_search.rowid & 1 "
            "WHEN 0 THEN %s ELSE %s END)"
        )
        params += [filters.principle_id, types[Learning].pk, types[Improvement].pk]
    rows = _sqlite_latest(_sqlite_match(words, prefix=False), (LEARNING, IMPROVEMENT), where, params)
    short = tuple(kind for kind in (LEARNING, IMPROVEMENT) if sum(row[0] & 1 == kind for row in rows) < LATEST_PER_KIND)
    if short:
        rows = [row for row in rows if row[0] & 1 not in short]
        rows += _sqlite_latest(_sqlite_match(words, prefix=True), short, where, params)
    stems = [_stem(word) for word in words]
    # The time comes as the text SQLite keeps (UTC, ISO).
    found, more = _bounded(
        [
            (
                rowid & 1,
                rowid >> 1,
                float(score(title or "", body or "", stems)),
                datetime.datetime.fromisoformat(at) if at else None,
            )
            for rowid, at, title, body in rows
        ]
    )
    found.sort(key=lambda row: (-row[2], _newest_key(row[3]), -row[1]))
    return [(kind, pk) for kind, pk, _rank, _at in found], more


def _recent(filters: Filters, municipality_id: int, unit_ids: list[int] | None) -> tuple[list[tuple[int, int]], bool]:
    """Without words: the latest learnings and completed improvements first (the same on both databases). Each kind
    is read newest first from its index (learning_written, improvement_finished), at most LATEST_PER_KIND, and the
    two merged; the list ends where a kind that reached its bound ends, since older ones of it were not read."""
    learnings, improvements = _filtered(filters, municipality_id, unit_ids)
    newest: list[tuple[datetime.datetime, int, int]] = [
        (at, pk, LEARNING)
        for pk, at in learnings.order_by("-written_at", "-pk").values_list("pk", "written_at")[:LATEST_PER_KIND]
    ]
    capped = {LEARNING: len(newest) >= LATEST_PER_KIND}
    done = list(
        improvements.filter(finished_at__isnull=False)
        .order_by("-finished_at", "-pk")
        .values_list("pk", "finished_at")[:LATEST_PER_KIND]
    )
    capped[IMPROVEMENT] = len(done) >= LATEST_PER_KIND
    newest += [(at, pk, IMPROVEMENT) for pk, at in done if at is not None]
    newest.sort(reverse=True)
    ends = [max(i for i, row in enumerate(newest) if row[2] == kind) for kind, full in capped.items() if full]
    if ends:
        newest = newest[: min(ends) + 1]
    return [(kind, pk) for _at, pk, kind in newest], bool(ends)


def word_pattern(words: list[str]) -> re.Pattern[str] | None:
    """What a snippet marks: a word that starts as one of the words (without its common ending) does."""
    stems = [re.escape(_stem(word)) for word in words if word]
    return re.compile(rf"\b({'|'.join(stems)})\w*", re.IGNORECASE) if stems else None


def snippet(
    text: str, words: list[str], length: int = SNIPPET_LENGTH, pattern: re.Pattern[str] | None = None
) -> SafeString:
    """The text around the first of the words found (each as the start of a word), escaped, the words marked; the
    words' `pattern` (word_pattern), when given, made once for the hits of a page."""
    pattern = pattern or word_pattern(words)
    found = pattern.search(text) if pattern else None
    start = max(0, found.start() - SNIPPET_BEFORE) if found else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < (found.start() if found else start) else start
    part = text[start : start + length]
    head = "… " if start else ""
    tail = " …" if start + length < len(text) else ""
    if pattern is None:
        return mark_safe(f"{head}{escape(part)}{tail}")  # noqa: S308 - escaped above
    marked, last = [], 0
    for hit in pattern.finditer(part):
        marked += [str(escape(part[last : hit.start()])), f"<mark>{escape(hit.group(0))}</mark>"]
        last = hit.end()
    marked.append(str(escape(part[last:])))
    return mark_safe(f"{head}{''.join(marked)}{tail}")  # noqa: S308 - each piece escaped


@prepared
def _learning_hits(*, ids: list[int]) -> QuerySet[Learning, Any]:
    return Learning.objects.filter(pk__in=ids).values_list("pk", "title", "unit__name", "written_at", *LEARNING_TEXTS)


@prepared
def _improvement_hits(*, ids: list[int]) -> QuerySet[Improvement, Any]:
    return Improvement.objects.filter(pk__in=ids).values_list(
        "pk", "title", "unit__name", "finished_at", *IMPROVEMENT_TEXTS
    )


def _hits(keys: list[tuple[int, int]], words: list[str]) -> list[Hit]:
    """The hits of a page, in the order found: two queries at most, one per kind (prepared queries, core.prepared:
    built with the plain ORM each cost some 0.4 ms of Python at size M)."""
    read: dict[tuple[int, int], Hit] = {}
    sources = ((LEARNING, _learning_hits, "learning"), (IMPROVEMENT, _improvement_hits, "improvement"))
    pattern = word_pattern(words)
    for kind, rows, name in sources:
        wanted = [pk for of_kind, pk in keys if of_kind == kind]
        if not wanted:
            continue
        for pk, title, unit, when, *parts in rows(ids=wanted):
            text = "\n".join(part for part in parts if part)
            year = timezone.localtime(when).year if isinstance(when, datetime.datetime) else 0
            read[(kind, pk)] = Hit(name, pk, title, unit, year, snippet(text, words, pattern=pattern))
    return [read[key] for key in keys if key in read]


def search(*, municipality_id: int, filters: Filters, page: int = 1) -> SearchPage:
    """A page of the learnings and completed improvements of a municipality that match the words (best first) and
    the filters; without words, the latest first. At most LATEST_PER_KIND of each kind are read (see the module):
    `more` says that there were more, to be found with more words or a filter."""
    words = terms(filters.query)
    if not words:
        keys, more = _recent(filters, municipality_id, few_units(filters.unit_path))
    elif connection.vendor == "postgresql":
        keys, more = _ranked_postgresql(filters, municipality_id)
    else:
        keys, more = _ranked_sqlite(filters, municipality_id)
    pages = max(1, -(-len(keys) // PAGE_SIZE))
    page = min(max(1, page), pages)
    offset = (page - 1) * PAGE_SIZE
    return SearchPage(_hits(keys[offset : offset + PAGE_SIZE], words), len(keys), page, pages, more)
