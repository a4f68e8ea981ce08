"""Participation funding in the balance and in support requests: a person who has not said how
they are funded counts as "unknown", and a support request asks for it — ticked in advance only
with what the person's profile says."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from consensus.balance import services as balance_service
from consensus.balance import support as balance_support
from consensus.models import SupportKind
from stakeholders.models import Funding, User
from tests.deliberation.conftest import Cast, make_cast
from tests.stakeholders.test_funding_choice import CHECKED_FUNDING

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def test_the_balance_counts_people_who_did_not_say_as_unknown(cast: Cast) -> None:
    User.objects.filter(pk=cast.member.pk).update(funding="")
    snapshot = balance_service.balance_snapshot_create(
        actor=cast.facilitator, process=cast.process, trigger="on_demand"
    )
    funding = snapshot.dimensions["funding"]["categories"]
    assert funding["unknown"]["participants"] == 1, "the member who did not say"
    assert "" not in funding


def test_a_support_request_asks_for_funding_when_the_profile_does_not_say(
    client: Client, cast: Cast
) -> None:
    User.objects.filter(pk=cast.member.pk).update(funding="")
    cast.member.refresh_from_db()
    url = f"/processes/{cast.process.slug}/support/"
    client.force_login(cast.member)
    page = client.get(url).content.decode()
    assert 'name="funding"' in page and not CHECKED_FUNDING.search(page)
    body = {"kind": "travel", "description": "A flight", "amount_requested": "350"}
    refused = client.post(url, body)
    assert refused.status_code == 400
    assert "Choose how your participation is funded" in refused.content.decode()
    assert client.post(url, {**body, "funding": "unfunded"}).status_code == 302
    assert cast.member.support_requests.get().funding == Funding.UNFUNDED

    with pytest.raises(ValidationError, match="Say how your participation is funded"):
        balance_support.support_request_create(
            actor=cast.member,
            process=cast.process,
            kind=SupportKind.STIPEND,
            description="Time off work",
            amount_requested="10",
        )


def test_a_support_request_ticks_only_what_the_profile_says(client: Client, cast: Cast) -> None:
    User.objects.filter(pk=cast.member.pk).update(funding=Funding.EMPLOYER_FUNDED)
    cast.member.refresh_from_db()
    client.force_login(cast.member)
    page = client.get(f"/processes/{cast.process.slug}/support/").content.decode()
    assert re.search(r'<input[^>]*value="employer_funded"[^>]*checked', page)
    api = APIClient()
    api.force_authenticate(cast.member)
    answer = api.post(
        "/api/v1/support-requests/",
        {
            "process": cast.process.slug,
            "kind": "travel",
            "description": "x",
            "amount_requested": "1",
        },
        format="json",
    )
    assert answer.status_code == 201 and answer.json()["funding"] == "employer_funded"
