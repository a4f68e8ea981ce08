"""Trust's part of calendars: commitment due dates (registered in TrustConfig.ready())."""

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from deliberation.following.timeline import Event, register_events
from trust.models import Commitment


def commitment_events(processes: QuerySet[Any], person: Any) -> list[Event]:
    """Commitments made in these processes, and the person's own wherever made."""
    mine = Q(process__in=processes) | (Q(author=person) if person is not None else Q(pk__in=[]))
    return [
        Event(
            uid=f"commitment-{c.pk}-due",
            summary=_("Commitment due: %(text)s") % {"text": c.text[:80]},
            start=c.due_on,
            end=c.due_on + timedelta(days=1),
            link=c.get_absolute_url(),
            description=c.text,
        )
        for c in Commitment.objects.filter(mine).order_by("due_on", "pk")
    ]


def register_sources() -> None:
    register_events("commitments", commitment_events)
