"""Balance history and support requests of the demo process, for `seed_demo`."""

from decimal import Decimal

from django.db import transaction

from consensus import balance_service
from consensus.models import BalanceSnapshot, SnapshotTrigger, SupportKind, SupportRequest
from deliberation import services as deliberation_services
from deliberation.demo import DemoProcess
from deliberation.models import Comment, ProposalVersion
from stakeholders.demo import DemoPeople

DEMO_BUDGET = Decimal(5000)
# (stakeholder number, kind, what for, amount): two intergovernmental voices, one civil society.
REQUESTS = [
    (
        26,
        SupportKind.TRAVEL,
        "A return flight and three nights to attend the face-to-face meeting.",
        1200,
    ),
    (28, SupportKind.CONNECTIVITY, "Mobile data for the online sessions over three months.", 300),
    (
        12,
        SupportKind.INTERPRETATION,
        "Interpretation into French for two members of our coalition.",
        400,
    ),
]


@transaction.atomic
def seed_balance(demo: DemoProcess, people: DemoPeople) -> None:
    """Give the demo process a balance history and a support queue, once.

    The history is measured as the discussion stood after its second and fourth comments and
    after the second proposal version, then now; the connectivity request is granted. A second
    run finds snapshots and support requests and changes nothing. The demo's contributions come
    from five of the six stakeholder groups — nobody intergovernmental has spoken — so the
    balance page shows that absence.
    """
    process = demo.process
    if not BalanceSnapshot.objects.filter(process=process).exists():
        moments = sorted(
            [
                *Comment.objects.filter(issue__process=process).values_list(
                    "created_at", flat=True
                ),
                *ProposalVersion.objects.filter(proposal__issue__process=process).values_list(
                    "created_at", flat=True
                ),
            ]
        )
        for as_of in moments[1:6:2]:
            balance_service.balance_snapshot_create(
                actor=None, process=process, trigger=SnapshotTrigger.PERIODIC, as_of=as_of
            )
        balance_service.balance_snapshot_create(
            actor=people.facilitator, process=process, trigger=SnapshotTrigger.ON_DEMAND
        )
    if SupportRequest.objects.filter(process=process).exists():
        return
    if not process.support_budget:
        deliberation_services.process_update(
            actor=people.facilitator, process=process, support_budget=DEMO_BUDGET
        )
    requests = [
        balance_service.support_request_create(
            actor=people.stakeholders[number - 1],
            process=process,
            kind=kind,
            description=description,
            amount_requested=Decimal(amount),
        )
        for number, kind, description, amount in REQUESTS
    ]
    connectivity = requests[1]
    balance_service.support_request_grant(
        actor=people.facilitator,
        support_request=connectivity,
        amount=connectivity.amount_requested,
    )
