"""What the benchmark requests: one line per page, and the people it logs in as.

To measure a new page, add one `Page` to `PAGES`. Its path may name a value of the fixture in braces
(`{unit_id}`); `login_as` names a persona of `PERSONAS` (None: anonymous). Every page is compared
with the bare view requested as the same persona, so each persona needs its bare `Page` (e.g.
`Page("bare, anonymous", BARE_PATH, None, bare=True)`); a page whose persona has none is refused.

A page with `form` is a POST sent the way a browser sends it: the page is first requested with GET,
its hidden fields (the CSRF token, the signed time the form was shown) are read from it, and `form`
is added to them. It counts as answered when the status is `expect` (302 for a form that redirects).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count

if TYPE_CHECKING:
    from django.contrib.auth.models import User

BARE_PATH = "/bench/bare/"

# What the resident form posts (form-encoded; the fixture's values in braces). A suggestion, not a fault
# report: suggestions stay out of the Open311 lists, so the cases the benchmark posts do not change that page.
FEEDBACK_FORM = {
    "kind": "suggestion",
    "category": "{category_id}",
    "text": "Sätt upp fler bänkar längs promenadstråket vid sjön. (Skickat av make bench.)",
    "address": "Sjövägen 4",
    "contact_email": "bench@skalkommun.example",
    "wants_answer": "on",
    "website": "",  # the honeypot, empty as a person leaves it
}


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # may contain {unit_id} and the other keys of Fixture.params
    login_as: str | None = "leader"
    bare: bool = False
    form: dict[str, str] | None = None  # a POST of these fields and the page's hidden ones
    expect: int = 200  # the status of a successful answer
    reference: bool = False  # not a page of ours but a floor to compare with (bench/urls.py): no target

    @property
    def method(self) -> str:
        return "GET" if self.form is None else "POST"


PAGES: list[Page] = [
    Page("bare view", BARE_PATH, "leader", bare=True),
    Page("bare, registrar", BARE_PATH, "registrar", bare=True),
    Page("bare, anonymous", BARE_PATH, None, bare=True),  # shows what the session of a login costs
    Page("unit page", "/organisation/enheter/{unit_id}/", "leader"),
    Page("Min sida", "/min-sida/", "leader"),
    Page("inbox, leader", "/arenden/", "leader"),
    Page("inbox, registrar", "/arenden/", "registrar"),  # every case of the municipality: the hardest
    Page("start page", "/", None),
    Page("form", "/lamna-synpunkt/", None),
    Page("form, POST", "/lamna-synpunkt/", None, form=FEEDBACK_FORM, expect=302),  # 302 to the receipt
    # The least any POST that keeps what it is sent can do here: one audited row in a transaction (bench/urls.py).
    Page("bare, audited write", "/bench/bare-write/", None, form={}, expect=302, reference=True),
    Page("Open311 list", "/open311/v2/requests.json", None),  # the last 90 days' fault reports, up to 1,000
    Page("Open311, 50 rows", "/open311/v2/requests.json?page_size=50", None),  # what an app's list asks for
]


@dataclass
class Fixture:
    """The rows of the generated data that the pages and personas refer to."""

    municipality_id: int
    unit_id: int
    unit_name: str
    members: int
    routines: int
    responsibilities: int
    leader: User
    registrar: User
    unit_cases: int
    cases: int
    params: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id,
            "unit_name": self.unit_name,
            "members": self.members,
            "routines": self.routines,
            "responsibilities": self.responsibilities,
            "leader": self.leader.username,
            "registrar": self.registrar.username,
            "unit_cases": self.unit_cases,
            "cases": self.cases,
        }


PERSONAS: dict[str, Callable[[Fixture], User]] = {
    "leader": lambda fixture: fixture.leader,
    "registrar": lambda fixture: fixture.registrar,
}


def fixture_load(*, municipality_code: str) -> Fixture:
    """The unit at the bottom of the tree that handles the most cases, with its leader; and the registrar.

    The leader's inbox then holds as many cases as a unit leader's can, and "Min sida" has cases due.
    """
    from brobygget.dialog.models import Case, Category
    from brobygget.organisation.models import Membership, Role, Unit

    busiest = (
        Case.objects.filter(municipality__code=municipality_code, unit__kind=Unit.Kind.TEAM)
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by("-n", "unit_id")
        .first()
    )
    if busiest is None:
        raise RuntimeError(f"No unit at the bottom of the tree has cases in municipality {municipality_code}.")
    unit = Unit.objects.annotate(
        n_members=Count("memberships", distinct=True),
        n_routines=Count("routines", distinct=True),
        n_responsibilities=Count("responsibilities", distinct=True),
    ).get(pk=busiest["unit_id"])
    leadership = Membership.objects.select_related("person__user").get(unit=unit, role=Role.LEADER)
    registration = (
        Membership.objects.select_related("person__user")
        .filter(unit__municipality_id=unit.municipality_id, role=Role.REGISTRAR)
        .order_by("pk")
        .first()
    )
    leader = leadership.person.user
    registrar = registration.person.user if registration else None
    if leader is None or registrar is None:
        raise RuntimeError(f"{unit.name} needs a leader with an account, and the municipality a registrar.")
    category = Category.objects.filter(unit=unit, is_active=True).order_by("pk").first()
    if category is None:
        raise RuntimeError(f"No active category is handled by {unit.name}.")
    return Fixture(
        municipality_id=unit.municipality_id,
        unit_id=unit.pk,
        unit_name=unit.name,
        members=unit.n_members,  # type: ignore[attr-defined]
        routines=unit.n_routines,  # type: ignore[attr-defined]
        responsibilities=unit.n_responsibilities,  # type: ignore[attr-defined]
        leader=leader,
        registrar=registrar,
        unit_cases=busiest["n"],
        cases=Case.objects.filter(municipality_id=unit.municipality_id).count(),
        params={"unit_id": unit.pk, "category_id": category.pk},
    )


def page_path(page: Page, fixture: Fixture) -> str:
    return page.path.format(**fixture.params)


_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def form_fields(page: Page, fixture: Fixture, page_html: str) -> dict[str, str]:
    """What a browser posts: the hidden fields of the page as shown, and the page's form filled in."""
    assert page.form is not None
    hidden = {name: html.unescape(value) for name, value in _HIDDEN.findall(page_html)}
    if "csrfmiddlewaretoken" not in hidden:
        raise RuntimeError(f"{page.name}: no CSRF token in the page at {page.path}")
    return {**hidden, **{name: value.format(**fixture.params) for name, value in page.form.items()}}


def baseline_for(page: Page, pages: list[Page]) -> Page:
    """The bare page requested as the same persona: a logged-in page is never compared with an anonymous bare view."""
    for candidate in pages:
        if candidate.bare and candidate.login_as == page.login_as:
            return candidate
    raise RuntimeError(
        f"{page.name}: PAGES needs a bare page requested as {page.login_as or 'nobody'} to compare with."
    )
