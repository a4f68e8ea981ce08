"""Privileged reads need two-factor authentication too (REQUIRE_STAFF_MFA): an admin or facilitator
without TOTP reads and sees no more than any stakeholder, and the admin site is closed to them."""

from urllib.parse import unquote

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from deliberation import services as deliberation
from deliberation.models import Visibility
from stakeholders.models import Attribution, User
from tests.factories import AffiliationFactory, UserFactory, enrol_totp
from tests.support.clients import signed_in, signed_in_api

pytestmark = pytest.mark.django_db
SECRET = "mangosteen"


@pytest.fixture
def people(settings: Settings) -> dict[str, User]:
    settings.REQUIRE_STAFF_MFA = True
    facilitator = UserFactory.create(is_facilitator=True)
    enrol_totp(facilitator)
    process = deliberation.process_create(
        actor=facilitator, title="Closed talks", slug="closed", visibility=Visibility.MEMBERS
    )
    member = UserFactory.create(
        attribution=Attribution.GROUP_ONLY, display_name="Hidden Person", country="BR"
    )
    AffiliationFactory.create(user=member, primary=True)
    deliberation.participation_join(actor=member, process=process)
    issue = deliberation.issue_create(
        actor=member, process=process, title="Agenda", body=f"The {SECRET} question"
    )
    deliberation.comment_create(actor=member, issue=issue, body=f"More on the {SECRET}")
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    enrol_totp(admin)
    return {
        "member": member,
        "admin": admin,
        "admin_without_totp": UserFactory.create(is_staff=True, is_superuser=True),
        "facilitator_without_totp": UserFactory.create(is_facilitator=True),
        "facilitator": facilitator,
    }


@pytest.mark.parametrize("reader", ["admin_without_totp", "facilitator_without_totp"])
def test_without_two_factor_members_only_content_stays_hidden(
    people: dict[str, User], reader: str
) -> None:
    api, web = signed_in_api(people[reader]), signed_in(people[reader])
    assert api.get("/api/v1/processes/closed/").status_code == 404
    assert "closed" not in str(api.get("/api/v1/processes/").json())
    assert SECRET not in str(api.get("/api/v1/comments/").json())
    assert SECRET not in str(api.get("/api/v1/issues/").json())
    assert api.get(f"/api/v1/search/?q={SECRET}").json()["count"] == 0
    assert web.get("/processes/closed/").status_code == 404
    found = web.get(f"/search/?q={SECRET}").content.decode()
    assert f"More on the {SECRET}" not in found
    assert f"The {SECRET} question" not in found


def test_with_two_factor_an_admin_reads_it(people: dict[str, User]) -> None:
    api = signed_in_api(people["admin"])
    assert api.get("/api/v1/processes/closed/").status_code == 200
    assert SECRET in str(api.get("/api/v1/comments/").json())
    assert api.get(f"/api/v1/search/?q={SECRET}").json()["count"] == 2


@pytest.mark.parametrize("reader", ["admin_without_totp", "facilitator_without_totp"])
def test_without_two_factor_group_only_people_keep_their_names(
    people: dict[str, User], reader: str
) -> None:
    member = people["member"]
    shown = signed_in_api(people[reader]).get(f"/api/v1/stakeholders/{member.pk}/").json()
    assert shown["display_name"] != "Hidden Person"
    assert shown["country"] is None
    assert "Hidden Person" not in signed_in(people[reader]).get("/stakeholders/").content.decode()
    assert (
        "Hidden Person"
        not in signed_in(people[reader]).get(f"/stakeholders/{member.pk}/").content.decode()
    )


@pytest.mark.parametrize("reader", ["admin", "facilitator"])
def test_with_two_factor_staff_see_who_it_is(people: dict[str, User], reader: str) -> None:
    member = people["member"]
    shown = signed_in_api(people[reader]).get(f"/api/v1/stakeholders/{member.pk}/").json()
    assert shown["display_name"] == "Hidden Person"


def test_the_admin_site_needs_the_same_rule(people: dict[str, User]) -> None:
    assert signed_in(people["admin"]).get("/django-admin/").status_code == 200
    refused = signed_in(people["admin_without_totp"]).get("/django-admin/", follow=True)
    assert "/accounts/2fa/totp/activate/" in unquote(refused.redirect_chain[-1][0])
    assert signed_in(people["member"]).get("/django-admin/", follow=True).status_code == 404
    anonymous = Client().get("/django-admin/", follow=True)
    assert anonymous.redirect_chain[-1][0].startswith("/accounts/login/")
    assert (
        signed_in(people["admin_without_totp"])
        .get("/django-admin/authtoken/tokenproxy/")
        .status_code
        != 200
    )
