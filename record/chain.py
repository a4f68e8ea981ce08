"""The hash-chain arithmetic of the record: canonical JSON, link hashes and verification (pure)."""

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Serialise with sorted keys, no spaces and UTF-8 kept, so equal content gives equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class Link:
    seq: int
    at: datetime
    actor: int | None
    action: str
    object: str
    data: dict[str, Any]
    prev_hash: str
    hash: str


def link_hash(
    *,
    prev_hash: str,
    seq: int,
    at: datetime,
    actor: int | None,
    action: str,
    object: str,
    data: dict[str, Any],
) -> str:
    """Return sha256(prev_hash + canonical JSON of the link's content) as hex."""
    body = canonical_json(
        {
            "seq": seq,
            "at": at.isoformat(),
            "actor": actor,
            "action": action,
            "object": object,
            "data": data,
        }
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    seq: int
    reason: str


def first_broken_link(links: Iterable[Link]) -> BrokenLink | None:
    """Walk the links in seq order; return the first with a wrong sequence, back-pointer or hash."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for link in links:
        if link.seq != expected_seq:
            return BrokenLink(link.seq, f"sequence gap: expected {expected_seq}")
        if link.prev_hash != expected_prev:
            return BrokenLink(link.seq, "prev_hash does not match the previous link's hash")
        recomputed = link_hash(
            prev_hash=link.prev_hash,
            seq=link.seq,
            at=link.at,
            actor=link.actor,
            action=link.action,
            object=link.object,
            data=link.data,
        )
        if recomputed != link.hash:
            return BrokenLink(link.seq, "content does not match its hash")
        expected_prev = link.hash
        expected_seq += 1
    return None


def witness(seq: int, hash_: str) -> str:
    """The chain head written as HASH@SEQ: whoever saves it can later prove the chain still
    holds it (`verify_audit --against`), whatever the site's operator does in between."""
    return f"{hash_}@{seq}"


_WITNESS = re.compile(r"(?P<hash>[0-9a-f]{64})@(?P<seq>[1-9][0-9]*)")


def parse_witness(text: str) -> tuple[str, int]:
    """(hash, seq) from HASH@SEQ; ValueError for anything else."""
    found = _WITNESS.fullmatch(text.strip().lower())
    if found is None:
        raise ValueError(f"{text!r} is not a witness HASH@SEQ (64 hex digits, '@', a number).")
    return found["hash"], int(found["seq"])
