"""Taking part by e-mail in the browser: the settings page, then a ballot e-mailed over real SMTP
and confirmed from the link in the answer."""

import re
import smtplib
from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.mail import EmailMessage as DjangoMail
from playwright.sync_api import Page, expect

from bench.stack import free_port
from consensus.models import Ballot
from stakeholders.inbound.models import MailPreference
from stakeholders.inbound.smtp import controller
from tests.consensus.conftest import make_scene
from tests.e2e.conftest import screenshot, sign_in
from tests.e2e.test_accessibility import SERIOUS
from tests.stakeholders.mail_helpers import confirmation_path, mail_to, reply, reply_address

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_ballot_by_email_is_confirmed_in_the_browser(
    new_page: Callable[[], Page], mailoutbox: list[DjangoMail]
) -> None:
    scene = make_scene()
    voter = scene.person("civil_society")
    page = new_page()
    sign_in(page, voter.email)
    page.goto("/me/notifications/email/")
    expect(page.get_by_role("heading", name="Taking part by e-mail")).to_be_visible()
    page.get_by_label(re.compile("^Count the ballots I send by e-mail at once")).check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status").first).to_contain_text("Your e-mail settings were saved")
    assert MailPreference.objects.get(user=voter).immediate_ballots

    round_ = scene.open_round()
    announcement = mail_to(mailoutbox, voter, "consensus round is open")
    port = free_port()
    listener = controller(host="127.0.0.1", port=port)
    listener.start()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.sendmail(
                voter.email,
                [reply_address(announcement)],
                reply(announcement, sender=voter.email, text="Object\nThere is no appeal."),
            )
    finally:
        listener.stop()
    # Opted in, but no authenticated mail server vouched for the message: a link is needed.
    assert not Ballot.objects.filter(round=round_).exists()
    path = confirmation_path(mail_to(mailoutbox, voter, "Confirm your ballot"))

    link = new_page()  # the link works without signing in: it is the credential
    link.goto(path)
    expect(link.get_by_role("heading", name="Confirm your ballot")).to_be_visible()
    expect(link.get_by_text("There is no appeal.")).to_be_visible()
    screenshot(link, "email-ballot-confirm")
    serious = [v["id"] for v in Axe().run(link).response["violations"] if v["impact"] in SERIOUS]
    assert serious == [], serious
    link.get_by_role("button", name="Confirm and count my ballot").click()
    expect(link.get_by_role("status").first).to_contain_text("Your ballot counts")
    ballot = Ballot.objects.get(round=round_, current=True)
    assert (ballot.user, ballot.position) == (voter, "object")
