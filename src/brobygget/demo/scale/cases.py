"""The cases of a scale plan, decided one at a time in the order they came in: when, what about, how far."""

import datetime
import random
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import Final

from django.utils import timezone

from brobygget.core.calendar import add_working_days
from brobygget.demo.dialog import ANSWERS
from brobygget.demo.scale.plan import (
    ScalePlan,
)
from brobygget.demo.scale.sizes import (
    OPEN311_APPS,
)
from brobygget.demo.scale.words import (
    CASE_TEXTS,
    FIRST_NAMES,
    LAST_NAMES,
    PLACES,
    REJECTION_REASON,
    STREETS,
)
from brobygget.dialog.models import (
    Case,
    Kind,
    Status,
)
from brobygget.dialog.numbering import case_number_format
from brobygget.dialog.services import DEFAULT_ACKNOWLEDGE_DAYS

# When residents write: per hour of the day (local time), and a weekend day keeps about half of a weekday's cases.
HOUR_WEIGHTS: Final = [1, 1, 1, 1, 1, 2, 4, 10, 14, 15, 14, 12, 11, 12, 12, 11, 10, 9, 9, 10, 10, 8, 5, 2]
WEEKEND_KEEP: Final = 0.45
OTHER_KINDS: Final = [
    (Kind.COMPLAINT.value, 30),
    (Kind.SUGGESTION.value, 22),
    (Kind.QUESTION.value, 25),
    (Kind.PRAISE.value, 15),
]
# A case whose answer-by date has passed is still open with this probability, by its age in days: recent
# misses are common, old forgotten cases rare. Everything else that is past its date is answered or closed.
STILL_OPEN_AFTER_DUE: Final = (0.05, 0.005, 0.0005)  # up to 90 days old, up to a year, older
SJOBACKA: Final = (59.3793, 17.0290)  # where the fictional places are, roughly


@dataclass(slots=True)
class PlannedCase:
    """One case as the services would have left it; indexes point into the plan (categories, people, OPEN311_APPS)."""

    year: int
    sequence: int
    kind: str
    category: int
    unit: int
    status: str
    source: str
    open311_app: int | None
    assignee: int | None
    text: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    contact_name: str
    contact_email: str
    contact_phone: str
    wants_answer: bool
    language: str
    submitted_at: datetime.datetime
    acknowledge_due: datetime.date
    answer_due: datetime.date
    acknowledged_at: datetime.datetime | None = None
    answered_at: datetime.datetime | None = None
    closed_at: datetime.datetime | None = None
    rejection_reason: str = ""
    resolved: bool | None = None
    resolved_answered_at: datetime.datetime | None = None
    answer: str = ""  # the text of its one answer entry (CaseEntry); empty when it has none
    answered_by: int | None = None  # person index: the case handler, else the unit's leader
    answer_at: datetime.datetime | None = None  # when that entry was written

    @property
    def number(self) -> str:
        return case_number_format(year=self.year, sequence=self.sequence)

    @property
    def updated_at(self) -> datetime.datetime:
        moments = (self.acknowledged_at, self.answered_at, self.closed_at, self.resolved_answered_at)
        return max([self.submitted_at, *(m for m in moments if m is not None)])


def _moments(plan: ScalePlan, rng: random.Random, now: datetime.datetime) -> list[int]:
    """When each case came in, sorted, as local seconds since 0001-01-01: numbers follow this order."""
    spec = plan.spec
    local_now = timezone.localtime(now)
    latest = local_now - datetime.timedelta(minutes=5)
    latest_key = latest.date().toordinal() * 86400 + latest.hour * 3600 + latest.minute * 60 + latest.second
    today = local_now.date().toordinal()
    days = spec.case_years * 365
    hours = list(accumulate(HOUR_WEIGHTS))
    keys: list[int] = []
    while len(keys) < spec.cases:
        day = today - rng.randrange(days)
        if (day + 6) % 7 >= 5 and rng.random() > WEEKEND_KEEP:  # (ordinal + 6) % 7 is the weekday
            continue
        key = day * 86400 + bisect(hours, rng.random() * hours[-1]) * 3600 + rng.randrange(3600)
        if key <= latest_key:
            keys.append(key)
    keys.sort()
    return keys


def scale_cases(plan: ScalePlan, *, now: datetime.datetime) -> Iterator[PlannedCase]:
    """The cases of a plan in the order they came in, numbered per (local) year from 1 without gaps.

    Deterministic for the plan and `now`. Cases still within their promise are mostly open; older ones are
    answered or closed, apart from a few forgotten ones (overdue). Due dates are computed with the working-day
    calendar once per day and number of days (a few thousand calls for a million cases). Moments are in UTC.

    A million cases pass through this loop, so it is written for speed: `pick` instead of `rng.choice`, the
    constants bound to local names, the day's start and due dates looked up rather than computed."""
    spec = plan.spec
    rng = random.Random(f"{spec.label}-{plan.seed}-cases")
    random_ = rng.random
    zone = timezone.get_current_timezone()
    today = timezone.localdate(now)
    latest = now.astimezone(datetime.UTC) - datetime.timedelta(minutes=1)
    members = plan.members_of()
    categories = plan.categories
    category_weights = list(accumulate(c.weight for c in categories))
    other_kinds = [kind for kind, _weight in OTHER_KINDS]
    other_weights = list(accumulate(weight for _kind, weight in OTHER_KINDS))
    open311_weights = list(accumulate([6, 3, 1][: len(OPEN311_APPS)]))
    fault_report, received = Kind.FAULT_REPORT.value, Status.RECEIVED.value
    web, open311 = Case.Source.WEB.value, Case.Source.OPEN311.value
    mail_domain = f"skalkommun-{spec.label.lower()}.example"
    texts = {kind: list(texts) for kind, texts in CASE_TEXTS.items()}
    days: dict[int, tuple[datetime.date, datetime.datetime]] = {}  # ordinal: the day, its local start in UTC
    due_dates: dict[int, datetime.date] = {}  # ordinal * 64 + working days: the due date

    def pick[T](items: Sequence[T]) -> T:
        return items[int(random_() * len(items))]

    def due(ordinal: int, day: datetime.date, working_days: int) -> datetime.date:
        key = ordinal * 64 + working_days
        found = due_dates.get(key)
        if found is None:
            found = due_dates[key] = add_working_days(day, working_days)
        return found

    def later(start: datetime.datetime, low_hours: float, high_hours: float) -> datetime.datetime:
        moment = start + datetime.timedelta(seconds=(low_hours + (high_hours - low_hours) * random_()) * 3600)
        return moment if moment < latest else latest

    sequences: dict[int, int] = {}
    for key in _moments(plan, rng, now):
        ordinal = key // 86400
        if ordinal not in days:
            local = datetime.date.fromordinal(ordinal)
            start = datetime.datetime(local.year, local.month, local.day, tzinfo=zone).astimezone(datetime.UTC)
            days[ordinal] = (local, start)
        day, day_start = days[ordinal]
        submitted = day_start + datetime.timedelta(seconds=key % 86400)
        year = day.year
        sequences[year] = sequence = sequences.get(year, 0) + 1
        index = bisect(category_weights, random_() * category_weights[-1])
        index = min(index, len(categories) - 1)
        category = categories[index]
        fault = random_() < category.fault_share
        kind = fault_report if fault else other_kinds[bisect(other_weights, random_() * other_weights[-1])]
        if fault and category.fault_answer_days is not None:
            acknowledge_days, answer_days = 1, category.fault_answer_days  # as services.promise_for chooses
        else:
            acknowledge_days, answer_days = DEFAULT_ACKNOWLEDGE_DAYS, category.answer_days
        place, street = pick(PLACES), pick(STREETS)
        app = bisect(open311_weights, random_() * open311_weights[-1]) if fault and random_() < 0.2 else None
        email = f"invanare-{year}-{sequence}@{mail_domain}" if random_() < 0.7 else ""
        latitude = longitude = None
        if fault and random_() < 0.6:
            latitude = Decimal(f"{SJOBACKA[0] + (random_() - 0.5) * 0.12:.6f}")
            longitude = Decimal(f"{SJOBACKA[1] + (random_() - 0.5) * 0.2:.6f}")
        case = PlannedCase(
            year,
            sequence,
            kind,
            index,
            category.unit,
            received,
            open311 if app is not None else web,
            app,
            None,
            pick(texts[kind]).format(place=place, street=street),
            f"{street} {1 + int(random_() * 60)}, {place}" if fault or random_() < 0.15 else "",
            latitude,
            longitude,
            f"{pick(FIRST_NAMES)} {pick(LAST_NAMES)}" if random_() < 0.5 else "",
            email,
            f"07{int(random_() * 10)}-{1_000_000 + int(random_() * 9_000_000)}" if random_() < 0.15 else "",
            bool(email) and random_() < 0.85,
            "en" if random_() < 0.04 else "sv",
            submitted,
            due(ordinal, day, acknowledge_days),
            due(ordinal, day, answer_days),
        )
        _story(case, random_, today=today, age=(today - day).days, zone=zone, later=later)
        if case.status != received or random_() < 0.1:
            unit_members = members[case.unit]
            case.assignee = unit_members[0] if random_() < 0.3 else pick(unit_members)
        if case.answer:
            case.answered_by = case.assignee if case.assignee is not None else members[case.unit][0]
        yield case


_RECEIVED, _IN_PROGRESS = Status.RECEIVED.value, Status.IN_PROGRESS.value
_ANSWERED, _CLOSED = Status.ANSWERED.value, Status.CLOSED.value


def _story(
    case: PlannedCase,
    random_: Callable[[], float],
    *,
    today: datetime.date,
    age: int,
    zone: datetime.tzinfo,
    later: Callable[[datetime.datetime, float, float], datetime.datetime],
) -> None:
    """How far the case has come by today: its status, and the moments the services would have recorded."""
    if case.answer_due >= today:  # still within the promise
        r = random_()
        status = _RECEIVED if r < 0.35 else _IN_PROGRESS if r < 0.7 else _ANSWERED if r < 0.92 else _CLOSED
    elif random_() < STILL_OPEN_AFTER_DUE[0 if age <= 90 else 1 if age <= 365 else 2]:
        status = _IN_PROGRESS if random_() < 0.6 else _RECEIVED
    else:
        status = _ANSWERED if random_() < 0.2 else _CLOSED
    case.status = status
    if status == _RECEIVED:
        return
    acknowledged = case.acknowledged_at = later(case.submitted_at, 0.3, 40)
    if status == _IN_PROGRESS:
        return
    if status == _CLOSED and random_() < 0.03:  # not for us: closed with a reason (services.case_reject)
        case.rejection_reason = case.answer = REJECTION_REASON
        closed = case.closed_at = case.answer_at = later(case.submitted_at, 1, 72)
        case.acknowledged_at = min(acknowledged, closed)
        return
    due = case.answer_due
    end_of_due = datetime.datetime(due.year, due.month, due.day, 16, tzinfo=zone).astimezone(datetime.UTC)
    if due >= today or random_() < 0.88:  # in time
        answered = later(case.submitted_at, 0.5, max((end_of_due - case.submitted_at).total_seconds() / 3600, 1))
    else:
        answered = later(end_of_due, 1, 240)
    case.answered_at = case.answer_at = answered
    case.acknowledged_at = min(acknowledged, answered)
    case.answer = ANSWERS[case.kind]
    if status == _CLOSED:
        case.closed_at = answered if random_() < 0.5 else later(answered, 1, 14 * 24)
    if case.wants_answer and random_() < 0.3:
        case.resolved = random_() < 0.75
        case.resolved_answered_at = later(answered, 1, 240)
