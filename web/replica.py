"""Reads on a streaming replica: public GET pages and lists, never a writer's next few seconds.

With DATABASE_REPLICA_URL set (settings.REPLICA_READS), a GET or HEAD request reads from the
`replica` alias unless its client wrote within REPLICA_READ_YOUR_WRITES_SECONDS: every unsafe
request (and every request that wrote anything) leaves a marker — a cookie for browsers, and a
short-lived Redis key for API tokens, whose scripts often keep no cookies — and a marked client
reads from the primary until it expires, so nobody misses their own ballot or comment while the
replica catches up. Writes always go to the primary, and so does everything outside a web
request (Celery tasks, management commands) and every read inside a transaction. A Redis outage
sends token clients to the primary, never to a stale read. Unset, nothing reads from the replica.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
MARKER_COOKIE = "footing_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Pages that always read the primary: signing in, account security, the admin, the health check.
PRIMARY_PREFIXES = ("/accounts/", "/me/", "/staff/", "/django-admin/", "/health/")

_reads_from: ContextVar[str | None] = ContextVar("footing_reads_from", default=None)
_wrote: ContextVar[bool] = ContextVar("footing_wrote", default=False)


class ReplicaRouter:
    """Reads go where the current request was told to read (the replica or, by default, the
    primary); writes, migrations and reads inside a transaction go to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _reads_from.get() != REPLICA or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        # From the first write on, this request reads its own writes: on the primary.
        if _reads_from.get() == REPLICA:
            _reads_from.set(PRIMARY)
        _wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


def reads_from() -> str:
    """Where reads of the current request go now (PRIMARY outside a request)."""
    return _reads_from.get() or PRIMARY


def _token_marker(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    return "replica-rw:" + hashlib.sha256(header.encode()).hexdigest()[:32]


def _wrote_recently(request: HttpRequest) -> bool:
    try:
        if float(request.COOKIES.get(MARKER_COOKIE, "0")) > time.time():
            return True
    except ValueError:
        pass  # a mangled cookie is no marker
    key = _token_marker(request)
    if key is None:
        return False
    try:
        return cache.get(key) is not None
    except Exception:  # Redis unreachable: the primary is always right, only busier
        logger.warning("Read-your-writes marker unreadable; reading from the primary.")
        return True


def _mark_writer(request: HttpRequest, response: HttpResponse) -> None:
    seconds = settings.REPLICA_READ_YOUR_WRITES_SECONDS
    response.set_cookie(
        MARKER_COOKIE,
        f"{time.time() + seconds:.3f}",
        max_age=seconds,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    key = _token_marker(request)
    if key is not None:
        try:
            cache.set(key, 1, timeout=seconds)
        except Exception:  # the cookie still marks a browser; a script reads a little stale
            logger.warning("Read-your-writes marker not stored (Redis unreachable).")


def _reads_replica(request: HttpRequest) -> bool:
    return (
        settings.REPLICA_READS
        and request.method in ("GET", "HEAD")
        and not request.path.startswith(PRIMARY_PREFIXES)
        and not _wrote_recently(request)
    )


class ReplicaMiddleware:
    """Chooses, per request, where its reads go, and marks the clients that write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not settings.REPLICA_READS:
            return self.get_response(request)
        reads = _reads_from.set(REPLICA if _reads_replica(request) else PRIMARY)
        wrote = _wrote.set(False)
        try:
            response = self.get_response(request)
            if request.method not in SAFE_METHODS or _wrote.get():
                _mark_writer(request, response)
        finally:
            _reads_from.reset(reads)
            _wrote.reset(wrote)
        return response
