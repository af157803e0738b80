"""Staff pages of the dialog: the inbox, a case with its actions, the case's photos, and the statistics.

Every action is a small POST form that calls a service and redirects back with a message (POST/redirect/GET);
a refused action shows the page again with the error and the text the handler typed. No JavaScript is needed.
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from brobygget.core.charts import BarChart, ChartSeries, bar_chart
from brobygget.core.faults import not_saved, page_status, service_errors
from brobygget.dialog import services
from brobygget.dialog.export import EXPORT_FORMATS, export_response
from brobygget.dialog.forms_staff import (
    ERROR_NUMBER_UNKNOWN,
    AnswerForm,
    AssignForm,
    CategoryForm,
    CorrectTextForm,
    DuplicateForm,
    InboxFilterForm,
    MoveForm,
    NoteForm,
    RejectForm,
    StatisticsFilterForm,
    StatusForm,
    inbox_cursor,
)
from brobygget.dialog.models import Status
from brobygget.dialog.selectors_staff import (
    ORDER_URGENT,
    CasePage,
    Deadlines,
    InboxPage,
    InboxQuery,
    answer_template_get,
    case_assignee_choice,
    case_attachment_get,
    case_by_number,
    case_category_choice,
    case_page,
    case_unit_choice,
    categories_for_cases,
    inbox_page,
)
from brobygget.dialog.selectors_staff import (
    inbox_export as export_selection,
)
from brobygget.dialog.statistics import Statistics, case_statistics_kept
from brobygget.organisation.models import Person
from brobygget.organisation.scoping import Visibility, unit_filter_options, unit_visibility

MESSAGE_ANSWER_MAILED = _("The answer is saved and will be mailed to the resident.")
MESSAGE_ANSWER_SAVED = _("The answer is saved. The resident reads it at their tracking link (no email address).")
MESSAGE_ANSWER_MAILED_CLOSED = _("The answer is saved and will be mailed to the resident. The case is closed.")
MESSAGE_ANSWER_SAVED_CLOSED = _("The answer is saved and the case is closed. The resident reads it at their link.")
MESSAGE_NOTE_SAVED = _("The internal note is saved.")
MESSAGE_ASSIGNED = _("The case handler has been changed.")
MESSAGE_MOVED = _("The case has been moved to %(unit)s.")
MESSAGE_RECATEGORISED = _("The category has been corrected.")
MESSAGE_TEXT_CORRECTED = _("The corrected text is saved beside the original.")
MESSAGE_REJECTED = _("The case is marked as not for us and closed. The resident gets the reason.")
MESSAGE_DUPLICATE_LINKED = _("The case is linked to %(number)s.")
MESSAGE_STATUS = {
    Status.IN_PROGRESS: _("The case is marked as being handled."),
    Status.CLOSED: _("The case is closed."),
}
MESSAGE_NOTHING_CHANGED = _("Nothing needed to change.")
ERROR_TEMPLATE_UNKNOWN = _("Choose one of the answer templates in the list. Your text is kept.")
ERROR_EXPORT_TOO_MANY = _(
    "The selection holds more than %(limit)s cases, too many for one file. Choose a unit, a status or a search."
)


def _page_context(**extra: Any) -> dict[str, Any]:
    """What every staff page of the dialog gets besides its own data: the local time of an aware datetime."""
    return {"localtime": timezone.localtime, "number": formats.number_format, **extra}


def _person(request: HttpRequest) -> Person | None:
    person = getattr(request, "person", None)
    return person if person else None


@dataclass(frozen=True)
class _Selection:
    """What the inbox's query string asks for: the person, what they may see, the filters' form and the query."""

    person: Person | None
    visibility: Visibility | None
    form: InboxFilterForm
    query: InboxQuery


def _selection(request: HttpRequest) -> _Selection:
    person = _person(request)
    visibility = unit_visibility(person=person)
    units = unit_filter_options(visibility=visibility, chosen=request.GET.get("enhet", ""))
    categories = categories_for_cases(person=person)
    form = InboxFilterForm(request.GET or None, categories=categories, units=units)
    form.is_valid()
    return _Selection(person, visibility, form, form.query())


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The cases the person may see, filtered and searched, in pages of 25 (a GET form: links can be shared and
    bookmarked). A case number in the search box opens that case when the person may see it."""
    selection = _selection(request)
    person, form = selection.person, selection.form
    number = form.case_number()
    if number is not None:
        found = case_by_number(person=person, number=number)
        if found is not None:
            return redirect("inbox:case", case_id=found.pk)
    query = dataclasses.replace(selection.query, **inbox_cursor(request.GET))
    today = timezone.localdate()
    if number is not None:  # a number nobody here may see: no rows, and the page says so
        page = InboxPage([], 0, 0, "", 0, query.order == ORDER_URGENT, visible=True, deadlines=Deadlines.on(today))
    else:
        page = inbox_page(person=person, query=query, today=today, visibility=selection.visibility)
    params = request.GET.copy()
    for name in ("efter", "fran"):
        params.pop(name, None)
    first_url = f"?{params.urlencode()}" if params else reverse("inbox:list")
    next_url = f"?{urlencode([*params.lists(), ('efter', page.next_cursor), ('fran', page.next_start)], doseq=True)}"
    export_query = f"?{params.urlencode()}" if params else ""
    context = _page_context(
        form=form,
        filtered=bool(request.GET),
        searched=bool(query.words) or number is not None,
        number_unknown=number,
        page=page,
        first_url=first_url,
        next_url=next_url,
        export_urls={fmt: f"{reverse('inbox:export', args=[fmt])}{export_query}" for fmt in EXPORT_FORMATS},
        person=person,
        case_href=_case_href(),
    )
    return render(request, "dialog/staff/inbox.html", context)


@login_required
@require_GET
def inbox_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The inbox's whole selection (its filters and search, every page) as a CSV or XLSX file, for the diarium."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    selection = _selection(request)
    export = export_selection(
        person=selection.person, query=selection.query, today=timezone.localdate(), visibility=selection.visibility
    )
    if export.too_many:
        limit = formats.number_format(export.limit, force_grouping=True)
        messages.error(request, ERROR_EXPORT_TOO_MANY % {"limit": limit})
        params = request.GET.urlencode()
        return redirect(f"{reverse('inbox:list')}{'?' + params if params else ''}")
    return export_response(export, fmt, today=timezone.localdate())


def _case_href() -> Callable[[int], str]:
    """The address of a case's page by its id, with one reverse() per page instead of one per row."""
    head, _sep, tail = reverse("inbox:case", args=[987654321]).partition("987654321")
    return lambda case_id: f"{head}{case_id}{tail}"


@dataclass(frozen=True)
class Action:
    """One action on a case: the URL slug, the form's prefix, and what to do with valid input."""

    prefix: str
    run: Callable[[HttpRequest, CasePage, forms.Form], str]
    # Service error keys that belong to another field of the form.
    fields: tuple[tuple[str, str], ...] = ()


def _answer(request: HttpRequest, page: CasePage, form: forms.Form) -> str:
    close = bool(form.cleaned_data["close"])
    services.case_answer(actor=request.user, case=page.case, text=form.cleaned_data["text"], close=close)
    mailed = bool(page.case.contact_email)
    if close:
        return str(MESSAGE_ANSWER_MAILED_CLOSED if mailed else MESSAGE_ANSWER_SAVED_CLOSED)
    return str(MESSAGE_ANSWER_MAILED if mailed else MESSAGE_ANSWER_SAVED)


def _note(request: HttpRequest, page: CasePage, form: forms.Form) -> str:
    services.case_note(actor=request.user, case=page.case, text=form.cleaned_data["text"])
    return str(MESSAGE_NOTE_SAVED)


def _move(request: HttpRequest, page: CasePage, form: forms.Form) -> str:
    unit = case_unit_choice(case=page.case, unit_id=form.cleaned_data["unit"])
    if unit.pk == page.case.unit_id:
        return str(MESSAGE_NOTHING_CHANGED)
    # The case's handler belongs to the unit it leaves; the unit that gets it gives it to one of its own.
    services.case_assign(actor=request.user, case=page.case, unit=unit, assignee=None)
    return str(MESSAGE_MOVED) % {"unit": unit.name}


def _assign(request: HttpRequest, page: CasePage, form: forms.Form) -> str:
    chosen = form.cleaned_data["assignee"]
    assignee = case_assignee_choice(case=page.case, person_id=chosen) if chosen else None
    if (assignee.pk if assignee else None) == page.case.assignee_id:
        return str(MESSAGE_NOTHING_CHANGED)
    services.case_assign(actor=request.user, case=page.case, unit=page.case.unit, assignee=assignee)
    return str(MESSAGE_ASSIGNED)


def _recategorise(request: HttpRequest, page: CasePage, form: forms.Form) -> str:
    assert isinstance(form, CategoryForm)
    category = case_category_choice(case=page.case, category_id=form.cleaned_data["category"])
    if category.pk == page.case.category_id:
        return str(MESSAGE_NOTHING_CHANGED)
    services.case_recategorise(actor=request.user, case=page.case, category=category)
    return str(MESSAGE_RECATEGORISED)


def _correct_text(request: HttpRequest, page: CasePage, form: forms.Form) -> str:
    services.case_correct_text(actor=request.user, case=page.case, text=form.cleaned_data["text"])
    return str(MESSAGE_TEXT_CORRECTED)


def _reject(request: HttpRequest, page: CasePage, form: forms.Form) -> str:
    services.case_reject(actor=request.user, case=page.case, reason=form.cleaned_data["reason"])
    return str(MESSAGE_REJECTED)


def _link_duplicate(request: HttpRequest, page: CasePage, form: forms.Form) -> str:
    original = case_by_number(person=_person(request), number=form.cleaned_data["number"])
    if original is None:
        raise ValidationError({"number": ERROR_NUMBER_UNKNOWN})
    case = services.case_link_duplicate(actor=request.user, case=page.case, original=original)
    assert case.duplicate_of is not None
    return str(MESSAGE_DUPLICATE_LINKED) % {"number": case.duplicate_of.number}


def _status(request: HttpRequest, page: CasePage, form: forms.Form) -> str:
    status = form.cleaned_data["status"]
    if status == page.case.status:
        return str(MESSAGE_NOTHING_CHANGED)
    services.case_status_set(actor=request.user, case=page.case, status=status)
    return str(MESSAGE_STATUS[status])


ACTIONS: dict[str, Action] = {
    "svara": Action("answer", _answer),
    "anteckning": Action("note", _note),
    "flytta": Action("move", _move),
    "handlaggare": Action("assign", _assign),
    "kategori": Action("category", _recategorise),
    "ratta-text": Action("correct", _correct_text),
    "inte-for-oss": Action("reject", _reject),
    "dubblett": Action("duplicate", _link_duplicate, (("original", "number"),)),
    "status": Action("status", _status),
}


def _forms(
    page: CasePage, data: Any = None, bound: str = "", answer_text: str = "", opened: str = ""
) -> dict[str, forms.Form]:
    """Every action form of the case page; only the one that was posted is bound to the posted data."""
    case = page.case

    def args(prefix: str) -> dict[str, Any]:
        return {"prefix": prefix, "data": data if prefix == bound else None}

    return {
        "answer": AnswerForm(**args("answer"), initial={"text": answer_text}),
        "note": NoteForm(**args("note")),
        "move": MoveForm(**args("move"), units=page.units, initial={"unit": opened or str(case.unit_id)}),
        "assign": AssignForm(**args("assign"), people=page.people, initial={"assignee": str(case.assignee_id or "")}),
        "category": CategoryForm(
            **args("category"), categories=page.categories, initial={"category": str(case.category_id)}
        ),
        "correct": CorrectTextForm(**args("correct"), initial={"text": case.text}),
        "reject": RejectForm(**args("reject")),
        "duplicate": DuplicateForm(**args("duplicate")),
        "status": StatusForm(**args("status")),
    }


def _render_case(request: HttpRequest, page: CasePage, case_forms: dict[str, forms.Form], **extra: Any) -> HttpResponse:
    failed = next((form for form in case_forms.values() if form.is_bound and form.errors), None)
    context = _page_context(page=page, forms=case_forms, failed=failed, **extra)
    return render(request, "dialog/staff/case_detail.html", context, status=page_status(failed))


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """A case: what the resident sent, its history, its deadlines, and the actions."""
    opened = request.GET.get("enhet", "")  # a unit whose level the move form opens ("Show the units below")
    page = case_page(person=_person(request), case_id=case_id, today=timezone.localdate(), open_unit=opened)
    template = answer_template_get(municipality_id=page.case.municipality_id, template_id=request.GET.get("mall"))
    case_forms = _forms(page, answer_text=template.text if template else "", opened=opened)
    news = page.case.resident_news_at is not None
    if news:  # opened by someone on staff: the inbox no longer marks it (this page still shows what is new)
        services.case_news_read(actor=request.user, case=page.case)
    return _render_case(request, page, case_forms, chosen_template=template, unit_opened=bool(opened), news=news)


@login_required
@require_POST
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    """Run one action of the case page; on success redirect back to the case with a message."""
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404
    posted_unit = request.POST.get("move-unit", "") if chosen.prefix == "move" else ""
    # A posted unit is offered again with its level, so that a unit opened below the first levels is a choice.
    page = case_page(person=_person(request), case_id=case_id, today=timezone.localdate(), open_unit=posted_unit)
    if posted_unit and "visa" in request.POST:  # "Show the units below": open that unit's level, move nothing
        query = urlencode({"enhet": posted_unit if posted_unit.isdigit() else ""})
        return redirect(f"{reverse('inbox:case', args=[page.case.pk])}?{query}#flytta")
    if chosen.prefix == "answer" and "answer-insert" in request.POST:
        return _insert_template(request, page)
    case_forms = _forms(page, data=request.POST, bound=chosen.prefix)
    form = case_forms[chosen.prefix]
    if form.is_valid():
        try:
            message = chosen.run(request, page, form)
        except ValidationError as error:
            service_errors(form, error, dict(chosen.fields))
        except DatabaseError as error:  # rolled back: the form comes back with what was typed (core/faults)
            not_saved(form, error, where=f"the case action {action}")
        else:
            messages.success(request, message)
            return redirect("inbox:case", case_id=page.case.pk)
    return _render_case(request, page, case_forms, chosen_template=None)


def with_template(typed: str, template: str) -> str:
    """The typed answer with a template's text added after it, a blank line between: nothing typed is lost."""
    typed = typed.rstrip()
    return f"{typed}\n\n{template}" if typed else template


def _insert_template(request: HttpRequest, page: CasePage) -> HttpResponse:
    """ "Insert the template" without JavaScript: the page again, the template's text added to what was typed.
    Nothing is sent or saved; the handler adapts the text and sends it."""
    template = answer_template_get(municipality_id=page.case.municipality_id, template_id=request.POST.get("mall"))
    typed = request.POST.get("answer-text", "")
    text = with_template(typed, template.text) if template is not None else typed
    if template is None:
        messages.error(request, ERROR_TEMPLATE_UNKNOWN)
    case_forms = _forms(page, answer_text=text)
    return _render_case(request, page, case_forms, chosen_template=template, template_inserted=template is not None)


@login_required
@require_GET
def case_photo(request: HttpRequest, case_id: int, attachment_id: int) -> FileResponse:
    """A photo the resident sent, only to staff who may see the case."""
    attachment = case_attachment_get(actor=request.user, case_id=case_id, attachment_id=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def statistics_chart(statistics: Statistics) -> BarChart:
    """Received and answered-within-promise cases per month, as bars (whole numbers)."""
    months = statistics.months
    return bar_chart(
        labels=[formats.date_format(row.month, "M") for row in months],
        series=[
            ChartSeries(str(_("Cases received")), [row.figures.received for row in months]),
            ChartSeries(str(_("Answered within the promise")), [row.figures.answered_in_time for row in months]),
        ],
        styles=["bar-received", "bar-in-time"],
        decimals=0,
    )


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """How promises are kept, per month and unit, for the units the person may see."""
    person = _person(request)
    visibility = unit_visibility(person=person)
    units = unit_filter_options(visibility=visibility, chosen=request.GET.get("enhet", ""))
    form = StatisticsFilterForm(request.GET or None, units=units)
    form.is_valid()
    figures = case_statistics_kept(person=person, unit=form.unit(), today=timezone.localdate(), visibility=visibility)
    context = _page_context(form=form, statistics=figures, chart=statistics_chart(figures))
    return render(request, "dialog/staff/statistics.html", context)
