"""The goal tree: from the vision through the goals of kommunfullmäktige, a nämnd and a förvaltning or unit, down to
the activities of a unit, period by period; and the history of every change of a goal.

Nothing is deleted (`PROTECT` everywhere): a goal that is no longer wanted is archived, and its history stays."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from brobygget.core.models import Municipality
from brobygget.organisation.models import Below, Person, Unit

TEXT_MAX_LENGTH = 4000
TITLE_MAX_LENGTH = 200
PERIOD_NAME_MAX_LENGTH = 100


class Level(models.TextChoices):
    """The levels of mål- och resultatstyrning, from the top of the tree down."""

    VISION = "vision", _("Vision")
    COUNCIL = "council", _("Goal of the municipal council")
    COMMITTEE = "committee", _("Goal of a committee")
    UNIT = "unit", _("Goal of an administration or unit")
    ACTIVITY = "activity", _("Activity")


# The levels in order; a goal contributes to a goal of its own level or one above it.
LEVELS: tuple[str, ...] = tuple(Level.values)
# Goals at these levels are read by all staff of the municipality; the others by those who see their unit.
SHARED_LEVELS: tuple[str, ...] = (Level.VISION, Level.COUNCIL, Level.COMMITTEE)


def level_below(level: str) -> str:
    """The level of a goal copied down from one at `level`: one step down, but never below a unit's goal (an
    activity is what a unit adds itself, under its goals)."""
    index = min(LEVELS.index(level) + 1, LEVELS.index(Level.UNIT))
    return LEVELS[index]


class Period(models.Model):
    """A time the goals are set for: a mandate period ("Mandatperioden 2027–2030") or a year ("2027")."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=PERIOD_NAME_MAX_LENGTH)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    # The period it was started from (period_start_from): its goals are the origins of this one's.
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["-start", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="goal_period_name_unique"),
            models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="goal_period_start_before_end"),
        ]
        indexes = [models.Index(fields=["municipality", "start"], name="goal_period_by_start")]

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    """A node of the goal tree: owned by a unit, with one responsible person, in a period, contributing to its
    parent; a copy made down the organisation or into a new period keeps the goal it came from as `origin`."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="goals")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="goals")
    responsible = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="goals_responsible_for")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    origin = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies")
    # Materialised path of goal ids from the top of its tree, "/4/17/52/": a subtree or the ancestors in one query.
    path = models.CharField(max_length=500, default="/", editable=False, db_index=True)
    archived = models.BooleanField(_("archived"), default=False)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        indexes = [
            # The tree of a period, in the order of its paths (a subtree is `path__below`, on the path's own index).
            models.Index(fields=["period", "path"], name="goal_period_tree"),
            # A unit's goals in a period (the improvement's goal chooser, the unit filter).
            models.Index(fields=["unit", "period"], name="goal_unit_period"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:detail", args=[self.pk])

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part and int(part) != self.pk]


Goal._meta.get_field("path").register_lookup(Below)


# The fields a GoalChange names, as its history shows them.
FIELD_LABELS = {
    "title": _("Title"),
    "description": _("Description"),
    "level": _("Level"),
    "unit": _("Unit"),
    "responsible": _("Responsible"),
    "parent": _("Contributes to"),
    "period": _("Period"),
    "archived": _("Archived"),
    "principles": _("Principles"),
}


class GoalChange(models.Model):
    """One change of a goal: who (None for a system job), when, and each changed field with its old and new value
    as it read then (`changes`: {field: [old, new]}); `kind` says whether it was made, changed, copied or archived."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Changed")
        COPIED = "copied", _("Copied")

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("change of a goal")
        verbose_name_plural = _("changes of goals")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["goal", "at"], name="goal_change_history")]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.kind}"
