"""The sizes of scale data: what each size holds, and the counts a generation of it writes."""

from dataclasses import dataclass
from typing import Final

SCALE_PASSWORD: Final = "brobygget-skala"  # noqa: S105 - documented benchmark login, refused when DEBUG is off
DEFAULT_SEED: Final = 2026
BATCH_SIZE: Final = 2000
AUDIT_ACTION: Final = "demo.scale_generated"


@dataclass(frozen=True)
class SizeSpec:
    """The shape of a generated municipality. People include the one leader of every unit."""

    label: str
    municipality_name: str
    municipality_code: str  # 90xx: not a real SCB code (real codes run from 0114 to 2584)
    administrations: int
    departments_per_administration: int
    teams_per_department: int
    people: int
    description: str
    cases: int  # exactly this many, spread over the last `case_years` years
    case_years: int
    improvements: int = 0  # exactly this many on the boards of the units at the bottom, over IMPROVEMENT_YEARS
    learnings: int = 0  # exactly this many, over IMPROVEMENT_YEARS

    @property
    def units(self) -> int:
        departments = self.administrations * self.departments_per_administration
        return 1 + self.administrations + departments + departments * self.teams_per_department

    @property
    def teams(self) -> int:
        return self.administrations * self.departments_per_administration * self.teams_per_department


SIZES: Final[dict[str, SizeSpec]] = {
    "S": SizeSpec("S", "Skalkommun S", "9001", 1, 1, 3, 15, "one team: a root, a few units, 15 staff", 200, 1, 50, 200),
    "M": SizeSpec(
        "M", "Skalkommun M", "9002", 6, 5, 9, 3000, "a municipality of 40,000 residents", 50_000, 5, 5_000, 20_000
    ),
    "L": SizeSpec(
        "L", "Skalkommun L", "9003", 12, 8, 15, 40000, "a city of 1,000,000 residents", 1_000_000, 5, 200_000, 500_000
    ),
}
RESPONSIBILITIES_PER_TEAM: Final = 2
AREAS_PER_ADMINISTRATION: Final = 5  # one category per department area of each administration
OPEN311_APPS: Final = ["Felanmälan-appen", "Stadskartan", "Tyck till om din kommun"]
IMPROVEMENT_YEARS: Final = 5  # improvements, learnings and deviations are spread over the last five years
# Deviations per unit at the bottom of the tree, in this order of states: two waiting for triage, two made into
# learnings, two into improvements, two closed.
DEVIATION_STATES: Final = ("new", "new", "learning", "learning", "improvement", "improvement", "closed", "closed")


def expected_counts(size: str) -> dict[str, int]:
    """The rows `scale_generate` creates for a size (independent of the seed)."""
    spec = SIZES[size]
    return {
        "units": spec.units,
        "people": spec.people,
        "users": spec.people,
        "memberships": spec.people,
        "leaders": spec.units,
        "registrars": 1,
        "responsibilities": spec.teams * RESPONSIBILITIES_PER_TEAM,
        "routines": spec.units,
        "categories": spec.administrations * AREAS_PER_ADMINISTRATION,
        "open311_clients": len(OPEN311_APPS),
        "cases": spec.cases,
        "improvements": spec.improvements,
        "learnings": spec.learnings,
        "deviations": spec.teams * len(DEVIATION_STATES),
    }


def scale_open311_key(size: str) -> str:
    """The documented API key of the first Open311 app of a size (scale-m-open311-key): benchmark data only."""
    return f"scale-{size.lower()}-open311-key"
