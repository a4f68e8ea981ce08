"""Helpers the consensus services share: the locked round, its participants, resolving an
objection."""

from typing import Any

from django.utils import timezone

from consensus.models import (
    BallotVisibility,
    Objection,
    Round,
)
from deliberation.models import Participation, ProposalVersion
from record.services import audit_append
from stakeholders.models import User


def round_locked(round_: Round) -> Round:
    """Re-read the round under a row lock: casting, closing and declaring are serialised on it."""
    locked = (
        Round.objects.select_for_update()
        .select_related("version__proposal__issue", "process")
        .get(pk=round_.pk)
    )
    round_.status = locked.status
    return locked


def participant_ids(round_: Round) -> Any:
    """The ids of the round's process's participants, as a query read when it is needed."""
    return Participation.objects.filter(process_id=round_.process_id).values_list(
        "user_id", flat=True
    )


def resolve_objection(
    objection: Objection,
    *,
    actor: User,
    state: str,
    response: str,
    version: ProposalVersion | None = None,
) -> Objection:
    objection.state = state
    objection.response = response
    objection.accommodated_in = version
    objection.resolved_by = actor
    objection.resolved_at = timezone.now()
    objection.full_clean(exclude=["ballot", "carried_from"])
    objection.save()
    audit_append(
        actor=actor,
        action=f"objection.{state}",
        obj=objection,
        process=objection.round.process_id,
        people=[objection.objector_id],
        veiled=objection.round.ballot_visibility == BallotVisibility.GROUP_ONLY,
        data={
            "round": objection.round_id,
            "response": response,
            "version": version.pk if version else None,
        },
    )
    return objection
