"""A stakeholder reports a comment; an admin opens the case, warns privately, later suspends for
seven days; the suspended user can read but not vote, and appeals; another admin decides; the
public log shows it all."""

from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from consensus.models import Ballot
from deliberation import services as deliberation
from tests.consensus.conftest import make_scene
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import UserFactory
from trust.models import Appeal, ModerationAction

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_report_case_warning_suspension_appeal_and_log(new_page: Callable[[], Page]) -> None:
    scene = make_scene()
    troll = scene.person("private_sector")
    troll.display_name = "Tomas Troll"
    troll.save(update_fields=["display_name"])
    reporter = scene.person("civil_society")
    issue = scene.proposal.issue
    deliberation.comment_create(
        actor=troll, issue=issue, body="Anyone who disagrees with me is a paid liar."
    )
    round_ = scene.open_round()
    UserFactory.create(email="ada@example.org", display_name="Ada Admin", is_staff=True)
    UserFactory.create(email="bo@example.org", display_name="Bo Admin", is_staff=True)
    issue_url = f"/processes/{scene.process.slug}/issues/{issue.pk}/"

    page = new_page()
    sign_in(page, reporter.email)
    page.goto(issue_url)
    page.get_by_role("link", name="Report this comment").click()
    page.get_by_label("Why do you report it?").fill("Calls everyone who disagrees a paid liar.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status")).to_contain_text("your report is with the admins")

    ada = new_page()
    sign_in(ada, "ada@example.org")
    ada.goto("/moderation/")
    ada.get_by_role("link", name="#").first.click()
    expect(ada.get_by_role("heading", level=1)).to_contain_text("Tomas Troll")
    expect(ada.locator("main")).to_contain_text("paid liar")
    ada.get_by_label("Step of the ladder").select_option("private_warning")
    ada.get_by_label("Written reason").fill("Please answer arguments, not people.")
    ada.get_by_role("button", name="Record this action").click()
    expect(ada.get_by_role("status")).to_contain_text("Recorded: Private warning")
    ada.get_by_label("Step of the ladder").select_option("suspension")
    ada.get_by_label("Duration in days").fill("7")
    ada.get_by_label("Written reason").fill("Insults continued after a private warning.")
    ada.get_by_role("button", name="Record this action").click()
    expect(ada.get_by_role("status")).to_contain_text("Recorded: Suspension")
    screenshot(ada, "moderation-case")
    suspension = ModerationAction.objects.get(kind="suspension")
    assert suspension.ends_at is not None
    assert 6.9 < (suspension.ends_at - timezone.now()).total_seconds() / 86400 <= 7

    tomas = new_page()
    sign_in(tomas, troll.email)
    tomas.goto(f"/processes/{scene.process.slug}/rounds/{round_.pk}/")
    expect(tomas.locator("main")).to_contain_text("you can read, but not cast a ballot")
    expect(tomas.get_by_role("button", name="Cast my ballot")).to_have_count(0)
    tomas.goto(issue_url)
    expect(tomas.locator("main")).to_contain_text("paid liar")  # reading still works
    tomas.goto("/me/notifications/")
    tomas.get_by_role("link", name="A moderation decision about you: Suspension").click()
    tomas.get_by_label("Your appeal").fill("I was provoked; I apologise and ask for less.")
    tomas.get_by_role("button", name="Appeal").click()
    expect(tomas.get_by_role("status")).to_contain_text("Your appeal is filed")
    assert not Ballot.objects.filter(user=troll).exists()

    bo = new_page()
    sign_in(bo, "bo@example.org")
    bo.goto("/moderation/")
    bo.get_by_role("link", name="Tomas Troll appeals a Suspension").click()
    bo.get_by_label("Upheld: the action stands").check()
    bo.get_by_label("Written answer").fill("The insults are explicit; the suspension stands.")
    bo.get_by_role("button", name="Decide the appeal").click()
    expect(bo.get_by_role("status")).to_contain_text("The appeal is decided")
    assert Appeal.objects.get().decision == "upheld"

    public = new_page()
    public.goto("/moderation/log/")
    log = public.locator("main")
    expect(log).to_contain_text("Tomas Troll")
    expect(log).to_contain_text("note or private warning was given")  # counted, never listed
    expect(log).to_contain_text("Insults continued after a private warning.")
    expect(log).to_contain_text("the suspension stands")
    expect(log).not_to_contain_text("Please answer arguments")  # a private warning's reason
    screenshot(public, "moderation-log")
