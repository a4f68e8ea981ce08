"""The `make run` stack (scripts/serve.sh: gunicorn, a Celery worker per queue and beat) on a free
port, for the load tests and benchmarks, and the PostgreSQL connections it holds.

It runs on the database and the Redis the caller names (never the site's own unless asked), and
stops with the process group it started.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[1]
SITE_APPLICATIONS = ("footing-web", "footing-worker", "footing-heavy", "footing-beat")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, *, up: bool, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            sock.settimeout(0.2)
            if (sock.connect_ex(("127.0.0.1", port)) == 0) == up:
                return
        time.sleep(0.1)
    raise TimeoutError(f"port {port} did not go {'up' if up else 'down'}")


class PrivateRedis:
    """A throw-away redis-server on its own port; never the machine's own Redis."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is needed (make test and make bench install it)")
        self.binary = binary
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="footing-redis-")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.directory],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, up=True)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
            wait_for_port(self.port, up=False)


def collect_static(env: dict[str, str]) -> None:
    """What `make run` does before serving: production settings need the hashed static files."""
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput",
         "-v", "0"],
        cwd=ROOT, env={**os.environ, **env, "DJANGO_DEBUG": "false"}, check=True, timeout=300,
    )  # fmt: skip


@contextmanager
def served(
    env: dict[str, str], *, log: Path | None = None, ready_path: str = "/health/"
) -> Iterator[str]:
    """scripts/serve.sh with `env` (DATABASE_URL, REDIS_URL… are the caller's to set) on a free
    port; yields the site's address once it answers."""
    port = free_port()
    schedule = Path(tempfile.mkdtemp(prefix="footing-beat-")) / "schedule"
    log_path = log or Path(tempfile.mkdtemp(prefix="footing-serve-")) / "serve.log"
    environment = {
        **os.environ,
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_ACCESS_LOG": "",
        "BEAT_SCHEDULE": str(schedule),
        "LOG_LEVEL": "WARNING",
        **env,
    }
    with log_path.open("wb") as output:
        process = subprocess.Popen(
            ["/bin/bash", str(ROOT / "scripts" / "serve.sh")],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one below
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_ready(base + ready_path, process, log_path)
            yield base
        finally:
            _stop(process)


def _wait_until_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the stack stopped: {log.read_text()[-2000:]}")
        try:
            if requests.get(url, timeout=5).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"the stack did not answer {url}: {log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the group this module started (honcho passes it on), SIGKILL if it lingers."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    # honcho may exit before its last child: wait for the group to empty.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)


def site_connections(database_url: str) -> dict[str, int]:
    """The site's PostgreSQL connections to that database, by process (pg_stat_activity)."""
    name = urlparse(database_url).path.lstrip("/")
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as connection:
        rows = connection.execute(
            "SELECT application_name, count(*) FROM pg_stat_activity"
            " WHERE datname = %s AND application_name = ANY(%s) GROUP BY 1",
            [name, list(SITE_APPLICATIONS)],
        ).fetchall()
    return {str(application): int(count) for application, count in rows}


def max_connections(database_url: str) -> int:
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as connection:
        row = connection.execute("SHOW max_connections").fetchone()
    assert row is not None
    return int(row[0])


class ConnectionWatch:
    """Samples the site's PostgreSQL connections in a thread while a load runs; `peak` is the
    most seen at once (by every process of the site together)."""

    def __init__(self, database_url: str, interval: float = 0.2) -> None:
        self.database_url = database_url
        self.interval = interval
        self.peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(site_connections(self.database_url).values()))
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> ConnectionWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
