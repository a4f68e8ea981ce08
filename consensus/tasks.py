"""Celery tasks of consensus: close overdue rounds and compute outcomes, both periodic sweeps."""

from celery import shared_task

from consensus import services
from consensus.models import Round


@shared_task(name="consensus.close_due_rounds")
def close_due_rounds() -> list[int]:
    return services.close_due_rounds()


@shared_task(name="consensus.compute_outcome")
def compute_outcome(round_id: int) -> str:
    round_ = Round.objects.get(pk=round_id)
    return services.outcome_compute(round_=round_).computed_designation


@shared_task(name="consensus.compute_outcomes")
def compute_outcomes() -> list[int]:
    """The sweep: any closed round without an outcome gets one, whatever happened to its task."""
    return services.compute_pending_outcomes()
