"""Private Celery processes, PostgreSQL clusters and broker switches that tests start themselves
(the private Redis lives in bench.stack, which the benchmarks share)."""

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from bench.stack import free_port, wait_for_port
from config.celery import app

ROOT = Path(__file__).resolve().parents[2]


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
        # The same database for the owner (a checkout's .env may name its own database there).
        "DATABASE_OWNER_URL": database,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "ROUND_SWEEP_SECONDS": str(sweep_seconds),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    celery = [sys.executable, "-m", "celery", "-A", "config"]
    schedule = Path(tempfile.mkdtemp(prefix="footing-beat-")) / "schedule"
    commands = [
        [*celery, "worker", "--pool", "solo", "--queues", "interactive,heavy", "--loglevel",
         "WARNING", "--without-gossip", "--without-mingle"],
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


def _postgres_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for directory in versions:
        if (directory / name).exists():
            return str(directory / name)
    raise RuntimeError(f"{name} is needed for the PostgreSQL outage test (Debian: postgresql)")


class PrivatePostgres:
    """A throw-away PostgreSQL cluster on its own port, in a temporary directory.

    initdb refuses to run as root, so as root the cluster belongs to the `postgres` system user.
    The machine's own PostgreSQL is never touched.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="footing-pg-"))
        self.data = self.directory / "data"
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as:
            shutil.chown(self.directory, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgres://footing@127.0.0.1:{self.port}/footing"

    def _run(self, *command: str) -> None:
        subprocess.run([*self._as, *command], check=True, capture_output=True, timeout=120)

    def create(self) -> None:
        self._run(_postgres_bin("initdb"), "-D", str(self.data), "-U", "footing", "--auth=trust")
        self.start()
        self._run(
            _postgres_bin("createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "footing",
            "footing",
        )

    def start(self) -> None:
        self._run(
            _postgres_bin("pg_ctl"), "-D", str(self.data), "-w", "-l", str(self.directory / "log"),
            "-o", f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(_postgres_bin("pg_ctl"), "-D", str(self.data), "-w", "-m", "fast", "stop")

    def destroy(self) -> None:
        with suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


@contextmanager
def gunicorn(env: dict[str, str]) -> Iterator[str]:
    """The production server on a free port, with the given environment; yields its address."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", "--timeout", "60"],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port, up=True, timeout=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)
