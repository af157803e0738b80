"""Every write to an improvement: checked against who may see its unit, audited in the same transaction.

Any staff member who sees a unit (organisation.scoping) may raise an improvement on its board and move it; nothing
is deleted, and every move is kept with its time and person."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.core.models import Principle
from brobygget.core.services import principle_tags_set
from brobygget.core.text import plain_text
from brobygget.dialog.models import Case
from brobygget.dialog.services import cases_follow_up
from brobygget.goals.selectors import goal_allowed
from brobygget.improvement.models import (
    TEXT_MAX_LENGTH,
    Decision,
    Improvement,
    ImprovementCase,
    ImprovementRound,
    Outcome,
    ResidentSummary,
    Stage,
    StageMove,
    next_stage,
    previous_stage,
)
from brobygget.improvement.selectors import visible_units
from brobygget.improvement.tally import tally_finished, tally_moved, tally_raised
from brobygget.organisation.models import Membership, Person, Unit
from brobygget.organisation.scoping import unit_visibility
from brobygget.organisation.selectors import person_for_actor

ERROR_NOT_YOUR_UNIT = _("You may not work with the improvements of this unit.")
ERROR_TITLE_EMPTY = _("Give the improvement a short title.")
ERROR_PROBLEM_EMPTY = _("Describe the problem as residents or colleagues meet it.")
ERROR_VALUE_EMPTY = _("Write what value the improvement would create for the resident.")
ERROR_IDEA_EMPTY = _("Write the idea: what do we want to try?")
ERROR_MEASURE_EMPTY = _("Write how we will know that it got better.")
ERROR_TEXT_TOO_LONG = _("The text can be at most 4,000 characters long. Shorten it a little.")
ERROR_PERSON_NOT_IN_UNIT = _("Choose people of the unit or of a unit below it.")
ERROR_PRINCIPLE_UNKNOWN = _("Choose among the principles in the list.")
ERROR_GOAL_NOT_ALLOWED = _("Choose a goal of the unit or a unit above it.")
ERROR_MOVE_NOT_POSSIBLE = _("The improvement cannot move there from the stage it is in now. Reload the page.")
ERROR_DONE = _("The improvement is done and is no longer moved.")
ERROR_FINISH_ONLY_IN_ACT = _("An improvement is finished in Act, once the result has been studied.")
ERROR_OUTCOME_UNKNOWN = _("Choose adopt, adopt with changes or end without adoption.")
ERROR_CASE_ELSEWHERE = _("An improvement can come only from cases of its own municipality.")
ERROR_LESSON_NEEDED = _("Write what you learned: when an improvement ends without adoption, that is its result.")
# The question each stage asks, refused empty when the improvement moves on (Idea asks none; Act is a decision).
ERROR_ANSWER_NEEDED = {
    Stage.PLAN: _("Answer the question of Plan before the improvement moves on: what do we expect to happen?"),
    Stage.DO: _("Answer the question of Do before the improvement moves on: what did we do?"),
    Stage.STUDY: _(
        "Answer the question of Study before the improvement moves on: what happened compared with what we expected?"
    ),
}
# Where each stage's answer is kept on the round.
ANSWER_FIELDS = {Stage.PLAN: "expectation", Stage.DO: "actions", Stage.STUDY: "result"}


@dataclass
class ImprovementInput:
    """What a staff member writes about an improvement; people and principles by id, as a form gives them."""

    title: str
    problem: str
    value_for_resident: str
    idea: str
    measure: str
    owner_id: int
    baseline: str = ""
    baseline_value: Decimal | None = None
    due_date: datetime.date | None = None
    involved_ids: list[int] = field(default_factory=list)
    principle_ids: list[int] = field(default_factory=list)
    goal_id: int | None = None


_REQUIRED = {
    "title": ERROR_TITLE_EMPTY,
    "problem": ERROR_PROBLEM_EMPTY,
    "value_for_resident": ERROR_VALUE_EMPTY,
    "idea": ERROR_IDEA_EMPTY,
    "measure": ERROR_MEASURE_EMPTY,
}
_TEXT_LIMITS = {"title": 200, "baseline": 500}


def _acting_person(actor: SystemOrActor, unit_id: int) -> Person:
    """The acting person, after checking that they see the unit (organisation.scoping); refused otherwise."""
    person = person_for_actor(actor=actor) if actor is not None else None
    visibility = unit_visibility(person=person)
    if person is None or visibility is None or not visible_units(visibility).filter(pk=unit_id).exists():
        raise PermissionDenied(ERROR_NOT_YOUR_UNIT)
    return person


def _kept(text: str, name: str) -> str:
    """The text as it is kept: stripped, direction overrides removed; refused on `name` with control characters."""
    try:
        return plain_text(text).strip()
    except ValidationError as error:
        raise ValidationError({name: error.error_list}) from None


def _cleaned(
    data: ImprovementInput, unit: Unit, kept_goal_id: int | None = None
) -> tuple[dict[str, object], list[int], list[int]]:
    """The improvement's fields as they are kept, its people and its principles; refused field by field. The goal it
    names already (`kept_goal_id`) stays allowed when it is archived or the unit moved."""
    errors: dict[str, list[ValidationError]] = {}
    values: dict[str, object] = {}
    for name in ("title", "problem", "value_for_resident", "idea", "measure", "baseline"):
        try:
            value = _kept(getattr(data, name), name)
        except ValidationError as error:
            errors.update(error.error_dict)
            continue
        if not value and name in _REQUIRED:
            errors[name] = [ValidationError(_REQUIRED[name], code="required")]
        elif len(value) > _TEXT_LIMITS.get(name, TEXT_MAX_LENGTH):
            errors[name] = [ValidationError(ERROR_TEXT_TOO_LONG, code="max_length")]
        values[name] = value
    involved = sorted(set(data.involved_ids) - {data.owner_id})
    known = set(
        Membership.objects.filter(
            person_id__in=[data.owner_id, *involved], person__is_active=True, unit__path__below=unit.path
        ).values_list("person_id", flat=True)
    )
    if data.owner_id not in known:
        errors["owner"] = [ValidationError(ERROR_PERSON_NOT_IN_UNIT, code="invalid")]
    if not set(involved) <= known:
        errors["involved"] = [ValidationError(ERROR_PERSON_NOT_IN_UNIT, code="invalid")]
    principles = sorted(set(data.principle_ids))
    if len(principles) != Principle.objects.filter(pk__in=principles).count():
        errors["principles"] = [ValidationError(ERROR_PRINCIPLE_UNKNOWN, code="invalid")]
    if data.goal_id not in (None, kept_goal_id) and not goal_allowed(unit=unit, goal_id=data.goal_id):
        errors["goal"] = [ValidationError(ERROR_GOAL_NOT_ALLOWED, code="invalid")]
    if errors:
        raise ValidationError(errors)
    values.update(
        owner_id=data.owner_id, baseline_value=data.baseline_value, due_date=data.due_date, goal_id=data.goal_id
    )
    return values, involved, principles


@transaction.atomic
def improvement_raise(
    *, actor: SystemOrActor, unit: Unit, data: ImprovementInput, cases: Sequence[Case] = ()
) -> Improvement:
    """Put a new improvement on the unit's board, in Idea, with its first round; `cases` are the resident cases it
    was raised from (read through the dialog's scoping by the caller: `improvement.cases.cases_to_link`)."""
    person = _acting_person(actor, unit.pk)
    values, involved, principles = _cleaned(data, unit)
    if any(case.municipality_id != unit.municipality_id for case in cases):
        raise ValidationError(ERROR_CASE_ELSEWHERE)
    now = timezone.now()
    improvement = Improvement.objects.create(
        municipality_id=unit.municipality_id,
        unit=unit,
        stage=Stage.IDEA,
        stage_changed_at=now,
        created_by=person,
        **values,
    )
    improvement.involved.set(involved)
    ImprovementRound.objects.create(improvement=improvement, number=1)
    tally_raised(unit_id=unit.pk, created_at=improvement.created_at)
    ImprovementCase.objects.bulk_create(
        ImprovementCase(improvement=improvement, case=case, created_by=person) for case in cases
    )
    audit_record(
        actor=actor,
        action="improvement.raised",
        target=improvement,
        municipality=person.municipality,
        extra={"unit": unit.pk, **({"cases": [case.pk for case in cases]} if cases else {})},
    )
    principle_tags_set(
        actor=actor,
        target=improvement,
        municipality=person.municipality,
        principles=list(Principle.objects.filter(pk__in=principles)),
    )
    return improvement


def _lock(improvement: Improvement) -> Improvement:
    """Re-read the improvement under a row lock: two people moving one card at once are serialised."""
    return Improvement.objects.select_for_update().select_related("unit").get(pk=improvement.pk)


@transaction.atomic
def improvement_update(*, actor: SystemOrActor, improvement: Improvement, data: ImprovementInput) -> Improvement:
    """Change what the improvement says (problem, value, idea, measure, people, due date, principles)."""
    person = _acting_person(actor, improvement.unit_id)
    improvement = _lock(improvement)
    values, involved, principles = _cleaned(data, improvement.unit, kept_goal_id=improvement.goal_id)
    changed = [name for name, value in values.items() if getattr(improvement, name) != value]
    for name in changed:
        setattr(improvement, name, values[name])
    if set(improvement.involved.values_list("pk", flat=True)) != set(involved):
        improvement.involved.set(involved)
        changed.append("involved")
    if changed:
        improvement.save(update_fields=[name for name in changed if name != "involved"] + ["updated_at"])
        audit_record(
            actor=actor,
            action="improvement.updated",
            target=improvement,
            municipality=person.municipality,
            fields=[name.removesuffix("_id") for name in changed],
        )
    principle_tags_set(
        actor=actor,
        target=improvement,
        municipality=person.municipality,
        principles=list(Principle.objects.filter(pk__in=principles)),
    )
    return improvement


def _move(improvement: Improvement, round_: ImprovementRound, to: str, person: Person, now: datetime.datetime) -> None:
    tally_moved(
        improvement_id=improvement.pk,
        unit_id=improvement.unit_id,
        created_at=improvement.created_at,
        from_stage=improvement.stage,
        at=now,
    )
    StageMove.objects.create(
        improvement=improvement, round=round_, from_stage=improvement.stage, to_stage=to, person=person, at=now
    )
    improvement.stage = to
    improvement.stage_changed_at = now


@transaction.atomic
def improvement_move(*, actor: SystemOrActor, improvement: Improvement, to: str, answer: str = "") -> Improvement:
    """Move one stage forward or back. Moving on keeps the answer to the stage's question, and is refused without
    one; from Act, moving on means "adapt": the round is kept and a new one starts in Plan."""
    person = _acting_person(actor, improvement.unit_id)
    improvement = _lock(improvement)
    if improvement.stage == Stage.DONE:
        raise ValidationError({"to": ERROR_DONE})
    forward = to == next_stage(improvement.stage)
    if not forward and to != previous_stage(improvement.stage, improvement.round_number):
        raise ValidationError({"to": ERROR_MOVE_NOT_POSSIBLE})
    answer = _kept(answer, "answer")
    if len(answer) > TEXT_MAX_LENGTH:
        raise ValidationError({"answer": ERROR_TEXT_TOO_LONG})
    round_ = ImprovementRound.objects.select_for_update().get(improvement=improvement, number=improvement.round_number)
    from_stage, round_number, now = improvement.stage, improvement.round_number, timezone.now()
    if forward and from_stage in ANSWER_FIELDS:
        name = ANSWER_FIELDS[Stage(from_stage)]
        if answer:
            setattr(round_, name, answer)
            round_.save(update_fields=[name])
        elif not getattr(round_, name):
            raise ValidationError({"answer": ERROR_ANSWER_NEEDED[Stage(from_stage)]})
    _move(improvement, round_, to, person, now)
    fields = ["stage", "stage_changed_at"]
    if forward and from_stage == Stage.ACT:
        round_.decision, round_.decision_text = Decision.ADAPT, answer
        round_.save(update_fields=["decision", "decision_text"])
        improvement.round_number += 1
        ImprovementRound.objects.create(improvement=improvement, number=improvement.round_number)
        fields.append("round_number")
    improvement.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action="improvement.moved",
        target=improvement,
        municipality=person.municipality,
        fields=fields,
        extra={"from": from_stage, "to": to, "round": round_number},
    )
    return improvement


@transaction.atomic
def improvement_finish(
    *, actor: SystemOrActor, improvement: Improvement, outcome: str, answer: str = "", lesson: str = ""
) -> Improvement:
    """Agera's decision to end the wheel: adopted, adopted with changes, or ended without adoption, which needs
    what was learned (a valid outcome, never a failure)."""
    person = _acting_person(actor, improvement.unit_id)
    improvement = _lock(improvement)
    if improvement.stage != Stage.ACT:
        raise ValidationError({"outcome": ERROR_FINISH_ONLY_IN_ACT})
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": ERROR_OUTCOME_UNKNOWN})
    answer, lesson = _kept(answer, "answer"), _kept(lesson, "lesson")
    if outcome == Outcome.ABANDONED and not lesson:
        raise ValidationError({"lesson": ERROR_LESSON_NEEDED})
    for name, text in (("answer", answer), ("lesson", lesson)):
        if len(text) > TEXT_MAX_LENGTH:
            raise ValidationError({name: ERROR_TEXT_TOO_LONG})
    round_ = ImprovementRound.objects.select_for_update().get(improvement=improvement, number=improvement.round_number)
    round_.decision = Decision.ABANDON if outcome == Outcome.ABANDONED else Decision.ADOPT
    round_.decision_text = answer
    round_.save(update_fields=["decision", "decision_text"])
    now = timezone.now()
    _move(improvement, round_, Stage.DONE, person, now)
    improvement.outcome, improvement.lesson, improvement.finished_at = outcome, lesson, now
    tally_finished(unit_id=improvement.unit_id, finished_at=now, outcome=outcome, result=round_.result)
    fields = ["stage", "stage_changed_at", "outcome", "lesson", "finished_at"]
    improvement.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=actor,
        action="improvement.finished",
        target=improvement,
        municipality=person.municipality,
        fields=fields,
        extra={"outcome": outcome, "round": improvement.round_number},
    )
    return improvement


ERROR_SUMMARY_NOT_YET = _("A summary for residents is written once the improvement is adopted.")
ERROR_SUMMARY_NO_CASES = _("The improvement did not come from any resident's case, so there is nobody to tell.")
ERROR_SUMMARY_WRITTEN = _("The summary has already been written and sent.")
ERROR_YOU_SAID_EMPTY = _("Write what residents told us.")
ERROR_WE_DID_EMPTY = _("Write what we changed.")


def resident_text(*, language: str, you_said: str, we_did: str) -> str:
    """The summary as one resident reads it, with its headings in the language they wrote in."""
    with translation.override(language):
        return f"{translation.gettext('You told us')}:\n{you_said}\n\n{translation.gettext('What we did')}:\n{we_did}"


@transaction.atomic
def resident_summary_write(
    *, actor: SystemOrActor, improvement: Improvement, you_said: str, we_did: str
) -> ResidentSummary:
    """Tell the residents of the linked cases what we changed, once the improvement is adopted (with or without
    changes): the summary is kept for "Du sa – vi gjorde", and each linked case gets it as a follow-up that the
    resident sees at their link and is mailed when they asked for answers (`dialog.services.cases_follow_up`)."""
    person = _acting_person(actor, improvement.unit_id)
    improvement = Improvement.objects.select_for_update().get(pk=improvement.pk)
    if improvement.stage != Stage.DONE or improvement.outcome not in (Outcome.ADOPTED, Outcome.ADAPTED):
        raise ValidationError(ERROR_SUMMARY_NOT_YET)
    if ResidentSummary.objects.filter(improvement=improvement).exists():
        raise ValidationError(ERROR_SUMMARY_WRITTEN)
    cases = list(Case.objects.filter(improvement_links__improvement=improvement).order_by("pk"))
    if not cases:
        raise ValidationError(ERROR_SUMMARY_NO_CASES)
    texts = {"you_said": _kept(you_said, "you_said"), "we_did": _kept(we_did, "we_did")}
    errors = {
        name: ValidationError(ERROR_TEXT_TOO_LONG if text else empty)
        for (name, text), empty in zip(texts.items(), (ERROR_YOU_SAID_EMPTY, ERROR_WE_DID_EMPTY), strict=True)
        if not text or len(text) > TEXT_MAX_LENGTH
    }
    if errors:
        raise ValidationError(errors)
    summary = ResidentSummary.objects.create(
        improvement=improvement, written_by=person, written_at=timezone.now(), **texts
    )
    cases_follow_up(actor=actor, cases=cases, text_for=lambda case: resident_text(language=case.language, **texts))
    audit_record(
        actor=actor,
        action="improvement.summary_written",
        target=improvement,
        municipality=person.municipality,
        extra={"cases": [case.pk for case in cases]},
    )
    return summary
