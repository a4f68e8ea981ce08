"""An admin may reject a hat's claim as well as verify it: with a reason its holder reads."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.test import APIClient

from record.models import AuditEvent
from stakeholders import notifications as stakeholders_kinds
from stakeholders import selectors, services
from stakeholders.models import Affiliation, Notification, User
from tests.factories import AffiliationFactory, UserFactory
from web.errors import StateConflict

pytestmark = pytest.mark.django_db

REASON = "The association's member list does not name you."


@pytest.fixture
def hat(user: User) -> Affiliation:
    return AffiliationFactory.create(user=user, organisation="Open Net Kenya", primary=True)


def test_a_rejected_hat_is_kept_marked_and_its_holder_told_why(
    hat: Affiliation, admin_user: User
) -> None:
    services.affiliation_verify(actor=admin_user, affiliation=hat)
    services.affiliation_reject(actor=admin_user, affiliation=hat, reason=f"  {REASON}\n")
    hat.refresh_from_db()
    assert hat.rejected and not hat.verified, "a rejection withdraws a verification"
    assert (hat.rejected_by, hat.rejection_reason) == (admin_user, REASON)
    assert Affiliation.objects.filter(pk=hat.pk).exists()
    note = Notification.objects.filter(user=hat.user, kind=stakeholders_kinds.ROLE).first()
    assert note is not None
    assert note.title == "Your affiliation with Open Net Kenya could not be verified"
    assert (note.body, note.url) == (REASON, "/me/hats/")
    event = AuditEvent.objects.get(action="affiliation.reject")
    assert event.object == f"stakeholders.affiliation:{hat.pk}"
    assert event.data["reason"] == REASON and hat.user_id in event.people
    assert not event.public, "a judgment about a person's claim is not the public's"
    assert hat not in selectors.affiliations_to_verify()
    assert list(selectors.affiliations_rejected()) == [hat]


def test_a_rejection_needs_a_reason_and_happens_once(hat: Affiliation, admin_user: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.affiliation_reject(actor=admin_user, affiliation=hat, reason="   ")
    assert "reason" in refused.value.message_dict
    hat.refresh_from_db()
    assert not hat.rejected
    services.affiliation_reject(actor=admin_user, affiliation=hat, reason=REASON)
    with pytest.raises(StateConflict):
        services.affiliation_reject(actor=admin_user, affiliation=hat, reason="Again")
    assert Notification.objects.filter(user=hat.user).count() == 1


def test_correcting_the_claim_sends_it_back_and_a_verification_clears_the_rejection(
    hat: Affiliation, admin_user: User, user: User
) -> None:
    services.affiliation_reject(actor=admin_user, affiliation=hat, reason=REASON)
    services.affiliation_update(actor=user, affiliation=hat, role="Member")
    hat.refresh_from_db()
    assert hat.rejected, "saving the same claim keeps the rejection"
    services.affiliation_update(actor=user, affiliation=hat, organisation="Open Net")
    hat.refresh_from_db()
    assert not hat.rejected and not hat.rejection_reason
    assert hat in selectors.affiliations_to_verify()

    services.affiliation_reject(actor=admin_user, affiliation=hat, reason=REASON)
    services.affiliation_verify(actor=admin_user, affiliation=hat)
    hat.refresh_from_db()
    assert hat.verified and not hat.rejected and hat.rejected_by is None


def test_the_admins_page_rejects_with_a_reason_and_says_so_when_it_is_missing(
    client: Client, hat: Affiliation, admin_user: User
) -> None:
    client.force_login(admin_user)
    page = client.get("/staff/affiliations/").content.decode()
    assert f'action="/staff/affiliations/{hat.pk}/reject/"' in page
    assert "Reject this hat" in page

    refused = client.post(f"/staff/affiliations/{hat.pk}/reject/", {"reason": " "})
    assert refused.status_code == 400
    assert "Say why the hat cannot be verified" in refused.content.decode()
    hat.refresh_from_db()
    assert not hat.rejected

    done = client.post(f"/staff/affiliations/{hat.pk}/reject/", {"reason": REASON})
    assert done.status_code == 302 and done["Location"] == "/staff/affiliations/"
    hat.refresh_from_db()
    assert hat.rejected and hat.rejection_reason == REASON
    listed = client.get("/staff/affiliations/").content.decode()
    assert (
        "Rejected, waiting for their holders" in listed and REASON.replace("'", "&#x27;") in listed
    )
    assert client.post(f"/staff/affiliations/{hat.pk}/reject/", {"reason": "x"}).status_code == 302
    assert client.post("/staff/affiliations/424242/reject/", {"reason": "x"}).status_code == 404


def test_others_cannot_reject_from_the_page(client: Client, hat: Affiliation) -> None:
    client.force_login(UserFactory.create(is_facilitator=True))
    assert (
        client.post(f"/staff/affiliations/{hat.pk}/reject/", {"reason": REASON}).status_code == 404
    )
    hat.refresh_from_db()
    assert not hat.rejected


def test_the_holder_sees_the_rejection_and_its_reason_others_only_not_verified(
    client: Client, hat: Affiliation, admin_user: User, user: User
) -> None:
    services.affiliation_reject(actor=admin_user, affiliation=hat, reason=REASON)
    escaped = REASON.replace("'", "&#x27;")
    client.force_login(user)
    hats = client.get("/me/hats/").content.decode()
    assert "an admin rejected the claim" in hats and escaped in hats
    assert escaped in client.get(f"/me/hats/{hat.pk}/edit/").content.decode()
    own_profile = client.get(f"/stakeholders/{user.pk}/").content.decode()
    assert escaped in own_profile and f"/me/hats/{hat.pk}/edit/" in own_profile

    client.force_login(UserFactory.create())
    someone_else = client.get(f"/stakeholders/{user.pk}/").content.decode()
    assert "Open Net Kenya" in someone_else and "not verified" in someone_else
    assert escaped not in someone_else and "rejected" not in someone_else


def test_the_api_rejects_with_a_validated_reason(
    api_client: APIClient, hat: Affiliation, admin_user: User, user: User
) -> None:
    url = f"/api/v1/affiliations/{hat.pk}/reject/"
    api_client.force_authenticate(user)
    assert api_client.post(url, {"reason": REASON}, format="json").status_code == 403

    api_client.force_authenticate(admin_user)
    missing = api_client.post(url, {}, format="json")
    assert missing.status_code == 400
    assert "reason" in missing.json() and "reason" in missing.json()["detail"]
    assert api_client.post(url, {"reason": ""}, format="json").status_code == 400
    assert api_client.post(url, {"reason": "x" * 2001}, format="json").status_code == 400

    answer = api_client.post(url, {"reason": REASON}, format="json")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["rejected"], body["verified"], body["rejection_reason"]) == (True, False, REASON)
    assert api_client.post(url, {"reason": REASON}, format="json").status_code == 409

    api_client.force_authenticate(user)
    (mine,) = api_client.get("/api/v1/affiliations/").json()["results"]
    assert (mine["rejected"], mine["rejection_reason"]) == (True, REASON)
    public = api_client.get(f"/api/v1/stakeholders/{user.pk}/").json()["affiliations"]
    assert "rejection_reason" not in public[0]
