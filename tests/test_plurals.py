"""Plurals come from ngettext: no page of the demo says "1 arbetsdagar", "1 ärenden" or the like.

The demo is loaded once, then its pages are crawled from the start page and from Min sida, as a resident, a member of
staff, a leader and the registrar, following the links each page gives (a few of each kind of address)."""

import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings

from brobygget.demo.municipality import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

# "1" as a whole number (not 21, 1,5 or 2026-01-01), then a Swedish word in the plural.
ONE_IN_PLURAL = re.compile(
    r"(?<![\d,.:/–-])\b1 (arbetsdagar|dagar|dagarna|veckor|månader|timmar|minuter|ärenden|förbättringar|enheter"
    r"|personer|träffar|lärdomar|avvikelser|aktiviteter|kategorier|mätningar|uppföljningar|indikatorer|foton)\b"
)  # (mål, år, svar and medarbetare are the same in the singular)
LINK = re.compile(r'href="(/[^"#]*)"')
# Links that leave the pages (downloads, feeds, files) or end the visit.
SKIP = re.compile(r"^/(static|media|admin|konto/logga-ut)|\.(csv|xlsx|pdf|json|xml|rdf|ttl|atom)$|/(export|ladda-ner)")
PER_KIND = 3  # addresses that differ only in their numbers are one kind of page
PAGES_PER_VISITOR = 120


def _kind(path: str) -> str:
    return re.sub(r"\d+", "N", urlsplit(path).path)


def _crawl(client: Client, start: list[str]) -> dict[str, str]:
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    queue = deque(start)
    found: dict[str, str] = {}
    while queue and len(seen) < PAGES_PER_VISITOR:
        path = queue.popleft()
        if path in seen or SKIP.search(path) or kinds[_kind(path)] >= PER_KIND:
            continue
        seen.add(path)
        kinds[_kind(path)] += 1
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        text = re.sub(r"<[^>]+>", " ", html)
        text = re.sub(r"\s+", " ", text)
        for match in ONE_IN_PLURAL.finditer(text):
            found[path] = text[max(0, match.start() - 60) : match.end() + 20]
        queue.extend(LINK.findall(html))
    assert len(seen) > 5, f"the crawl from {start} found almost nothing"
    return found


@override_settings(DEBUG=True)  # demo_load refuses a database that does not look like a demo's otherwise
def test_no_page_of_the_demo_puts_one_in_the_plural():
    with time_machine.travel("2027-03-10 10:00 +01:00", tick=False):
        call_command("demo_load", verbosity=0)
    with time_machine.travel("2027-03-17 10:00 +01:00", tick=True):
        found: dict[str, str] = {}
        found |= _crawl(Client(), ["/"])
        for login in ("medarbetare", "chef", "registrator"):
            client = Client()
            assert client.login(username=login, password=DEMO_PASSWORD)
            found |= _crawl(client, ["/min-sida/", "/arenden/", "/forbattringar/", "/mal/"])

    assert not found, "“1” with a plural word (use ngettext):\n" + "\n".join(f"{p}: …{t}…" for p, t in found.items())
