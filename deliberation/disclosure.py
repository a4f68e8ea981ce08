"""The record's reader policy (record/disclosure.py), written where processes and people are known:
the same visibility and attribution decisions as every page, for a page of audit events."""

from collections.abc import Sequence
from typing import Any

from deliberation.models import Process
from deliberation.selectors import visible_processes
from record.disclosure import Shown
from record.models import AuditEvent
from stakeholders.models import Attribution, User
from stakeholders.presentation import sees_identity
from stakeholders.rules import is_admin, mfa_satisfied


def audit_disclosure(reader: Any, events: Sequence[AuditEvent]) -> dict[int, Shown]:
    """How much of each event `reader` sees, in three queries whatever the number of events.

    Withheld: events of processes the reader may not read (`visible_processes`). Anonymous: events
    naming someone the reader may not know — a group-only person (`sees_identity`, widened to the
    facilitators of the event's process), or anyone in a round that shows its ballots by group
    only (then only admins and that process's facilitators know). Full: the rest.
    """
    process_ids = {event.process for event in events if event.process is not None}
    readable: set[int] = set()
    facilitated: set[int] = set()
    if process_ids:
        readable = set(
            visible_processes(reader).filter(pk__in=process_ids).values_list("pk", flat=True)
        )
        if reader.is_authenticated and mfa_satisfied(reader):
            facilitated = set(
                Process.facilitators.through.objects.filter(
                    user_id=reader.pk, process_id__in=process_ids
                ).values_list("process_id", flat=True)
            )
    named = {person for event in events for person in event.people}
    group_only = (
        set(
            User.objects.filter(pk__in=named, attribution=Attribution.GROUP_ONLY).values_list(
                "pk", flat=True
            )
        )
        if named
        else set()
    )
    admin = bool(reader.is_authenticated and is_admin(reader))

    def known(person: int, event: AuditEvent) -> bool:
        facilitates = event.process in facilitated
        if event.veiled:
            return person == reader.pk or admin or facilitates
        return person not in group_only or sees_identity(reader, person, facilitates=facilitates)

    shown = {}
    for event in events:
        if event.process is not None and event.process not in readable:
            shown[event.seq] = Shown.WITHHELD
        elif all(known(person, event) for person in event.people):
            shown[event.seq] = Shown.FULL
        else:
            shown[event.seq] = Shown.ANONYMOUS
    return shown
