"""How many web workers, threads and task processes to run, and the database connections they hold.

Read from the environment, sized from the machine's cores by default and bounded either way, so
that a large machine does not open more PostgreSQL connections than the server allows.
"""

import os

MAX_WEB_WORKERS = 8
MAX_WEB_THREADS = 8
MAX_WORKER_CONCURRENCY = 8
BEAT_CONNECTIONS = 1


def cores() -> int:
    """The cores this process may run on (the container's or cgroup's share where set)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _bounded(name: str, default: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    value = int(raw) if raw else default
    return max(1, min(high, value))


def web_workers() -> int:
    """gunicorn processes: one per core plus one, so a worker waiting on the database or the
    network never leaves a core idle (WEB_WORKERS overrides; at most 8)."""
    return _bounded("WEB_WORKERS", cores() + 1, MAX_WEB_WORKERS)


def web_threads() -> int:
    """Threads per gunicorn process (WEB_THREADS overrides; at most 8): each holds one
    persistent database connection."""
    return _bounded("WEB_THREADS", 4, MAX_WEB_THREADS)


def worker_concurrency() -> int:
    """Processes of the Celery worker of the `interactive` queue, and of any worker started
    without a HEAVY_WORKER_CONCURRENCY of its own (WORKER_CONCURRENCY overrides; at most 8)."""
    return _bounded("WORKER_CONCURRENCY", min(cores(), 2), MAX_WORKER_CONCURRENCY)


def heavy_worker_concurrency() -> int:
    """Processes of the worker of the `heavy` queue (trust, signals, balance, opinion maps;
    HEAVY_WORKER_CONCURRENCY overrides; at most 8): one by default, so a night's recomputation
    takes one core and one connection, never the interactive worker's."""
    return _bounded("HEAVY_WORKER_CONCURRENCY", 1, MAX_WORKER_CONCURRENCY)


def connection_budget() -> int:
    """The most PostgreSQL connections the running site holds: one per web thread, one per
    process of each Celery worker (WORKER_CONCURRENCY for the `interactive` queue,
    HEAVY_WORKER_CONCURRENCY for `heavy`), one for beat. PostgreSQL's max_connections must exceed
    it (with room for migrations, management commands and the administrator)."""
    return (
        web_workers() * web_threads()
        + worker_concurrency()
        + heavy_worker_concurrency()
        + BEAT_CONNECTIONS
    )
