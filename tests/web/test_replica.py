"""Reads on the replica: public GET pages and lists read from it, writes and a writer's next reads
from the primary, and without DATABASE_REPLICA_URL nothing reads from it.

The tests' `replica` alias is a test mirror of `default` (config.databases.replica_of): the same
test database on a connection of its own, so what each connection ran tells where reads went.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings
from rest_framework.authtoken.models import Token

from consensus.models import Ballot
from deliberation.models import Process
from tests.consensus.conftest import make_scene
from web import replica

BOTH = ["default", "replica"]


@contextmanager
def queries() -> Iterator[dict[str, CaptureQueriesContext]]:
    """The queries each connection runs inside the block."""
    captured = {alias: CaptureQueriesContext(connections[alias]) for alias in BOTH}
    for context in captured.values():
        context.__enter__()
    try:
        yield captured
    finally:
        for context in captured.values():
            context.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _close_the_replica_connection() -> Iterator[None]:
    """The mirror's own connection, closed so that the test database can be dropped at the end."""
    yield
    connections["replica"].close()


@pytest.fixture
def replica_on(settings: Settings) -> None:
    settings.REPLICA_READS = True
    settings.REPLICA_READ_YOUR_WRITES_SECONDS = 10


@pytest.mark.django_db(databases=BOTH)
def test_without_a_replica_every_read_is_on_the_primary() -> None:
    process = make_scene().process
    with queries() as ran:
        page = Client().get(process.get_absolute_url())
        listing = Client().get("/api/v1/processes/")
    assert page.status_code == listing.status_code == 200
    assert len(ran["default"]) > 0
    assert len(ran["replica"]) == 0
    assert replica.MARKER_COOKIE not in page.cookies
    assert Process.objects.all().db == "default"


@pytest.mark.django_db(transaction=True, databases=BOTH)
@pytest.mark.usefixtures("replica_on")
def test_public_pages_and_lists_read_from_the_replica() -> None:
    process = make_scene().process
    with queries() as ran:
        page = Client().get(process.get_absolute_url())
        listing = Client().get("/api/v1/processes/")
        detail = Client().get(f"/api/v1/processes/{process.slug}/")
    assert page.status_code == listing.status_code == detail.status_code == 200
    assert process.title in page.content.decode()
    assert listing.json()["count"] == 1
    assert len(ran["replica"]) > 0
    assert len(ran["default"]) == 0, [q["sql"] for q in ran["default"].captured_queries]


@pytest.mark.django_db(transaction=True, databases=BOTH)
@pytest.mark.usefixtures("replica_on")
def test_a_browser_reads_its_own_writes_from_the_primary_then_the_replica_again() -> None:
    scene = make_scene()
    voter = scene.person("civil_society")
    round_ = scene.open_round()
    browser = Client()
    browser.force_login(voter)
    page = f"/api/v1/rounds/{round_.pk}/ballot/"
    with queries() as ran:
        cast = browser.put(page, {"position": "support"}, content_type="application/json")
    assert cast.status_code == 201
    assert len(ran["replica"]) == 0, "a write reads and writes the primary only"
    marker = cast.cookies[replica.MARKER_COOKIE]
    assert float(marker.value) > time.time()
    assert marker["max-age"] == 10
    with queries() as ran:
        mine = browser.get(page)
    assert mine.json()["position"] == "support"
    assert len(ran["replica"]) == 0
    assert len(ran["default"]) > 0
    # The marker expired: reads are back on the replica.
    browser.cookies[replica.MARKER_COOKIE] = f"{time.time() - 1:.3f}"
    with queries() as ran:
        again = browser.get(page)
    assert again.json()["position"] == "support"
    assert len(ran["replica"]) > 0
    assert len(ran["default"]) == 0


@pytest.mark.django_db(transaction=True, databases=BOTH)
@pytest.mark.usefixtures("replica_on")
def test_a_token_script_without_cookies_reads_its_own_writes_from_the_primary() -> None:
    scene = make_scene()
    voter = scene.person("academia")
    round_ = scene.open_round()
    token = Token.objects.create(user=voter).key
    page = f"/api/v1/rounds/{round_.pk}/ballot/"
    headers = {"Authorization": f"Token {token}"}
    cast = Client().put(
        page, {"position": "accept"}, content_type="application/json", headers=headers
    )
    assert cast.status_code == 201
    with queries() as ran:
        mine = Client().get(page, headers=headers)  # a fresh client: no cookie
    assert mine.json()["position"] == "accept"
    assert len(ran["replica"]) == 0
    other = Token.objects.create(user=scene.person("academia", 1)).key
    with queries() as ran:
        theirs = Client().get(page, HTTP_AUTHORIZATION=f"Token {other}")
    assert theirs.status_code == 404  # no ballot yet, read on the replica
    assert len(ran["replica"]) > 0
    assert Ballot.objects.filter(round=round_).count() == 1


@pytest.mark.django_db(transaction=True, databases=BOTH)
@pytest.mark.usefixtures("replica_on")
def test_a_redis_outage_sends_token_reads_to_the_primary(settings: Settings) -> None:
    scene = make_scene()
    token = Token.objects.create(user=scene.person("government")).key
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:9/1",  # nothing listens there
        }
    }
    with queries() as ran:
        answer = Client().get("/api/v1/processes/", HTTP_AUTHORIZATION=f"Token {token}")
    assert answer.status_code == 200
    assert len(ran["replica"]) == 0


@pytest.mark.django_db(transaction=True, databases=BOTH)
@pytest.mark.usefixtures("replica_on")
def test_sign_in_pages_and_the_health_check_read_the_primary() -> None:
    make_scene()
    with queries() as ran:
        assert Client().get("/accounts/login/").status_code == 200
        assert Client().get("/health/").status_code == 200
    assert len(ran["replica"]) == 0


@pytest.mark.django_db(transaction=True, databases=BOTH)
def test_the_router_reads_the_primary_outside_requests_and_inside_transactions() -> None:
    router = replica.ReplicaRouter()
    assert router.db_for_read(Process) == "default"
    token = replica._reads_from.set(replica.REPLICA)
    try:
        assert router.db_for_read(Process) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Process) == "default"
        assert router.db_for_write(Process) == "default"
        assert router.db_for_read(Process) == "default", "after a write, reads are the writer's"
    finally:
        replica._reads_from.reset(token)
    assert router.allow_migrate("replica", "deliberation") is False
    assert router.allow_migrate("default", "deliberation") is True
