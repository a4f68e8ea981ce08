"""The consensus API: docs/design.md §3 worked examples end to end, the §11 contract, 4xx and 409
cases."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from consensus import services
from consensus.models import Ballot, IdempotencyKey, Objection
from stakeholders.models import User
from tests.consensus.conftest import Scene, make_scene
from tests.factories import AffiliationFactory, UserFactory

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], APIClient]
GROUPS = [
    "government",
    "private_sector",
    "civil_society",
    "technical_community",
    "academia",
    "intergovernmental",
]


def _new_round(scene: Scene, api: APIClient) -> int:
    version = scene.proposal.versions.get(number=1)
    created = api.post(
        "/api/v1/rounds/",
        {"version": version.pk, "closes_at": (timezone.now() + timedelta(days=2)).isoformat()},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert set(body) >= {"id", "version", "status", "opens_at", "closes_at", "url"}
    assert body["status"] == "draft"
    assert api.post(f"/api/v1/rounds/{body['id']}/open/").json()["status"] == "open"
    return int(body["id"])


def _play(
    scene: Scene, client_for: ClientFor, plan: dict[str, list[str]], *, open_left: int = 0
) -> dict:
    """Cast the planned positions per group through the API, address objections, close, compute."""
    host = client_for(scene.facilitator)
    round_id = _new_round(scene, host)
    for group, positions in plan.items():
        for index, position in enumerate(positions):
            answer = client_for(scene.person(group, index)).put(
                f"/api/v1/rounds/{round_id}/ballot/",
                {
                    "position": position,
                    "rationale": "Not acceptable" if position == "object" else "",
                },
                format="json",
            )
            assert answer.status_code == 201, answer.json()
    objections = host.get(f"/api/v1/objections/?round={round_id}").json()["results"]
    for objection in objections[open_left:]:
        addressed = host.post(
            f"/api/v1/objections/{objection['id']}/address/",
            {"reason": "Considered; see minutes"},
            format="json",
        )
        assert addressed.status_code == 200
    assert host.post(f"/api/v1/rounds/{round_id}/close/").status_code == 200
    pending = APIClient().get(f"/api/v1/rounds/{round_id}/result/")
    assert pending.status_code == 202
    assert pending.json() == {"status": "pending"}
    services.compute_pending_outcomes()
    result = APIClient().get(f"/api/v1/rounds/{round_id}/result/")
    assert result.status_code == 200
    return result.json()


def test_every_group_4_support_1_object_all_addressed_is_consensus(client_for: ClientFor) -> None:
    result = _play(make_scene(), client_for, {g: ["support"] * 4 + ["object"] for g in GROUPS})
    assert result["computed_designation"] == "consensus"
    assert result["groups"]["academia"]["p"] == pytest.approx(5 / 7)
    assert result["x_share"] == pytest.approx(0.2)
    assert result["open_objections"] == 0
    assert result["status"] == "computed"
    assert result["designation"] is None


def test_the_same_with_one_objection_open_is_strong_support(client_for: ClientFor) -> None:
    result = _play(
        make_scene(), client_for, {g: ["support"] * 4 + ["object"] for g in GROUPS}, open_left=1
    )
    assert result["computed_designation"] == "strong_support"
    assert result["open_objections"] == 1


def test_a_whole_group_overruled_is_never_consensus(client_for: ClientFor) -> None:
    plan = {g: ["support"] * 5 for g in GROUPS[:5]} | {GROUPS[5]: ["object"] * 5}
    result = _play(make_scene(), client_for, plan)
    assert result["computed_designation"] == "strong_support"
    assert result["s_min"] == pytest.approx(1 / 7)


def test_one_support_per_group_is_full_consensus(client_for: ClientFor) -> None:
    result = _play(make_scene(), client_for, {g: ["support"] for g in GROUPS})
    assert result["computed_designation"] == "full_consensus"
    assert result["quorum_met"] is True
    assert all(v["p"] == pytest.approx(2 / 3) for v in result["groups"].values())


def test_a_missing_expected_group_fails_the_quorum(client_for: ClientFor) -> None:
    result = _play(make_scene(), client_for, {g: ["support"] for g in GROUPS[:5]})
    assert result["quorum_met"] is False
    assert result["computed_designation"] == "strong_support"
    assert result["groups"]["intergovernmental"]["p"] is None


def test_half_support_half_objection_everywhere_is_divergence(client_for: ClientFor) -> None:
    result = _play(make_scene(), client_for, {g: ["support"] * 3 + ["object"] * 3 for g in GROUPS})
    assert result["computed_designation"] == "divergence"
    assert result["s_mean"] == pytest.approx(0.5)
    assert set(result["regions"]) >= {"africa", "western_europe_others"}


def test_ballot_contract_changes_idempotency_and_409(client_for: ClientFor, scene: Scene) -> None:
    host = client_for(scene.facilitator)
    round_id = _new_round(scene, host)
    voter = scene.person("government")
    api = client_for(voter)
    url = f"/api/v1/rounds/{round_id}/ballot/"
    first = api.put(url, {"position": "support"}, format="json")
    assert first.status_code == 201
    assert set(first.json()) >= {"position", "rationale", "affiliation", "cast_at"}
    changed = api.put(url, {"position": "accept", "rationale": "Some concerns"}, format="json")
    assert changed.status_code == 200
    assert api.get(url).json()["position"] == "accept"

    keyed = api.put(url, {"position": "abstain"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    replay = api.put(url, {"position": "abstain"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert replay.status_code == keyed.status_code == 200
    assert replay.json() == keyed.json()
    assert Ballot.objects.get(round_id=round_id, user=voter, current=True).position == "abstain"
    assert IdempotencyKey.objects.filter(user=voter, key="k-1").count() == 1

    host.post(f"/api/v1/rounds/{round_id}/close/")
    assert host.post(f"/api/v1/rounds/{round_id}/close/").status_code == 200, (
        "closing twice is harmless"
    )
    late = api.put(url, {"position": "support"}, format="json")
    assert late.status_code == 409
    assert "not open" in late.json()["detail"]
    assert Ballot.objects.filter(round_id=round_id, user=voter).count() == 3


def test_bad_ballots_are_clear_4xx(client_for: ClientFor, scene: Scene) -> None:
    round_id = _new_round(scene, client_for(scene.facilitator))
    url = f"/api/v1/rounds/{round_id}/ballot/"
    voter = client_for(scene.person("academia"))
    no_reason = voter.put(url, {"position": "object"}, format="json")
    assert no_reason.status_code == 400
    assert "rationale" in no_reason.json()
    assert voter.put(url, {"position": "maybe"}, format="json").status_code == 400
    foreign_hat = voter.put(
        url, {"position": "support", "affiliation": AffiliationFactory.create().pk}, format="json"
    )
    assert foreign_hat.status_code == 400
    outsider = UserFactory.create()
    AffiliationFactory.create(user=outsider)
    not_joined = client_for(outsider).put(url, {"position": "support"}, format="json")
    assert not_joined.status_code == 403
    assert "Join" in not_joined.json()["detail"]
    assert APIClient().put(url, {"position": "support"}, format="json").status_code == 401
    assert (
        voter.put(
            "/api/v1/rounds/999999/ballot/", {"position": "support"}, format="json"
        ).status_code
        == 404
    )
    assert voter.get("/api/v1/rounds/null,null/ballot/").status_code == 404
    assert voter.put("/api/v1/rounds/abc/ballot/", {"position": "support"}).status_code == 404
    assert not Ballot.objects.exists()


def test_casting_reads_no_round_and_a_hidden_round_stays_404(
    client_for: ClientFor, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    """The cast's own statement checks the round; a round the caster may not see (members-only,
    or still a draft) answers 404 as before, never a 403 or 409 that would say it exists."""
    private = make_scene(visibility="members")
    open_round = private.open_round()
    member = client_for(private.person("government"))
    url = f"/api/v1/rounds/{open_round.pk}/ballot/"
    assert member.put(url, {"position": "support"}, format="json").status_code == 201
    # The token, the lock-and-check statement, the one statement that retires the last ballot and
    # stores the new one, and the savepoint pair that stands for BEGIN/COMMIT inside the test's
    # transaction: no round read.
    with django_assert_max_num_queries(5):
        assert member.put(url, {"position": "accept"}, format="json").status_code == 200
    outsider = UserFactory.create()
    AffiliationFactory.create(user=outsider)
    hidden = client_for(outsider).put(url, {"position": "support"}, format="json")
    assert hidden.status_code == 404
    version = private.proposal.versions.get()
    draft = services.round_create(
        actor=private.facilitator, version=version, closes_at=timezone.now() + timedelta(days=1)
    )
    early = member.put(f"/api/v1/rounds/{draft.pk}/ballot/", {"position": "support"}, format="json")
    assert early.status_code == 404
    assert Ballot.objects.filter(round=draft).count() == 0
    assert Ballot.objects.filter(round=open_round).count() == 2


def test_round_management_needs_the_facilitator(client_for: ClientFor, scene: Scene) -> None:
    member = client_for(scene.person("government"))
    version = scene.proposal.versions.get()
    closes = (timezone.now() + timedelta(days=1)).isoformat()
    assert (
        member.post(
            "/api/v1/rounds/", {"version": version.pk, "closes_at": closes}, format="json"
        ).status_code
        == 403
    )
    past = client_for(scene.facilitator).post(
        "/api/v1/rounds/",
        {"version": version.pk, "closes_at": "2020-01-01T00:00:00Z"},
        format="json",
    )
    assert past.status_code == 400
    round_id = _new_round(scene, client_for(scene.facilitator))
    assert member.post(f"/api/v1/rounds/{round_id}/close/").status_code == 403
    assert (
        member.post(
            f"/api/v1/rounds/{round_id}/declare/", {"designation": "consensus"}, format="json"
        ).status_code
        == 403
    )
    early = client_for(scene.facilitator).post(
        f"/api/v1/rounds/{round_id}/declare/", {"designation": "consensus"}, format="json"
    )
    assert early.status_code == 403, "declaring needs a closed round"


def test_declare_through_the_api(client_for: ClientFor, scene: Scene) -> None:
    host = client_for(scene.facilitator)
    round_id = _new_round(scene, host)
    client_for(scene.person("civil_society")).put(
        f"/api/v1/rounds/{round_id}/ballot/",
        {"position": "object", "rationale": "No appeal"},
        format="json",
    )
    host.post(f"/api/v1/rounds/{round_id}/close/")
    services.compute_pending_outcomes()
    no_reason = host.post(
        f"/api/v1/rounds/{round_id}/declare/", {"designation": "consensus"}, format="json"
    )
    assert no_reason.status_code == 400
    reasoned = {"designation": "strong_support", "rationale": "The objection was heard at length."}
    over_open = host.post(f"/api/v1/rounds/{round_id}/declare/", reasoned, format="json")
    assert over_open.status_code == 400, "an open objection needs an explicit choice"
    assert "over_open_objections" in over_open.json()
    declared = host.post(
        f"/api/v1/rounds/{round_id}/declare/",
        {**reasoned, "over_open_objections": True},
        format="json",
    )
    assert declared.status_code == 200
    body = declared.json()
    assert body["status"] == "declared"
    assert body["designation"] == "strong_support"
    assert body["computed_designation"] == "divergence"
    again = host.post(
        f"/api/v1/rounds/{round_id}/declare/", {"designation": "divergence"}, format="json"
    )
    assert again.status_code in (403, 409)


def test_objection_contract_and_privacy(client_for: ClientFor, scene: Scene) -> None:
    host = client_for(scene.facilitator)
    round_id = _new_round(scene, host)
    objector = scene.person("academia")
    client_for(objector).put(
        f"/api/v1/rounds/{round_id}/ballot/",
        {"position": "object", "rationale": "Vague"},
        format="json",
    )
    (row,) = APIClient().get(f"/api/v1/objections/?round={round_id}").json()["results"]
    assert {k: row[k] for k in ("round", "text", "state", "objector", "response")} == {
        "round": round_id,
        "text": "Vague",
        "state": "open",
        "objector": objector.pk,
        "response": "",
    }
    objection = Objection.objects.get()
    assert (
        host.post(
            f"/api/v1/objections/{objection.pk}/address/", {"reason": ""}, format="json"
        ).status_code
        == 400
    )
    assert (
        client_for(scene.person("government"))
        .post(f"/api/v1/objections/{objection.pk}/withdraw/")
        .status_code
        == 403
    )
    assert (
        client_for(objector).post(f"/api/v1/objections/{objection.pk}/withdraw/").json()["state"]
        == "withdrawn"
    )
    assert (
        client_for(objector).post(f"/api/v1/objections/{objection.pk}/withdraw/").status_code == 403
    )
    assert APIClient().get("/api/v1/objections/?round=abc").status_code == 400

    private_round = scene.open_round(ballot_visibility="group_only")
    services.ballot_cast(
        actor=objector, round_=private_round, position="object", rationale="Still vague"
    )
    (hidden,) = APIClient().get(f"/api/v1/objections/?round={private_round.pk}").json()["results"]
    assert hidden["objector"] is None
    assert hidden["stakeholder_group"] == "academia"


def test_the_whole_journey_through_the_api(client_for: ClientFor, scene: Scene) -> None:
    """Cast, change and object; address one objection, accommodate another in version 3; a
    second round carries the open one over; close, declare; the exports show it all."""
    host = client_for(scene.facilitator)
    first = _new_round(scene, host)
    gov, civil, academic, tech = (
        scene.person(g) for g in ("government", "civil_society", "academia", "technical_community")
    )
    url = f"/api/v1/rounds/{first}/ballot/"
    client_for(gov).put(url, {"position": "support"}, format="json")
    assert (
        client_for(gov)
        .put(url, {"position": "accept", "rationale": "Concerns"}, format="json")
        .status_code
        == 200
    )
    for person, text in (
        (civil, "No appeal"),
        (academic, "Vague clause 2"),
        (tech, "48 hours is too short"),
    ):
        assert (
            client_for(person)
            .put(url, {"position": "object", "rationale": text}, format="json")
            .status_code
            == 201
        )
    by_text = {
        o["text"]: o["id"] for o in host.get(f"/api/v1/objections/?round={first}").json()["results"]
    }
    assert (
        host.post(
            f"/api/v1/objections/{by_text['No appeal']}/address/",
            {"reason": "Out of scope"},
            format="json",
        ).status_code
        == 200
    )
    for n in (2, 3):
        published = host.post(
            f"/api/v1/proposals/{scene.proposal.pk}/versions/",
            {"text": f"Version {n}"},
            format="json",
        )
        assert published.json()["number"] == n
    v3 = scene.proposal.versions.get(number=3)
    accommodated = host.post(
        f"/api/v1/objections/{by_text['Vague clause 2']}/accommodate/",
        {"reason": "Clause 2 rewritten", "version": v3.pk},
        format="json",
    )
    assert accommodated.json()["state"] == "accommodated"
    host.post(f"/api/v1/rounds/{first}/close/")
    services.compute_pending_outcomes()
    assert (
        host.post(
            f"/api/v1/rounds/{first}/declare/",
            {"designation": "divergence", "over_open_objections": True},
            format="json",
        ).status_code
        == 200
    )

    second = host.post(
        "/api/v1/rounds/",
        {"version": v3.pk, "closes_at": (timezone.now() + timedelta(days=2)).isoformat()},
        format="json",
    ).json()["id"]
    host.post(f"/api/v1/rounds/{second}/open/")
    (carried,) = host.get(f"/api/v1/objections/?round={second}").json()["results"]
    assert (carried["text"], carried["state"], carried["carried_from"]) == (
        "48 hours is too short",
        "open",
        by_text["48 hours is too short"],
    )
    assert (
        client_for(tech)
        .post(f"/api/v1/objections/{carried['id']}/answer/", {"resolved": True}, format="json")
        .json()["state"]
        == "accommodated"
    )
    for person in (gov, civil, academic, tech):
        client_for(person).put(
            f"/api/v1/rounds/{second}/ballot/", {"position": "support"}, format="json"
        )
    host.post(f"/api/v1/rounds/{second}/close/")
    services.compute_pending_outcomes()
    declared = host.post(
        f"/api/v1/rounds/{second}/declare/",
        {"designation": "strong_support", "rationale": ""},
        format="json",
    )
    assert declared.json()["designation"] == "strong_support"

    exported = APIClient().get(f"/processes/{scene.process.slug}/rounds/{first}/export.json").json()
    assert {o["state"] for o in exported["objections"]} == {"addressed", "accommodated", "open"}
    assert exported["outcome"]["declared_designation"] == "divergence"
    record = APIClient().get("/api/v1/audit/?page_size=200").json()["results"]
    actions = [event["action"] for event in record]
    for action in (
        "round.open",
        "objection.addressed",
        "objection.accommodated",
        "outcome.declare",
    ):
        assert action in actions
