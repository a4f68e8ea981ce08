"""The balance service: hand-computed figures, newcomers, the gender floor, constant queries."""

import math
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from consensus import services as consensus_services
from consensus.balance import selectors as balance_selectors
from consensus.balance import services as balance_service
from consensus.balance.compute import SUPPRESSED, CategoryCount
from consensus.balance.selectors import BalanceInput, Contributor
from consensus.models import BalanceSnapshot, Ballot, Round, SnapshotTrigger
from deliberation import services as deliberation_services
from deliberation.models import Comment, CommentState, Issue, Participation, Process
from stakeholders.models import Funding, StakeholderGroup, User
from tests.consensus.balance_helpers import open_round
from tests.factories import (
    AffiliationFactory,
    CommentFactory,
    ParticipationFactory,
    ProcessFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

GOV, CIVIL, ACADEMIA, TECH = (
    StakeholderGroup.GOVERNMENT,
    StakeholderGroup.CIVIL_SOCIETY,
    StakeholderGroup.ACADEMIA,
    StakeholderGroup.TECHNICAL_COMMUNITY,
)


def entropy_index(contributions: list[int], k: int) -> float:
    total = sum(contributions)
    return -sum(c / total * math.log(c / total) for c in contributions if c) / math.log(k)


def person(group: str, country: str, funding: str, gender: str = "") -> User:
    user = UserFactory.create(country=country, funding=funding, gender=gender)
    AffiliationFactory.create(user=user, primary=True, stakeholder_group=group)
    return user


@dataclass
class Scene:
    process: Process
    issue: Issue
    facilitator: User
    g1: User
    c1: User
    c2: User


@pytest.fixture
def scene() -> Scene:
    """Three expected groups (government, civil society, academia); academia never speaks.

    g1 (government, Kenya, unfunded) joined another process before: returning. c1 (civil
    society, Germany, self-funded) joined another process only afterwards: a newcomer. c2 (civil
    society, Brazil, sponsored): a newcomer. The facilitator (technical community, France,
    employer-funded) facilitated an earlier process: returning; they publish two versions.
    Comments: g1 2, c1 3, c2 1 (and one hidden). Ballots: g1 support, c1 object then accept,
    c2 abstain. So 6 comments + 3 current ballots + 2 versions = 11 contributions by 4 people.
    """
    now = timezone.now()
    facilitator = person(TECH, "FR", Funding.EMPLOYER_FUNDED)
    facilitator.is_facilitator = True
    facilitator.save()
    earlier = ProcessFactory.create(created_by=facilitator)
    Process.objects.filter(pk=earlier.pk).update(created_at=now - timedelta(days=60))
    process = ProcessFactory.create(created_by=facilitator, expected_groups=[GOV, CIVIL, ACADEMIA])
    Process.objects.filter(pk=process.pk).update(created_at=now - timedelta(days=30))
    process.refresh_from_db()
    other = ProcessFactory.create()

    g1 = person(GOV, "KE", Funding.UNFUNDED, gender="Woman")
    c1 = person(CIVIL, "DE", Funding.SELF_FUNDED, gender=" woman ")
    c2 = person(CIVIL, "BR", Funding.SPONSORED)
    for user in (g1, c1, c2):
        deliberation_services.participation_join(actor=user, process=process)
    Participation.objects.filter(process=process).update(joined_at=now - timedelta(days=20))
    ParticipationFactory.create(
        process=other,
        user=g1,
        affiliation=g1.affiliations.get(),
        joined_at=now - timedelta(days=40),
    )
    ParticipationFactory.create(
        process=other,
        user=c1,
        affiliation=c1.affiliations.get(),
        joined_at=now - timedelta(days=10),
    )

    issue = deliberation_services.issue_create(
        actor=facilitator, process=process, title="Root zone", body="Framing"
    )
    for user, n in ((g1, 2), (c1, 3), (c2, 1)):
        for i in range(n):
            deliberation_services.comment_create(actor=user, issue=issue, body=f"Point {i}")
    hidden = deliberation_services.comment_create(actor=c2, issue=issue, body="Off topic")
    Comment.objects.filter(pk=hidden.pk).update(state=CommentState.HIDDEN)
    proposal = deliberation_services.proposal_create(
        actor=facilitator, issue=issue, title="P", text="Version one"
    )
    version = deliberation_services.version_publish(
        actor=facilitator, proposal=proposal, text="Version two", change_summary="Better"
    )
    round_ = open_round(version, facilitator)
    consensus_services.ballot_cast(actor=g1, round_=round_, position="support")
    consensus_services.ballot_cast(actor=c1, round_=round_, position="object", rationale="No")
    consensus_services.ballot_cast(actor=c1, round_=round_, position="accept")
    consensus_services.ballot_cast(actor=c2, round_=round_, position="abstain")
    return Scene(process, issue, facilitator, g1, c1, c2)


def categories(figures: balance_service.BalanceFigures, dimension: str) -> dict[str, dict]:
    return figures.dimensions[dimension]["categories"]


def alert_pairs(figures: balance_service.BalanceFigures, dimension: str) -> set[tuple[str, str]]:
    return {(a["kind"], a["category"]) for a in figures.dimensions[dimension]["alerts"]}


def test_totals_count_current_ballots_visible_comments_and_versions(scene: Scene) -> None:
    figures = balance_service.balance_figures(scene.process)

    assert figures.totals == {
        "comments": 6,
        "ballots": 3,
        "versions": 2,
        "contributions": 11,
        "participants": 4,
    }
    assert figures.snapshot is None


def test_stakeholder_groups_match_the_hand_computed_figures(scene: Scene) -> None:
    figures = balance_service.balance_figures(scene.process)
    groups = categories(figures, "stakeholder_group")

    # government 2 comments + 1 ballot; civil society 4 + 1 and 1 + 1; versions count for the
    # facilitator's primary hat (technical community, not expected: it joins K).
    assert {g: (v["contributions"], v["participants"]) for g, v in groups.items()} == {
        GOV: (3, 1),
        CIVIL: (6, 2),
        ACADEMIA: (0, 0),
        TECH: (2, 1),
    }
    assert groups[CIVIL]["share"] == pytest.approx(6 / 11)
    assert groups[GOV]["ratio"] == pytest.approx(3 / 11 * 4)
    assert figures.dimensions["stakeholder_group"]["index"] == pytest.approx(
        entropy_index([3, 6, 0, 2], 4)
    )
    assert alert_pairs(figures, "stakeholder_group") == {
        ("absent", ACADEMIA),
        ("dominant", CIVIL),
    }
    messages = [a["message"] for a in figures.dimensions["stakeholder_group"]["alerts"]]
    assert "No academic participant has taken part yet." in messages
    assert "Civil society: 55% of the contributions counted here, more than half." in messages


def test_regions_economies_and_funding_come_from_the_people(scene: Scene) -> None:
    figures = balance_service.balance_figures(scene.process)

    regions = categories(figures, "region")
    assert {r: (v["contributions"], v["participants"]) for r, v in regions.items()} == {
        "africa": (3, 1),
        "asia_pacific": (0, 0),
        "eastern_europe": (0, 0),
        "latin_america_caribbean": (2, 1),
        "western_europe_others": (6, 2),
    }
    assert figures.dimensions["region"]["index"] == pytest.approx(entropy_index([3, 2, 6], 5))
    assert ("absent", "asia_pacific") in alert_pairs(figures, "region")

    economies = categories(figures, "development")
    assert economies["developing"]["contributions"] == 5
    assert economies["developed"]["contributions"] == 6
    assert figures.dimensions["development"]["index"] == pytest.approx(entropy_index([5, 6], 2))

    funding = categories(figures, "funding")
    assert {f: v["contributions"] for f, v in funding.items()} == {
        Funding.SELF_FUNDED: 4,
        Funding.EMPLOYER_FUNDED: 2,
        Funding.SPONSORED: 2,
        Funding.UNFUNDED: 3,
    }
    assert alert_pairs(figures, "funding") == set()


def test_newcomers_are_people_in_their_first_process(scene: Scene) -> None:
    figures = balance_service.balance_figures(scene.process)
    newcomer = categories(figures, "newcomer")

    # g1 took part elsewhere before joining; the facilitator facilitated an earlier process; c1
    # joined another process only later, so c1 is still a newcomer here.
    assert newcomer["returning"]["participants"] == 2
    assert newcomer["returning"]["contributions"] == 3 + 2
    assert newcomer["newcomer"]["participants"] == 2
    assert newcomer["newcomer"]["contributions"] == 4 + 2


def test_gender_is_hidden_below_five_people(scene: Scene) -> None:
    figures = balance_service.balance_figures(scene.process)

    # Two people describe themselves as "woman" (case and spaces aside): under the floor, and the
    # bucket of everyone under it is under the floor too, so nothing is reported.
    assert figures.dimensions["gender"] == {"index": None, "categories": {}, "alerts": []}


def test_gender_categories_of_five_are_reported_and_smaller_ones_pooled() -> None:
    process = ProcessFactory.create()
    issue = deliberation_services.issue_create(
        actor=process.created_by, process=process, title="T", body="B"
    )
    genders = ["Woman"] * 5 + ["man"] * 3 + ["non-binary"] * 2 + [""]
    for gender in genders:
        author = UserFactory.create(gender=gender)
        CommentFactory.create(issue=issue, author=author)

    gender = balance_service.balance_figures(process).dimensions["gender"]

    assert set(gender["categories"]) == {"woman", SUPPRESSED}
    assert gender["categories"]["woman"]["participants"] == 5
    assert gender["categories"][SUPPRESSED]["participants"] == 5
    assert gender["index"] == pytest.approx(1.0)
    assert gender["alerts"] == []


def test_a_gender_bucket_alone_has_no_index() -> None:
    process = ProcessFactory.create()
    issue = deliberation_services.issue_create(
        actor=process.created_by, process=process, title="T", body="B"
    )
    for gender in ["woman", "man", "woman", "man", "agender", "man"]:
        CommentFactory.create(issue=issue, author=UserFactory.create(gender=gender))

    gender = balance_service.balance_figures(process).dimensions["gender"]

    assert set(gender["categories"]) == {SUPPRESSED}
    assert gender["index"] is None
    assert gender["alerts"] == []


def test_as_of_measures_the_process_as_it_stood(scene: Scene) -> None:
    first_ballot = min(b.cast_at for b in Ballot.objects.filter(round__process=scene.process))

    before = balance_service.balance_figures(
        scene.process, as_of=first_ballot - timedelta(microseconds=1)
    )

    assert before.totals["ballots"] == 0
    assert before.totals["comments"] == 6
    assert before.computed_at == first_ballot - timedelta(microseconds=1)


def test_an_empty_process_has_no_index_and_every_expected_category_absent() -> None:
    process = ProcessFactory.create(expected_groups=[GOV, CIVIL])

    figures = balance_service.balance_figures(process)

    assert figures.totals["contributions"] == 0
    assert figures.dimensions["stakeholder_group"]["index"] is None
    assert alert_pairs(figures, "stakeholder_group") == {("absent", GOV), ("absent", CIVIL)}


def test_folding_counts_a_person_once_per_category() -> None:
    people = {
        1: Contributor("africa", "developing", "unfunded", "", GOV, returning=False),
        2: Contributor("unknown", "unknown", "sponsored", "x", CIVIL, returning=True),
    }
    data = BalanceInput(
        comments=[(1, GOV, 4), (1, CIVIL, 1), (2, CIVIL, 2)],
        ballots=[(1, GOV, "asia_pacific", False, 1)],
        versions=[(2, 3)],
        people=people,
    )

    counts = balance_service.category_counts(data)

    assert counts["stakeholder_group"] == {
        GOV: CategoryCount(contributions=5, participants=1),
        CIVIL: CategoryCount(contributions=6, participants=2),
    }
    # The ballot carries its own region and economy, copied when it was cast.
    assert counts["region"]["asia_pacific"] == CategoryCount(contributions=1, participants=1)
    assert counts["region"]["africa"] == CategoryCount(contributions=5, participants=1)
    assert counts["development"]["developed"] == CategoryCount(contributions=1, participants=1)
    assert counts["newcomer"]["returning"] == CategoryCount(contributions=5, participants=1)
    assert counts["gender"] == {"x": CategoryCount(contributions=5, participants=1)}


def _process_with(contributions: int) -> Process:
    """A process with about `contributions` comments, versions and ballots by many people."""
    process = ProcessFactory.create()
    issue = deliberation_services.issue_create(
        actor=process.created_by, process=process, title="T", body="B"
    )
    people = []
    for i in range(max(contributions // 10, 3)):
        participation = ParticipationFactory.create(process=process)
        participation.user.country = ["KE", "DE", "BR", "IN"][i % 4]
        participation.user.save(update_fields=["country"])
        people.append(participation)
    proposal = deliberation_services.proposal_create(
        actor=people[0].user, issue=issue, title="P", text="One"
    )
    version = deliberation_services.version_publish(
        actor=people[1].user, proposal=proposal, text="Two", change_summary="c"
    )
    round_ = open_round(version, process.created_by)
    for participation in people[:3]:
        consensus_services.ballot_cast(actor=participation.user, round_=round_, position="support")
    remaining = contributions - 5
    Comment.objects.bulk_create(
        Comment(
            issue=issue,
            author=people[i % len(people)].user,
            affiliation=people[i % len(people)].affiliation,
            body=f"Comment {i}",
        )
        for i in range(remaining)
    )
    return process


@pytest.mark.parametrize("contributions", [10, 500])
def test_a_snapshot_takes_a_constant_number_of_queries(
    contributions: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    process = _process_with(contributions)

    # Six reads (comments, ballots, versions, poll statements and poll votes grouped by person;
    # the people) and one insert.
    with django_assert_num_queries(7):
        snapshot = balance_service.balance_snapshot_create(
            actor=None, process=process, trigger=SnapshotTrigger.ON_DEMAND
        )

    assert snapshot.totals["contributions"] == contributions


def test_a_periodic_snapshot_is_stored_only_when_the_figures_changed(scene: Scene) -> None:
    first = balance_service.balance_snapshot_create(
        actor=None, process=scene.process, trigger=SnapshotTrigger.PERIODIC
    )
    again = balance_service.balance_snapshot_create(
        actor=None, process=scene.process, trigger=SnapshotTrigger.PERIODIC
    )
    assert again == first
    on_demand = balance_service.balance_snapshot_create(
        actor=scene.facilitator, process=scene.process, trigger=SnapshotTrigger.ON_DEMAND
    )
    assert on_demand != first

    deliberation_services.comment_create(actor=scene.c2, issue=scene.issue, body="More")
    changed = balance_service.balance_snapshot_create(
        actor=None, process=scene.process, trigger=SnapshotTrigger.PERIODIC
    )

    assert changed not in (first, on_demand)
    assert changed.totals["comments"] == 7
    assert BalanceSnapshot.objects.filter(process=scene.process).count() == 3
    assert balance_selectors.latest_snapshot(scene.process) == changed


def test_current_balance_prefers_the_latest_snapshot(scene: Scene) -> None:
    live = balance_service.current_balance(scene.process)
    assert live.snapshot is None
    stored = balance_service.balance_snapshot_create(
        actor=scene.facilitator, process=scene.process, trigger=SnapshotTrigger.ON_DEMAND
    )
    deliberation_services.comment_create(actor=scene.c2, issue=scene.issue, body="More")

    current = balance_service.current_balance(scene.process)

    assert current.snapshot == stored
    assert current.totals["comments"] == 6
    assert current.dimensions == live.dimensions


def test_a_bad_trigger_or_a_foreign_round_is_refused(scene: Scene) -> None:
    with pytest.raises(ValidationError):
        balance_service.balance_snapshot_create(actor=None, process=scene.process, trigger="nope")
    round_ = Round.objects.get(process=scene.process)
    with pytest.raises(ValidationError):
        balance_service.balance_snapshot_create(
            actor=None,
            process=ProcessFactory.create(),
            trigger=SnapshotTrigger.ROUND_CLOSE,
            round_=round_,
        )


def test_index_history_reads_indices_oldest_first(scene: Scene) -> None:
    first = balance_service.balance_snapshot_create(
        actor=None,
        process=scene.process,
        trigger=SnapshotTrigger.PERIODIC,
        as_of=timezone.now() - timedelta(minutes=1),
    )
    second = balance_service.balance_snapshot_create(
        actor=None, process=scene.process, trigger=SnapshotTrigger.ON_DEMAND
    )

    history = balance_selectors.index_history(scene.process)

    assert [row["computed_at"] for row in history] == [first.computed_at, second.computed_at]
    assert history[1]["indices"]["stakeholder_group"] == pytest.approx(
        second.dimensions["stakeholder_group"]["index"]
    )
    assert history[1]["indices"]["gender"] is None
    assert history[0]["trigger"] == SnapshotTrigger.PERIODIC
