"""A facilitator invites someone to a members-only process by e-mail; the invitee follows the link
from the mail, signs in, comes back to the invitation and joins with one click."""

import re
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.mail import EmailMessage as DjangoMail
from playwright.sync_api import Page, expect

from deliberation.models import Participation, Visibility
from tests.e2e.conftest import screenshot, sign_in
from tests.e2e.test_accessibility import SERIOUS
from tests.factories import PASSWORD, AffiliationFactory, ProcessFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_serious_violation(page: Page) -> None:
    serious = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in SERIOUS]
    assert serious == [], serious


def test_an_invitation_by_e_mail_lands_on_joining(
    new_page: Callable[[], Page], mailoutbox: list[DjangoMail]
) -> None:
    process = ProcessFactory.create(
        title="Closed working group on DNS abuse", visibility=Visibility.MEMBERS
    )
    host_user = process.created_by
    host_user.display_name = "Femi Facilitator"
    host_user.save()
    invitee = UserFactory.create(email="kofi@example.org", display_name="Kofi")
    AffiliationFactory.create(user=invitee, primary=True, organisation="Ghana NIC")

    host = new_page()
    sign_in(host, host_user.email)
    host.goto(process.get_absolute_url())
    host.get_by_role("link", name="Invite people by e-mail").click()
    expect(host.get_by_role("heading", level=1)).to_have_text("Invitations")
    host.get_by_label("E-mail addresses").fill("kofi@example.org\nnot-an-address")
    host.get_by_role("button", name="Send the invitations").click()
    expect(host.get_by_role("alert").first).to_contain_text("not an e-mail address: not-an-address")
    host.get_by_label("E-mail addresses").fill("Kofi@example.org, kofi@example.org")
    host.get_by_role("button", name="Send the invitations").click()
    expect(host.get_by_role("status").first).to_contain_text("1 invitation is on its way")
    expect(host.locator("table.data")).to_contain_text("kofi@example.org")
    _no_serious_violation(host)
    screenshot(host, "invitations")

    (message,) = [m for m in mailoutbox if m.to == ["kofi@example.org"]]
    assert "Femi Facilitator" in message.subject
    found = re.search(r"https?://\S+(/invitations/\S+/)", str(message.body))
    assert found is not None, message.body
    link = found.group(1)

    guest = new_page()
    guest.goto(link)
    expect(guest.get_by_role("heading", level=1)).to_contain_text(process.title)
    expect(guest.get_by_text("Femi Facilitator invites you to take part")).to_be_visible()
    _no_serious_violation(guest)
    guest.locator("#main").get_by_role("link", name="Sign in", exact=True).click()
    guest.get_by_label("Email").fill("kofi@example.org")
    guest.get_by_label("Password").fill(PASSWORD)
    guest.get_by_role("button", name="Sign In").click()
    join = guest.get_by_role("button", name=f"Join “{process.title}”")
    expect(join).to_be_visible()
    screenshot(guest, "invitation")
    join.click()
    expect(guest.get_by_role("status").first).to_contain_text("Welcome: you take part")
    expect(guest.get_by_role("heading", level=1)).to_have_text(process.title)
    assert Participation.objects.filter(process=process, user=invitee).exists()

    host.reload()
    expect(host.locator("table.data")).to_contain_text("Accepted")
