"""The demo's declared consensus round, balance history and support requests, for `seed_demo`."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from consensus import services
from consensus.balance import services as balance_service
from consensus.balance import support as balance_support
from consensus.models import (
    BalanceSnapshot,
    Objection,
    Round,
    RoundStatus,
    SnapshotTrigger,
    SupportKind,
    SupportRequest,
)
from deliberation import services as deliberation_services
from deliberation.demo import DemoProcess
from deliberation.models import Comment, ProposalVersion
from stakeholders.demo import DemoPeople

# s01–s25: five groups take part; the intergovernmental group (s26–s30) does not, so the
# quorum fails and the balance page has an absent group to point at.
POSITIONS = {
    1: "support", 2: "support", 3: "accept", 4: "support", 5: "abstain",
    6: "support", 7: "accept", 8: "support", 9: "support", 10: "accept",
    11: "support", 12: "support", 13: "object", 14: "accept", 15: "support",
    16: "support", 17: "support", 18: "support", 19: "accept", 20: "support",
    21: "support", 22: "object", 23: "support", 24: "accept", 25: "support",
}  # fmt: skip
RATIONALES = {
    13: "An appeal is only meaningful if the reviewer is independent of registries and registrars.",
    22: "Principle 3 needs a definition of the common report format before we can agree to it.",
}


@transaction.atomic
def seed_round(people: DemoPeople, demo: DemoProcess) -> Round:
    """A round on version 2 of the demo proposal: cast, objections answered, closed, declared."""
    version = demo.proposal.versions.order_by("-number").first()
    assert version is not None
    existing = Round.objects.filter(version=version).first()
    if existing is not None:
        return existing
    round_ = services.round_create(
        actor=people.facilitator, version=version, closes_at=timezone.now() + timedelta(days=7)
    )
    round_ = services.round_open(actor=people.facilitator, round_=round_)
    for number, position in POSITIONS.items():
        services.ballot_cast(
            actor=people.stakeholders[number - 1],
            round_=round_,
            position=position,
            rationale=RATIONALES.get(number, ""),
        )
    for objection in Objection.objects.filter(round=round_).order_by("id"):
        services.objection_address(
            actor=people.facilitator,
            objection=objection,
            reason="Discussed in the call of 12 May: the reviewer's independence and the report "
            "format will be settled in the implementation guide, not in the principles.",
        )
    services.round_close(actor=people.facilitator, round_=round_)
    outcome = services.outcome_compute(round_=round_)
    services.outcome_declare(
        actor=people.facilitator,
        round_=round_,
        designation_=outcome.computed_designation,
        rationale="No intergovernmental organisation took part, so the quorum was not met. "
        "We will reach out to them before a round on the next version.",
    )
    return round_


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
    after the second proposal version, at the close of each closed round, then now; the
    connectivity request is granted. A second run finds them and changes nothing. Nobody
    intergovernmental has spoken or cast a ballot in the demo, so the balance page shows that
    absence.
    """
    process = demo.process
    history = BalanceSnapshot.objects.filter(process=process).exclude(
        trigger=SnapshotTrigger.ROUND_CLOSE
    )
    if not history.exists():
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
        closed = Round.objects.filter(
            process=process,
            status__in=[RoundStatus.CLOSED, RoundStatus.DECLARED],
            closed_at__isnull=False,
        ).select_related("process")
        for round_ in closed.order_by("closed_at"):
            balance_service.balance_snapshot_round(round_=round_)
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
        balance_support.support_request_create(
            actor=people.stakeholders[number - 1],
            process=process,
            kind=kind,
            description=description,
            amount_requested=Decimal(amount),
        )
        for number, kind, description, amount in REQUESTS
    ]
    connectivity = requests[1]
    balance_support.support_request_grant(
        actor=people.facilitator,
        support_request=connectivity,
        amount=connectivity.amount_requested,
    )
