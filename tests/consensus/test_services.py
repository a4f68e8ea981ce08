"""Consensus services: ballots and their history, the objection register, outcomes, declarations."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from consensus import notifications as consensus_kinds
from consensus import services
from consensus.models import Ballot, Objection, Outcome, Round
from deliberation import services as deliberation
from record.models import AuditEvent
from record.selectors import audit_chain_break
from stakeholders.models import Notification
from tests.consensus.conftest import Scene
from tests.factories import AffiliationFactory, UserFactory
from web.errors import StateConflict

pytestmark = pytest.mark.django_db


def test_a_round_goes_draft_open_closed_declared_on_the_record(scene: Scene) -> None:
    round_ = scene.open_round()
    assert round_.status == "open"
    assert round_.parameters["group_support_min"] == 0.6
    services.ballot_cast(actor=scene.person("government"), round_=round_, position="support")
    services.round_close(actor=scene.facilitator, round_=round_)
    services.round_close(actor=scene.facilitator, round_=round_)  # harmless twice
    outcome = services.outcome_compute(round_=round_)
    assert services.outcome_compute(round_=round_).pk == outcome.pk
    services.outcome_declare(
        actor=scene.facilitator,
        round_=round_,
        designation_="strong_support",
        rationale="Quorum missing",
    )
    round_.refresh_from_db()
    assert round_.status == "declared"
    actions = list(
        AuditEvent.objects.filter(
            action__in=[
                "round.create",
                "round.open",
                "round.close",
                "outcome.compute",
                "outcome.declare",
            ]
        ).values_list("action", flat=True)
    )
    assert actions == [
        "round.create",
        "round.open",
        "round.close",
        "outcome.compute",
        "outcome.declare",
    ]
    assert audit_chain_break() is None


def test_changing_a_ballot_keeps_the_history_and_one_current(scene: Scene) -> None:
    round_ = scene.open_round()
    voter = scene.person("academia")
    _ballot, first = services.ballot_cast(actor=voter, round_=round_, position="support")
    assert first
    same, first_again = services.ballot_cast(actor=voter, round_=round_, position="support")
    assert not first_again
    services.ballot_cast(actor=voter, round_=round_, position="object", rationale="Too vague")
    services.ballot_cast(actor=voter, round_=round_, position="accept")
    rows = list(
        Ballot.objects.filter(round=round_, user=voter)
        .order_by("id")
        .values_list("position", "current")
    )
    assert rows == [("support", False), ("object", False), ("accept", True)]
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(
            round=round_,
            user=voter,
            affiliation=same.affiliation,
            stakeholder_group="academia",
            position="support",
        )


def test_a_person_with_several_hats_counts_once_for_the_hat_chosen(scene: Scene) -> None:
    round_ = scene.open_round()
    voter = scene.person("government")
    second_hat = AffiliationFactory.create(user=voter, stakeholder_group="civil_society")
    services.ballot_cast(actor=voter, round_=round_, position="support")
    services.ballot_cast(actor=voter, round_=round_, position="support", affiliation=second_hat.pk)
    current = Ballot.objects.get(round=round_, user=voter, current=True)
    assert current.stakeholder_group == "civil_society"
    assert Ballot.objects.filter(round=round_, current=True).count() == 1


def test_bad_ballots_are_refused(scene: Scene) -> None:
    round_ = scene.open_round()
    voter = scene.person("government")
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=voter, round_=round_, position="object", rationale="  ")
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=voter, round_=round_, position="maybe")
    with pytest.raises(ValidationError):
        services.ballot_cast(
            actor=voter,
            round_=round_,
            position="support",
            affiliation=AffiliationFactory.create().pk,
        )
    outsider = UserFactory.create()
    AffiliationFactory.create(user=outsider)
    with pytest.raises(PermissionError):
        services.ballot_cast(actor=outsider, round_=round_, position="support")
    services.round_close(actor=scene.facilitator, round_=round_)
    with pytest.raises(StateConflict):
        services.ballot_cast(actor=voter, round_=round_, position="support")
    assert not Ballot.objects.filter(round=round_).exists()


def test_a_round_past_its_deadline_takes_no_ballot_before_beat_closes_it(scene: Scene) -> None:
    round_ = scene.open_round()
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(StateConflict):
        services.ballot_cast(actor=scene.person("government"), round_=round_, position="support")
    assert services.close_due_rounds() == [round_.pk]
    assert services.close_due_rounds() == []
    assert services.compute_pending_outcomes() == [round_.pk]
    assert services.compute_pending_outcomes() == []


def test_objections_follow_ballots(scene: Scene) -> None:
    round_ = scene.open_round()
    voter = scene.person("civil_society")
    services.ballot_cast(
        actor=voter, round_=round_, position="object", rationale="Privacy is missing"
    )
    objection = Objection.objects.get(round=round_, objector=voter)
    assert (objection.state, objection.text, objection.stakeholder_group) == (
        "open",
        "Privacy is missing",
        "civil_society",
    )
    services.ballot_cast(
        actor=voter, round_=round_, position="object", rationale="Privacy and appeal are missing"
    )
    objection.refresh_from_db()
    assert objection.text == "Privacy and appeal are missing"
    services.ballot_cast(actor=voter, round_=round_, position="accept")
    objection.refresh_from_db()
    assert objection.state == "withdrawn"


def test_withdrawing_an_objection_turns_the_ballot_into_abstain(scene: Scene) -> None:
    round_ = scene.open_round()
    voter = scene.person("academia")
    services.ballot_cast(actor=voter, round_=round_, position="object", rationale="Unclear")
    objection = Objection.objects.get(round=round_)
    with pytest.raises(PermissionError):
        services.objection_withdraw(actor=scene.person("government"), objection=objection)
    services.objection_withdraw(actor=voter, objection=objection)
    assert Ballot.objects.get(round=round_, user=voter, current=True).position == "abstain"
    with pytest.raises(StateConflict):
        services.objection_withdraw(actor=voter, objection=objection)


def test_address_needs_a_reason_and_accommodate_a_later_version(scene: Scene) -> None:
    round_ = scene.open_round()
    for group in ("government", "academia"):
        services.ballot_cast(
            actor=scene.person(group),
            round_=round_,
            position="object",
            rationale=f"{group} concern",
        )
    first, second = Objection.objects.filter(round=round_).order_by("id")
    with pytest.raises(ValidationError):
        services.objection_address(actor=scene.facilitator, objection=first, reason=" ")
    services.objection_address(
        actor=scene.facilitator, objection=first, reason="Out of scope: see charter §2"
    )
    v1 = round_.version
    with pytest.raises(ValidationError):
        services.objection_accommodate(
            actor=scene.facilitator, objection=second, reason="x", version=v1
        )
    v2 = deliberation.version_publish(
        actor=scene.facilitator, proposal=scene.proposal, text="Version 2"
    )
    services.objection_accommodate(
        actor=scene.facilitator, objection=second, reason="Clause 3 rewritten", version=v2
    )
    second.refresh_from_db()
    assert (second.state, second.accommodated_in) == ("accommodated", v2)
    with pytest.raises(StateConflict):
        services.objection_address(actor=scene.facilitator, objection=second, reason="again")
    assert (
        AuditEvent.objects.filter(
            action__in=["objection.addressed", "objection.accommodated"]
        ).count()
        == 2
    )


def test_open_objections_carry_over_to_the_next_round(
    scene: Scene, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    first_round = scene.open_round()
    stubborn, convinced = scene.person("government"), scene.person("academia")
    for person in (stubborn, convinced):
        services.ballot_cast(
            actor=person, round_=first_round, position="object", rationale="Needs work"
        )
    services.round_close(actor=scene.facilitator, round_=first_round)
    deliberation.version_publish(actor=scene.facilitator, proposal=scene.proposal, text="Version 2")
    with django_capture_on_commit_callbacks(execute=True):
        second_round = scene.open_round()
    assert second_round.previous == first_round
    carried = list(Objection.objects.filter(round=second_round).order_by("id"))
    assert [(o.objector, o.state, o.carried_from is not None) for o in carried] == [
        (stubborn, "open", True),
        (convinced, "open", True),
    ]
    assert Notification.objects.filter(user=stubborn, kind=consensus_kinds.OBJECTION).exists()
    services.objection_answer_carried(actor=convinced, objection=carried[1], resolved=True)
    services.objection_answer_carried(actor=stubborn, objection=carried[0], resolved=False)
    carried[1].refresh_from_db()
    carried[0].refresh_from_db()
    assert (carried[1].state, carried[1].accommodated_in) == ("accommodated", second_round.version)
    assert (carried[0].state, carried[0].carried_answer) == ("open", "stands")


def test_declaring_differently_needs_a_rationale(scene: Scene) -> None:
    round_ = scene.open_round()
    services.ballot_cast(actor=scene.person("government"), round_=round_, position="support")
    with pytest.raises(StateConflict):
        services.outcome_declare(
            actor=scene.facilitator, round_=round_, designation_="consensus", rationale=""
        )
    services.round_close(actor=scene.facilitator, round_=round_)
    with pytest.raises(StateConflict):
        services.outcome_declare(
            actor=scene.facilitator, round_=round_, designation_="consensus", rationale=""
        )
    outcome = services.outcome_compute(round_=round_)
    assert outcome.computed_designation == "strong_support"  # five groups are missing
    with pytest.raises(ValidationError):
        services.outcome_declare(
            actor=scene.facilitator, round_=round_, designation_="consensus", rationale=""
        )
    with pytest.raises(ValidationError):
        services.outcome_declare(
            actor=scene.facilitator, round_=round_, designation_="unanimity", rationale="x"
        )
    services.outcome_declare(
        actor=scene.facilitator, round_=round_, designation_="strong_support", rationale=""
    )
    with pytest.raises(StateConflict):
        services.outcome_declare(
            actor=scene.facilitator, round_=round_, designation_="divergence", rationale="x"
        )


def test_minority_statements_and_challenges(
    scene: Scene, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    round_ = scene.open_round()
    objector, supporter = scene.person("civil_society"), scene.person("government")
    services.ballot_cast(actor=objector, round_=round_, position="object", rationale="No appeal")
    services.ballot_cast(actor=supporter, round_=round_, position="support")
    services.round_close(actor=scene.facilitator, round_=round_)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.outcome_compute(round_=round_)
    assert Notification.objects.filter(user=objector, title__contains="minority statement").exists()
    services.minority_statement_add(
        actor=objector, outcome=outcome, text="We still want an appeal."
    )
    with pytest.raises(PermissionError):
        services.minority_statement_add(actor=supporter, outcome=outcome, text="Me too")
    with pytest.raises(StateConflict):
        services.challenge_create(actor=supporter, outcome=outcome, text="Too early")
    assert outcome.computed_designation == "divergence"
    services.outcome_declare(
        actor=scene.facilitator, round_=round_, designation_="divergence", rationale=""
    )
    outcome.refresh_from_db()
    challenge = services.challenge_create(
        actor=objector, outcome=outcome, text="The quorum was not met"
    )
    services.challenge_answer(
        actor=scene.facilitator, challenge=challenge, answer="Correct, hence strong support only."
    )
    with pytest.raises(StateConflict):
        services.challenge_answer(actor=scene.facilitator, challenge=challenge, answer="Again")
    Outcome.objects.filter(pk=outcome.pk).update(
        challenge_until=timezone.now() - timedelta(seconds=1)
    )
    outcome.refresh_from_db()
    with pytest.raises(StateConflict):
        services.challenge_create(actor=objector, outcome=outcome, text="Late")


def test_an_excluded_ballot_is_kept_but_not_counted(scene: Scene) -> None:
    round_ = scene.open_round()
    troll = scene.person("private_sector")
    services.ballot_cast(actor=troll, round_=round_, position="support")
    services.ballot_exclude(
        actor=scene.facilitator,
        round_=round_,
        user=troll,
        reason="Duplicate account of a participant",
    )
    services.round_close(actor=scene.facilitator, round_=round_)
    outcome = services.outcome_compute(round_=round_)
    assert outcome.figures["ballots"] == 0
    assert Ballot.objects.filter(round=round_, user=troll).exists()
    with pytest.raises(StateConflict):
        services.ballot_exclude(actor=scene.facilitator, round_=round_, user=troll, reason="again")


def test_a_carried_objection_whose_author_does_not_vote_again_keeps_the_round_open_to_answer(
    scene: Scene,
) -> None:
    first_round = scene.open_round()
    services.ballot_cast(
        actor=scene.person("government"), round_=first_round, position="object", rationale="No"
    )
    services.round_close(actor=scene.facilitator, round_=first_round)
    deliberation.version_publish(actor=scene.facilitator, proposal=scene.proposal, text="Version 2")
    second_round = scene.open_round()
    services.ballot_cast(actor=scene.person("academia"), round_=second_round, position="support")
    services.round_close(actor=scene.facilitator, round_=second_round)
    outcome = services.outcome_compute(round_=second_round)
    assert (outcome.figures["open_objections"], outcome.figures["x_share"]) == (1, 0.0)
    assert outcome.computed_designation != "full_consensus"


def test_an_excluded_objectors_objection_does_not_count_as_open(scene: Scene) -> None:
    round_ = scene.open_round()
    troll = scene.person("private_sector")
    services.ballot_cast(actor=troll, round_=round_, position="object", rationale="Obstruct")
    services.ballot_cast(actor=scene.person("academia"), round_=round_, position="support")
    services.ballot_exclude(
        actor=scene.facilitator, round_=round_, user=troll, reason="Duplicate account"
    )
    services.round_close(actor=scene.facilitator, round_=round_)
    outcome = services.outcome_compute(round_=round_)
    assert (outcome.figures["ballots"], outcome.figures["open_objections"]) == (1, 0)
