"""What the benchmark requests: one line per page, and the people it logs in as.

To measure a new page, add one `Page` to `PAGES`. Its path may name a value of the fixture in braces
(`{unit_id}`); `login_as` names a persona of `PERSONAS` (None: anonymous). Every page is compared
with the bare view requested as the same persona (add a bare `Page` for a new persona, e.g.
`Page("bare, anonymous", BARE_PATH, None, bare=True)` before anonymous pages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q

if TYPE_CHECKING:
    from django.contrib.auth.models import User

BARE_PATH = "/bench/bare/"


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # may contain {unit_id} and the other keys of Fixture.params
    login_as: str | None = "leader"
    bare: bool = False


PAGES: list[Page] = [
    Page("bare view", BARE_PATH, "leader", bare=True),
    Page("bare, anonymous", BARE_PATH, None, bare=True),  # shows what the session of a login costs
    Page("unit page", "/organisation/enheter/{unit_id}/", "leader"),
    Page("Min sida", "/min-sida/", "leader"),
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
    params: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id,
            "unit_name": self.unit_name,
            "members": self.members,
            "routines": self.routines,
            "responsibilities": self.responsibilities,
            "leader": self.leader.username,
        }


PERSONAS: dict[str, Callable[[Fixture], User]] = {
    "leader": lambda fixture: fixture.leader,
}


def fixture_load(*, municipality_code: str) -> Fixture:
    """A typical unit at the bottom of the tree (median size) with its leader, members and routines."""
    from brobygget.organisation.models import Membership, Role, Unit

    teams = list(
        Unit.objects.filter(municipality__code=municipality_code, kind=Unit.Kind.TEAM)
        .annotate(
            n_members=Count("memberships", distinct=True),
            n_leaders=Count("memberships", filter=Q(memberships__role=Role.LEADER), distinct=True),
            n_routines=Count("routines", distinct=True),
            n_responsibilities=Count("responsibilities", distinct=True),
        )
        .filter(n_leaders=1, n_members__gte=2, n_routines__gte=1)
        .order_by("n_members", "pk")
    )
    if not teams:
        raise RuntimeError(f"No unit with a leader, members and routines in municipality {municipality_code}.")
    unit = teams[len(teams) // 2]
    leadership = Membership.objects.select_related("person__user").get(unit=unit, role=Role.LEADER)
    leader = leadership.person.user
    if leader is None:
        raise RuntimeError(f"The leader of {unit.name} has no account.")
    return Fixture(
        municipality_id=unit.municipality_id,
        unit_id=unit.pk,
        unit_name=unit.name,
        members=unit.n_members,  # type: ignore[attr-defined]
        routines=unit.n_routines,  # type: ignore[attr-defined]
        responsibilities=unit.n_responsibilities,  # type: ignore[attr-defined]
        leader=leader,
        params={"unit_id": unit.pk},
    )


def page_path(page: Page, fixture: Fixture) -> str:
    return page.path.format(**fixture.params)


def baseline_for(page: Page, pages: list[Page]) -> Page:
    """The bare page requested as the same persona, else the first bare page."""
    bares = [p for p in pages if p.bare]
    if not bares:
        raise RuntimeError("PAGES needs at least one bare page to compare with.")
    return next((p for p in bares if p.login_as == page.login_as), bares[0])
