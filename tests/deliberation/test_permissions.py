"""Who may do what in deliberation, as a table, exercised through the API (one rule set)."""

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from deliberation import services
from stakeholders.models import User
from tests.deliberation.conftest import Cast, make_cast
from tests.factories import AffiliationFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "facilitator", "other_facilitator", "admin"]


def _client(cast: Cast, role: str, client_for: Callable[[User], APIClient]) -> APIClient:
    if role == "anonymous":
        return APIClient()
    return client_for(getattr(cast, role))


def _read_public(cast: Cast, api: APIClient) -> Any:
    return api.get(f"/api/v1/processes/{cast.process.slug}/")


def _create_process(cast: Cast, api: APIClient) -> Any:
    return api.post("/api/v1/processes/", {"title": "A new working group"}, format="json")


def _edit_process(cast: Cast, api: APIClient) -> Any:
    return api.patch(
        f"/api/v1/processes/{cast.process.slug}/", {"description": "New"}, format="json"
    )


def _join(cast: Cast, api: APIClient) -> Any:
    return api.post(f"/api/v1/processes/{cast.process.slug}/join/", {}, format="json")


def _open_issue(cast: Cast, api: APIClient) -> Any:
    return api.post(
        "/api/v1/issues/", {"process": cast.process.slug, "title": "T", "body": "B"}, format="json"
    )


def _comment(cast: Cast, api: APIClient) -> Any:
    return api.post("/api/v1/comments/", {"issue": cast.issue.pk, "body": "A view"}, format="json")


def _propose(cast: Cast, api: APIClient) -> Any:
    return api.post(
        "/api/v1/proposals/", {"issue": cast.issue.pk, "title": "T", "text": "Text"}, format="json"
    )


def _new_version(cast: Cast, api: APIClient) -> Any:
    return api.post(
        f"/api/v1/proposals/{cast.proposal.pk}/versions/", {"text": "v2"}, format="json"
    )


def _edit_members_comment(cast: Cast, api: APIClient) -> Any:
    comment = services.comment_create(actor=cast.member, issue=cast.issue, body="Mine")
    return api.patch(f"/api/v1/comments/{comment.pk}/", {"body": "Changed"}, format="json")


def _add_glossary_term(cast: Cast, api: APIClient) -> Any:
    return api.post(
        "/api/v1/glossary/", {"term": "Zeta", "definitions": {"en": "A test term."}}, format="json"
    )


# role → expected status, in ROLES order
TABLE: dict[str, tuple[Callable[[Cast, APIClient], Any], list[int]]] = {
    "read a public process": (_read_public, [200, 200, 200, 200, 200, 200]),
    "create a process": (_create_process, [401, 403, 403, 201, 201, 201]),
    "edit the process": (_edit_process, [401, 403, 403, 200, 403, 200]),
    "join the process": (_join, [401, 200, 200, 200, 200, 200]),
    "open an issue": (_open_issue, [401, 403, 201, 201, 403, 403]),
    "comment on an issue": (_comment, [401, 403, 201, 201, 403, 403]),
    "write a proposal": (_propose, [401, 403, 201, 201, 403, 403]),
    "publish a version of the member's proposal": (_new_version, [401, 403, 201, 201, 403, 403]),
    "edit the member's comment": (_edit_members_comment, [401, 403, 200, 403, 403, 403]),
    "add a glossary term": (_add_glossary_term, [401, 403, 403, 201, 201, 201]),
}
CASES = [
    pytest.param(action, role, statuses[i], id=f"{action}-{role}")
    for action, (_call, statuses) in TABLE.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_who_may_do_what(
    action: str, role: str, expected: int, client_for: Callable[[User], APIClient]
) -> None:
    cast = make_cast()
    for person in (cast.other_facilitator, cast.admin):
        AffiliationFactory.create(user=person, primary=True)
    call, _statuses = TABLE[action]
    answer = call(cast, _client(cast, role, client_for))
    assert answer.status_code == expected, answer.content


MEMBERS_ONLY = [200 if role in ("member", "facilitator", "admin") else 404 for role in ROLES]


@pytest.mark.parametrize(("role", "expected"), list(zip(ROLES, MEMBERS_ONLY, strict=True)))
def test_members_only_processes_are_invisible_to_others(
    role: str, expected: int, client_for: Callable[[User], APIClient]
) -> None:
    cast = make_cast("members")
    api = _client(cast, role, client_for)
    assert api.get(f"/api/v1/processes/{cast.process.slug}/").status_code == expected
    assert api.get(f"/api/v1/proposals/{cast.proposal.pk}/").status_code == expected
    listed = api.get("/api/v1/processes/").json()["results"]
    assert (cast.process.slug in [p["slug"] for p in listed]) == (expected == 200)


@pytest.mark.parametrize("role", ["outsider", "other_facilitator"])
def test_outsiders_cannot_post_into_members_only_processes(
    role: str, client_for: Callable[[User], APIClient]
) -> None:
    cast = make_cast("members")
    api = _client(cast, role, client_for)
    assert _open_issue(cast, api).status_code == 400, "an invisible process is an unknown one"
    assert _comment(cast, api).status_code == 400
    assert _join(cast, api).status_code == 404
