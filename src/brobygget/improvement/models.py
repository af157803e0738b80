"""Improvements on a unit's board, worked in small steps (PGSA): their rounds of the wheel and every move.

Nothing is deleted (`PROTECT` everywhere): an improvement that was abandoned stays, with what was learned."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brobygget.core.models import Municipality
from brobygget.goals.models import Goal
from brobygget.organisation.models import Person, Unit

TEXT_MAX_LENGTH = 4000


class Stage(models.TextChoices):
    IDEA = "idea", _("Idea")
    PLAN = "plan", _("Plan")
    DO = "do", _("Do")
    STUDY = "study", _("Study")
    ACT = "act", _("Act")
    DONE = "done", _("Done")


# The stages in the order of the wheel; a move goes one step forward or back (services.improvement_move).
STAGES: tuple[str, ...] = tuple(Stage.values)


def next_stage(stage: str) -> str | None:
    """Where an improvement in `stage` moves on to: Act starts a new round in Plan (Done is a finish, not a move)."""
    if stage == Stage.ACT:
        return Stage.PLAN
    if stage == Stage.DONE:
        return None
    return STAGES[STAGES.index(stage) + 1]


def previous_stage(stage: str, round_number: int) -> str | None:
    """Where an improvement in `stage` moves back to; a round after the first starts in Plan and goes back no
    further, and a finished improvement does not move."""
    if stage in (Stage.IDEA, Stage.DONE) or (stage == Stage.PLAN and round_number > 1):
        return None
    return STAGES[STAGES.index(stage) - 1]


# The question each stage asks; Idea asks none, Done is the end.
QUESTIONS = {
    "plan": _("What do we expect to happen?"),
    "do": _("What did we do?"),
    "study": _("What happened compared with what we expected?"),
    "act": _("Adopt, adapt or abandon?"),
}


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    ADAPTED = "adapted", _("Adopted with changes")
    # A valid outcome, never shown as a failure: what was learned is the result.
    ABANDONED = "abandoned", _("Ended without adoption – this is what we learned")


class Decision(models.TextChoices):
    """Agera's answer for a round: adopt (the improvement is done), adapt (a new round), or abandon."""

    ADOPT = "adopt", _("Adopt")
    ADAPT = "adapt", _("Adapt and try again")
    ABANDON = "abandon", _("Abandon")


class Improvement(models.Model):
    """A change a unit tries in small steps, from a problem as residents or colleagues meet it."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="improvements", verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("the problem, as residents or colleagues meet it"), max_length=TEXT_MAX_LENGTH)
    value_for_resident = models.TextField(_("what value it creates for the resident"), max_length=TEXT_MAX_LENGTH)
    idea = models.TextField(_("the idea"), max_length=TEXT_MAX_LENGTH)
    measure = models.TextField(_("how we will know it got better"), max_length=TEXT_MAX_LENGTH)
    baseline = models.CharField(_("baseline"), max_length=500, blank=True)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=12, decimal_places=2, null=True, blank=True)
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="owned_improvements", verbose_name=_("owner")
    )
    involved = models.ManyToManyField(Person, related_name="improvements_involved_in", blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.IDEA)
    round_number = models.PositiveSmallIntegerField(default=1, verbose_name=_("round"))
    # When the improvement came to its stage: the board shows what moved since the last meeting.
    stage_changed_at = models.DateTimeField(verbose_name=_("stage changed"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    lesson = models.TextField(_("what we learned"), max_length=TEXT_MAX_LENGTH, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished"))
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("changed"))
    # The goal the improvement contributes to (goals.Goal): shown on both pages.
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, null=True, blank=True, related_name="improvements", verbose_name=_("goal")
    )

    class Meta:
        verbose_name = _("improvement")
        verbose_name_plural = _("improvements")
        constraints = [
            models.CheckConstraint(
                condition=(Q(stage="done", finished_at__isnull=False) & ~Q(outcome=""))
                | (~Q(stage="done") & Q(outcome="", finished_at__isnull=True)),
                name="improvement_outcome_when_done",
            )
        ]
        indexes = [
            # The board: a unit's improvements still on the wheel, and those finished lately.
            models.Index(fields=["unit", "stage", "due_date"], name="improvement_board"),
            models.Index(fields=["unit", "finished_at"], name="improvement_unit_finished"),
            # The search without words: a municipality's completed improvements, the latest first.
            models.Index(fields=["municipality", "finished_at"], name="improvement_finished"),
            # A person's own improvements by due date (Min sida, to come).
            models.Index(fields=["owner", "stage", "due_date"], name="improvement_owner_due"),
            # A goal's improvements, the newest first (its page lists some and counts the rest; goals_link).
            models.Index(fields=["goal", "created_at", "id"], name="improvement_goal_newest"),
            # The municipality's improvements that name a goal, the newest first: a large unit's goal dashboard
            # finds its own among them (goals_link). Those that name none are not in it.
            models.Index(
                fields=["municipality", "created_at", "id"],
                condition=Q(goal__isnull=False),
                name="improvement_with_goal_newest",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ImprovementRound(models.Model):
    """One turn of the wheel, with the answer of each stage; every round is kept."""

    improvement = models.ForeignKey(
        Improvement, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("improvement")
    )
    number = models.PositiveSmallIntegerField(verbose_name=_("number"))
    # Planera: what do we expect to happen?
    expectation = models.TextField(_("what we expect to happen"), max_length=TEXT_MAX_LENGTH, blank=True)
    # Göra: what did we do?
    actions = models.TextField(_("what we did"), max_length=TEXT_MAX_LENGTH, blank=True)
    # Studera: what happened compared with what we expected?
    result = models.TextField(_("what happened compared with what we expected"), max_length=TEXT_MAX_LENGTH, blank=True)
    # Agera: adopt, adapt or abandon, and why.
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_text = models.TextField(_("why we decided so"), max_length=TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["improvement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["improvement", "number"], name="improvement_round_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.improvement_id}/{self.number}"


class StageMove(models.Model):
    """A move of an improvement from one stage to another, by a person at a time: the improvement's history."""

    improvement = models.ForeignKey(
        Improvement, on_delete=models.PROTECT, related_name="moves", verbose_name=_("improvement")
    )
    round = models.ForeignKey(ImprovementRound, on_delete=models.PROTECT, related_name="+", verbose_name=_("round"))
    from_stage = models.CharField(max_length=10, choices=Stage.choices, verbose_name=_("from stage"))
    to_stage = models.CharField(max_length=10, choices=Stage.choices, verbose_name=_("to stage"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    at = models.DateTimeField(verbose_name=_("time"))

    class Meta:
        verbose_name = _("move")
        verbose_name_plural = _("moves")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["improvement", "at"], name="stage_move_history")]

    def __str__(self) -> str:
        return f"{self.improvement_id}: {self.from_stage} → {self.to_stage}"


class ImprovementTally(models.Model):
    """A team's figures (`improvement.figures`), kept per unit and local year by the services that change them
    (`improvement.tally`), so the figures page reads a few rows per unit and year whatever the number of
    improvements and moves.

    `raised` counts the improvements raised in the year, `completed` those finished in it, `completed_with_effect`
    those of them adopted (or adopted with changes) with an answer to Study's question in the round they finished
    in. `stays` counts the stays in each stage that ended in the year by their length in whole days:
    {"idea": {"3": 2, "17": 1}, "plan": {...}}."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    raised = models.PositiveIntegerField(default=0, verbose_name=_("raised"))
    completed = models.PositiveIntegerField(default=0, verbose_name=_("completed"))
    completed_with_effect = models.PositiveIntegerField(default=0, verbose_name=_("completed with a measured effect"))
    stays = models.JSONField(default=dict, verbose_name=_("days in each stage"))

    class Meta:
        verbose_name = _("improvement count")
        verbose_name_plural = _("improvement counts")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="improvement_tally_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"


class ImprovementCase(models.Model):
    """A resident's case an improvement was raised from (or linked to later): shown on both pages."""

    improvement = models.ForeignKey(
        Improvement, on_delete=models.PROTECT, related_name="case_links", verbose_name=_("improvement")
    )
    case = models.ForeignKey(
        "dialog.Case", on_delete=models.PROTECT, related_name="improvement_links", verbose_name=_("case")
    )
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("case of an improvement")
        verbose_name_plural = _("cases of improvements")
        constraints = [models.UniqueConstraint(fields=["improvement", "case"], name="improvement_case_unique")]

    def __str__(self) -> str:
        return f"{self.improvement_id} ← {self.case_id}"


class Spread(models.Model):
    """A completed improvement adopted by another unit: the linked copy on that unit's board."""

    original = models.ForeignKey(
        Improvement, on_delete=models.PROTECT, related_name="spread_to", verbose_name=_("original")
    )
    copy = models.OneToOneField(
        Improvement, on_delete=models.PROTECT, related_name="spread_from", verbose_name=_("copy")
    )
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("spread")
        verbose_name_plural = _("spreads")

    def __str__(self) -> str:
        return f"{self.original_id} → {self.copy_id}"


class ResidentSummary(models.Model):
    """What residents told us and what we changed: written by the owner when an improvement linked to resident
    cases is adopted, mailed to the residents of those cases who wanted answers, and kept for "Du sa – vi gjorde".
    Nothing about the residents themselves goes into it."""

    improvement = models.OneToOneField(
        Improvement, on_delete=models.PROTECT, related_name="resident_summary", verbose_name=_("improvement")
    )
    you_said = models.TextField(_("what residents told us"), max_length=TEXT_MAX_LENGTH)
    we_did = models.TextField(_("what we changed"), max_length=TEXT_MAX_LENGTH)
    written_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by"))
    written_at = models.DateTimeField(verbose_name=_("written"))

    class Meta:
        verbose_name = _("summary for residents")
        verbose_name_plural = _("summaries for residents")

    def __str__(self) -> str:
        return str(self.improvement_id)


class DeviationState(models.TextChoices):
    """Where a deviation is: waiting for its unit's leader, or triaged into a learning or an improvement, or closed."""

    NEW = "new", _("Waiting for triage")
    LEARNING = "learning", _("Made into a learning")
    IMPROVEMENT = "improvement", _("Made into an improvement")
    CLOSED = "closed", _("Closed")


class Deviation(models.Model):
    """Something that did not go as we wanted ("det blev inte som vi ville"), reported by anyone on staff and
    triaged by the unit's leader. Nothing is deleted: a closed deviation keeps its reason."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="deviations", verbose_name=_("unit"))
    what_happened = models.TextField(_("what happened"), max_length=TEXT_MAX_LENGTH)
    where = models.CharField(_("where"), max_length=200)
    happened_at = models.DateTimeField(_("when"))
    reported_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by"))
    reported_at = models.DateTimeField(verbose_name=_("reported"))
    state = models.CharField(_("state"), max_length=12, choices=DeviationState.choices, default=DeviationState.NEW)
    # Who triaged it, when; empty while it waits. Empty too when it became an anonymous learning: the triage wrote
    # that learning, so naming the leader would name its author (docs/improvement.md, Anonymity).
    triaged_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("triaged by")
    )
    triaged_at = models.DateTimeField(null=True, blank=True, verbose_name=_("triaged"))
    close_reason = models.TextField(_("why it was closed"), max_length=TEXT_MAX_LENGTH, blank=True)
    improvement = models.ForeignKey(
        Improvement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deviations",
        verbose_name=_("improvement"),
    )

    class Meta:
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="new", triaged_at__isnull=True) | (~Q(state="new") & Q(triaged_at__isnull=False)),
                name="deviation_triaged_when_not_new",
            ),
            models.CheckConstraint(condition=~Q(state="closed") | ~Q(close_reason=""), name="deviation_closed_reason"),
            models.CheckConstraint(
                condition=~Q(state="improvement") | Q(improvement__isnull=False), name="deviation_improvement_linked"
            ),
        ]
        indexes = [
            # A leader's deviations waiting for triage, oldest first, in the units they lead.
            models.Index(fields=["unit", "state", "reported_at"], name="deviation_triage"),
            models.Index(fields=["reported_by", "reported_at"], name="deviation_reporter"),
        ]

    def __str__(self) -> str:
        return f"{self.pk}: {self.where}"


class Learning(models.Model):
    """What we learned, written without blame: what happened, what we expected, what we learned, what we change.

    Shared with the whole municipality. When `anonymous`, the author is not kept at all (`author` is empty, by
    constraint): no page, search, admin or audit event can name them, because nothing stored does."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="learnings", verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=200)
    what_happened = models.TextField(_("what happened"), max_length=TEXT_MAX_LENGTH)
    what_we_expected = models.TextField(_("what we expected"), max_length=TEXT_MAX_LENGTH)
    what_we_learned = models.TextField(_("what we learned"), max_length=TEXT_MAX_LENGTH)
    what_we_change = models.TextField(_("what we change"), max_length=TEXT_MAX_LENGTH)
    improvement = models.ForeignKey(
        Improvement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learnings",
        verbose_name=_("improvement"),
    )
    deviation = models.ForeignKey(
        Deviation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learnings",
        verbose_name=_("deviation"),
    )
    anonymous = models.BooleanField(_("anonymous to readers"), default=False)
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("author")
    )
    written_at = models.DateTimeField(verbose_name=_("written"))

    class Meta:
        verbose_name = _("learning")
        verbose_name_plural = _("learnings")
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=True, author__isnull=True) | Q(anonymous=False, author__isnull=False),
                name="learning_author_unless_anonymous",
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "written_at"], name="learning_written"),
            models.Index(fields=["unit", "written_at"], name="learning_unit_written"),
        ]

    def __str__(self) -> str:
        return self.title


class Recognition(models.Model):
    """A thank-you ("uppmärksamma") to a colleague or a team for something concrete, optionally about an improvement
    or a learning. Shown on the unit's page and to the person thanked; never counted, never ranked. The person
    thanked may choose not to show it in the organisation (it still shows to them, and stays stored)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    given_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("given by"))
    # To a person (shown on the pages of their units) or to a unit (a team), never both.
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognitions_received",
        verbose_name=_("person"),
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="recognitions", verbose_name=_("unit"))
    text = models.TextField(_("what we thank them for"), max_length=TEXT_MAX_LENGTH)
    improvement = models.ForeignKey(
        Improvement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognitions",
        verbose_name=_("improvement"),
    )
    learning = models.ForeignKey(
        Learning, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("learning")
    )
    shown_in_organisation = models.BooleanField(_("shown in the organisation"), default=True)
    given_at = models.DateTimeField(verbose_name=_("given"))

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        indexes = [
            models.Index(fields=["unit", "given_at"], name="recognition_unit_given"),
            models.Index(fields=["person", "given_at"], name="recognition_person_given"),
        ]

    def __str__(self) -> str:
        return f"{self.pk}"


class ImprovementRoutine(models.Model):
    """An adopted improvement that became one of its unit's routines (`organisation.Routine`), the way of working
    from now on: the improvement's page and the routine point at each other."""

    improvement = models.OneToOneField(
        Improvement, on_delete=models.PROTECT, related_name="routine_link", verbose_name=_("improvement")
    )
    routine = models.OneToOneField(
        "organisation.Routine", on_delete=models.PROTECT, related_name="improvement_link", verbose_name=_("routine")
    )
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("routine from an improvement")
        verbose_name_plural = _("routines from improvements")

    def __str__(self) -> str:
        return f"{self.improvement_id} → {self.routine_id}"
