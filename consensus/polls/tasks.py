"""Celery tasks of statement polls: one poll's map (debounced by the services), the sweep."""

from celery import shared_task

from consensus.polls import services
from consensus.polls.models import Poll


@shared_task(name="consensus.compute_poll")
def compute_poll(poll_id: int) -> int:
    """Recompute one poll's map; returns the last vote id it saw."""
    poll = Poll.objects.filter(pk=poll_id).first()
    if poll is None:
        return 0
    return services.opinion_compute(poll=poll).last_vote


@shared_task(name="consensus.compute_stale_opinion_maps")
def compute_stale_opinion_maps() -> list[int]:
    """The beat: any poll whose votes or moderation are newer than its map."""
    return services.compute_stale()
