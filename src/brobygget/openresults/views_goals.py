"""The public "Våra mål": the tree of published goals, one goal's page, its downloads; and the staff's Publicera
page of a goal's latest follow-up (openresults/goals.py says what is published and how)."""

import csv
import io
import json
from collections.abc import MutableMapping
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from brobygget.core.sections import Section
from brobygget.core.shared_pages import LazyContext, render_shared
from brobygget.dialog.public import public_setup
from brobygget.goals.models import Goal
from brobygget.goals.selectors import may_edit_read
from brobygget.openresults import goals
from brobygget.openresults.cache import public_cached, public_key
from brobygget.openresults.forms import PublishForm, WithdrawForm
from brobygget.openresults.models import GoalPublication
from brobygget.openresults.publishing import render_publish_page, submitted
from brobygget.openresults.views import LICENCE, page_number
from brobygget.organisation.models import Person

MESSAGE_PUBLISHED = _("The follow-up is published in “Our goals”.")
MESSAGE_WITHDRAWN = _("The publication is withdrawn. It no longer shows on the public pages.")
DOWNLOAD_FORMATS = ("csv", "json")
GOALS_PER_PAGE = 50  # the goals below a goal, on its own page
CSV_COLUMNS = ("id", "level", "title", "unit", "period", "status", "covers_until", "analysis", "published_on")


def _render_cached(request: HttpRequest, template: str, context: MutableMapping[str, Any], key: str) -> HttpResponse:
    return render_shared(request, template, context, key=key, timeout=settings.PUBLIC_RESULTS_CACHE_SECONDS, fresh={})


@require_http_methods(["GET", "HEAD"])
def our_goals(request: HttpRequest) -> HttpResponse:
    """The published goals from the vision down: status, the latest analysis and the indicators against their
    targets. Kept in the cache until something is published or withdrawn."""

    def build() -> dict[str, Any]:
        municipality = public_setup().municipality
        return {"tree": goals.public_goals_first_page(municipality=municipality), "municipality": municipality}

    # A kept page reads nothing; a miss reads the goals of the first page only (with the counts of those below).
    return _render_cached(request, "openresults/our_goals.html", LazyContext(build), public_key("our-goals-page"))


@require_http_methods(["GET", "HEAD"])
def our_goal(request: HttpRequest, publication_id: int) -> HttpResponse:
    """One published goal with its indicators' trends as charts and tables, and the goals listed below it (those of
    förvaltningar and units working towards a goal of the first page), in pages."""
    goal = public_cached(
        "our-goal",
        publication_id,
        build=lambda: _or_empty(
            lambda: goals.public_goal_get(municipality=public_setup().municipality, publication_id=publication_id)
        ),
    )
    if not goal:
        raise Http404
    number = page_number(request)

    def build() -> dict[str, Any]:
        below = goals.public_goals_below(goal=goal, number=number, per_page=GOALS_PER_PAGE)
        return {"goal": goal, "below": below}

    # A kept page reads nothing but the goal (to answer 404 for a withdrawn one); a miss reads the page's goals.
    return _render_cached(
        request, "openresults/our_goal.html", LazyContext(build), public_key("our-goal-page", publication_id, number)
    )


def _or_empty(build: Any) -> Any:
    try:
        return build()
    except Http404:
        return ""


@require_http_methods(["GET", "HEAD"])
def our_goals_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The tree's table as CSV or JSON: the same goals and figures as the page."""
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404
    municipality = public_setup().municipality

    def build() -> tuple[str, str]:
        tree = goals.public_goal_tree(municipality=municipality)
        if fmt == "json":
            document = {"title": str(_("Our goals")), "licence": LICENCE, "goals": [goal.as_dict() for goal in tree]}
            return json.dumps(document, ensure_ascii=False, indent=1), "application/json; charset=utf-8"
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for goal in tree:
            values = goal.as_dict()
            writer.writerow([values[column] for column in CSV_COLUMNS])
        return out.getvalue(), "text/csv; charset=utf-8"

    body, content_type = public_cached("our-goals-download", fmt, build=build)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="vara-mal.{fmt}"'
    return response


# Staff: publishing a goal's follow-up.


def _render_publish(
    request: HttpRequest,
    goal_id: int,
    publish_form: PublishForm | None = None,
    withdraw_form: WithdrawForm | None = None,
) -> HttpResponse:
    preview = goals.goal_publication_preview(
        person=getattr(request, "person", None), goal_id=goal_id, actor=request.user
    )
    context = {
        "preview": preview,
        "goal": preview.goal,
        "indicators": [goals._indicator(shown) for shown in preview.indicators],
    }
    return render_publish_page(
        request,
        "openresults/goal_publish.html",
        context,
        digest=preview.digest,
        publish_form=publish_form,
        withdraw_form=withdraw_form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_publish(request: HttpRequest, goal_id: int) -> HttpResponse:
    """Publicera: the goal's latest follow-up as it would be published (masked, each masked part marked)."""
    if request.method != "POST":
        return _render_publish(request, goal_id)
    form = PublishForm(request.POST)
    if submitted(
        request,
        form,
        lambda data: goals.goal_publication_publish(actor=request.user, goal_id=goal_id, confirmed=data["confirmed"]),
        where="goal_publication_publish",
        done=str(MESSAGE_PUBLISHED),
    ):
        return redirect("openresults:goal_publish", goal_id=goal_id)
    return _render_publish(request, goal_id, publish_form=form)


@login_required
@require_POST
def goal_withdraw(request: HttpRequest, publication_id: int) -> HttpResponse:
    """Take a goal's publication off "Våra mål", with the reason."""
    publication = get_object_or_404(GoalPublication.objects.only("pk", "goal_id"), pk=publication_id)
    form = WithdrawForm(request.POST)
    if submitted(
        request,
        form,
        lambda data: goals.goal_publication_withdraw(
            actor=request.user, publication=publication, reason=data["reason"]
        ),
        where="goal_publication_withdraw",
        done=str(MESSAGE_WITHDRAWN),
    ):
        return redirect("openresults:goal_publish", goal_id=publication.goal_id)
    return _render_publish(request, publication.goal_id, withdraw_form=form)


def goal_page_section(goal: Goal, person: Person | None) -> Section | None:
    """On a goal's page: whether it is on "Våra mål", and for those who may change the goal the way to publish its
    latest follow-up. One query (prepared); who may change the goal is read from the roles read with the person."""
    live = goals.live_goal_publication(goal_id=goal.pk)
    editor = may_edit_read(person, goal.unit)
    if not live and not editor:
        return None
    live_id, covers_until = live[0] if live else (None, None)
    context = {"goal": goal, "live_id": live_id, "covers_until": covers_until, "editor": editor}
    return Section("openresults/goal_section.html", context)
