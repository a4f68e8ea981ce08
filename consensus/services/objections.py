"""Objection services: addressing, accommodating, withdrawing, answering and acknowledging."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from consensus.models import (
    Ballot,
    BallotVisibility,
    CarriedAnswer,
    Objection,
    ObjectionState,
    Position,
)
from consensus.services._shared import resolve_objection
from consensus.services.ballots import ballot_cast
from deliberation.models import ProposalVersion
from record.services import audit_append
from stakeholders.models import User
from web.errors import StateConflict


def _require_open(objection: Objection) -> None:
    if objection.state != ObjectionState.OPEN:
        raise StateConflict(_("This objection is already %s.") % objection.get_state_display())


@transaction.atomic
def objection_address(*, actor: User, objection: Objection, reason: str) -> Objection:
    """A facilitator answers an objection without changing the text; the reason is public."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say how the objection was considered and answered.")})
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    _require_open(objection)
    return resolve_objection(
        objection, actor=actor, state=ObjectionState.ADDRESSED, response=reason.strip()
    )


@transaction.atomic
def objection_accommodate(
    *, actor: User, objection: Objection, reason: str, version: ProposalVersion
) -> Objection:
    """A later version of the same proposal changed the text for this objection."""
    objection = (
        Objection.objects.select_for_update().select_related("round__version").get(pk=objection.pk)
    )
    _require_open(objection)
    round_version = objection.round.version
    if version.proposal_id != round_version.proposal_id or version.number <= round_version.number:
        raise ValidationError(
            {
                "version": _("Name a later version of the same proposal (after version %d).")
                % round_version.number
            }
        )
    return resolve_objection(
        objection,
        actor=actor,
        state=ObjectionState.ACCOMMODATED,
        response=reason.strip(),
        version=version,
    )


@transaction.atomic
def objection_withdraw(*, actor: User, objection: Objection) -> Objection:
    """The objector withdraws; while the round is open their ballot becomes `abstain`."""
    objection = Objection.objects.select_for_update().select_related("round").get(pk=objection.pk)
    if objection.objector_id != actor.pk:
        raise PermissionError(_("Only the objector may withdraw an objection."))
    _require_open(objection)
    resolve_objection(objection, actor=actor, state=ObjectionState.WITHDRAWN, response="")
    round_ = objection.round
    current = Ballot.objects.filter(round=round_, user=actor, current=True).first()
    if round_.accepting_ballots and current is not None and current.position == Position.OBJECT:
        ballot_cast(
            actor=actor,
            round_=round_,
            position=Position.ABSTAIN,
            rationale=_("Objection withdrawn."),
            affiliation=current.affiliation_id,
        )
    return objection


@transaction.atomic
def objection_answer_carried(*, actor: User, objection: Objection, resolved: bool) -> Objection:
    """The objector says whether the new version resolves a carried-over objection."""
    objection = (
        Objection.objects.select_for_update().select_related("round__version").get(pk=objection.pk)
    )
    if objection.objector_id != actor.pk:
        raise PermissionError(_("Only the objector answers for an objection."))
    if objection.carried_from_id is None:
        raise StateConflict(_("Only a carried-over objection asks this question."))
    _require_open(objection)
    if not resolved:
        objection.carried_answer = CarriedAnswer.STANDS
        objection.save(update_fields=["carried_answer"])
        return objection
    objection.carried_answer = CarriedAnswer.RESOLVED
    return resolve_objection(
        objection,
        actor=actor,
        state=ObjectionState.ACCOMMODATED,
        response=_("The objector says version %d resolves it.") % objection.round.version.number,
        version=objection.round.version,
    )


@transaction.atomic
def objection_acknowledge(*, actor: User, objection: Objection) -> Objection:
    """A facilitator lets a restricted participant's objection count."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.acknowledged:
        return objection
    objection.acknowledged = True
    objection.save(update_fields=["acknowledged"])
    audit_append(
        actor=actor,
        action="objection.acknowledge",
        obj=objection,
        process=objection.round.process_id,
        people=[objection.objector_id],
        veiled=objection.round.ballot_visibility == BallotVisibility.GROUP_ONLY,
        data={"round": objection.round_id},
    )
    return objection
