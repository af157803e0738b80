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
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

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
from brobygget.dialog.models import Case, Status
from brobygget.dialog.selectors import case_get
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
    case_categories,
    case_category_choice,
    case_move_units,
    case_page,
    case_unit_choice,
    case_visible,
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
    """One action on a case: the URL slug, the form's prefix, and what to do with valid input. A rarer action has a
    page of its own at its slug (`title` its heading), reached by a link from the case's page; the frequent ones
    (answer, note, give to a handler, status) are forms of the case's page."""

    prefix: str
    run: Callable[[HttpRequest, Case, forms.Form], str]
    # Service error keys that belong to another field of the form.
    fields: tuple[tuple[str, str], ...] = ()
    title: Any = None


def _answer(request: HttpRequest, case: Case, form: forms.Form) -> str:
    close = bool(form.cleaned_data["close"])
    services.case_answer(actor=request.user, case=case, text=form.cleaned_data["text"], close=close)
    mailed = bool(case.contact_email)
    if close:
        return str(MESSAGE_ANSWER_MAILED_CLOSED if mailed else MESSAGE_ANSWER_SAVED_CLOSED)
    return str(MESSAGE_ANSWER_MAILED if mailed else MESSAGE_ANSWER_SAVED)


def _note(request: HttpRequest, case: Case, form: forms.Form) -> str:
    services.case_note(actor=request.user, case=case, text=form.cleaned_data["text"])
    return str(MESSAGE_NOTE_SAVED)


def _move(request: HttpRequest, case: Case, form: forms.Form) -> str:
    unit = case_unit_choice(case=case, unit_id=form.cleaned_data["unit"])
    if unit.pk == case.unit_id:
        return str(MESSAGE_NOTHING_CHANGED)
    # The case's handler belongs to the unit it leaves; the unit that gets it gives it to one of its own.
    services.case_assign(actor=request.user, case=case, unit=unit, assignee=None)
    return str(MESSAGE_MOVED) % {"unit": unit.name}


def _assign(request: HttpRequest, case: Case, form: forms.Form) -> str:
    chosen = form.cleaned_data["assignee"]
    assignee = case_assignee_choice(case=case, person_id=chosen) if chosen else None
    if (assignee.pk if assignee else None) == case.assignee_id:
        return str(MESSAGE_NOTHING_CHANGED)
    services.case_assign(actor=request.user, case=case, unit=case.unit, assignee=assignee)
    return str(MESSAGE_ASSIGNED)


def _recategorise(request: HttpRequest, case: Case, form: forms.Form) -> str:
    assert isinstance(form, CategoryForm)
    category = case_category_choice(case=case, category_id=form.cleaned_data["category"])
    if category.pk == case.category_id:
        return str(MESSAGE_NOTHING_CHANGED)
    services.case_recategorise(actor=request.user, case=case, category=category)
    return str(MESSAGE_RECATEGORISED)


def _correct_text(request: HttpRequest, case: Case, form: forms.Form) -> str:
    services.case_correct_text(actor=request.user, case=case, text=form.cleaned_data["text"])
    return str(MESSAGE_TEXT_CORRECTED)


def _reject(request: HttpRequest, case: Case, form: forms.Form) -> str:
    services.case_reject(actor=request.user, case=case, reason=form.cleaned_data["reason"])
    return str(MESSAGE_REJECTED)


def _link_duplicate(request: HttpRequest, case: Case, form: forms.Form) -> str:
    original = case_by_number(person=_person(request), number=form.cleaned_data["number"])
    if original is None:
        raise ValidationError({"number": ERROR_NUMBER_UNKNOWN})
    linked = services.case_link_duplicate(actor=request.user, case=case, original=original)
    assert linked.duplicate_of is not None
    return str(MESSAGE_DUPLICATE_LINKED) % {"number": linked.duplicate_of.number}


def _status(request: HttpRequest, case: Case, form: forms.Form) -> str:
    status = form.cleaned_data["status"]
    if status == case.status:
        return str(MESSAGE_NOTHING_CHANGED)
    services.case_status_set(actor=request.user, case=case, status=status)
    return str(MESSAGE_STATUS[status])


ACTIONS: dict[str, Action] = {
    "svara": Action("answer", _answer),
    "anteckning": Action("note", _note),
    "handlaggare": Action("assign", _assign),
    "status": Action("status", _status),
    # The rarer actions, each on a page of its own (in the order the case page links them).
    "flytta": Action("move", _move, title=_("Move the case")),
    "kategori": Action("category", _recategorise, title=_("Correct the category")),
    "ratta-text": Action("correct", _correct_text, title=_("Correct the text")),
    "inte-for-oss": Action("reject", _reject, title=_("Not for us")),
    "dubblett": Action("duplicate", _link_duplicate, (("original", "number"),), title=_("Link as a duplicate")),
}
# The links to the rarer actions' pages: (slug, label). "Not for us" is left out of a closed case's page.
ACTION_PAGES = [(slug, action.title) for slug, action in ACTIONS.items() if action.title is not None]


def _forms(page: CasePage, data: Any = None, bound: str = "", answer_text: str = "") -> dict[str, forms.Form]:
    """The action forms of the case page; only the one that was posted is bound to the posted data."""
    case = page.case

    def args(prefix: str) -> dict[str, Any]:
        return {"prefix": prefix, "data": data if prefix == bound else None}

    return {
        "answer": AnswerForm(**args("answer"), initial={"text": answer_text}),
        "note": NoteForm(**args("note")),
        "assign": AssignForm(**args("assign"), people=page.people, initial={"assignee": str(case.assignee_id or "")}),
        "status": StatusForm(**args("status")),
    }


def _action_href(case_id: int) -> Callable[[str], str]:
    """The address of an action on a case by its slug, with one reverse() per page instead of one per action (the
    case page links nine)."""
    head, _sep, tail = reverse("inbox:action", args=[case_id, "action"]).rpartition("action")
    return lambda slug: f"{head}{slug}{tail}"


def _render_case(request: HttpRequest, page: CasePage, case_forms: dict[str, forms.Form], **extra: Any) -> HttpResponse:
    failed = next((form for form in case_forms.values() if form.is_bound and form.errors), None)
    context = _page_context(
        page=page,
        forms=case_forms,
        failed=failed,
        action_pages=ACTION_PAGES,
        action_href=_action_href(page.case.pk),
        **extra,
    )
    return render(request, "dialog/staff/case_detail.html", context, status=page_status(failed))


@login_required
@require_GET
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """A case: what the resident sent, its history, its deadlines, the frequent actions and links to the rarer."""
    page = case_page(person=_person(request), case_id=case_id, today=timezone.localdate())
    template = answer_template_get(municipality_id=page.case.municipality_id, template_id=request.GET.get("mall"))
    case_forms = _forms(page, answer_text=template.text if template else "")
    news = page.case.resident_news_at is not None
    if news:  # opened by someone on staff: the inbox no longer marks it (this page still shows what is new)
        services.case_news_read(actor=request.user, case=page.case)
    return _render_case(request, page, case_forms, chosen_template=template, news=news)


def _action_form(action: Action, case: Case, data: Any = None, open_unit: str = "") -> forms.Form:
    """The form of a rarer action's page, with the choices it offers read now (the units only for a move, the
    categories only for a correction of the category)."""
    prefix = action.prefix
    if prefix == "move":
        units = case_move_units(case=case, open_unit=open_unit)
        return MoveForm(data, prefix=prefix, units=units, initial={"unit": open_unit or str(case.unit_id)})
    if prefix == "category":
        categories = case_categories(case=case)
        return CategoryForm(data, prefix=prefix, categories=categories, initial={"category": str(case.category_id)})
    if prefix == "correct":
        return CorrectTextForm(data, prefix=prefix, initial={"text": case.text})
    if prefix == "reject":
        return RejectForm(data, prefix=prefix)
    return DuplicateForm(data, prefix=prefix)


def _render_action(request: HttpRequest, slug: str, case: Case, form: forms.Form, **extra: Any) -> HttpResponse:
    failed = form if form.is_bound and form.errors else None
    context = _page_context(case=case, slug=slug, title=ACTIONS[slug].title, form=form, failed=failed, **extra)
    return render(request, "dialog/staff/case_action.html", context, status=page_status(failed))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    """One action on a case. A GET shows a rarer action's page (the frequent ones are forms of the case's page); a
    POST runs the action and on success redirects to the case with a message. A refused action shows its form
    again, on the case's page or the action's own, with the reason and what was typed."""
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404
    if request.method != "POST":
        if chosen.title is None:
            return HttpResponseNotAllowed(["POST"])
        return _action_page(request, case_id, action, chosen)
    if chosen.title is not None:
        return _action_post(request, case_id, action, chosen)
    page = case_page(person=_person(request), case_id=case_id, today=timezone.localdate())
    if chosen.prefix == "answer" and "answer-insert" in request.POST:
        return _insert_template(request, page)
    case_forms = _forms(page, data=request.POST, bound=chosen.prefix)
    if _run(request, chosen, action, page.case, case_forms[chosen.prefix]):
        return redirect("inbox:case", case_id=page.case.pk)
    return _render_case(request, page, case_forms, chosen_template=None)


def _action_page(request: HttpRequest, case_id: int, slug: str, action: Action) -> HttpResponse:
    """A rarer action's own page: the case in brief and the action's form (a move opens the level of `enhet`)."""
    case = case_get(person=_person(request), case_id=case_id)
    opened = request.GET.get("enhet", "") if action.prefix == "move" else ""
    return _render_action(request, slug, case, _action_form(action, case, open_unit=opened), unit_opened=bool(opened))


def _action_post(request: HttpRequest, case_id: int, slug: str, action: Action) -> HttpResponse:
    case = case_get(person=_person(request), case_id=case_id)
    posted_unit = request.POST.get("move-unit", "") if action.prefix == "move" else ""
    if posted_unit and "visa" in request.POST:  # "Show the units below": open that unit's level, move nothing
        query = urlencode({"enhet": posted_unit if posted_unit.isdigit() else ""})
        return redirect(f"{reverse('inbox:action', args=[case.pk, slug])}?{query}")
    # A posted unit is offered again with its level, so that a unit opened below the first levels is a choice.
    form = _action_form(action, case, data=request.POST, open_unit=posted_unit)
    if _run(request, action, slug, case, form):
        if action.prefix == "move" and not case_visible(person=_person(request), case_id=case.pk):
            return redirect("inbox:list")  # moved out of what the person sees: its page would be a 404
        return redirect("inbox:case", case_id=case.pk)
    return _render_action(request, slug, case, form, unit_opened=bool(posted_unit))


def _run(request: HttpRequest, action: Action, slug: str, case: Case, form: forms.Form) -> bool:
    """Validate the form and run the action; True when it was done (its message is added), False when the form
    now holds why not."""
    if not form.is_valid():
        return False
    try:
        message = action.run(request, case, form)
    except ValidationError as error:
        service_errors(form, error, dict(action.fields))
    except DatabaseError as error:  # rolled back: the form comes back with what was typed (core/faults)
        not_saved(form, error, where=f"the case action {slug}")
    else:
        messages.success(request, message)
        return True
    return False


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
