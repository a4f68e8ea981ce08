"""The demo's closed and declared consensus round, for `seed_demo`."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from consensus import services
from consensus.models import Objection, Round
from deliberation.demo import DemoProcess
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
