"""Reads of what is published, for the public pages (live publications only) and for staff (with the withdrawn).

The public reads take no person: what they return is public by construction (`Publication.withdrawn_at` is empty),
and each asks a fixed number of queries whatever the number of publications."""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from brobygget.core.masking import MaskResult, mask
from brobygget.core.models import Municipality, Principle
from brobygget.core.prepared import prepared
from brobygget.dialog.models import Case, Category
from brobygget.improvement.models import ImprovementCase
from brobygget.improvement.selectors import (
    SummaryForPublication,
    resident_summaries_visible,
    resident_summary_for_publication,
)
from brobygget.openresults.models import Publication
from brobygget.organisation.models import Person, Unit

PAGE_SIZE = 20


@dataclass(frozen=True)
class PublicRow:
    """A publication as the public page, the feed and the downloads show it: the same fields everywhere."""

    id: int
    title: str
    you_said: str
    we_did: str
    done_on: datetime.date
    unit: str
    categories: list[str]
    principles: list[str]
    published_on: datetime.date

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "you_said": self.you_said,
            "we_did": self.we_did,
            "done_on": self.done_on.isoformat(),
            "unit": self.unit,
            "categories": self.categories,
            "principles": self.principles,
            "published_on": self.published_on.isoformat(),
        }


@dataclass(frozen=True)
class PublicFilter:
    """What the public page is filtered by (ids and a year, each None for all)."""

    unit: int | None = None
    category: int | None = None
    principle: int | None = None
    year: int | None = None

    def key(self) -> str:
        return f"u{self.unit or ''}c{self.category or ''}p{self.principle or ''}y{self.year or ''}"


@dataclass(frozen=True)
class FilterOptions:
    """The choices of the public page's filters: only what some live publication has."""

    units: list[tuple[int, str]]
    categories: list[tuple[int, str]]
    principles: list[tuple[int, str]]
    years: list[int]


def _live(municipality: Municipality) -> QuerySet[Publication]:
    return Publication.objects.filter(municipality=municipality, withdrawn_at__isnull=True)


def _filtered(municipality: Municipality, chosen: PublicFilter) -> QuerySet[Publication]:
    rows = _live(municipality)
    if chosen.unit is not None:
        rows = rows.filter(unit_id=chosen.unit)
    if chosen.category is not None:
        rows = rows.filter(categories__id=chosen.category)
    if chosen.principle is not None:
        rows = rows.filter(principles__id=chosen.principle)
    if chosen.year is not None:
        rows = rows.filter(done_on__year=chosen.year)
    return rows.order_by("-done_on", "-pk")


def _rows(publications: QuerySet[Publication] | list[int]) -> list[PublicRow]:
    """The rows of these publications (a queryset in its order, or ids in theirs): three queries."""
    values = list(
        (publications if isinstance(publications, QuerySet) else Publication.objects.filter(pk__in=publications))
        .order_by("-done_on", "-pk")
        .values_list("pk", "title", "you_said", "we_did", "done_on", "unit_name", "published_at")
    )
    ids = [row[0] for row in values]
    categories: dict[int, list[str]] = defaultdict(list)
    for pk, name in (
        Publication.categories.through.objects.filter(publication_id__in=ids)
        .order_by("category__order", "category__name")
        .values_list("publication_id", "category__name")
    ):
        categories[pk].append(name)
    principles: dict[int, list[str]] = defaultdict(list)
    for pk, title in (
        Publication.principles.through.objects.filter(publication_id__in=ids)
        .order_by("principle__order")
        .values_list("publication_id", "principle__title")
    ):
        principles[pk].append(title)
    return [
        PublicRow(
            pk,
            title,
            you_said,
            we_did,
            done_on,
            unit_name,
            categories[pk],
            principles[pk],
            timezone.localdate(published_at),
        )
        for pk, title, you_said, we_did, done_on, unit_name, published_at in values
    ]


@dataclass(frozen=True)
class PublicPage:
    rows: list[PublicRow]
    page: Page  # type: ignore[type-arg]
    options: FilterOptions


def public_filter_options(*, municipality: Municipality) -> FilterOptions:
    """The units, categories, principles and years of the live publications (four queries)."""
    live = _live(municipality)
    units = list(Unit.objects.filter(pk__in=live.values("unit_id")).order_by("name", "pk").values_list("pk", "name"))
    categories = list(
        Category.objects.filter(pk__in=live.values("categories__id"))
        .order_by("order", "name", "pk")
        .values_list("pk", "name")
    )
    principles = list(
        Principle.objects.filter(pk__in=live.values("principles__id")).order_by("order").values_list("pk", "title")
    )
    years = sorted({day.year for day in live.dates("done_on", "year")}, reverse=True)
    return FilterOptions(units, categories, principles, years)


def public_page(
    *, municipality: Municipality, chosen: PublicFilter, number: int | str, options: FilterOptions
) -> PublicPage:
    """One page of the live publications that match the filter, the latest done first."""
    paginator = Paginator(_filtered(municipality, chosen).values_list("pk", flat=True), PAGE_SIZE)
    page = paginator.get_page(number)
    return PublicPage(_rows(list(page.object_list)), page, options)


def public_rows(*, municipality: Municipality, chosen: PublicFilter) -> list[PublicRow]:
    """Every live publication that matches the filter, in the page's order: the pages one after the other."""
    return _rows(_filtered(municipality, chosen))


def public_latest(*, municipality: Municipality, limit: int = 50) -> list[PublicRow]:
    """The latest published live publications, for the feed (the latest published first)."""
    ids = list(_live(municipality).order_by("-published_at", "-pk").values_list("pk", flat=True)[:limit])
    by_id = {row.id: row for row in _rows(ids)}
    return [by_id[pk] for pk in ids]


def public_publication(*, municipality: Municipality, publication_id: int) -> PublicRow | None:
    """One live publication; None when there is none (withdrawn looks the same as missing)."""
    rows = _rows(_live(municipality).filter(pk=publication_id))
    return rows[0] if rows else None


def publication_for_case(*, case: Case) -> int | None:
    """The live publication of an improvement raised from the case (the latest done), for its tracking page.

    Read from the case's few links by their indexes; the municipality is checked on the rows found, since a filter on
    it made SQLite walk every live publication of the municipality instead (6 ms at size L, now 0.2 ms)."""
    rows = _live_publications_of_case(case_id=case.pk)
    return next((pk for pk, municipality_id in rows if municipality_id == case.municipality_id), None)


@prepared
def _live_publications_of_case(*, case_id: int) -> QuerySet[Publication, tuple[int, int]]:
    # Prepared (core/prepared.py): Django took 0.45 ms to compile this query, the database 0.03 ms to answer it.
    return (
        Publication.objects.filter(
            withdrawn_at__isnull=True,
            improvement_id__in=ImprovementCase.objects.filter(case_id=case_id).values("improvement_id"),
        )
        .order_by("-done_on", "-pk")
        .values_list("pk", "municipality_id")
    )


def _digest(*texts: str) -> str:
    return hashlib.sha256("\x00".join(texts).encode()).hexdigest()


@dataclass(frozen=True)
class Preview:
    """What a publication would show, masked, with what was masked: the staff's Publicera page."""

    summary: SummaryForPublication
    title: MaskResult
    you_said: MaskResult
    we_did: MaskResult
    unit_name: str
    categories: list[str]
    principles: list[str]
    live: Publication | None  # the publication when the summary is published now
    history: list[Publication] = field(default_factory=list)  # withdrawn ones, the latest first

    @property
    def digest(self) -> str:
        """What the staff confirm: the masked texts they saw, so that nothing else is published."""
        return _digest(self.title.text, self.you_said.text, self.we_did.text)

    @property
    def masked_count(self) -> int:
        return len(self.title.masked) + len(self.you_said.masked) + len(self.we_did.masked)


def publication_preview(*, person: Person | None, improvement_id: int) -> Preview:
    """The summary of an improvement the person sees, masked as it would be published; 404 without one."""
    summary = resident_summary_for_publication(person=person, improvement_id=improvement_id)
    improvement = summary.improvement
    categories = list(
        Category.objects.filter(pk__in=summary.category_ids).order_by("order", "name").values_list("name", flat=True)
    )
    principles = list(
        Principle.objects.filter(pk__in=summary.principle_ids).order_by("order").values_list("title", flat=True)
    )
    publications = list(
        Publication.objects.filter(improvement=improvement)
        .select_related("published_by", "withdrawn_by")
        .order_by("-published_at", "-pk")
    )
    live = next((publication for publication in publications if publication.withdrawn_at is None), None)
    return Preview(
        summary=summary,
        title=mask(improvement.title),
        you_said=mask(summary.you_said),
        we_did=mask(summary.we_did),
        unit_name=improvement.unit.name,
        categories=categories,
        principles=principles,
        live=live,
        history=[publication for publication in publications if publication.withdrawn_at is not None],
    )


@dataclass(frozen=True)
class StaffRow:
    improvement_id: int
    title: str
    unit: str
    publication_id: int | None  # the live publication, None when not published now


def publishable_list(*, person: Person | None) -> list[StaffRow]:
    """The improvements with a summary for residents that the person sees, and whether each is published now."""
    summaries = resident_summaries_visible(person=person)
    live = dict(
        Publication.objects.filter(
            improvement_id__in=[pk for pk, _title, _unit in summaries], withdrawn_at__isnull=True
        ).values_list("improvement_id", "pk")
    )
    return [StaffRow(pk, title, unit, live.get(pk)) for pk, title, unit in summaries]
