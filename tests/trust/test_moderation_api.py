"""The moderation API: the §11 contract for flags, cases, actions, appeals, signals and the log."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from stakeholders.models import Attribution, User
from tests.factories import AffiliationFactory, CommentFactory, UserFactory
from trust.models import ModerationCase

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], APIClient]


def test_the_whole_moderation_journey_through_the_api(client_for: ClientFor) -> None:
    first, second, third = (UserFactory.create(is_staff=True) for _ in range(3))
    comment = CommentFactory.create()
    author = comment.author
    reporter = client_for(UserFactory.create())
    flagged = reporter.post(
        "/api/v1/flags/",
        {"target_type": "comment", "target_id": comment.pk, "reason": "Personal attack"},
        format="json",
    )
    assert flagged.status_code == 201, flagged.json()
    assert set(flagged.json()) >= {"id", "target_type", "target_id", "reason", "created_at"}
    again = reporter.post(
        "/api/v1/flags/",
        {"target_type": "comment", "target_id": comment.pk, "reason": "Again"},
        format="json",
    )
    assert again.status_code == 400 and "target_id" in again.json()

    admin = client_for(first)
    cases = admin.get("/api/v1/moderation/cases/").json()
    assert cases["count"] == 1
    case = cases["results"][0]
    assert case["subject"] == author.pk and case["reasons"] == ["flags"]
    assert case["flags"][0]["excerpt"] == comment.body
    url = f"/api/v1/moderation/cases/{case['id']}/actions/"
    warned = admin.post(url, {"kind": "private_warning", "reason": "Mind the tone"}, format="json")
    assert warned.status_code == 201, warned.json()
    too_long = admin.post(
        url, {"kind": "suspension", "reason": "Threats", "days": 45}, format="json"
    )
    assert too_long.status_code == 400
    no_reason = admin.post(url, {"kind": "suspension", "days": 7}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    suspended = admin.post(
        url, {"kind": "suspension", "reason": "Threats", "days": 7}, format="json"
    )
    assert suspended.status_code == 201
    action = suspended.json()
    assert action["kind"] == "suspension" and action["ends_at"]

    # Suspended, the author still reads the decision about them and appeals it.
    assert client_for(author).get(f"/api/v1/moderation/actions/{action['id']}/").status_code == 200
    appealed = client_for(author).post(
        f"/api/v1/moderation/actions/{action['id']}/appeal/",
        {"text": "I was quoted"},
        format="json",
    )
    assert appealed.status_code == 201, appealed.json()
    appeal_id = appealed.json()["id"]
    same_admin = admin.post(
        f"/api/v1/moderation/appeals/{appeal_id}/decide/",
        {"decision": "overturned", "reason": "x"},
        format="json",
    )
    assert same_admin.status_code == 400
    decided = client_for(second).post(
        f"/api/v1/moderation/appeals/{appeal_id}/decide/",
        {"decision": "upheld", "reason": "The threat is explicit"},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["decision"] == "upheld"

    ban = admin.post(url, {"kind": "ban", "reason": "Repeated threats"}, format="json").json()
    assert ban["confirmed_at"] is None
    confirm = f"/api/v1/moderation/actions/{ban['id']}/confirm/"
    assert admin.post(confirm).status_code == 400
    assert client_for(third).post(confirm).json()["confirmed_by"] == third.pk
    author.refresh_from_db()
    assert author.banned_at is not None

    log = APIClient().get("/api/v1/moderation/log/").json()
    kinds = [entry["kind"] for entry in log["results"]]
    assert kinds == ["ban", "suspension"], "a private warning never names anyone in public"
    by_kind = {entry["kind"]: entry for entry in log["results"]}
    assert by_kind["suspension"]["reason"] == "Threats"
    assert by_kind["suspension"]["appeal"] == "upheld"
    assert by_kind["suspension"]["appeal_reason"] == "The threat is explicit"

    closed = admin.post(
        f"/api/v1/moderation/cases/{case['id']}/close/", {"reason": "Done"}, format="json"
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert admin.get("/api/v1/moderation/cases/?status=closed").json()["count"] == 1


def test_the_log_shows_a_group_only_person_by_group(client_for: ClientFor) -> None:
    person = UserFactory.create(attribution=Attribution.GROUP_ONLY, country="BR")
    AffiliationFactory.create(user=person, primary=True, stakeholder_group="civil_society")
    case = ModerationCase.objects.create(subject=person)
    admin = client_for(UserFactory.create(is_staff=True))
    admin.post(
        f"/api/v1/moderation/cases/{case.pk}/actions/",
        {"kind": "public_warning", "reason": "Spam links"},
        format="json",
    )
    entry = APIClient().get("/api/v1/moderation/log/").json()["results"][0]
    assert entry["subject"] == "A civil society participant from Latin America and the Caribbean"
    assert entry["subject_id"] is None
    assert person.display_name not in str(entry)
    assert admin.get("/api/v1/moderation/log/").json()["results"][0]["subject_id"] == person.pk


def test_signals_are_computed_on_demand_and_listed_for_admins(client_for: ClientFor) -> None:
    admin = client_for(UserFactory.create(is_staff=True))
    target = UserFactory.create()
    for _ in range(3):
        client_for(UserFactory.create()).post(
            "/api/v1/flags/",
            {"target_type": "user", "target_id": target.pk, "reason": "Fake"},
            format="json",
        )
    computed = admin.post("/api/v1/moderation/signals/compute/")
    assert computed.status_code == 201
    assert computed.json()["flagged"] == 1 and computed.json()["cases_opened"] == 0
    listed = admin.get("/api/v1/moderation/signals/").json()
    assert listed["count"] == 1
    signal = listed["results"][0]
    assert set(signal) == {"user", "kind", "score", "flagged", "evidence", "computed_at"}
    assert signal["user"] == target.pk and signal["kind"] == "flags"
    assert signal["evidence"]["reports"] == 3
    assert admin.get("/api/v1/moderation/signals/?all=1").json()["count"] >= 1


@pytest.mark.parametrize(
    "body",
    [
        {"target_type": "comment", "target_id": 0, "reason": "x"},
        {"target_type": "planet", "target_id": 1, "reason": "x"},
        {"target_type": "user", "target_id": "abc", "reason": "x"},
        {"target_type": "user", "target_id": 1},
        {"target_type": "user", "target_id": 10**30, "reason": "x"},
    ],
)
def test_bad_flags_get_a_clear_400(body: dict[str, object], client_for: ClientFor) -> None:
    answer = client_for(UserFactory.create()).post("/api/v1/flags/", body, format="json")
    assert answer.status_code == 400, answer.content
