"""Residents' feedback and fault reports (cases), their answers, and the promises they are answered within."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brobygget.core.models import Municipality
from brobygget.organisation.models import Person, Unit

TEXT_MAX_LENGTH = 4000


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")
    PRAISE = "praise", _("Praise")
    QUESTION = "question", _("Question")
    FAULT_REPORT = "fault_report", _("Fault report")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("Being handled")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Category(models.Model):
    """What a case is about, configured by the municipality; it names the responsible unit."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="categories", verbose_name=_("municipality")
    )
    code = models.SlugField(_("code"), max_length=50, help_text=_("Also the Open311 service code."))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="categories", verbose_name=_("unit"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "code"], name="category_code_unique")]

    def __str__(self) -> str:
        return self.name


class ServicePromise(models.Model):
    """Acknowledge within N and answer within M working days; per category and kind (blank kind: any)."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="promises", verbose_name=_("category")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    acknowledge_days = models.PositiveSmallIntegerField(_("acknowledge within (working days)"), default=2)
    answer_days = models.PositiveSmallIntegerField(_("answer within (working days)"), default=10)

    class Meta:
        verbose_name = _("service promise")
        verbose_name_plural = _("service promises")
        constraints = [
            models.UniqueConstraint(fields=["category", "kind"], name="promise_unique_per_category_kind"),
            models.CheckConstraint(
                condition=Q(acknowledge_days__lte=models.F("answer_days")), name="promise_acknowledge_before_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.answer_days}"


class CaseNumberSeries(models.Model):
    """The last number given per municipality and year: locked, incremented and written in the case's transaction."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, verbose_name=_("municipality"))
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    last_number = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    class Meta:
        verbose_name = _("case number series")
        verbose_name_plural = _("case number series")
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="case_series_unique")]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Case(models.Model):
    """A synpunkt or felanmälan: a public record. Never deleted; what the resident sent is never changed."""

    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        OPEN311 = "open311", _("Open311 app")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="cases", verbose_name=_("municipality")
    )
    number = models.CharField(_("case number"), max_length=20)
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    sequence = models.PositiveIntegerField(verbose_name=_("sequence"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("category"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cases", verbose_name=_("unit"))
    assignee = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("case handler"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.WEB, verbose_name=_("source"))

    # What the resident sent, as sent (immutable after creation; corrections are CaseEntry rows).
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    address = models.CharField(_("place"), max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True, verbose_name=_("latitude"))
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True, verbose_name=_("longitude"))
    contact_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    wants_answer = models.BooleanField(_("wants an answer"), default=False)
    language = models.CharField(
        max_length=10,
        default="sv",
        help_text="The language the resident wrote in: mail follows it.",
        verbose_name=_("language"),
    )

    tracking_salt = models.CharField(max_length=32, verbose_name=_("tracking salt"))
    # A digest of the signed moment the resident form was shown: one showing of the form gives at most one case.
    form_digest = models.CharField(max_length=64, blank=True, default="", editable=False, verbose_name=_("form digest"))
    submitted_at = models.DateTimeField(_("received"), db_index=True)
    acknowledge_due = models.DateField(_("acknowledge by"))
    answer_due = models.DateField(_("answer by"), db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True, verbose_name=_("acknowledged"))
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("answered"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("changed"))

    rejection_reason = models.TextField(_("why it is not for us"), blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates", verbose_name=_("same as")
    )
    resolved = models.BooleanField(_("was it solved?"), null=True, blank=True)
    resolved_answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved answered"))
    # When the resident last said something (a reply, "Blev det löst?") that nobody on staff has opened the case
    # since: the inbox marks the case "Nytt från invånaren" until then. None: nothing new.
    resident_news_at = models.DateTimeField(_("news from the resident"), null=True, blank=True)
    open311_client = models.ForeignKey(
        "dialog.Open311Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("Open311 app"),
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year", "sequence"], name="case_sequence_unique"),
            models.UniqueConstraint(fields=["municipality", "number"], name="case_number_unique"),
            models.UniqueConstraint(fields=["form_digest"], condition=~Q(form_digest=""), name="case_form_once"),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "answer_due"]),
            models.Index(fields=["municipality", "-submitted_at", "-id"]),
            models.Index(fields=["municipality", "status", "answer_due"]),
            # The staff inbox's keyset pages (migration 0002 says why each one is there).
            models.Index(
                fields=["municipality", "answer_due", "id"],
                condition=Q(status__in=["received", "in_progress"]),
                name="case_open_due",
            ),
            models.Index(
                fields=["municipality", "-submitted_at", "-id"],
                condition=Q(status__in=["received", "in_progress"]),
                name="case_open_newest",
            ),
            models.Index(fields=["unit", "-submitted_at", "-id"], name="case_unit_newest"),
            # A person's own open cases by answer-by date (Min sida): the assignee's other cases may be thousands.
            models.Index(fields=["assignee", "status", "answer_due"], name="case_assignee_due"),
            # A resident's link names the case by number alone (public.case_by_link): without this, every case read.
            models.Index(fields=["number"], name="case_number"),
            # The public map of fault reports (statistics.fault_report_cells) reads their places from this index
            # alone on PostgreSQL (INCLUDE; SQLite keeps the key columns only): at size L a year's 40,000 of them
            # were read from the case table, 127 ms, and 38 ms so.
            models.Index(
                fields=["municipality", "kind", "submitted_at"],
                include=["latitude", "longitude"],
                condition=Q(latitude__isnull=False),
                name="case_places",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in (Status.RECEIVED, Status.IN_PROGRESS)

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.answer_due < today


class CaseTally(models.Model):
    """The statistics pages' figures, kept per unit, category, kind and month received.

    Each case counts in exactly one row: the unit that has it now, its category and kind, and the local month it
    came in. The services that change what a case counts as (submit, answer, move, recategorise, "Blev det löst?")
    move its count in the same transaction (`dialog.tally`), so a page reads a few rows per unit and month whatever
    the number of cases (the staff page adds up a unit's categories and kinds; the public pages split by them)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"))
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    month = models.DateField(verbose_name=_("month"))  # the first day of the local month the cases came in
    received = models.PositiveIntegerField(default=0, verbose_name=_("received"))
    answered = models.PositiveIntegerField(default=0, verbose_name=_("answered"))  # have had a first answer
    in_time = models.PositiveIntegerField(
        default=0, verbose_name=_("answered in time")
    )  # answered on or before the answer-by date
    resolved_yes = models.PositiveIntegerField(default=0, verbose_name=_("resolved: yes"))
    resolved_no = models.PositiveIntegerField(default=0, verbose_name=_("resolved: no"))
    # How many answered cases took each number of working days to the first answer: {"2": 14, "3": 9}.
    answer_days = models.JSONField(default=dict, verbose_name=_("working days to answer"))

    class Meta:
        verbose_name = _("case count")
        verbose_name_plural = _("case counts")
        constraints = [
            models.UniqueConstraint(fields=["unit", "category", "kind", "month"], name="case_tally_unit_category_month")
        ]
        indexes = [models.Index(fields=["municipality", "month"], name="case_tally_month")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month}: {self.received}"


class CaseEntry(models.Model):
    """One event in a case's history: an answer, a reply from the resident, an internal note, a correction."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("Answer")
        RESIDENT_REPLY = "resident_reply", _("Reply from the resident")
        INTERNAL_NOTE = "internal_note", _("Internal note")
        CORRECTION = "correction", _("Correction")
        EVENT = "event", _("Event")
        # What the municipality did with what residents told it ("Du sa – vi gjorde"): shown to the resident and
        # mailed as an answer is, when they asked for answers.
        FOLLOW_UP = "follow_up", _("What we did")
        # The resident's "Blev det löst?" (yes or no), in the history for staff; the resident sees their choice on
        # the tracking page itself.
        RESOLVED = "resolved", _("The resident answered “Was it solved?”")

    class MailStatus(models.TextChoices):
        NONE = "", _("No mail")
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent yet")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="entries", verbose_name=_("case"))
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    text = models.TextField(max_length=TEXT_MAX_LENGTH, verbose_name=_("text"))
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("author")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    mail_status = models.CharField(
        max_length=10, choices=MailStatus.choices, blank=True, default="", verbose_name=_("mail status")
    )
    mail_attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("mail attempts"))

    class Meta:
        verbose_name = _("case entry")
        verbose_name_plural = _("case entries")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    @property
    def visible_to_resident(self) -> bool:
        return self.kind in (self.Kind.ANSWER, self.Kind.RESIDENT_REPLY, self.Kind.FOLLOW_UP)


class CaseAttachment(models.Model):
    """A photo the resident sent, re-encoded on arrival so that camera metadata and position are gone."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("case"))
    file = models.FileField(upload_to="cases/%Y/%m/", verbose_name=_("file"))
    content_type = models.CharField(max_length=40, verbose_name=_("kind of object"))
    width = models.PositiveIntegerField(verbose_name=_("width"))
    height = models.PositiveIntegerField(verbose_name=_("height"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("photo of a case")
        verbose_name_plural = _("photos of cases")

    def __str__(self) -> str:
        return self.file.name or ""


class AnswerTemplate(models.Model):
    """A reusable answer text, adapted before it is sent."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="answer_templates", verbose_name=_("municipality")
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), max_length=TEXT_MAX_LENGTH)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Open311Client(models.Model):
    """An app allowed to post requests through Open311; its key is shown once and stored as a hash."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="open311_clients", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=200)
    key_hash = models.CharField(max_length=64, unique=True, verbose_name=_("key (hashed)"))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return self.name


class DialogSettings(models.Model):
    """How the municipality wants its dialog to behave, set in the admin (one row per municipality; none: defaults)."""

    class WhenNotSolved(models.TextChoices):
        ASK_HANDLER = "ask", _("Ask the case handler to decide")
        REOPEN = "reopen", _("Reopen the case for the unit")

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="dialog_settings", verbose_name=_("municipality")
    )
    when_not_solved = models.CharField(
        _("when the resident answers that it was not solved"),
        max_length=10,
        choices=WhenNotSolved.choices,
        default=WhenNotSolved.ASK_HANDLER,
        help_text=_(
            "Reopen: the case is open again at once, for its unit and case handler. Ask: the case stays as it is, and "
            "the case handler sees the answer on the case and in the inbox and decides."
        ),
    )

    class Meta:
        verbose_name = _("dialog settings")
        verbose_name_plural = _("dialog settings")

    def __str__(self) -> str:
        return str(self.municipality)


# The daily summary's time of day when a person has not chosen one.
DEFAULT_DAILY_AT = datetime.time(7, 0)


class CaseMail(models.TextChoices):
    """How a person on staff hears of cases that come to their unit or are given to them."""

    EACH = "each", _("A mail for each case")
    DAILY = "daily", _("A daily summary")
    NONE = "none", _("No mail")


class CaseMailChoice(models.Model):
    """A person's choice, made in Min sida; without a row the default of their role holds (notify.default_choice)."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="case_mail_choice", verbose_name=_("person")
    )
    how = models.CharField(_("mail about cases"), max_length=10, choices=CaseMail.choices)
    daily_at = models.TimeField(_("time of the daily summary"), default=DEFAULT_DAILY_AT)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("changed"))

    class Meta:
        verbose_name = _("choice of mail about cases")
        verbose_name_plural = _("choices of mail about cases")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.how}"


class StaffNotice(models.Model):
    """That a person is to be told of a case (it came to their unit, or was given to them): sent at once or in the
    day's summary, as they chose when it happened; `sent_at` is set once the mail server took it."""

    class Reason(models.TextChoices):
        ARRIVED = "arrived", _("Came to your unit")
        ASSIGNED = "assigned", _("Given to you")
        RESIDENT = "resident", _("The resident answered")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="case_notices", verbose_name=_("person"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notices", verbose_name=_("case"))
    reason = models.CharField(max_length=10, choices=Reason.choices, verbose_name=_("reason"))
    daily = models.BooleanField(default=False, verbose_name=_("daily"))
    created_at = models.DateTimeField(verbose_name=_("created"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))

    class Meta:
        verbose_name = _("mail to staff about a case")
        verbose_name_plural = _("mails to staff about cases")
        indexes = [
            models.Index(
                fields=["daily", "person", "created_at"], condition=Q(sent_at__isnull=True), name="notice_unsent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.case_id} {self.reason}"


class DailySummary(models.Model):
    """That a person's daily summary of a day was sent, so the task that runs every quarter sends it once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    day = models.DateField(verbose_name=_("day"))
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=_("sent"))

    class Meta:
        verbose_name = _("daily summary")
        verbose_name_plural = _("daily summaries")
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="daily_summary_once")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day}"


class DeadlineReminder(models.Model):
    """That a reminder about a case's deadline was sent, so the daily task sends each one once."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("case"))
    due = models.DateField(verbose_name=_("due"))
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=_("sent"))

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [models.UniqueConstraint(fields=["case", "due"], name="reminder_once_per_deadline")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.due}"
