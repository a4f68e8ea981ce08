"""The demo process gets a balance history, an absent-group alert and a support queue, once."""

import pytest
from django.core.management import call_command

from consensus.balance import services as balance_service
from consensus.models import BalanceSnapshot, SupportRequest, SupportStatus
from deliberation.models import Process

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_demo_process_its_balance_once() -> None:
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)

    process = Process.objects.get(slug="demo")
    snapshots = list(BalanceSnapshot.objects.filter(process=process).order_by("computed_at"))
    # As the discussion grew (2, 4, 6 contributions), at the close of the demo round (25
    # ballots more), and now.
    assert [s.trigger for s in snapshots] == [
        "periodic",
        "periodic",
        "periodic",
        "round_close",
        "on_demand",
    ]
    assert [s.totals["contributions"] for s in snapshots] == [2, 4, 6, 32, 32]
    latest = balance_service.current_balance(process)
    alerts = [a["message"] for a in latest.dimensions["stakeholder_group"]["alerts"]]
    assert "No intergovernmental participant has taken part yet." in alerts
    requests = SupportRequest.objects.filter(process=process)
    assert requests.count() == 3
    granted = requests.get(status=SupportStatus.GRANTED)
    assert (granted.kind, granted.stakeholder_group) == ("connectivity", "intergovernmental")
    assert process.support_budget == 5000
