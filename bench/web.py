"""The web under 20 concurrent clients: the issue page's median latency against a minimal view,
and ballot throughput against a minimal view that inserts one row (SPEC §9)."""

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from bench.runner import Figure, bench_database_url, info

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 20
REQUESTS_EACH = 15
PAGE_TARGET = 3.0  # issue page median within 3× the minimal view's
BALLOT_TARGET = 0.4  # ballots at least 40 % of the minimal insert's throughput
VOTERS = 200


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server() -> Iterator[str]:
    """gunicorn with production settings on the benchmark database, sized for 2 cores."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": bench_database_url(),
        "DJANGO_ROOT_URLCONF": "bench.urls",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-key-benchmark-only-secret-key",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "4", "--threads", "4", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/bench/minimal/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _latencies(calls: list[Callable[[requests.Session], int]]) -> tuple[list[float], float]:
    """Run the calls on CLIENTS threads; return every latency and the wall-clock time."""

    def client(share: list[Callable[[requests.Session], int]]) -> list[float]:
        seconds = []
        with requests.Session() as session:
            for call in share:
                start = time.perf_counter()
                status = call(session)
                seconds.append(time.perf_counter() - start)
                if status >= 500:
                    raise RuntimeError(f"server error {status} during the benchmark")
        return seconds

    shares = [calls[i::CLIENTS] for i in range(CLIENTS)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        results = list(pool.map(client, shares))
    return [s for result in results for s in result], time.perf_counter() - started


def _prepare() -> tuple[str, int, list[str]]:
    """The demo process (its first issue), an open round and VOTERS participants with tokens."""
    from consensus import services
    from deliberation.models import Issue, Process, ProposalVersion
    from deliberation.services import participation_join
    from stakeholders.models import Affiliation, StakeholderGroup, User

    call_command("seed_demo", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_minimal_insert"
            " (id bigserial PRIMARY KEY, at timestamptz)"
        )
    process = Process.objects.get(slug="demo")
    issue = Issue.objects.filter(process=process).order_by("id").first()
    assert issue is not None
    groups = list(StakeholderGroup.values)
    tokens = []
    for n in range(VOTERS):
        user, created = User.objects.get_or_create(
            email=f"web-bench-{n}@example.org",
            defaults={"display_name": f"Voter {n}", "country": "KE"},
        )
        if created:
            Affiliation.objects.create(
                user=user, organisation="Bench", stakeholder_group=groups[n % 6], primary=True
            )
        participation_join(actor=user, process=process)
        tokens.append(Token.objects.get_or_create(user=user)[0].key)
    facilitator = User.objects.get(email="facilitator@example.org")
    version = ProposalVersion.objects.filter(proposal__issue=issue).order_by("-number").first()
    assert version is not None
    round_ = services.round_create(
        actor=facilitator, version=version, closes_at=timezone.now() + timedelta(days=1)
    )
    services.round_open(actor=facilitator, round_=round_)
    return issue.get_absolute_url(), round_.pk, tokens


def figures() -> list[Figure]:
    page, round_id, tokens = _prepare()
    total = CLIENTS * REQUESTS_EACH
    print(
        f"\nWeb: gunicorn (4 workers × 4 threads), {CLIENTS} concurrent clients, "
        f"{total} requests per figure."
    )
    with _server() as base:

        def get(path: str) -> Callable[[requests.Session], int]:
            return lambda session: session.get(f"{base}{path}", timeout=60).status_code

        _latencies([get("/bench/minimal/")] * CLIENTS)  # warm every worker up
        _latencies([get(page)] * CLIENTS)
        minimal, _ = _latencies([get("/bench/minimal/")] * total)
        issue, _ = _latencies([get(page)] * total)

        def uncached(session: requests.Session) -> int:
            # Any Authorization header makes the page cache step aside: a signed-in reader's cost.
            answer = session.get(f"{base}{page}", headers={"Authorization": "none"}, timeout=60)
            return answer.status_code

        fresh, _ = _latencies([uncached] * total)
        positions = ["support", "accept", "abstain"]

        def cast(n: int) -> Callable[[requests.Session], int]:
            body: dict[str, Any] = {"position": positions[n % 3]}
            headers = {"Authorization": f"Token {tokens[n % len(tokens)]}"}
            url = f"{base}/api/v1/rounds/{round_id}/ballot/"
            return lambda session: (
                session.put(url, json=body, headers=headers, timeout=60).status_code
            )

        def insert(session: requests.Session) -> int:
            return session.post(f"{base}/bench/minimal-insert/", timeout=60).status_code

        _, insert_seconds = _latencies([insert] * total)
        _, ballot_seconds = _latencies([cast(n) for n in range(total)])
    page_ratio = statistics.median(issue) / statistics.median(minimal)
    ballot_share = (total / ballot_seconds) / (total / insert_seconds)
    return [
        Figure(
            name="issue page median latency, 20 clients",
            measured=f"{statistics.median(issue) * 1000:.1f} ms",
            limit=f"{statistics.median(minimal) * 1000:.1f} ms × {PAGE_TARGET:g}",
            ratio=page_ratio,
            passed=page_ratio <= PAGE_TARGET,
        ),
        Figure(
            name="ballot submissions per second, 20 clients",
            measured=f"{total / ballot_seconds:.0f}/s",
            limit=f"≥ {BALLOT_TARGET:.0%} of {total / insert_seconds:.0f}/s",
            ratio=ballot_share,
            passed=ballot_share >= BALLOT_TARGET,
        ),
        info(
            "  issue page rebuilt for every request (signed-in readers)",
            f"{statistics.median(fresh) * 1000:.1f} ms median",
        ),
    ]
