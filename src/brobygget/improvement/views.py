"""Staff pages of improvement: the boards, a new improvement, an improvement's page with its moves.

Every change is a small POST form that calls a service and redirects back with a message (POST/redirect/GET); a
refused change shows the page again with the error and what was typed. No JavaScript is needed: a card moves on the
board with a button, by keyboard as by mouse."""

import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brobygget.core.faults import ERROR_NOT_SAVED, not_saved, page_status, service_errors
from brobygget.core.text import form_status
from brobygget.goals.selectors import current_goal_choices, visibility_of
from brobygget.improvement import selectors, services, views_board
from brobygget.improvement.cases import cases_to_link
from brobygget.improvement.forms import FinishForm, ImprovementForm, MoveForm
from brobygget.improvement.goals_link import improvement_goal
from brobygget.improvement.meeting import since_from
from brobygget.improvement.models import QUESTIONS, Improvement, Stage
from brobygget.improvement.selectors import ImprovementPage
from brobygget.improvement.services import ANSWER_FIELDS
from brobygget.improvement.views_board import BACK_TO_BOARD, BACK_TO_MEETING
from brobygget.organisation.models import Person

logger = logging.getLogger(__name__)

MESSAGE_RAISED = _("The improvement is on the board, in Idea.")
MESSAGE_UPDATED = _("The improvement is saved.")
MESSAGE_MOVED = _("“%(title)s” moved to %(stage)s.")
MESSAGE_NEW_ROUND = _("“%(title)s” goes round the wheel again: round %(round)s starts in Plan.")
MESSAGE_FINISHED = _("“%(title)s” is done: %(outcome)s.")
ADAPT_LABEL = _("What do we change for the next round?")


def _person(request: HttpRequest) -> Person | None:
    person = getattr(request, "person", None)
    return person if person else None


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The boards of the units the person belongs to."""
    units = selectors.my_board_units(person=_person(request))
    return render(request, "improvement/index.html", {"units": units})


@login_required
@require_GET
def board(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A unit's board: columns by stage, owners, due dates, what is overdue and what is new since the last meeting."""
    unit = selectors.board_unit(person=_person(request), unit_id=unit_id)
    today = timezone.localdate()
    context = views_board.board_context(unit=unit, today=today, since=since_from(request.GET.get("sedan", ""), today))
    return render(request, "improvement/board.html", context)


def _improvement_form(
    request: HttpRequest, unit: Any, improvement: Improvement | None, initial: dict[str, Any]
) -> ImprovementForm:
    # The goals it may contribute to: the current period's of the unit and above (a short list), and the one it
    # names already, of an earlier period perhaps.
    goals = current_goal_choices(unit=unit, visibility=visibility_of(_person(request)), today=timezone.localdate())
    if improvement is not None and improvement.goal_id and improvement.goal_id not in dict(goals):
        goals.append((improvement.goal_id, improvement.goal.title if improvement.goal else ""))
    return ImprovementForm(
        request.POST if request.method == "POST" else None,
        people=selectors.unit_people(unit=unit),
        principles=selectors.principle_choices(),
        goals=goals,
        initial=initial,
    )


def _render_form(
    request: HttpRequest, form: ImprovementForm, unit: Any, improvement: Improvement | None, cases: Any = ()
) -> HttpResponse:
    status = page_status(form)
    context = {"form": form, "unit": unit, "improvement": improvement, "cases": cases}
    return render(request, "improvement/improvement_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def improvement_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Raise an improvement on the unit's board."""
    person = _person(request)
    unit = selectors.board_unit(person=person, unit_id=unit_id)
    # Raised from resident cases ("Starta en förbättring" on a case's page): their ids travel with the form.
    cases = cases_to_link(
        person=person, case_ids=(request.POST if request.method == "POST" else request.GET).getlist("arende")
    )
    form = _improvement_form(request, unit, None, {"owner": str(person.pk) if person else ""})
    if form.is_bound and form.is_valid():
        try:
            improvement = services.improvement_raise(actor=request.user, unit=unit, data=form.to_input(), cases=cases)
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="improvement_raise")
        else:
            messages.success(request, str(MESSAGE_RAISED))
            return redirect("improvement:detail", improvement_id=improvement.pk)
    return _render_form(request, form, unit, None, cases=cases)


@login_required
@require_http_methods(["GET", "POST"])
def improvement_edit(request: HttpRequest, improvement_id: int) -> HttpResponse:
    """Change what an improvement says."""
    improvement = selectors.improvement_get(person=_person(request), improvement_id=improvement_id)
    initial = {
        "title": improvement.title,
        "problem": improvement.problem,
        "value_for_resident": improvement.value_for_resident,
        "idea": improvement.idea,
        "measure": improvement.measure,
        "baseline": improvement.baseline,
        "baseline_value": improvement.baseline_value,
        "owner": str(improvement.owner_id),
        "involved": [str(pk) for pk in improvement.involved.values_list("pk", flat=True)],
        "due_date": improvement.due_date,
        "principles": [str(pk) for pk in selectors.improvement_principle_ids(improvement=improvement)],
        "goal": str(improvement.goal_id or ""),
    }
    form = _improvement_form(request, improvement.unit, improvement, initial)
    if form.is_bound and form.is_valid():
        try:
            services.improvement_update(actor=request.user, improvement=improvement, data=form.to_input())
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="improvement_update")
        else:
            messages.success(request, str(MESSAGE_UPDATED))
            return redirect("improvement:detail", improvement_id=improvement.pk)
    return _render_form(request, form, improvement.unit, improvement)


def _page_forms(page: ImprovementPage) -> dict[str, forms.Form]:
    """The page's forms, unbound: the answer to the current stage's question (kept if written before), the finish;
    none for a done improvement, which shows none."""
    improvement = page.improvement
    if improvement.stage == Stage.DONE:
        return {}
    current = page.rounds[-1] if page.rounds else None
    name = ANSWER_FIELDS.get(Stage(improvement.stage)) if improvement.stage in ANSWER_FIELDS else None
    answer = getattr(current, name) if current is not None and name else ""
    return {
        "move": _move_form(page, MoveForm(initial={"to": page.next_stage or "", "answer": answer})),
        "finish": FinishForm(),
    }


def _move_form(page: ImprovementPage, form: MoveForm) -> MoveForm:
    """The move form as the page shows it (after any validation): its answer labelled by the current stage's question
    (in Act: what changes for the next round)."""
    stage = page.improvement.stage
    answer = form.fields["answer"]
    answer.label = ADAPT_LABEL if stage == Stage.ACT else QUESTIONS.get(stage, answer.label)
    # Shown as asked for, not "optional"; the service decides, since an answer written before is kept.
    answer.required = stage in ANSWER_FIELDS
    return form


def _render_detail(request: HttpRequest, page: ImprovementPage, page_forms: dict[str, forms.Form]) -> HttpResponse:
    failed = next((form for form in page_forms.values() if form.is_bound and form.errors), None)
    status = 200
    if failed is not None:
        not_saved = any(e.code == "not_saved" for e in failed.non_field_errors().as_data())
        status = 503 if not_saved else form_status(failed)
    context = {
        "page": page,
        "forms": page_forms,
        "failed": failed,
        "spread": page.spread,
        "goal": improvement_goal(person=_person(request), improvement=page.improvement),
        "labels": selectors.stage_labels(),
        "questions": {stage: str(question) for stage, question in QUESTIONS.items()},
        "localtime": timezone.localtime,
        "today": timezone.localdate(),
    }
    return render(request, "improvement/improvement_detail.html", context, status=status)


@login_required
@require_GET
def improvement_detail(request: HttpRequest, improvement_id: int) -> HttpResponse:
    """An improvement: what it says, its rounds with each stage's answer, the history of its moves, and the forms
    to answer the current stage's question and move on, or to finish."""
    page = selectors.improvement_page(person=_person(request), improvement_id=improvement_id)
    return _render_detail(request, page, _page_forms(page))


@login_required
@require_POST
def improvement_move(request: HttpRequest, improvement_id: int) -> HttpResponse:
    """Move an improvement a stage forward or back, from its page, from the board (then back to the board, or, to
    htmx, the board's columns; when the stage's question is unanswered, to the page's answer form) or from the
    meeting (back to the meeting's card, or the card again with the reason and what was typed)."""
    person = _person(request)
    improvement = selectors.improvement_get(person=person, improvement_id=improvement_id)
    back = request.POST.get("tillbaka", "")
    form = MoveForm(request.POST)
    labels = selectors.stage_labels()
    if form.is_valid():
        try:
            moved = services.improvement_move(
                actor=request.user,
                improvement=improvement,
                to=form.cleaned_data["to"],
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as error:
            if back == BACK_TO_BOARD:
                return views_board.board_refused(request, improvement, error)
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="improvement_move")
            if back == BACK_TO_BOARD and views_board.is_htmx(request):
                return views_board.board_refused(request, improvement, ValidationError(ERROR_NOT_SAVED), 503)
        else:
            if moved.round_number != improvement.round_number:
                message = MESSAGE_NEW_ROUND % {"title": moved.title, "round": moved.round_number}
            else:
                message = MESSAGE_MOVED % {"title": moved.title, "stage": labels[moved.stage]}
            if back == BACK_TO_BOARD:
                return views_board.board_moved(request, moved, str(message))
            if back == BACK_TO_MEETING:
                return views_board.meeting_moved(request, moved, str(message))
            messages.success(request, str(message))
            return redirect("improvement:detail", improvement_id=moved.pk)
    elif back == BACK_TO_BOARD:
        return views_board.board_refused(request, improvement, ValidationError(list(form.errors.values())))
    if back == BACK_TO_MEETING:
        return views_board.meeting_refused(request, improvement, form)
    page = selectors.improvement_page(person=person, improvement_id=improvement_id)
    return _render_detail(request, page, {"move": _move_form(page, form), "finish": FinishForm()})


@login_required
@require_POST
def improvement_finish(request: HttpRequest, improvement_id: int) -> HttpResponse:
    """Agera's decision to end the wheel: adopted, adopted with changes, or ended without adoption."""
    person = _person(request)
    improvement = selectors.improvement_get(person=person, improvement_id=improvement_id)
    form = FinishForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            finished = services.improvement_finish(
                actor=request.user,
                improvement=improvement,
                outcome=data["outcome"],
                answer=data["answer"],
                lesson=data["lesson"],
            )
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="improvement_finish")
        else:
            outcome = finished.get_outcome_display()
            messages.success(request, str(MESSAGE_FINISHED % {"title": finished.title, "outcome": outcome}))
            return redirect("improvement:detail", improvement_id=finished.pk)
    page = selectors.improvement_page(person=person, improvement_id=improvement_id)
    move = _move_form(page, MoveForm(initial={"to": page.next_stage or ""}))
    return _render_detail(request, page, {"move": move, "finish": form})
