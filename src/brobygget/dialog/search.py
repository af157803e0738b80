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
    """A filter on Case for the cases whose text, place or conversation match `words_match`'s query."""
    if connection.vendor == "postgresql":
        sql = '"dialog_case"."search_vector" @@ to_tsquery(\'swedish\'::regconfig, %s)'
        return Q(RawSQL(sql, [match], output_field=BooleanField()))  # noqa: S611 - the query is a parameter
    return Q(pk__in=RawSQL("SELECT rowid FROM dialog_case_search WHERE dialog_case_search MATCH %s", [match]))
