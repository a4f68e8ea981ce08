"""A facilitator sees who is missing; a participant asks for support; the grant shows on balance."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from deliberation import services
from stakeholders.models import StakeholderGroup
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import AffiliationFactory, ProcessFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_balance_alert_support_request_and_grant(new_page: Callable[[], Page]) -> None:
    facilitator = UserFactory.create(
        email="femi@example.org", display_name="Femi", is_facilitator=True
    )
    AffiliationFactory.create(user=facilitator, primary=True, organisation="Secretariat")
    process = ProcessFactory.create(
        title="Regional IGF on connectivity",
        slug="regional-igf",
        created_by=facilitator,
        expected_groups=[StakeholderGroup.GOVERNMENT, StakeholderGroup.CIVIL_SOCIETY],
        support_budget=Decimal(1000),
    )
    amina = UserFactory.create(email="amina@example.org", display_name="Amina", country="KE")
    hat = AffiliationFactory.create(
        user=amina, primary=True, organisation="KICTANet", stakeholder_group="civil_society"
    )
    services.participation_join(actor=amina, process=process, affiliation=hat)
    issue = services.issue_create(
        actor=amina, process=process, title="Rural access", body="Who pays for the last mile?"
    )
    services.comment_create(actor=amina, issue=issue, body="Community networks, with spectrum.")

    host = new_page()
    sign_in(host, "femi@example.org")
    host.goto("/processes/regional-igf/")
    host.get_by_role("link", name="Balance of participation").click()
    expect(host.get_by_role("heading", level=1)).to_have_text("Balance of participation")
    alerts = host.locator("section[aria-labelledby=alerts-title]")
    expect(alerts).to_contain_text("No government participant has taken part yet.")
    expect(host.get_by_text("No support has been granted yet.")).to_be_visible()
    host.get_by_role("button", name="Take a snapshot now").click()
    expect(host.get_by_role("status")).to_contain_text("A new balance snapshot was taken.")
    expect(host.locator("svg.line-chart")).to_be_visible()
    screenshot(host, "balance")

    page = new_page()
    sign_in(page, "amina@example.org")
    page.goto("/processes/regional-igf/")
    page.get_by_role("link", name="Participation support").click()
    page.get_by_label("Travel").check()
    page.get_by_label("What you need, and why").fill("A bus ticket and two nights in Nairobi.")
    page.get_by_label("Amount requested").fill("400")
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("status")).to_contain_text("Your request was sent")
    expect(page.get_by_role("table")).to_contain_text("Waiting for a decision")

    host.goto("/processes/regional-igf/support/")
    request = host.locator("li.card", has_text="Amina")
    expect(request).to_contain_text("A bus ticket and two nights in Nairobi.")
    request.get_by_label("Amount to grant").fill("300")
    request.get_by_role("button", name="Grant").click()
    expect(host.get_by_role("status")).to_contain_text("The request is granted")
    screenshot(host, "support-queue")

    host.goto("/processes/regional-igf/balance/")
    expect(host.get_by_text("granted 300.00 in 1 request; 700.00 left.")).to_be_visible()
    by_group = host.get_by_role("table", name="Support granted by stakeholder group")
    expect(by_group).to_contain_text("Civil society")
    expect(by_group).to_contain_text("300.00")

    page.goto("/processes/regional-igf/support/")
    expect(page.get_by_role("table")).to_contain_text("300.00 granted")
    page.goto("/me/notifications/")
    expect(page.get_by_text("Your request for travel support was granted: 300.00")).to_be_visible()
