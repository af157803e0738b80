"""What the benchmark requests: one line per page, and the people it logs in as.

Every staff and public page is here, each requested as the person who sees the most on it (the registrar; the
leader of the busiest unit where a leader's view differs). To measure a new page, add one `Page` to `PAGES`. Its
path may name a value of the fixture in braces (`{unit_id}`); `login_as` names a persona of `PERSONAS` (None:
anonymous). Every page is compared with the bare view requested as the same persona, so each persona needs its
bare `Page` (e.g. `Page("bare, anonymous", BARE_PATH, None, bare=True)`); a page whose persona has none is
refused. `queries` is the most queries the page may ask, whatever the size of the data: the same figure at every
size is what shows that the count does not grow with the data.

The resident form's POST is not a page here: a showing of the form gives one case, so it cannot be replayed;
bench/submissions.py sends each submission from its own showing and judges the POST by throughput.
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

FORM_PATH = "/lamna-synpunkt/"
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
# What the search is asked for: a word of one kind of learning in twelve and of one kind of improvement in fifteen
# (demo/scale/words.py), so found in some thousands at size M and tens of thousands at L.
SEARCH_WORD = "schemat"


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # may contain {unit_id} and the other keys of Fixture.params
    login_as: str | None = "leader"
    bare: bool = False
    queries: int = 0  # the most queries one request may ask (in-process, warm), at every size
    form: dict[str, str] | None = None  # a POST of these fields and the page's hidden ones
    expect: int = 200  # the status of a successful answer

    @property
    def method(self) -> str:
        return "GET" if self.form is None else "POST"


PAGES: list[Page] = [
    Page("bare view", BARE_PATH, "leader", bare=True),
    Page("bare, registrar", BARE_PATH, "registrar", bare=True),
    Page("bare, anonymous", BARE_PATH, None, bare=True),  # shows what the session of a login costs
    # Staff pages.
    # The dialog's sections: a leader's units' cases (2 queries) and one's choice of mail about cases (1).
    Page("Min sida, leader", "/min-sida/", "leader", queries=16),
    Page("Min sida, registrar", "/min-sida/", "registrar", queries=13),
    Page("inbox, leader", "/arenden/", "leader", queries=10),
    Page("inbox, registrar", "/arenden/", "registrar", queries=9),  # every case of the municipality
    Page("case, leader", "/arenden/{case_id}/", "leader", queries=13),
    Page("case, registrar", "/arenden/{case_id}/", "registrar", queries=13),
    Page("statistics, leader", "/arenden/statistik/", "leader", queries=8),
    Page("statistics, registrar", "/arenden/statistik/", "registrar", queries=8),  # twelve months of all
    Page("unit page", "/organisation/enheter/{unit_id}/", "leader", queries=11),
    Page("unit page, registrar", "/organisation/enheter/{root_unit_id}/", "registrar", queries=11),
    Page("principles, registrar", "/principer/", "registrar", queries=8),  # staff see what is linked
    # Improvement work: the unit's board, its weekly meeting and figures, an improvement, the search.
    Page("board, leader", "/forbattringar/enheter/{unit_id}/", "leader", queries=8),
    Page("meeting, leader", "/forbattringar/enheter/{unit_id}/mote/", "leader", queries=10),
    Page("figures, leader", "/forbattringar/enheter/{unit_id}/siffror/", "leader", queries=12),
    Page("improvement, leader", "/forbattringar/{improvement_id}/", "leader", queries=13),
    Page("search, registrar", f"/forbattringar/lardomar/?q={SEARCH_WORD}", "registrar", queries=12),
    Page("search, leader", "/forbattringar/lardomar/", "leader", queries=14),  # no words: the latest first
    Page("password, registrar", "/konto/losenord/", "registrar", queries=5),
    # Goals: a förvaltning's dashboard and the whole tree rolled up at the top, as the registrar; a goal of the unit.
    Page("goal dashboard, registrar", "/mal/enheter/{administration_id}/oversikt/", "registrar", queries=13),
    Page("goal roll-up, registrar", "/mal/enheter/{root_unit_id}/oversikt/", "registrar", queries=13),
    Page(
        "goal page, leader", "/mal/{goal_id}/", "leader", queries=16
    ),  # its follow-ups, indicators, improvements, Våra mål
    # Public pages.
    Page("start page", "/", None, queries=0),
    Page("form", FORM_PATH, None, queries=0),
    Page("tracking page", "/arende/{case_number}/{case_key}/", None, queries=4),  # 3 without photos, 4 with some
    Page("receipt", "/arende/{case_number}/{case_key}/kvitto/", None, queries=1),
    Page("principles", "/principer/", None, queries=1),
    Page("login", "/konto/logga-in/", None, queries=0),
    Page("password reset", "/konto/glomt-losenord/", None, queries=0),
    # Open results, kept in the public cache (the cold figures show what a miss costs).
    Page("you said, we did", "/resultat/du-sa-vi-gjorde/", None, queries=1),
    Page("promises kept", "/resultat/loften/", None, queries=1),
    Page("feedback in figures", "/resultat/siffror/", None, queries=1),
    Page("our goals", "/resultat/vara-mal/", None, queries=1),
    Page("healthz", "/healthz", None, queries=4),
    Page("Open311 discovery", "/open311/discovery.json", None, queries=0),
    Page("Open311 services", "/open311/v2/services.json", None, queries=0),  # kept a minute, as the lists
    Page("Open311 service", "/open311/v2/services/{service_code}.json", None, queries=0),
    Page("Open311 list", "/open311/v2/requests.json", None, queries=0),  # 90 days' faults, up to 1,000
    Page("Open311, 50 rows", "/open311/v2/requests.json?page_size=50", None, queries=0),  # an app's list
    Page("Open311 request", "/open311/v2/requests/{request_number}.json", None, queries=0),
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
    unit_improvements: int
    board_cards: int
    improvement_moves: int
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
            "unit_improvements": self.unit_improvements,
            "board_cards": self.board_cards,
            "improvement_moves": self.improvement_moves,
        }


PERSONAS: dict[str, Callable[[Fixture], User]] = {
    "leader": lambda fixture: fixture.leader,
    "registrar": lambda fixture: fixture.registrar,
}


def fixture_load(*, municipality_code: str) -> Fixture:
    """The unit at the bottom of the tree that handles the most cases, with its leader; and the registrar.

    The leader's inbox then holds as many cases as a unit leader's can, and "Min sida" has cases due. The case
    page shows the unit's case with the longest history; Open311 shows the newest fault report. The board,
    meeting and figures are that unit's, and the improvement page its improvement with the most moves.
    """
    from brobygget.dialog.models import Case, Category, Kind
    from brobygget.dialog.tracking import tracking_key
    from brobygget.goals.models import Goal
    from brobygget.improvement.models import Improvement, Stage
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
    case = Case.objects.filter(unit=unit).annotate(n=Count("entries")).order_by("-n", "-pk").first()
    fault = (
        Case.objects.filter(municipality_id=unit.municipality_id, kind=Kind.FAULT_REPORT)
        .order_by("-submitted_at", "-pk")
        .first()
    )
    if case is None or fault is None:
        raise RuntimeError(f"{unit.name} needs a case, and the municipality a fault report.")
    root = Unit.objects.filter(municipality_id=unit.municipality_id, parent=None).order_by("pk").first()
    administration = (
        Unit.objects.filter(
            pk__in=[int(part) for part in unit.path.strip("/").split("/")], kind=Unit.Kind.ADMINISTRATION
        )
        .order_by("-pk")
        .first()
    )
    goal = (
        Goal.objects.filter(unit=unit, archived=False)
        .annotate(n=Count("indicators", distinct=True) + Count("children", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    if administration is None or goal is None:
        raise RuntimeError(f"{unit.name} needs goals, under an administration with goals.")
    improvement = (
        Improvement.objects.filter(unit=unit).annotate(n=Count("moves")).order_by("-n", "-pk").values("pk", "n").first()
    )
    # On the board: those still on the wheel (and those done lately, which a week after the data is made are few).
    cards = Improvement.objects.filter(unit=unit).exclude(stage=Stage.DONE).count()
    if improvement is None or not cards:
        raise RuntimeError(f"{unit.name} needs improvements on its board.")
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
        unit_improvements=Improvement.objects.filter(unit=unit).count(),
        board_cards=cards,
        improvement_moves=improvement["n"],
        params={
            "unit_id": unit.pk,
            "root_unit_id": root.pk if root else unit.pk,
            "category_id": category.pk,
            "case_id": case.pk,
            "case_number": case.number,
            "case_key": tracking_key(case),
            "service_code": category.code,
            "request_number": fault.number,
            "improvement_id": improvement["pk"],
            "administration_id": administration.pk,
            "goal_id": goal.pk,
        },
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
