"""A bounded asyncio load client (aiohttp): many concurrent clients, each one connection, each a
fixed list of requests; every answer, latency and connection error is kept for the verdict.

Used by `make bench` and by the reliability tests. It talks to loopback addresses only and stops
by itself: the requests are counted in advance and every one has a timeout.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import aiohttp

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Call:
    """One request: `kind` names it in the summary (e.g. "ballot", "read")."""

    kind: str
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = None
    cookies: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    call: Call
    client: int
    status: int | None  # None: no HTTP answer (refused, reset, timed out)
    started: float  # time.perf_counter() when the request was sent
    seconds: float
    error: str = ""
    body: Any = None


@dataclass(frozen=True)
class Summary:
    """Latency percentiles (ms) and throughput of the answers of one kind."""

    kind: str
    requests: int
    ok: int  # 2xx
    client_errors: int  # 4xx
    server_errors: int  # 5xx
    connection_errors: int
    p50: float
    p95: float
    p99: float
    per_second: float


def _require_loopback(base: str) -> None:
    host = urlparse(base).hostname or ""
    if host not in LOOPBACK:
        raise ValueError(f"load tests talk to this machine only, not {host!r}")


async def _client(
    session: aiohttp.ClientSession, base: str, index: int, calls: Sequence[Call], keep_body: bool
) -> list[Answer]:
    answers = []
    for call in calls:
        started = time.perf_counter()
        try:
            async with session.request(
                call.method,
                f"{base}{call.path}",
                headers=call.headers,
                json=call.json,
                cookies=call.cookies or None,
            ) as response:
                body: Any = await response.read()
                if keep_body and response.content_type == "application/json":
                    body = await response.json()
                answers.append(
                    Answer(
                        call,
                        index,
                        response.status,
                        started,
                        time.perf_counter() - started,
                        body=body,
                    )
                )
        except (aiohttp.ClientError, TimeoutError) as error:
            answers.append(
                Answer(call, index, None, started, time.perf_counter() - started, error=repr(error))
            )
    return answers


async def _run(
    base: str, clients: Sequence[Sequence[Call]], timeout: float, keep_body: bool
) -> list[Answer]:
    # One connection per client (limit = the number of clients), no retries, a cookie jar per
    # session that keeps nothing between requests: each call carries its own credentials.
    connector = aiohttp.TCPConnector(limit=len(clients), limit_per_host=len(clients))
    async with aiohttp.ClientSession(
        connector=connector,
        timeout=aiohttp.ClientTimeout(total=timeout),
        cookie_jar=aiohttp.DummyCookieJar(),
    ) as session:
        results = await asyncio.gather(
            *(_client(session, base, i, calls, keep_body) for i, calls in enumerate(clients))
        )
    return [answer for result in results for answer in result]


def run(
    base: str,
    clients: Sequence[Sequence[Call]],
    *,
    timeout: float = 60,
    keep_body: bool = False,
) -> tuple[list[Answer], float]:
    """Run every client's calls concurrently (each client's in order); return every answer and
    the wall-clock seconds the whole run took."""
    _require_loopback(base)
    started = time.perf_counter()
    # A loop of its own in a thread of its own: the caller's thread may already run one (a
    # browser test's, in the same test session).
    with ThreadPoolExecutor(max_workers=1) as thread:
        answers = thread.submit(asyncio.run, _run(base, clients, timeout, keep_body)).result()
    return answers, time.perf_counter() - started


def peak_in_flight(answers: Sequence[Answer]) -> int:
    """The most requests that were waiting for their answer at the same moment."""
    events = sorted(
        [(a.started, 1) for a in answers] + [(a.started + a.seconds, -1) for a in answers],
        key=lambda event: (event[0], event[1]),
    )
    peak = current = 0
    for _moment, step in events:
        current += step
        peak = max(peak, current)
    return peak


def _percentile(values: list[float], q: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def summarise(answers: Sequence[Answer], kind: str, seconds: float) -> Summary:
    """The answers of one kind: counts by outcome, latency percentiles, 2xx per second."""
    mine = [a for a in answers if a.call.kind == kind]
    latencies = [a.seconds * 1000 for a in mine if a.status is not None]
    ok = sum(1 for a in mine if a.status is not None and 200 <= a.status < 300)
    return Summary(
        kind=kind,
        requests=len(mine),
        ok=ok,
        client_errors=sum(1 for a in mine if a.status is not None and 400 <= a.status < 500),
        server_errors=sum(1 for a in mine if a.status is not None and a.status >= 500),
        connection_errors=sum(1 for a in mine if a.status is None),
        p50=_percentile(latencies, 50),
        p95=_percentile(latencies, 95),
        p99=_percentile(latencies, 99),
        per_second=ok / seconds if seconds > 0 else 0.0,
    )
