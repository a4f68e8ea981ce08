"""The invitations API: a process's list and invite for its facilitators, revoke, and accept by the
link's token — with 401, 403, 404, 400 and 409 where they belong."""

from collections.abc import Callable

import pytest
from django.core import mail
from pytest_django import DjangoCaptureOnCommitCallbacks
from rest_framework.test import APIClient

from deliberation import services as deliberation
from deliberation.invitations import services
from deliberation.invitations.models import Invitation
from deliberation.invitations.tokens import invitation_path, invitation_token
from deliberation.models import Participation
from stakeholders.models import User
from tests.deliberation.conftest import Cast
from tests.factories import AffiliationFactory, UserFactory
from tests.support.clients import signed_in_api

pytestmark = pytest.mark.django_db


def _list(cast: Cast) -> str:
    return f"/api/v1/processes/{cast.process.slug}/invitations/"


def _invite(cast: Cast) -> Invitation:
    made, _pending, _members = services.invitations_create(
        actor=cast.facilitator, process=cast.process, emails=["ada@example.org"]
    )
    return made[0]


def test_a_facilitator_invites_and_lists_with_statuses(
    cast: Cast,
    client_for: Callable[[User], APIClient],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    api = client_for(cast.facilitator)
    body = {"emails": ["ada@example.org", "ADA@example.org", cast.member.email]}
    with django_capture_on_commit_callbacks(execute=True):
        answer = api.post(_list(cast), body, format="json")
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert [i["email"] for i in data["invited"]] == ["ada@example.org"]
    assert data["invited"][0]["status"] == "pending"
    assert data["invited"][0]["invited_by"] == cast.facilitator.pk
    assert data["already_taking_part"] == [cast.member.email.lower()]
    assert data["already_invited"] == []
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    assert invitation_path(data["invited"][0]["id"]) in mail.outbox[0].body
    again = api.post(_list(cast), {"emails": ["ada@example.org"]}, format="json").json()
    assert again["invited"] == [] and again["already_invited"] == ["ada@example.org"]
    listed = api.get(_list(cast)).json()
    assert listed["count"] == 1
    assert listed["results"][0]["status"] == "pending"
    assert listed["results"][0]["emailed_at"] is not None
    # The token is never part of an answer: it is the invitee's credential.
    assert invitation_token(data["invited"][0]["id"]) not in str(listed)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"emails": ["ada@example.org", "nope"]}, "not an e-mail address: nope"),
        ({"emails": []}, "emails"),
        ({"emails": "ada@example.org"}, "emails"),
        ({}, "emails"),
        ({"emails": [f"p{n}@example.org" for n in range(201)]}, "at most 200"),
    ],
)
def test_bad_input_is_a_400_that_says_what(
    cast: Cast, client_for: Callable[[User], APIClient], body: object, words: str
) -> None:
    answer = client_for(cast.facilitator).post(_list(cast), body, format="json")
    assert answer.status_code == 400
    assert words in answer.json()["detail"]
    assert not Invitation.objects.exists()


def test_who_may_list_invite_and_revoke(
    private_cast: Cast, client_for: Callable[[User], APIClient]
) -> None:
    cast = private_cast
    invitation = _invite(cast)
    revoke = f"{_list(cast)}{invitation.pk}/revoke/"
    assert APIClient().get(_list(cast)).status_code == 401
    assert APIClient().post(revoke).status_code == 401
    # A member sees the process but does not run it; others do not even see it.
    member = client_for(cast.member)
    assert member.get(_list(cast)).status_code == 403
    assert member.post(_list(cast), {"emails": ["x@example.org"]}, format="json").status_code == 403
    assert member.post(revoke).status_code == 403
    for outsider in (cast.outsider, cast.other_facilitator):
        assert client_for(outsider).get(_list(cast)).status_code == 404
        assert client_for(outsider).post(revoke).status_code == 404
    host = client_for(cast.facilitator)
    assert host.post(f"{_list(cast)}999999/revoke/").status_code == 404
    revoked = host.post(revoke)
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert host.post(revoke).status_code == 409
    assert Invitation.objects.count() == 1


def test_a_process_that_is_not_open_answers_409(
    cast: Cast, client_for: Callable[[User], APIClient]
) -> None:
    deliberation.process_archive(actor=cast.facilitator, process=cast.process)
    answer = client_for(cast.facilitator).post(
        _list(cast), {"emails": ["ada@example.org"]}, format="json"
    )
    assert answer.status_code == 409 and "not open" in answer.json()["detail"]


def test_the_token_accepts_once_into_a_members_only_process(
    private_cast: Cast, client_for: Callable[[User], APIClient]
) -> None:
    cast = private_cast
    invitation = _invite(cast)
    accept = f"/api/v1/invitations/{invitation_token(invitation.pk)}/accept/"
    assert APIClient().post(accept).status_code == 401
    hatless = UserFactory.create()
    assert client_for(hatless).post(accept, {}, format="json").status_code == 400
    ada = AffiliationFactory.create(primary=True).user
    api = signed_in_api(ada)
    assert api.get(f"/api/v1/processes/{cast.process.slug}/").status_code == 404
    answer = api.post(accept, {}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["process"] == cast.process.slug
    assert Participation.objects.filter(process=cast.process, user=ada).exists()
    assert api.get(f"/api/v1/processes/{cast.process.slug}/").status_code == 200
    used = client_for(cast.outsider).post(accept, {}, format="json")
    assert used.status_code == 409 and "used already" in used.json()["detail"]
    forged = f"/api/v1/invitations/{invitation_token(invitation.pk)[:-2]}xx/accept/"
    assert client_for(cast.outsider).post(forged, {}, format="json").status_code == 404
