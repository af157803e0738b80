"""The goal tree: from the vision through the goals of kommunfullmäktige, a nämnd and a förvaltning or unit, down to
the activities of a unit, period by period; and the history of every change of a goal.

Nothing is deleted (`PROTECT` everywhere): a goal that is no longer wanted is archived, and its history stays."""

from django.core.exceptions import ValidationError
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

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=PERIOD_NAME_MAX_LENGTH)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    # The period it was started from (period_start_from): its goals are the origins of this one's.
    previous = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("previous period")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

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


class Rhythm(models.TextChoices):
    """How often a goal or activity is followed up."""

    MONTHLY = "monthly", _("Monthly")
    TERTIAL = "tertial", _("Every four months (tertial)")
    YEARLY = "yearly", _("Yearly")


class Goal(models.Model):
    """A node of the goal tree: owned by a unit, with one responsible person, in a period, contributing to its
    parent; a copy made down the organisation or into a new period keeps the goal it came from as `origin`."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="goals", verbose_name=_("period"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=TEXT_MAX_LENGTH, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="goals", verbose_name=_("unit"))
    responsible = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="goals_responsible_for", verbose_name=_("responsible")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    origin = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="copies", verbose_name=_("copied from")
    )
    # Materialised path of goal ids from the top of its tree, "/4/17/52/": a subtree or the ancestors in one query.
    path = models.CharField(max_length=500, default="/", editable=False, db_index=True, verbose_name=_("path"))
    archived = models.BooleanField(_("archived"), default=False)
    rhythm = models.CharField(_("follow-up rhythm"), max_length=10, choices=Rhythm.choices, default=Rhythm.YEARLY)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("changed"))

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
    "rhythm": _("Follow-up rhythm"),
    # An indicator of the goal (goals/indicators.py): its name, each changed field, a target set.
    "indicator": _("Indicator"),
    "indicator_name": _("Indicator's name"),
    "indicator_unit_of_measure": _("Indicator's unit of measure"),
    "indicator_direction": _("Indicator's direction"),
    "indicator_baseline": _("Indicator's baseline"),
    "indicator_baseline_year": _("Indicator's baseline year"),
    "indicator_green_from": _("Indicator green from"),
    "indicator_red_from": _("Indicator red from"),
    "indicator_source": _("Indicator's source"),
    "indicator_owner": _("Indicator's owner"),
    "indicator_archived": _("Indicator archived"),
    "indicator_target": _("Indicator's target"),
}


class GoalChange(models.Model):
    """One change of a goal: who (None for a system job), when, and each changed field with its old and new value
    as it read then (`changes`: {field: [old, new]}); `kind` says whether it was made, changed, copied or archived."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Changed")
        COPIED = "copied", _("Copied")

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="changes", verbose_name=_("goal"))
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("person"))
    at = models.DateTimeField(verbose_name=_("time"))
    changes = models.JSONField(default=dict, blank=True, verbose_name=_("changes"))

    class Meta:
        verbose_name = _("change of a goal")
        verbose_name_plural = _("changes of goals")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["goal", "at"], name="goal_change_history")]

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.kind}"


class Indicator(models.Model):
    """A measure of how a goal is going: its unit of measure, which way is better, a baseline, a target per period,
    the thresholds for green, yellow and red, where its values come from and who owns it.

    Thresholds: with `HIGHER` better, a value at or above `green_from` is green and one at or below `red_from` red;
    with `LOWER` better, at or below `green_from` green and at or above `red_from` red; in between yellow."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        FILE = "file", _("Imported from a file")
        KOLADA = "kolada", _("Kolada")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("goal"))
    name = models.CharField(_("name"), max_length=TITLE_MAX_LENGTH)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=40, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    green_from = models.DecimalField(_("green from"), max_digits=14, decimal_places=4, null=True, blank=True)
    red_from = models.DecimalField(_("red from"), max_digits=14, decimal_places=4, null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="indicators_owned", verbose_name=_("owner")
    )
    # Kolada: the KPI's id ("N00945") and its title as it read when connected; a title that changed in Kolada since
    # is kept in `kolada_title_changed_to` until a person confirms it.
    kolada_kpi = models.CharField(_("Kolada KPI"), max_length=20, blank=True)
    kolada_title = models.CharField(_("title in Kolada"), max_length=500, blank=True)
    kolada_title_changed_to = models.CharField(_("new title in Kolada"), max_length=500, blank=True)
    kolada_synced_at = models.DateTimeField(_("last fetched from Kolada"), null=True, blank=True)
    # Why the last fetch from Kolada failed (blank when it went well): shown in the admin and on the indicator's page.
    kolada_error = models.CharField(_("last Kolada error"), max_length=500, blank=True)
    archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("changed"))

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["goal"], name="goal_indicator_by_goal"),
            models.Index(fields=["municipality", "kolada_kpi"], name="goal_indicator_kolada"),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(models.Model):
    """What an indicator should reach in a period."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="targets", verbose_name=_("indicator")
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", verbose_name=_("period"))
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=4)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="goal_indicator_target_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class Measurement(models.Model):
    """One value of an indicator: for a year, or a month of it (`month` 0 is the whole year; a tertial is kept on its
    last month), for everyone or one gender, for the municipality itself (`area` blank) or an area it is compared
    with (a Kolada municipality id: "0000" is Riket). `value` None is "no value" (Kolada's null), never 0."""

    class Gender(models.TextChoices):
        TOTAL = "T", _("Everyone")
        WOMEN = "K", _("Women")
        MEN = "M", _("Men")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="measurements", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), default=0)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default=Gender.TOTAL)
    area = models.CharField(_("compared area"), max_length=10, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Indicator.Source.choices)
    recorded_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "year", "month", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "month", "gender", "area"], name="goal_measurement_once_per_point"
            ),
            models.CheckConstraint(condition=Q(month__lte=12), name="goal_measurement_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.year}-{self.month}: {self.value}"


class FollowUp(models.Model):
    """A follow-up of a goal or activity for the span its rhythm covers, ending on `covers_until`: a status, and an
    analysis (what we see, why, and what we do about it; required for yellow and red). Once submitted it is kept as it
    was: `snapshot` holds what the report prints (the goal's title and responsible, the indicators' values and
    targets, the children's statuses) as they read then, so later edits never change last year's report."""

    class Status(models.TextChoices):
        GREEN = "green", _("On track")
        YELLOW = "yellow", _("At risk")
        RED = "red", _("Off track")
        NOT_STARTED = "not_started", _("Not started")
        DONE = "done", _("Done")

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("goal"))
    covers_until = models.DateField(_("covers until"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    analysis = models.TextField(_("analysis"), max_length=TEXT_MAX_LENGTH, blank=True)
    snapshot = models.JSONField(default=dict, blank=True, editable=False, verbose_name=_("snapshot"))
    submitted_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["goal", "-covers_until", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "covers_until"], name="goal_follow_up_once_per_span"),
            models.CheckConstraint(
                condition=~Q(status__in=["yellow", "red"]) | ~Q(analysis=""),
                name="goal_follow_up_analysis_when_not_green",
            ),
        ]
        indexes = [models.Index(fields=["goal", "-covers_until"], name="goal_follow_up_latest")]

    def __str__(self) -> str:
        return f"{self.goal_id} {self.covers_until}: {self.status}"


class KoladaSetup(models.Model):
    """How a municipality is found in Kolada, and the similar municipalities its indicators are compared with (besides
    Riket, "0000"), as its administrator chooses them in the admin. Without a row, or with `kolada_id` blank, the
    municipality's SCB code is its Kolada id (Kolada uses the SCB codes: Strängnäs "0486")."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    kolada_id = models.CharField(
        _("Kolada id"), max_length=4, blank=True, help_text=_("Blank: the municipality's SCB code, e.g. 0486.")
    )
    group_name = models.CharField(_("name of the comparison group"), max_length=100, blank=True)
    group_ids = models.CharField(
        _("similar municipalities"),
        max_length=300,
        blank=True,
        help_text=_("Kolada ids separated by commas, at most 20, e.g. 0484, 0480, 0488."),
    )

    class Meta:
        verbose_name = _("Kolada setup")
        verbose_name_plural = _("Kolada setups")

    def __str__(self) -> str:
        return self.kolada_id or str(self.municipality_id)


class MeasurementImport(models.Model):
    """A file of measurements being imported into a goal's indicators: the file itself (kept in the database, so any
    worker can read it), how far the check has come, and how it ended (the rows written, or the bad rows by line)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being checked")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+", verbose_name=_("goal"))
    file_name = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(editable=False, verbose_name=_("content"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0, verbose_name=_("total"))
    done = models.PositiveIntegerField(default=0, verbose_name=_("done"))
    written = models.PositiveIntegerField(default=0, verbose_name=_("written"))
    # [[line, message], …] in the language of the person who sent the file, at most the first 200.
    errors = models.JSONField(default=list, blank=True, verbose_name=_("errors"))
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished"))

    class Meta:
        verbose_name = _("import of measurements")
        verbose_name_plural = _("imports of measurements")

    def __str__(self) -> str:
        return self.file_name


class RollupRule(models.Model):
    """How a goal's status is rolled up from the goals and activities under it, as the municipality chooses it in the
    admin (goals.rollup). Without a row the rule is the worst child.

    Of a goal's children (not archived), those followed up green, yellow, red or done are counted; not started and
    not yet followed up are not. With the worst child, the goal is red if any counted child is red, else yellow if
    any is yellow, else green. With a share, it is red if at least `red_share` per cent of the counted children are
    red, else yellow if at least `yellow_share` per cent are red or yellow, else green. Either way it is done when every
    child is done, and not started when no child is counted."""

    class Rule(models.TextChoices):
        WORST = "worst", _("The worst child")
        SHARE = "share", _("A share of the children")

    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    rule = models.CharField(_("rule"), max_length=10, choices=Rule.choices, default=Rule.WORST)
    red_share = models.PositiveSmallIntegerField(
        _("red from (per cent red)"),
        default=40,
        help_text=_("With a share: red when at least this many per cent of the children followed up are red."),
    )
    yellow_share = models.PositiveSmallIntegerField(
        _("yellow from (per cent red or yellow)"),
        default=20,
        help_text=_("With a share: yellow when at least this many per cent are red or yellow."),
    )

    class Meta:
        verbose_name = _("roll-up rule")
        verbose_name_plural = _("roll-up rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(red_share__gte=1, red_share__lte=100, yellow_share__gte=1, yellow_share__lte=100),
                name="goal_rollup_shares_are_percentages",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_rule_display())

    def clean(self) -> None:
        if self.yellow_share > self.red_share:
            raise ValidationError({"yellow_share": _("Yellow must start at or below the share that gives red.")})


class FollowUpReminder(models.Model):
    """A reminder mailed about a goal's follow-up of the span ending on `covers_until`: once before it is due, once
    when it is overdue (unique, so a run twice a day, or on two workers, sends nothing twice)."""

    class Kind(models.TextChoices):
        DUE = "due", _("Due")
        OVERDUE = "overdue", _("Overdue")

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+", verbose_name=_("goal"))
    covers_until = models.DateField(verbose_name=_("covers until"))
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=_("sent"))

    class Meta:
        verbose_name = _("follow-up reminder")
        verbose_name_plural = _("follow-up reminders")
        constraints = [
            models.UniqueConstraint(fields=["goal", "covers_until", "kind"], name="goal_follow_up_reminded_once")
        ]

    def __str__(self) -> str:
        return f"{self.goal_id} {self.covers_until} {self.kind}"


class GoalRollup(models.Model):
    """A goal's roll-up as it stands (goals.kept): its own status (the latest follow-up's, and the span it covers),
    the status rolled up from its children by the municipality's rule, the effective one (its own, else the rolled
    up), and its children (not archived) counted per effective status, with how many of them are activities: what
    the explanation's numbers need. Written by the services in the transaction of every change that alters it
    (goals.kept), so that a dashboard reads its goals' roll-ups in a fixed number of queries, whatever the tree."""

    goal = models.OneToOneField(
        Goal, on_delete=models.PROTECT, primary_key=True, related_name="rollup", verbose_name=_("goal")
    )
    own = models.CharField(_("own status"), max_length=12, blank=True)
    own_until = models.DateField(_("own status covers until"), null=True, blank=True)
    rolled = models.CharField(_("rolled-up status"), max_length=12, blank=True)
    effective = models.CharField(_("status"), max_length=12, blank=True)
    green = models.PositiveIntegerField(_("green below"), default=0)
    yellow = models.PositiveIntegerField(_("yellow below"), default=0)
    red = models.PositiveIntegerField(_("red below"), default=0)
    done = models.PositiveIntegerField(_("done below"), default=0)
    not_started = models.PositiveIntegerField(_("not started below"), default=0)
    # Children neither followed up nor rolled up.
    none = models.PositiveIntegerField(_("without a status below"), default=0)
    activities = models.PositiveIntegerField(_("activities below"), default=0)

    class Meta:
        verbose_name = _("roll-up of a goal")
        verbose_name_plural = _("roll-ups of goals")

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.effective or '-'}"
