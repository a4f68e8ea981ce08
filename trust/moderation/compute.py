"""The signal computation: read the platform's facts, run trust/signals/, store and file them."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from consensus.models import Ballot, Objection, Round, RoundStatus
from deliberation.models import Comment, ProposalVersion
from record.services import audit_append
from stakeholders.models import User
from trust import signals
from trust.models import Flag, Signal, SignalRun, TrustComputation, TrustScore
from trust.moderation.services import case_add_signal

# Any constant works: it names the advisory lock that lets one signal computation run at a time.
_SIGNALS_LOCK_KEY = 7_305_118_803
# Runs whose signals are kept (a case keeps its own copy of the evidence it was opened on).
KEEP_RUNS = 10
_CLOSED = (RoundStatus.CLOSED, RoundStatus.DECLARED)
# Longest list or mapping kept in a stored piece of evidence: a coordination cluster of thousands
# would otherwise make every member's row megabytes. The full size is kept beside it.
EVIDENCE_ITEMS_MAX = 200


def bounded(evidence: dict[str, Any]) -> dict[str, Any]:
    """The evidence with each long list or mapping cut to its first EVIDENCE_ITEMS_MAX items and
    `<name>_total` saying how many there were."""
    kept: dict[str, Any] = {}
    for key, value in evidence.items():
        if isinstance(value, list | dict) and len(value) > EVIDENCE_ITEMS_MAX:
            items = list(value.items()) if isinstance(value, dict) else value
            cut = items[:EVIDENCE_ITEMS_MAX]
            kept[key] = dict(cut) if isinstance(value, dict) else cut
            kept[f"{key}_total"] = len(value)
        else:
            kept[key] = value
    return kept


def _round_facts() -> list[signals.RoundFact]:
    rows = Round.objects.filter(status__in=_CLOSED, closed_at__isnull=False).values_list(
        "pk", "process__group_support_min", "closed_at"
    )
    return [
        signals.RoundFact(round=pk, group_support_min=float(minimum), closed_at=closed)
        for pk, minimum, closed in rows
        if closed is not None
    ]


def _ballot_facts(round_ids: list[int]) -> list[signals.BallotFact]:
    """Current ballots of closed rounds, each object ballot with its latest objection's fate."""
    objections: dict[tuple[int, int], tuple[str, str]] = {}
    for round_id, objector, state, text in (
        Objection.objects.filter(round_id__in=round_ids)
        .order_by("created_at", "pk")
        .values_list("round_id", "objector_id", "state", "text")
    ):
        objections[(round_id, objector)] = (state, text)
    facts = []
    for user, round_id, group, position, cast_at in Ballot.objects.filter(
        round_id__in=round_ids, current=True
    ).values_list("user_id", "round_id", "stakeholder_group", "position", "cast_at"):
        fate = objections.get((round_id, user)) if position == "object" else None
        facts.append(
            signals.BallotFact(
                user=user,
                round=round_id,
                group=group,
                position=position,
                cast_at=cast_at,
                objection_state=fate[0] if fate else None,
                objection_text=fate[1] if fate else None,
            )
        )
    return facts


def _activity() -> dict[int, int]:
    """Contributions per user: comments, ballot casts and proposal versions (three GROUP BYs)."""
    totals: dict[int, int] = defaultdict(int)
    for model, field in (
        (Comment, "author_id"),
        (Ballot, "user_id"),
        (ProposalVersion, "created_by_id"),
    ):
        for user, count in model.objects.values_list(field).annotate(n=Count("pk")).order_by():
            totals[user] += count
    return totals


def _trust() -> tuple[dict[int, float], int]:
    """The latest endorsement trust of each user and how many users it was computed over."""
    latest = TrustComputation.objects.latest_run()
    if latest is None:
        return {}, 0
    scores = TrustScore.objects.filter(computation=latest).values_list(
        "user_id", "endorsement_trust"
    )
    return dict(scores), latest.users


def _flag_reports(trust: dict[int, float], population: int) -> dict[int, list[float]]:
    """The trusts of each reported user's distinct reporters.

    Before any trust computation every reporter counts as an average account; afterwards an
    account the computation never saw (newer than it) counts as trusted by no one.
    """
    reporters: dict[int, set[int]] = defaultdict(set)
    for subject, reporter in Flag.objects.values_list("subject_id", "reporter_id"):
        reporters[subject].add(reporter)
    average = 1.0 / max(population, 1)
    return {
        subject: [trust.get(r, 0.0) if population else average for r in sorted(users)]
        for subject, users in reporters.items()
    }


def _results() -> tuple[list[signals.SignalResult], int, int]:
    rounds = _round_facts()
    ballots = _ballot_facts([fact.round for fact in rounds])
    voters = {fact.user for fact in ballots}
    registered = dict(User.objects.filter(pk__in=voters).values_list("pk", "date_joined"))
    trust, population = _trust()
    results = [
        *signals.obstruction(ballots, rounds),
        *signals.coordination(ballots, registered=registered),
        *signals.sybil_suspicion(trust, _activity()),
        *signals.flags(_flag_reports(trust, population), population=max(population, 1)),
    ]
    return results, len(rounds), len(ballots)


def signals_compute(
    *, actor: User | None = None, trigger: str = SignalRun.Trigger.SCHEDULE
) -> SignalRun:
    """Compute every signal of docs/design.md §6 over the whole platform and file those at their
    threshold.

    After: a SignalRun with one Signal per (user, kind) computed; each signal at or above its
    threshold is added to its subject's open moderation case (opened if needed). Advisory only:
    no one's standing changes. Runs are serialised by an advisory lock; only the last KEEP_RUNS
    runs' signals are kept.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SIGNALS_LOCK_KEY])
        started = timezone.now()
        results, n_rounds, n_ballots = _results()
        flagged = [result for result in results if result.flagged]
        subjects = {user.pk: user for user in User.objects.filter(pk__in={r.user for r in flagged})}
        opened = sum(
            case_add_signal(
                subject=subjects[result.user], kind=result.kind, evidence=bounded(result.evidence)
            )
            for result in flagged
        )
        run = SignalRun.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            trigger=trigger,
            actor=actor,
            rounds=n_rounds,
            ballots=n_ballots,
            flagged=len(flagged),
            cases_opened=opened,
        )
        Signal.objects.bulk_create(
            (_signal(run, result, started) for result in results), batch_size=2000
        )
        stale = SignalRun.objects.order_by("-id").values_list("pk", flat=True)[KEEP_RUNS:]
        SignalRun.objects.filter(pk__in=list(stale)).delete()
        audit_append(
            actor=actor,
            action="signals.compute",
            obj=run,
            process=None,
            data={"flagged": len(flagged), "cases_opened": opened},
            public=False,
        )
    return run


def _signal(run: SignalRun, result: signals.SignalResult, at: datetime) -> Signal:
    evidence = bounded(result.evidence)
    return Signal(
        run=run,
        user_id=result.user,
        kind=result.kind,
        score=result.score,
        flagged=result.flagged,
        evidence=evidence,
        computed_at=at,
    )
