"""The issue, process, round and result pages take the same number of queries for a signed-in
stakeholder whether the process holds a little or a lot (two data sizes, counted exactly)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.people import stakeholders
from consensus import services
from deliberation import services as deliberation
from tests.consensus.conftest import make_scene

pytestmark = pytest.mark.django_db


def _pages(size: int) -> tuple[Client, list[str]]:
    """A process with `size` participants who each comment, reply and vote, and a closed round
    with its computed outcome; a signed-in participant's client and the four pages' addresses."""
    scene = make_scene()
    people = stakeholders(scene.process, size, prefix=f"size{size}")
    issue = scene.proposal.issue
    previous = None
    for n, person in enumerate(people):
        previous = deliberation.comment_create(
            actor=person.user,
            issue=issue,
            body=f"Point {n} about the ccTLD and IANA",
            parent=previous if n % 3 else None,
        )
    for n in range(size // 5):
        deliberation.issue_create(actor=people[n].user, process=scene.process, title="Q", body="b")
    round_ = scene.open_round()
    positions = ["support", "accept", "object", "abstain"]
    for n, person in enumerate(people):
        position = positions[n % 4]
        services.ballot_cast(
            actor=person.user,
            round_=round_,
            position=position,
            rationale="Not yet" if position == "object" else "",
        )
    services.round_close(actor=scene.facilitator, round_=round_)
    services.outcome_compute(round_=round_)
    client = Client()
    client.force_login(people[0].user)
    base = f"/processes/{scene.process.slug}/"
    return client, [
        f"{base}issues/{issue.pk}/",
        base,
        f"{base}rounds/{round_.pk}/",
        f"{base}rounds/{round_.pk}/result/",
    ]


def _queries(client: Client, url: str) -> int:
    client.get(url)  # caches warm (glossary, rendered texts) as on a running site
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_the_four_pages_take_the_same_queries_at_two_data_sizes() -> None:
    small_client, small_pages = _pages(8)
    large_client, large_pages = _pages(160)
    small = [_queries(small_client, url) for url in small_pages]
    large = [_queries(large_client, url) for url in large_pages]
    assert small == large, (small, large)
    assert max(large) <= 12, large


def test_the_round_page_lists_voters_a_page_at_a_time() -> None:
    client, pages = _pages(120)
    first = client.get(pages[2]).content.decode()
    assert "Who has taken part (120)" in first
    assert first.count("<tr><td>") == 100
    second = client.get(f"{pages[2]}?page=2").content.decode()
    assert second.count("<tr><td>") == 20
    assert "Page 2 of 2" in second
