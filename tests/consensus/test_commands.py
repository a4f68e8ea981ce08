"""The on-demand commands behind the periodic sweeps."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from consensus.models import Outcome, Round
from tests.consensus.conftest import Scene

pytestmark = pytest.mark.django_db


def test_close_due_rounds_and_compute_outcomes(
    scene: Scene, capsys: pytest.CaptureFixture[str]
) -> None:
    round_ = scene.open_round()
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    call_command("close_due_rounds")
    assert f"Closed 1 round: {round_.pk}." in capsys.readouterr().out
    assert Round.objects.get(pk=round_.pk).status == "closed"
    call_command("compute_outcomes")
    output = capsys.readouterr().out
    assert Outcome.objects.filter(round=round_).exists()
    assert f"Computed 1 outcome: {round_.pk}." in output
    call_command("compute_outcomes")
    assert "Computed 0 outcomes." in capsys.readouterr().out


def test_the_demo_has_a_declared_round_and_an_open_one_to_try(client: Client) -> None:
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    rounds = list(Round.objects.filter(process__slug="demo").order_by("created_at"))
    assert [r.status for r in rounds] == ["declared", "open"]
    process = client.get("/processes/demo/").content.decode()
    assert "round 1, on version 2" in process and "round 2, on version 2" in process
    declared = client.get(rounds[0].get_absolute_url()).content.decode()
    assert "Outcome declared:" in declared
    client.login(username="s12@example.org", password="footing-demo")
    open_page = client.get(rounds[1].get_absolute_url()).content.decode()
    assert "Cast my ballot" in open_page
