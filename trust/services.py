"""Every write about trust: endorsements, commitments, attestations and the trust computation."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from deliberation.models import Participation, Process
from record.services import audit_append
from stakeholders.models import User
from stakeholders.services import notification_send, notify_after_commit
from trust import notifications as trust_kinds
from trust.models import (
    Attestation,
    Commitment,
    Endorsement,
    Verdict,
)


def _insert_once(row: models.Model, duplicate: str | dict[str, str]) -> None:
    """Validate and insert a new row whose unique constraint allows one per person.

    The constraint, not a prior lookup, decides, so two requests racing each other cannot both
    succeed; the loser gets the `duplicate` ValidationError.
    """
    row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as error:
        raise ValidationError(duplicate) from error


# --- endorsements ----------------------------------------------------------------------------


@transaction.atomic
def endorsement_give(*, actor: User, to_user: User, note: str = "") -> Endorsement:
    """Endorse another active user's good faith.

    Before: `actor` ≠ `to_user` and `actor` has no active endorsement of them (a withdrawn one does
    not count). After: one active endorsement from actor to to_user, on the public record.
    """
    if actor.pk == to_user.pk:
        raise ValidationError({"to": _("You cannot endorse yourself.")})
    if not to_user.is_active:
        raise ValidationError({"to": _("This account is closed.")})
    endorsement = Endorsement(from_user=actor, to_user=to_user, note=note.strip())
    _insert_once(endorsement, {"to": _("You already endorse this stakeholder.")})
    _record_endorsement(actor, endorsement, "give")
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, actor: User, endorsement: Endorsement) -> Endorsement:
    """Withdraw one of the actor's endorsements. After: it is kept, with `withdrawn_at` set."""
    if endorsement.from_user_id != actor.pk:
        raise PermissionError("Only the endorser withdraws an endorsement.")
    locked = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("This endorsement was already withdrawn."))
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at"])
    endorsement.withdrawn_at = locked.withdrawn_at
    _record_endorsement(actor, endorsement, "withdraw")
    return endorsement


def _record_endorsement(actor: User, endorsement: Endorsement, verb: str) -> None:
    """Endorsements are public acts: each one given or withdrawn goes on the record."""
    audit_append(
        actor=actor,
        action=f"endorsement.{verb}",
        obj=endorsement,
        process=None,
        people=[endorsement.from_user_id, endorsement.to_user_id],
        data={"from": endorsement.from_user_id, "to": endorsement.to_user_id},
    )


# --- commitments and attestations --------------------------------------------------------------


@transaction.atomic
def commitment_create(
    *, actor: User, text: str, due_on: date, process: Process | None = None
) -> Commitment:
    """Record the actor's commitment, optionally made in a process they take part in.

    Before: when `process` is given, the actor participates in it or facilitates it. Forms and the
    API also refuse a due date in the past; this service accepts one, so a commitment made
    earlier (say, at a meeting) can be recorded after the fact. After: the commitment is public
    (or as visible as its process) and on the record; attesters are invited once it is due.
    """
    if process is not None and not (
        actor.pk in process.facilitator_ids
        or Participation.objects.filter(process=process, user=actor).exists()
    ):
        raise ValidationError(
            {"process": _("You can only make a commitment in a process you take part in.")}
        )
    commitment = Commitment(author=actor, text=text.strip(), due_on=due_on, process=process)
    commitment.full_clean()
    commitment.save()
    audit_append(
        actor=actor,
        action="commitment.create",
        obj=commitment,
        process=process,
        data={"due": due_on.isoformat(), "process": process.slug if process else None},
    )
    return commitment


def commitment_invitees(commitment: Commitment) -> list[User]:
    """Who is asked to attest: the process's participants, or the author's endorsers when the
    commitment belongs to no process — never the author."""
    if commitment.process_id is not None:
        users = User.objects.filter(
            is_active=True, participations__process_id=commitment.process_id
        )
    else:
        users = User.objects.filter(
            is_active=True,
            endorsements_given__to_user_id=commitment.author_id,
            endorsements_given__withdrawn_at__isnull=True,
        )
    return list(users.exclude(pk=commitment.author_id).distinct().order_by("pk"))


@transaction.atomic
def commitment_invite_attesters(*, commitment: Commitment) -> int:
    """Invite attesters to a due commitment, once.

    Before: the commitment is due. After: `invitations_sent_at` is set, and once this commits
    each invitee gets a notification (and its e-mail, as they chose) in bulk; a second call, or a
    call racing this one, invites nobody. Returns how many were invited.
    """
    locked = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("author", "process")
        .filter(pk=commitment.pk, invitations_sent_at__isnull=True)
        .first()
    )
    if locked is None:
        return 0
    if not locked.is_due():
        raise ValidationError(_("This commitment is not due yet."))
    invitees = commitment_invitees(locked)
    author = locked.author.display_name or _("A stakeholder")
    notify_after_commit(
        recipients=[user.pk for user in invitees],
        kind=trust_kinds.COMMITMENT,
        title=_("Was this commitment kept? %s") % locked.text[:120],
        body=_(
            "%(author)s committed to this, due %(due)s. Say whether it was kept, partly kept "
            "or broken, with your evidence."
        )
        % {"author": author, "due": formats.date_format(locked.due_on, "DATE_FORMAT")},
        url=locked.get_absolute_url(),
    )
    locked.invitations_sent_at = timezone.now()
    locked.save(update_fields=["invitations_sent_at"])
    commitment.invitations_sent_at = locked.invitations_sent_at
    return len(invitees)


def commitments_invite_due() -> int:
    """The sweep: invite attesters for every due commitment not yet announced.

    Each commitment is handled in its own transaction, so one failure does not undo the others and
    a lost run is simply picked up by the next. Returns how many invitations were sent.
    """
    pending = list(Commitment.objects.awaiting_invitations().order_by("due_on", "pk"))
    return sum(commitment_invite_attesters(commitment=commitment) for commitment in pending)


@transaction.atomic
def attestation_give(
    *, actor: User, commitment: Commitment, verdict: str, evidence: str
) -> Attestation:
    """Attest whether someone else's due commitment was kept.

    Before: the actor may see the commitment (callers check). Refused with a ValidationError: one's
    own commitment, one not yet due, a second attestation by the same person. After: the
    attestation is stored, on the record, and the author is told.
    """
    if commitment.author_id == actor.pk:
        raise ValidationError(_("You cannot attest your own commitment."))
    if not commitment.is_due():
        raise ValidationError(
            _("This commitment is not due until %s; attest it from then on.")
            % formats.date_format(commitment.due_on, "DATE_FORMAT")
        )
    attestation = Attestation(
        commitment=commitment, attester=actor, verdict=verdict, evidence=evidence.strip()
    )
    _insert_once(attestation, _("You have already attested this commitment."))
    audit_append(
        actor=actor,
        action="attestation.give",
        obj=attestation,
        process=commitment.process_id,
        people=[commitment.author_id],
        data={"commitment": commitment.pk, "verdict": verdict},
    )
    notification_send(
        user=commitment.author,
        kind=trust_kinds.COMMITMENT,
        title=_("Your commitment was attested: %s") % Verdict(verdict).label,
        body=attestation.evidence[:500],
        url=commitment.get_absolute_url(),
    )
    return attestation


@transaction.atomic
def attestation_reply(*, actor: User, attestation: Attestation, reply: str) -> Attestation:
    """The commitment's author answers an attestation, once.

    Before: the actor wrote the commitment. After: the reply is public beside the attestation and
    the attester is told; a second reply is refused.
    """
    commitment = attestation.commitment
    if commitment.author_id != actor.pk:
        raise PermissionError("Only the commitment's author replies to its attestations.")
    locked = Attestation.objects.select_for_update().get(pk=attestation.pk)
    if locked.replied_at is not None:
        raise ValidationError(_("You have already replied to this attestation."))
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": _("Write a reply.")})
    locked.reply = reply
    locked.replied_at = timezone.now()
    locked.full_clean(validate_constraints=False)
    locked.save(update_fields=["reply", "replied_at"])
    attestation.reply, attestation.replied_at = locked.reply, locked.replied_at
    notification_send(
        user=attestation.attester,
        kind=trust_kinds.COMMITMENT,
        title=_("The author replied to your attestation"),
        body=reply[:500],
        url=commitment.get_absolute_url(),
    )
    return attestation


# --- the trust computation ---------------------------------------------------------------------
