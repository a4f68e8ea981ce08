"""Each role's main journey on the demo, at 390 and 1280 px, in English and Arabic: a visitor, a
stakeholder who objects, the facilitator who closes, answers and declares, the admin. No page
scrolls sideways; the close-out loop runs end to end; screenshots go to docs/screenshots/."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, BrowserContext, Page, expect

import consensus.tasks  # noqa: F401 — registered, so closing computes the outcome eagerly here
from consensus.models import Objection, Outcome, Round
from stakeholders.models import Notification, User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PASSWORD = "footing-demo"


class Journey:
    """One browser context per person, at one width, in one language."""

    def __init__(self, browser: Browser, base: str, width: int, language: str) -> None:
        self.browser, self.base, self.width, self.language = browser, base, width, language
        self.contexts: list[BrowserContext] = []

    def person(self, email: str | None = None) -> Page:
        context = self.browser.new_context(
            base_url=self.base, viewport={"width": self.width, "height": 900}, locale="en-GB"
        )
        context.set_default_timeout(20_000)
        self.contexts.append(context)
        page = context.new_page()
        page.goto(f"/language/?language={self.language}&next=/")
        if email:
            page.goto("/accounts/login/")
            page.locator("#id_login").fill(email)
            page.locator("#id_password").fill(PASSWORD)
            page.locator("form[action='/accounts/login/'] button[type=submit]").click()
            page.wait_for_load_state()
        return page

    def check(self, page: Page, name: str | None = None) -> None:
        """No sideways scroll here; keep a screenshot for the README's tour when named."""
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{page.url} is {scroll} px wide at {inner} px"
        if name:
            DOCS.mkdir(parents=True, exist_ok=True)
            path = DOCS / f"{name}-{self.language}-{self.width}.png"
            page.screenshot(path=str(path), full_page=True)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("width", [390, 1280])
def test_every_role_s_journey_and_the_close_out_loop(
    browser: Browser, live_server: Any, width: int, language: str
) -> None:
    call_command("seed_demo", verbosity=0)
    open_round = Round.objects.get(process__slug="demo", status="open")
    round_url = open_round.get_absolute_url()
    journey = Journey(browser, str(live_server), width, language)
    try:
        # A visitor: the introduction with sign-up at the top, the process, a declared round.
        visitor = journey.person()
        visitor.goto("/")
        expect(visitor.locator(".hero a[href='/accounts/signup/']")).to_be_visible()
        journey.check(visitor, "home")
        visitor.goto("/processes/demo/")
        journey.check(visitor, "process")
        declared = Round.objects.get(process__slug="demo", status="declared")
        visitor.goto(f"{declared.get_absolute_url()}result/")
        expect(visitor.locator(".plain-result")).to_be_visible()
        journey.check(visitor, "result")

        # A stakeholder lands on their home, finds the open round and objects.
        objector_email = "s13@example.org"
        stakeholder = journey.person(objector_email)
        assert stakeholder.url.endswith("/me/"), "signing in lands on the signed-in home"
        expect(stakeholder.locator(f"#rounds-title + ul a[href='{round_url}']")).to_be_visible()
        journey.check(stakeholder, "my-home")
        stakeholder.goto(round_url)
        ballot = stakeholder.locator("form[action$='/ballot/']")
        ballot.locator("input[name=position][value=object]").check()
        ballot.locator("textarea[name=rationale]").fill("The appeal reviewer must be independent.")
        journey.check(stakeholder, "ballot")
        ballot.locator("button[type=submit]").click()
        expect(stakeholder.locator(".message-success")).to_be_visible()
        objection = Objection.objects.get(round=open_round, state="open")

        # The facilitator invites people to the process, then closes the round, sees the next
        # steps, answers, and declares.
        host = journey.person("facilitator@example.org")
        host.goto("/processes/demo/invitations/")
        host.locator("textarea[name=emails]").fill("newcomer@example.net")
        host.locator("form[action='/processes/demo/invitations/'] button").click()
        expect(host.locator("#main")).to_contain_text("newcomer@example.net")
        journey.check(host, "invitations")
        host.goto(round_url)
        host.locator(f"form[action='{round_url}close/']").locator("xpath=..").locator(
            "summary"
        ).click()
        host.locator(f"form[action='{round_url}close/'] button").click()
        expect(host.locator("#next-steps")).to_be_visible()
        expect(host.locator(f"#next-steps a[href='{round_url}objections/']")).to_be_visible()
        journey.check(host, "close-out")
        host.goto(f"{round_url}result/")
        expect(
            host.locator(f"#open-objections a[href$='#objection-{objection.pk}']")
        ).to_be_visible()
        host.locator(f"#open-objections a[href$='#objection-{objection.pk}']").click()
        entry = host.locator(f"#objection-{objection.pk}")
        entry.locator(f"textarea[name='address-{objection.pk}-reason']").fill(
            "Section 4 names an independent panel."
        )
        entry.locator(f"form[action$='/{objection.pk}/address/'] button").click()
        expect(host.locator(".message-success")).to_be_visible()
        host.goto(f"{round_url}result/")
        expect(host.locator("input[name=over_open_objections]")).to_have_count(0)
        computed = Outcome.objects.get(round=open_round).computed_designation
        host.locator(f"input[name=designation][value={computed}]").check()
        journey.check(host, "declare")
        host.locator("form[action$='/result/declare/'] button[type=submit]").click()
        expect(host.locator(".message-success")).to_be_visible()
        assert Outcome.objects.get(round=open_round).declared
        assert Outcome.objects.get(round=open_round).figures["open_objections"] == 0

        # The objector is told their objection was answered, on their home.
        objector = User.objects.get(email=objector_email)
        assert Notification.objects.filter(
            user=objector, title__startswith="Your objection was answered"
        ).exists()
        stakeholder.goto("/me/")
        with translation.override(language):
            answered = (gettext("Your objection was answered: %s") % "").rstrip()
        expect(stakeholder.locator("#main")).to_contain_text(answered)
        journey.check(stakeholder, "objector-told")

        # The admin: the moderation queue and the public log.
        admin = journey.person("admin@example.org")
        admin.goto("/moderation/log/")
        journey.check(admin, "moderation-log")
        admin.goto("/record/")
        journey.check(admin)
    finally:
        journey.close()
