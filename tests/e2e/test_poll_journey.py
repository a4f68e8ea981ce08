"""A facilitator opens a poll; a stakeholder votes from the keyboard with JavaScript off and
writes a statement; the facilitator moderates it; the map appears after the recomputation; the
facilitator imports a Pol.is export from the page and sees its map."""

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from consensus.polls import services
from consensus.polls.models import Poll, Statement
from deliberation import services as deliberation
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import AffiliationFactory, ProcessFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "polis" / "15-per-hour-seattle"
GROUPS = ["government", "private_sector", "civil_society", "academia"]


def test_poll_vote_moderate_map_and_import(
    browser: Browser, live_server: object, new_page: Callable[[], Page], tmp_path: Path
) -> None:
    facilitator = UserFactory.create(
        email="femi@example.org", display_name="Femi", is_facilitator=True
    )
    AffiliationFactory.create(user=facilitator, primary=True, organisation="Secretariat")
    process = ProcessFactory.create(
        title="Regional IGF", slug="regional-igf", created_by=facilitator
    )
    people = []
    for n, group in enumerate(GROUPS * 2):
        person = UserFactory.create(email=f"p{n}@example.org", display_name=f"Person {n}")
        AffiliationFactory.create(user=person, primary=True, stakeholder_group=group)
        deliberation.participation_join(actor=person, process=process)
        people.append(person)

    host = new_page()
    sign_in(host, "femi@example.org")
    host.goto("/processes/regional-igf/")
    host.get_by_role("link", name="Statement polls").click()
    host.get_by_label("Question").fill("How should the forum meet next year?")
    host.get_by_label("Seed statements").fill(
        "Meet online only\nRotate between regions\nFund travel for the global South"
    )
    host.get_by_role("button", name="Open the poll").click()
    expect(host.get_by_role("status")).to_contain_text("The poll is open.")
    poll = Poll.objects.get()

    # The stakeholder has JavaScript off and uses the keyboard.
    context = browser.new_context(
        base_url=str(live_server), locale="en-GB", java_script_enabled=False
    )
    voter = context.new_page()
    sign_in(voter, "p0@example.org")
    voter.goto(f"/processes/regional-igf/polls/{poll.pk}/")
    expect(voter.locator("#statement-text")).to_have_text("Meet online only")
    voter.get_by_role("button", name="Agree", exact=True).focus()
    voter.keyboard.press("Enter")
    expect(voter.locator("#statement-text")).to_have_text("Rotate between regions")
    voter.get_by_role("button", name="Disagree", exact=True).focus()
    voter.keyboard.press("Enter")
    expect(voter.locator("#statement-text")).to_have_text("Fund travel for the global South")
    voter.get_by_role("button", name="Pass / unsure").click()
    expect(voter.get_by_text("You have voted on every statement")).to_be_visible()
    voter.get_by_label("Your statement").fill("Hybrid meetings with remote hubs")
    voter.get_by_role("button", name="Submit the statement").click()
    expect(voter.get_by_role("status")).to_contain_text("waits for the facilitator")
    screenshot(voter, "poll-vote-no-js")

    host.goto(f"/processes/regional-igf/polls/{poll.pk}/")
    queue = host.locator("#moderation")
    expect(queue).to_contain_text("Hybrid meetings with remote hubs")
    queue.get_by_role("button", name="Accept").click()
    expect(host.get_by_role("status")).to_contain_text("The statement is accepted.")

    for n, person in enumerate(people):
        for statement in Statement.objects.filter(poll=poll, moderated=1):
            camp = 1 if n % 2 else -1
            vote = camp if statement.pk % 2 else -camp
            if "Fund travel" in statement.text:
                vote = 1
            services.vote_cast(actor=person, statement=statement, value=vote)
    services.opinion_compute(poll=poll)  # what the debounced task does within a minute

    voter.goto(f"/processes/regional-igf/polls/{poll.pk}/map/")
    expect(voter.locator("svg.opinion-svg")).to_be_visible()
    expect(voter.get_by_role("heading", name="Consensus statements")).to_be_visible()
    expect(voter.locator(".consensus-statements")).to_contain_text(
        "Fund travel for the global South"
    )
    expect(voter.get_by_text("You: the ringed point")).to_be_visible()
    screenshot(voter, "opinion-map")
    context.close()

    export = tmp_path / "seattle.zip"
    with zipfile.ZipFile(export, "w") as archive:
        for path in SAMPLE.iterdir():
            archive.write(path, f"15-per-hour-seattle/{path.name}")
    host.goto("/processes/regional-igf/polls/")
    host.get_by_label("Pol.is export (.zip)").set_input_files(str(export))
    host.get_by_role("button", name="Import").click()
    expect(host.get_by_role("status")).to_contain_text("The Pol.is conversation is imported.")
    host.get_by_role("link", name="See the opinion map").click()
    expect(host.locator("svg.opinion-svg")).to_be_visible()
    expect(
        host.get_by_role("heading", name="Opinion groups and what sets them apart")
    ).to_be_visible()
    screenshot(host, "opinion-map-imported")
