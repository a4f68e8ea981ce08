"""Appending to the public record: the only way an AuditEvent is written."""

from collections.abc import Iterable
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from record.chain import GENESIS_HASH, link_hash
from record.models import AuditEvent

# Any constant works: it names the one advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 7_305_118_801


def object_label(obj: models.Model | str) -> str:
    """Name a row as 'app.model:pk' (or pass a label through unchanged)."""
    if isinstance(obj, str):
        return obj
    return f"{obj._meta.label_lower}:{obj.pk}"


def _pk(value: models.Model | int) -> int:
    return int(value.pk if isinstance(value, models.Model) else value)


def audit_append(
    *,
    actor: models.Model | None,
    action: str,
    obj: models.Model | str,
    process: models.Model | int | None,
    data: dict[str, Any] | None = None,
    people: Iterable[models.Model | int | None] = (),
    veiled: bool = False,
    public: bool = True,
) -> AuditEvent:
    """Append one event at the head of the chain.

    `process` is the process the event belongs to (None: the platform's), so that only those
    who may read it see the event; every caller must say it. `people` are the users the event
    names besides its actor (in `data` or by `obj`), `veiled` says they are shown by group only
    whatever they chose (record/disclosure.py).

    Before: called inside the transaction that makes the change it records, so both commit or
    neither does. After: the new event's prev_hash is the previous head's hash; concurrent appends
    are serialised by a transaction-scoped advisory lock, so the chain never forks.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        head = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
        seq = head["seq"] + 1 if head else 1
        prev_hash = head["hash"] if head else GENESIS_HASH
        at = timezone.now()
        actor_id = actor.pk if actor is not None else None
        label = object_label(obj)
        data = data or {}
        named = sorted({_pk(person) for person in (actor, *people) if person is not None})
        return AuditEvent.objects.create(
            seq=seq,
            at=at,
            actor=actor_id,
            action=action,
            object=label,
            data=data,
            public=public,
            process=_pk(process) if process is not None else None,
            people=named,
            veiled=veiled,
            prev_hash=prev_hash,
            hash=link_hash(
                prev_hash=prev_hash,
                seq=seq,
                at=at,
                actor=actor_id,
                action=action,
                object=label,
                data=data,
            ),
        )
