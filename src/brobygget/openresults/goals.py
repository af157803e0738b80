"""The public "Våra mål": the goals whose follow-ups staff have published, from the vision down, for everyone to read.

Nothing of the goal tree is public by itself. A leader who may edit a goal (goals.services.may_edit) publishes its
latest follow-up from the goal's page: the Publicera page shows the goal's title, description and the follow-up's
analysis masked (core/masking.py), each masked part marked, and the status and indicators as the follow-up recorded
them; the leader confirms exactly that (a digest of the masked texts). The publication is a snapshot
(GoalPublication): later edits of the goal or its indicators change nothing public until a newer follow-up is
published, which withdraws the older one. Activities and goals never published stay internal; no person's name is
published. Every write is audited and moves the public cache on after the commit (openresults.cache)."""

import hashlib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import Actor, SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.core.charts import BarChart, ChartSeries, bar_chart
from brobygget.core.masking import MaskResult, mask
from brobygget.core.models import Municipality
from brobygget.core.text import plain_text
from brobygget.goals.models import SHARED_LEVELS, FollowUp, Goal, Indicator, Level
from brobygget.goals.rollup import status_word
from brobygget.goals.selectors import goal_get
from brobygget.goals.services import may_edit
from brobygget.openresults.cache import public_changed
from brobygget.openresults.models import GoalPublication
from brobygget.organisation.models import Person
from brobygget.organisation.selectors import person_for_actor

ERROR_MAY_NOT_PUBLISH = _("Only those who may change the goal may publish its follow-up.")
ERROR_NO_FOLLOW_UP = _("The goal has no follow-up yet. Follow it up first; then its latest follow-up can be published.")
ERROR_ALREADY_PUBLISHED = _("The latest follow-up is already published.")
ERROR_TEXT_CHANGED = _("The text to publish has changed since you saw it. Look at it again below and confirm.")
ERROR_ALREADY_WITHDRAWN = _("The publication has already been withdrawn.")
ERROR_REASON_EMPTY = _("Write why the publication is withdrawn.")
ERROR_REASON_TOO_LONG = _("The reason can be at most 1,000 characters long.")
REASON_REPLACED = _("Replaced by the follow-up up to %(date)s.")
REASON_MAX_LENGTH = 1000
# What of an indicator in a follow-up's snapshot is public: never the owner or who entered a value.
PUBLIC_INDICATOR_FIELDS = ("name", "unit_of_measure", "direction", "source", "baseline", "baseline_year", "target")


def _public_indicator(shown: dict[str, Any]) -> dict[str, Any]:
    indicator = {name: shown.get(name) for name in PUBLIC_INDICATOR_FIELDS}
    values = [[year, month, value] for year, month, value in shown.get("values", [])]
    indicator["values"] = values
    indicator["latest"] = shown.get("latest")
    indicator["colour"] = shown.get("colour")
    return indicator


@dataclass(frozen=True)
class GoalPreview:
    """What publishing the goal's latest follow-up would show, masked, with what was masked: the Publicera page."""

    goal: Goal
    follow_up: FollowUp | None
    title: MaskResult
    description: MaskResult
    analysis: MaskResult
    indicators: list[dict[str, Any]]
    live: GoalPublication | None
    may_publish: bool

    @property
    def digest(self) -> str:
        """What the staff confirm: the masked texts and the follow-up they saw, so that nothing else is published."""
        follow_up = str(self.follow_up.pk) if self.follow_up else ""
        texts = (follow_up, self.title.text, self.description.text, self.analysis.text)
        return hashlib.sha256("\x00".join(texts).encode()).hexdigest()

    @property
    def masked_count(self) -> int:
        return len(self.title.masked) + len(self.description.masked) + len(self.analysis.masked)

    @property
    def up_to_date(self) -> bool:
        """The live publication is of the latest follow-up."""
        return self.live is not None and self.follow_up is not None and self.live.follow_up_id == self.follow_up.pk


def goal_publication_preview(*, person: Person | None, goal_id: int, actor: SystemOrActor = None) -> GoalPreview:
    """The goal's latest follow-up as it would be published; 404 for a goal the person may not read. `may_publish`
    says whether `actor` (the person's login) may change the goal."""
    goal = goal_get(person=person, goal_id=goal_id)
    follow_up = FollowUp.objects.filter(goal=goal).order_by("-covers_until", "-pk").first()
    live = GoalPublication.objects.filter(goal=goal, withdrawn_at__isnull=True).select_related("published_by").first()
    snapshot: dict[str, Any] = follow_up.snapshot if follow_up else {}
    shown_goal = snapshot.get("goal", {})
    return GoalPreview(
        goal=goal,
        follow_up=follow_up,
        title=mask(shown_goal.get("title", goal.title)),
        description=mask(shown_goal.get("description", goal.description)),
        analysis=mask(follow_up.analysis if follow_up else ""),
        indicators=[_public_indicator(shown) for shown in snapshot.get("indicators", [])],
        live=live,
        may_publish=actor is not None and actor.is_authenticated and may_edit(actor=actor, unit=goal.unit),
    )


def _person(actor: SystemOrActor) -> Person:
    person = person_for_actor(actor=actor) if actor is not None and actor.is_authenticated else None
    if person is None:
        raise PermissionDenied(ERROR_MAY_NOT_PUBLISH)
    return person


@transaction.atomic
def goal_publication_publish(*, actor: Actor, goal_id: int, confirmed: str) -> GoalPublication:
    """Publish the goal's latest follow-up on "Våra mål" as the staff saw it masked (`confirmed`: the preview's
    digest); a live publication of an older follow-up of the goal is withdrawn in the same step."""
    person = _person(actor)
    Goal.objects.select_for_update().filter(pk=goal_id).first()  # one publisher of a goal at a time
    try:
        preview = goal_publication_preview(person=person, goal_id=goal_id, actor=actor)
    except Http404:
        raise PermissionDenied(ERROR_MAY_NOT_PUBLISH) from None
    if not preview.may_publish:
        raise PermissionDenied(ERROR_MAY_NOT_PUBLISH)
    follow_up = preview.follow_up
    if follow_up is None:
        raise ValidationError(ERROR_NO_FOLLOW_UP)
    if preview.up_to_date:
        raise ValidationError(ERROR_ALREADY_PUBLISHED)
    if confirmed != preview.digest:
        raise ValidationError(ERROR_TEXT_CHANGED)
    now = timezone.now()
    if preview.live is not None:
        preview.live.withdrawn_by, preview.live.withdrawn_at = person, now
        preview.live.withdrawn_reason = str(REASON_REPLACED) % {"date": follow_up.covers_until.isoformat()}
        preview.live.save(update_fields=["withdrawn_by", "withdrawn_at", "withdrawn_reason"])
    goal = preview.goal
    masked = [
        {"field": name, "kind": piece.kind, "start": piece.start, "end": piece.end}
        for name, result in (
            ("title", preview.title),
            ("description", preview.description),
            ("analysis", preview.analysis),
        )
        for piece in result.masked
    ]
    try:
        with transaction.atomic():
            publication = GoalPublication.objects.create(
                municipality_id=goal.municipality_id,
                goal=goal,
                follow_up=follow_up,
                goal_path=goal.path,
                period_name=goal.period.name,
                level=goal.level,
                unit_name=goal.unit.name,
                title=preview.title.text,
                description=preview.description.text,
                status=follow_up.status,
                analysis=preview.analysis.text,
                covers_until=follow_up.covers_until,
                indicators=preview.indicators,
                masked=masked,
                published_by=person,
                published_at=now,
            )
    except IntegrityError:
        raise ValidationError(ERROR_ALREADY_PUBLISHED) from None
    audit_record(
        actor=actor,
        action="openresults.goal_published",
        target=publication,
        municipality=person.municipality,
        extra={"goal": goal.pk, "follow_up": follow_up.pk, "replaced": preview.live.pk if preview.live else None},
    )
    transaction.on_commit(public_changed)
    return publication


@transaction.atomic
def goal_publication_withdraw(*, actor: Actor, publication: GoalPublication, reason: str) -> GoalPublication:
    """Take a goal's publication off "Våra mål"; it is kept with who withdrew it and why."""
    person = _person(actor)
    publication = GoalPublication.objects.select_for_update().select_related("goal__unit").get(pk=publication.pk)
    if not may_edit(actor=actor, unit=publication.goal.unit):
        raise PermissionDenied(ERROR_MAY_NOT_PUBLISH)
    if publication.withdrawn_at is not None:
        raise ValidationError(ERROR_ALREADY_WITHDRAWN)
    try:
        reason = plain_text(reason).strip()
    except ValidationError as error:
        raise ValidationError({"reason": error.error_list}) from None
    if not reason:
        raise ValidationError({"reason": ERROR_REASON_EMPTY})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": ERROR_REASON_TOO_LONG})
    publication.withdrawn_by, publication.withdrawn_at, publication.withdrawn_reason = person, timezone.now(), reason
    fields = ["withdrawn_by", "withdrawn_at", "withdrawn_reason"]
    publication.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="openresults.goal_withdrawn",
        target=publication,
        municipality=person.municipality,
        fields=fields,
        extra={"goal": publication.goal_id},
    )
    transaction.on_commit(public_changed)
    return publication


# The public reads: live publications only, a fixed number of queries whatever their number.


def _number(text: str | None) -> Decimal | None:
    try:
        return None if text in (None, "") else Decimal(str(text))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class PublicIndicator:
    name: str
    unit_of_measure: str
    higher_is_better: bool
    from_kolada: bool
    baseline: Decimal | None
    baseline_year: int | None
    target: Decimal | None
    latest: Decimal | None
    colour: str | None
    years: list[int]
    values: list[Decimal | None]

    @property
    def chart(self) -> BarChart:
        """The values per year as bars with the target as a line: drawn only where a page shows it."""
        return bar_chart(
            labels=[str(year) for year in self.years],
            series=[ChartSeries(self.name, [None if value is None else float(value) for value in self.values])],
            styles=["series-a"],
            decimals=2,
            target=None if self.target is None else float(self.target),
            target_label=gettext("Target %(value)s") % {"value": str(self.target)} if self.target is not None else "",
        )

    @property
    def colour_label(self) -> str:
        return status_word(self.colour) if self.colour else ""

    def as_dict(self) -> dict[str, object]:
        def number(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "name": self.name,
            "unit_of_measure": self.unit_of_measure,
            "higher_is_better": self.higher_is_better,
            "source": "Kolada" if self.from_kolada else "",
            "baseline": number(self.baseline),
            "target": number(self.target),
            "latest": number(self.latest),
            "values": {str(year): number(value) for year, value in zip(self.years, self.values, strict=True)},
        }


def _indicator(shown: dict[str, Any]) -> PublicIndicator:
    """An indicator of a publication, its values per year (a year's last value, month 0 being the whole year)."""
    by_year: dict[int, Decimal | None] = {}
    for year, _month, value in sorted(shown.get("values", []), key=lambda point: (point[0], point[1])):
        number = _number(value)
        if number is not None or year not in by_year:
            by_year[int(year)] = number
    years = sorted(by_year)
    values = [by_year[year] for year in years]
    target = _number(shown.get("target"))
    name = str(shown.get("name", ""))
    return PublicIndicator(
        name=name,
        unit_of_measure=str(shown.get("unit_of_measure") or ""),
        higher_is_better=shown.get("direction") != Indicator.Direction.LOWER,
        from_kolada=shown.get("source") == Indicator.Source.KOLADA,
        baseline=_number(shown.get("baseline")),
        baseline_year=shown.get("baseline_year"),
        target=target,
        latest=_number(shown.get("latest")),
        colour=shown.get("colour"),
        years=years,
        values=values,
    )


@dataclass(frozen=True)
class PublicGoal:
    id: int
    title: str
    description: str
    level: str
    level_label: str
    unit: str
    period: str
    status: str
    status_label: str
    analysis: str
    covers_until: Any
    published_on: Any
    depth: int
    indicators: list[PublicIndicator]
    # Where the goal is listed: None on the first page of "Våra mål" (a goal of the vision, the council or a
    # committee, or one with no published goal above it), else the id of the publication on whose page it is (its
    # nearest such goal above it); `below` counts the goals listed on this goal's own page.
    section: int | None = None
    below: int = 0

    @property
    def on_first_page(self) -> bool:
        return self.section is None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "level": self.level,
            "unit": self.unit,
            "period": self.period,
            "status": self.status,
            "analysis": self.analysis,
            "covers_until": self.covers_until.isoformat(),
            "published_on": self.published_on.isoformat(),
            "indicators": [indicator.as_dict() for indicator in self.indicators],
        }


def _live(municipality: Municipality) -> QuerySet[GoalPublication]:
    return GoalPublication.objects.filter(municipality=municipality, withdrawn_at__isnull=True)


def _public_goal(row: GoalPublication, depth: int, section: int | None = None, below: int = 0) -> PublicGoal:
    levels = dict(Level.choices)
    return PublicGoal(
        id=row.pk,
        title=row.title,
        description=row.description,
        level=row.level,
        level_label=str(levels.get(row.level, row.level)),
        unit=row.unit_name,
        period=row.period_name,
        status=row.status,
        status_label=status_word(row.status),
        analysis=row.analysis,
        covers_until=row.covers_until,
        published_on=timezone.localdate(row.published_at),
        depth=depth,
        indicators=[_indicator(shown) for shown in row.indicators],
        section=section,
        below=below,
    )


def public_goal_tree(*, municipality: Municipality) -> list[PublicGoal]:
    """The published goals in the order of their trees; a goal's depth counts its published ancestors only (an
    unpublished goal in between is left out, its published children move up). Each says where it is listed: the
    first page holds the top of the tree (the vision, the council's and the committees' goals, and any goal with no
    published goal above it); the goals of förvaltningar and units, and activities, are listed on the page of their
    nearest published goal that is on the first page, so that the first page does not grow with the units. One
    query."""
    rows = list(_live(municipality).order_by("goal_path", "pk"))
    first_page: dict[str, int] = {}  # goal_path -> publication id, of the goals on the first page
    published_paths = {row.goal_path for row in rows}
    placed = []
    for row in rows:
        ids = [part for part in row.goal_path.strip("/").split("/") if part][:-1]
        ancestors = ["/" + "/".join(ids[: index + 1]) + "/" for index in range(len(ids))]
        depth = sum(1 for path in ancestors if path in published_paths)
        section = next((first_page[path] for path in reversed(ancestors) if path in first_page), None)
        if section is None or row.level in SHARED_LEVELS:
            first_page[row.goal_path] = row.pk
            section = None
        placed.append((row, depth, section))
    below = Counter(section for _row, _depth, section in placed if section is not None)
    return [_public_goal(row, depth, section, below[row.pk]) for row, depth, section in placed]


def public_goal_get(*, municipality: Municipality, publication_id: int) -> PublicGoal:
    """One published goal; 404 for a withdrawn or unknown one. One query."""
    row = _live(municipality).filter(pk=publication_id).first()
    if row is None:
        raise Http404
    return _public_goal(row, 0)
