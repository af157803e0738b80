"""The demo's indicators: on the goals of the demo's goal tree (demo/goals.py), some entered by hand with targets and
thresholds, and two filled from Kolada, from answers recorded with the demo (demo/kolada/*.json) and replayed through
the very code the sync uses (`kolada_connect` with the client's file-backed transport): no network is needed.

Sjöbacka is fictional (its Kolada id is its code, 9999), and so are its two "similar municipalities" (9998, 9997):
the recorded answers have the shape of Kolada's (paged by next_url, genders, a null, an isdeleted row), but the figures
of Sjöbacka and its neighbours are made up; Riket's are of the order of the real ones.

Each indicator is put on the first goal of the named unit in the running period (the goal tree is g2's demo/goals.py);
one whose unit has no goal there is passed over, so the two files can change without breaking each other."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from brobygget.core.models import Municipality
from brobygget.demo.improvement import Actors
from brobygget.goals import importing, indicators
from brobygget.goals.indicators import IndicatorInput, MeasurementInput
from brobygget.goals.kolada.client import FileTransport, KoladaClient
from brobygget.goals.kolada.sync import kolada_connect
from brobygget.goals.models import Goal, Indicator, KoladaSetup, Period
from brobygget.goals.selectors import current_period, periods
from brobygget.organisation.models import Person

RECORDED = Path(__file__).parent / "kolada"
RECORDED_BASE_URL = "https://api.kolada.se/v3"
DEMO_GROUP = ("Liknande kommuner (påhittade)", "9998, 9997")

D = Decimal


def recorded_client() -> KoladaClient:
    """A Kolada client that answers from the recordings kept with the demo."""
    return KoladaClient(
        base_url=RECORDED_BASE_URL,
        transport=FileTransport(RECORDED, RECORDED_BASE_URL),
        requests_per_second=0,
        retries=0,
    )


@dataclass(frozen=True)
class Manual:
    unit: str  # the unit whose first goal gets it
    by: str  # the employee number of the leader who adds it
    owner: str
    name: str
    unit_of_measure: str
    direction: str
    green_from: Decimal
    red_from: Decimal
    baseline: Decimal
    target: Decimal
    # Yearly values, oldest first, ending last year (the baseline is the first of them)
    yearly: tuple[Decimal, ...] = ()
    # Monthly values, oldest first, ending last month; None: not counted that month (no value, never 0)
    monthly: tuple[Decimal | None, ...] = ()
    source: str = Indicator.Source.MANUAL


HIGHER, LOWER = Indicator.Direction.HIGHER, Indicator.Direction.LOWER

MANUAL: tuple[Manual, ...] = (
    Manual(
        "GP-PARK",
        "1030",
        "1031",
        "Andel nöjda besökare i parkerna",
        "%",
        HIGHER,
        D(80),
        D(65),
        D("69.0"),
        D(82),
        yearly=(D("69.0"), D("71.5"), D("76.2")),
    ),
    Manual(
        "GP-PARK",
        "1030",
        "1032",
        "Felanmälningar om lekplatser per månad",
        "antal",
        LOWER,
        D(10),
        D(20),
        D(24),
        D(8),
        monthly=(D(21), D(17), D(12), None, D(9), D(10), D(14)),
        source=Indicator.Source.FILE,
    ),
    Manual(
        "FSK-SOL",
        "1013",
        "1014",
        "Andel föräldrar som rekommenderar förskolan",
        "%",
        HIGHER,
        D(90),
        D(75),
        D(84),
        D(92),
        yearly=(D(84), D("88.5")),
    ),
    Manual(
        "HT-N",
        "1024",
        "1025",
        "Antal olika personal som en brukare möter under 14 dagar",
        "antal",
        LOWER,
        D(12),
        D(16),
        D(17),
        D(12),
        yearly=(D(17), D(14)),
    ),
)


def points(spec: Manual, today: datetime.date) -> list[tuple[int, int, Decimal | None]]:
    """The spec's values as (year, month, value), all in the past: the years up to last year, the months up to last
    month (month 0: the whole year)."""
    found: list[tuple[int, int, Decimal | None]] = [
        (today.year - len(spec.yearly) + index, 0, value) for index, value in enumerate(spec.yearly)
    ]
    for back, value in enumerate(reversed(spec.monthly), start=1):
        months = today.year * 12 + today.month - 1 - back
        found.append((months // 12, months % 12 + 1, value))
    return sorted(found)


# (unit, leader who connects it, Kolada KPI)
KOLADA: tuple[tuple[str, str, str], ...] = (("KS", "1001", "N01951"), ("GSK", "1018", "N15413"))


def _goal(municipality: Municipality, period: Period | None, unit_code: str) -> Goal | None:
    if period is None:
        return None
    return (
        Goal.objects.filter(municipality=municipality, period=period, unit__code=unit_code, archived=False)
        .select_related("unit", "period")
        .order_by("path")
        .first()
    )


def demo_indicators_load(
    municipality: Municipality, people: dict[str, Person], *, client: KoladaClient | None = None
) -> list[Indicator]:
    """The demo's indicators on its goal tree, written through the services by the units' leaders; returns them."""
    KoladaSetup.objects.get_or_create(
        municipality=municipality, defaults={"group_name": DEMO_GROUP[0], "group_ids": DEMO_GROUP[1]}
    )
    today = timezone.localdate()
    row = current_period(periods(municipality_id=municipality.pk), today)
    period = Period.objects.get(pk=row.pk) if row else None
    actors = Actors(people)
    made: list[Indicator] = []
    for spec in MANUAL:
        goal = _goal(municipality, period, spec.unit)
        if goal is None:
            continue
        actor = actors(spec.by)
        values = points(spec, today)
        indicator = indicators.indicator_create(
            actor=actor,
            goal=goal,
            data=IndicatorInput(
                name=spec.name,
                owner_id=people[spec.owner].pk,
                unit_of_measure=spec.unit_of_measure,
                direction=spec.direction,
                baseline=spec.baseline,
                baseline_year=min(year for year, _month, _value in values),
                green_from=spec.green_from,
                red_from=spec.red_from,
                source=spec.source,
            ),
        )
        indicators.target_set(actor=actor, indicator=indicator, period=goal.period, value=spec.target)
        if spec.source == Indicator.Source.FILE:
            # Imported as a unit would import its system's export: a file, every row checked, all or nothing.
            lines = ["indikator;år;månad;värde"] + [
                f"{spec.name};{year};{month or ''};{indicators.decimal_format(value) if value is not None else '-'}"
                for year, month, value in values
            ]
            outcome = importing.measurements_import(
                actor=actor, goal=goal, data="\n".join(lines).encode(), file_name="felanmalningar.csv"
            )
            assert not outcome.errors, outcome.errors
        else:
            for year, month, value in values:
                indicators.measurement_record(
                    actor=actor, indicator=indicator, data=MeasurementInput(year=year, value=value, month=month)
                )
        made.append(indicator)
    client = client or recorded_client()
    for unit_code, by, kpi in KOLADA:
        goal = _goal(municipality, period, unit_code)
        if goal is None:
            continue
        indicator = kolada_connect(actor=actors(by), goal=goal, kpi=kpi, client=client, now=timezone.now())
        if kpi == "N15413":
            # The school's leaders set what they aim for: thresholds and a target, as for any indicator.
            data = IndicatorInput(
                name=indicator.name,
                owner_id=indicator.owner_id,
                direction=HIGHER,
                green_from=D(228),
                red_from=D(215),
                baseline=D("222.8"),
                baseline_year=2023,
                source=Indicator.Source.KOLADA,
            )
            indicator = indicators.indicator_update(actor=actors(by), indicator=indicator, data=data)
            indicators.target_set(actor=actors(by), indicator=indicator, period=goal.period, value=D(230))
        made.append(indicator)
    return made
