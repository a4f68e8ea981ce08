"""The stakeholders API: tokens, who am I, the directory, hats, interests and their bad input."""

from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from stakeholders.models import Affiliation, StakeholderGroup, User
from tests.factories import PASSWORD, AffiliationFactory, UserFactory

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], APIClient]


def test_token_for_good_credentials_and_400_for_bad(api_client: APIClient, user: User) -> None:
    good = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert good.status_code == 200
    assert len(good.json()["token"]) == 40
    bad = api_client.post(
        "/api/v1/auth/token/", {"email": user.email, "password": "wrong"}, format="json"
    )
    assert bad.status_code == 400
    assert "credentials" in bad.json()["detail"]
    missing = api_client.post("/api/v1/auth/token/", {}, format="json")
    assert missing.status_code == 400
    assert "email" in missing.json()


def test_token_needs_a_verified_email(api_client: APIClient) -> None:
    unverified = UserFactory.create(verified_email=False)
    answer = api_client.post(
        "/api/v1/auth/token/", {"email": unverified.email, "password": PASSWORD}, format="json"
    )
    assert answer.status_code == 400
    assert "Verify" in answer.json()["detail"]


def _current_code(authenticator: Authenticator) -> str:
    from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time
    from allauth.mfa.utils import decrypt

    secret = decrypt(authenticator.data["secret"])
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_token_takes_the_otp_of_a_two_factor_account(api_client: APIClient, user: User) -> None:
    authenticator = TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").instance
    credentials = {"email": user.email, "password": PASSWORD}
    without = api_client.post("/api/v1/auth/token/", credentials, format="json")
    assert without.status_code == 400
    assert "otp" in without.json()
    wrong = api_client.post("/api/v1/auth/token/", {**credentials, "otp": "000000"}, format="json")
    assert wrong.status_code == 400
    right = api_client.post(
        "/api/v1/auth/token/", {**credentials, "otp": _current_code(authenticator)}, format="json"
    )
    assert right.status_code == 200, right.json()


def test_me_needs_a_token(api_client: APIClient) -> None:
    answer = api_client.get("/api/v1/stakeholders/me/")
    assert answer.status_code == 401
    assert answer.json()["detail"]
    bad_token = APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION="Token nope")
    assert bad_token.get("/api/v1/stakeholders/me/").status_code == 401


def test_me_has_the_contract_fields(client_for: ClientFor) -> None:
    user = UserFactory.create(country="KE")
    hat = AffiliationFactory.create(user=user, primary=True)
    body = client_for(user).get("/api/v1/stakeholders/me/").json()
    assert {k: body[k] for k in ("id", "email", "country", "region", "developing")} == {
        "id": user.pk,
        "email": user.email,
        "country": "KE",
        "region": "africa",
        "developing": True,
    }
    assert body["display_name"] == user.display_name
    (affiliation,) = body["affiliations"]
    assert {k: affiliation[k] for k in ("id", "organisation", "stakeholder_group", "role")} == {
        "id": hat.pk,
        "organisation": hat.organisation,
        "stakeholder_group": hat.stakeholder_group,
        "role": hat.role,
    }
    assert affiliation["primary"] is True and affiliation["verified"] is False


def test_me_patch_validates_input_and_keeps_what_is_stored(client_for: ClientFor) -> None:
    user = UserFactory.create(country="KE", display_name="Amina")
    client = client_for(user)
    wrong_country = client.patch("/api/v1/stakeholders/me/", {"country": "XX"}, format="json")
    assert wrong_country.status_code == 400
    assert "country" in wrong_country.json()
    too_long = client.patch("/api/v1/stakeholders/me/", {"display_name": "x" * 500}, format="json")
    assert too_long.status_code == 400
    bad_choice = client.patch("/api/v1/stakeholders/me/", {"funding": "lottery"}, format="json")
    assert bad_choice.status_code == 400
    user.refresh_from_db()
    assert (user.country, user.display_name) == ("KE", "Amina")

    ok = client.patch(
        "/api/v1/stakeholders/me/", {"country": "pl", "attribution": "group_only"}, format="json"
    )
    assert ok.status_code == 200
    assert ok.json()["region"] == "eastern_europe"
    assert ok.json()["developing"] is False


def test_add_hat_and_bad_hats(client_for: ClientFor, user: User) -> None:
    client = client_for(user)
    created = client.post(
        "/api/v1/affiliations/",
        {"organisation": "ISOC Kenya", "stakeholder_group": "civil_society", "role": "Chair"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["id"] == Affiliation.objects.get(user=user).pk
    assert created.json()["primary"] is True
    unknown = client.post(
        "/api/v1/affiliations/",
        {"organisation": "X", "stakeholder_group": "aliens", "role": ""},
        format="json",
    )
    assert unknown.status_code == 400
    assert "stakeholder_group" in unknown.json()
    assert "detail" in unknown.json()
    long = client.post(
        "/api/v1/affiliations/",
        {"organisation": "x" * 300, "stakeholder_group": "academia"},
        format="json",
    )
    assert long.status_code == 400
    assert Affiliation.objects.filter(user=user).count() == 1
    anonymous = APIClient().post(
        "/api/v1/affiliations/", {"organisation": "X", "stakeholder_group": "academia"}
    )
    assert anonymous.status_code == 401


def test_hat_actions_and_privacy(client_for: ClientFor, user: User) -> None:
    first = AffiliationFactory.create(user=user, primary=True)
    second = AffiliationFactory.create(user=user)
    foreign = AffiliationFactory.create()
    client = client_for(user)
    assert client.post(f"/api/v1/affiliations/{second.pk}/primary/").json()["primary"] is True
    first.refresh_from_db()
    assert not first.primary
    assert client.post(f"/api/v1/affiliations/{first.pk}/end/").json()["active"] is False
    assert client.post(f"/api/v1/affiliations/{first.pk}/end/").status_code == 400
    assert client.get(f"/api/v1/affiliations/{foreign.pk}/").status_code == 404
    assert (
        client.patch(
            f"/api/v1/affiliations/{foreign.pk}/", {"role": "x"}, format="json"
        ).status_code
        == 404
    )
    assert client.get("/api/v1/affiliations/999999/").status_code == 404


def test_only_admins_verify(client_for: ClientFor, user: User, admin_user: User) -> None:
    hat = AffiliationFactory.create()
    assert client_for(user).post(f"/api/v1/affiliations/{hat.pk}/verify/").status_code == 403
    answer = client_for(admin_user).post(f"/api/v1/affiliations/{hat.pk}/verify/")
    assert answer.status_code == 200
    assert answer.json()["verified"] is True


def test_directory_filters_and_bad_filters(api_client: APIClient) -> None:
    kenyan = AffiliationFactory.create(
        user=UserFactory.create(country="KE"),
        stakeholder_group=StakeholderGroup.GOVERNMENT,
        primary=True,
    ).user
    AffiliationFactory.create(
        user=UserFactory.create(country="DE"),
        stakeholder_group=StakeholderGroup.ACADEMIA,
        primary=True,
    )
    UserFactory.create(country="KE")  # no hat: not in the directory
    listing = api_client.get("/api/v1/stakeholders/").json()
    assert set(listing) == {"count", "next", "previous", "results"}
    assert listing["count"] == 2
    by_group = api_client.get("/api/v1/stakeholders/?group=government").json()["results"]
    assert [s["id"] for s in by_group] == [kenyan.pk]
    by_region = api_client.get("/api/v1/stakeholders/?region=africa").json()["results"]
    assert [s["id"] for s in by_region] == [kenyan.pk]
    by_country = api_client.get("/api/v1/stakeholders/?country=de").json()["results"]
    assert len(by_country) == 1
    for bad in ("group=aliens", "region=atlantis", "country=ZZ"):
        answer = api_client.get(f"/api/v1/stakeholders/?{bad}")
        assert answer.status_code == 400, bad
        assert answer.json()["detail"]
    assert api_client.get("/api/v1/stakeholders/987654/").status_code == 404


def test_group_only_stakeholders_are_not_named_to_the_public(
    api_client: APIClient, client_for: ClientFor, admin_user: User
) -> None:
    quiet = UserFactory.create(country="NG", attribution="group_only", display_name="Hidden Person")
    AffiliationFactory.create(user=quiet, primary=True, organisation="Secret Org")
    public = api_client.get(f"/api/v1/stakeholders/{quiet.pk}/").json()
    assert public["display_name"] == "A civil society participant from Africa"
    assert public["named"] is False and public["country"] is None
    assert "organisation" not in public["affiliations"][0]
    assert "Hidden Person" not in str(api_client.get("/api/v1/stakeholders/").json())
    seen_by_admin = client_for(admin_user).get(f"/api/v1/stakeholders/{quiet.pk}/").json()
    assert seen_by_admin["display_name"] == "Hidden Person"


def test_statement_of_interest_versions(client_for: ClientFor, user: User) -> None:
    client = client_for(user)
    for n in (1, 2):
        answer = client.post(
            "/api/v1/stakeholders/me/interests/",
            {"funding_sources": f"Funder {n}", "interests": "Open standards"},
            format="json",
        )
        assert answer.status_code == 201
        assert answer.json()["version"] == n
    assert client.post("/api/v1/stakeholders/me/interests/", {}, format="json").status_code == 400
    listing = client.get("/api/v1/stakeholders/me/interests/").json()
    assert [v["version"] for v in listing["results"]] == [2, 1]


def test_directory_query_count_is_constant(
    api_client: APIClient, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(120):
        AffiliationFactory.create(primary=True)
    with django_assert_max_num_queries(4):
        answer = api_client.get("/api/v1/stakeholders/?page_size=100")
    assert answer.json()["count"] == 120


def test_schema_and_docs_are_served(api_client: APIClient) -> None:
    schema = api_client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/v1/auth/token/", "/api/v1/stakeholders/me/", "/api/v1/affiliations/"):
        assert path in paths
    assert api_client.get("/api/docs/").status_code == 200
