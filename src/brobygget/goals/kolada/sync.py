"""Kolada's figures as measurements: connecting a KPI to a goal (an indicator filled at once with the municipality's
values and its comparisons, "Riket" 0000 and the group the administrator chose) and the nightly sync of every
connected KPI.

Each indicator is written in a transaction of its own, and only after everything it needs has been fetched and
checked: a timeout, an error, a malformed answer or a removed KPI leaves its stored values as they were, and puts the
reason on the indicator (`kolada_error`, shown in the admin and on its page) and in the log. `null` is stored as "no
value" (None), never 0; a row marked `isdeleted` is not stored, and removes a value fetched before for that point. A
KPI whose title changed in Kolada is flagged (`kolada_title_changed_to`) until a person confirms the new title."""

import datetime
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.core.models import Municipality
from brobygget.goals.indicators import (
    IndicatorInput,
    MeasurementInput,
    acting_editor,
    history_record,
    indicator_create,
    measurements_write,
)
from brobygget.goals.kolada.client import KoladaClient, KoladaError, KoladaMalformed
from brobygget.goals.models import Goal, Indicator, KoladaSetup, Measurement

logger = logging.getLogger("brobygget.kolada")

RIKET = "0000"
MAX_GROUP = 20
_ID = re.compile(r"^\d{4}$")
_KPI = re.compile(r"^[A-Z]\d{5}$")
_LIMIT = Decimal(10) ** 10

ERROR_KPI_UNKNOWN = _("Kolada has no key figure with that id. Search again and choose one in the list.")
ERROR_KPI_REMOVED = _("The key figure %(kpi)s is no longer in Kolada. Its stored values are kept as they were.")
ERROR_KOLADA_UNAVAILABLE = _("Kolada could not be reached just now. Try again in a while.")
ERROR_NO_TITLE_CHANGE = _("The title in Kolada has not changed.")
ERROR_ALREADY_CONNECTED = _("The key figure is already connected to this goal.")
ERROR_GROUP_IDS = _("Write Kolada ids of four digits separated by commas, at most 20, for example 0484, 0480.")


def group_ids_parse(text: str) -> list[str]:
    """The comparison group's ids as the administrator wrote them ("0484, 0480"); ValidationError when wrong."""
    ids = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if len(ids) > MAX_GROUP or not all(_ID.match(part) for part in ids):
        raise ValidationError(ERROR_GROUP_IDS, code="invalid")
    return list(dict.fromkeys(ids))


@dataclass(frozen=True)
class Areas:
    """Where an indicator's Kolada values are from: the municipality itself and those it is compared with."""

    own: str
    group_name: str
    group: list[str]

    @property
    def compared(self) -> list[str]:
        return [RIKET, *[area for area in self.group if area not in (self.own, RIKET)]]

    @property
    def all(self) -> list[str]:
        return [self.own, *self.compared]


def kolada_areas(*, municipality_id: int) -> Areas:
    """The municipality's Kolada id (its KoladaSetup's, else its SCB code) and its comparison group."""
    setup = KoladaSetup.objects.filter(municipality_id=municipality_id).first()
    code = Municipality.objects.values_list("code", flat=True).get(pk=municipality_id)
    if setup is None:
        return Areas(code, "", [])
    try:
        group = group_ids_parse(setup.group_ids)
    except ValidationError:
        logger.error("The Kolada comparison group of municipality %s is not a list of ids", municipality_id)
        group = []
    return Areas(setup.kolada_id or code, setup.group_name, group)


@dataclass(frozen=True)
class Point:
    area: str
    year: int
    gender: str
    value: Decimal | None
    deleted: bool


def _value(raw: Any) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise KoladaMalformed("Kolada gave a value that is not a number.")
    try:
        value = Decimal(str(raw)).quantize(Decimal("0.0001"))
    except InvalidOperation:
        raise KoladaMalformed("Kolada gave a value that is not a number.") from None
    if not value.is_finite() or abs(value) >= _LIMIT:
        raise KoladaMalformed("Kolada gave a value out of range.")
    return value


def points_parse(rows: Iterable[dict[str, Any]], kpi: str) -> list[Point]:
    """Kolada's data rows as points; KoladaMalformed when a row is not shaped as the API promises."""
    points = []
    for row in rows:
        area, period, values = row.get("municipality"), row.get("period"), row.get("values")
        if row.get("kpi") not in (None, kpi) or not isinstance(area, str) or not isinstance(values, list):
            raise KoladaMalformed(f"Kolada gave a data row of {kpi} without its municipality or values.")
        try:
            year = int(str(period))  # the period may come as a string: cast
        except ValueError:
            raise KoladaMalformed(f"Kolada gave a data row of {kpi} without a year.") from None
        for entry in values:
            if not isinstance(entry, dict):
                raise KoladaMalformed(f"Kolada gave a value of {kpi} that is not an object.")
            gender = entry.get("gender")
            if gender not in Measurement.Gender.values:
                continue  # a breakdown we do not keep
            points.append(Point(area, year, gender, _value(entry.get("value")), bool(entry.get("isdeleted"))))
    return points


def _write(indicator: Indicator, points: list[Point], areas: Areas) -> int:
    """Write the points in the caller's transaction: each area's values, the deleted ones removed."""
    written = 0
    for area in areas.all:
        mine = [point for point in points if point.area == area]
        kept = [MeasurementInput(point.year, point.value, 0, point.gender) for point in mine if not point.deleted]
        written += measurements_write(
            indicator=indicator,
            rows=kept,
            source=Indicator.Source.KOLADA,
            person=None,
            area="" if area == areas.own else area,
        )
        for point in mine:
            if point.deleted:
                Measurement.objects.filter(
                    indicator=indicator,
                    area="" if area == areas.own else area,
                    year=point.year,
                    month=0,
                    gender=point.gender,
                    source=Indicator.Source.KOLADA,
                ).delete()
    return written


def kpi_search(*, title: str, client: KoladaClient | None = None) -> list[dict[str, str]]:
    """KPIs whose title contains the words, as {id, title, description} (at most 50, Kolada's order)."""
    client = client or KoladaClient()
    found = []
    for row in client.kpi_search(title)[:50]:
        if isinstance(row.get("id"), str) and isinstance(row.get("title"), str):
            found.append(
                {"id": row["id"], "title": row["title"], "description": str(row.get("description") or "")[:400]}
            )
    return found


def kolada_connect(
    *,
    actor: SystemOrActor,
    goal: Goal,
    kpi: str,
    client: KoladaClient | None = None,
    now: datetime.datetime | None = None,
) -> Indicator:
    """An indicator of the goal connected to the KPI, filled with every value Kolada has for the municipality and its
    comparisons; its owner is the goal's responsible person. Everything is fetched before anything is written."""
    goal = Goal.objects.select_related("unit").get(pk=goal.pk)
    acting_editor(actor, goal)
    client = client or KoladaClient()
    kpi = kpi.strip().upper()
    if not _KPI.match(kpi):
        raise ValidationError({"kpi": ERROR_KPI_UNKNOWN})
    if Indicator.objects.filter(goal=goal, kolada_kpi=kpi, archived=False).exists():
        raise ValidationError({"kpi": ERROR_ALREADY_CONNECTED})
    meta = next((row for row in client.kpis([kpi]) if row.get("id") == kpi), None)
    if meta is None or not isinstance(meta.get("title"), str):
        raise ValidationError({"kpi": ERROR_KPI_UNKNOWN})
    areas = kolada_areas(municipality_id=goal.municipality_id)
    points = points_parse(client.data(kpi=kpi, municipalities=areas.all), kpi)
    title = meta["title"].strip()[:500]
    with transaction.atomic():
        indicator = indicator_create(
            actor=actor,
            goal=goal,
            data=IndicatorInput(name=title[:200], owner_id=goal.responsible_id, source=Indicator.Source.KOLADA),
            kolada_kpi=kpi,
            kolada_title=title,
        )
        _write(indicator, points, areas)
        indicator.kolada_synced_at = now or timezone.now()
        indicator.save(update_fields=["kolada_synced_at"])
    return indicator


@dataclass
class SyncResult:
    """How a sync went: indicators updated, values written, and the failures (indicator id, reason)."""

    synced: int = 0
    written: int = 0
    flagged: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)


def _failed(indicator: Indicator, message: str, result: SyncResult) -> None:
    logger.error("Kolada sync of indicator %s (%s) failed: %s", indicator.pk, indicator.kolada_kpi, message)
    Indicator.objects.filter(pk=indicator.pk).update(kolada_error=message[:500])
    result.failed.append((indicator.pk, message))


def indicator_sync(
    *,
    indicator: Indicator,
    client: KoladaClient,
    metadata: dict[str, dict[str, Any]] | None = None,
    full: bool = False,
    now: datetime.datetime | None = None,
    result: SyncResult | None = None,
) -> SyncResult:
    """Fetch one connected indicator's values (those updated since its last fetch, a day's overlap, unless `full`)
    and write them in one transaction; a failure leaves its values unchanged and is recorded on it."""
    result = result if result is not None else SyncResult()
    now = now or timezone.now()
    kpi = indicator.kolada_kpi
    areas = kolada_areas(municipality_id=indicator.municipality_id)
    since = None
    if not full and indicator.kolada_synced_at is not None:
        since = (timezone.localtime(indicator.kolada_synced_at).date() - datetime.timedelta(days=1)).isoformat()
    try:
        if metadata is None:
            metadata = {str(row["id"]): row for row in client.kpis([kpi]) if isinstance(row.get("id"), str)}
        meta = metadata.get(kpi)
        if meta is None:
            raise KoladaError(str(ERROR_KPI_REMOVED % {"kpi": kpi}))
        title = meta.get("title")
        if not isinstance(title, str) or not title.strip():
            raise KoladaMalformed(f"Kolada gave the key figure {kpi} without a title.")
        points = points_parse(client.data(kpi=kpi, municipalities=areas.all, from_date=since), kpi)
    except KoladaError as error:
        _failed(indicator, error.message, result)
        return result
    title = title.strip()[:500]
    with transaction.atomic():
        locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
        result.written += _write(locked, points, areas)
        fields = ["kolada_synced_at", "kolada_error", "kolada_title_changed_to"]
        changed_to = title if title != locked.kolada_title else ""
        if changed_to and changed_to != locked.kolada_title_changed_to:
            result.flagged += 1
            logger.warning("The title of Kolada's key figure %s changed: indicator %s flagged", kpi, locked.pk)
        locked.kolada_title_changed_to = changed_to
        locked.kolada_synced_at = now
        locked.kolada_error = ""
        locked.save(update_fields=fields)
    result.synced += 1
    return result


def kolada_sync(
    *,
    client: KoladaClient | None = None,
    municipality: Municipality | None = None,
    full: bool = False,
    now: datetime.datetime | None = None,
) -> SyncResult:
    """Fetch every connected indicator that is not archived (of one municipality, or all): the KPIs' titles in one go,
    then each indicator's values in a transaction of its own."""
    client = client or KoladaClient()
    indicators = Indicator.objects.filter(source=Indicator.Source.KOLADA, archived=False).exclude(kolada_kpi="")
    if municipality is not None:
        indicators = indicators.filter(municipality=municipality)
    found = list(indicators.order_by("pk"))
    result = SyncResult()
    if not found:
        return result
    try:
        metadata = {
            str(row["id"]): row
            for row in client.kpis(sorted({indicator.kolada_kpi for indicator in found}))
            if isinstance(row.get("id"), str)
        }
    except KoladaError as error:
        for indicator in found:
            _failed(indicator, error.message, result)
        return result
    for indicator in found:
        indicator_sync(indicator=indicator, client=client, metadata=metadata, full=full, now=now, result=result)
    logger.info(
        "Kolada sync: %s indicators fetched, %s values written, %s titles changed, %s failed",
        result.synced,
        result.written,
        result.flagged,
        len(result.failed),
    )
    return result


@transaction.atomic
def kolada_title_confirm(*, actor: SystemOrActor, indicator: Indicator) -> Indicator:
    """Confirm the new title of the indicator's KPI: it becomes the title kept, and the indicator's name when that
    was the old title; kept in the goal's history."""
    indicator = Indicator.objects.select_for_update(of=("self",)).select_related("goal__unit").get(pk=indicator.pk)
    person = acting_editor(actor, indicator.goal)
    new = indicator.kolada_title_changed_to
    if not new:
        raise ValidationError(ERROR_NO_TITLE_CHANGE)
    old_name = indicator.name
    if indicator.name == indicator.kolada_title[:200]:
        indicator.name = new[:200]
    indicator.kolada_title, indicator.kolada_title_changed_to = new, ""
    indicator.save(update_fields=["name", "kolada_title", "kolada_title_changed_to", "updated_at"])
    history_record(indicator.goal, person, {"indicator": [old_name, indicator.name]})
    audit_record(
        actor=actor,
        action="indicator.kolada_title_confirmed",
        target=indicator,
        municipality=Municipality.objects.get(pk=indicator.municipality_id),
        extra={"kpi": indicator.kolada_kpi},
    )
    return indicator
