"""The public record reads as sentences, linked to what each entry is about."""

import pytest
from django.test import Client

from record.models import AuditEvent
from tests.consensus.conftest import make_scene

pytestmark = pytest.mark.django_db


def test_the_record_speaks_in_sentences_and_links_to_the_round(client: Client) -> None:
    scene = make_scene()
    round_ = scene.open_round()
    page = client.get("/record/").content.decode()
    assert "A consensus round opened" in page
    opened = AuditEvent.objects.get(action="round.open")
    assert f'href="/record/{opened.seq}/"' in page
    assert f"round {round_.pk}" in page
    answer = client.get(f"/record/{opened.seq}/")
    assert answer.status_code == 302 and answer["Location"] == round_.get_absolute_url()
    assert client.get("/record/999999/").status_code == 404
    raw = client.get("/api/v1/audit/").json()
    assert any(e["action"] == "round.open" for e in raw["results"]), "raw data kept for the API"
