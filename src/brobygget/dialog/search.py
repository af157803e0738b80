"""The inbox's search box: a case number, or words searched in the cases' text, place and what was said in them.

A case number is recognised as staff type it: "SYN-2026-00042", "syn-2026-42", "SYN202600042", "2026-42". Words
are searched by the index migration 0009_case_search keeps, the only code here that knows which database answers:

- PostgreSQL: the Swedish text-search configuration (stemming: "gatlampor" finds "gatlampan"), each word also as
  the start of a word after a common Swedish ending is cut, every word required; the GIN index on the vector.
- SQLite: the FTS5 table `dialog_case_search`, each word the start of a word after a common Swedish ending is cut
  ("lekplatsen" → lekplats*), every word required.

The inbox keeps its own order (newest or most urgent first) and filters; the search only narrows them."""

import re

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from brobygget.dialog.numbering import PREFIX, case_number_format

# At most this many words of a query are searched for, each at most this long; the box takes at most MAX_LENGTH.
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
MAX_LENGTH = 200
# On SQLite, a search that matches at most this many cases reads them by their ids (`case_ids_matching`).
SQLITE_ID_LIMIT = 1000
# Common Swedish endings cut before a word is searched as a prefix (longest first).
_ENDINGS = ("arna", "erna", "orna", "heten", "ande", "ende", "het", "ar", "er", "or", "en", "et", "na", "a", "e")
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(rf"^(?:{PREFIX})?[\s-]*(\d{{4}})[\s-]*(\d{{1,9}})$", re.IGNORECASE)


def case_number_typed(query: str) -> str | None:
    """The case number a query names ("syn 2026-42" → "SYN-2026-00042"), or None when it is not a case number."""
    found = _NUMBER.match(query.strip())
    if found is None:
        return None
    year, sequence = found.groups()
    return case_number_format(year=int(year), sequence=int(sequence))


def terms(query: str) -> list[str]:
    """The words of a query, lower case, as many as are searched."""
    return [word[:MAX_TERM_LENGTH] for word in _WORD.findall(query.casefold())][:MAX_TERMS]


def _stem(word: str) -> str:
    """The word without a common Swedish ending, when at least four letters remain."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def words_match(words: list[str]) -> str:
    """What the database is asked to match for the words (every word, each also as the start of a word): a raw
    text-search query on PostgreSQL, an FTS5 query on SQLite. The words are letters and digits only (`terms`)."""
    if connection.vendor == "postgresql":
        return " & ".join(f"('{word}' | '{_stem(word)}':*)" for word in words)
    return " ".join(f'"{_stem(word)}"*' for word in words)


def matching(match: str) -> Q:
    """A filter on Case for the cases whose text, place or conversation match `words_match`'s query.

    On SQLite the matching cases' ids are read once and each case of the inbox's order is looked up among them:
    the filter for words many cases hold (`case_ids_matching` gives the few cases of the others)."""
    if connection.vendor == "postgresql":
        sql = '"dialog_case"."search_vector" @@ to_tsquery(\'swedish\'::regconfig, %s)'
        return Q(RawSQL(sql, [match], output_field=BooleanField()))  # noqa: S611 - the query is a parameter
    sql = "SELECT rowid FROM dialog_case_search WHERE dialog_case_search MATCH %s"
    return Q(pk__in=RawSQL(sql, [match]))  # noqa: S611 - the query is a parameter


def case_ids_matching(match: str) -> list[int] | None:
    """On SQLite, the ids of every case that matches (of any municipality: the inbox's query keeps the scope), when
    there are at most SQLITE_ID_LIMIT of them; None when there are more, and on PostgreSQL.

    SQLite keeps no statistics of the words: asked for the newest cases that match, it walks the inbox's order and
    checks each case, which reads every case of the scope when few or none match (26 ms for the registrar at size
    M). The few matching cases of a rare word are read by their ids instead and sorted (under 1 ms); a common word
    is left to the walk, which then stops at the end of the page."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM dialog_case_search WHERE dialog_case_search MATCH %s LIMIT %s",
            [match, SQLITE_ID_LIMIT + 1],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= SQLITE_ID_LIMIT else None
