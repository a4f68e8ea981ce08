"""Atom feeds and iCalendar calendars, parsed with real parsers (feedparser, icalendar): what
they hold, who sees what, stable UIDs, the secret personal addresses, and constant queries."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import feedparser
import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from consensus import services
from deliberation.models import Visibility
from stakeholders.models import Attribution
from stakeholders.subscriptions import services as subscriptions
from tests.consensus.conftest import Scene, make_scene
from tests.factories import CommentFactory, CommitmentFactory, UserFactory
from tests.opendata.test_bundle import declared_round

pytestmark = pytest.mark.django_db
Capture = Callable[..., Any]


def feed(url: str, client: Client | None = None) -> Any:
    answer = (client or Client()).get(url)
    assert answer.status_code == 200, url
    assert answer["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.get("author")  # Atom: every entry has an author, or the feed stands in
    assert all(entry.get("updated") and entry.get("id") for entry in parsed.entries)
    return parsed


def calendar(url: str) -> Calendar:
    answer = Client().get(url)
    assert answer.status_code == 200, url
    assert answer["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(answer.content)


def uids(cal: Calendar) -> set[str]:
    return {str(event["UID"]) for event in cal.walk("VEVENT")}


def test_process_feed_has_issues_versions_rounds_and_outcomes() -> None:
    scene = make_scene()
    round_ = declared_round(scene)
    parsed = feed(f"/processes/{scene.process.slug}/feed/")
    titles = [entry.title for entry in parsed.entries]
    assert any("Root zone" in t for t in titles)
    assert any("version 1" in t for t in titles)
    assert any(t.startswith("Consensus round opened") for t in titles)
    assert any(t.startswith("Consensus round closed") for t in titles)
    assert any(t.startswith("Outcome declared") for t in titles)
    ids = [entry.id for entry in parsed.entries]
    assert len(ids) == len(set(ids))
    assert any(entry.link.endswith(round_.get_absolute_url()) for entry in parsed.entries)


def test_members_only_processes_never_appear_in_public_feeds() -> None:
    hidden = make_scene(visibility=Visibility.MEMBERS)
    declared_round(hidden)
    public = make_scene()
    assert Client().get(f"/processes/{hidden.process.slug}/feed/").status_code == 404
    assert Client().get(f"/processes/{hidden.process.slug}/calendar.ics").status_code == 404
    member = Client()
    member.force_login(hidden.person("government"))
    assert member.get(f"/processes/{hidden.process.slug}/feed/").status_code == 404
    site = feed("/feeds/")
    links = " ".join(entry.link for entry in site.entries)
    assert f"/processes/{public.process.slug}/" in links
    assert f"/processes/{hidden.process.slug}/" not in links


def test_issue_feed_names_group_only_authors_by_group_and_sanitises() -> None:
    scene = make_scene()
    issue = scene.proposal.issue
    shy = UserFactory.create(attribution=Attribution.GROUP_ONLY, display_name="Secret Name")
    CommentFactory.create(
        issue=issue, author=shy, attribution=Attribution.GROUP_ONLY, body="<script>x</script>hi"
    )
    CommentFactory.create(issue=issue, body="Named words")
    parsed = feed(f"/processes/{scene.process.slug}/issues/{issue.pk}/feed/")
    assert len(parsed.entries) == 2
    authors = {entry.author for entry in parsed.entries}
    assert "Secret Name" not in authors
    assert any("participant" in author for author in authors)
    assert all("<script" not in entry.summary for entry in parsed.entries)
    page = Client().get(issue.get_absolute_url()).content.decode()
    assert 'type="application/atom+xml"' in page


def test_process_page_links_feed_and_calendar() -> None:
    scene = make_scene()
    page = Client().get(scene.process.get_absolute_url()).content.decode()
    assert f'type="application/atom+xml" title="{scene.process.title}: news"' in page or (
        f'href="/processes/{scene.process.slug}/feed/"' in page
    )
    assert 'rel="alternate" type="text/calendar"' in page
    assert f"/processes/{scene.process.slug}/open-data.zip" in page


def test_process_calendar_has_deadlines_challenges_and_commitments_with_stable_uids() -> None:
    scene = make_scene()
    declared_round(scene)
    later = scene.open_round()
    CommitmentFactory.create(process=scene.process, due_on=timezone.now().date())
    url = f"/processes/{scene.process.slug}/calendar.ics"
    first = calendar(url)
    summaries = [str(e["SUMMARY"]) for e in first.walk("VEVENT")]
    assert sum(s.startswith("Deadline") for s in summaries) == 2
    assert any(s.startswith("Challenge window") for s in summaries)
    assert any(s.startswith("Commitment due") for s in summaries)
    services.round_close(actor=scene.facilitator, round_=later)
    assert uids(calendar(url)) == uids(first)
    round_ics = Client().get(f"{later.get_absolute_url()}calendar.ics")
    [event] = Calendar.from_ical(round_ics.content).walk("VEVENT")
    assert str(event["UID"]) in uids(first)
    page = Client().get(later.get_absolute_url()).content.decode()
    assert f"{later.get_absolute_url()}calendar.ics" in page


def test_personal_feed_and_calendar_follow_my_processes_and_die_on_reset() -> None:
    mine = make_scene(visibility=Visibility.MEMBERS)
    other = make_scene()
    person = mine.person("government")
    due = timezone.now().date() + timedelta(days=9)
    CommitmentFactory.create(author=person, due_on=due)
    declared_round(mine)
    key = subscriptions.feed_token_for(person).key
    parsed = feed(f"/feeds/me/{key}/")
    links = " ".join(entry.link for entry in parsed.entries)
    assert f"/processes/{mine.process.slug}/" in links
    assert f"/processes/{other.process.slug}/" not in links
    cal = calendar(f"/calendars/me/{key}.ics")
    assert any(str(e["SUMMARY"]).startswith("Commitment due") for e in cal.walk("VEVENT"))
    subscriptions.feed_token_reset(actor=person)
    assert Client().get(f"/feeds/me/{key}/").status_code == 404
    assert Client().get(f"/calendars/me/{key}.ics").status_code == 404
    assert Client().get("/feeds/me/not-a-token/").status_code == 404


def test_feed_addresses_from_the_page_and_the_api() -> None:
    person = UserFactory.create()
    client = Client()
    client.force_login(person)
    before = client.get("/api/v1/stakeholders/me/feeds/").json()
    assert before["feed"].startswith("http")
    page = client.get("/me/following/").content.decode()
    assert before["feed"] in page
    after = client.post("/api/v1/stakeholders/me/feeds/").json()
    assert after["feed"] != before["feed"]
    assert Client().get(before["feed"]).status_code == 404
    assert Client().get(after["feed"]).status_code == 200
    assert client.post("/me/following/", {"action": "reset"}).status_code == 302
    assert Client().get(after["feed"]).status_code == 404
    assert Client().get("/api/v1/stakeholders/me/feeds/").status_code in (401, 403)


def _queries(url: str, capture: Capture, n: int) -> None:
    with capture(n):
        assert Client().get(url).status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_feed_and_calendar_queries_do_not_grow(
    size: int, django_assert_max_num_queries: Capture
) -> None:
    scene: Scene = make_scene()
    for _ in range(size):
        declared = declared_round(scene, voters=1)
        assert declared.pk
        CommentFactory.create(issue=scene.proposal.issue)
        CommitmentFactory.create(process=scene.process, due_on=timezone.now().date())
    slug = scene.process.slug
    _queries(f"/processes/{slug}/feed/", django_assert_max_num_queries, 8)
    _queries(f"/processes/{slug}/calendar.ics", django_assert_max_num_queries, 5)
    _queries(
        f"/processes/{slug}/issues/{scene.proposal.issue.pk}/feed/",
        django_assert_max_num_queries,
        3,
    )
    _queries("/feeds/", django_assert_max_num_queries, 7)
    person = scene.person("government")
    key = subscriptions.feed_token_for(person).key
    _queries(f"/feeds/me/{key}/", django_assert_max_num_queries, 8)
    _queries(f"/calendars/me/{key}.ics", django_assert_max_num_queries, 5)
