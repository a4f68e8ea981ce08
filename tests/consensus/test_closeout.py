"""The close-out loop: next steps, live figures, objectors told, declaring, extending."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from consensus import closeout, services
from consensus.models import Objection, Outcome, Round
from record.models import AuditEvent
from stakeholders.models import Notification, User
from tests.consensus.conftest import Scene
from web.errors import StateConflict

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], APIClient]


def _url(scene: Scene, round_id: int, tail: str = "") -> str:
    return f"/processes/{scene.process.slug}/rounds/{round_id}/{tail}"


def _closed_with_objection(scene: Scene, capture: object) -> tuple[Round, User, Objection]:
    round_ = scene.open_round()
    objector = scene.person("academia")
    services.ballot_cast(actor=objector, round_=round_, position="object", rationale="No appeal")
    for group in ("government", "civil_society"):
        services.ballot_cast(actor=scene.person(group), round_=round_, position="support")
    services.round_close(actor=scene.facilitator, round_=round_)
    services.outcome_compute(round_=round_)
    return round_, objector, Objection.objects.get(round=round_)


def test_answering_an_objection_recomputes_the_figures_and_tells_the_objector(
    scene: Scene, django_capture_on_commit_callbacks: object
) -> None:
    round_, objector, objection = _closed_with_objection(scene, None)
    before = Outcome.objects.get(round=round_)
    assert before.figures["open_objections"] == 1
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.objection_address(
            actor=scene.facilitator, objection=objection, reason="Appeals are in section 4."
        )
    after = Outcome.objects.get(round=round_)
    assert after.figures["open_objections"] == 0
    assert after.computed_designation == after.figures["designation"]
    event = AuditEvent.objects.filter(action="outcome.recompute").get()
    assert event.data["open_objections"] == 0
    told = Notification.objects.get(user=objector, title__startswith="Your objection was answered")
    assert told.url.endswith(f"objections/#objection-{objection.pk}")
    assert "section 4" in told.body


def test_a_declared_outcome_is_never_recomputed(scene: Scene) -> None:
    round_, _objector, objection = _closed_with_objection(scene, None)
    services.outcome_declare(
        actor=scene.facilitator,
        round_=round_,
        designation_=Outcome.objects.get(round=round_).computed_designation,
        rationale="",
        over_open_objections=True,
    )
    figures = Outcome.objects.get(round=round_).figures
    round_.refresh_from_db()
    closeout.outcome_refresh(round_=round_)
    assert Outcome.objects.get(round=round_).figures == figures
    assert not AuditEvent.objects.filter(action="outcome.recompute").exists()
    assert objection.state == "open"


def test_declaring_over_an_open_objection_needs_an_explicit_choice(scene: Scene) -> None:
    round_, _objector, objection = _closed_with_objection(scene, None)
    computed = Outcome.objects.get(round=round_).computed_designation
    with pytest.raises(ValidationError) as refused:
        services.outcome_declare(
            actor=scene.facilitator, round_=round_, designation_=computed, rationale=""
        )
    assert "over_open_objections" in refused.value.message_dict
    services.objection_address(actor=scene.facilitator, objection=objection, reason="Answered")
    outcome = services.outcome_declare(
        actor=scene.facilitator,
        round_=round_,
        designation_=Outcome.objects.get(round=round_).computed_designation,
        rationale="",
    )
    assert outcome.declared
    assert outcome.figures["open_objections"] == 0


def test_the_close_out_loop_in_the_browser_pages(
    scene: Scene, client: Client, django_capture_on_commit_callbacks: object
) -> None:
    round_, objector, objection = _closed_with_objection(scene, None)
    client.force_login(scene.facilitator)
    page = client.get(_url(scene, round_.pk)).content.decode()
    assert "Next steps" in page
    assert "Answer the open objection in the register" in page
    assert f'href="{_url(scene, round_.pk, "objections/")}"' in page
    assert "#declare-title" in page
    result = client.get(_url(scene, round_.pk, "result/")).content.decode()
    assert f"objections/#objection-{objection.pk}" in result
    assert 'name="over_open_objections"' in result
    computed = Outcome.objects.get(round=round_).computed_designation
    unticked = client.post(_url(scene, round_.pk, "result/declare/"), {"designation": computed})
    assert unticked.status_code == 400
    assert "Objections are still open" in unticked.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        client.post(
            _url(scene, round_.pk, f"objections/{objection.pk}/address/"),
            {f"address-{objection.pk}-reason": "Section 4 covers it."},
        )
    result = client.get(_url(scene, round_.pk, "result/")).content.decode()
    assert "No objection is open." in result
    assert 'name="over_open_objections"' not in result
    computed = Outcome.objects.get(round=round_).computed_designation
    declared = client.post(_url(scene, round_.pk, "result/declare/"), {"designation": computed})
    assert declared.status_code == 302
    assert Outcome.objects.get(round=round_).declared
    assert Notification.objects.filter(user=objector, kind="objection").exists()


def test_a_facilitator_who_does_not_vote_sees_no_ballot_heading(
    scene: Scene, client: Client
) -> None:
    round_ = scene.open_round()
    scene.process.participations.filter(user=scene.facilitator).delete()
    client.force_login(scene.facilitator)
    page = client.get(_url(scene, round_.pk)).content.decode()
    assert 'id="ballot-title"' not in page
    outsider = scene.person("academia")
    scene.process.participations.filter(user=outsider).delete()
    client.force_login(outsider)
    page = client.get(_url(scene, round_.pk)).content.decode()
    assert f'href="/processes/{scene.process.slug}/#take-part"' in page
    assert "Join this process" in page


def test_extending_the_deadline(
    scene: Scene, client: Client, django_capture_on_commit_callbacks: object
) -> None:
    round_ = scene.open_round()
    voter = scene.person("government")
    later = round_.closes_at + timedelta(days=2)
    with pytest.raises(ValidationError):
        closeout.round_extend(
            actor=scene.facilitator, round_=round_, closes_at=round_.closes_at - timedelta(hours=1)
        )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        closeout.round_extend(actor=scene.facilitator, round_=round_, closes_at=later)
    round_.refresh_from_db()
    assert round_.closes_at == later
    event = AuditEvent.objects.get(action="round.extend")
    assert event.data["to"] == later.isoformat()
    assert Notification.objects.filter(user=voter, title__startswith="More time to vote").exists()
    client.force_login(scene.facilitator)
    page = client.get(_url(scene, round_.pk)).content.decode()
    assert "Extend the deadline" in page
    even_later = (later + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    answer = client.post(_url(scene, round_.pk, "extend/"), {"closes_at": even_later}, follow=True)
    assert "The deadline is extended" in answer.content.decode()
    client.post(_url(scene, round_.pk, "extend/"), {"closes_at": "tomorrow"}, follow=True)
    services.round_close(actor=scene.facilitator, round_=round_)
    with pytest.raises(StateConflict):
        closeout.round_extend(
            actor=scene.facilitator, round_=round_, closes_at=later + timedelta(days=5)
        )


def test_extending_through_the_api(client_for: ClientFor, scene: Scene) -> None:
    round_ = scene.open_round()
    host = client_for(scene.facilitator)
    later = (round_.closes_at + timedelta(days=1)).isoformat()
    answer = host.post(f"/api/v1/rounds/{round_.pk}/extend/", {"closes_at": later}, format="json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["closes_at"].startswith(later[:16])
    earlier = (timezone.now() + timedelta(hours=1)).isoformat()
    refused = host.post(
        f"/api/v1/rounds/{round_.pk}/extend/", {"closes_at": earlier}, format="json"
    )
    assert refused.status_code == 400
    member = client_for(scene.person("academia"))
    assert (
        member.post(
            f"/api/v1/rounds/{round_.pk}/extend/", {"closes_at": later}, format="json"
        ).status_code
        == 403
    )
