"""HTML that a staff page repeats many times, written in Python: the inbox's rows (as core/widgets.py does for
form widgets).

Jinja2 spends a few microseconds on each expression it writes, and a page of 25 cases is some 250 of them: a
fifth of the inbox's time. Here every row is one f-string, and every value in it goes through `escape`."""

from collections.abc import Callable

from django.utils.translation import gettext
from markupsafe import Markup, escape

from brobygget.dialog.selectors_staff import DUE_SOON, OVERDUE, CaseRow


def case_rows_html(rows: list[CaseRow], href: Callable[[int], str]) -> Markup:
    """The `<tr>` of each case: number (a link to the case), kind, category, unit, handler, status, the day it
    came in and the answer-by date, with "Overdue" or "Due soon" beside it and on the row."""
    nobody = f'<span class="meta">{escape(gettext("Nobody yet"))}</span>'
    marks = {
        OVERDUE: f' <span class="badge badge-overdue">{escape(gettext("Overdue"))}</span>',
        DUE_SOON: f' <span class="badge badge-soon">{escape(gettext("Due soon"))}</span>',
    }
    html = []
    for row in rows:
        state = f' class="row-{escape(row.state)}"' if row.state else ""
        html.append(
            f"<tr{state}>"
            f'<th scope="row"><a href="{escape(href(row.id))}">{escape(row.number)}</a></th>'
            f"<td>{escape(row.kind_label)}</td>"
            f"<td>{escape(row.category)}</td>"
            f"<td>{escape(row.unit)}</td>"
            f"<td>{escape(row.assignee) if row.assignee else nobody}</td>"
            f'<td><span class="badge badge-status badge-{escape(row.status)}">{escape(row.status_label)}</span></td>'
            f'<td class="nowrap">{escape(row.received_label)}</td>'
            f'<td class="nowrap">{escape(row.answer_due_label)}{marks.get(row.state, "")}</td>'
            "</tr>"
        )
    return Markup("\n".join(html))  # noqa: S704 - every value above went through escape
