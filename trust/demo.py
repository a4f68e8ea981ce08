"""Demo trust for `seed_demo`: endorsements, commitments, a trust run, a report to moderate."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from deliberation.models import Comment
from stakeholders.demo import DemoPeople
from stakeholders.models import User
from trust import scores, services
from trust.models import (
    Attestation,
    Commitment,
    Endorsement,
    Flag,
    TrustComputation,
    Verdict,
)
from trust.moderation.services import flag_create

# Who endorses whom, by index into the 30 demo stakeholders (0 is s01): everyone endorses the
# stakeholder at the same place in the next group, and every other one a colleague of their own.
ENDORSEMENTS = [(i, (i + 5) % 30) for i in range(30)] + [
    (i, i + 1) for i in range(0, 30, 2) if (i + 1) % 5
]

FACILITATOR_ENDORSERS = (0, 10, 15, 20)
DUE_COMMITMENT = (
    "We will publish the minutes of the national IGF consultation, in English and French, "
    "within four weeks of the meeting."
)
FUTURE_COMMITMENT = (
    "We will run two open workshops on IPv6 deployment for newcomers before the end of the year."
)
ATTESTATIONS = [
    (5, Verdict.KEPT, "The minutes were on the ministry's website three weeks after the meeting."),
    (
        11,
        Verdict.PARTLY,
        "The English minutes came out on time; the French version promised with them is missing.",
    ),
]
REPLY = "The French translation is with our translators and will follow this month."


def _endorse(giver: User, receiver: User) -> None:
    # Any row, even a withdrawn one, means the demo already ran: what a user withdrew stays so.
    if not Endorsement.objects.filter(from_user=giver, to_user=receiver).exists():
        services.endorsement_give(actor=giver, to_user=receiver)


def _commitment(author: User, text: str, due_in_days: int) -> tuple[Commitment, bool]:
    existing = Commitment.objects.filter(author=author, text=text).first()
    if existing is not None:
        return existing, False
    due_on = timezone.localdate() + timedelta(days=due_in_days)
    return services.commitment_create(actor=author, text=text, due_on=due_on), True


@transaction.atomic
def seed_trust(people: DemoPeople) -> None:
    """Create the demo's endorsements, a due and a future commitment and a trust computation.

    Idempotent: only what is missing is created, and the trust computation runs only if none has.
    """
    everyone = people.stakeholders
    for giver, receiver in ENDORSEMENTS:
        _endorse(everyone[giver], everyone[receiver])
    # The facilitator has worked with several of them: an account nobody vouches for is what the
    # Sybil signal looks for, and the demo's facilitator should not be one.
    for index in FACILITATOR_ENDORSERS:
        _endorse(everyone[index], people.facilitator)
    due, created = _commitment(everyone[0], DUE_COMMITMENT, due_in_days=-14)
    if created:
        for index, verdict, evidence in ATTESTATIONS:
            services.attestation_give(
                actor=everyone[index], commitment=due, verdict=verdict, evidence=evidence
            )
        partly = Attestation.objects.get(commitment=due, verdict=Verdict.PARTLY)
        services.attestation_reply(actor=everyone[0], attestation=partly, reply=REPLY)
        services.commitment_invite_attesters(commitment=due)
    _commitment(everyone[15], FUTURE_COMMITMENT, due_in_days=90)
    if not TrustComputation.objects.exists():
        scores.trust_compute(trigger=TrustComputation.Trigger.COMMAND)


DEMO_FLAG_REASON = (
    "This comment calls another participant a liar instead of answering the argument. "
    "Could an admin have a look?"
)


def seed_moderation(people: DemoPeople) -> None:
    """A report in the demo, so the admin finds a case in the queue. Idempotent.

    Signals are left to beat (every SIGNALS_COMPUTE_HOURS) and to the admin's "compute now"
    button: on a large database they take a while, and seeding should not.
    """
    reporter = people.stakeholders[11]
    comment = (
        Comment.objects.filter(issue__process__slug="demo")
        .exclude(author=reporter)
        .order_by("pk")
        .first()
    )
    if comment is not None and not Flag.objects.filter(reporter=reporter).exists():
        flag_create(
            actor=reporter, target_type="comment", target_id=comment.pk, reason=DEMO_FLAG_REASON
        )
