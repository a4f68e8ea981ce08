"""The public record shows each reader only what every other page would: nothing of processes they
may not read, and nobody who chose to be shown by group only (unless they may know who)."""

from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from consensus import services as consensus
from consensus.models import BallotVisibility
from deliberation import services as deliberation
from deliberation.models import Visibility
from record.models import AuditEvent
from stakeholders import services as stakeholders
from stakeholders.models import Attribution, User
from tests.consensus.conftest import make_scene
from tests.factories import AffiliationFactory, ModerationCaseFactory, UserFactory, enrol_totp
from trust.moderation import services as moderation

pytestmark = pytest.mark.django_db
SECRET_TITLE = "Closed-door talks on the root zone"


def _events(viewer: User | None) -> list[dict[str, Any]]:
    client = APIClient()
    if viewer is not None:
        client.force_authenticate(viewer)
    return client.get("/api/v1/audit/?page_size=200").json()["results"]


def _event(viewer: User | None, action: str) -> dict[str, Any]:
    """The first event with this action, as `viewer` sees it."""
    seq = AuditEvent.objects.filter(action=action).values_list("seq", flat=True).first()
    return next(seen for seen in _events(viewer) if seen["seq"] == seq)


@pytest.fixture
def members_only(settings: Settings) -> dict[str, User]:
    settings.REQUIRE_STAFF_MFA = True
    facilitator = UserFactory.create(is_facilitator=True)
    enrol_totp(facilitator)
    process = deliberation.process_create(
        actor=facilitator, title=SECRET_TITLE, visibility=Visibility.MEMBERS
    )
    member = UserFactory.create()
    AffiliationFactory.create(user=member, primary=True)
    deliberation.participation_join(actor=member, process=process)
    deliberation.issue_create(actor=member, process=process, title="Agenda", body="First")
    admin = UserFactory.create(is_staff=True)
    admin_without_totp = UserFactory.create(is_staff=True)
    enrol_totp(admin)
    return {
        "facilitator": facilitator,
        "member": member,
        "admin": admin,
        "admin_without_totp": admin_without_totp,
        "outsider": UserFactory.create(),
    }


def test_events_of_a_members_only_process_are_withheld_from_those_who_may_not_read_it(
    members_only: dict[str, User],
) -> None:
    for reader in (None, members_only["outsider"], members_only["admin_without_totp"]):
        seen = _event(reader, "process.create")
        assert seen["action"] == "redacted"
        assert seen["data"] is None
        assert seen["public"] is False
        assert seen["hash"]
        body = str(_events(reader))
        assert SECRET_TITLE not in body
        assert "issue.open" not in body
    for name in ("member", "facilitator", "admin"):
        seen = _event(members_only[name], "process.create")
        assert seen["data"]["title"] == SECRET_TITLE, name
    page = Client().get("/record/").content.decode()
    assert SECRET_TITLE not in page
    assert "process.create" not in page


def test_a_group_only_person_is_not_linked_to_their_moderation_action_hat_or_objection(
    settings: Settings,
) -> None:
    settings.REQUIRE_STAFF_MFA = True
    scene = make_scene()
    objector = scene.person("civil_society")
    objector.attribution = Attribution.GROUP_ONLY
    objector.save()
    hat = objector.affiliations.get()
    admin = UserFactory.create(is_staff=True)
    enrol_totp(admin)
    stakeholders.affiliation_verify(actor=admin, affiliation=hat)
    consensus.ballot_cast(
        actor=objector, round_=scene.open_round(), position="object", rationale="No"
    )
    case = ModerationCaseFactory.create(subject=objector)
    moderation.action_take(
        actor=admin, case=case, kind="public_warning", reason="Insults in the thread"
    )
    admin_without_totp = UserFactory.create(is_staff=True)
    for reader in (None, UserFactory.create(), admin_without_totp):
        for action in ("affiliation.verify", "objection.open", "moderation.action"):
            seen = _event(reader, action)
            assert seen["action"] == action
            assert (seen["actor"], seen["object"], seen["data"]) == (None, "", None), action
        assert hat.organisation not in str(_events(reader))
    enrol_totp(scene.facilitator)
    for reader in (admin, scene.facilitator, objector):
        seen = _event(reader, "objection.open")
        assert seen["actor"] == objector.pk
    assert _event(admin, "affiliation.verify")["data"]["organisation"] == hat.organisation


def test_ballots_of_a_group_only_round_veil_named_people_on_the_record() -> None:
    scene = make_scene()
    objector = scene.person("academia")  # named, but the round shows ballots by group only
    round_ = scene.open_round(ballot_visibility=BallotVisibility.GROUP_ONLY)
    consensus.ballot_cast(actor=objector, round_=round_, position="object", rationale="No")
    assert _event(None, "objection.open")["actor"] is None
    assert _event(UserFactory.create(is_facilitator=True), "objection.open")["actor"] is None
    assert _event(scene.facilitator, "objection.open")["actor"] == objector.pk
    assert _event(objector, "objection.open")["actor"] == objector.pk
    # The round's own record page follows the same rule.
    page = Client().get(f"{round_.get_absolute_url()}record/").content.decode()
    assert "objection.open" in page
    assert "withheld: it names someone shown by group only" in page


def test_the_record_costs_the_same_queries_whatever_the_events(
    django_assert_max_num_queries: Any,
) -> None:
    scene = make_scene()
    round_ = scene.open_round()
    for group in ("government", "academia", "civil_society"):
        consensus.ballot_cast(
            actor=scene.person(group), round_=round_, position="object", rationale="No"
        )
    client = APIClient()
    with django_assert_max_num_queries(8):
        client.get("/api/v1/audit/")
    for index in range(1, 6):
        consensus.ballot_cast(
            actor=scene.person("technical_community", index),
            round_=round_,
            position="object",
            rationale="No",
        )
    with django_assert_max_num_queries(8):
        client.get("/api/v1/audit/")
