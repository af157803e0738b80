"""What staff have published to the public results pages: nothing else reaches them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brobygget.core.models import Municipality, Principle
from brobygget.organisation.models import Person, Unit


class Publication(models.Model):
    """An adopted improvement's summary for residents ("Du sa – vi gjorde"), as staff confirmed it for the public:
    a snapshot of the masked texts, the unit, the categories of the cases it came from, its principles and its
    dates, kept as it was published whatever happens to the improvement later. Withdrawn, it leaves every public
    page but is kept (who withdrew it, when and why); it may be published again as a new row."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    improvement = models.ForeignKey(
        "improvement.Improvement", on_delete=models.PROTECT, related_name="+", verbose_name=_("improvement")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_name = models.CharField(_("unit"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    you_said = models.TextField(_("what residents told us"))
    we_did = models.TextField(_("what we changed"))
    # What the masking replaced, for staff: [{"field": "you_said", "kind": "phone", "start": 12, "end": 28}, ...],
    # positions in the published text. Never the personal data itself.
    masked = models.JSONField(default=list, blank=True, verbose_name=_("masked parts"))
    done_on = models.DateField(_("done"))
    categories = models.ManyToManyField("dialog.Category", related_name="+", blank=True)
    principles = models.ManyToManyField(Principle, related_name="+", blank=True)
    published_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by"))
    published_at = models.DateTimeField(_("published"))
    withdrawn_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("withdrawn by")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("why it was withdrawn"), blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["improvement"],
                condition=Q(withdrawn_at__isnull=True),
                name="publication_one_live_per_improvement",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False),
                name="publication_withdrawn_by_whom",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "withdrawn_at", "-done_on"], name="publication_public_list")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.withdrawn_at is None


class GoalPublication(models.Model):
    """A goal's follow-up as staff confirmed it for "Våra mål": a snapshot of the goal's masked title and description,
    its level, unit and period, the status and the masked analysis of the follow-up, and its indicators' values and
    targets as the follow-up recorded them (never a person's name). A newer follow-up published for the same goal
    withdraws the older one; withdrawn rows are kept."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    goal = models.ForeignKey("goals.Goal", on_delete=models.PROTECT, related_name="+", verbose_name=_("goal"))
    follow_up = models.ForeignKey(
        "goals.FollowUp", on_delete=models.PROTECT, related_name="+", verbose_name=_("follow up")
    )
    # The goal's place in its tree when published ("/4/17/52/"), for the public tree's order and nesting.
    goal_path = models.CharField(max_length=500, verbose_name=_("goal path"))
    period_name = models.CharField(_("period"), max_length=100)
    level = models.CharField(_("level"), max_length=10)
    unit_name = models.CharField(_("unit"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=12)
    analysis = models.TextField(_("analysis"), blank=True)
    covers_until = models.DateField(_("covers until"))
    # [{"name", "unit_of_measure", "direction", "source", "baseline", "baseline_year", "target", "values": [[year,
    # month, value]], "latest", "colour"}], from the follow-up's snapshot.
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    masked = models.JSONField(_("masked parts"), default=list, blank=True)
    published_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by"))
    published_at = models.DateTimeField(_("published"))
    withdrawn_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("withdrawn by")
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("why it was withdrawn"), blank=True)
    # Where a live publication is listed on "Våra mål", kept by the services that publish and withdraw
    # (openresults.goals): the publication of its nearest published goal on the first page (empty: it is on the
    # first page itself), how many published goals are above it, and how many live goals are listed on its own
    # page. So a page reads only the goals it shows.
    section = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # goal_publication_listed leads with it
        verbose_name=_("listed under"),
    )
    depth = models.PositiveSmallIntegerField(_("published goals above"), default=0)
    below = models.PositiveIntegerField(_("goals listed below"), default=0)

    class Meta:
        verbose_name = _("published goal status")
        verbose_name_plural = _("published goal statuses")
        constraints = [
            models.UniqueConstraint(
                fields=["goal"], condition=Q(withdrawn_at__isnull=True), name="goal_publication_one_live_per_goal"
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "withdrawn_at", "goal_path"], name="goal_publication_tree"),
            # The first page (section empty) and a goal's page (section: the goal), each in the order of the tree.
            models.Index(
                fields=["section", "goal_path"],
                condition=Q(withdrawn_at__isnull=True),
                name="goal_publication_listed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.withdrawn_at is None
