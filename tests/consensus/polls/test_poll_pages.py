"""Poll pages without JavaScript: open, vote one statement at a time (POST-redirect-GET), write,
moderate, see the map, import and download Pol.is data; query counts at two sizes."""

import io
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from consensus.polls import services
from consensus.polls.models import Moderation, Poll, Statement, Vote
from tests.consensus.conftest import Scene

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).resolve().parents[3] / "data" / "polis" / "15-per-hour-seattle"


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _base(scene: Scene) -> str:
    return f"/processes/{scene.process.slug}/polls/"


def test_the_journey_without_javascript(scene: Scene) -> None:
    facilitator = _client(scene.facilitator)
    opened = facilitator.post(
        f"{_base(scene)}new/",
        {
            "title": "Where should the forum meet?",
            "seeds": "Online first\nRotate between regions\n\nIn Geneva",
            "attribution": "named",
        },
    )
    assert opened.status_code == 302
    poll = Poll.objects.get()
    page = f"{_base(scene)}{poll.pk}/"
    assert opened["Location"] == page
    assert Statement.objects.filter(poll=poll, moderated=Moderation.ACCEPTED).count() == 3

    person = scene.person("civil_society")
    voter = _client(person)
    html = voter.get(page).content.decode()
    assert "Online first" in html
    assert 'name="vote" value="1"' in html
    for expected_next in ("Rotate between regions", "In Geneva", None):
        unvoted = Statement.objects.filter(poll=poll).exclude(votes__participant__user=person)
        target = unvoted.order_by("created_at", "id").first()
        assert target is not None
        answer = voter.post(f"{page}vote/", {"statement": target.pk, "vote": "1"})
        assert answer.status_code == 302
        assert answer["Location"] == f"{page}#vote"
        html = voter.get(page).content.decode()
        if expected_next:
            assert f'<p class="statement" id="statement-text">{expected_next}</p>' in html
        else:
            assert "You have voted on every statement" in html
    # A bad vote is an error message, not a 500, and stores nothing.
    before = Vote.objects.count()
    assert target is not None
    assert voter.post(f"{page}vote/", {"statement": target.pk, "vote": "7"}).status_code == 302
    assert Vote.objects.count() == before

    written = voter.post(f"{page}statements/", {"text": "Hybrid meetings"})
    assert written.status_code == 302
    waiting = Statement.objects.get(text="Hybrid meetings")
    assert waiting.moderated == Moderation.PENDING
    assert "Hybrid meetings" in facilitator.get(page).content.decode()
    assert voter.post(f"{page}statements/{waiting.pk}/accept/").status_code == 404
    assert (
        facilitator.post(f"{page}statements/{waiting.pk}/reject/", {"reason": ""}).status_code
        == 302
    )
    assert Statement.objects.get(pk=waiting.pk).moderated == Moderation.PENDING
    facilitator.post(f"{page}statements/{waiting.pk}/accept/")
    assert Statement.objects.get(pk=waiting.pk).moderated == Moderation.ACCEPTED
    # One's own statement never comes up to vote on, but the table lets one vote on it.
    voter.post(f"{page}vote/", {"statement": waiting.pk, "vote": "1"})

    others = [scene.person(g) for g in ("government", "academia", "private_sector")]
    for i, other in enumerate(others):
        for statement in Statement.objects.filter(poll=poll):
            services.vote_cast(actor=other, statement=statement, value=1 if i % 2 else -1)
    services.opinion_compute(poll=poll)
    map_html = voter.get(f"{page}map/").content.decode()
    assert "<svg" in map_html
    assert "<path" in map_html
    assert "GIC over stakeholder groups" in map_html
    assert "You: the ringed point" in map_html


def test_import_and_download_from_the_page(scene: Scene) -> None:
    facilitator = _client(scene.facilitator)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in SAMPLE.iterdir():
            archive.write(path, f"export/{path.name}")
    buffer.seek(0)
    buffer.name = "export.zip"
    answer = facilitator.post(f"{_base(scene)}import/", {"export": buffer})
    assert answer.status_code == 302, answer.content.decode()[:500]
    poll = Poll.objects.get()
    assert poll.opinion_map.figures["groups"]
    download = Client().get(f"{_base(scene)}{poll.pk}/polis.zip")
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert sorted(n.split("/")[-1] for n in names) == [
        "comments.csv", "participants-votes.csv", "summary.csv", "votes.csv"
    ]  # fmt: skip
    assert "<svg" in Client().get(f"{_base(scene)}{poll.pk}/map/").content.decode()


def test_a_bad_upload_is_a_form_error(scene: Scene) -> None:
    facilitator = _client(scene.facilitator)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("comments.csv", (SAMPLE / "comments.csv").read_text())
    buffer.seek(0)
    buffer.name = "partial.zip"
    answer = facilitator.post(f"{_base(scene)}import/", {"export": buffer})
    assert answer.status_code == 400
    assert "votes.csv: the file is missing" in answer.content.decode()
    not_zip = io.BytesIO(b"not a zip")
    not_zip.name = "x.zip"
    assert facilitator.post(f"{_base(scene)}import/", {"export": not_zip}).status_code == 400
    assert not Poll.objects.exists()
    member = _client(scene.person("academia"))
    assert member.post(f"{_base(scene)}import/", {}).status_code == 404


@pytest.mark.parametrize("extra", [0, 25])
def test_page_queries_do_not_grow(
    scene: Scene, extra: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    poll = services.poll_open(
        actor=scene.facilitator,
        process=scene.process,
        title="Q",
        seed_statements=[f"s{i}" for i in range(3 + extra)],
    )
    voter = scene.person("government")
    for statement in Statement.objects.filter(poll=poll)[: 2 + extra]:
        services.vote_cast(actor=voter, statement=statement, value=1)
    for i in range(1 + extra // 5):
        services.statement_submit(actor=scene.person("academia", i), poll=poll, text=f"p{i}")
    services.opinion_compute(poll=poll)
    client = _client(voter)
    facilitator = _client(scene.facilitator)
    page = f"{_base(scene)}{poll.pk}/"
    with django_assert_max_num_queries(30):
        assert client.get(page).status_code == 200
    with django_assert_max_num_queries(30):
        assert facilitator.get(page).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(f"{page}map/").status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(_base(scene)).status_code == 200


def test_group_only_polls_show_authors_by_group(scene: Scene) -> None:
    poll = services.poll_open(
        actor=scene.facilitator, process=scene.process, title="Q", attribution="group_only"
    )
    author = scene.person("civil_society")
    author.display_name = "Carmen Author"
    author.save(update_fields=["display_name"])
    statement = services.statement_submit(actor=author, poll=poll, text="Say it plainly")
    services.statement_accept(actor=scene.facilitator, statement=statement)
    page = f"{_base(scene)}{poll.pk}/"
    public = Client().get(page).content.decode()
    assert "Carmen Author" not in public
    assert "A civil society participant" in public
    assert "Carmen Author" in _client(scene.facilitator).get(page).content.decode()
    assert "Carmen Author" in _client(author).get(page).content.decode()


def test_a_signed_in_non_member_gets_a_join_button_to_vote(scene: Scene) -> None:
    poll = services.poll_open(
        actor=scene.facilitator, process=scene.process, title="Where?", seed_statements=["Online"]
    )
    outsider = scene.person("academia")
    scene.process.participations.filter(user=outsider).delete()
    html = _client(outsider).get(f"{_base(scene)}{poll.pk}/").content.decode()
    assert 'name="vote"' not in html
    assert f'href="/processes/{scene.process.slug}/#take-part"' in html
    assert "Join this process" in html
