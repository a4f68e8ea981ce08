"""PostgreSQL restarted under load: requests fail cleanly (503), nothing committed is lost, and
service resumes without restarting the application server."""

import os
import subprocess
import sys
import threading
import time
import uuid

import pytest
import requests

from tests.support.servers import ROOT, PrivatePostgres, gunicorn

pytestmark = pytest.mark.reliability


def _manage(env: dict[str, str], *command: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        timeout=300,
    )


def test_requests_during_a_postgres_restart_get_503_and_service_resumes() -> None:
    postgres = PrivatePostgres()
    postgres.create()
    env = {
        "DATABASE_URL": postgres.url,
        "DATABASE_OWNER_URL": postgres.url,  # not the database a checkout's .env names
        "DATABASE_CONNECT_TIMEOUT": "2",
        "CACHE_KEY_PREFIX": f"pg-restart-{uuid.uuid4().hex}",
    }
    try:
        _manage(env, "migrate", "--noinput")
        _manage(env, "seed_demo")
        with gunicorn(env) as base:
            token = requests.post(
                f"{base}/api/v1/auth/token/",
                json={"email": "s01@example.org", "password": "footing-demo"},
                timeout=30,
            ).json()["token"]
            headers = {"Authorization": f"Token {token}"}
            statuses: list[int] = []
            created: list[int] = []
            stop = threading.Event()

            def write() -> None:
                n = 0
                while not stop.is_set():
                    n += 1
                    answer = requests.post(
                        f"{base}/api/v1/comments/",
                        json={"issue": 1, "body": f"Under load {n}"},
                        headers=headers,
                        timeout=30,
                    )
                    statuses.append(answer.status_code)
                    if answer.status_code == 201:
                        created.append(answer.json()["id"])

            def read() -> None:
                while not stop.is_set():
                    for path in ("/api/v1/processes/demo/", "/processes/demo/"):
                        statuses.append(requests.get(f"{base}{path}", timeout=30).status_code)

            workers = [threading.Thread(target=write), threading.Thread(target=read)]
            for worker in workers:
                worker.start()
            time.sleep(2)
            postgres.stop()
            time.sleep(3)
            postgres.start()
            time.sleep(4)
            stop.set()
            for worker in workers:
                worker.join(timeout=60)

            assert set(statuses) <= {200, 201, 503}, sorted(set(statuses))
            assert 503 in statuses, "requests during the outage are refused cleanly"
            assert statuses[-3:] and all(code in (200, 201) for code in statuses[-3:])
            assert created, "writes succeeded before and after the outage"
            for comment in created:
                assert (
                    requests.get(f"{base}/api/v1/comments/{comment}/", timeout=30).status_code
                    == 200
                )
    finally:
        postgres.destroy()
