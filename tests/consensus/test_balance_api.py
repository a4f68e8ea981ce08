"""The balance and support API: the docs/design.md §11 shape, who may do what, clear 4xx, query
counts."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from consensus.balance import services as balance_service
from consensus.balance import support as balance_support
from consensus.balance.text import DIMENSIONS
from consensus.models import BalanceSnapshot, SnapshotTrigger, SupportRequest, SupportStatus
from deliberation import services as deliberation_services
from deliberation.models import Process, Visibility
from record.models import AuditEvent
from stakeholders.models import User
from tests.deliberation.conftest import Cast, make_cast
from tests.factories import (
    AffiliationFactory,
    BalanceSnapshotFactory,
    ParticipationFactory,
    SupportRequestFactory,
)

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], APIClient]

ROLES = ["anonymous", "outsider", "member", "other_member", "facilitator", "other_facilitator"]
ROLES += ["admin"]


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def _client(cast: Cast, role: str, client_for: ClientFor) -> APIClient:
    return APIClient() if role == "anonymous" else client_for(getattr(cast, role))


def _balance_url(process: Process, tail: str = "") -> str:
    return f"/api/v1/processes/{process.slug}/balance/{tail}"


def test_the_balance_has_exactly_the_spec_shape(api_client: APIClient, cast: Cast) -> None:
    deliberation_services.comment_create(actor=cast.member, issue=cast.issue, body="A view")

    answer = api_client.get(_balance_url(cast.process))

    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"computed_at", "dimensions"}
    assert list(body["dimensions"]) == list(DIMENSIONS)
    for dimension in body["dimensions"].values():
        assert set(dimension) == {"index", "categories", "alerts"}
        for figures in dimension["categories"].values():
            assert set(figures) == {"contributions", "participants", "share", "ratio"}
            assert isinstance(figures["contributions"], int)
            assert isinstance(figures["share"], float)
        for alert in dimension["alerts"]:
            assert set(alert) == {"kind", "category", "message"}
    groups = body["dimensions"]["stakeholder_group"]
    # The member's comment and the version 1 the member wrote: both civil society.
    assert groups["categories"]["civil_society"] == {
        "contributions": 2,
        "participants": 1,
        "share": 1.0,
        "ratio": 6.0,
    }
    assert groups["index"] == 0.0
    assert {"kind": "absent", "category": "government"} in [
        {"kind": a["kind"], "category": a["category"]} for a in groups["alerts"]
    ]
    assert not BalanceSnapshot.objects.exists(), "computed on the fly, not stored"


def test_the_balance_is_the_latest_snapshot_worded_in_the_request_language(
    api_client: APIClient, cast: Cast
) -> None:
    older = BalanceSnapshotFactory.create(process=cast.process)
    latest = balance_service.balance_snapshot_create(
        actor=None, process=cast.process, trigger=SnapshotTrigger.ON_DEMAND
    )
    stored = latest.dimensions
    stored["stakeholder_group"]["alerts"][0]["message"] = "Texte d'une autre langue"
    BalanceSnapshot.objects.filter(pk=latest.pk).update(dimensions=stored)

    body = api_client.get(_balance_url(cast.process)).json()

    assert body["computed_at"].startswith(latest.computed_at.isoformat()[:19])
    assert older.computed_at < latest.computed_at
    alert = body["dimensions"]["stakeholder_group"]["alerts"][0]
    assert alert["message"] == "No government participant has taken part yet."


def test_history_pages_through_snapshots_newest_first(
    api_client: APIClient, cast: Cast, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    snapshots = BalanceSnapshotFactory.create_batch(60, process=cast.process)
    BalanceSnapshotFactory.create()

    with django_assert_max_num_queries(4):
        answer = api_client.get(_balance_url(cast.process, "history/"))

    body = answer.json()
    assert body["count"] == 60
    assert body["next"] is not None
    assert len(body["results"]) == 50
    first = body["results"][0]
    assert set(first) == {"id", "computed_at", "trigger", "round", "totals", "dimensions"}
    assert first["id"] == max(s.pk for s in snapshots)
    assert first["totals"]["contributions"] == 6


@pytest.mark.parametrize("tail", ["", "history/"])
@pytest.mark.parametrize("role", ROLES)
def test_a_members_only_balance_is_404_for_others(
    tail: str, role: str, client_for: ClientFor
) -> None:
    cast = make_cast(Visibility.MEMBERS)
    expected = 200 if role in ("member", "other_member", "facilitator", "admin") else 404

    answer = _client(cast, role, client_for).get(_balance_url(cast.process, tail))

    assert answer.status_code == expected
    if expected == 404:
        assert "detail" in answer.json()


def test_an_unknown_process_has_no_balance(api_client: APIClient) -> None:
    assert api_client.get("/api/v1/processes/nope/balance/").status_code == 404


def _snapshot(cast: Cast, api: APIClient) -> Any:
    return api.post(_balance_url(cast.process, "snapshot/"))


def _ask(cast: Cast, api: APIClient) -> Any:
    return api.post(
        "/api/v1/support-requests/",
        {
            "process": cast.process.slug,
            "kind": "travel",
            "description": "A flight",
            "amount_requested": "400",
        },
        format="json",
    )


def _members_request(cast: Cast) -> SupportRequest:
    return balance_support.support_request_create(
        actor=cast.member,
        process=cast.process,
        kind="connectivity",
        description="Mobile data",
        amount_requested=Decimal(200),
    )


def _grant(cast: Cast, api: APIClient) -> Any:
    request = _members_request(cast)
    return api.post(f"/api/v1/support-requests/{request.pk}/grant/", {"amount": "150"})


def _decline(cast: Cast, api: APIClient) -> Any:
    request = _members_request(cast)
    return api.post(f"/api/v1/support-requests/{request.pk}/decline/", {"reason": "Online only"})


def _withdraw(cast: Cast, api: APIClient) -> Any:
    request = _members_request(cast)
    return api.post(f"/api/v1/support-requests/{request.pk}/withdraw/")


def _read_request(cast: Cast, api: APIClient) -> Any:
    request = _members_request(cast)
    return api.get(f"/api/v1/support-requests/{request.pk}/")


# role → expected status, in ROLES order
TABLE: dict[str, tuple[Callable[[Cast, APIClient], Any], list[int]]] = {
    "take a snapshot": (_snapshot, [401, 403, 403, 403, 201, 403, 403]),
    "ask for support": (_ask, [401, 403, 201, 201, 403, 403, 403]),
    "grant the member's request": (_grant, [401, 404, 403, 404, 200, 404, 404]),
    "decline the member's request": (_decline, [401, 404, 403, 404, 200, 404, 404]),
    "withdraw the member's request": (_withdraw, [401, 404, 200, 404, 403, 404, 404]),
    "read the member's request": (_read_request, [401, 404, 200, 404, 200, 404, 404]),
}
CASES = [
    pytest.param(action, role, statuses[i], id=f"{action}-{role}")
    for action, (_call, statuses) in TABLE.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_who_may_do_what(action: str, role: str, expected: int, client_for: ClientFor) -> None:
    cast = make_cast()
    cast.process.support_budget = Decimal(1000)
    cast.process.save()
    for person in (cast.other_facilitator, cast.admin):
        AffiliationFactory.create(user=person, primary=True)
    call, _statuses = TABLE[action]

    answer = call(cast, _client(cast, role, client_for))

    assert answer.status_code == expected, answer.content
    assert "detail" in answer.json() or expected in (200, 201)


def test_a_snapshot_taken_on_demand_is_answered_in_full(cast: Cast, client_for: ClientFor) -> None:
    answer = _snapshot(cast, client_for(cast.facilitator))

    body = answer.json()
    snapshot = BalanceSnapshot.objects.get()
    assert body["id"] == snapshot.pk
    assert body["trigger"] == "on_demand"
    assert snapshot.taken_by == cast.facilitator
    assert list(body["dimensions"]) == list(DIMENSIONS)


def test_a_requester_lists_their_own_requests_with_priority(
    cast: Cast, client_for: ClientFor
) -> None:
    mine = _members_request(cast)
    SupportRequestFactory.create(process=cast.process)

    body = (
        client_for(cast.member).get(f"/api/v1/support-requests/?process={cast.process.slug}").json()
    )

    assert [r["id"] for r in body["results"]] == [mine.pk]
    result = body["results"][0]
    assert result["process"] == cast.process.slug
    assert result["status"] == "requested"
    assert result["amount_requested"] == "200.00"
    assert result["stakeholder_group"] == "civil_society"
    assert isinstance(result["priority"], float)
    assert result["url"] == f"/processes/{cast.process.slug}/support/#request-{mine.pk}"


def test_facilitators_list_the_queue_in_priority_order(
    cast: Cast, client_for: ClientFor, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    # Only civil society has spoken: a government requester ranks above a civil society one,
    # an unfunded one above both; a decided request comes after the waiting ones.
    civil = SupportRequestFactory.create(process=cast.process, stakeholder_group="civil_society")
    unfunded = SupportRequestFactory.create(
        process=cast.process, stakeholder_group="government", funding="unfunded"
    )
    government = SupportRequestFactory.create(process=cast.process, stakeholder_group="government")
    declined = SupportRequestFactory.create(
        process=cast.process, status=SupportStatus.DECLINED, decision_reason="No budget"
    )
    SupportRequestFactory.create_batch(20, process=cast.process, stakeholder_group="academia")
    api = client_for(cast.facilitator)

    with django_assert_max_num_queries(12):
        body = api.get(f"/api/v1/support-requests/?process={cast.process.slug}&page_size=200")

    ids = [r["id"] for r in body.json()["results"]]
    assert ids.index(unfunded.pk) < ids.index(government.pk) < ids.index(civil.pk)
    assert ids[-1] == declined.pk
    priorities = [r["priority"] for r in body.json()["results"][:-1]]
    assert priorities == sorted(priorities, reverse=True)


def test_the_support_list_needs_a_visible_process(cast: Cast, client_for: ClientFor) -> None:
    api = client_for(cast.member)
    assert api.get("/api/v1/support-requests/").status_code == 400
    assert api.get("/api/v1/support-requests/?process=nope").status_code == 400
    hidden = make_cast(Visibility.MEMBERS)
    answer = api.get(f"/api/v1/support-requests/?process={hidden.process.slug}")
    assert answer.status_code == 400
    assert "No such process" in answer.json()["detail"]
    assert _ask(hidden, api).status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "lunch", "description": "x", "amount_requested": "1"},
        {"kind": "travel", "description": "", "amount_requested": "1"},
        {"kind": "travel", "description": "x", "amount_requested": "-5"},
        {"kind": "travel", "description": "x", "amount_requested": "1e20"},
        {"kind": "travel", "description": "x"},
    ],
)
def test_bad_support_requests_are_400(cast: Cast, client_for: ClientFor, body: dict) -> None:
    answer = client_for(cast.member).post(
        "/api/v1/support-requests/", {"process": cast.process.slug, **body}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["detail"]


def test_a_grant_over_budget_is_400_and_deciding_twice_is_409(
    cast: Cast, client_for: ClientFor
) -> None:
    cast.process.support_budget = Decimal(100)
    cast.process.save()
    request = _members_request(cast)
    api = client_for(cast.facilitator)
    url = f"/api/v1/support-requests/{request.pk}/"

    over = api.post(f"{url}grant/", {"amount": "150"})
    assert over.status_code == 400
    assert "100.00 left" in over.json()["detail"]
    assert api.post(f"{url}grant/", {"amount": "abc"}).status_code == 400
    assert api.post(f"{url}decline/", {"reason": ""}).status_code == 400

    granted = api.post(f"{url}grant/", {"amount": "100"})
    assert granted.status_code == 200
    assert granted.json()["status"] == "granted"
    assert granted.json()["amount_granted"] == "100.00"

    again = api.post(f"{url}grant/", {"amount": "1"})
    assert again.status_code == 409
    assert "already decided" in again.json()["detail"]
    assert api.post(f"{url}decline/", {"reason": "Late"}).status_code == 409
    assert client_for(cast.member).post(f"{url}withdraw/").status_code == 409


def test_the_process_budget_is_part_of_the_process(cast: Cast, client_for: ClientFor) -> None:
    api = client_for(cast.facilitator)
    url = f"/api/v1/processes/{cast.process.slug}/"

    changed = api.patch(url, {"support_budget": "2500.50"}, format="json")

    assert changed.status_code == 200
    assert changed.json()["support_budget"] == "2500.50"
    event = AuditEvent.objects.filter(action="process.update").get()
    assert event.data == {"support_budget": "2500.50"}
    assert api.patch(url, {"support_budget": "-1"}, format="json").status_code == 400
    member = ParticipationFactory.create(process=cast.process).user
    assert client_for(member).get(url).json()["support_budget"] == "2500.50"
