"""Every write to a case: validated, audited in the same transaction, mail scheduled after commit.

What a resident sent is never changed or deleted: staff corrections, answers and notes are entries beside it.
"""

import datetime
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.core.calendar import add_working_days
from brobygget.core.models import Municipality
from brobygget.core.text import ERROR_CONTROL_CHARACTERS, has_control_characters, plain_text
from brobygget.dialog import notify, tasks
from brobygget.dialog.models import (
    TEXT_MAX_LENGTH,
    Case,
    CaseAttachment,
    CaseEntry,
    Category,
    DialogSettings,
    Kind,
    Open311Client,
    ServicePromise,
    Status,
)
from brobygget.dialog.numbering import case_number_next
from brobygget.dialog.photos import MAX_PHOTOS, ProcessedPhoto
from brobygget.dialog.selectors import api_key_hash, case_scope
from brobygget.dialog.tally import tally_move, tally_of
from brobygget.dialog.tracking import tracking_key, tracking_salt_new
from brobygget.organisation.models import Person, Unit
from brobygget.organisation.selectors import person_for_actor

DEFAULT_ACKNOWLEDGE_DAYS = 2
DEFAULT_ANSWER_DAYS = 10

ERROR_TEXT_EMPTY = _("Write what you want to tell us.")
ERROR_TEXT_TOO_LONG = _("The text can be at most 4,000 characters long. Shorten it a little.")
ERROR_CATEGORY_UNKNOWN = _("Choose what your message is about.")
ERROR_ANSWER_NEEDS_EMAIL = _("Give an email address if you want an answer, or untick “I want an answer”.")
ERROR_NOT_YOUR_CASE = _("You may not handle this case.")
ERROR_CASE_CLOSED = _("The case is closed. Reopen it first.")
ERROR_DUPLICATE_OF_ITSELF = _("A case cannot be a duplicate of itself.")
ERROR_REASON_NEEDED = _("Write the reason the resident will see.")
# Said to a person and to a bot alike, as the form's other refusals are: what tripped is not told.
ERROR_FORM_USED = _("We could not receive your message. Check it and press “Send” again.")
ERROR_PERSON_NOT_IN_UNIT = _("The case handler must belong to the unit or a unit below it.")


@dataclass(frozen=True)
class Promise:
    acknowledge_days: int
    answer_days: int


@dataclass
class SubmissionInput:
    """What a resident sends, from the web form or from Open311."""

    kind: str
    category: Category
    text: str
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    wants_answer: bool = False
    language: str = "sv"
    photos: list[ProcessedPhoto] = field(default_factory=list)
    # The web form's showing (forms.form_digest): a second case from the same showing is refused.
    form_digest: str = ""


def promise_for(*, category: Category, kind: str) -> Promise:
    """The promise for a kind in a category: its own, the category's for any kind, or the default."""
    promises = {p.kind: p for p in ServicePromise.objects.filter(category=category, kind__in=[kind, ""])}
    chosen = promises.get(kind) or promises.get("")
    if chosen is None:
        return Promise(DEFAULT_ACKNOWLEDGE_DAYS, DEFAULT_ANSWER_DAYS)
    return Promise(chosen.acknowledge_days, chosen.answer_days)


def _validate_submission(data: SubmissionInput, municipality: Municipality) -> None:
    errors: dict[str, list[ValidationError]] = {}
    text = data.text.strip()
    if not text:
        errors["text"] = [ValidationError(ERROR_TEXT_EMPTY, code="required")]
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = [ValidationError(ERROR_TEXT_TOO_LONG, code="max_length")]
    if data.category.municipality_id != municipality.pk or not data.category.is_active:
        errors["category"] = [ValidationError(ERROR_CATEGORY_UNKNOWN, code="invalid")]
    if data.kind not in Kind.values:
        errors["kind"] = [ValidationError(ERROR_CATEGORY_UNKNOWN, code="invalid")]
    if data.wants_answer and not data.contact_email:
        errors["contact_email"] = [ValidationError(ERROR_ANSWER_NEEDS_EMAIL, code="required")]
    if len(data.photos) > MAX_PHOTOS:
        errors["photos"] = [ValidationError(_("You can attach at most 3 photos."), code="max")]
    for name in ("text", "address", "contact_name", "contact_email", "contact_phone"):
        if has_control_characters(getattr(data, name)):
            errors[name] = [ValidationError(ERROR_CONTROL_CHARACTERS, code="control_characters")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def feedback_submit(
    *,
    municipality: Municipality,
    data: SubmissionInput,
    source: str = Case.Source.WEB,
    open311_client: Open311Client | None = None,
) -> tuple[Case, str]:
    """Register what a resident sent as a case; returns the case and its private tracking key."""
    _validate_submission(data, municipality)
    now = timezone.now()
    today = timezone.localdate(now)
    promise = promise_for(category=data.category, kind=data.kind)
    sequence, number = case_number_next(municipality=municipality, year=today.year)
    # After the series lock, so a parallel submission of the same showing has committed or rolled back (the unique
    # constraint `case_form_once` holds either way).
    # The exclude() repeats the condition of the partial index `case_form_once`, so that SQLite reads the index
    # (it cannot infer `form_digest <> ''` from `form_digest = %s`, and would read every case instead).
    used = Case.objects.filter(form_digest=data.form_digest).exclude(form_digest="")
    if data.form_digest and used.exists():
        raise ValidationError(ERROR_FORM_USED, code="form_used")
    case = Case.objects.create(
        municipality=municipality,
        number=number,
        year=today.year,
        sequence=sequence,
        kind=data.kind,
        category=data.category,
        unit_id=data.category.unit_id,
        source=source,
        open311_client=open311_client,
        text=plain_text(data.text).strip(),
        address=plain_text(data.address).strip(),
        latitude=data.latitude,
        longitude=data.longitude,
        contact_name=plain_text(data.contact_name).strip(),
        contact_email=plain_text(data.contact_email).strip(),
        contact_phone=plain_text(data.contact_phone).strip(),
        wants_answer=data.wants_answer,
        language=data.language if data.language in ("sv", "en") else "sv",
        tracking_salt=tracking_salt_new(),
        form_digest=data.form_digest,
        submitted_at=now,
        acknowledge_due=add_working_days(today, promise.acknowledge_days),
        answer_due=add_working_days(today, promise.answer_days),
    )
    tally_move(None, tally_of(case))
    audit_record(
        actor=None,
        action="case.submitted",
        target=case,
        municipality=municipality,
        extra={
            "number": number,
            "kind": data.kind,
            "category": data.category.pk,
            "source": source,
            "photos": len(data.photos),
        },
    )
    _photos_save(case, data.photos)
    notify.notices_for_arrival(case=case)
    if case.contact_email:
        transaction.on_commit(lambda: tasks.send_receipt.enqueue(case.pk))
    return case, tracking_key(case)


def _photos_save(case: Case, photos: list[ProcessedPhoto]) -> None:
    """The case's photos, as its last writes: when the database refuses one, the files written so far are removed,
    so a case rolled back leaves no photo behind."""
    written: list[CaseAttachment] = []
    try:
        for index, photo in enumerate(photos, start=1):
            attachment = CaseAttachment(
                case=case, content_type=photo.content_type, width=photo.width, height=photo.height
            )
            attachment.file.save(f"{case.number}-{index}.{photo.extension}", ContentFile(photo.content), save=False)
            written.append(attachment)
            attachment.save()
    except BaseException:
        for attachment in written:
            attachment.file.delete(save=False)
        raise


def _staff_person(actor: SystemOrActor, case: Case) -> Person | None:
    """The acting person, after checking that they may handle the case (system jobs: None)."""
    if actor is None:
        return None
    person = person_for_actor(actor=actor)
    scope = case_scope(person=person) if actor.is_authenticated else None
    if scope is None or not Case.objects.filter(scope, pk=case.pk).exists():
        raise PermissionDenied(ERROR_NOT_YOUR_CASE)
    return person


def _kept_text(text: str, field: str = "text") -> str:
    """The text as it is kept (direction overrides removed); refused on `field` when it holds control characters."""
    try:
        return plain_text(text)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from None


def _entry(case: Case, kind: str, text: str, author: Person | None, mail: bool = False) -> CaseEntry:
    return CaseEntry.objects.create(
        case=case,
        kind=kind,
        text=text,
        author=author,
        mail_status=CaseEntry.MailStatus.PENDING if mail else CaseEntry.MailStatus.NONE,
    )


def _lock(case: Case) -> Case:
    """Re-read the case under a row lock: two handlers acting at once are serialised."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _save(case: Case, actor: SystemOrActor, action: str, fields: list[str], **extra: object) -> Case:
    case.save(update_fields=[*fields, "updated_at"])
    audit_record(actor=actor, action=action, target=case, municipality=case.municipality, fields=fields, extra=extra)
    return case


def _acknowledge(case: Case) -> list[str]:
    if case.status == Status.RECEIVED:
        case.status = Status.IN_PROGRESS
        case.acknowledged_at = timezone.now()
        return ["status", "acknowledged_at"]
    return []


@transaction.atomic
def case_assign(*, actor: SystemOrActor, case: Case, unit: Unit, assignee: Person | None = None) -> Case:
    """Move a case to another unit and, optionally, a named case handler in it."""
    author = _staff_person(actor, case)
    case = _lock(case)
    if unit.municipality_id != case.municipality_id:
        raise ValidationError({"unit": ERROR_NOT_YOUR_CASE})
    if assignee is not None and not assignee.memberships.filter(unit__path__below=unit.path).exists():
        raise ValidationError({"assignee": ERROR_PERSON_NOT_IN_UNIT})
    fields = []
    if case.unit_id != unit.pk:
        before = tally_of(case)
        case.unit = unit
        fields.append("unit")
        tally_move(before, tally_of(case))
    if case.assignee_id != (assignee.pk if assignee else None):
        case.assignee = assignee
        fields.append("assignee")
    if not fields:
        return case
    said: list[str] = []
    if "unit" in fields:
        said.append(str(_("Moved to %(unit)s.") % {"unit": unit.name}))
    if assignee is not None:
        said.append(str(_("Given to %(person)s.") % {"person": assignee.full_name}))
    elif "assignee" in fields and "unit" not in fields:
        said.append(str(_("No case handler any longer.")))
    _entry(case, CaseEntry.Kind.EVENT, " ".join(said), author)
    by = author.pk if author is not None else None
    if "unit" in fields:
        notify.notices_for_arrival(case=case, except_person_id=by)
    if assignee is not None and "assignee" in fields:
        notify.notice_for_assignment(case=case, person=assignee, except_person_id=by)
    return _save(case, actor, "case.assigned", fields, unit=unit.pk, assignee=assignee.pk if assignee else None)


@transaction.atomic
def case_recategorise(*, actor: SystemOrActor, case: Case, category: Category) -> Case:
    """Correct the category the resident chose; the choice they made stays in the history."""
    author = _staff_person(actor, case)
    case = _lock(case)
    if category.municipality_id != case.municipality_id:
        raise ValidationError({"category": ERROR_CATEGORY_UNKNOWN})
    if category.pk == case.category_id:
        return case
    _entry(
        case,
        CaseEntry.Kind.CORRECTION,
        str(_("Category corrected from %(old)s to %(new)s.") % {"old": case.category.name, "new": category.name}),
        author,
    )
    before = tally_of(case)
    case.category = category
    tally_move(before, tally_of(case))
    return _save(case, actor, "case.recategorised", ["category"], category=category.pk)


@transaction.atomic
def case_correct_text(*, actor: SystemOrActor, case: Case, text: str) -> CaseEntry:
    """Store a corrected reading of the text beside the original, which stays as it was sent."""
    author = _staff_person(actor, case)
    text = _kept_text(text)
    if not text.strip():
        raise ValidationError({"text": ERROR_TEXT_EMPTY})
    entry = _entry(case, CaseEntry.Kind.CORRECTION, text.strip(), author)
    audit_record(actor=actor, action="case.text_corrected", target=case, municipality=case.municipality)
    return entry


@transaction.atomic
def case_reject(*, actor: SystemOrActor, case: Case, reason: str) -> Case:
    """Mark as not for us, with a reason the resident sees; the case closes."""
    author = _staff_person(actor, case)
    case = _lock(case)
    reason = _kept_text(reason, "reason")
    if not reason.strip():
        raise ValidationError({"reason": ERROR_REASON_NEEDED})
    case.rejection_reason = reason.strip()
    case.status = Status.CLOSED
    case.closed_at = timezone.now()
    _entry(case, CaseEntry.Kind.ANSWER, case.rejection_reason, author, mail=bool(case.contact_email))
    _entry(case, CaseEntry.Kind.EVENT, str(_("Marked as not for us and closed.")), author)
    _schedule_answer_mail(case)
    return _save(case, actor, "case.rejected", ["rejection_reason", "status", "closed_at"])


@transaction.atomic
def case_link_duplicate(*, actor: SystemOrActor, case: Case, original: Case) -> Case:
    """Link a case to the one it repeats; both stay, the duplicate follows the original."""
    author = _staff_person(actor, case)
    _staff_person(actor, original)
    case = _lock(case)
    original = Case.objects.select_related("duplicate_of").get(pk=original.pk)
    if original.pk == case.pk or original.duplicate_of_id == case.pk:
        raise ValidationError({"original": ERROR_DUPLICATE_OF_ITSELF})
    case.duplicate_of = original.duplicate_of or original
    _entry(case, CaseEntry.Kind.EVENT, str(_("Linked to %(number)s.") % {"number": case.duplicate_of.number}), author)
    return _save(case, actor, "case.duplicate_linked", ["duplicate_of"], original=case.duplicate_of.pk)


@transaction.atomic
def case_note(*, actor: SystemOrActor, case: Case, text: str) -> CaseEntry:
    """An internal note: staff see it, the resident never does."""
    author = _staff_person(actor, case)
    text = _kept_text(text)
    if not text.strip():
        raise ValidationError({"text": ERROR_TEXT_EMPTY})
    entry = _entry(case, CaseEntry.Kind.INTERNAL_NOTE, text.strip(), author)
    audit_record(actor=actor, action="case.noted", target=case, municipality=case.municipality)
    return entry


def _schedule_answer_mail(case: Case) -> None:
    if case.contact_email:
        transaction.on_commit(lambda: tasks.send_pending_mail.enqueue(case.pk))


@transaction.atomic
def case_answer(*, actor: SystemOrActor, case: Case, text: str, close: bool = False) -> CaseEntry:
    """Answer the resident: shown at the tracking link, and mailed after commit when they gave an address."""
    author = _staff_person(actor, case)
    case = _lock(case)
    if case.status == Status.CLOSED:
        raise ValidationError({"text": ERROR_CASE_CLOSED})
    text = _kept_text(text)
    if not text.strip():
        raise ValidationError({"text": ERROR_TEXT_EMPTY})
    if len(text.strip()) > TEXT_MAX_LENGTH:
        raise ValidationError({"text": ERROR_TEXT_TOO_LONG})
    entry = _entry(case, CaseEntry.Kind.ANSWER, text.strip(), author, mail=bool(case.contact_email))
    fields = _acknowledge(case)
    now = timezone.now()
    if case.answered_at is None:
        before = tally_of(case)
        case.answered_at = now
        fields.append("answered_at")
        tally_move(before, tally_of(case))
    if case.status != (Status.CLOSED if close else Status.ANSWERED):
        said = _("Closed with the answer.") if close else _status_said(case.status, Status.ANSWERED)
        _entry(case, CaseEntry.Kind.EVENT, str(said), author)
    case.status = Status.CLOSED if close else Status.ANSWERED
    fields.append("status")
    if close:
        case.closed_at = now
        fields.append("closed_at")
    _save(case, actor, "case.answered", sorted(set(fields)))
    _schedule_answer_mail(case)
    return entry


@transaction.atomic
def cases_follow_up(*, actor: SystemOrActor, cases: Sequence[Case], text_for: Callable[[Case], str]) -> list[CaseEntry]:
    """Tell the residents of `cases` what the municipality did with what they told it (an improvement adopted from
    their cases): shown at each tracking link, and mailed after commit to those who asked for answers and gave an
    address. The status does not change. Anyone on staff of the cases' municipality may write it, since the cases
    were linked to the work by someone who saw them; each text (`text_for(case)`) is checked as an answer is."""
    person = person_for_actor(actor=actor) if actor is not None else None
    if actor is not None and (person is None or any(c.municipality_id != person.municipality_id for c in cases)):
        raise PermissionDenied(ERROR_NOT_YOUR_CASE)
    entries = []
    locked = Case.objects.select_related("municipality").select_for_update(of=("self",))
    for case in locked.filter(pk__in=[case.pk for case in cases]).order_by("pk"):
        text = _kept_text(text_for(case)).strip()
        if not text:
            raise ValidationError({"text": ERROR_TEXT_EMPTY})
        if len(text) > TEXT_MAX_LENGTH:
            raise ValidationError({"text": ERROR_TEXT_TOO_LONG})
        mail = bool(case.contact_email) and case.wants_answer
        entries.append(_entry(case, CaseEntry.Kind.FOLLOW_UP, text, person, mail=mail))
        _save(case, actor, "case.followed_up", [])
        if mail:
            _schedule_answer_mail(case)
    return entries


def _status_said(old: str, new: str) -> str:
    """What a change of status is called in the history."""
    if new == Status.IN_PROGRESS and old == Status.RECEIVED:
        return str(_("Taken up."))
    if new == Status.IN_PROGRESS:
        return str(_("Reopened."))
    if new == Status.CLOSED:
        return str(_("Closed."))
    return str(_("Status changed to %(status)s.") % {"status": Status(new).label})


@transaction.atomic
def case_status_set(*, actor: SystemOrActor, case: Case, status: str) -> Case:
    """Set the status by hand (take up, close, reopen); the history says who did what and when."""
    author = _staff_person(actor, case)
    case = _lock(case)
    if status not in Status.values:
        raise ValidationError({"status": ERROR_NOT_YOUR_CASE})
    if status == case.status:
        return case
    _entry(case, CaseEntry.Kind.EVENT, str(_status_said(case.status, status)), author)
    fields = ["status"]
    if status == Status.IN_PROGRESS and case.acknowledged_at is None:
        case.acknowledged_at = timezone.now()
        fields.append("acknowledged_at")
    if status == Status.CLOSED:
        case.closed_at = timezone.now()
        fields.append("closed_at")
    elif case.closed_at is not None:
        case.closed_at = None
        fields.append("closed_at")
    case.status = status
    return _save(case, actor, "case.status_set", fields, status=status)


@transaction.atomic
def case_resident_reply(*, case: Case, text: str) -> CaseEntry:
    """The resident adds a reply or a missing detail through the tracking link."""
    text = _kept_text(text)
    if not text.strip():
        raise ValidationError({"text": ERROR_TEXT_EMPTY})
    if len(text.strip()) > TEXT_MAX_LENGTH:
        raise ValidationError({"text": ERROR_TEXT_TOO_LONG})
    case = _lock(case)
    entry = _entry(case, CaseEntry.Kind.RESIDENT_REPLY, text.strip(), None)
    case.resident_news_at = timezone.now()
    fields = ["resident_news_at"]
    if case.status in (Status.ANSWERED, Status.CLOSED):
        # A reply after an answer needs someone to read it: back to the handler's desk.
        case.status = Status.IN_PROGRESS
        case.closed_at = None
        fields += ["status", "closed_at"]
        with translation.override(settings.LANGUAGE_CODE):  # the history is the staff's, in their language
            _entry(case, CaseEntry.Kind.EVENT, str(_("Reopened by the resident's reply.")), None)
    notify.notice_for_resident(case=case)
    _save(case, None, "case.resident_replied", fields)
    return entry


@transaction.atomic
def case_resolved_set(*, case: Case, resolved: bool) -> Case:
    """The resident's "Blev det löst?" after an answer; they may change their mind.

    The answer goes into the history and marks the case as news for staff until someone opens it. A "No" on a
    case that is answered or closed reopens it, or leaves it for the case handler to decide, as the municipality
    chose (DialogSettings.when_not_solved)."""
    case = _lock(case)
    if case.answered_at is None:
        raise ValidationError({"resolved": _("You can tell us this once the case has been answered.")})
    before = tally_of(case)
    now = timezone.now()
    case.resolved = resolved
    case.resolved_answered_at = now
    case.resident_news_at = now
    tally_move(before, tally_of(case))
    fields = ["resolved", "resolved_answered_at", "resident_news_at"]
    with translation.override(settings.LANGUAGE_CODE):  # the history is the staff's, in their language
        said = _("Yes, it was solved.") if resolved else _("No, it was not solved.")
        _entry(case, CaseEntry.Kind.RESOLVED, str(said), None)
        if (
            not resolved
            and not case.is_open
            and when_not_solved(case.municipality_id) == DialogSettings.WhenNotSolved.REOPEN
        ):
            case.status = Status.IN_PROGRESS
            case.closed_at = None
            fields += ["status", "closed_at"]
            _entry(case, CaseEntry.Kind.EVENT, str(_("Reopened: the resident answered that it was not solved.")), None)
    if not resolved:  # a "Yes" is news in the inbox; a "No" also reaches the handler by mail, as they chose
        notify.notice_for_resident(case=case)
    return _save(case, None, "case.resolved_answered", fields, resolved=resolved)


def when_not_solved(municipality_id: int) -> str:
    """What a "No, not solved" does in this municipality (DialogSettings; asking the handler when none is set)."""
    chosen = DialogSettings.objects.filter(municipality_id=municipality_id).values_list("when_not_solved", flat=True)
    return chosen.first() or DialogSettings.WhenNotSolved.ASK_HANDLER


@transaction.atomic
def case_news_read(*, actor: SystemOrActor, case: Case) -> Case:
    """Someone on staff opened a case with news from the resident: the inbox no longer marks it."""
    _staff_person(actor, case)
    updated = Case.objects.filter(pk=case.pk, resident_news_at__isnull=False).update(resident_news_at=None)
    if updated:
        case.resident_news_at = None
        audit_record(actor=actor, action="case.resident_news_read", target=case, municipality=case.municipality)
    return case


@transaction.atomic
def open311_client_create(
    *, actor: SystemOrActor, municipality: Municipality, name: str, key: str | None = None
) -> tuple[Open311Client, str]:
    """Issue an API key to an app; the key is returned once and only its hash is kept."""
    if actor is not None and not (isinstance(actor, User) and actor.is_superuser):
        raise PermissionDenied(ERROR_NOT_YOUR_CASE)
    key = key or secrets.token_urlsafe(24)
    client = Open311Client.objects.create(municipality=municipality, name=name, key_hash=api_key_hash(key))
    audit_record(actor=actor, action="open311.client_created", target=client, municipality=municipality)
    return client, key


def deadline_datetime(day: datetime.date) -> datetime.datetime:
    """A due date as the end of that day in the local time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))
