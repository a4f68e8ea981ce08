"""After an outcome: minority statements and challenges, and the facilitator's answer."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consensus import designation
from consensus import notifications as consensus_kinds
from consensus.models import (
    Challenge,
    MinorityStatement,
    Objection,
    Outcome,
)
from record.services import audit_append
from stakeholders.models import User
from stakeholders.services import (
    notification_send,
)
from web.errors import StateConflict


@transaction.atomic
def minority_statement_add(*, actor: User, outcome: Outcome, text: str) -> MinorityStatement:
    """An objector of the round attaches a statement (not under Full consensus)."""
    if (
        outcome.computed_designation == designation.Designation.FULL_CONSENSUS
        and not outcome.declared_designation
    ):
        raise StateConflict(_("There is no minority under Full consensus."))
    if not Objection.objects.filter(round_id=outcome.round_id, objector=actor).exists():
        raise PermissionError(_("Only the round's objectors attach minority statements."))
    statement = MinorityStatement(outcome=outcome, author=actor, text=text.strip())
    statement.full_clean()
    statement.save()
    return statement


@transaction.atomic
def challenge_create(*, actor: User, outcome: Outcome, text: str) -> Challenge:
    """A participant contests the declaration while the challenge window is open."""
    if not outcome.declared or not outcome.challenge_open:
        raise StateConflict(_("The challenge window is not open."))
    challenge = Challenge(outcome=outcome, author=actor, text=text.strip())
    challenge.full_clean()
    challenge.save()
    audit_append(
        actor=actor,
        action="challenge.create",
        obj=challenge,
        process=outcome.round.process_id,
        data={"round": outcome.round_id},
    )
    for facilitator in outcome.round.process.facilitators.all():
        notification_send(
            user=facilitator,
            kind=consensus_kinds.ROUND,
            title=_("A declaration was challenged"),
            body=challenge.text[:500],
            url=f"{outcome.round.get_absolute_url()}result/",
        )
    return challenge


@transaction.atomic
def challenge_answer(*, actor: User, challenge: Challenge, answer: str) -> Challenge:
    """Every challenge gets a written answer from a facilitator."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.answered_at is not None:
        raise StateConflict(_("This challenge is already answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    challenge.answer = answer.strip()
    challenge.answered_by = actor
    challenge.answered_at = timezone.now()
    challenge.save()
    audit_append(
        actor=actor,
        action="challenge.answer",
        obj=challenge,
        process=challenge.outcome.round.process_id,
        people=[challenge.author_id],
        data={"answer": challenge.answer},
    )
    notification_send(
        user=challenge.author,
        kind=consensus_kinds.ROUND,
        title=_("Your challenge was answered"),
        url=f"{challenge.outcome.round.get_absolute_url()}result/",
    )
    return challenge
