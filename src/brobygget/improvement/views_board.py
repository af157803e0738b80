"""The board meeting and a team's figures: the meeting mode that walks the cards one by one, the board's answer to a
move made in place (htmx), and the figures page of a unit with the units below it.

Without JavaScript every move is the card's POST form, answered with a redirect; with htmx (vendored in
static/improvement/vendor, never from a CDN) the same form is posted in place and answered with the board's
columns as a fragment. Drag and drop (static/improvement/board.js) submits the same form."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from brobygget.core.charts import ChartSeries, bar_chart
from brobygget.core.text import form_status
from brobygget.improvement import figures, selectors
from brobygget.improvement.forms import MoveForm, YearForm
from brobygget.improvement.meeting import Meeting, meeting, position_from, since_from
from brobygget.improvement.models import Improvement, Outcome, Stage
from brobygget.improvement.selectors import href
from brobygget.organisation.models import Person, Unit

# The value of `tillbaka` in a move form: after the move, back to the board, or to the meeting's card.
BACK_TO_BOARD = "tavla"
BACK_TO_MEETING = "mote"
ADAPT_LABEL = _("What do we change for the next round?")


def _person(request: HttpRequest) -> Person | None:
    person = getattr(request, "person", None)
    return person if person else None


def is_htmx(request: HttpRequest) -> bool:
    """A request htmx made (the board's in-place move), answered with a fragment rather than a page."""
    return request.headers.get("HX-Request") == "true"


def _since_value(request: HttpRequest) -> str:
    """The meeting's day as the form posted it (year-month-day), when it is one."""
    value = request.POST.get("sedan", "")
    try:
        return datetime.date.fromisoformat(value).isoformat() if len(value) == 10 else ""
    except ValueError:
        return ""


def board_url(unit_id: int, since: str = "") -> str:
    url = reverse("improvement:board", args=[unit_id])
    return f"{url}?{urlencode({'sedan': since})}" if since else url


def meeting_url(unit_id: int, position: int, since: str = "") -> str:
    query = {"kort": position, **({"sedan": since} if since else {})}
    return f"{reverse('improvement:meeting', args=[unit_id])}?{urlencode(query)}"


def board_context(*, unit: Unit, today: datetime.date, since: datetime.date) -> dict[str, Any]:
    """What the board's page and its fragment are written from."""
    return {
        "board": selectors.board(unit=unit, today=today, since=since),
        "back_to_board": BACK_TO_BOARD,
        "outcome_labels": dict(Outcome.choices),
        "done_days": selectors.DONE_SHOWN_DAYS,
        "focus": None,
    }


def _board_fragment(
    request: HttpRequest, unit: Unit, message: str, kind: str, focus: int | None, status: int = 200
) -> HttpResponse:
    """The board's columns, with the message for the page's live region, as htmx swaps them in (a 503 too: the
    board's htmx-config swaps it, so that "try again" is seen)."""
    today = timezone.localdate()
    since = since_from(request.POST.get("sedan", ""), today)
    context = board_context(unit=unit, today=today, since=since)
    context.update({"status_message": message, "status_kind": kind, "focus": focus})
    return render(request, "improvement/board_fragment.html", context, status=status)


def board_moved(request: HttpRequest, moved: Improvement, message: str) -> HttpResponse:
    """After a move from the board: the fragment for htmx, or back to the board with the message."""
    if is_htmx(request):
        return _board_fragment(request, moved.unit, message, "success", moved.pk)
    messages.success(request, message)
    return redirect(board_url(moved.unit_id, _since_value(request)))


def board_refused(
    request: HttpRequest, improvement: Improvement, error: ValidationError, status: int = 200
) -> HttpResponse:
    """A move from the board the service refused. An unanswered question goes to the answer form on the
    improvement's page (with htmx too: HX-Redirect); anything else comes back on the board with the reason."""
    message = str(error.messages[0]) if error.messages else ""
    to_answer = "answer" in getattr(error, "error_dict", {})
    if to_answer:
        messages.error(request, message)
        answer_url = reverse("improvement:detail", args=[improvement.pk]) + "#svara"
        if is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = answer_url
            return response
        return redirect(answer_url)
    if is_htmx(request):
        return _board_fragment(request, improvement.unit, message, "error", improvement.pk, status)
    messages.error(request, message)
    return redirect(board_url(improvement.unit_id, _since_value(request)))


def meeting_moved(request: HttpRequest, moved: Improvement, message: str) -> HttpResponse:
    """After a move from the meeting: back to the same card (the walk's order is fixed for the day)."""
    messages.success(request, message)
    position = position_from(request.POST.get("kort", ""))
    return redirect(meeting_url(moved.unit_id, position, _since_value(request)))


def _meeting_form(page: Meeting, form: MoveForm | None = None) -> MoveForm | None:
    """The move form of the meeting's card: its answer labelled by the stage's question, kept if written before."""
    card = page.card
    if card is None or card.next_stage is None or card.stage == Stage.ACT:
        return None
    form = form or MoveForm(initial={"to": card.next_stage, "answer": card.answer})
    answer = form.fields["answer"]
    answer.label = card.question or answer.label
    answer.required = bool(card.question)
    return form


def _render_meeting(request: HttpRequest, page: Meeting, form: MoveForm | None, status: int = 200) -> HttpResponse:
    labels = selectors.stage_labels()
    context = {
        "meeting": page,
        "form": form,
        "labels": labels,
        "outcome_labels": dict(Outcome.choices),
        "detail_href": href("improvement:detail"),
        "back_to_meeting": BACK_TO_MEETING,
        "since_value": page.since.isoformat(),
        "meeting_base": reverse("improvement:meeting", args=[page.unit.pk]),
    }
    return render(request, "improvement/meeting.html", context, status=status)


def meeting_refused(request: HttpRequest, improvement: Improvement, form: MoveForm) -> HttpResponse:
    """A move from the meeting that was refused: the same card again, with the reason and what was typed."""
    if "to" in form.errors:  # the hidden stage: the reason is the form's
        for error in form.errors.pop("to"):
            form.add_error(None, error)
    today = timezone.localdate()
    page = meeting(
        unit=improvement.unit,
        today=today,
        since=since_from(request.POST.get("sedan", ""), today),
        position=position_from(request.POST.get("kort", "")),
        improvement_id=improvement.pk,
    )
    not_saved = any(e.code == "not_saved" for e in form.non_field_errors().as_data())
    shown = _meeting_form(page, form) if page.card is not None and page.card.pk == improvement.pk else None
    return _render_meeting(request, page, shown, status=503 if not_saved else form_status(form))


@login_required
@require_GET
def board_meeting(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The meeting mode: one card at a time, what needs the team first, with its move form; previous and next are
    links, so the meeting is walked with the keyboard alone and without JavaScript."""
    unit = selectors.board_unit(person=_person(request), unit_id=unit_id)
    today = timezone.localdate()
    page = meeting(
        unit=unit,
        today=today,
        since=since_from(request.GET.get("sedan", ""), today),
        position=position_from(request.GET.get("kort", "")),
    )
    return _render_meeting(request, page, _meeting_form(page))


def _per_employee_chart(page: figures.UnitFigures) -> Any:
    return bar_chart(
        labels=[str(row.year) for row in page.years],
        series=[
            ChartSeries(str(_("Raised per employee")), [row.counts.raised_per_employee for row in page.years]),
            ChartSeries(str(_("Completed per employee")), [row.counts.done_per_employee for row in page.years]),
        ],
        styles=["bar-raised", "bar-done"],
        decimals=1,
    )


def _stage_chart(page: figures.UnitFigures) -> Any:
    return bar_chart(
        labels=[row.label for row in page.stages],
        series=[ChartSeries(str(_("Median days in the stage")), [row.median_days for row in page.stages])],
        styles=["bar-done"],
        decimals=1,
    )


@login_required
@require_GET
def unit_figures(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit's figures, with the units below it: raised and completed per employee per year, time in each stage,
    the share completed with a measured effect; the units one level down each rolled up. Never a person's."""
    unit = selectors.board_unit(person=_person(request), unit_id=unit_id)
    today = timezone.localdate()
    years = figures.year_choices(today)
    form = YearForm(request.GET or None, years=years)
    year = form.year(today.year)
    page = figures.unit_figures(unit=unit, year=year)
    context = {
        "figures": page,
        "form": form,
        "per_employee_chart": _per_employee_chart(page),
        "stage_chart": _stage_chart(page),
        "number": formats.number_format,
    }
    return render(request, "improvement/figures.html", context)
