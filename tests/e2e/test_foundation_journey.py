"""A newcomer signs up, verifies, fills the profile and adds two hats; an admin verifies one."""

import re
from collections.abc import Callable

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from stakeholders.models import Affiliation, User
from tests.e2e.conftest import screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_signup_profile_hats_and_verification(new_page: Callable[[], Page]) -> None:
    page = new_page()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("equal footing")
    page.get_by_role("link", name="Sign up to take part").click()

    page.get_by_label("Email").fill("amina@example.org")
    page.get_by_label("Password:", exact=True).fill("a-long-and-unusual-passphrase")
    page.get_by_label("Password (again)").fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirm your e-mail address")

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", str(message.body))
    assert link is not None, message.body
    page.goto(link.group(0))
    page.get_by_role("button", name="Yes, this is my address").click()
    expect(page).to_have_url(re.compile(r"/me/$"))

    page.goto("/me/profile/")
    page.get_by_label("Display name").fill("Amina Odhiambo")
    page.get_by_label("Country").select_option("KE")
    page.get_by_label("Self-funded").check()
    page.get_by_label("Show only my stakeholder group and region").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile was saved")

    page.get_by_role("link", name="My hats").click()
    for organisation, group in (
        ("KICTANet", "civil_society"),
        ("University of Nairobi", "academia"),
    ):
        page.get_by_label("Organisation").fill(organisation)
        page.get_by_label("Stakeholder group").select_option(group)
        page.get_by_label("Role").fill("Member")
        page.get_by_role("button", name="Add hat").click()
        expect(page.get_by_role("status")).to_contain_text("Your new hat was added")
    page.get_by_role("button", name="Make primary University of Nairobi").click()
    expect(page.get_by_role("row", name=re.compile("University of Nairobi"))).to_contain_text(
        "primary"
    )
    screenshot(page, "hats")

    amina = User.objects.get(email="amina@example.org")
    assert amina.country == "KE"
    assert Affiliation.objects.get(user=amina, primary=True).organisation == "University of Nairobi"

    visitor = new_page()
    visitor.goto(f"/stakeholders/{amina.pk}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "An academic participant from Africa"
    )
    expect(visitor.locator("main")).not_to_contain_text("Amina")

    UserFactory.create(email="ada@example.org", is_staff=True, display_name="Ada Admin")
    admin = new_page()
    _sign_in(admin, "ada@example.org", PASSWORD)
    admin.goto("/staff/affiliations/")
    admin.get_by_role("button", name=re.compile("Verify KICTANet")).click()
    expect(admin.get_by_role("status")).to_contain_text("Verified KICTANet")
    assert Affiliation.objects.get(organisation="KICTANet").verified

    page.goto(f"/stakeholders/{amina.pk}/")
    expect(page.get_by_role("listitem").filter(has_text="KICTANet")).to_contain_text("verified")
    screenshot(page, "profile")
