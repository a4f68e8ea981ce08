"""`Idempotency-Key`: the first successful answer to a request is replayed to its repeats.

A key is scoped to (user, method, path) — the same key on another round is another request —
and bound to the request body: the same key with another body is a client error (422), never
the first answer passed off as this one's. Keys are kept for KEY_LIFETIME, then pruned by beat.
"""

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from consensus.models import IdempotencyKey
from record.chain import canonical_json
from stakeholders.access import current_user

KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 200


class KeyReused(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was already used with another request body."
    default_code = "idempotency_key_reused"


def fingerprint(request: Request) -> str:
    """SHA-256 of the request's parsed body (key order and spacing do not matter)."""
    return hashlib.sha256(canonical_json(request.data).encode("utf-8")).hexdigest()


def _stored(request: Request, key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(
        user=current_user(request),
        key=key,
        method=request.method or "",
        path=request.path,
        created_at__gte=timezone.now() - KEY_LIFETIME,
    ).first()


def _replay(stored: IdempotencyKey, request_hash: str) -> Response:
    if stored.request_hash != request_hash:
        raise KeyReused(_("This Idempotency-Key was already used with another request body."))
    return Response(stored.body, status=stored.status)


def idempotent(request: Request, handle: Callable[[], Response]) -> Response:
    """Answer `handle()`, or the stored answer when the request carries a known key."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return handle()
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationError({"Idempotency-Key": _("At most 200 printable characters.")})
    request_hash = fingerprint(request)
    stored = _stored(request, key)
    if stored is not None:
        return _replay(stored, request_hash)
    scope: dict[str, Any] = {
        "user": current_user(request),
        "key": key,
        "method": request.method or "",
        "path": request.path,
    }
    try:
        with transaction.atomic():
            IdempotencyKey.objects.filter(**scope).delete()  # an expired one, not yet pruned
            response = handle()
            if 200 <= response.status_code < 300:
                IdempotencyKey.objects.create(
                    **scope,
                    request_hash=request_hash,
                    status=response.status_code,
                    body=response.data,
                )
    except IntegrityError:
        # The same key raced us and won: its answer (and its effect) stand, ours rolled back.
        won = _stored(request, key)
        if won is None:
            raise
        return _replay(won, request_hash)
    return response


def prune_expired(*, now: Any = None) -> int:
    """Delete the keys older than KEY_LIFETIME; returns how many."""
    cutoff = (now or timezone.now()) - KEY_LIFETIME
    return IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()[0]
