"""A stakeholder makes a commitment, two others attest it, an admin recomputes; an endorsement
through the profile button changes the score after the next recomputation."""

import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from stakeholders.models import User
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import AffiliationFactory, UserFactory
from trust.models import Commitment
from trust.selectors import latest_score

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _person(name: str, email: str, **extra: object) -> User:
    user = UserFactory.create(display_name=name, email=email, **extra)
    AffiliationFactory.create(user=user, primary=True, verified_at=timezone.now())
    return user


def _signed_in(new_page: Callable[[], Page], user: User) -> Page:
    page = new_page()
    sign_in(page, user.email)
    return page


def test_commitment_attestations_and_endorsement_change_trust(
    new_page: Callable[[], Page],
) -> None:
    amina = _person("Amina Odhiambo", "amina@example.org")
    kenji = _person("Kenji Watanabe", "kenji@example.org")
    olena = _person("Olena Kovalenko", "olena@example.org")
    lucia = _person("Lucía Fernández", "lucia@example.org")
    _person("Ada Admin", "ada@example.org", is_staff=True)

    author = _signed_in(new_page, amina)
    author.goto("/commitments/new/")
    author.get_by_label("What you commit to").fill(
        "We will publish the consultation minutes in English and French."
    )
    author.get_by_label("Due date").fill(timezone.localdate().isoformat())
    author.get_by_role("button", name="Record my commitment").click()
    expect(author.get_by_role("status")).to_contain_text("Your commitment is recorded")
    commitment = Commitment.objects.get(author=amina)
    assert commitment.is_due()

    for attester, verdict, evidence in (
        (kenji, "Kept", "Both versions are on the ministry's website."),
        (olena, "Partly kept", "The French version came out a month late."),
    ):
        page = _signed_in(new_page, attester)
        page.goto("/commitments/")
        page.get_by_role("link", name=re.compile("consultation minutes")).click()
        page.get_by_label(verdict, exact=True).check()
        page.get_by_label("Evidence").fill(evidence)
        page.get_by_role("button", name="Publish my attestation").click()
        expect(page.get_by_role("status")).to_contain_text("your attestation is published")
    author.reload()
    author.get_by_label("Your reply to Olena Kovalenko").fill("The translators were late.")
    author.get_by_role("button", name="Publish reply — Olena Kovalenko").click()
    expect(author.get_by_role("status")).to_contain_text("Your reply is published")
    screenshot(author, "commitment")

    admin = _signed_in(new_page, User.objects.get(email="ada@example.org"))
    admin.goto("/staff/trust/")
    admin.get_by_role("button", name="Recompute trust now").click()
    expect(admin.get_by_role("status")).to_contain_text("Trust recomputed for 5 stakeholders")

    visitor = new_page()
    visitor.goto(f"/stakeholders/{amina.pk}/")
    visitor.get_by_role("link", name="How trust is computed, and who endorses").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Trust of Amina Odhiambo")
    record = visitor.get_by_role("region", name="Commitment record")
    expect(record).to_contain_text("2 in all: 1 kept, 1 partly kept, 0 broken")
    expect(record).to_contain_text("(weighted sum + 1) ÷ (total weight + 2)")
    expect(visitor.locator("main")).to_contain_text("never weighs a ballot")
    expect(visitor.get_by_role("region", name="Endorsement trust")).to_contain_text(
        "Trust starts with the 5 stakeholders whose hat an admin has verified"
    )
    screenshot(visitor, "trust")
    before = latest_score(amina)
    assert before is not None and before.commitment_record > 0.5

    endorser = _signed_in(new_page, lucia)
    endorser.goto(f"/stakeholders/{amina.pk}/")
    endorser.get_by_label("Note (optional, public)").fill("Kept her word at the last forum.")
    endorser.get_by_role("button", name="I trust this stakeholder's good faith").click()
    expect(endorser.get_by_role("status")).to_contain_text("You endorse Amina Odhiambo")
    expect(endorser.get_by_role("button", name="Withdraw my endorsement")).to_be_visible()

    admin.goto(f"/stakeholders/{amina.pk}/trust/")
    expect(admin.get_by_role("region", name="Who endorses this stakeholder")).to_contain_text(
        "Lucía Fernández"
    )
    admin.get_by_role("button", name="Recompute trust now").click()
    expect(admin.get_by_role("status")).to_contain_text("Trust recomputed")
    after = latest_score(amina)
    assert after is not None and after.computation_id != before.computation_id
    assert after.endorsement_trust > before.endorsement_trust
    assert after.percentile > before.percentile
    expect(admin.get_by_role("region", name="Endorsement trust")).to_contain_text(
        "Endorsed by 1 stakeholder"
    )
