"""Who may do what in moderation: every admins' page and endpoint is 404 for everyone else."""

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from stakeholders.models import User
from tests.factories import ModerationActionFactory, ModerationCaseFactory, UserFactory
from trust.models import Appeal, ModerationAction, ModerationCase
from trust.moderation import services

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], APIClient]


@pytest.fixture
def case() -> ModerationCase:
    return ModerationCaseFactory.create()


@pytest.fixture
def action(case: ModerationCase) -> ModerationAction:
    return ModerationActionFactory.create(case=case)


@pytest.fixture
def appeal(action: ModerationAction) -> Appeal:
    return services.appeal_file(actor=action.subject, action=action, text="Please reconsider")


@pytest.fixture
def ids(case: ModerationCase, action: ModerationAction, appeal: Appeal) -> dict[str, int]:
    return {"case": case.pk, "action": action.pk, "appeal": appeal.pk}


def _people(case: ModerationCase) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "stakeholder": UserFactory.create(),
        "facilitator": UserFactory.create(is_facilitator=True),
        "subject": case.subject,
    }


PAGES = [
    ("GET", "/moderation/"),
    ("GET", "/moderation/signals/"),
    ("POST", "/moderation/signals/"),
    ("GET", "/moderation/cases/{case}/"),
    ("POST", "/moderation/cases/{case}/"),
]
ENDPOINTS = [
    ("GET", "/api/v1/moderation/cases/"),
    ("GET", "/api/v1/moderation/cases/{case}/"),
    ("POST", "/api/v1/moderation/cases/{case}/actions/"),
    ("POST", "/api/v1/moderation/cases/{case}/close/"),
    ("POST", "/api/v1/moderation/actions/{action}/confirm/"),
    ("GET", "/api/v1/moderation/appeals/"),
    ("GET", "/api/v1/moderation/appeals/{appeal}/"),
    ("POST", "/api/v1/moderation/appeals/{appeal}/decide/"),
    ("GET", "/api/v1/moderation/signals/"),
    ("POST", "/api/v1/moderation/signals/compute/"),
]


def _page_client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _api_client(user: User | None, client_for: ClientFor) -> APIClient:
    return client_for(user) if user is not None else APIClient()


@pytest.mark.parametrize(("method", "path"), PAGES)
def test_non_admins_get_404_on_every_moderation_page(
    method: str, path: str, case: ModerationCase, ids: dict[str, int]
) -> None:
    url = path.format(**ids)
    for who, user in _people(case).items():
        answer = getattr(_page_client(user), method.lower())(url, {"kind": "note", "reason": "x"})
        assert answer.status_code == 404, (who, method, url, answer.status_code)
    admin = UserFactory.create(is_staff=True)
    assert _page_client(admin).get(url).status_code in (200, 405), url


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_non_admins_get_404_on_every_moderation_endpoint(
    method: str, path: str, case: ModerationCase, ids: dict[str, int], client_for: ClientFor
) -> None:
    url = path.format(**ids)
    for who, user in _people(case).items():
        api = _api_client(user, client_for)
        answer = getattr(api, method.lower())(url, {}, format="json")
        assert answer.status_code == 404, (who, method, url, answer.status_code)
    assert not ModerationAction.objects.exclude(pk=ids["action"]).exists()
    assert Appeal.objects.get().decided_at is None


def test_an_action_is_seen_by_its_subject_and_admins_only(
    action: ModerationAction, client_for: ClientFor
) -> None:
    page = f"/moderation/actions/{action.pk}/"
    endpoint = f"/api/v1/moderation/actions/{action.pk}/"
    assert _page_client(action.subject).get(page).status_code == 200
    assert client_for(action.subject).get(endpoint).status_code == 200
    assert _page_client(UserFactory.create(is_staff=True)).get(page).status_code == 200
    for user in (UserFactory.create(), UserFactory.create(is_facilitator=True)):
        assert _page_client(user).get(page).status_code == 404
        assert client_for(user).get(endpoint).status_code == 404
        assert (
            client_for(user).post(f"{endpoint}appeal/", {"text": "x"}, format="json").status_code
            == 404
        )
    assert _page_client(None).get(page).status_code == 302
    assert APIClient().get(endpoint).status_code == 404


def test_the_public_log_and_flags_are_open_to_their_audiences(
    action: ModerationAction, client_for: ClientFor
) -> None:
    assert Client().get("/moderation/log/").status_code == 200
    assert APIClient().get("/api/v1/moderation/log/").json()["count"] == 1
    target = UserFactory.create()
    body = {"target_type": "user", "target_id": target.pk, "reason": "Fake account"}
    assert APIClient().post("/api/v1/flags/", body, format="json").status_code == 401
    assert (
        client_for(UserFactory.create()).post("/api/v1/flags/", body, format="json").status_code
        == 201
    )
    assert Client().get(f"/report/user/{target.pk}/").status_code == 302
