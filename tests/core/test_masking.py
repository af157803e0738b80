"""Masking of personal data before publication: generated identifiers in every form never survive, and ordinary
Swedish sentences come through as they were."""

import datetime
import re

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from brobygget.core.masking import (
    ADDRESS,
    EMAIL,
    PERSONNUMMER,
    PHONE,
    SAMORDNINGSNUMMER,
    identity_kind,
    luhn_valid,
    mask,
)

pytestmark = pytest.mark.usefixtures("swedish")


@pytest.fixture
def swedish():
    with translation.override("sv"):
        yield


def check_digit(nine: str) -> str:
    for digit in "0123456789":
        if luhn_valid(nine + digit):
            return digit
    raise AssertionError(nine)


AROUND = st.sampled_from(
    [
        ("", ""),
        ("Mitt nummer är ", "."),
        ("Ring ", " efter kl. 16."),
        ("(", ")"),
        ("Uppgift: ", ", tack!"),
        ("Den 2026-12-01 skrev hen ", " i ärende SYN-2026-00042."),
        ("pnr:", "\n"),
    ]
)


@st.composite
def identity_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A personnummer or samordningsnummer of a real date, in one of its written forms, and its kind."""
    born = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2026, 12, 31)))
    coordination = draw(st.booleans())
    day = born.day + 60 if coordination else born.day
    serial = draw(st.integers(min_value=0, max_value=999))
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    number = nine + check_digit(nine)
    century = draw(st.booleans())
    separator = draw(st.sampled_from(["", "-", "+", " "]))
    date = (f"{born.year // 100:02d}" if century else "") + number[:6]
    return date + separator + number[6:], SAMORDNINGSNUMMER if coordination else PERSONNUMMER


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """A Swedish telephone number written in one of the ways people write them."""
    mobile = draw(st.booleans())
    digits = draw(st.text(alphabet="0123456789", min_size=7, max_size=7))
    if mobile:
        area, rest = "7" + draw(st.sampled_from("02369")), digits
        groups = [rest[:3], rest[3:5], rest[5:]]
    else:
        area = draw(st.sampled_from(["8", "31", "40", "13", "90", "171", "480", "771"]))
        # Ten digits in all with the leading 0 (Stockholm's 08 has eight after it).
        rest = digits[: 9 - len(area)] if len(area) > 1 else digits + draw(st.sampled_from("0123456789"))
        groups = [rest[:3], rest[3:5], rest[5:]] if len(rest) > 5 else [rest[:3], rest[3:]]
    groups = [group for group in groups if group]
    style = draw(st.sampled_from(["dash", "spaces", "plain", "international", "international0", "paren", "endash"]))
    if style == "dash":
        return f"0{area}-{' '.join(groups)}"
    if style == "endash":
        return f"0{area} – {' '.join(groups)}"
    if style == "spaces":
        return f"0{area} {' '.join(groups)}"
    if style == "plain":
        return f"0{area}{''.join(groups)}"
    if style == "paren":
        return f"(0{area}) {' '.join(groups)}"
    if style == "international":
        return f"{draw(st.sampled_from(['+46', '0046']))} {area} {' '.join(groups)}"
    return f"+46 (0){area}-{''.join(groups)}"


@given(number=identity_numbers(), around=AROUND)
@settings(max_examples=400, deadline=None)
def test_no_personnummer_or_samordningsnummer_survives_in_any_form(number, around):
    written, kind = number
    text = around[0] + written + around[1]

    result = mask(text)

    assert written not in result.text
    assert re.sub(r"\D", "", written)[-10:] not in re.sub(r"\D", "", result.text)
    assert kind in result.kinds


@given(number=phone_numbers(), around=AROUND)
@settings(max_examples=400, deadline=None)
def test_no_telephone_number_survives_in_any_swedish_form(number, around):
    text = around[0] + number + around[1]

    result = mask(text)

    assert number not in result.text
    # Whatever kind the masking took it for (a 10-digit mobile number can also be a valid personnummer), its digits
    # are gone.
    assert re.sub(r"\D", "", number)[-7:] not in re.sub(r"\D", "", result.text)


@given(
    local=st.from_regex(r"[a-z][a-z0-9._+-]{0,15}[a-z0-9]", fullmatch=True),
    domain=st.from_regex(r"[a-z][a-z0-9-]{0,10}\.(se|nu|com|kommun\.se)", fullmatch=True),
    around=AROUND,
)
@settings(max_examples=200, deadline=None)
def test_no_email_address_survives(local, domain, around):
    address = f"{local}@{domain}"

    result = mask(around[0] + address + around[1])

    assert "@" not in result.text
    assert EMAIL in result.kinds


STREETS = [
    "Storgatan",
    "Kungsvägen",
    "Solrosgränd",
    "Björkstigen",
    "Kyrkbacken",
    "Stortorget",
    "Lindallén",
    "Drottning Kristinas väg",
    "Gamla vägen",
    "Östra Långgatan",
    "Sveavägen",
]


@given(
    street=st.sampled_from(STREETS),
    number=st.integers(min_value=1, max_value=199),
    letter=st.sampled_from(["", "A", "B", " C", "b"]),
    flat=st.sampled_from(["", ", lgh 1102", " lgh 1203"]),
    around=st.sampled_from([("Jag bor på ", " i Sjöbacka."), ("Grannen på ", " klagade."), ("", "")]),
)
@settings(max_examples=300, deadline=None)
def test_no_street_address_with_a_house_number_survives(street, number, letter, flat, around):
    address = f"{street} {number}{letter}{flat}"

    result = mask(around[0] + address + around[1])

    assert f"{street.split()[-1]} {number}" not in result.text
    assert ADDRESS in result.kinds


@pytest.mark.parametrize(
    "text",
    [
        "Vi öppnade den nya lekplatsen 2026-12-01.",
        "Ärendet SYN-2026-00042 är avslutat, liksom SYN-2025-12345.",
        "Renoveringen kostade 1 250 kr per meter, totalt 1 250 000 kronor.",
        "Biblioteket har öppet 08.00–16.30 och på lördagar kl. 10:00-14:00.",
        "Under 2025 och 2026 fick vi 1 234 synpunkter, 56 % fler än 2024.",
        "Skriv till Box 123, 123 45 Sjöbacka.",
        "Mellan 2020–2026 byggde vi 12 nya cykelställ.",
        "Vi lagade gatan 3 gånger under hösten.",
        "Cykelvägen längs Storgatan fick ny belysning i november.",
        "Kommunhuset på Storgatan har nu en ramp vid entrén.",
        "Storgatan är avstängd 200 meter från torget.",
        "Beslutet togs den 12 mars 2026, diarienummer KS 2026/123.",
        "Sopbilen kommer varannan vecka, vecka 12, 14 och 16.",
        "Vi satte upp 40 nya papperskorgar, 1,5 meter höga.",
        "Organisationsnummer 212000-1234 står på fakturan.",
        "Temperaturen i bassängen är nu 28 grader, mot 26 tidigare.",
        "Öppettiderna är 7–22 alla dagar, 365 dagar om året.",
        "Ordningsnummer 20261201 gäller från årsskiftet.",
        "Väntetiden sjönk från 14 till 5 arbetsdagar.",
        "Postnummer 12345 och 543 21 berörs.",
        "Version 2.0.1 av appen släpptes 2026-01-15 klockan 09.30.",
        "Solrosens förskola skickar nu ett veckobrev varje fredag.",
    ],
)
def test_ordinary_swedish_sentences_come_through_unmasked(text):
    result = mask(text)

    assert result.text == text
    assert result.masked == ()


def test_a_number_that_fails_the_luhn_check_or_has_no_real_date_is_not_masked():
    month_13 = "851309980"
    february_30 = "850230980"

    assert identity_kind("850709", "9805") == PERSONNUMMER
    assert identity_kind("850709", "9806") is None  # wrong check digit
    assert identity_kind(month_13[:6], month_13[6:] + check_digit(month_13)) is None
    assert identity_kind(february_30[:6], february_30[6:] + check_digit(february_30)) is None
    assert mask("850709-9806 och 8507099806").masked == ()


def test_the_result_says_what_was_masked_and_where_its_marker_stands():
    text = "Ring 070-123 45 67 eller mejla a.b@example.se om 850709-9805."

    result = mask(text)

    assert result.text == "Ring [telefonnummer] eller mejla [e-postadress] om [personnummer]."
    assert [piece.kind for piece in result.masked] == [PHONE, EMAIL, PERSONNUMMER]
    assert [result.text[piece.start : piece.end] for piece in result.masked] == [
        "[telefonnummer]",
        "[e-postadress]",
        "[personnummer]",
    ]
    assert [kind for _text, kind in result.parts()] == [None, PHONE, None, EMAIL, None, PERSONNUMMER, None]
    assert "".join(text for text, _kind in result.parts()) == result.text


def test_a_samordningsnummer_is_told_apart_from_a_personnummer():
    nine = "85076998"[:6] + "980"
    number = nine + check_digit(nine)

    result = mask(f"Samordningsnummer {number[:6]}-{number[6:]}.")

    assert result.kinds == [SAMORDNINGSNUMMER]
