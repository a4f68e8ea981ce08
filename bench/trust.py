"""Trust benchmarks: EigenTrust on 100,000 users and 1,000,000 endorsements, and the Sybil table."""

from __future__ import annotations

import time
from itertools import chain

import numpy as np
from django.db import connection
from django.db.backends.utils import CursorWrapper
from scipy import sparse

from bench.runner import Figure, best_of, best_of_interleaved, check, info, memory, share, timing
from trust import selectors
from trust.eigentrust import ALPHA, MAX_ITER, TOL, eigentrust
from trust.scores import trust_compute
from trust.sybil import (
    BITCOIN_OTC_ATTRIBUTION,
    SAMPLE_GRAPH,
    SYBIL_SIZE,
    load_signed_edges,
    sybil_share,
    sybil_table,
)

USERS = 100_000
ENDORSEMENTS = 1_000_000
VERIFIED = 1_000  # 1 % of the users hold a verified affiliation: the pre-trusted set


def _counts() -> tuple[int, int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM stakeholders_user WHERE is_active),"
            " (SELECT count(*) FROM trust_endorsement WHERE withdrawn_at IS NULL),"
            " (SELECT count(DISTINCT user_id) FROM stakeholders_affiliation"
            "  WHERE verified_at IS NOT NULL)"
        )
        row = cursor.fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def ensure_data() -> str:
    """Fill the benchmark database with the users, hats and endorsements, unless already there.

    Generated in PostgreSQL (INSERT … SELECT generate_series), never row by row through the ORM.
    """
    if _counts() == (USERS, ENDORSEMENTS, VERIFIED):
        return "reused"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE stakeholders_user RESTART IDENTITY CASCADE")
        cursor.execute("SELECT setseed(%s)", [0.42])
        cursor.execute(
            """
            INSERT INTO stakeholders_user (password, is_superuser, is_staff, is_active,
                date_joined, email, display_name, country, languages, gender, funding,
                attribution, is_facilitator)
            SELECT '!', false, false, true,
                now() - (g %% 1000) * interval '1 day', 'bench-' || g || '@example.org',
                'Bench user ' || g, 'KE', '{}', '', 'self_funded', 'named', false
            FROM generate_series(1, %s) AS g
            """,
            [USERS],
        )
        cursor.execute(
            """
            INSERT INTO stakeholders_affiliation (user_id, organisation, stakeholder_group, role,
                legitimacy_claim, mandate_url, "primary", started_on, verified_at)
            SELECT id, 'Organisation ' || id, 'civil_society', 'Member', '', '', true,
                current_date, now()
            FROM stakeholders_user ORDER BY random() LIMIT %s
            """,
            [VERIFIED],
        )
        # Random distinct pairs without self-endorsements: draw a few more than needed, keep
        # the first ENDORSEMENTS distinct ones.
        cursor.execute(
            """
            INSERT INTO trust_endorsement (from_user_id, to_user_id, note, created_at)
            SELECT a, b, '', now() FROM (
                SELECT DISTINCT 1 + floor(random() * %(n)s)::bigint AS a,
                                1 + floor(random() * %(n)s)::bigint AS b
                FROM generate_series(1, %(draw)s)
            ) AS pairs
            WHERE a <> b
            LIMIT %(m)s
            """,
            {"n": USERS, "draw": ENDORSEMENTS + ENDORSEMENTS // 50, "m": ENDORSEMENTS},
        )
        cursor.execute("ANALYZE")
    counts = _counts()
    if counts != (USERS, ENDORSEMENTS, VERIFIED):
        raise SystemExit(f"The generated data has the wrong size: {counts}")
    return f"generated in {time.perf_counter() - started:.1f} s"


REPEAT = 7
JOB_RUNS = 3
# The whole nightly job also reads the attestations and tenure figures and writes one row per
# user; it may take at most this many times the bare read-and-solve.
JOB_TARGET = 3.0


def service_path() -> np.ndarray:
    """What `trust_compute` does for endorsement trust: the selector's reads, then the solve."""
    graph = selectors.endorsement_graph()
    return eigentrust(graph.n, graph.src, graph.dst, pretrusted=graph.pretrusted).trust


def _fetch(cursor: CursorWrapper, sql: str, width: int) -> np.ndarray:
    cursor.execute(sql)
    rows = cursor.fetchall()
    return np.fromiter(chain.from_iterable(rows), np.int64, count=width * len(rows)).reshape(
        -1, width
    )


def bare_path() -> np.ndarray:
    """The limit: raw SQL for the same rows, then a plain scipy power iteration
    (docs/design.md §5)."""
    with connection.cursor() as cursor:
        ids = _fetch(cursor, "SELECT id FROM stakeholders_user WHERE is_active ORDER BY id", 1)
        edges = _fetch(
            cursor,
            "SELECT from_user_id, to_user_id FROM trust_endorsement WHERE withdrawn_at IS NULL",
            2,
        )
        verified = _fetch(
            cursor,
            "SELECT DISTINCT user_id FROM stakeholders_affiliation WHERE verified_at IS NOT NULL"
            " AND (ended_on IS NULL OR ended_on > CURRENT_DATE)",
            1,
        )
    ids = ids[:, 0]
    n = ids.size
    src = np.searchsorted(ids, edges[:, 0]).clip(0, n - 1)
    dst = np.searchsorted(ids, edges[:, 1]).clip(0, n - 1)
    keep = (ids[src] == edges[:, 0]) & (ids[dst] == edges[:, 1])
    src, dst = src[keep], dst[keep]
    outdeg = np.bincount(src, minlength=n)
    matrix = sparse.csr_array(((1.0 - ALPHA) / outdeg[src], (dst, src)), shape=(n, n))
    p = np.zeros(n)
    p[np.searchsorted(ids, verified[:, 0])] = 1.0 / verified.shape[0]
    dangling = outdeg == 0
    t = p.copy()
    for _ in range(MAX_ITER):
        nxt = matrix @ t + ((1.0 - ALPHA) * t[dangling].sum() + ALPHA) * p
        delta = np.abs(nxt - t).sum()
        t = nxt
        if delta < TOL:
            break
    return t


def _clear_computations() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE trust_trustscore, trust_trustcomputation")


def _stored_trust(computation_id: int) -> np.ndarray:
    """The endorsement trust a computation stored, in user-id order (as the bare path's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT endorsement_trust FROM trust_trustscore WHERE computation_id = %s"
            " ORDER BY user_id",
            [computation_id],
        )
        return np.array([row[0] for row in cursor.fetchall()])


def eigentrust_figures() -> list[Figure]:
    """EigenTrust through the service's path against the bare scipy iteration (target ≤ 1.5×),
    and the whole nightly job against the same bare iteration (target ≤ 3×)."""
    state = ensure_data()
    print(
        f"EigenTrust: {USERS:,} users, {ENDORSEMENTS:,} endorsements, {VERIFIED:,} verified "
        f"(pre-trusted) users — data {state}; best of {REPEAT} runs each, taken in turns."
    )
    (service_seconds, service), (bare_seconds, bare) = best_of_interleaved(
        REPEAT, service_path, bare_path
    )
    difference = float(np.abs(service - bare).max())
    _clear_computations()
    job_runs = [best_of(1, trust_compute) for _ in range(JOB_RUNS)]
    job_seconds, run = min(job_runs, key=lambda pair: pair[0])
    stored = _stored_trust(run.pk)
    job_difference = float(np.abs(stored - bare).max()) if stored.size == bare.size else np.inf
    _clear_computations()
    job_memory = memory("whole trust_compute job", trust_compute)
    _clear_computations()
    return [
        timing(
            "EigenTrust 100k users / 1M endorsements (read + solve)",
            service_seconds,
            bare_seconds,
            max_ratio=1.5,
            key="eigentrust",
            same_answer=difference < 1e-9,
            reference="bare scipy iteration on raw SQL",
        ),
        check(
            "  same trust as the bare iteration",
            difference < 1e-9,
            f"max |Δt| = {difference:.1e}",
        ),
        timing(
            f"whole trust_compute job (read, solve, store {USERS // 1000}k scores)",
            job_seconds,
            bare_seconds,
            max_ratio=JOB_TARGET,
            key="eigentrust_whole_job",
            same_answer=job_difference < 1e-9,
            reference="bare scipy iteration on raw SQL",
        ),
        check(
            "  stored scores equal the bare iteration's trust",
            job_difference < 1e-9,
            f"{stored.size:,} scores, max |Δt| = {job_difference:.1e}, {run.iterations} iterations",
        ),
        job_memory,
    ]


def sybil_figures() -> list[Figure]:
    """The Sybil experiment of docs/design.md §5 on the Bitcoin OTC sample: k = 1, 10, 100
    attack edges."""
    n, src, dst = load_signed_edges(SAMPLE_GRAPH)
    table = dict(sybil_table(n, src, dst, ks=(1, 10, 100)))
    small_region = sybil_share(n, src, dst, sybil_size=50, attack_edges=100)
    print(
        f"\nSybil region of {SYBIL_SIZE} accounts attached by k endorsements from honest users "
        f"({n:,} users, {src.size:,} positive ratings):"
    )
    print("  k     share of all trust")
    for k, value in table.items():
        print(f"  {k:<5} {value:.3%}")
    print(f"Data: {BITCOIN_OTC_ATTRIBUTION}")
    return [
        info("Sybil share, k = 1", f"{table[1]:.3%}"),
        share("Sybil share, k = 10", table[10], 0.05, key="sybil_k10"),
        info("Sybil share, k = 100", f"{table[100]:.3%}"),
        check(
            "  Sybil share grows with k",
            table[1] < table[10] < table[100],
            f"{table[1]:.3%} < {table[10]:.3%} < {table[100]:.3%}",
        ),
        check(
            "  not with the region's size (50 vs 500, k = 100)",
            abs(small_region - table[100]) <= 1e-6 * table[100],
            f"{small_region:.3%} vs {table[100]:.3%}",
        ),
    ]
