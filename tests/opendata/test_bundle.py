"""The open-data bundle: what it holds (names as the public sees them, neutralised CSV, schema,
chain head), when it is rebuilt, who may download it, and that its build's queries do not grow."""

import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consensus import services
from consensus.models import Round
from deliberation.models import Visibility
from deliberation.opendata import services as open_data
from deliberation.opendata.models import OpenDataBundle
from deliberation.opendata.registry import sections
from deliberation.tasks import refresh_open_data
from record.models import AuditEvent
from stakeholders.models import Attribution
from tests.consensus.conftest import Scene, make_scene
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def declared_round(scene: Scene, voters: int = 2, **kwargs: Any) -> Round:
    """An open round with ballots (the first academic voter group-only), closed and declared."""
    round_ = scene.open_round(**kwargs)
    hidden = scene.person("academia", 0)
    hidden.attribution = Attribution.GROUP_ONLY
    hidden.save()
    services.ballot_cast(actor=hidden, round_=round_, position="object", rationale="=cmd|x")
    for n in range(voters):
        services.ballot_cast(
            actor=scene.person("civil_society", n), round_=round_, position="support"
        )
    services.round_close(actor=scene.facilitator, round_=round_)
    services.outcome_compute(round_=round_)
    outcome = services.outcome_declare(
        actor=scene.facilitator,
        round_=round_,
        designation_="divergence",
        rationale="Split.",
        over_open_objections=True,  # the bundle must carry an objection still open
    )
    assert outcome.declared_designation == "divergence"
    return round_


def download(client: Client, slug: str, capture: Capture) -> zipfile.ZipFile:
    """Ask the API; the first answer is 202 and queues the build, which runs after commit."""
    url = f"/api/v1/processes/{slug}/open-data/"
    with capture(execute=True):
        first = client.get(url)
    assert first.status_code == 202, first.content
    assert first.json()["status"] == "building"
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(answer.getvalue()))


def rows(bundle: zipfile.ZipFile, name: str) -> list[dict[str, Any]]:
    data = json.loads(bundle.read(f"{name}.json"))
    assert isinstance(data, list)
    return data


def test_bundle_holds_every_kind_by_name_or_group(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    scene = make_scene()
    round_ = declared_round(scene)
    bundle = download(Client(), scene.process.slug, django_capture_on_commit_callbacks)
    names = {section.name for section in sections()}
    assert {
        "issues", "comments", "proposals", "proposal_versions", "rounds", "ballots",
        "objections", "outcomes", "minority_statements", "challenges", "balance_snapshots",
        "audit_events",
    } <= names  # fmt: skip
    assert set(bundle.namelist()) == {f"{n}.{ext}" for n in names for ext in ("json", "csv")} | {
        "schema.json",
        "README.txt",
    }
    ballots = rows(bundle, "ballots")
    assert len(ballots) == 3
    hidden = next(b for b in ballots if b["position"] == "object")
    assert hidden["user"] is None
    assert "participant" in hidden["voter"]
    assert scene.person("academia").display_name not in bundle.read("ballots.json").decode()
    named = [b for b in ballots if b["position"] == "support"]
    assert {b["user"] for b in named} == {p.pk for p in scene.people["civil_society"]}
    [outcome] = rows(bundle, "outcomes")
    assert (outcome["round"], outcome["declared_designation"]) == (round_.pk, "divergence")
    assert rows(bundle, "objections")[0]["objector"] == hidden["voter"]
    csv_rows = list(csv.DictReader(io.StringIO(bundle.read("ballots.csv").decode())))
    assert {r["rationale"] for r in csv_rows} >= {"'=cmd|x"}
    schema = json.loads(bundle.read("schema.json"))
    assert schema["licence"]["name"] == "CC BY 4.0"
    assert schema["files"]["ballots"]["fields"]["voter"]
    head = AuditEvent.objects.head()
    assert head is not None
    assert schema["chain_head"] == {"seq": head.seq, "hash": head.hash}
    events = rows(bundle, "audit_events")
    assert events
    assert {e["seq"] for e in events} == set(
        AuditEvent.objects.filter(process=scene.process.pk).values_list("seq", flat=True)
    )


def test_bundle_is_cached_until_the_process_changes(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    scene = make_scene()
    client = Client()
    download(client, scene.process.slug, django_capture_on_commit_callbacks)
    url = f"/api/v1/processes/{scene.process.slug}/open-data/"
    assert client.get(url).status_code == 200
    CommentFactory.create(issue=scene.proposal.issue, body="+SUM(1)")
    bundle = download(client, scene.process.slug, django_capture_on_commit_callbacks)
    assert [c["body"] for c in rows(bundle, "comments")] == ["+SUM(1)"]
    cells = list(csv.DictReader(io.StringIO(bundle.read("comments.csv").decode())))
    assert cells[0]["body"] == "'+SUM(1)"


def test_members_only_bundle_is_for_members(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    scene = make_scene(visibility=Visibility.MEMBERS)
    url = f"/api/v1/processes/{scene.process.slug}/open-data/"
    assert Client().get(url).status_code == 404
    outsider = Client()
    outsider.force_login(UserFactory.create())
    assert outsider.get(url).status_code == 404
    member = Client()
    member.force_login(scene.person("government"))
    download(member, scene.process.slug, django_capture_on_commit_callbacks)
    page = Client().get("/open-data/").content.decode()
    assert scene.process.slug not in page


def test_open_data_page_lists_public_bundles_with_size_and_licence(
    django_capture_on_commit_callbacks: Capture, django_assert_max_num_queries: Capture
) -> None:
    scene = make_scene()
    download(Client(), scene.process.slug, django_capture_on_commit_callbacks)
    for _ in range(5):
        make_scene()
    with django_assert_max_num_queries(4):
        page = Client().get("/open-data/")
    text = page.content.decode()
    assert page.status_code == 200
    assert f"/processes/{scene.process.slug}/open-data.zip" in text
    assert "CC BY 4.0" in text
    assert "bytes" in text or "KB" in text


def test_web_download_answers_202_then_the_zip(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    scene = make_scene()
    url = f"/processes/{scene.process.slug}/open-data.zip"
    with django_capture_on_commit_callbacks(execute=True):
        waiting = Client().get(url)
    assert waiting.status_code == 202
    assert waiting["Retry-After"]
    ready = Client().get(url)
    assert ready.status_code == 200
    assert "attachment" in ready["Content-Disposition"]
    assert Client().get("/processes/no-such-process/open-data.zip").status_code == 404


def _build_queries(scene: Scene) -> int:
    with CaptureQueriesContext(connection) as queries:
        open_data.bundle_build(process_id=scene.process.pk)
    return len(queries)


def test_build_queries_do_not_grow_with_rows() -> None:
    counts = []
    for size in (2, 20):
        scene = make_scene()
        declared_round(scene, voters=size)
        for _ in range(size):
            CommentFactory.create(issue=scene.proposal.issue)
        counts.append(_build_queries(scene))
    assert counts[0] == counts[1]


def test_a_bundle_lost_from_storage_is_built_again(
    django_capture_on_commit_callbacks: Capture, media: Path
) -> None:
    scene = make_scene()
    client = Client()
    download(client, scene.process.slug, django_capture_on_commit_callbacks)
    for stored in (media / "open-data").iterdir():
        stored.unlink()
    download(client, scene.process.slug, django_capture_on_commit_callbacks)


def test_beat_rebuilds_changed_public_bundles_only() -> None:
    public = make_scene()
    hidden = make_scene(visibility=Visibility.MEMBERS)
    assert refresh_open_data() >= 1
    built = OpenDataBundle.objects.get(process=public.process)
    assert built.file
    assert not OpenDataBundle.objects.filter(process=hidden.process).exists()
    assert refresh_open_data() == 0
    CommentFactory.create(issue=public.proposal.issue)
    assert refresh_open_data() == 1
    assert OpenDataBundle.objects.get(process=public.process).stamp != built.stamp
