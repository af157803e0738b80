"""The public "Våra mål": the goals whose follow-ups staff have published, from the vision down, for everyone to read.

Nothing of the goal tree is public by itself. A leader who may edit a goal (goals.services.may_edit) publishes its
latest follow-up from the goal's page: the Publicera page shows the goal's title, description and the follow-up's
analysis masked (core/masking.py), each masked part marked, and the status and indicators as the follow-up recorded
them; the leader confirms exactly that (a digest of the masked texts). The publication is a snapshot
(GoalPublication): later edits of the goal or its indicators change nothing public until a newer follow-up is
published, which withdraws the older one. Activities and goals never published stay internal; no person's name is
published. Every write is audited and moves the public cache on after the commit (openresults.cache)."""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import Actor, SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.core.charts import BarChart, ChartSeries, bar_chart
from brobygget.core.masking import MaskResult, mask
from brobygget.core.models import Municipality
from brobygget.core.prepared import prepared
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


@prepared
def live_goal_publication(*, goal_id: int) -> QuerySet[GoalPublication, tuple[int, datetime.date]]:
    """The goal's live publication on "Våra mål" (one at most: a constraint), as (pk, covers_until), for its page.
    Prepared (core.prepared): Django took 0.25 ms to build this query, the database 0.02 ms to answer it."""
    return GoalPublication.objects.filter(goal_id=goal_id, withdrawn_at__isnull=True).values_list("pk", "covers_until")


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
    _lock_tree(person.municipality_id)
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
    paths = {publication.goal_path} | ({preview.live.goal_path} if preview.live else set())
    _place(goal.municipality_id, paths)
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
    _lock_tree(person.municipality_id)
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
    _place(publication.municipality_id, {publication.goal_path})
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


# Where each live publication is listed, kept on its row (`section`, `depth`) by the writes above, so that a page
# of "Våra mål" reads only the goals it shows.


def _ancestor_paths(path: str) -> list[str]:
    """The paths of the goals above the goal at `path` ("/4/17/52/" -> "/4/", "/4/17/"), from the top."""
    ids = [part for part in path.strip("/").split("/") if part][:-1]
    return ["/" + "/".join(ids[: index + 1]) + "/" for index in range(len(ids))]


def goal_placements(rows: Iterable[tuple[int, str, str]]) -> dict[int, tuple[int | None, int]]:
    """Where each of these live publications (id, goal path, level) is listed: (section, depth). A goal's depth
    counts its published ancestors only (an unpublished goal in between is left out, its published children move
    up). The first page holds the top of the tree (the vision, the council's and the committees' goals, and any
    goal with no published goal above it: section None); the goals of förvaltningar and units, and activities, are
    listed on the page of their nearest published goal that is on the first page (section: its id), so that the
    first page does not grow with the units. `rows` must hold every live publication above each of them."""
    ordered = sorted(rows, key=lambda row: (row[1], row[0]))
    published_paths = {path for _pk, path, _level in ordered}
    first_page: dict[str, int] = {}  # goal_path -> publication id, of the goals on the first page
    placed: dict[int, tuple[int | None, int]] = {}
    for pk, path, level in ordered:
        ancestors = _ancestor_paths(path)
        depth = sum(1 for ancestor in ancestors if ancestor in published_paths)
        section = next((first_page[ancestor] for ancestor in reversed(ancestors) if ancestor in first_page), None)
        if section is None or level in SHARED_LEVELS:
            first_page[path] = pk
            section = None
        placed[pk] = (section, depth)
    return placed


def _lock_tree(municipality_id: int) -> None:
    """One write of the municipality's published goals at a time, so each places its goals on what the others
    committed (PostgreSQL; SQLite writes one at a time anyway). FOR NO KEY UPDATE: rows referring to the
    municipality may still be written meanwhile."""
    Municipality.objects.select_for_update(no_key=True).filter(pk=municipality_id).values_list("pk").first()


def _place(municipality_id: int, paths: set[str]) -> None:
    """Place anew the live publications that a publication or withdrawal at `paths` may have moved: those at and
    below the paths (their published ancestors changed), read in one query with the live ones above them; then
    count again the goals listed on the pages of those of them on the first page. Three queries; grows with the
    goals below the changed one, never with the whole tree."""
    above = {ancestor for path in paths for ancestor in _ancestor_paths(path)}
    at_or_below = Q()
    for path in paths:
        at_or_below |= Q(goal_path__startswith=path)
    rows = list(
        GoalPublication.objects.filter(municipality_id=municipality_id, withdrawn_at__isnull=True)
        .filter(Q(goal_path__in=above) | at_or_below)
        .only("pk", "goal_path", "level", "section", "depth", "below")
    )
    placed = goal_placements((row.pk, row.goal_path, row.level) for row in rows)
    changed = {}
    for row in rows:
        section, depth = placed[row.pk]
        if (row.section_id, row.depth) != (section, depth):
            row.section_id, row.depth = section, depth
            changed[row.pk] = row
    GoalPublication.objects.bulk_update(changed.values(), ["section", "depth"], batch_size=500)
    # Every first page goal whose list may have changed is among the rows: a moved goal's old and new sections are
    # both above it. A goal listed on another's page lists none itself.
    first_page = [row.pk for row in rows if row.section_id is None]
    counted = dict(
        GoalPublication.objects.filter(section_id__in=first_page, withdrawn_at__isnull=True)
        .values("section")
        .annotate(count=Count("pk"))
        .values_list("section", "count")
    )
    recounted = []
    for row in rows:
        below = counted.get(row.pk, 0)
        if row.below != below:
            row.below = below
            recounted.append(row)
    GoalPublication.objects.bulk_update(recounted, ["below"], batch_size=500)


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


def _public_goal(row: GoalPublication) -> PublicGoal:
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
        depth=row.depth,
        indicators=[_indicator(shown) for shown in row.indicators],
        section=row.section_id,
        below=row.below,
    )


def public_goal_tree(*, municipality: Municipality) -> list[PublicGoal]:
    """Every published goal in the order of their trees, each with where it is listed (`goal_placements`) and how
    many goals are listed on its own page: for the downloads and the API. One query, the goals read as a stream."""
    return [_public_goal(row) for row in _live(municipality).order_by("goal_path", "pk").iterator(chunk_size=500)]


def public_goals_first_page(*, municipality: Municipality) -> list[PublicGoal]:
    """The goals of the first page of "Våra mål" in the order of their trees, each with how many goals are listed
    on its own page. One query, whatever the number of goals below them."""
    return [_public_goal(row) for row in _live(municipality).filter(section__isnull=True).order_by("goal_path", "pk")]


class _Counted(Paginator):
    """A paginator told its count (the goal's `below`), so that a page of it is one query."""

    def __init__(self, object_list: QuerySet[GoalPublication], per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @property
    def count(self) -> int:  # type: ignore[override]
        return self.known_count


def public_goals_below(*, goal: PublicGoal, number: int, per_page: int) -> Page:
    """One page of the goals listed on a goal's page (those of förvaltningar and units, and activities, working
    towards it), in the order of the tree: one query, none when there are none (the goal knows how many). A page
    number out of range gives the last page. (A goal is listed only on a page of its own municipality's.)"""
    listed = GoalPublication.objects.filter(section_id=goal.id, withdrawn_at__isnull=True)
    listed = listed.order_by("goal_path", "pk")
    page = _Counted(listed, per_page, goal.below).get_page(number)
    page.object_list = [_public_goal(row) for row in page.object_list]
    return page


def public_goal_get(*, municipality: Municipality, publication_id: int) -> PublicGoal:
    """One published goal; 404 for a withdrawn or unknown one. One query."""
    row = _live(municipality).filter(pk=publication_id).first()
    if row is None:
        raise Http404
    return _public_goal(row)
