"""Every write of invitations: invite many addresses at once, revoke, accept by joining, e-mail."""

import re
from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deliberation.invitations.mail import invitation_message
from deliberation.invitations.models import Invitation
from deliberation.models import Participation, Process
from deliberation.services import participation_join
from record.services import audit_append
from stakeholders.models import Affiliation, User
from web.errors import StateConflict
from web.queue import enqueue_on_commit

MAX_BATCH = 200  # addresses in one request: more is refused, never silently cut
LIFETIME = timedelta(days=30)
MAIL_TASK = "deliberation.send_invitations"
SEPARATORS = re.compile(r"[\s,;]+")


def split_addresses(text: str) -> list[str]:
    """The addresses of a text written one a line, or separated by commas or semicolons."""
    return [part for part in SEPARATORS.split(text) if part]


def normal_address(email: str) -> str:
    return email.strip().lower()


def clean_addresses(emails: Iterable[str]) -> list[str]:
    """The distinct addresses, normalised, in the order given.

    Raises ValidationError naming every address that is not one, when none is given, or when there
    are more than MAX_BATCH distinct addresses.
    """
    distinct: dict[str, None] = {}
    invalid: list[str] = []
    for raw in emails:
        email = normal_address(raw)
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            invalid.append(raw.strip())
        else:
            distinct.setdefault(email, None)
    if invalid:
        raise ValidationError(
            ngettext(
                "This is not an e-mail address: %(addresses)s",
                "These are not e-mail addresses: %(addresses)s",
                len(invalid),
            )
            % {"addresses": ", ".join(invalid[:20]) + (" …" if len(invalid) > 20 else "")},
            code="invalid",
        )
    if not distinct:
        raise ValidationError(_("Give at least one e-mail address."), code="required")
    if len(distinct) > MAX_BATCH:
        raise ValidationError(
            _("Invite at most %(max)s at a time; this list has %(n)s.")
            % {
                "max": ngettext("%(n)d person", "%(n)d people", MAX_BATCH) % {"n": MAX_BATCH},
                "n": ngettext("%(n)d address", "%(n)d addresses", len(distinct))
                % {"n": len(distinct)},
            },
            code="max_length",
        )
    return list(distinct)


def _members_among(process: Process, emails: Sequence[str]) -> set[str]:
    """Which of these (normalised) addresses belong to someone who takes part already."""
    return set(
        Participation.objects.filter(process=process)
        .annotate(address=Lower("user__email"))
        .filter(address__in=emails)
        .values_list("address", flat=True)
    )


@transaction.atomic
def invitations_create(
    *, actor: User, process: Process, emails: Iterable[str]
) -> tuple[list[Invitation], list[str], list[str]]:
    """Invite each address to the process; returns (invitations made, addresses skipped because
    their invitation is still pending, addresses skipped because they take part already).

    Before: the actor may invite (deliberation.invite); the addresses pass `clean_addresses`.
    After: one pending invitation per (process, address) — an expired one is renewed rather than
    duplicated; one audit event names the invitations (never the addresses, which stay off the
    public record); their e-mails are queued after commit (and swept if the queue loses them).
    """
    # Invitations to one process are made one request at a time: two facilitators inviting the
    # same address at once get one invitation, never a constraint error.
    process = Process.objects.select_for_update().get(pk=process.pk)
    if not process.is_open:
        raise StateConflict(_("This process is not open: it takes no new participants."))
    wanted = clean_addresses(emails)
    now = timezone.now()
    members = _members_among(process, wanted)
    existing = {
        invitation.email: invitation
        for invitation in Invitation.objects.filter(
            process=process, email__in=wanted, accepted_at__isnull=True, revoked_at__isnull=True
        )
    }
    fresh, renewed, pending = [], [], []
    for email in wanted:
        earlier = existing.get(email)
        if email in members:
            continue
        if earlier is None:
            fresh.append(
                Invitation(
                    process=process,
                    email=email,
                    invited_by=actor,
                    language=translation.get_language() or settings.LANGUAGE_CODE,
                    created_at=now,
                    expires_at=now + LIFETIME,
                )
            )
        elif earlier.expires_at > now:
            pending.append(email)
        else:  # expired: renewed, and e-mailed again
            earlier.expires_at, earlier.emailed_at = now + LIFETIME, None
            earlier.invited_by, earlier.created_at = actor, now
            renewed.append(earlier)
    Invitation.objects.bulk_update(
        renewed, ["expires_at", "emailed_at", "invited_by", "created_at"]
    )
    made = renewed + Invitation.objects.bulk_create(fresh)
    if made:
        audit_append(
            actor=actor,
            action="invitation.create",
            obj=process,
            process=process,
            data={"invitations": sorted(i.pk for i in made)},
        )
        enqueue_on_commit(MAIL_TASK, [i.pk for i in made])
    return made, pending, sorted(members)


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    """Withdraw a pending (or expired) invitation; its link then leads to a page saying so.

    Before: neither accepted nor revoked, else StateConflict. After: `revoked_at` is set and the
    record says who revoked it.
    """
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise StateConflict(_("This invitation was accepted already; it cannot be revoked."))
    if locked.revoked_at is not None:
        raise StateConflict(_("This invitation was revoked already."))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit_append(actor=actor, action="invitation.revoke", obj=locked, process=locked.process_id)
    invitation.revoked_at = locked.revoked_at
    return locked


def refusal(invitation: Invitation) -> str:
    """Why the invitation's link no longer works, or "" when it does."""
    if invitation.accepted_at is not None:
        return _("This invitation was used already: an invitation lets one person join, once.")
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn by the process's facilitators.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired. Ask the process's facilitators for a new one.")
    return ""


@transaction.atomic
def invitation_accept(
    *, actor: User, invitation: Invitation, affiliation: Affiliation | int | None = None
) -> Participation:
    """Join the invitation's process through `participation_join` (the same hat rules as any
    joining) and mark the invitation accepted by the actor.

    Before: the invitation is pending (else StateConflict: used, withdrawn or expired) and the
    process open. After: the actor takes part (joining again only changes the default hat), the
    invitation is used up, and the record says who accepted it.
    """
    locked = Invitation.objects.select_for_update().select_related("process").get(pk=invitation.pk)
    problem = refusal(locked)
    if problem:
        raise StateConflict(problem)
    if not locked.process.is_open:
        raise StateConflict(_("This process is not open: it takes no new participants."))
    participation = participation_join(actor=actor, process=locked.process, affiliation=affiliation)
    locked.accepted_at, locked.accepted_by = timezone.now(), actor
    locked.save(update_fields=["accepted_at", "accepted_by"])
    audit_append(actor=actor, action="invitation.accept", obj=locked, process=locked.process_id)
    invitation.accepted_at, invitation.accepted_by = locked.accepted_at, actor
    return participation


def _unsent() -> Q:
    return Q(
        emailed_at__isnull=True,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def invitation_mails_send(*, invitation_ids: Sequence[int]) -> int:
    """E-mail these invitations, each exactly once, over one mail connection per batch of
    MAX_BATCH; returns how many this call sent. Revoked, accepted and expired ones are skipped.

    Each batch is locked (rows another sender holds are skipped), sent, and marked sent in one
    transaction, so a failure leaves it for the sweep (`pending_invitation_mail_ids`).
    """
    sent = 0
    ids = list(invitation_ids)
    for start in range(0, len(ids), MAX_BATCH):
        with transaction.atomic():
            batch = list(
                Invitation.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("process", "invited_by")
                .filter(_unsent(), pk__in=ids[start : start + MAX_BATCH])
                .order_by("pk")
            )
            if not batch:
                continue
            with get_connection() as mail:
                mail.send_messages([invitation_message(invitation) for invitation in batch])
            Invitation.objects.filter(pk__in=[i.pk for i in batch]).update(
                emailed_at=timezone.now()
            )
        sent += len(batch)
    return sent


def pending_invitation_mail_ids(*, older_than_seconds: int = 60) -> list[int]:
    """Pending invitations whose e-mail is still unsent (their queue message was lost)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return list(
        Invitation.objects.filter(_unsent(), created_at__lte=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[: MAX_BATCH * 5]
    )
