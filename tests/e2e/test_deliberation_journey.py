"""A facilitator opens a process; a stakeholder joins, opens an issue, comments; versions diff."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from deliberation.models import Process, Visibility
from stakeholders.models import StakeholderGroup
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import AffiliationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_process_issue_comment_proposal_and_diff(new_page: Callable[[], Page]) -> None:
    facilitator = UserFactory.create(email="femi@example.org", is_facilitator=True)
    AffiliationFactory.create(user=facilitator, primary=True, organisation="Secretariat")
    amina = UserFactory.create(email="amina@example.org", display_name="Amina")
    AffiliationFactory.create(
        user=amina,
        primary=True,
        organisation="KICTANet",
        stakeholder_group=StakeholderGroup.CIVIL_SOCIETY,
    )

    host = new_page()
    sign_in(host, "femi@example.org")
    host.goto("/processes/new/")
    host.get_by_label("Title").fill("National IGF on ccTLD policy")
    host.get_by_label("Description").fill("How should the national ccTLD be run?")
    host.get_by_role("button", name="Create process").click()
    expect(host.get_by_role("heading", level=1)).to_have_text("National IGF on ccTLD policy")
    slug = Process.objects.get(title="National IGF on ccTLD policy").slug

    page = new_page()
    sign_in(page, "amina@example.org")
    page.goto(f"/processes/{slug}/")
    page.get_by_label("Take part wearing this hat").select_option(label="KICTANet — Civil society")
    page.get_by_role("button", name="Join this process").click()
    expect(page.get_by_role("status")).to_contain_text("You take part")
    page.get_by_role("link", name="Open an issue").click()
    page.get_by_label("Title").fill("Who runs the registry?")
    page.get_by_label("Framing").fill("Today the **registry** is run by a university lab.")
    page.get_by_role("button", name="Open issue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who runs the registry?")

    page.get_by_label("Your comment").fill(
        "A *multistakeholder* board, please. <script>alert('x')</script>"
    )
    page.get_by_role("button", name="Post comment").click()
    comment = page.locator("article.comment").first
    expect(comment.locator("em a.term-link")).to_have_text("multistakeholder")
    expect(comment).to_contain_text("<script>alert('x')</script>")
    expect(comment.locator("a.term-link").first).to_have_attribute(
        "href", re.compile("#multistakeholder")
    )
    issue_url = page.url.split("#")[0]

    host.goto(issue_url)
    host.get_by_role("link", name="Write a proposal").click()
    host.get_by_label("Title").fill("A board for the registry")
    host.get_by_label("Proposed text").fill(
        "A board with one seat per stakeholder group runs the registry."
    )
    host.get_by_label("Plain-language summary").fill("Everyone gets a seat.")
    host.get_by_role("button", name="Publish version 1").click()
    host.get_by_role("link", name="Publish a new version").click()
    host.get_by_label("New text").fill(
        "A board with two seats per stakeholder group runs the registry, and publishes its minutes."
    )
    host.get_by_label("What changed, and why").fill("Two seats each; minutes published.")
    host.get_by_role("button", name="Publish this version").click()
    expect(host.get_by_text("Version 2, published")).to_be_visible()

    anonymous = new_page()
    anonymous.goto(host.url)
    anonymous.get_by_role("button", name="Show the changes").click()
    expect(anonymous.locator(".diff del").first).to_contain_text("one")
    expect(anonymous.locator(".diff ins").first).to_contain_text("two")
    expect(anonymous.locator(".diff ins").last).to_contain_text("publishes its minutes")
    screenshot(anonymous, "diff")
    anonymous.goto(issue_url)
    expect(anonymous.locator("#comment-form")).to_have_count(0)
    expect(anonymous.get_by_role("link", name="Sign in").last).to_be_visible()
    screenshot(anonymous, "issue")

    Process.objects.filter(slug=slug).update(visibility=Visibility.MEMBERS)
    anonymous.goto("/")
    response = anonymous.goto(issue_url)
    assert response is not None
    assert response.status == 404
