"""Private Redis servers, Celery processes and broker switches that tests start themselves."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, *, up: bool, timeout: float = 15) -> None:
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
            raise RuntimeError(
                "redis-server is needed for the outage tests (make test installs it)"
            )
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
        _wait_for_port(self.port, up=True)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
            _wait_for_port(self.port, up=False)


@contextmanager
def broker(url: str) -> Iterator[None]:
    """Point this process's Celery app (the live server's publisher) at another broker."""
    previous = app.conf.broker_url
    app.conf.update(broker_url=url, task_always_eager=False)
    _forget_connections()
    try:
        yield
    finally:
        app.conf.update(broker_url=previous)
        _forget_connections()


def _forget_connections() -> None:
    # Celery caches its connection and producer pools; dropping them makes it dial the new URL.
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


@contextmanager
def celery_processes(*, database: str, redis_url: str, sweep_seconds: int = 1) -> Iterator[None]:
    """A real Celery worker and beat, on the test database and the given broker."""
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "ROUND_SWEEP_SECONDS": str(sweep_seconds),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    schedule = Path(tempfile.mkdtemp(prefix="footing-beat-")) / "schedule"
    commands = [
        [*celery, "worker", "--pool", "solo", "--loglevel", "WARNING", "--without-gossip",
         "--without-mingle"],
        [*celery, "beat", "--loglevel", "WARNING", "--schedule", str(schedule)],
    ]  # fmt: skip
    processes = [
        subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for command in commands
    ]
    try:
        yield
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
