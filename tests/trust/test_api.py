"""The trust API: contract fields, bad input (400), no token (401), unknown or hidden (404)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from deliberation.models import Visibility
from stakeholders.models import User
from tests.factories import (
    AffiliationFactory,
    AttestationFactory,
    CommitmentFactory,
    EndorsementFactory,
    ParticipationFactory,
    ProcessFactory,
    UserFactory,
)
from trust.models import Attestation, Endorsement, TrustComputation
from trust.scores import trust_compute

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], APIClient]


def _day(n: int) -> str:
    return (timezone.localdate() + timedelta(days=n)).isoformat()


# --- trust ----------------------------------------------------------------------------------------


def test_trust_of_a_user_before_and_after_computation(api_client: APIClient, user: User) -> None:
    never = api_client.get(f"/api/v1/stakeholders/{user.pk}/trust/")
    assert never.status_code == 200
    assert never.json() == {
        "user": user.pk,
        "endorsement_trust": None,
        "percentile": None,
        "commitment_record": None,
        "components": {},
        "computed_at": None,
        "url": f"/stakeholders/{user.pk}/trust/",
    }
    EndorsementFactory.create(to_user=user)
    trust_compute()
    body = api_client.get(f"/api/v1/stakeholders/{user.pk}/trust/").json()
    assert set(body) == {
        "user",
        "endorsement_trust",
        "percentile",
        "commitment_record",
        "components",
        "computed_at",
        "url",
    }
    assert body["endorsement_trust"] > 0.5
    assert body["percentile"] == 100.0
    assert body["commitment_record"] == 0.5
    assert set(body["components"]) == {"endorsement", "commitments", "tenure"}
    assert body["components"]["endorsement"]["endorsed_by"] == 1
    assert body["computed_at"] is not None


def test_trust_of_an_unknown_user_is_404(api_client: APIClient) -> None:
    assert api_client.get("/api/v1/stakeholders/999999/trust/").status_code == 404
    closed = UserFactory.create(is_active=False)
    assert api_client.get(f"/api/v1/stakeholders/{closed.pk}/trust/").status_code == 404


# --- endorsements ---------------------------------------------------------------------------------


def test_endorse_list_and_withdraw(client_for: ClientFor, user: User) -> None:
    other = UserFactory.create()
    client = client_for(user)
    created = client.post(
        "/api/v1/endorsements/", {"to": other.pk, "note": "Reliable"}, format="json"
    )
    assert created.status_code == 201
    body = created.json()
    assert {k: body[k] for k in ("from", "to", "note")} == {
        "from": user.pk,
        "to": other.pk,
        "note": "Reliable",
    }
    assert body["withdrawn_at"] is None
    EndorsementFactory.create(to_user=other)
    EndorsementFactory.create(from_user=user)

    to_other = client.get(f"/api/v1/endorsements/?to={other.pk}").json()
    assert to_other["count"] == 2 and set(to_other) == {"count", "next", "previous", "results"}
    mine = client.get(f"/api/v1/endorsements/?from={user.pk}").json()
    assert mine["count"] == 2
    both = client.get(f"/api/v1/endorsements/?from={user.pk}&to={other.pk}").json()
    assert [e["id"] for e in both["results"]] == [body["id"]]

    assert client.delete(f"/api/v1/endorsements/{body['id']}/").status_code == 204
    assert Endorsement.objects.get(pk=body["id"]).withdrawn_at is not None
    assert client.get(f"/api/v1/endorsements/?to={other.pk}").json()["count"] == 1
    again = client.delete(f"/api/v1/endorsements/{body['id']}/")
    assert again.status_code == 400 and "already withdrawn" in again.json()["detail"]
    assert client.post("/api/v1/endorsements/", {"to": other.pk}, format="json").status_code == 201


def test_bad_endorsements_are_400(client_for: ClientFor, user: User) -> None:
    client = client_for(user)
    myself = client.post("/api/v1/endorsements/", {"to": user.pk}, format="json")
    assert myself.status_code == 400 and "yourself" in myself.json()["detail"]
    other = UserFactory.create()
    assert client.post("/api/v1/endorsements/", {"to": other.pk}, format="json").status_code == 201
    twice = client.post("/api/v1/endorsements/", {"to": other.pk}, format="json")
    assert twice.status_code == 400 and "already endorse" in twice.json()["detail"]
    for body in ({}, {"to": 999999}, {"to": "x"}, {"to": other.pk, "note": "x" * 501}):
        answer = client.post("/api/v1/endorsements/", body, format="json")
        assert answer.status_code == 400, body
        assert answer.json()["detail"]
    assert client.get("/api/v1/endorsements/?from=abc").status_code == 400
    assert Endorsement.objects.count() == 1


def test_endorsement_permissions(api_client: APIClient, client_for: ClientFor, user: User) -> None:
    theirs = EndorsementFactory.create()
    assert api_client.post("/api/v1/endorsements/", {"to": user.pk}).status_code == 401
    assert api_client.delete(f"/api/v1/endorsements/{theirs.pk}/").status_code == 401
    assert client_for(user).delete(f"/api/v1/endorsements/{theirs.pk}/").status_code == 403
    assert client_for(user).delete("/api/v1/endorsements/999999/").status_code == 404
    assert api_client.get(f"/api/v1/endorsements/{theirs.pk}/").status_code == 200
    assert Endorsement.objects.get(pk=theirs.pk).active


# --- commitments and attestations -----------------------------------------------------------------


def test_make_a_commitment_and_read_it_back(client_for: ClientFor, user: User) -> None:
    process = ProcessFactory.create()
    ParticipationFactory.create(process=process, user=user)
    client = client_for(user)
    answer = client.post(
        "/api/v1/commitments/",
        {"text": "Publish the minutes", "due": _day(10), "process": process.slug},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert {k: body[k] for k in ("author", "text", "due", "process", "is_due")} == {
        "author": user.pk,
        "text": "Publish the minutes",
        "due": _day(10),
        "process": process.slug,
        "is_due": False,
    }
    assert body["url"] == f"/commitments/{body['id']}/"
    assert body["attestations"] == {"kept": 0, "partly": 0, "broken": 0}
    free = client.post("/api/v1/commitments/", {"text": "Y", "due": _day(0)}, format="json")
    assert free.status_code == 201 and free.json()["process"] is None

    listed = client.get(f"/api/v1/commitments/?process={process.slug}").json()
    assert [c["id"] for c in listed["results"]] == [body["id"]]
    assert client.get(f"/api/v1/commitments/?author={user.pk}").json()["count"] == 2
    assert client.get(f"/api/v1/commitments/{body['id']}/").json() == body


def test_bad_commitments_are_400(client_for: ClientFor, user: User) -> None:
    client = client_for(user)
    elsewhere = ProcessFactory.create()
    hidden = ProcessFactory.create(visibility=Visibility.MEMBERS)
    cases = [
        ({"text": "X", "due": _day(-1)}, "past"),
        ({"text": "X", "due": "tomorrow"}, "due"),
        ({"text": "", "due": _day(1)}, "text"),
        ({"due": _day(1)}, "text"),
        ({"text": "X", "due": _day(1), "process": "nope"}, "process"),
        ({"text": "X", "due": _day(1), "process": hidden.slug}, "process"),
        ({"text": "X", "due": _day(1), "process": elsewhere.slug}, "take part"),
        ({"text": "x" * 2001, "due": _day(1)}, "text"),
    ]
    for body, needle in cases:
        answer = client.post("/api/v1/commitments/", body, format="json")
        assert answer.status_code == 400, body
        assert needle in answer.json()["detail"], (body, answer.json())
    assert client.get("/api/v1/commitments/?process=nope").status_code == 400
    assert client.get("/api/v1/commitments/?author=x").status_code == 400


def test_attest_and_reply(client_for: ClientFor, user: User) -> None:
    commitment = CommitmentFactory.create(due_on=timezone.localdate() - timedelta(days=1))
    answer = client_for(user).post(
        f"/api/v1/commitments/{commitment.pk}/attest/",
        {"verdict": "broken", "evidence": "Nothing was published."},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert {k: body[k] for k in ("commitment", "attester", "verdict", "evidence", "reply")} == {
        "commitment": commitment.pk,
        "attester": user.pk,
        "verdict": "broken",
        "evidence": "Nothing was published.",
        "reply": "",
    }
    assert body["url"] == f"/commitments/{commitment.pk}/#attestation-{body['id']}"

    listed = client_for(user).get(f"/api/v1/commitments/{commitment.pk}/attestations/").json()
    assert [a["id"] for a in listed["results"]] == [body["id"]]
    got = client_for(user).get(f"/api/v1/commitments/{commitment.pk}/").json()
    assert got["attestations"] == {"kept": 0, "partly": 0, "broken": 1}

    reply_url = f"/api/v1/attestations/{body['id']}/reply/"
    assert client_for(user).post(reply_url, {"reply": "Mine?"}).status_code == 403
    author = client_for(commitment.author)
    assert author.post(reply_url, {"reply": ""}, format="json").status_code == 400
    replied = author.post(reply_url, {"reply": "It is on page 3."}, format="json")
    assert replied.status_code == 200 and replied.json()["reply"] == "It is on page 3."
    twice = author.post(reply_url, {"reply": "Again"}, format="json")
    assert twice.status_code == 400 and "already replied" in twice.json()["detail"]


@pytest.mark.parametrize(
    ("case", "needle"),
    [
        ("own", "your own commitment"),
        ("not_due", "not due until"),
        ("twice", "already attested"),
        ("bad_verdict", "verdict"),
        ("no_evidence", "evidence"),
    ],
)
def test_bad_attestations_are_400(
    client_for: ClientFor, user: User, case: str, needle: str
) -> None:
    commitment = CommitmentFactory.create(
        author=user if case == "own" else UserFactory.create(),
        due_on=timezone.localdate() + timedelta(days=2 if case == "not_due" else 0),
    )
    if case == "twice":
        AttestationFactory.create(commitment=commitment, attester=user)
    body = {"verdict": "maybe" if case == "bad_verdict" else "kept", "evidence": "Seen."}
    if case == "no_evidence":
        del body["evidence"]
    answer = client_for(user).post(
        f"/api/v1/commitments/{commitment.pk}/attest/", body, format="json"
    )
    assert answer.status_code == 400
    assert needle in answer.json()["detail"]
    assert Attestation.objects.filter(attester=user).count() == (1 if case == "twice" else 0)


def test_unknown_and_hidden_commitments_are_404(
    api_client: APIClient, client_for: ClientFor, user: User
) -> None:
    hidden = ProcessFactory.create(visibility=Visibility.MEMBERS)
    member = ParticipationFactory.create(process=hidden).user
    secret = CommitmentFactory.create(author=member, process=hidden)
    attestation = AttestationFactory.create(commitment=secret)
    client = client_for(user)
    for url in (f"/api/v1/commitments/{secret.pk}/", "/api/v1/commitments/999999/"):
        assert client.get(url).status_code == 404, url
    attest = {"verdict": "kept", "evidence": "Seen."}
    assert client.post(f"/api/v1/commitments/{secret.pk}/attest/", attest).status_code == 404
    assert client.post("/api/v1/commitments/999999/attest/", attest).status_code == 404
    assert client.get(f"/api/v1/attestations/{attestation.pk}/").status_code == 404
    assert client.get("/api/v1/commitments/").json()["count"] == 0
    assert client_for(member).get(f"/api/v1/commitments/{secret.pk}/").status_code == 200
    assert api_client.post("/api/v1/commitments/", {"text": "X", "due": _day(1)}).status_code == 401
    public = CommitmentFactory.create()
    assert api_client.post(f"/api/v1/commitments/{public.pk}/attest/", attest).status_code == 401


# --- recomputation --------------------------------------------------------------------------------


def test_only_admins_recompute(
    api_client: APIClient, client_for: ClientFor, user: User, admin_user: User
) -> None:
    assert api_client.post("/api/v1/trust/recompute/").status_code == 404
    assert client_for(user).post("/api/v1/trust/recompute/").status_code == 404
    assert not TrustComputation.objects.exists()
    answer = client_for(admin_user).post("/api/v1/trust/recompute/")
    assert answer.status_code == 201
    assert answer.json()["users"] == 2 and answer.json()["trigger"] == "admin"
    assert TrustComputation.objects.get().actor == admin_user


# --- query counts ---------------------------------------------------------------------------------


def test_lists_run_a_constant_number_of_queries(
    api_client: APIClient, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    target = UserFactory.create()
    for _ in range(120):
        endorser = UserFactory.create()
        AffiliationFactory.create(user=endorser, primary=True)
        EndorsementFactory.create(from_user=endorser, to_user=target)
        commitment = CommitmentFactory.create(author=endorser)
        AttestationFactory.create(commitment=commitment, attester=target)
    for url in (
        f"/api/v1/endorsements/?to={target.pk}&page_size=150",
        "/api/v1/commitments/?page_size=150",
    ):
        with django_assert_max_num_queries(4):
            answer = api_client.get(url)
        assert answer.json()["count"] == 120, url
    busy = CommitmentFactory.create()
    for attester in UserFactory.create_batch(60):
        AffiliationFactory.create(user=attester, primary=True)
        AttestationFactory.create(commitment=busy, attester=attester)
    with django_assert_max_num_queries(5):
        answer = api_client.get(f"/api/v1/commitments/{busy.pk}/attestations/?page_size=100")
    assert answer.json()["count"] == 60


def test_schema_documents_the_trust_api(api_client: APIClient) -> None:
    paths = api_client.get("/api/schema/?format=json").json()["paths"]
    for path in (
        "/api/v1/stakeholders/{id}/trust/",
        "/api/v1/endorsements/",
        "/api/v1/endorsements/{id}/",
        "/api/v1/commitments/",
        "/api/v1/commitments/{id}/attest/",
        "/api/v1/attestations/{id}/reply/",
        "/api/v1/trust/recompute/",
    ):
        assert path in paths, path


def test_ids_out_of_range_are_bad_input_not_errors(
    api_client: APIClient, client_for: ClientFor, user: User
) -> None:
    huge = "9" * 30
    for url in (
        f"/api/v1/commitments/?author={huge}",
        f"/api/v1/endorsements/?to={huge}",
        f"/api/v1/endorsements/?from={huge}",
    ):
        answer = api_client.get(url)
        assert (answer.status_code, answer.json()["count"]) == (200, 0), url
    client = client_for(user)
    for body in ({"to": int(huge)}, {"to": -5}, {"to": 2**63}):
        assert client.post("/api/v1/endorsements/", body, format="json").status_code == 400
