"""Staff pages of follow-ups: the form that follows up a goal (a span of its rhythm, a status and the analysis) with
its earlier follow-ups, and a submitted follow-up as it was kept (its snapshot)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from brobygget.core.faults import not_saved, page_status, service_errors
from brobygget.core.sections import Section
from brobygget.goals import followups, selectors
from brobygget.goals.dashboard import number_text
from brobygget.goals.forms_followup import FollowUpForm
from brobygget.goals.kept import kept_rolled_of
from brobygget.goals.models import FollowUp, Goal
from brobygget.goals.rollup import status_word
from brobygget.organisation.models import Person, Role

MESSAGE_SUBMITTED = _("The follow-up is saved. It is kept as it is now, for the reports.")
ERROR_NOTHING_OPEN = _("Every span of the goal that has come is followed up already.")


def _person(request: HttpRequest) -> Person | None:
    person = getattr(request, "person", None)
    return person if person else None


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, goal_id: int) -> HttpResponse:
    """Follow up a goal: the spans open today, a status and the analysis; the goal's earlier follow-ups below."""
    goal = selectors.goal_get(person=_person(request), goal_id=goal_id)
    if not followups.may_follow_up(actor=request.user, goal=goal):
        raise PermissionDenied(followups.ERROR_NOT_ALLOWED)
    spans = [] if goal.archived else followups.open_spans(goal=goal, today=timezone.localdate())
    chosen = request.GET.get("period_slut", "")
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        spans=spans,
        initial={"covers_until": chosen or (spans[0].isoformat() if spans else "")},
    )
    if form.is_bound and form.is_valid():
        try:
            followups.follow_up_submit(
                actor=request.user, goal=goal, covers_until=form.covers_until_date(), data=form.to_input()
            )
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="follow_up_submit")
        else:
            messages.success(request, str(MESSAGE_SUBMITTED))
            return redirect("goals:detail", goal_id=goal.pk)
    context = {
        "goal": goal,
        "form": form,
        "spans": spans,
        "earlier": followups.goal_follow_ups(goal=goal),
        "status_word": status_word,
        "nothing_open": ERROR_NOTHING_OPEN,
    }
    return render(request, "goals/follow_up_form.html", context, status=page_status(form))


@login_required
@require_GET
def follow_up_detail(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    """A submitted follow-up as it was kept: what the report prints of it, as it read then."""
    found = FollowUp.objects.filter(pk=follow_up_id).values_list("goal_id", flat=True).first()
    if found is None:
        raise Http404
    goal = selectors.goal_get(person=_person(request), goal_id=found)
    follow_up = FollowUp.objects.select_related("submitted_by").get(pk=follow_up_id)
    context = {
        "goal": goal,
        "follow_up": follow_up,
        "snap": follow_up.snapshot,
        "status_word": status_word,
        "number": number_text,
    }
    return render(request, "goals/follow_up_detail.html", context)


def _may_follow_up_read(person: Person | None, goal: Goal) -> bool:
    """`followups.may_follow_up` from the roles read with the person (no query): the responsible person, a leader
    of the goal's unit or a unit above it, or an administrator of the municipality. The service checks again."""
    if person is None or person.municipality_id != goal.municipality_id:
        return False
    if person.pk == goal.responsible_id:
        return True
    return any(
        role.role == Role.ADMIN or (role.role == Role.LEADER and goal.unit.path.startswith(role.unit_path))
        for role in getattr(person, "unit_roles", [])
    )


def goal_page_section(goal: Goal, person: Person | None) -> Section:
    """The goal's page shows its status (its latest follow-up, and the roll-up of what contributes to it, with the
    explanation, kept: goals.kept, read with the goal), its follow-ups and the link to follow it up. Two queries, and
    one more when the roll-up is red or yellow (an archived goal is not rolled up: one)."""
    rolled = None if goal.archived else kept_rolled_of(goal)
    context = {
        "rolled": rolled,
        "earlier": followups.goal_page_follow_ups(goal_id=goal.pk),
        "may_follow_up": not goal.archived and _may_follow_up_read(person, goal),
        "status_word": status_word,
    }
    return Section("goals/goal_page_follow_ups.html", context)
