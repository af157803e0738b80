"""Masking of personal data in a text before it is published: a safety net, not a replacement for staff reading it.

`mask(text)` returns the text with each piece of personal data replaced by a marker such as "[personnummer]", and
what was masked (its kind and where the marker stands in the masked text), so that staff can see it and confirm.

What is masked (docs/openresults.md, "Masking"):

- personnummer and samordningsnummer: 6 or 8 digits of a real birth date (the day plus 60 for a samordningsnummer),
  an optional separator (`-`, `+` or a space) and 4 digits, the last of which is the Luhn check digit of the 10
  digits. A number that fails the check, or whose date does not exist, is not one (an organisation number has a
  month of 20 or more), so dates, case numbers and other numbers stay;
- telephone numbers in Swedish forms: national (a leading 0 and 8 to 10 digits in all, in groups separated by
  spaces or a dash: 070-123 45 67, 08-123 456 78, 0701234567, (08) 123 456 78) and international (+46 or 0046,
  with or without "(0)": +46 70 123 45 67). A number that does not start with 0 or +46 is not a telephone number,
  so amounts ("1 250 kr"), postal codes ("123 45"), years and times stay;
- e-mail addresses;
- street addresses with a house number: a street name (a compound word ending in -gatan, -vägen, -gränd, -stigen,
  -backen, -torget, -allén ...; or a capitalised word and a separate "väg", "gata" ...) followed by a house number
  (with a letter and "lgh 1102" if there are). The texts we publish are written about what residents told us,
  so a house number in them is taken to point at a private person's home: a public place is named by its name
  ("biblioteket på Storgatan"), and a street without a number stays. A number followed by a unit ("vägen 3
  gånger", "Storgatan 200 meter") is a count, not a house number.
"""

import calendar
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
PHONE = "phone"
EMAIL = "email"
ADDRESS = "address"

# What stands in the text where something was masked, and what staff are told was masked.
MARKERS = {
    PERSONNUMMER: gettext_lazy("[personal identity number]"),
    SAMORDNINGSNUMMER: gettext_lazy("[co-ordination number]"),
    PHONE: gettext_lazy("[telephone number]"),
    EMAIL: gettext_lazy("[e-mail address]"),
    ADDRESS: gettext_lazy("[address]"),
}
KIND_LABELS = {
    PERSONNUMMER: _("Personal identity number"),
    SAMORDNINGSNUMMER: _("Co-ordination number"),
    PHONE: _("Telephone number"),
    EMAIL: _("E-mail address"),
    ADDRESS: _("Street address"),
}

_SEPARATOR = r"(?:[ \u00a0]?[-\u2013][ \u00a0]?|[ \u00a0])"
_IDENTITY = re.compile(r"(?<!\d)(?P<date>(?:\d{2})?\d{6})(?P<sep>[-+ \u00a0]?)(?P<serial>\d{4})(?![\d])")
_PHONE = re.compile(
    r"(?<![\w+\-\u2013.,/])(?:"
    rf"(?:\+|00)46{_SEPARATOR}?(?:\(0\){_SEPARATOR}?)?[1-9](?:{_SEPARATOR}?\d){{6,8}}"
    rf"|\(0\d{{1,3}}\){_SEPARATOR}?\d(?:{_SEPARATOR}?\d){{4,7}}"
    rf"|0\d(?:{_SEPARATOR}?\d){{6,8}}"
    r")(?![\d\w])(?![-\u2013.,/]\d)"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_STREET_ENDINGS = (
    "gatan|gata|vägen|väg|gränden|gränd|stigen|stig|backen|backe|torget|torg|allén|allé|leden|led|platsen|plan|"
    "slingan|slinga|kajen|kaj|esplanaden|liden|lid|höjden|udden|ringen|parken|vägen|strand|stranden|gången|"
    "bron|torpet|hagen|ängen|viken|kroken|ringvägen"
)
_COUNTS = (
    r"kr|kronor|%|procent|st|stycken|gånger|gång|meter|m|km|kilometer|mil|år|månader|veckor|dagar|timmar|minuter|"
    r"personer|invånare|barn|elever|platser|bilar|cm|kg|ton|liter|l"
)
_ADDRESS = re.compile(
    r"(?<![\w])(?:"
    rf"[A-ZÅÄÖa-zåäöéü][a-zåäöéü]+(?:-[a-zåäöéü]+)?(?:{_STREET_ENDINGS})"
    rf"|[A-ZÅÄÖ][a-zåäöéü]+(?:\s[A-ZÅÄÖ][a-zåäöéü]+)?s?\s(?:väg|vägen|gata|gatan|gränd|allé|torg|stig|plan|backe)"
    r")"
    r"\s(?P<number>[1-9]\d{0,2}(?:[A-Za-z](?![\wåäö])|\s[A-Z](?![\wåäö]))?)"
    rf"(?!\d)(?![,.:]\d)(?!\s?(?:{_COUNTS})(?![\wåäö]))"
    r"(?:,?\s(?:lgh|lägenhet)\.?\s?\d{4})?"
)


@dataclass(frozen=True, slots=True)
class Masked:
    """One masked piece: its kind, and where its marker stands in the masked text (start and end, as in slicing)."""

    kind: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclass(frozen=True, slots=True)
class MaskResult:
    text: str
    masked: tuple[Masked, ...]

    @property
    def kinds(self) -> list[str]:
        """The kinds masked, each once, in the order they first appear."""
        return list(dict.fromkeys(piece.kind for piece in self.masked))

    def parts(self) -> list[tuple[str, str | None]]:
        """The masked text as (text, kind) pieces, kind None for the text kept: for marking the masked parts."""
        pieces: list[tuple[str, str | None]] = []
        at = 0
        for piece in self.masked:
            if piece.start > at:
                pieces.append((self.text[at : piece.start], None))
            pieces.append((self.text[piece.start : piece.end], piece.kind))
            at = piece.end
        if at < len(self.text):
            pieces.append((self.text[at:], None))
        return pieces


def luhn_valid(digits: str) -> bool:
    """True when the last digit is the Luhn check digit of the ones before it (as in a personnummer)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _date_exists(year: str, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    if len(year) == 4:
        return day <= calendar.monthrange(int(year), month)[1]
    # Two digits of the year: 29 February exists if the year is a leap year in some century (00 was in 2000).
    days = 29 if month == 2 and int(year) % 4 == 0 else calendar.monthrange(2001, month)[1]
    return day <= days


def identity_kind(date: str, serial: str) -> str | None:
    """PERSONNUMMER or SAMORDNINGSNUMMER when `date` (YYMMDD or YYYYMMDD) and `serial` (4 digits) make one."""
    if len(date) == 8 and date[:2] not in ("18", "19", "20"):
        return None
    year, month, day = date[:-4], int(date[-4:-2]), int(date[-2:])
    if not luhn_valid(date[-6:] + serial):
        return None
    if _date_exists(year, month, day):
        return PERSONNUMMER
    if _date_exists(year, month, day - 60):
        return SAMORDNINGSNUMMER
    return None


def _identity_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for match in _IDENTITY.finditer(text):
        kind = identity_kind(match["date"], match["serial"])
        if kind is not None:
            spans.append((match.start(), match.end(), kind))
    return spans


def _address_spans(text: str) -> list[tuple[int, int, str]]:
    return [(match.start(), match.end(), ADDRESS) for match in _ADDRESS.finditer(text)]


def _simple_spans(pattern: re.Pattern[str], kind: str, text: str) -> list[tuple[int, int, str]]:
    return [(match.start(), match.end(), kind) for match in pattern.finditer(text)]


def mask(text: str) -> MaskResult:
    """The text with personal data replaced by markers, and what was masked (module docstring)."""
    # E-mail first (its local part may hold digits), then identity numbers (before telephone numbers, which a
    # 10-digit personnummer can look like), then telephone numbers, then addresses; a later kind never masks inside
    # an earlier one.
    found: list[tuple[int, int, str]] = []
    for spans in (
        _simple_spans(_EMAIL, EMAIL, text),
        _identity_spans(text),
        _simple_spans(_PHONE, PHONE, text),
        _address_spans(text),
    ):
        for start, end, kind in spans:
            if all(end <= taken_start or start >= taken_end for taken_start, taken_end, _kind in found):
                found.append((start, end, kind))
    found.sort()
    out: list[str] = []
    masked: list[Masked] = []
    at = 0
    length = 0
    for start, end, kind in found:
        kept = text[at:start]
        out.append(kept)
        length += len(kept)
        marker = str(MARKERS[kind])
        out.append(marker)
        masked.append(Masked(kind, length, length + len(marker)))
        length += len(marker)
        at = end
    out.append(text[at:])
    return MaskResult("".join(out), tuple(masked))
