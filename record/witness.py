"""Witnesses of the chain head (as in Belenios): published, saved by anyone, checked later.

Every link's hash covers all the links before it, so a head HASH@SEQ saved by a reader (from the
record page, the API or the daily signed line in the log) proves the whole history up to SEQ: if
anyone rewrites an earlier event and recomputes the hashes after it, the chain verifies again but
no longer holds the saved head.
"""

import logging

from django.core import signing

from record.chain import parse_witness, witness
from record.selectors import audit_chain_break, audit_hash_at, audit_head

logger = logging.getLogger("footing.witness")
_SALT = "footing.record.witness"


def witness_break(saved: str) -> str | None:
    """Why the chain no longer holds the saved head `saved` (HASH@SEQ, optionally signed as in
    the daily log line), or None when it does."""
    text = saved.strip()
    if ":" in text:
        try:
            text = signing.Signer(salt=_SALT).unsign(text)
        except signing.BadSignature:
            return f"The witness {saved!r} does not carry this site's signature."
    try:
        expected, seq = parse_witness(text)
    except ValueError as error:
        return str(error)
    found = audit_hash_at(seq)
    if found is None:
        head = audit_head()
        return (
            f"The chain no longer holds event #{seq} of the saved head {text}: it now ends at "
            f"#{head.seq if head else 0}, so events were removed."
        )
    if found != expected:
        return (
            f"The chain no longer holds the saved head {text}: event #{seq} now has hash "
            f"{found}, so the history up to it was rewritten."
        )
    return None


def publish_signed_head() -> str | None:
    """Write the daily witness line to the log: the head, signed with the site's secret key so
    that a copy kept elsewhere can be shown to come from this site, and whether the chain verified
    (an error when it did not). Returns the line; None for an empty chain."""
    head = audit_head()
    if head is None:
        logger.info("Audit chain is empty: no head to witness.")
        return None
    broken = audit_chain_break()
    state = "verified" if broken is None else f"BROKEN at #{broken.seq}: {broken.reason}"
    signed = signing.Signer(salt=_SALT).sign(witness(head.seq, head.hash))
    line = f"Audit chain head {signed} at {head.at.isoformat()} ({head.seq} events, {state})"
    logger.log(logging.INFO if broken is None else logging.ERROR, line)
    return line
