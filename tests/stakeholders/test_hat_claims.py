"""A verified hat stays verified only while it claims what the admin checked: changing whom it
speaks for or its mandate clears the verification, on the page and through the API."""

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from stakeholders.models import Affiliation, User
from tests.factories import AffiliationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hat(user: User) -> Affiliation:
    return AffiliationFactory.create(
        user=user,
        primary=True,
        legitimacy_claim="The members of our association",
        mandate_url="https://example.org/charter",
        verified_by=UserFactory.create(is_staff=True),
        verified_at=timezone.now(),
    )


def _form(hat: Affiliation, **changes: str) -> dict[str, str]:
    fields = ("organisation", "stakeholder_group", "role", "legitimacy_claim", "mandate_url")
    return {**{name: getattr(hat, name) for name in fields}, **changes}


def test_changing_whom_a_hat_speaks_for_on_the_page_clears_its_verification(
    user: User, hat: Affiliation
) -> None:
    web = Client()
    web.force_login(user)
    web.post(f"/me/hats/{hat.pk}/edit/", _form(hat))
    hat.refresh_from_db()
    assert hat.verified
    web.post(f"/me/hats/{hat.pk}/edit/", _form(hat, legitimacy_claim="The whole Internet"))
    hat.refresh_from_db()
    assert not hat.verified
    assert hat.verified_by is None


def test_changing_the_mandate_through_the_api_clears_its_verification(
    user: User, hat: Affiliation
) -> None:
    api = APIClient()
    api.force_authenticate(user)
    answer = api.patch(
        f"/api/v1/affiliations/{hat.pk}/",
        {"mandate_url": "https://example.org/another-charter"},
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json()["verified"] is False
