"""axe-core finds no serious or critical WCAG violation on the main pages (docs/design.md §9), in
English
and in Arabic (right to left)."""

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page

from consensus.models import Round
from consensus.polls.models import Poll
from deliberation.models import Issue, Proposal
from stakeholders.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _public_pages() -> list[str]:
    """The main pages, with the demo's own ids (a flushed test database does not restart them)."""
    issue = Issue.objects.filter(process__slug="demo").order_by("id").first()
    proposal = Proposal.objects.filter(issue=issue).first()
    round_ = Round.objects.filter(process__slug="demo").first()
    assert issue is not None and proposal is not None and round_ is not None
    rounds = f"/processes/demo/rounds/{round_.pk}/"
    return [
        *_poll_pages(),
        issue.get_absolute_url(),
        proposal.get_absolute_url(),
        f"/processes/demo/proposals/{proposal.pk}/diff/?old=1&new=2",
        rounds,
        f"{rounds}result/",
        f"{rounds}objections/",
        *PUBLIC_PAGES,
    ]


def _poll_pages() -> list[str]:
    poll = Poll.objects.filter(process__slug="demo").first()
    assert poll is not None
    return ["/processes/demo/polls/", poll.get_absolute_url(), f"{poll.get_absolute_url()}map/"]


PUBLIC_PAGES = [
    "/",
    "/processes/",
    "/processes/demo/",
    "/processes/demo/balance/",
    "/glossary/",
    "/resources/",
    "/getting-started/",
    "/stakeholders/",
    "/record/",
    "/commitments/",
    "/accounts/login/",
    "/accounts/signup/",
]
SIGNED_IN_PAGES = [
    "/me/profile/",
    "/me/hats/",
    "/me/interests/",
    "/me/notifications/email/",
    "/processes/demo/support/",
]
SERIOUS = {"serious", "critical"}


def _violations(page: Page, axe: Axe, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    results = axe.run(page)
    return [
        f"{url}: {v['id']} ({v['impact']}) — {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_main_pages_have_no_serious_violation(new_page: Callable[[], Page], language: str) -> None:
    call_command("seed_demo", verbosity=0)
    axe = Axe()
    page = new_page()
    page.goto(f"/language/?language={language}&next=/")
    found = [v for url in _public_pages() for v in _violations(page, axe, url)]
    page.goto("/accounts/login/")
    page.locator("#id_login").fill("s01@example.org")
    page.locator("#id_password").fill("footing-demo")
    page.locator("form[action='/accounts/login/'] button[type=submit]").click()
    assert User.objects.get(email="s01@example.org").last_login is not None
    signed_in = [*SIGNED_IN_PAGES, *_poll_pages()[1:]]  # voting, and the map with my point
    found += [v for url in signed_in for v in _violations(page, axe, url)]
    assert found == []
