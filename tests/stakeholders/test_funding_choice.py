"""Participation funding is chosen by the person, never preselected: a new account has none, the
profile ticks nothing in advance and says so when nothing was chosen (tests/consensus/
test_support_funding.py: the balance and support requests)."""

import re

import pytest
from django.test import Client
from rest_framework.test import APIClient

from stakeholders.models import Funding, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHECKED_FUNDING = re.compile(
    r'<input[^>]*name="funding"[^>]*checked|<input[^>]*checked[^>]*name="funding"'
)


def _newcomer() -> User:
    """An account as sign-up makes it: only an e-mail address and a password."""
    return User.objects.create_user("newcomer@example.org", "a long pass phrase 42")


def test_a_new_account_has_no_funding_and_the_profile_ticks_none(client: Client) -> None:
    newcomer = _newcomer()
    assert newcomer.funding == ""
    client.force_login(newcomer)
    page = client.get("/me/profile/").content.decode()
    assert page.count('name="funding"') == len(Funding.values)
    assert not CHECKED_FUNDING.search(page), "no funding answer is ticked in advance"

    refused = client.post(
        "/me/profile/", {"display_name": "New", "attribution": "named", "country": "KE"}
    )
    assert refused.status_code == 200
    assert "Choose how your participation is funded" in refused.content.decode()
    newcomer.refresh_from_db()
    assert (newcomer.display_name, newcomer.funding) == ("", "")

    saved = client.post(
        "/me/profile/", {"display_name": "New", "attribution": "named", "funding": "sponsored"}
    )
    assert saved.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.funding == Funding.SPONSORED
    again = client.get("/me/profile/").content.decode()
    assert re.search(r'<input[^>]*value="sponsored"[^>]*checked', again), "the person's own answer"


def test_the_api_takes_an_answer_but_never_an_empty_one(api_client: APIClient) -> None:
    newcomer = _newcomer()
    api_client.force_authenticate(newcomer)
    assert api_client.get("/api/v1/stakeholders/me/").json()["funding"] == ""
    empty = api_client.patch("/api/v1/stakeholders/me/", {"funding": ""}, format="json")
    assert empty.status_code == 400 and "funding" in empty.json()
    answer = api_client.patch("/api/v1/stakeholders/me/", {"funding": "unfunded"}, format="json")
    assert answer.status_code == 200 and answer.json()["funding"] == "unfunded"


def test_people_made_by_the_factories_have_said_how_they_are_funded() -> None:
    assert UserFactory.create().funding == Funding.SELF_FUNDED
