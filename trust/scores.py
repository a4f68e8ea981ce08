"""Trust scores: computed from endorsements and kept commitments, stored, their history pruned."""

from datetime import datetime

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from record.services import audit_append
from stakeholders.models import User
from trust import selectors
from trust.binary_copy import copy_rows
from trust.eigentrust import ALPHA, commitment_record, eigentrust, percentiles
from trust.models import (
    SCORE_SECTIONS,
    VERDICT_VALUE,
    TrustComputation,
    TrustScore,
)
from trust.retention import kept_computations

# The TrustScore columns the nightly COPY writes, and the job's figure each one holds.
_SCORE_COLUMNS = {
    "user": "user",
    "endorsement_trust": "trust",
    "percentile": "percentile",
    "commitment_record": "record",
    **{name: name for names in SCORE_SECTIONS.values() for name in names
       if name not in ("trust", "percentile", "record")},
}  # fmt: skip

# Any constant works: it names the advisory lock that lets one trust computation run at a time.
_COMPUTE_LOCK_KEY = 7_305_118_802


def _commitment_records(
    n: int, relative: np.ndarray, facts: np.ndarray, user_ids: np.ndarray
) -> dict[str, np.ndarray]:
    """Each user's commitment record and its counts, from the attestation facts.

    An attestation weighs its attester's endorsement trust scaled so that an average user weighs 1
    (w = t·n, and Σt = 1): two average attesters saying "kept" give (2 + 1)/(2 + 2) = 0.75, while
    an attester nobody trusts (t = 0, or a closed account) adds nothing.
    """
    author, author_known = selectors.positions(user_ids, facts[:, 0])
    attester, attester_known = selectors.positions(user_ids, facts[:, 1])
    author, codes = author[author_known], facts[author_known, 2]
    weight = np.where(attester_known, relative[attester], 0.0)[author_known]
    value_of_code = np.zeros(len(selectors.VERDICT_CODES))
    for verdict, code in selectors.VERDICT_CODES.items():
        value_of_code[code] = VERDICT_VALUE[verdict]
    value = value_of_code[codes]
    record = np.full(n, commitment_record(np.zeros(0), np.zeros(0)))
    # One group of rows per author (a loop over authors, not over attestations).
    order = np.argsort(author, kind="stable")
    for rows in np.split(order, np.flatnonzero(np.diff(author[order])) + 1):
        if rows.size:
            record[author[rows[0]]] = commitment_record(weight[rows], value[rows])
    return {
        "record": record,
        "attestations": np.bincount(author, minlength=n),
        **{
            verdict.value: np.bincount(author[codes == code], minlength=n)
            for verdict, code in selectors.VERDICT_CODES.items()
        },
        "weight": np.bincount(author, weights=weight, minlength=n),
    }


def trust_compute(
    *, actor: User | None = None, trigger: str = TrustComputation.Trigger.SCHEDULE
) -> TrustComputation:
    """Compute every active user's trust (docs/design.md §5) and store it as one computation.

    Reads the endorsement graph, the attestations and the tenure figures in a constant number of
    queries; solves EigenTrust on sparse matrices (pre-trusted: users with a verified active
    affiliation, or everyone when there are none); weighs each attestation by its attester's
    endorsement trust (see `_commitment_records`). After: one TrustComputation with a TrustScore
    per active user, written with one COPY inside one transaction (readers see all of a run or
    none), each `computed_at` the moment the data was read; an admin's on-demand run is on the
    public record. Runs are serialised by an advisory lock.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_COMPUTE_LOCK_KEY])
        started = timezone.now()
        graph = selectors.endorsement_graph()
        n = graph.n
        solved = eigentrust(n, graph.src, graph.dst, pretrusted=graph.pretrusted)
        relative = solved.trust * n
        # Rounded before ranking, so users in symmetric positions share one percentile.
        shown = percentiles(np.round(relative, 6))
        facts = selectors.attestation_facts()
        commitments = _commitment_records(n, relative, facts, graph.user_ids)
        made, due = selectors.commitments_made(graph.user_ids)
        pretrusted = np.zeros(n, dtype=np.bool_)
        pretrusted[graph.pretrusted] = True
        columns: dict[str, np.ndarray] = {
            "user": graph.user_ids,
            "trust": solved.trust,
            "relative": relative,
            "percentile": shown,
            "endorsed_by": np.bincount(graph.dst, minlength=n),
            "endorses": np.bincount(graph.src, minlength=n),
            "pretrusted": pretrusted,
            "made": made,
            "due": due,
            "processes": selectors.processes_taken_part(graph.user_ids),
            "days": selectors.account_ages(graph.user_ids),
            **commitments,
        }
        computation = TrustComputation.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            trigger=trigger,
            actor=actor,
            users=n,
            endorsements=int(graph.src.size),
            pretrusted=int(graph.pretrusted.size),
            attestations=int(facts.shape[0]),
            alpha=ALPHA,
            iterations=solved.iterations,
            delta=solved.delta if np.isfinite(solved.delta) else 0.0,
            converged=solved.converged,
        )
        _write_scores(computation, started, columns)
        computation.finished_at = timezone.now()
        computation.save(update_fields=["finished_at"])
        if actor is not None:
            audit_append(
                actor=actor,
                action="trust.recompute",
                obj=computation,
                process=None,
                data={
                    "users": n,
                    "endorsements": computation.endorsements,
                    "iterations": solved.iterations,
                    "converged": solved.converged,
                },
            )
    return computation


def _write_scores(
    computation: TrustComputation, at: datetime, columns: dict[str, np.ndarray]
) -> None:
    """Store one TrustScore per user with a single binary COPY of plain numbers.

    Hand-written because bulk_create spends most of its time building 100,000 INSERT rows; the
    figures are typed columns, packed by numpy, so neither Python nor PostgreSQL formats or
    parses a number as text (docs/design.md §9).
    """
    rows = len(columns["user"])
    copy_rows(
        TrustScore,
        {
            "computation": np.full(rows, computation.pk, dtype=np.int64),
            "computed_at": at,
            **{name: columns[figure] for name, figure in _SCORE_COLUMNS.items()},
        },
        rows,
    )


def trust_history_prune(*, now: datetime | None = None) -> int:
    """Delete the scores of computations that retention no longer keeps (trust/retention.py:
    the latest, the last TRUST_HISTORY_DAYS days one a day, then one a month for
    TRUST_HISTORY_MONTHS months); returns how many scores were deleted. The computations
    themselves stay listed, with their global figures."""
    kept = kept_computations(
        TrustComputation.objects.values_list("pk", "started_at"),
        now=now or timezone.now(),
        days=settings.TRUST_HISTORY_DAYS,
        months=settings.TRUST_HISTORY_MONTHS,
    )
    deleted, _by_model = TrustScore.objects.exclude(computation_id__in=kept).delete()
    return deleted
