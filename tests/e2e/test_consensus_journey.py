"""A round from opening to declaration in the browser, with objections addressed and carried."""

import json
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from consensus.models import Objection, Round
from deliberation import services as deliberation
from record.selectors import audit_chain_break
from tests.consensus.conftest import make_scene
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _cast(page: Page, round_url: str, position: str, rationale: str = "") -> None:
    page.goto(round_url)
    page.get_by_role("radio", name=re.compile(f"^{position} —")).check()
    page.get_by_label("Why (required for an objection)").fill(rationale)
    page.get_by_role("button", name=re.compile("^(Cast|Change) my ballot$")).click()
    expect(page.get_by_role("status")).to_contain_text("Your ballot is")


def test_round_objections_carry_over_and_declaration(new_page: Callable[[], Page]) -> None:
    scene = make_scene()
    people = {
        group: scene.person(group)
        for group in ("government", "civil_society", "academia", "technical_community")
    }
    host = new_page()
    sign_in(host, scene.facilitator.email)

    host.goto(scene.proposal.get_absolute_url())
    host.get_by_role("link", name="Start a consensus round on version 1").click()
    host.get_by_role("button", name="Create the round").click()
    host.get_by_text("Open the round…").click()
    host.get_by_role("button", name="Yes, open the round").click()
    expect(host.get_by_role("status")).to_contain_text("The round is open")
    round_url = host.url
    first_round = Round.objects.get()

    pages = {}
    for group, person in people.items():
        pages[group] = new_page()
        sign_in(pages[group], person.email)
    _cast(pages["government"], round_url, "Support")
    _cast(pages["government"], round_url, "Accept")
    _cast(pages["civil_society"], round_url, "Object", "There is no appeal for registrants.")
    _cast(pages["academia"], round_url, "Object", "Clause 2 is too vague to implement.")
    _cast(pages["technical_community"], round_url, "Object", "The 48-hour window is unrealistic.")

    civil, academic, technical = (
        Objection.objects.get(objector=people[g])
        for g in ("civil_society", "academia", "technical_community")
    )
    deliberation.version_publish(actor=scene.facilitator, proposal=scene.proposal, text="Version 2")
    deliberation.version_publish(
        actor=scene.facilitator, proposal=scene.proposal, text="Version 3, clause 2 precise"
    )
    host.goto(f"{round_url}objections/")
    host.locator(f"#objection-{civil.pk}").get_by_label("Written reason (public)").first.fill(
        "Appeals are out of scope; see charter."
    )
    host.locator(f"#objection-{civil.pk}").get_by_role("button", name="Mark addressed").click()
    expect(host.get_by_role("status")).to_contain_text("addressed")
    box = host.locator(f"#objection-{academic.pk}")
    box.get_by_label("The version that accommodates it").select_option(label="Version 3")
    box.get_by_label("Written reason (public)").nth(1).fill("Clause 2 now names the procedure.")
    box.get_by_role("button", name="Mark accommodated").click()
    expect(host.get_by_role("status")).to_contain_text("accommodated in version 3")

    host.goto(round_url)
    expect(host.get_by_role("alert")).to_contain_text("have no ballot yet")
    host.get_by_text("Close the round now…").click()
    host.get_by_role("button", name="Yes, close the round now").click()
    expect(host.locator("#next-steps")).to_contain_text("Answer the open objection in the register")
    host.get_by_role("link", name="Declare the outcome on the result page").click()
    expect(host.locator(".designation").first).to_have_text("Divergence")
    expect(host.locator("#open-objections")).to_contain_text("The 48-hour window is unrealistic.")
    host.get_by_role("radio", name="Divergence").check()
    host.get_by_role("button", name="Declare on the record").click()
    expect(host.get_by_role("alert").first).to_contain_text("Objections are still open")
    host.get_by_label("Declare although these objections are still open").check()
    host.get_by_role("button", name="Declare on the record").click()
    expect(host.get_by_role("status")).to_contain_text("declared")
    screenshot(host, "result")

    host.goto(f"{scene.proposal.get_absolute_url()}v/3/")
    host.get_by_role("link", name="Start a consensus round on version 3").click()
    host.get_by_role("button", name="Create the round").click()
    host.get_by_text("Open the round…").click()
    host.get_by_role("button", name="Yes, open the round").click()
    second_url = host.url
    carried = Objection.objects.get(round__pk__gt=first_round.pk)
    assert carried.carried_from == technical
    tech = pages["technical_community"]
    tech.goto(f"{second_url}objections/")
    expect(tech.locator(f"#objection-{carried.pk}")).to_contain_text("Carried over")
    tech.get_by_label("No, my objection stands").check()
    tech.get_by_role("button", name="Answer").click()
    expect(tech.get_by_role("status")).to_contain_text("answer is recorded")

    host.goto(f"{round_url}record/")
    for action in (
        "round.open",
        "objection.addressed",
        "objection.accommodated",
        "round.close",
        "outcome.declare",
    ):
        expect(host.locator("main")).to_contain_text(action)
    exported = json.loads(host.request.get(f"{round_url}export.json").text())
    assert {o["state"] for o in exported["objections"]} == {"addressed", "accommodated", "open"}
    assert exported["outcome"]["declared_designation"] == "divergence"
    assert audit_chain_break() is None
