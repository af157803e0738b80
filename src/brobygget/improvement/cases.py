"""Resident cases and improvements: an improvement raised from one or more cases, shown on both pages.

The dialog does not know this app (it may not import it): it shows what this module gives its case page through
`dialog.case_sections`, which `improvement.apps` registers into. Reading a case goes through the dialog's own
scoping (`dialog.selectors.case_get`), so a person links only cases they may see."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode

from brobygget.core.prepared import prepared
from brobygget.dialog.models import Case
from brobygget.dialog.selectors import case_get
from brobygget.improvement.models import ImprovementCase
from brobygget.improvement.selectors import stage_labels
from brobygget.organisation.models import Person
from brobygget.organisation.scoping import unit_visibility
from brobygget.organisation.workspace import Section

# At most this many cases are taken from one link ("?arende=1&arende=2..."); a link is made by a page, not a person.
CASES_PER_IMPROVEMENT_LIMIT = 20


def cases_to_link(*, person: Person | None, case_ids: list[str]) -> list[Case]:
    """The cases named in a "raise an improvement from this case" link that the person may see; an id that is not
    a number, or names a case they may not see, is a 404 (a link made by our own page never does)."""
    cases = []
    for case_id in dict.fromkeys(case_ids[:CASES_PER_IMPROVEMENT_LIMIT]):
        if not case_id.isdigit() or len(case_id) > 10:
            raise Http404
        cases.append(case_get(person=person, case_id=int(case_id)))
    return cases


@dataclass(frozen=True, slots=True)
class CaseImprovement:
    """An improvement as a case's page shows it: linked to it, with its stage; `visible` when the person may open
    it (an improvement belongs to its unit's board, which not everyone who sees the case may see)."""

    pk: int
    title: str
    stage_label: str
    unit_name: str
    visible: bool


@prepared
def _case_improvements(*, case_id: int) -> QuerySet[ImprovementCase, Any]:
    return (
        ImprovementCase.objects.filter(case_id=case_id)
        .order_by("created_at", "pk")
        .values_list(
            "improvement_id",
            "improvement__title",
            "improvement__stage",
            "improvement__unit__name",
            "improvement__municipality_id",
            "improvement__unit__path",
        )
    )


def case_improvements(*, person: Person | None, case_id: int) -> list[CaseImprovement]:
    """The improvements raised from (or linked to) a case, oldest first, in one query (prepared: building it was
    half of what the case page's section cost)."""
    visibility = unit_visibility(person=person)
    labels = stage_labels()

    def seen(municipality_id: int, path: str) -> bool:
        return visibility is not None and visibility.sees(municipality_id=municipality_id, path=path)

    return [
        CaseImprovement(pk, title, labels[stage], unit, seen(municipality_id, path))
        for pk, title, stage, unit, municipality_id, path in _case_improvements(case_id=case_id)
    ]


def case_page_section(case: Case, person: Person | None) -> Section:
    """The part of a case's staff page about improvements (`dialog.case_sections`): those raised from the case, and
    the link that raises one on the board of the case's unit (whoever sees a case sees its unit's board)."""
    query = urlencode({"arende": case.pk})
    return Section(
        "improvement/case_section.html",
        {
            "improvements": case_improvements(person=person, case_id=case.pk),
            "new_url": f"{reverse('improvement:new', args=[case.unit_id])}?{query}",
        },
    )
