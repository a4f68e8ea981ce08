"""Every write of ballots by e-mail: receive one, confirm it (through the ballot service)."""

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consensus.models import (
    BallotVisibility,
    EmailBallot,
    EmailBallotConfirmation,
    EmailBallotState,
    Round,
)
from consensus.services import ballot_cast
from record.services import audit_append
from stakeholders.models import User
from web.errors import StateConflict

SALT = "footing.consensus.email-ballot"
LINK_MAX_AGE = 14 * 24 * 3600  # a link older than any round's usual span is refused


def confirmation_token(email_ballot: EmailBallot) -> str:
    """The signed token of the confirmation link; single use, since a ballot is confirmed once."""
    return signing.dumps(email_ballot.pk, salt=SALT, compress=True)


def email_ballot_from_token(token: str) -> EmailBallot | None:
    """The e-mailed ballot a link names, or None for a forged, altered or expired link."""
    try:
        pk = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return (
        EmailBallot.objects.select_related("round__version__proposal", "round__process", "user")
        .filter(pk=pk)
        .first()
    )


@transaction.atomic
def email_ballot_receive(
    *,
    actor: User,
    round_: Round,
    position: str,
    rationale: str,
    inbound_id: int,
    immediate: bool,
) -> EmailBallot:
    """Keep a ballot read from the actor's e-mail; count it at once when `immediate` (the actor
    opted in and their mail was authenticated), else leave it pending for its link.

    After: at most one pending e-mailed ballot per (round, person): an earlier one is superseded,
    so that an old link can never overwrite a newer choice.
    """
    EmailBallot.objects.filter(round=round_, user=actor, state=EmailBallotState.PENDING).update(
        state=EmailBallotState.SUPERSEDED
    )
    email_ballot = EmailBallot.objects.create(
        round=round_,
        user=actor,
        position=position,
        rationale=rationale.strip(),
        inbound_id=inbound_id,
    )
    if immediate:
        email_ballot_confirm(
            actor=actor,
            email_ballot=email_ballot,
            confirmed_by=EmailBallotConfirmation.AUTHENTICATED,
        )
    return email_ballot


@transaction.atomic
def email_ballot_confirm(
    *,
    actor: User,
    email_ballot: EmailBallot,
    confirmed_by: str = EmailBallotConfirmation.LINK,
) -> EmailBallot:
    """Cast the e-mailed ballot through `ballot_cast` (the same rules as the web: membership,
    standing, an open round, a rationale for an objection) and record that it came by e-mail.

    Before: the e-mailed ballot is pending; a confirmed or superseded one raises StateConflict
    (single use). After: it is confirmed, linked to its ballot, and the record holds a
    `ballot.email` event with `via: "email"`.
    """
    locked = EmailBallot.objects.select_for_update().get(pk=email_ballot.pk)
    if locked.user_id != actor.pk:
        raise PermissionError(_("This ballot belongs to someone else."))
    if locked.state == EmailBallotState.CONFIRMED:
        raise StateConflict(_("This ballot was already confirmed; the link works once."))
    if locked.state == EmailBallotState.SUPERSEDED:
        raise StateConflict(
            _("A later e-mail replaced this ballot; follow the link in its answer instead.")
        )
    round_ = Round.objects.select_related("process").get(pk=locked.round_id)
    ballot, _first = ballot_cast(
        actor=actor, round_=round_, position=locked.position, rationale=locked.rationale
    )
    locked.state = EmailBallotState.CONFIRMED
    locked.confirmed_by = confirmed_by
    locked.confirmed_at = timezone.now()
    locked.ballot = ballot
    locked.save(update_fields=["state", "confirmed_by", "confirmed_at", "ballot"])
    audit_append(
        actor=actor,
        action="ballot.email",
        obj=ballot,
        process=round_.process_id,
        veiled=round_.ballot_visibility == BallotVisibility.GROUP_ONLY,
        data={"via": "email", "round": round_.pk, "confirmed_by": confirmed_by},
    )
    email_ballot.state, email_ballot.ballot = locked.state, ballot
    return locked
