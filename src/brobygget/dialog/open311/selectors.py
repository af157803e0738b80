"""Reads of the Open311 interface, always within one municipality (the jurisdiction).

The public lists hold fault reports only (felanmälningar: about a place, not about a person), and only
the fields a GeoReport request shows: the resident's text and contact details are never loaded.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery

from brobygget.core.models import Municipality
from brobygget.dialog.models import Case, CaseEntry, Category, Kind
from brobygget.dialog.open311.errors import ERROR_JURISDICTION_MISSING, ERROR_JURISDICTION_UNKNOWN, Open311Error

MAX_PAGE_SIZE = 1000

# What `request_fields` reads; anything else (the text, the contact details) stays in the database.
_PUBLIC_CASE_FIELDS = [
    "number",
    "status",
    "submitted_at",
    "updated_at",
    "answer_due",
    "address",
    "latitude",
    "longitude",
    "rejection_reason",
    "category__code",
    "category__name",
    "unit__name",
]


@dataclass(frozen=True)
class RequestQuery:
    """The filters of GET requests, already checked: ids override the rest."""

    start: datetime.datetime
    end: datetime.datetime
    ids: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    page: int = 1
    page_size: int = MAX_PAGE_SIZE


def municipality_for_jurisdiction(*, jurisdiction_id: str) -> Municipality:
    """The municipality a request is about: named by its code, or the installation's only one when none is named."""
    if jurisdiction_id:
        municipality = Municipality.objects.filter(code=jurisdiction_id).first()
        if municipality is None:
            raise Open311Error(404, ERROR_JURISDICTION_UNKNOWN)
        return municipality
    municipalities = list(Municipality.objects.all()[:2])
    if len(municipalities) != 1:
        raise Open311Error(400, ERROR_JURISDICTION_MISSING)
    return municipalities[0]


def service_list(*, municipality: Municipality) -> list[Category]:
    """The active categories of the municipality, in their configured order."""
    return list(Category.objects.filter(municipality=municipality, is_active=True).select_related("unit"))


def service_get(*, municipality: Municipality, code: str) -> Category | None:
    """One active category by its code (the service code), if the municipality has it."""
    return Category.objects.filter(municipality=municipality, code=code, is_active=True).select_related("unit").first()


def _public_cases(municipality: Municipality) -> QuerySet[Case]:
    latest_answer = (
        CaseEntry.objects.filter(case=OuterRef("pk"), kind=CaseEntry.Kind.ANSWER)
        .order_by("-created_at", "-id")
        .values("text")[:1]
    )
    return (
        Case.objects.filter(municipality=municipality, kind=Kind.FAULT_REPORT)
        .select_related("category", "unit")
        .only(*_PUBLIC_CASE_FIELDS)
        .annotate(latest_answer=Subquery(latest_answer))
    )


def request_list(*, municipality: Municipality, query: RequestQuery) -> list[Case]:
    """One page of the municipality's public requests, newest first; one query however many there are."""
    cases = _public_cases(municipality)
    if query.ids:
        cases = cases.filter(number__in=query.ids)
    else:
        cases = cases.filter(submitted_at__gte=query.start, submitted_at__lte=query.end)
        if query.service_codes:
            cases = cases.filter(category__code__in=query.service_codes)
        if query.statuses:
            cases = cases.filter(status__in=query.statuses)
    offset = (query.page - 1) * query.page_size
    return list(cases.order_by("-submitted_at", "-id")[offset : offset + query.page_size])


def request_get(*, municipality: Municipality, number: str) -> Case | None:
    """One public request by its id (the case number); None for missing and not public alike."""
    return _public_cases(municipality).filter(number=number).first()
