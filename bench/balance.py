"""Benchmark: a balance snapshot over 1,000,000 contributions against hand-written SQL
(docs/design.md §9).

`make bench` runs it with the others; `python -m bench.balance` runs it alone. It uses the
benchmark database (BENCH_DATABASE_URL, see bench.runner), builds the data once with INSERT …
SELECT generate_series (later runs reuse it), then times the snapshot service — gathering its
inputs and the pure computation — against one hand-written SQL statement that computes the same
per-category counts on the same data, the two taken in turns, best of several runs each.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from bench.balance_data import CONTRIBUTIONS, log, process_with_contributions
from bench.runner import (
    Figure,
    best_of_interleaved,
    info,
    render,
    setup_django,
    timing,
    traced_peak,
)

TARGET = 1.5
RUNS = 7


def _country_rows() -> str:
    """The country table as a VALUES list (the SQL's own copy of stakeholders/data)."""
    from stakeholders import countries

    return ", ".join(
        f"('{c.code}', '{c.region}', {'true' if c.developing else 'false'})"
        for c in countries.all_countries()
    )


HAND_WRITTEN = """
WITH per_person AS (
    SELECT c.author_id AS user_id, a.stakeholder_group AS grp, NULL::text AS region,
           NULL::boolean AS developing, false AS from_ballot, count(*) AS n
    FROM deliberation_comment c
    JOIN deliberation_issue i ON i.id = c.issue_id
    JOIN stakeholders_affiliation a ON a.id = c.affiliation_id
    WHERE i.process_id = %(p)s AND c.state = 'visible'
    GROUP BY 1, 2
  UNION ALL
    SELECT b.user_id, b.stakeholder_group, b.region, b.developing, true, count(*)
    FROM consensus_ballot b JOIN consensus_round r ON r.id = b.round_id
    WHERE r.process_id = %(p)s AND b.current
    GROUP BY 1, 2, 3, 4
  UNION ALL
    SELECT v.created_by_id, NULL, NULL, NULL, false, count(*)
    FROM deliberation_proposalversion v
    JOIN deliberation_proposal pr ON pr.id = v.proposal_id
    JOIN deliberation_issue i ON i.id = pr.issue_id
    WHERE i.process_id = %(p)s
    GROUP BY 1
),
country(code, region, developing) AS (VALUES {countries}),
anchored AS (
    SELECT u.*, coalesce(
        (SELECT pp.joined_at FROM deliberation_participation pp
          WHERE pp.user_id = u.id AND pp.process_id = %(p)s), %(created)s) AS anchor
    FROM stakeholders_user u
    WHERE u.id IN (SELECT user_id FROM per_person)
),
person AS (
    SELECT u.id, coalesce(ct.region, 'unknown') AS region,
           CASE ct.developing WHEN true THEN 'developing' WHEN false THEN 'developed'
                ELSE 'unknown' END AS economy,
           u.funding,
           lower(regexp_replace(btrim(u.gender), '\\s+', ' ', 'g')) AS gender,
           coalesce((SELECT a.stakeholder_group FROM stakeholders_affiliation a
                      WHERE a.user_id = u.id AND (a.ended_on IS NULL OR a.ended_on > current_date)
                      ORDER BY a."primary" DESC, a.id LIMIT 1), 'unknown') AS grp,
           EXISTS (SELECT 1 FROM deliberation_participation o
                    WHERE o.user_id = u.id AND o.process_id <> %(p)s AND o.joined_at < u.anchor)
           OR EXISTS (SELECT 1 FROM deliberation_process_facilitators f
                        JOIN deliberation_process op ON op.id = f.process_id
                       WHERE f.user_id = u.id AND op.id <> %(p)s AND op.created_at < u.anchor)
             AS returning
    FROM anchored u LEFT JOIN country ct ON ct.code = upper(u.country)
),
contribution AS (
    SELECT pp.user_id, pp.n, coalesce(pp.grp, pe.grp) AS grp,
           CASE WHEN pp.from_ballot THEN coalesce(nullif(pp.region, ''), 'unknown')
                ELSE pe.region END AS region,
           CASE WHEN NOT pp.from_ballot THEN pe.economy
                WHEN pp.developing THEN 'developing'
                WHEN NOT pp.developing THEN 'developed' ELSE 'unknown' END AS economy,
           pe.funding, pe.gender,
           CASE WHEN pe.returning THEN 'returning' ELSE 'newcomer' END AS newcomer
    FROM per_person pp JOIN person pe ON pe.id = pp.user_id
)
SELECT d.dimension, d.category, sum(c.n), count(DISTINCT c.user_id)
FROM contribution c
CROSS JOIN LATERAL (VALUES ('stakeholder_group', c.grp), ('region', c.region),
                           ('development', c.economy), ('funding', c.funding),
                           ('newcomer', c.newcomer), ('gender', nullif(c.gender, '')))
     AS d(dimension, category)
WHERE d.category IS NOT NULL
GROUP BY 1, 2
"""


def run() -> list[dict[str, Any]]:
    """Time the snapshot service against the hand-written SQL; one row per figure."""
    from django.apps import apps

    if not apps.ready:
        setup_django()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from consensus.balance import selectors as balance_selectors
    from consensus.balance import services as balance_service
    from consensus.models import SnapshotTrigger

    process = process_with_contributions()
    statement = HAND_WRITTEN.format(countries=_country_rows())
    sql_params = {"p": process.pk, "created": process.created_at}

    def hand_written() -> list[tuple[str, str, int, int]]:
        with connection.cursor() as cursor:
            cursor.execute(statement, sql_params)
            return [(d, c, int(n), int(p)) for d, c, n, p in cursor.fetchall()]

    def snapshot() -> object:
        """The service end to end, rolled back so that runs do not pile up snapshots."""
        with transaction.atomic():
            taken = balance_service.balance_snapshot_create(
                actor=None, process=process, trigger=SnapshotTrigger.ON_DEMAND
            )
            transaction.set_rollback(True)
        return taken.dimensions

    expected: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for dimension, category, n, people in hand_written():
        expected[dimension][category] = (n, people)
    counted = balance_service.category_counts(balance_selectors.balance_input(process))
    got = {
        dimension: {c: (v.contributions, v.participants) for c, v in categories.items()}
        for dimension, categories in counted.items()
    }
    if got != dict(expected):
        msg = f"the service and the SQL disagree:\n{got}\n{dict(expected)}"
        raise RuntimeError(msg)
    with CaptureQueriesContext(connection) as queries:
        snapshot()
    figures = balance_service.balance_figures(process)
    index = figures.dimensions["stakeholder_group"]["index"]
    log(
        f"Snapshot of {figures.totals['contributions']:,} contributions by "
        f"{figures.totals['participants']:,} people in {len(queries)} queries (with the savepoint "
        f"and the insert); stakeholder-group index {index:.3f}."
    )

    (measured, _), (limit, _) = best_of_interleaved(RUNS, snapshot, hand_written)
    peak_mb, _seconds, _dimensions = traced_peak(snapshot)
    return [
        {
            "name": f"balance snapshot over {CONTRIBUTIONS:,} contributions vs hand-written SQL",
            "measured_s": measured,
            "limit_s": limit,
            "ratio": measured / limit,
            "target": TARGET,
            "peak_mb": peak_mb,
        }
    ]


def figures() -> list[Figure]:
    """The rows of `run` as figures of the benchmark table."""
    return [
        figure
        for row in run()
        for figure in (
            timing(
                row["name"],
                row["measured_s"],
                row["limit_s"],
                max_ratio=row["target"],
                key="balance",
                reference="hand-written SQL",
            ),
            info("  peak memory of one snapshot", f"{row['peak_mb']:.1f} MB (tracemalloc)"),
        )
    ]


if __name__ == "__main__":
    print(render(figures()))
