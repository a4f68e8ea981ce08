"""Invitation pages: the facilitators' list and form, revoking, and the page the e-mail's link
opens — signed out, signed in, with or without a hat, and when the link no longer works."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from deliberation.invitations import services
from deliberation.invitations.models import Invitation
from deliberation.invitations.tokens import invitation_path
from deliberation.models import Participation
from stakeholders.models import Affiliation
from tests.deliberation.conftest import Cast
from tests.factories import AffiliationFactory, UserFactory
from tests.support.clients import signed_in

pytestmark = pytest.mark.django_db


def _page(cast: Cast) -> str:
    return f"/processes/{cast.process.slug}/invitations/"


def invite(cast: Cast, *emails: str) -> list[Invitation]:
    return services.invitations_create(actor=cast.facilitator, process=cast.process, emails=emails)[
        0
    ]


def test_the_process_page_links_its_facilitators_to_the_invitations(cast: Cast) -> None:
    host = signed_in(cast.facilitator).get(cast.process.get_absolute_url()).content.decode()
    assert _page(cast) in host and "Invite people by e-mail" in host
    member = signed_in(cast.member).get(cast.process.get_absolute_url()).content.decode()
    assert _page(cast) not in member


def test_a_facilitator_invites_from_the_form_and_sees_each_status(
    cast: Cast, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    web = signed_in(cast.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        answer = web.post(
            _page(cast), {"emails": f"ada@example.org, bo@example.org\n{cast.member.email}"}
        )
    assert answer.status_code == 302 and answer["Location"] == _page(cast)
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "bo@example.org"]
    page = web.get(_page(cast)).content.decode()
    assert "2 invitations are on their way." in page
    assert f"Already taking part: {cast.member.email.lower()}" in page
    assert "ada@example.org" in page and "Waiting for an answer" in page
    bo = Invitation.objects.get(email="bo@example.org")
    answer = web.post(f"{_page(cast)}{bo.pk}/revoke/")
    assert answer.status_code == 302
    page = web.get(_page(cast)).content.decode()
    assert "The invitation to bo@example.org was withdrawn." in page and "Revoked" in page
    again = web.post(f"{_page(cast)}{bo.pk}/revoke/", follow=True).content.decode()
    assert "This invitation was revoked already." in again


@pytest.mark.parametrize(
    ("emails", "error"),
    [
        ("ada@example.org, not-an-address", "This is not an e-mail address: not-an-address"),
        ("", "This field is required."),
        (",".join(f"p{n}@example.org" for n in range(201)), "at most 200 people at a time"),
    ],
)
def test_bad_addresses_are_refused_with_a_clear_error(cast: Cast, emails: str, error: str) -> None:
    answer = signed_in(cast.facilitator).post(_page(cast), {"emails": emails})
    assert answer.status_code == 400
    assert error in answer.content.decode()
    assert not Invitation.objects.exists()


def test_only_the_process_s_facilitators_see_its_invitations(cast: Cast) -> None:
    invite(cast, "ada@example.org")
    for person in (cast.member, cast.outsider, cast.other_facilitator):
        assert signed_in(person).get(_page(cast)).status_code == 404
        assert signed_in(person).post(_page(cast), {"emails": "x@example.org"}).status_code == 404
    assert Client().get(_page(cast))["Location"].startswith("/accounts/login/")
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize("count", [1, 12])
def test_the_list_costs_the_same_whatever_the_number_of_invitations(
    cast: Cast, count: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    invite(cast, *(f"p{n}@example.org" for n in range(count)))
    first = Invitation.objects.order_by("pk").first()
    assert first is not None
    services.invitation_accept(actor=cast.outsider, invitation=first)
    web = signed_in(cast.facilitator)
    with django_assert_max_num_queries(5):
        assert web.get(_page(cast)).status_code == 200


def test_signed_out_the_link_explains_and_returns_after_signing_in(private_cast: Cast) -> None:
    cast = private_cast
    (invitation,) = invite(cast, "ada@example.org")
    path = invitation_path(invitation.pk)
    page = Client().get(path)
    text = page.content.decode()
    assert page.status_code == 200
    assert cast.process.title in text and "invites you to take part" in text
    assert f"/accounts/login/?next={path.replace(':', '%3A')}" in text
    assert f"/accounts/signup/?next={path.replace(':', '%3A')}" in text
    assert Client().post(path)["Location"].startswith("/accounts/login/?next=")
    ada = UserFactory.create(email="ada@example.org")
    signing_in = Client().post(
        f"/accounts/login/?next={path}",
        {"login": ada.email, "password": "correct horse battery staple"},
    )
    assert signing_in.status_code == 302 and signing_in["Location"] == path


def test_signed_in_one_button_joins_a_members_only_process(private_cast: Cast) -> None:
    cast = private_cast
    (invitation,) = invite(cast, "ada@example.org")
    ada = UserFactory.create(email="ada@example.org")
    hat = AffiliationFactory.create(user=ada, primary=True)
    web = signed_in(ada)
    assert web.get(cast.process.get_absolute_url()).status_code == 404
    page = web.get(invitation_path(invitation.pk)).content.decode()
    assert f"Join “{cast.process.title}”" in page
    answer = web.post(invitation_path(invitation.pk), {"affiliation": hat.pk})
    assert answer.status_code == 302 and answer["Location"] == cast.process.get_absolute_url()
    assert Participation.objects.filter(process=cast.process, user=ada, affiliation=hat).exists()
    assert web.get(cast.process.get_absolute_url()).status_code == 200
    again = web.get(invitation_path(invitation.pk))
    assert again.status_code == 200
    assert "You accepted this invitation" in again.content.decode()


def test_a_newcomer_without_a_hat_names_one_and_joins(cast: Cast) -> None:
    (invitation,) = invite(cast, "new@example.org")
    newcomer = UserFactory.create(email="new@example.org")
    web = signed_in(newcomer)
    page = web.get(invitation_path(invitation.pk)).content.decode()
    assert 'name="organisation"' in page and 'name="stakeholder_group"' in page
    refused = web.post(invitation_path(invitation.pk), {"organisation": "Lagos Tech Hub"})
    assert refused.status_code == 400 and not Participation.objects.filter(user=newcomer).exists()
    answer = web.post(
        invitation_path(invitation.pk),
        {"organisation": "Lagos Tech Hub", "stakeholder_group": "technical_community"},
    )
    assert answer.status_code == 302
    hat = Affiliation.objects.get(user=newcomer)
    assert hat.primary and hat.organisation == "Lagos Tech Hub"
    assert Participation.objects.get(user=newcomer).affiliation == hat


@pytest.mark.parametrize(
    ("state", "words"),
    [
        ("revoked", "withdrawn by the process's facilitators"),
        ("expired", "This invitation has expired"),
        ("used", "This invitation was used already"),
        ("closed", "This process is not open any more"),
    ],
)
def test_a_link_that_no_longer_works_says_why(cast: Cast, state: str, words: str) -> None:
    (invitation,) = invite(cast, "ada@example.org")
    if state == "revoked":
        services.invitation_revoke(actor=cast.facilitator, invitation=invitation)
    elif state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    elif state == "used":
        services.invitation_accept(actor=cast.outsider, invitation=invitation)
    else:
        cast.process.archived_at = timezone.now() - timedelta(minutes=1)
        cast.process.save(update_fields=["archived_at"])
    someone = AffiliationFactory.create(primary=True)
    web = signed_in(someone.user)
    shown = web.get(invitation_path(invitation.pk))
    assert shown.status_code == 410 and words in shown.content.decode().replace("&#x27;", "'")
    posted = web.post(invitation_path(invitation.pk), {"affiliation": someone.pk})
    assert posted.status_code == 409
    assert not Participation.objects.filter(user=someone.user).exists()


def test_a_forged_or_truncated_link_gets_a_clear_page(cast: Cast) -> None:
    (invitation,) = invite(cast, "ada@example.org")
    path = invitation_path(invitation.pk)
    for broken in (path[:-4] + "/", "/invitations/nonsense/", f"/invitations/{invitation.pk}/"):
        for answer in (Client().get(broken), signed_in(cast.outsider).post(broken)):
            assert answer.status_code == 404
            assert "This invitation link does not work" in answer.content.decode()


def test_signing_up_from_the_link_comes_back_to_the_invitation(cast: Cast, client: Client) -> None:
    (invitation,) = invite(cast, "new@example.org")
    path = invitation_path(invitation.pk)
    mail.outbox.clear()
    answer = client.post(
        f"/accounts/signup/?next={path}",
        {
            "email": "new@example.org",
            "password1": "a-rare-passphrase",
            "password2": "a-rare-passphrase",
        },
    )
    assert answer.status_code == 302
    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", str(mail.outbox[-1].body))
    assert key is not None
    confirmed = client.post(f"/accounts/confirm-email/{key.group(1)}/")
    assert confirmed.status_code == 302 and confirmed["Location"] == path
    assert 'name="organisation"' in client.get(path).content.decode()
