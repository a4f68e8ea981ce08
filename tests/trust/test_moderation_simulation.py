"""The docs/design.md §6 simulation on the database: 40 stakeholders, 12 rounds; the obstructor and
the ring
are found, the principled objector and the honest majority are not, and nobody is sanctioned."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from consensus import services as consensus
from consensus.models import Ballot, Objection, Round
from deliberation import services as deliberation
from stakeholders.models import StakeholderGroup, User
from tests.consensus.conftest import make_scene
from trust.models import ModerationAction, ModerationCase, Signal
from trust.moderation.compute import signals_compute
from trust.scores import trust_compute

pytestmark = pytest.mark.django_db

GROUPS = StakeholderGroup.values
ROUNDS = 12
RECYCLED = "This proposal is unacceptable and must be rejected in its entirety, as I said before."
HONEST_CHOICES = ["support"] * 6 + ["accept"] * 3 + ["abstain"]


def _simulate() -> dict[str, object]:
    rng = random.Random(20261128)
    scene = make_scene()
    start = timezone.now() - timedelta(days=60)
    obstructor = scene.person("civil_society", 0)
    principled = scene.person("academia", 0)
    ring = [scene.person("private_sector", i) for i in range(6)]
    honest: list[User] = []
    index = dict.fromkeys(GROUPS, 1)
    index["private_sector"] = 6
    while len(honest) < 32:
        group = GROUPS[len(honest) % len(GROUPS)]
        honest.append(scene.person(group, index[group]))
        index[group] += 1
    User.objects.filter(pk__in=[u.pk for u in ring]).update(date_joined=start)
    for offset, user in enumerate([obstructor, principled, *honest]):
        User.objects.filter(pk=user.pk).update(date_joined=start - timedelta(days=30 + offset))
    facilitator = scene.facilitator
    to_accommodate: Objection | None = None
    for number in range(ROUNDS):
        if number:
            version = deliberation.version_publish(
                actor=facilitator, proposal=scene.proposal, text=f"Version {number + 1}"
            )
            if to_accommodate is not None:
                consensus.objection_accommodate(
                    actor=facilitator,
                    objection=to_accommodate,
                    reason="The new text takes the objection in",
                    version=version,
                )
                to_accommodate = None
        round_ = scene.open_round()
        day = start + timedelta(days=4 * number)
        ring_position = rng.choice(["support", "accept"])
        casts: list[tuple[User, str, str]] = [(obstructor, "object", RECYCLED)]
        principled_objects = number in (2, 5)
        casts.append(
            (
                principled,
                "object" if principled_objects else "support",
                f"Clause {number} breaks the IANA transition safeguards for small ccTLDs"
                if principled_objects
                else "",
            )
        )
        casts += [(user, ring_position, "") for user in ring]
        casts += [(user, rng.choice(HONEST_CHOICES), "") for user in honest]
        for user, position, rationale in casts:
            consensus.ballot_cast(actor=user, round_=round_, position=position, rationale=rationale)
        for user in [obstructor, principled, *honest]:
            Ballot.objects.filter(round=round_, user=user).update(
                cast_at=day + timedelta(minutes=rng.randrange(0, 72 * 60))
            )
        Ballot.objects.filter(round=round_, user__in=ring).update(cast_at=day + timedelta(hours=5))
        for objection in Objection.objects.filter(round=round_, state="open"):
            if objection.objector_id == principled.pk:
                to_accommodate = objection
            else:
                consensus.objection_address(
                    actor=facilitator, objection=objection, reason="Considered; no change needed"
                )
        consensus.round_close(actor=facilitator, round_=round_)
        Round.objects.filter(pk=round_.pk).update(closed_at=day + timedelta(days=3))
    return {"obstructor": obstructor, "principled": principled, "ring": ring, "honest": honest}


def test_the_simulation_finds_the_obstructor_and_the_ring_and_no_one_else() -> None:
    cast = _simulate()
    trust_compute()
    run = signals_compute()
    obstructor = cast["obstructor"]
    principled = cast["principled"]
    ring = cast["ring"]
    assert isinstance(obstructor, User) and isinstance(principled, User)
    assert isinstance(ring, list)
    flagged = Signal.objects.filter(run=run, flagged=True)
    assert {s.user_id for s in flagged.filter(kind="obstruction")} == {obstructor.pk}
    evidence = flagged.get(kind="obstruction").evidence
    assert evidence["k"] == ROUNDS and evidence["repeats"], evidence
    steady = Signal.objects.get(run=run, kind="obstruction", user=principled)
    assert not steady.flagged
    assert steady.evidence["accommodated"]["count"] == 2
    assert steady.evidence["x"] == 0
    ring_ids = sorted(user.pk for user in ring)
    coordination = flagged.filter(kind="coordination")
    assert sorted(s.user_id for s in coordination) == ring_ids
    assert {tuple(s.evidence["cluster"]) for s in coordination} == {tuple(ring_ids)}
    assert {s.user_id for s in flagged} == {obstructor.pk, *ring_ids}
    # Cases are opened for admins to judge; nothing is done to anyone.
    assert set(ModerationCase.objects.values_list("subject_id", flat=True)) == {
        obstructor.pk,
        *ring_ids,
    }
    assert not ModerationAction.objects.exists()
    assert not User.objects.filter(suspended_until__isnull=False).exists()
    assert not User.objects.filter(restricted_until__isnull=False).exists()
    # A second run files nothing new and keeps the same cases.
    again = signals_compute()
    assert again.cases_opened == 0 and again.flagged == run.flagged
    assert ModerationCase.objects.count() == 1 + len(ring)
