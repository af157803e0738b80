"""The open results of a scale municipality, for benchmarks: what staff have published to "Du sa – vi gjorde" and
"Våra mål", decided from the seed and written as plain rows after the goals (`manage.py demo_scale`).

- **Publications** (openresults.Publication): about one in five of the adopted improvements (Done, adopted or adopted
  with changes) raised from residents' cases, or, where the data links no cases to improvements (the scale data
  does not), of the adopted improvements of the units that handle cases; at least a dozen where there are that
  many. "Du sa" and "Vi gjorde" are made from the improvement's own problem, idea and value for the resident (no
  personal data), with the unit's categories and one or two principles, published by the unit's leader between
  an hour and three weeks after it was done; one in twenty is withdrawn again by the leader with a reason, so the
  public pages' filter on live publications matters. S 12, M ≈ 220, L ≈ 3,900.
- **Goal publications** (openresults.GoalPublication): the latest follow-up of the goals at the top of the tree
  (the vision, kommunfullmäktige's goals, the administrations' goals), of the departments' goals, of the first goal
  of every unit at the bottom (the one with an indicator) and of one in three of their second goals; never an
  activity. The goals above the units have no follow-ups in the scale data: each gets one for its latest span that
  has ended (as its responsible person would have written it) so that it can be published. The indicators are as
  the follow-up's snapshot holds them and `openresults.goals._public_indicator` publishes them (the municipality's
  own values for everyone up to the span's year, the period's target, the latest value and its colour), read in
  four queries for the whole municipality. A quarter of those with an earlier follow-up also have that one
  published and withdrawn (replaced), as publishing a newer follow-up does. S 12, M ≈ 440, L ≈ 2,150 live.
"""

import datetime
import json
import random
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any, Final

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone, translation

from brobygget.core.models import Municipality, Principle
from brobygget.demo.scale.goals import ANALYSIS, FOLLOW_UP_COLUMNS
from brobygget.demo.scale.rows import datetime_adapter, foreign_keys_checked_afterwards, next_id, rows_insert
from brobygget.dialog.models import Category
from brobygget.goals.followups import span_ends
from brobygget.goals.indicators import indicator_colour
from brobygget.goals.models import FollowUp, Goal, Indicator, IndicatorTarget, Level, Measurement, Period
from brobygget.improvement.models import Improvement, ImprovementCase, Outcome, Stage
from brobygget.openresults.cache import public_changed
from brobygget.openresults.goals import REASON_REPLACED, goal_placements
from brobygget.openresults.models import GoalPublication, Publication
from brobygget.organisation.models import Membership, Person, Role, Unit

PUBLISHED_SHARE: Final = 0.2
PUBLISHED_AT_LEAST: Final = 12
WITHDRAWN_SHARE: Final = 0.05
SECOND_TEAM_GOAL_SHARE: Final = 1 / 3
REPLACED_SHARE: Final = 0.25  # of the published goals with an earlier follow-up: that one published and replaced
HIGHER_STATUSES: Final = (
    FollowUp.Status.GREEN, FollowUp.Status.GREEN, FollowUp.Status.YELLOW, FollowUp.Status.YELLOW, FollowUp.Status.RED,
)  # fmt: skip
YOU_SAID: Final = (
    "Ni har hört av er till oss om det här: {problem}",
    "Flera av er har skrivit till oss om samma sak. {problem}",
    "{problem} Det har många av er påpekat i era synpunkter och klagomål.",
    "Ni har berättat för oss att det inte fungerade: {problem}",
)
WE_DID: Final = (
    "Det här har vi ändrat: {idea} {value}",
    "Vi har prövat ett nytt arbetssätt och behåller det. {idea} {value}",
    "Vi tog era synpunkter till vårt förbättringsarbete. {idea} Målet är enkelt: {value_lower}",
    "{idea} Vi följde upp resultatet och har nu gjort det till en rutin. {value}",
)
WITHDRAWN_REASONS: Final = (
    "Texten beskrev ändringen för brett. Vi publicerar en ny sammanfattning när arbetet är helt klart.",
    "Arbetssättet har ändrats igen efter uppföljningen, så texten stämmer inte längre.",
    "Sammanfattningen publicerades av misstag innan enheten hade gått igenom den.",
)
PUBLICATION_COLUMNS: Final = [
    "id", "municipality_id", "improvement_id", "unit_id", "unit_name", "title", "you_said", "we_did", "masked",
    "done_on", "published_by_id", "published_at", "withdrawn_by_id", "withdrawn_at", "withdrawn_reason",
]  # fmt: skip
GOAL_PUBLICATION_COLUMNS: Final = [
    "id", "municipality_id", "goal_id", "follow_up_id", "goal_path", "period_name", "level", "unit_name", "title",
    "description", "status", "analysis", "covers_until", "indicators", "masked", "published_by_id", "published_at",
    "withdrawn_by_id", "withdrawn_at", "withdrawn_reason", "section_id", "depth", "below",
]  # fmt: skip
TOP_LEVELS: Final = (Level.VISION.value, Level.COUNCIL.value, Level.COMMITTEE.value)


def openresults_scale_write(
    *, municipality: Municipality, size: str, seed: int, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Write the publications and goal publications of the scale municipality as plain rows in one transaction
    (after its improvements and goals); returns the counts. Deterministic for the size, the seed and `now`."""
    now = now or timezone.now()
    rng = random.Random(f"{size}-{seed}-openresults")
    tables: list[type[models.Model]] = [
        FollowUp,
        Publication,
        Publication.categories.through,
        Publication.principles.through,
        GoalPublication,
    ]
    with transaction.atomic(), foreign_keys_checked_afterwards(tables):
        counts = _publications_write(municipality, now, rng)
        counts |= _goal_publications_write(municipality, now, rng)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), tables):
                cursor.execute(statement)
        transaction.on_commit(public_changed)
    return counts


def _leaders(municipality: Municipality) -> dict[int, int]:
    return dict(
        Membership.objects.filter(unit__municipality=municipality, role=Role.LEADER).values_list("unit_id", "person_id")
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _between(
    rng: random.Random, start: datetime.datetime, hours: tuple[float, float], latest: datetime.datetime
) -> datetime.datetime:
    """A moment some hours after `start`, but not after `latest` (nor before `start`)."""
    return max(start, min(start + datetime.timedelta(hours=rng.uniform(*hours)), latest))


def _publications_write(municipality: Municipality, now: datetime.datetime, rng: random.Random) -> dict[str, int]:
    when, day = datetime_adapter(), connection.ops.adapt_datefield_value
    latest = now - datetime.timedelta(seconds=30)
    leaders = _leaders(municipality)
    unit_names = dict(Unit.objects.filter(municipality=municipality).values_list("pk", "name"))
    adopted = Improvement.objects.filter(
        municipality=municipality, stage=Stage.DONE, outcome__in=[Outcome.ADOPTED, Outcome.ADAPTED]
    )
    categories_of: dict[int, list[int]] = defaultdict(list)  # improvement or unit: its categories
    linked = list(
        ImprovementCase.objects.filter(improvement__in=adopted)
        .order_by("improvement_id", "case__category_id")
        .values_list("improvement_id", "case__category_id")
        .distinct()
    )
    if linked:  # the cases' categories, as the service publishes them
        for improvement_id, category_id in linked:
            categories_of[improvement_id].append(category_id)
        candidates = adopted.filter(pk__in=list(categories_of))
    else:  # no links in the data: the adopted improvements of the units that handle cases, with their categories
        for category_id, unit_id in (
            Category.objects.filter(municipality=municipality).order_by("pk").values_list("pk", "unit_id")
        ):
            categories_of[unit_id].append(category_id)
        candidates = adopted.filter(unit_id__in=list(categories_of))
    rows = list(
        candidates.order_by("pk").values_list(
            "pk", "unit_id", "title", "problem", "idea", "value_for_resident", "finished_at"
        )
    )
    count = min(len(rows), max(round(len(rows) * PUBLISHED_SHARE), PUBLISHED_AT_LEAST))
    chosen = sorted(rng.sample(rows, count))
    withdrawn_count = round(count * WITHDRAWN_SHARE) or (1 if count > 1 else 0)
    withdrawn = set(rng.sample(range(count), withdrawn_count))
    principles = list(Principle.objects.order_by("order").values_list("pk", flat=True))
    publication_id = next_id(Publication)
    category_id, principle_id = next_id(Publication.categories.through), next_id(Publication.principles.through)
    publication_rows: list[tuple[Any, ...]] = []
    category_rows: list[tuple[Any, ...]] = []
    principle_rows: list[tuple[Any, ...]] = []
    for number, (pk, unit_id, title, problem, idea, value, finished_at) in enumerate(chosen):
        leader = leaders[unit_id]
        assert finished_at is not None  # done
        you_said = rng.choice(YOU_SAID).format(problem=problem)
        we_did = rng.choice(WE_DID).format(idea=idea, value=value, value_lower=_lower_first(value))
        published = _between(rng, finished_at, (1, 21 * 24), latest)
        withdrawn_by = withdrawn_at = None
        reason = ""
        if number in withdrawn:
            withdrawn_by, reason = leader, rng.choice(WITHDRAWN_REASONS)
            withdrawn_at = when(_between(rng, published + datetime.timedelta(seconds=1), (1, 30 * 24), now))
        publication_rows.append(
            (
                publication_id, municipality.pk, pk, unit_id, unit_names[unit_id], title, you_said, we_did, "[]",
                day(timezone.localdate(finished_at)), leader, when(published), withdrawn_by, withdrawn_at, reason,
            )
        )  # fmt: skip
        for category in categories_of[pk if linked else unit_id]:
            category_rows.append((category_id, publication_id, category))
            category_id += 1
        for principle in sorted(rng.sample(principles, min(len(principles), rng.choice((1, 1, 2))))):
            principle_rows.append((principle_id, publication_id, principle))
            principle_id += 1
        publication_id += 1
    rows_insert(Publication, PUBLICATION_COLUMNS, publication_rows)
    rows_insert(Publication.categories.through, ["id", "publication_id", "category_id"], category_rows)
    rows_insert(Publication.principles.through, ["id", "publication_id", "principle_id"], principle_rows)
    return {
        "publications": len(publication_rows),
        "publications_withdrawn": len(withdrawn),
        "publication_categories": len(category_rows),
        "publication_principles": len(principle_rows),
    }


def _text(value: Decimal | None) -> str | None:
    """A number as the published indicators hold it: plain decimals ("60", "45.5"), never an exponent."""
    return None if value is None else format(value.normalize(), "f")


class _Indicators:
    """The indicators of the municipality's goals as a follow-up's snapshot holds them, read at once (four queries)
    and cut at a span's year for each publication."""

    def __init__(self, municipality: Municipality) -> None:
        self.of_goal: dict[int, list[Indicator]] = defaultdict(list)
        for indicator in Indicator.objects.filter(municipality=municipality, archived=False).order_by("name", "pk"):
            self.of_goal[indicator.goal_id].append(indicator)
        self.targets: dict[tuple[int, int], Decimal] = {
            (indicator_id, period_id): value
            for indicator_id, period_id, value in IndicatorTarget.objects.filter(
                indicator__municipality=municipality
            ).values_list("indicator_id", "period_id", "value")
        }
        self.values: dict[int, list[tuple[int, int, Decimal | None]]] = defaultdict(list)
        for indicator_id, year, month, value in (
            Measurement.objects.filter(indicator__municipality=municipality, gender=Measurement.Gender.TOTAL, area="")
            .order_by("indicator_id", "year", "month")
            .values_list("indicator_id", "year", "month", "value")
        ):
            self.values[indicator_id].append((year, month, value))

    def public(self, goal_id: int, period_id: int, until: datetime.date) -> list[dict[str, Any]]:
        """The goal's indicators as `openresults.goals._public_indicator` publishes a follow-up's up to `until`."""
        shown = []
        for indicator in self.of_goal.get(goal_id, []):
            points = [point for point in self.values.get(indicator.pk, []) if point[0] <= until.year]
            latest = next((value for _y, _m, value in reversed(points) if value is not None), None)
            shown.append(
                {
                    "name": indicator.name,
                    "unit_of_measure": indicator.unit_of_measure,
                    "direction": indicator.direction,
                    "source": indicator.source,
                    "baseline": _text(indicator.baseline),
                    "baseline_year": indicator.baseline_year,
                    "target": _text(self.targets.get((indicator.pk, period_id))),
                    "values": [[year, month, _text(value)] for year, month, value in points],
                    "latest": _text(latest),
                    "colour": indicator_colour(indicator, latest),
                }
            )
        return shown


def _goal_publications_write(municipality: Municipality, now: datetime.datetime, rng: random.Random) -> dict[str, int]:
    when, day = datetime_adapter(), connection.ops.adapt_datefield_value
    latest = now - datetime.timedelta(seconds=30)
    today = timezone.localdate(now)
    units = {pk: (kind, name) for pk, kind, name in Unit.objects.filter(municipality=municipality).values_list(
        "pk", "kind", "name"
    )}  # fmt: skip
    periods = {period.pk: period for period in Period.objects.filter(municipality=municipality)}
    names = {
        pk: f"{first} {last}"
        for pk, first, last in Person.objects.filter(municipality=municipality).values_list(
            "pk", "first_name", "last_name"
        )
    }
    goals = list(
        Goal.objects.filter(municipality=municipality, archived=False)
        .exclude(level=Level.ACTIVITY)
        .order_by("pk")
        .values_list("pk", "path", "level", "title", "description", "unit_id", "responsible_id", "period_id", "rhythm")
    )
    # (covers_until, id, status, analysis, submitted_at) per goal, the latest last.
    follow_ups: dict[int, list[tuple[datetime.date, int, str, str, datetime.datetime]]] = defaultdict(list)
    for goal_id, *rest in (
        FollowUp.objects.filter(goal__municipality=municipality)
        .exclude(goal__level=Level.ACTIVITY)
        .order_by("goal_id", "covers_until", "pk")
        .values_list("goal_id", "covers_until", "pk", "status", "analysis", "submitted_at")
    ):
        follow_ups[goal_id].append(tuple(rest))  # type: ignore[arg-type]

    # Which goals are published: the top of the tree and the departments' goals, the first goal of every unit at
    # the bottom and a third of their second ones.
    chosen = []
    teams_seen: set[int] = set()
    for goal in goals:
        level, unit_id = goal[2], goal[5]
        if level in TOP_LEVELS or units[unit_id][0] != Unit.Kind.TEAM:
            chosen.append(goal)
        elif unit_id not in teams_seen:
            teams_seen.add(unit_id)
            chosen.append(goal)
        elif rng.random() < SECOND_TEAM_GOAL_SHARE:
            chosen.append(goal)

    # The goals above the units have no follow-ups in the scale data: one for their latest span that has ended.
    follow_up_id = next_id(FollowUp)
    follow_up_rows: list[tuple[Any, ...]] = []
    limit = today - datetime.timedelta(days=3)
    for pk, _path, level, title, description, unit_id, responsible, period_id, rhythm in chosen:
        if follow_ups.get(pk) or level not in TOP_LEVELS:
            continue
        period = periods[period_id]
        ends = [end for end in span_ends(rhythm, period.start, period.end) if end <= limit]
        if not ends:
            continue
        covers_until = ends[-1]
        status = rng.choice(HIGHER_STATUSES)
        analysis = ANALYSIS if status in (FollowUp.Status.YELLOW, FollowUp.Status.RED) else ""
        snapshot = {
            "goal": {
                "id": pk, "title": title, "description": description, "level": level, "unit": units[unit_id][1],
                "responsible": names[responsible], "period": period.name, "rhythm": rhythm,
            },
            "covers_until": covers_until.isoformat(), "status": status, "analysis": analysis,
            "submitted_by": names[responsible], "indicators": [],
            "rollup": {"status": None, "reason": "", "children": []},
        }  # fmt: skip
        submitted = timezone.make_aware(datetime.datetime.combine(covers_until, datetime.time(15)))
        follow_up_rows.append(
            (follow_up_id, pk, day(covers_until), status, analysis, json.dumps(snapshot), responsible, when(submitted))
        )
        follow_ups[pk].append((covers_until, follow_up_id, status, analysis, submitted))
        follow_up_id += 1
    rows_insert(FollowUp, FOLLOW_UP_COLUMNS, follow_up_rows)

    indicators = _Indicators(municipality)
    with translation.override(settings.LANGUAGE_CODE):
        replaced_reason = str(REASON_REPLACED)
    publication_id = next_id(GoalPublication)
    rows: list[tuple[Any, ...]] = []
    live = replaced = 0
    for pk, path, level, title, description, unit_id, responsible, period_id, _rhythm in chosen:
        spans = follow_ups.get(pk)
        if not spans:
            continue
        published_spans = [spans[-1]]
        if len(spans) > 1 and rng.random() < REPLACED_SHARE:
            published_spans.insert(0, spans[-2])
        published_at: list[datetime.datetime] = []
        for _covers_until, _id, _status, _analysis, submitted in published_spans:
            after = max(submitted, published_at[-1] + datetime.timedelta(seconds=1)) if published_at else submitted
            published_at.append(_between(rng, after, (1, 10 * 24), latest))
        for number, (covers_until, follow_up_pk, follow_up_status, analysis, _submitted) in enumerate(published_spans):
            newer = number + 1 < len(published_spans)
            withdrawn_by, withdrawn_at, reason = None, None, ""
            if newer:  # replaced when the newer follow-up was published
                next_covers_until = published_spans[number + 1][0]
                withdrawn_by, withdrawn_at = responsible, when(published_at[number + 1])
                reason = replaced_reason % {"date": next_covers_until.isoformat()}
            rows.append(
                (
                    publication_id, municipality.pk, pk, follow_up_pk, path, periods[period_id].name, level,
                    units[unit_id][1], title, description, follow_up_status, analysis, day(covers_until),
                    json.dumps(indicators.public(pk, period_id, covers_until)), "[]", responsible,
                    when(published_at[number]), withdrawn_by, withdrawn_at, reason,
                )
            )  # fmt: skip
            publication_id += 1
            replaced += newer
            live += not newer
    # Where each live one is listed, as publishing places it (a replaced one keeps no place).
    placed = goal_placements((row[0], row[4], row[6]) for row in rows if row[18] is None)
    below = Counter(section for section, _depth in placed.values() if section is not None)
    rows = [(*row, *placed.get(row[0], (None, 0)), below[row[0]]) for row in rows]
    rows_insert(GoalPublication, GOAL_PUBLICATION_COLUMNS, rows)
    return {
        "goal_publications": live,
        "goal_publications_replaced": replaced,
        "goal_follow_ups_above_units": len(follow_up_rows),
    }
