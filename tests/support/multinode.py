"""Private servers for the multi-node test: a streaming replica, PgBouncer, HAProxy, web nodes and a
Celery worker per queue, each on a free port of its own, stopped when the test ends.

The Debian packages `pgbouncer` and `haproxy` provide the two binaries (`make test` installs them
through scripts/provision.sh --browser). PgBouncer refuses to run as root, so as root it runs as
the `postgres` system user, like the private clusters.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from abc import ABC, abstractmethod
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlparse

import requests

from bench.stack import free_port, wait_for_port
from tests.support.servers import ROOT, PrivatePostgres, _postgres_bin


def binary(name: str) -> str:
    for found in (shutil.which(name), f"/usr/sbin/{name}"):
        if found and Path(found).exists():
            return found
    raise RuntimeError(f"{name} is needed (Debian: {name}; make test installs it)")


class PrivateReplica(PrivatePostgres):
    """A hot standby of a private primary: `pg_basebackup -R` copies the primary and writes the
    standby settings, and the copy then streams the primary's WAL."""

    def __init__(self, primary: PrivatePostgres) -> None:
        super().__init__()
        self.primary = primary

    def create(self) -> None:
        self._run(
            _postgres_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary.port),
            "-U", "footing", "-D", str(self.data), "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        self.start()

    def lag_bytes(self) -> int:
        """How far the replica's replay is behind the primary's WAL."""
        import psycopg

        with psycopg.connect(self.primary.url, autocommit=True) as primary:
            row = primary.execute("SELECT pg_current_wal_lsn()::text").fetchone()
        assert row is not None
        with psycopg.connect(self.url, autocommit=True) as replica:
            lag = replica.execute(
                "SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())", [row[0]]
            ).fetchone()
        assert lag is not None
        return max(0, int(lag[0]))


def healthy(base: str, *, timeout: float) -> bool:
    """Whether `base`/health/ answers 200 now; a refused or cut connection is a no, not an error
    (the callers poll until a deadline)."""
    try:
        return requests.get(f"{base}/health/", timeout=timeout).ok
    except requests.RequestException:
        return False


def transactions(url: str) -> int:
    """Committed transactions of the `footing` database on that server (pg_stat_database)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = 'footing'"
        ).fetchone()
    assert row is not None
    return int(row[0])


class PrivateProcess(ABC):
    """A server process in its own process group, with its output in a file of its own."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.directory = Path(tempfile.mkdtemp(prefix=f"footing-{name}-"))
        self.log = self.directory / "log"
        self.process: subprocess.Popen[bytes] | None = None

    def spawn(self, command: list[str], env: dict[str, str] | None = None) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=output,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    @abstractmethod
    def start(self) -> None:
        """Start the server and wait until it answers."""

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole group (a gunicorn master and its workers alike)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.kill(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill(signal.SIGKILL)
                self.process.wait(timeout=10)
        with suppress(ProcessLookupError):  # workers the master left behind
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class PrivatePgBouncer(PrivateProcess):
    """PgBouncer in transaction pooling mode on a port of its own, in front of one database
    (a private cluster's, or the tests' own on the machine's server), under the same name."""

    def __init__(self, target: str, *, pool_size: int = 20) -> None:
        super().__init__("pgbouncer")
        self.port = free_port()
        self.target = urlparse(target)
        self.pool_size = pool_size

    @property
    def url(self) -> str:
        user, password = self.target.username or "", self.target.password or ""
        credentials = f"{user}:{password}" if password else user
        return f"postgres://{credentials}@127.0.0.1:{self.port}{self.target.path}"

    def start(self) -> None:
        name = self.target.path.lstrip("/")
        user, password = self.target.username or "", self.target.password or ""
        # The clients are this machine's own processes on a private port (auth_type trust); the
        # password is the one PgBouncer signs in to PostgreSQL with.
        (self.directory / "users.txt").write_text(f'"{user}" "{password}"\n')
        config = self.directory / "pgbouncer.ini"
        config.write_text(
            "[databases]\n"
            f"{name} = host={self.target.hostname} port={self.target.port or 5432} dbname={name}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {self.directory / 'users.txt'}\n"
            "pool_mode = transaction\nmax_client_conn = 1000\n"
            f"default_pool_size = {self.pool_size}\n"
            "ignore_startup_parameters = extra_float_digits,options\n"
            f"pidfile = {self.directory / 'pid'}\n"
        )
        run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if run_as:
            shutil.chown(self.directory, "postgres", "postgres")
            for path in self.directory.iterdir():
                shutil.chown(path, "postgres", "postgres")
        self.spawn([*run_as, binary("pgbouncer"), str(config)])
        wait_for_port(self.port, up=True, timeout=15)


class PrivateHAProxy(PrivateProcess):
    """HAProxy in front of the web nodes: round robin, a health check every second (a busy node
    may take its time to answer it: only a refused or failed check counts); the first refused
    connection marks a node down at once (observe layer4), and the request it refused is sent to
    another node (redispatch on every retry)."""

    def __init__(self, backends: list[int]) -> None:
        super().__init__("haproxy")
        self.port = free_port()
        self.backends = backends

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        servers = "".join(
            f"    server node{n} 127.0.0.1:{port} maxconn 60 check inter 1s fall 2 rise 2"
            " observe layer4 error-limit 1 on-error mark-down\n"
            for n, port in enumerate(self.backends)
        )
        config = self.directory / "haproxy.cfg"
        config.write_text(
            "global\n    maxconn 2000\n"
            "defaults\n    mode http\n    timeout connect 2s\n    timeout client 90s\n"
            "    timeout server 90s\n    timeout queue 90s\n    timeout check 20s\n"
            "    option http-server-close\n"
            "    option forwardfor\n    retries 3\n    option redispatch 1\n"
            f"frontend site\n    bind 127.0.0.1:{self.port}\n    default_backend web\n"
            "backend web\n    balance roundrobin\n    option httpchk\n"
            "    http-check send meth GET uri /health/ ver HTTP/1.1 hdr Host 127.0.0.1\n"
            "    http-check expect status 200\n" + servers
        )
        self.spawn([binary("haproxy"), "-f", str(config), "-db"])
        wait_for_port(self.port, up=True, timeout=15)

    def wait_ready(self, timeout: float = 30) -> None:
        """Until a request through it reaches a node."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if healthy(self.url, timeout=5):
                return
            time.sleep(0.2)
        raise TimeoutError(f"HAProxy did not reach a node: {self.output()[-2000:]}")


def site_env(*, pooled_url: str, replica_url: str, redis_url: str, secret: str) -> dict[str, str]:
    """What every web node and worker of the test runs with: the production settings, through
    PgBouncer, reading public pages from the replica, behind one proxy."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secret,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_TRUSTED_PROXY_HOPS": "1",
        "DATABASE_URL": pooled_url,
        "DATABASE_OWNER_URL": pooled_url,  # one role plays both parts on a private cluster
        "DATABASE_POOLER": "pgbouncer",
        "DATABASE_REPLICA_URL": replica_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CACHE_URL": redis_url.replace("/0", "/1"),
        "EMAIL_URL": "consolemail://",
        "REQUIRE_STAFF_MFA": "false",
        "PAGE_CACHE_SECONDS": "0",  # every anonymous read reaches the database
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *command: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env={**os.environ, **env},
        check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return done.stdout


def seed(env: dict[str, str], *, people: int, prefix: str) -> dict[str, object]:
    """An open round with `people` participants, each with an API token (bench.rush.prepare), made
    in a process of its own on the cluster; returns what the clients need."""
    script = (
        "import json, django; django.setup()\n"
        "from bench import rush\n"
        f"r = rush.prepare(people={people}, readers=0, prefix={prefix!r})\n"
        "print(json.dumps({'round': r.round_id, 'process': r.process_slug,"
        " 'tokens': [p.token for p in r.people], 'facilitator': r.facilitator_token}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env={**os.environ, **env}, check=True,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


class WebNode(PrivateProcess):
    """One stateless web node: gunicorn as `make run` configures it, on a port of its own."""

    def __init__(self, name: str, env: dict[str, str], *, workers: int, threads: int) -> None:
        super().__init__(name)
        self.port = free_port()
        self.env = {
            **env,
            "WEB_BIND": f"127.0.0.1:{self.port}",
            "WEB_WORKERS": str(workers),
            "WEB_THREADS": str(threads),
            "WEB_ACCESS_LOG": "",
            "DATABASE_APPLICATION_NAME": f"footing-{name}",
        }

    def start(self) -> None:
        self.spawn(
            [sys.executable, "-m", "gunicorn", "-c", "python:config.gunicorn",
             "config.wsgi:application"],
            self.env,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} stopped: {self.output()[-2000:]}")
            if healthy(f"http://127.0.0.1:{self.port}", timeout=2):
                return
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} did not answer: {self.output()[-2000:]}")


class Worker(PrivateProcess):
    """A Celery worker consuming one queue, logging each task it ran."""

    def __init__(self, queue: str, env: dict[str, str]) -> None:
        super().__init__(f"worker-{queue}")
        self.queue = queue
        self.env = {**env, "DATABASE_APPLICATION_NAME": f"footing-{queue}"}

    def start(self) -> None:
        self.spawn(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
             "--queues", self.queue, "--hostname", f"{self.queue}@%h", "--loglevel", "INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            self.env,
        )  # fmt: skip

    def ran(self, task: str) -> bool:
        return f"Task {task}[" in self.output() and "succeeded" in self.output()
