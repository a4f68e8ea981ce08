"""Reading the public record."""

from collections.abc import Iterator

from record.chain import BrokenLink, Link, first_broken_link
from record.models import AuditEvent, AuditEventQuerySet

_VERIFY_BATCH = 2000


def audit_events_after(seq: int = 0) -> AuditEventQuerySet:
    """Every event after `seq`, in chain order (private ones are redacted by the caller)."""
    return AuditEvent.objects.filter(seq__gt=seq).order_by("seq")


def audit_head() -> AuditEvent | None:
    return AuditEvent.objects.head()


def audit_hash_at(seq: int) -> str | None:
    """The hash the chain holds at `seq` today, or None when it has no such event."""
    return AuditEvent.objects.filter(seq=seq).values_list("hash", flat=True).first()


def _links() -> Iterator[Link]:
    fields = ("seq", "at", "actor", "action", "object", "data", "prev_hash", "hash")
    for row in AuditEvent.objects.order_by("seq").values_list(*fields).iterator(_VERIFY_BATCH):
        yield Link(*row)


def audit_chain_break() -> BrokenLink | None:
    """Verify the whole chain in constant memory; None when every link holds."""
    return first_broken_link(_links())
