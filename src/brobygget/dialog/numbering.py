"""Case numbers like SYN-2026-00042: per municipality and year, never reused, never skipped.

The series row is locked (select_for_update) and incremented inside the transaction that creates the
case, so a rolled-back case gives its number back and two app servers never get the same one.
"""

from django.db import IntegrityError, transaction

from brobygget.core.models import Municipality
from brobygget.dialog.models import CaseNumberSeries

PREFIX = "SYN"


def case_number_format(*, year: int, sequence: int) -> str:
    return f"{PREFIX}-{year}-{sequence:05d}"


def case_number_next(*, municipality: Municipality, year: int) -> tuple[int, str]:
    """The next (sequence, number) of the year; call inside the transaction that saves the case."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_number_next must run inside the case's transaction")
    series = CaseNumberSeries.objects.select_for_update().filter(municipality=municipality, year=year).first()
    if series is None:
        try:
            with transaction.atomic():
                series = CaseNumberSeries.objects.create(municipality=municipality, year=year)
        except IntegrityError:
            # Another server created the year's series at the same moment: lock theirs.
            series = CaseNumberSeries.objects.select_for_update().get(municipality=municipality, year=year)
        else:
            series = CaseNumberSeries.objects.select_for_update().get(pk=series.pk)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return series.last_number, case_number_format(year=year, sequence=series.last_number)
