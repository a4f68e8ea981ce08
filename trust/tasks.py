"""Celery tasks of trust: the nightly computation and its pruning, attesters, the signals."""

from celery import shared_task

from trust import scores, services
from trust.moderation.compute import signals_compute


@shared_task(name="trust.compute_trust")
def compute_trust() -> int:
    """Recompute everyone's trust; returns the new computation's id."""
    return scores.trust_compute().pk


@shared_task(name="trust.prune_trust_history")
def prune_trust_history() -> int:
    """Delete the trust scores retention no longer keeps; returns how many."""
    return scores.trust_history_prune()


@shared_task(name="trust.invite_commitment_attesters")
def invite_commitment_attesters() -> int:
    """Invite attesters to every due commitment not yet announced; returns how many were invited.

    Idempotent: a commitment is announced once, however often the sweep runs.
    """
    return services.commitments_invite_due()


@shared_task(name="trust.compute_signals")
def compute_signals() -> int:
    """Compute the advisory signals and file those at their threshold; returns the run's id."""
    return signals_compute().pk
