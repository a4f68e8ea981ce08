"""Reply keys: per person and thread, stored (so revocable) and signed (so unforgeable)."""

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from stakeholders.inbound.models import ReplyKey

SALT = "footing.inbound.reply-key"
KEY_BYTES = (
    10  # 20 hex digits: 80 random bits; the address stays under RFC 5321's 64-octet local part
)
SIGNATURE_DIGITS = 16

Triple = tuple[int, str, int]  # (user id, purpose, target id)


def sign(key: str) -> str:
    """The token of an address: the key and a keyed hash of it (hex, so case never matters)."""
    return f"{key}.{salted_hmac(SALT, key).hexdigest()[:SIGNATURE_DIGITS]}"


def address(token: str) -> str:
    return f"reply+{token}@{settings.INBOUND_EMAIL_DOMAIN}"


def verified_key(token: str) -> str | None:
    """The key inside a token whose signature is right, else None (forged or mistyped)."""
    key, _, signature = token.lower().partition(".")
    if not key or not constant_time_compare(sign(key), f"{key}.{signature}"):
        return None
    return key


def reply_tokens(triples: Iterable[Triple]) -> dict[Triple, str]:
    """The live token of each (user, purpose, target), creating missing keys: three queries
    however many, so a batch of notification e-mails never costs one query each."""
    wanted = set(triples)
    if not wanted:
        return {}
    condition = Q()
    for user_id, purpose, target_id in wanted:
        condition |= Q(user_id=user_id, purpose=purpose, target_id=target_id)
    live = ReplyKey.objects.filter(condition, revoked_at__isnull=True)

    def read() -> dict[Triple, str]:
        return {
            (k.user_id, k.purpose, k.target_id): sign(k.key)
            for k in live.only("user_id", "purpose", "target_id", "key")
        }

    tokens = read()
    missing = wanted - set(tokens)
    if missing:
        # A concurrent sender may create the same key first: its row wins, ours is skipped.
        ReplyKey.objects.bulk_create(
            [
                ReplyKey(
                    user_id=user_id,
                    purpose=purpose,
                    target_id=target_id,
                    key=secrets.token_hex(KEY_BYTES),
                )
                for user_id, purpose, target_id in missing
            ],
            ignore_conflicts=True,
        )
        tokens = read()
    return tokens


def reply_keys_revoke(*, user_id: int) -> int:
    """Revoke every live reply address of a person (the next notification brings new ones)."""
    return ReplyKey.objects.filter(user_id=user_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
