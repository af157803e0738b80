"""Cross-cutting data: the municipality (tenant), the audit log, the principles, login failures."""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

LOGO_MAX_BYTES = 1024 * 1024
ERROR_LOGO_TOO_LARGE = _("The logo may be at most 1 MB. Save it smaller, for example as a PNG of 400 pixels width.")


def validate_logo_size(file: Any) -> None:
    """A logo is shown on every page: at most 1 MB."""
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(ERROR_LOGO_TOO_LARGE, code="too_large")


class Municipality(models.Model):
    """The organisation that runs the installation: every domain row belongs to one.

    It is also the face of the public pages (core/face.py): the name, logo and contact details in their header and
    footer, and the texts of the privacy page and the accessibility statement, all set in the admin. The texts are
    plain text: a blank line starts a new paragraph; nothing in them is read as HTML."""

    class Compliance(models.TextChoices):
        FULL = "full", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NONE = "none", _("not compliant")

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("municipality code"), max_length=4, unique=True, help_text=_("SCB code, e.g. 0486"))
    logo = models.ImageField(
        _("logo"),
        upload_to="municipality/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"]), validate_logo_size],
        help_text=_("PNG, JPEG or WebP, at most 1 MB. Shown in the header of every page, with the name as its text."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True, help_text=_("The number residents call."))
    email = models.EmailField(_("e-mail"), blank=True)
    visiting_address = models.TextField(_("visiting address"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True, help_text=_("One line per day or group of days."))

    privacy_purpose = models.TextField(_("why personal data is processed"), blank=True)
    privacy_legal_basis = models.TextField(_("legal basis"), blank=True)
    privacy_retention = models.TextField(_("how long it is kept"), blank=True)
    privacy_rights = models.TextField(
        _("the right to an extract and other rights"), blank=True, help_text=_("How a resident asks for an extract.")
    )
    privacy_dpo_contact = models.TextField(_("data protection officer"), blank=True, help_text=_("How to reach them."))

    accessibility_compliance = models.CharField(
        _("compliance with the accessibility law"), max_length=10, choices=Compliance, default=Compliance.PARTIAL
    )
    accessibility_shortcomings = models.TextField(
        _("known shortcomings"), blank=True, help_text=_("What is not accessible, and when it will be fixed.")
    )
    accessibility_burden = models.TextField(_("disproportionate burden"), blank=True)
    accessibility_out_of_scope = models.TextField(_("content not covered by the law"), blank=True)
    accessibility_testing = models.TextField(_("how the site was tested"), blank=True)
    accessibility_statement_date = models.DateField(_("date of the statement"), null=True, blank=True)
    accessibility_reviewed_date = models.DateField(_("date of the last review"), null=True, blank=True)

    # A new value on every save: the version of the public face, in the keys of the pages kept for visitors.
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """Who did what, when, to which object. The payload names fields, never personal data."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("municipality")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("actor")
    )
    action = models.CharField(_("action"), max_length=100)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("kind of object"))
    target_id = models.CharField(max_length=64, verbose_name=_("object id"))
    target = GenericForeignKey("target_type", "target_id")
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type_id}:{self.target_id}"


class Principle(models.Model):
    """One of the Brobygget principles; other apps tag their objects with them."""

    slug = models.SlugField(unique=True, verbose_name=_("slug"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    order = models.PositiveSmallIntegerField(_("order"), unique=True)

    class Meta:
        verbose_name = _("principle")
        verbose_name_plural = _("principles")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class PrincipleTag(models.Model):
    """Links any object to a principle: the one tagging mechanism every app uses."""

    principle = models.ForeignKey(Principle, on_delete=models.PROTECT, related_name="tags", verbose_name=_("principle"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("kind of object"))
    object_id = models.PositiveBigIntegerField(verbose_name=_("object id"))
    content_object = GenericForeignKey("content_type", "object_id")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, verbose_name=_("municipality"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        verbose_name = _("principle tag")
        verbose_name_plural = _("principle tags")
        constraints = [
            models.UniqueConstraint(
                fields=["principle", "content_type", "object_id"], name="principle_tag_unique_per_object"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.principle_id} → {self.content_type_id}:{self.object_id}"


class ThrottleCount(models.Model):
    """Attempts (failed logins, submissions, posts) counted per keyed hash and period, in a row that is locked while
    it is counted (core/throttle). A keyed hash (HMAC with SECRET_KEY) is all that is stored: no address, no name."""

    scope = models.CharField(max_length=40, verbose_name=_("scope"))
    key = models.CharField(max_length=64, verbose_name=_("key"))
    # The fixed period the row counts (seconds since the epoch // the window, plus one); 0 for a slow-down row.
    period = models.BigIntegerField(verbose_name=_("period"))
    # A keyed hash of the account a login row is about, so that an administrator can unlock it; empty otherwise.
    subject = models.CharField(max_length=64, blank=True, db_index=True, verbose_name=_("subject"))
    count = models.PositiveIntegerField(default=0, verbose_name=_("count"))
    last_at = models.DateTimeField(db_index=True, verbose_name=_("last time"))

    class Meta:
        verbose_name = _("attempt counter")
        verbose_name_plural = _("attempt counters")
        constraints = [models.UniqueConstraint(fields=["scope", "key", "period"], name="throttle_count_unique")]

    def __str__(self) -> str:
        return f"{self.scope} {self.period}: {self.count}"


class OutboxMail(models.Model):
    """A mail kept instead of sent, when the outbox mail backend is chosen (the demo): read in the admin."""

    sender = models.CharField(_("sender"), max_length=998)
    recipients = models.TextField(_("recipients"), help_text=_("Every recipient, To, Cc and Bcc, comma-separated."))
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    body = models.TextField(_("text"), blank=True)
    html_body = models.TextField(_("HTML text"), blank=True)
    message = models.TextField(_("raw message"), help_text=_("The whole message as it would have been sent."))
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("outbox mail")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject


class HealthCheck(models.Model):
    """One row that `/healthz` writes on every check: the proof that the database still accepts writes."""

    checked_at = models.DateTimeField(verbose_name=_("checked"))

    class Meta:
        verbose_name = _("health check")
        verbose_name_plural = _("health checks")

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M:%S}"
