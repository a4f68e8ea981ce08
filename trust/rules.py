"""Who may do what with endorsements, commitments and trust; shared by pages and the API."""

from typing import Any

import rules

from stakeholders.models import User
from stakeholders.rules import is_admin, may_act
from trust.models import Attestation, Commitment, Endorsement


def _commitment_of(obj: Any) -> Commitment | None:
    if isinstance(obj, Commitment):
        return obj
    if isinstance(obj, Attestation):
        return obj.commitment
    return None


@rules.predicate
def can_see_commitment(user: User, obj: Any) -> bool:
    """A commitment is as visible as its process (everyone sees one that has no process)."""
    commitment = _commitment_of(obj)
    if commitment is None:
        return False
    if commitment.process_id is None:
        return True
    return bool(rules.has_perm("deliberation.view_process", user, commitment.process))


@rules.predicate
def wrote_commitment(user: User, obj: Any) -> bool:
    commitment = _commitment_of(obj)
    return commitment is not None and user.is_authenticated and commitment.author_id == user.pk


@rules.predicate
def commitment_is_due(user: User, obj: Any) -> bool:
    commitment = _commitment_of(obj)
    return commitment is not None and commitment.is_due()


@rules.predicate
def has_attested(user: User, obj: Any) -> bool:
    commitment = _commitment_of(obj)
    return bool(
        commitment is not None
        and user.is_authenticated
        and commitment.attestations.filter(attester_id=user.pk).exists()
    )


@rules.predicate
def gave_endorsement(user: User, obj: Any) -> bool:
    return isinstance(obj, Endorsement) and user.is_authenticated and obj.from_user_id == user.pk


@rules.predicate
def unanswered(user: User, obj: Any) -> bool:
    return isinstance(obj, Attestation) and obj.replied_at is None


rules.add_perm("trust.view_commitment", can_see_commitment)
rules.add_perm("trust.add_commitment", may_act)
# The API lets anyone who sees a commitment try to attest it, so the service can say why not (400);
# the page offers the form only where it would succeed.
rules.add_perm("trust.try_attest", may_act & can_see_commitment)
rules.add_perm(
    "trust.attest_commitment",
    may_act & can_see_commitment & commitment_is_due & ~wrote_commitment & ~has_attested,
)
rules.add_perm("trust.reply_attestation", may_act & can_see_commitment & wrote_commitment)
rules.add_perm("trust.offer_reply", may_act & wrote_commitment & unanswered)
rules.add_perm("trust.endorse", may_act)
rules.add_perm("trust.withdraw_endorsement", may_act & gave_endorsement)
rules.add_perm("trust.recompute", may_act & is_admin)


@rules.predicate
def is_that_person(user: User, obj: Any) -> bool:
    return isinstance(obj, User) and user.is_authenticated and user.pk == obj.pk


# A percentile or a ratio to the average compares a person with everyone else: only they and the
# admins see it; the public sees endorsements and the commitment record (docs/design.md §5.1).
rules.add_perm("trust.view_comparison", is_that_person | is_admin)
