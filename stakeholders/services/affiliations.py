"""Affiliation (hat) services: adding, updating, ending, making primary, verifying and rejecting
hats."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from record.services import audit_append
from stakeholders import notifications as stakeholders_kinds
from stakeholders.models import (
    Affiliation,
    User,
)
from stakeholders.services.notifications import notification_send
from web.errors import StateConflict

AFFILIATION_FIELDS = (
    "organisation",
    "stakeholder_group",
    "role",
    "legitimacy_claim",
    "mandate_url",
)


@transaction.atomic
def affiliation_add(
    *,
    actor: User,
    organisation: str,
    stakeholder_group: str,
    role: str = "",
    legitimacy_claim: str = "",
    mandate_url: str = "",
    primary: bool | None = None,
) -> Affiliation:
    """Add a hat for the actor. After: it is primary if asked, or if it is the actor's first."""
    has_primary = actor.affiliations.active().filter(primary=True).exists()
    make_primary = primary if primary is not None else not has_primary
    affiliation = Affiliation(
        user=actor,
        organisation=organisation,
        stakeholder_group=stakeholder_group,
        role=role,
        legitimacy_claim=legitimacy_claim,
        mandate_url=mandate_url,
    )
    affiliation.full_clean()
    affiliation.save()
    if make_primary:
        affiliation_make_primary(actor=actor, affiliation=affiliation)
    return affiliation


@transaction.atomic
def affiliation_update(*, actor: User, affiliation: Affiliation, **fields: Any) -> Affiliation:
    """Edit one of the actor's hats; editing who it speaks for clears its verification."""
    unknown = set(fields) - set(AFFILIATION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown affiliation fields: %s") % ", ".join(sorted(unknown)))
    _require_own(actor, affiliation)
    # An admin verified all that a hat claims — the organisation, group and role, whom it speaks
    # for and on what mandate: a change to any of it makes the verification meaningless.
    changes_claim = any(
        name in fields and fields[name] != getattr(affiliation, name) for name in AFFILIATION_FIELDS
    )
    for name, value in fields.items():
        setattr(affiliation, name, value)
    if changes_claim:
        # A corrected claim goes back to the admins: a rejection was about the old one too.
        _judge(affiliation)
    affiliation.full_clean()
    affiliation.save()
    return affiliation


@transaction.atomic
def affiliation_end(*, actor: User, affiliation: Affiliation) -> Affiliation:
    """End a hat today. After: it is no longer active nor primary; another becomes primary."""
    _require_own(actor, affiliation)
    if not affiliation.active:
        raise ValidationError(_("This affiliation has already ended."))
    was_primary = affiliation.primary
    affiliation.ended_on = max(timezone.localdate(), affiliation.started_on)
    affiliation.primary = False
    affiliation.save(update_fields=["ended_on", "primary"])
    if was_primary:
        successor = actor.affiliations.active().exclude(pk=affiliation.pk).order_by("id").first()
        if successor is not None:
            affiliation_make_primary(actor=actor, affiliation=successor)
    return affiliation


@transaction.atomic
def affiliation_make_primary(*, actor: User, affiliation: Affiliation) -> Affiliation:
    """Make one active hat the actor's primary one. After: exactly one primary hat."""
    _require_own(actor, affiliation)
    if not affiliation.active:
        raise ValidationError(_("An ended affiliation cannot be primary."))
    Affiliation.objects.filter(user=actor, primary=True).exclude(pk=affiliation.pk).update(
        primary=False
    )
    if not affiliation.primary:
        affiliation.primary = True
        affiliation.save(update_fields=["primary"])
    return affiliation


# What an admin's judgment of a hat sets: verified, rejected with a reason, or neither.
JUDGMENT_FIELDS = ["verified_by", "verified_at", "rejected_by", "rejected_at", "rejection_reason"]


def _judge(
    affiliation: Affiliation,
    *,
    verified_by: User | None = None,
    rejected_by: User | None = None,
    reason: str = "",
) -> None:
    """Set the judgment fields (not saved): at most one of verified and rejected, now."""
    now = timezone.now()
    affiliation.verified_by = verified_by
    affiliation.verified_at = now if verified_by else None
    affiliation.rejected_by = rejected_by
    affiliation.rejected_at = now if rejected_by else None
    affiliation.rejection_reason = reason


def _claim(affiliation: Affiliation) -> dict[str, Any]:
    """What an admin judged, as the record keeps it."""
    return {
        "user": affiliation.user_id,
        "organisation": affiliation.organisation,
        "stakeholder_group": affiliation.stakeholder_group,
    }


@transaction.atomic
def affiliation_verify(*, actor: User, affiliation: Affiliation) -> Affiliation:
    """An admin confirms a hat (also one they rejected before). After: verified_by/at set, any
    rejection cleared, and the record says so."""
    if affiliation.verified:
        return affiliation
    _judge(affiliation, verified_by=actor)
    affiliation.save(update_fields=JUDGMENT_FIELDS)
    audit_append(
        actor=actor,
        action="affiliation.verify",
        obj=affiliation,
        process=None,
        people=[affiliation.user_id],
        data=_claim(affiliation),
    )
    notification_send(
        user=affiliation.user,
        kind=stakeholders_kinds.ROLE,
        title=_("Your affiliation with %s was verified") % affiliation.organisation,
        url=reverse("stakeholders:hats"),
    )
    return affiliation


@transaction.atomic
def affiliation_reject(*, actor: User, affiliation: Affiliation, reason: str) -> Affiliation:
    """An admin could not verify a hat's claim, and says why.

    Before: a reason is given; the hat is not already rejected (409). After: the hat is kept,
    unverified (a verification is withdrawn), marked rejected with the reason; its holder is told
    the reason and may correct the claim, which sends it back to the admins. The record keeps the
    decision as a private link of the chain: a judgment about a person's claim is theirs and the
    admins', not the public's (a hat shows publicly as "not verified").
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the hat cannot be verified.")})
    if affiliation.rejected:
        raise StateConflict(_("This hat is already rejected; its holder has been told why."))
    _judge(affiliation, rejected_by=actor, reason=reason)
    affiliation.full_clean()
    affiliation.save(update_fields=JUDGMENT_FIELDS)
    audit_append(
        actor=actor,
        action="affiliation.reject",
        obj=affiliation,
        process=None,
        people=[affiliation.user_id],
        data={**_claim(affiliation), "reason": reason},
        public=False,
    )
    notification_send(
        user=affiliation.user,
        kind=stakeholders_kinds.ROLE,
        title=_("Your affiliation with %s could not be verified") % affiliation.organisation,
        body=reason,
        url=reverse("stakeholders:hats"),
    )
    return affiliation


def _require_own(actor: User, affiliation: Affiliation) -> None:
    if affiliation.user_id != actor.pk:
        raise PermissionError("Not the actor's affiliation.")
