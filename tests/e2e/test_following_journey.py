"""Following a process from outside: download its open data and find a ballot, see the feed and
calendar links, switch to a weekly digest and unsubscribe from the e-mail's own link."""

import json
import re
import zipfile
from collections.abc import Callable

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from stakeholders import services
from stakeholders.subscriptions.models import DigestFrequency, DigestPreference
from stakeholders.tasks import send_digests
from tests.consensus.conftest import make_scene
from tests.e2e.conftest import screenshot, sign_in
from tests.opendata.test_bundle import declared_round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_open_data_feeds_and_a_weekly_digest(
    new_page: Callable[[], Page], settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    scene = make_scene()
    declared_round(scene)
    visitor = new_page()

    visitor.goto("/")
    visitor.get_by_role("link", name="Open data").click()
    expect(visitor.get_by_role("heading", name="Open data")).to_be_visible()
    expect(visitor.get_by_role("link", name="CC BY 4.0")).to_be_visible()
    visitor.get_by_role("link", name=f"{scene.process.slug}-open-data.zip").click()
    expect(visitor.get_by_role("status")).to_contain_text("being prepared")
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Try again").click()
    path = download.value.path()
    with zipfile.ZipFile(path) as bundle:
        ballots = json.loads(bundle.read("ballots.json"))
        outcomes = json.loads(bundle.read("outcomes.json"))
    assert any(b["position"] == "support" and b["user"] for b in ballots)
    assert any(b["user"] is None and "participant" in b["voter"] for b in ballots)
    assert outcomes[0]["declared_designation"] == "divergence"

    visitor.goto(scene.process.get_absolute_url())
    feed = visitor.locator('head link[rel="alternate"][type="application/atom+xml"]')
    expect(feed.last).to_have_attribute("href", f"/processes/{scene.process.slug}/feed/")
    calendar = visitor.locator('head link[rel="alternate"][type="text/calendar"]')
    expect(calendar).to_have_attribute("href", f"/processes/{scene.process.slug}/calendar.ics")
    expect(visitor.get_by_role("link", name="Atom feed")).to_be_visible()
    screenshot(visitor, "following-process")

    person = scene.person("government")
    page = new_page()
    sign_in(page, person.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My profile").click()
    page.get_by_role("link", name="Digests and feeds").click()
    page.get_by_label("A weekly digest").check()
    page.get_by_label("Replies to my comments").check()
    page.get_by_role("button", name="Save my e-mail choice").click()
    expect(page.get_by_text("Your e-mail choice was saved.")).to_be_visible()
    expect(page.locator("#personal-feed")).to_contain_text("/feeds/me/")
    screenshot(page, "following-digest")

    services.notification_send(user=person, kind="reply", title="Someone replied to you", url="/")
    assert send_digests() == 1
    [message] = [m for m in mail.outbox if person.email in m.to]
    assert "Someone replied to you" in message.body
    link = re.search(r"https?://\S+/unsubscribe/\S+/", str(message.body))
    assert link is not None
    visitor.goto("/" + link.group(0).split("://", 1)[1].split("/", 1)[1])
    visitor.get_by_role("button", name="Unsubscribe").click()
    expect(visitor.get_by_role("status")).to_contain_text("gets no more notification e-mail")
    assert DigestPreference.objects.get(user=person).frequency == DigestFrequency.NEVER
