"""The hand-written reads of the round, result and process pages (consensus.page_reads) give what
the ORM gives: every field of every object they bring, JSON decoded, and nothing they lack."""

from datetime import timedelta

import pytest
from django.db.models import Model
from django.utils import timezone

from consensus import page_reads, services
from consensus.models import Outcome, Round
from consensus.selectors import numbered
from tests.consensus.conftest import Scene
from trust import page_reads as trust_reads
from trust import services as trust
from trust.models import Commitment

pytestmark = pytest.mark.django_db


def _fields(instance: Model, *, leave_out: tuple[str, ...] = ()) -> dict[str, object]:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.attname not in leave_out
    }


def _closed_round(scene: Scene) -> Round:
    round_ = scene.open_round()
    for group, position in (("government", "support"), ("academia", "object")):
        services.ballot_cast(
            actor=scene.person(group), round_=round_, position=position, rationale="Why"
        )
    services.round_close(actor=scene.facilitator, round_=round_)
    services.outcome_compute(round_=round_)
    return round_


def test_round_get_brings_the_round_its_chain_and_its_counts(scene: Scene) -> None:
    round_ = _closed_round(scene)
    read = page_reads.round_get(scene.process, round_.pk)
    assert read is not None
    stored = Round.objects.select_related("version__proposal__issue").get(pk=round_.pk)
    assert _fields(read) == _fields(stored)
    assert isinstance(read.parameters, dict) and read.parameters == stored.parameters
    assert _fields(read.version) == _fields(stored.version)
    assert _fields(read.version.proposal) == _fields(stored.version.proposal)
    assert _fields(read.version.proposal.issue) == _fields(stored.version.proposal.issue)
    outcome = Outcome.objects.get(round=round_)
    assert _fields(read.outcome, leave_out=("figures",)) == _fields(outcome, leave_out=("figures",))
    assert read.current_ballots == 2  # type: ignore[attr-defined]
    assert sorted(read.cast_groups) == ["academia", "government"]  # type: ignore[attr-defined]
    assert read.outcome.figures == outcome.figures  # deferred: read when asked


def test_round_get_knows_a_round_without_outcome_and_refuses_other_processes(
    scene: Scene,
) -> None:
    round_ = scene.open_round()
    read = page_reads.round_get(scene.process, round_.pk)
    assert read is not None
    with pytest.raises(Round.outcome.RelatedObjectDoesNotExist):
        read.outcome  # noqa: B018 - known absent, read from nothing
    assert page_reads.round_get(scene.process, round_.pk + 10_000) is None


def test_outcome_of_matches_the_stored_outcome(scene: Scene) -> None:
    round_ = _closed_round(scene)
    read = page_reads.outcome_of(round_)
    assert read is not None
    assert _fields(read) == _fields(Outcome.objects.get(round=round_))
    assert isinstance(read.figures, dict)
    assert list(read.minority_statements.all()) == []
    assert page_reads.outcome_of(scene.open_round()) is None


def test_latest_rounds_number_each_round_on_its_proposal(scene: Scene) -> None:
    first = _closed_round(scene)
    second = scene.open_round()
    read = page_reads.latest_rounds(scene.process, 10)
    rounds = numbered(Round.objects.filter(process=scene.process))
    by_orm = {r.pk: r.number for r in rounds}  # type: ignore[attr-defined]
    assert [r.pk for r in read] == [second.pk, first.pk]
    assert {r.pk: r.number for r in read} == by_orm  # type: ignore[attr-defined]
    assert read[1].outcome.declared_designation == ""
    with pytest.raises(Round.outcome.RelatedObjectDoesNotExist):
        read[0].outcome  # noqa: B018
    assert read[0].version.number == second.version.number
    assert read[0].version.proposal.title == scene.proposal.title


def test_process_commitments_bring_their_counts_and_author(scene: Scene) -> None:
    author = scene.person("government")
    made = [
        trust.commitment_create(
            actor=author, text=f"Publish {n}", due_on=timezone.localdate() - timedelta(days=n),
            process=scene.process,
        )
        for n in range(1, 4)
    ]  # fmt: skip
    trust.attestation_give(
        actor=scene.person("academia"), commitment=made[0], verdict="kept", evidence="Seen"
    )
    read = trust_reads.process_commitments(scene.process, 2)
    assert [c.pk for c in read] == [made[0].pk, made[1].pk]
    for commitment in read:
        assert _fields(commitment) == _fields(Commitment.objects.get(pk=commitment.pk))
        assert commitment.author.display_name == author.display_name
        assert [h.pk for h in commitment.author.active_hats] == [  # type: ignore[attr-defined]
            h.pk for h in author.affiliations.all()
        ]
    assert (read[0].kept, read[0].partly, read[0].broken) == (1, 0, 0)  # type: ignore[attr-defined]
    assert (read[1].kept, read[1].partly, read[1].broken) == (0, 0, 0)  # type: ignore[attr-defined]
