"""The pure hash-chain arithmetic: canonical JSON, link hashes and the first broken link."""

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

from record.chain import GENESIS_HASH, Link, canonical_json, first_broken_link, link_hash

AT = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


def _chain(length: int) -> list[Link]:
    links, prev = [], GENESIS_HASH
    for seq in range(1, length + 1):
        content = {"actor": 7, "action": "round.open", "object": f"consensus.round:{seq}"}
        digest = link_hash(prev_hash=prev, seq=seq, at=AT, data={"n": seq}, **content)  # type: ignore[arg-type]
        links.append(Link(seq=seq, at=AT, data={"n": seq}, prev_hash=prev, hash=digest, **content))  # type: ignore[arg-type]
        prev = digest
    return links


def test_canonical_json_sorts_keys_and_keeps_unicode() -> None:
    assert canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'


def test_link_hash_is_sha256_of_prev_hash_and_canonical_content() -> None:
    body = canonical_json(
        {"seq": 1, "at": AT.isoformat(), "actor": None, "action": "x", "object": "o", "data": {}}
    )
    expected = hashlib.sha256((GENESIS_HASH + body).encode()).hexdigest()
    got = link_hash(
        prev_hash=GENESIS_HASH, seq=1, at=AT, actor=None, action="x", object="o", data={}
    )
    assert got == expected


def test_an_intact_chain_has_no_broken_link() -> None:
    assert first_broken_link(_chain(5)) is None


def test_changed_content_is_named_at_its_link() -> None:
    links = _chain(5)
    links[2] = replace(links[2], data={"n": 999})
    broken = first_broken_link(links)
    assert broken is not None
    assert broken.seq == 3
    assert "hash" in broken.reason


def test_a_removed_link_is_a_sequence_gap() -> None:
    links = _chain(5)
    del links[1]
    broken = first_broken_link(links)
    assert broken is not None
    assert broken.seq == 3
    assert "gap" in broken.reason


def test_a_rehashed_link_breaks_the_next_back_pointer() -> None:
    links = _chain(4)
    forged = replace(links[1], data={"n": -1})
    forged = replace(
        forged,
        hash=link_hash(
            prev_hash=forged.prev_hash,
            seq=forged.seq,
            at=forged.at,
            actor=forged.actor,
            action=forged.action,
            object=forged.object,
            data=forged.data,
        ),
    )
    links[1] = forged
    broken = first_broken_link(links)
    assert broken is not None
    assert broken.seq == 3
    assert "prev_hash" in broken.reason
