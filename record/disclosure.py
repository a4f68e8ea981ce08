"""What each reader may see of the record: the same rules as every other page, applied per event.

An event of a process the reader may not read is withheld, like a private one; an event that
names someone the reader may not know (a group-only person, or anyone in a round whose ballots
are shown by group) keeps its action but withholds who acted, on what and with which data. Every
event keeps its sequence number, time and hashes, so the chain stays visibly unbroken.

The record is the ground floor and knows neither processes nor people: the floor that does
registers the one `Policy` at start-up (deliberation's AppConfig.ready()).
"""

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from record.models import AuditEvent


class Shown(Enum):
    FULL = "full"
    ANONYMOUS = "anonymous"  # who and what are withheld, the action is shown
    WITHHELD = "withheld"  # only seq, time and hashes


# (reader, events) → how much of each event the reader sees, by seq.
Policy = Callable[[Any, Sequence[AuditEvent]], dict[int, Shown]]


def _withhold_everything(reader: Any, events: Sequence[AuditEvent]) -> dict[int, Shown]:
    """Until a policy is registered, only events that name nobody and no process are shown."""
    return {
        event.seq: Shown.FULL
        if event.public and event.process is None and not event.people
        else Shown.WITHHELD
        for event in events
    }


_policy: list[Policy] = [_withhold_everything]


def register(policy: Policy) -> None:
    _policy[0] = policy


def disclose(reader: Any, events: Sequence[AuditEvent]) -> dict[int, Shown]:
    """How much of each event `reader` sees. A private event is always withheld."""
    shown = _policy[0](reader, events)
    return {
        event.seq: shown.get(event.seq, Shown.WITHHELD) if event.public else Shown.WITHHELD
        for event in events
    }


def shown_fields(event: AuditEvent, shown: Shown) -> dict[str, Any]:
    """The event as `shown` allows: withheld fields are None (or "redacted"/"" for the labels)."""
    fields: dict[str, Any] = {
        "seq": event.seq,
        "at": event.at,
        "actor": event.actor,
        "action": event.action,
        "object": event.object,
        "data": event.data,
        "public": shown is not Shown.WITHHELD,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }
    if shown is Shown.ANONYMOUS:
        fields.update(actor=None, object="", data=None)
    elif shown is Shown.WITHHELD:
        fields.update(actor=None, action="redacted", object="", data=None)
    return fields
