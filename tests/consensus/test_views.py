"""Consensus pages: casting without JavaScript, the register, results, exports, query counts."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from consensus import services
from consensus.models import Ballot, Objection, Round
from deliberation import services as deliberation
from tests.consensus.conftest import Scene
from tests.factories import AffiliationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(scene: Scene, round_id: int, tail: str = "") -> str:
    return f"/processes/{scene.process.slug}/rounds/{round_id}/{tail}"


def test_casting_and_changing_a_ballot_without_javascript(client: Client, scene: Scene) -> None:
    round_ = scene.open_round()
    voter = scene.person("government")
    client.force_login(voter)
    page = client.get(_url(scene, round_.pk)).content.decode()
    assert 'name="position"' in page
    assert "<script" not in page
    hat = voter.affiliations.get().pk
    answer = client.post(
        _url(scene, round_.pk, "ballot/"), {"position": "support", "affiliation": hat}
    )
    assert answer.status_code == 302
    missing = client.post(
        _url(scene, round_.pk, "ballot/"),
        {"position": "object", "rationale": "", "affiliation": hat},
    )
    assert missing.status_code == 400
    assert "needs a rationale" in missing.content.decode()
    client.post(
        _url(scene, round_.pk, "ballot/"),
        {"position": "object", "rationale": "Unclear", "affiliation": hat},
    )
    assert list(
        Ballot.objects.filter(round=round_).order_by("id").values_list("position", "current")
    ) == [
        ("support", False),
        ("object", True),
    ]
    services.round_close(actor=scene.facilitator, round_=round_)
    late = client.post(
        _url(scene, round_.pk, "ballot/"), {"position": "support", "affiliation": hat}, follow=True
    )
    assert "not open for ballots" in late.content.decode()
    assert Ballot.objects.filter(round=round_).count() == 2


def test_group_only_rounds_hide_names_from_the_public(client: Client, scene: Scene) -> None:
    round_ = scene.open_round(ballot_visibility="group_only")
    voter = scene.person("academia")
    services.ballot_cast(actor=voter, round_=round_, position="support")
    public = client.get(_url(scene, round_.pk)).content.decode()
    assert voter.display_name not in public
    assert "An academic participant from Eastern Europe" in public
    client.force_login(scene.facilitator)
    assert voter.display_name in client.get(_url(scene, round_.pk)).content.decode()


def test_facilitator_opens_warns_and_closes(client: Client, scene: Scene) -> None:
    version = scene.proposal.versions.get()
    client.force_login(scene.facilitator)
    created = client.post(
        f"/processes/{scene.process.slug}/versions/{version.pk}/rounds/new/",
        {"closes_at": "2099-01-01T10:00", "ballot_visibility": "named"},
    )
    assert created.status_code == 302
    round_id = int(created["Location"].rstrip("/").split("/")[-1])
    client.post(_url(scene, round_id, "open/"))
    services.ballot_cast(
        actor=scene.person("government"),
        round_=Round.objects.get(process=scene.process),
        position="support",
    )
    page = client.get(_url(scene, round_id)).content.decode()
    assert "expected stakeholder groups have no ballot yet" in page
    assert "Academia" in page
    client.post(_url(scene, round_id, "close/"))
    assert Round.objects.get(process=scene.process).status == "closed"
    stakeholder = Client()
    stakeholder.force_login(scene.person("academia"))
    assert stakeholder.post(_url(scene, round_id, "open/")).status_code == 404


def test_the_register_and_decisions_on_the_page(client: Client, scene: Scene) -> None:
    round_ = scene.open_round()
    objector = scene.person("civil_society")
    services.ballot_cast(actor=objector, round_=round_, position="object", rationale="No appeal")
    objection = Objection.objects.get()
    client.force_login(scene.facilitator)
    page = client.get(_url(scene, round_.pk, "objections/")).content.decode()
    assert "No appeal" in page
    assert "Mark addressed" in page
    empty = client.post(
        _url(scene, round_.pk, f"objections/{objection.pk}/address/"),
        {f"address-{objection.pk}-reason": ""},
        follow=True,
    )
    assert "written reason" in empty.content.decode()
    client.post(
        _url(scene, round_.pk, f"objections/{objection.pk}/address/"),
        {f"address-{objection.pk}-reason": "Considered"},
    )
    objection.refresh_from_db()
    assert objection.state == "addressed"
    other = Client()
    other.force_login(scene.person("government"))
    assert (
        other.post(_url(scene, round_.pk, f"objections/{objection.pk}/withdraw/")).status_code
        == 404
    )
    assert (
        client.post(_url(scene, round_.pk, f"objections/{objection.pk}/explode/")).status_code
        == 404
    )


def test_result_page_declaration_and_statements(client: Client, scene: Scene) -> None:
    round_ = scene.open_round()
    objector = scene.person("civil_society")
    services.ballot_cast(actor=objector, round_=round_, position="object", rationale="No appeal")
    services.ballot_cast(actor=scene.person("government"), round_=round_, position="support")
    assert (
        "computed when the round closes"
        in client.get(_url(scene, round_.pk, "result/")).content.decode()
    )
    services.round_close(actor=scene.facilitator, round_=round_)
    assert "being computed" in client.get(_url(scene, round_.pk, "result/")).content.decode()
    services.outcome_compute(round_=round_)
    page = client.get(_url(scene, round_.pk, "result/")).content.decode()
    assert "<meter" in page
    assert "<table" in page
    assert "How this was computed" in page and "/method/consensus/" in page
    assert "Quorum not met" in page
    client.force_login(scene.facilitator)
    refused = client.post(
        _url(scene, round_.pk, "result/declare/"), {"designation": "consensus", "rationale": ""}
    )
    assert refused.status_code == 400
    assert "Explain why" in refused.content.decode()
    unticked = client.post(
        _url(scene, round_.pk, "result/declare/"),
        {"designation": "consensus", "rationale": "Heard all"},
    )
    assert unticked.status_code == 400
    assert "Objections are still open" in unticked.content.decode()
    client.post(
        _url(scene, round_.pk, "result/declare/"),
        {"designation": "consensus", "rationale": "Heard all", "over_open_objections": "on"},
    )
    objector_client = Client()
    objector_client.force_login(objector)
    objector_client.post(
        _url(scene, round_.pk, "result/state/"), {"text": "We still want an appeal."}
    )
    objector_client.post(
        _url(scene, round_.pk, "result/challenge/"),
        {"text": "Consensus was declared without the appeal."},
    )
    client.post(_url(scene, round_.pk, "result/answer/"), {"challenge": "abc", "text": "x"})
    page = Client().get(_url(scene, round_.pk, "result/")).content.decode()
    assert "We still want an appeal." in page
    assert "Consensus was declared without the appeal." in page
    assert "Heard all" in page


def test_exports_and_the_round_record(client: Client, scene: Scene) -> None:
    round_ = scene.open_round()
    services.ballot_cast(actor=scene.person("government"), round_=round_, position="support")
    services.ballot_cast(
        actor=scene.person("academia"), round_=round_, position="object", rationale="Too broad"
    )
    services.round_close(actor=scene.facilitator, round_=round_)
    services.outcome_compute(round_=round_)
    data = client.get(_url(scene, round_.pk, "export.json")).json()
    assert sorted(b["position"] for b in data["ballots"]) == ["object", "support"]
    assert data["objections"][0]["text"] == "Too broad"
    assert data["outcome"]["computed_designation"] == "divergence"
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(_url(scene, round_.pk, "export/ballots.csv")).content.decode())
        )
    )
    assert {r["position"] for r in rows} == {"support", "object"}
    outcome_rows = list(
        csv.DictReader(
            io.StringIO(client.get(_url(scene, round_.pk, "export/outcome.csv")).content.decode())
        )
    )
    assert {r["stakeholder_group"] for r in outcome_rows} >= {"government", "academia"}
    assert client.get(_url(scene, round_.pk, "export/secrets.csv")).status_code == 404
    record = client.get(_url(scene, round_.pk, "record/")).content.decode()
    for action in ("round.open", "round.close", "objection.open", "outcome.compute"):
        assert action in record


def test_draft_rounds_and_members_only_rounds_are_hidden(client: Client, scene: Scene) -> None:
    version = scene.proposal.versions.get()
    draft = services.round_create(
        actor=scene.facilitator, version=version, closes_at=timezone.now() + timedelta(days=1)
    )
    assert client.get(_url(scene, draft.pk)).status_code == 404
    client.force_login(scene.facilitator)
    assert client.get(_url(scene, draft.pk)).status_code == 200


def test_round_pages_keep_a_constant_query_count(
    client: Client, scene: Scene, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    round_ = scene.open_round()
    groups = [
        "government",
        "private_sector",
        "civil_society",
        "technical_community",
        "academia",
        "intergovernmental",
    ]
    for n in range(120):
        person = scene.person(groups[n % 6], n // 6)
        position = "object" if n % 10 == 0 else "support"
        services.ballot_cast(
            actor=person,
            round_=round_,
            position=position,
            rationale="Because" if position == "object" else "",
        )
    services.round_close(actor=scene.facilitator, round_=round_)
    services.outcome_compute(round_=round_)
    deliberation.version_publish(actor=scene.facilitator, proposal=scene.proposal, text="v2")
    viewer = UserFactory.create()
    AffiliationFactory.create(user=viewer, primary=True)
    client.force_login(viewer)
    for tail in ("", "objections/", "result/", "record/", "export.json"):
        with django_assert_max_num_queries(20):
            assert client.get(_url(scene, round_.pk, tail)).status_code == 200, tail
    with django_assert_max_num_queries(20):
        assert client.get(f"/processes/{scene.process.slug}/objections/").status_code == 200
