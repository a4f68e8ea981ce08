"""A suspended person reads, signs in and out and appeals, but every write is refused in one place,
web forms and API alike (the authorization matrix checks every route; these are the probe's)."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from stakeholders import services
from stakeholders.models import User
from tests.factories import AffiliationFactory, ModerationActionFactory, UserFactory
from tests.support.clients import signed_in, signed_in_api
from trust.models import Appeal, Commitment, Endorsement

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspended() -> User:
    person = UserFactory.create(display_name="Before")
    AffiliationFactory.create(user=person, primary=True, organisation="Old org")
    admin = UserFactory.create(is_staff=True)
    services.standing_set(
        actor=admin, user=person, level="suspended", until=timezone.now() + timedelta(days=7)
    )
    return person


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/commitments/new/", {"text": "We publish the minutes", "due_on": "2031-01-01"}),
        ("/me/interests/", {"funding_sources": "Nobody", "interests": "None"}),
        ("/me/profile/", {"display_name": "After", "country": "KE", "funding": "self_funded",
                          "attribution": "named"}),
        ("/me/hats/", {"organisation": "New org", "stakeholder_group": "academia"}),
    ],
)  # fmt: skip
def test_web_forms_refuse_a_suspended_person(suspended: User, path: str, data: Any) -> None:
    answer = signed_in(suspended).post(path, data)
    assert answer.status_code == 403
    assert "Not allowed while suspended" in answer.content.decode()


def test_nothing_a_suspended_person_posts_is_stored(suspended: User) -> None:
    web = signed_in(suspended)
    other = UserFactory.create()
    hat = suspended.affiliations.get()
    web.post("/commitments/new/", {"text": "Promise", "due_on": "2031-01-01"})
    web.post(f"/stakeholders/{other.pk}/endorse/", {"note": "Trustworthy"})
    web.post(
        f"/me/hats/{hat.pk}/edit/", {"organisation": "Changed", "stakeholder_group": "academia"}
    )
    web.post(f"/me/hats/{hat.pk}/end/")
    web.post(
        "/me/profile/", {"display_name": "After", "funding": "self_funded", "attribution": "named"}
    )
    assert not Commitment.objects.exists()
    assert not Endorsement.objects.exists()
    hat.refresh_from_db()
    suspended.refresh_from_db()
    assert (hat.organisation, hat.ended_on, suspended.display_name) == ("Old org", None, "Before")
    assert not suspended.statements_of_interest.exists()


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("patch", "/api/v1/stakeholders/me/", {"display_name": "After"}),
        ("post", "/api/v1/stakeholders/me/interests/", {"funding_sources": "x", "interests": "y"}),
        ("post", "/api/v1/affiliations/", {"organisation": "X", "stakeholder_group": "academia"}),
        ("post", "/api/v1/commitments/", {"text": "Promise", "due": "2031-01-01"}),
    ],
)
def test_the_api_refuses_a_suspended_person(
    suspended: User, method: str, path: str, data: Any
) -> None:
    answer = getattr(signed_in_api(suspended), method)(path, data, format="json")
    assert answer.status_code == 403
    assert "suspended" in answer.json()["detail"]


def test_a_suspended_person_still_appeals_reads_and_signs_out(suspended: User) -> None:
    action = ModerationActionFactory.create(subject=suspended)
    web = signed_in(suspended)
    assert web.get("/commitments/").status_code == 200
    assert web.post("/me/notifications/").status_code == 302
    appealed = signed_in_api(suspended).post(
        f"/api/v1/moderation/actions/{action.pk}/appeal/",
        {"text": "I was quoted out of context"},
        format="json",
    )
    assert appealed.status_code == 201, appealed.json()
    assert Appeal.objects.filter(action=action).exists()
    assert web.post("/accounts/logout/").status_code == 302


def test_a_token_that_outlived_the_suspension_reads_but_cannot_write(suspended: User) -> None:
    token = Token.objects.create(user=suspended)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/stakeholders/me/").status_code == 200
    refused = client.patch("/api/v1/stakeholders/me/", {"display_name": "After"}, format="json")
    assert refused.status_code == 403
    assert "suspended" in refused.json()["detail"]
