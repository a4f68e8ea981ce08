"""Celery tasks of consensus: close overdue rounds, compute outcomes, measure balance."""

from celery import shared_task

from consensus import idempotency, services
from consensus.balance import services as balance_service
from consensus.models import Round, SnapshotTrigger
from deliberation.models import Process


@shared_task(name="consensus.close_due_rounds")
def close_due_rounds() -> list[int]:
    return services.close_due_rounds()


@shared_task(name="consensus.send_round_reminders")
def send_round_reminders() -> list[int]:
    """Tell participants who have not voted that a round closes soon (once per deadline)."""
    return services.rounds_remind_closing()


@shared_task(name="consensus.compute_outcome")
def compute_outcome(round_id: int) -> str:
    round_ = Round.objects.get(pk=round_id)
    return services.outcome_compute(round_=round_).computed_designation


@shared_task(name="consensus.compute_outcomes")
def compute_outcomes() -> list[int]:
    """The sweep: any closed round without an outcome gets one, whatever happened to its task."""
    return services.compute_pending_outcomes()


@shared_task(name="consensus.snapshot_balance")
def snapshot_balance(process_id: int, round_id: int | None = None) -> int:
    """Snapshot one process; with a round, the round-close snapshot (taken once)."""
    if round_id is not None:
        round_ = Round.objects.select_related("process").get(pk=round_id, process_id=process_id)
        return balance_service.balance_snapshot_round(round_=round_).pk
    process = Process.objects.get(pk=process_id)
    return balance_service.balance_snapshot_create(
        actor=None, process=process, trigger=SnapshotTrigger.PERIODIC
    ).pk


@shared_task(name="consensus.snapshot_open_processes")
def snapshot_open_processes() -> list[int]:
    """The beat: every open process, and the sweep of round-close snapshots that were lost."""
    return [snapshot.process_id for snapshot in balance_service.snapshot_open_processes().snapshots]


@shared_task(name="consensus.prune_idempotency_keys")
def prune_idempotency_keys() -> int:
    """Forget Idempotency-Key answers older than a day; returns how many."""
    return idempotency.prune_expired()


# Statement polls' tasks live in their subpackage; importing them here registers them.
from consensus.polls.tasks import compute_poll, compute_stale_opinion_maps  # noqa: E402, F401
