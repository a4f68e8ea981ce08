"""Celery tasks of trust: the nightly recomputation and the sweep that invites attesters."""

from celery import shared_task

from trust import services


@shared_task(name="trust.compute_trust")
def compute_trust() -> int:
    """Recompute everyone's trust; returns the new computation's id."""
    return services.trust_compute().pk


@shared_task(name="trust.invite_commitment_attesters")
def invite_commitment_attesters() -> int:
    """Invite attesters to every due commitment not yet announced; returns how many were invited.

    Idempotent: a commitment is announced once, however often the sweep runs.
    """
    return services.commitments_invite_due()
