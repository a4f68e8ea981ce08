"""Tally a round of 200,000 ballots: the service in at most 3 queries against hand-written SQL."""

import time
from collections import defaultdict
from dataclasses import asdict
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.runner import Figure, best_of_interleaved, check, memory, timing
from consensus import designation
from consensus.models import Round
from consensus.services.outcomes import _table, round_figures
from stakeholders.models import StakeholderGroup

BALLOTS = 200_000
REPEAT = 7
PREFIX = "tally-bench"
GROUPS = list(StakeholderGroup.values)


def _round() -> Round | None:
    return Round.objects.filter(process__slug=PREFIX).first()


def _ballot_count(round_: Round) -> int:
    return round_.ballots.filter(current=True).count()


def ensure_data() -> tuple[Round, str]:
    """One closed round with BALLOTS current ballots (and 2 % objections), generated in SQL.

    The voters are inactive accounts of their own, so the other benchmarks' figures (which count
    active users) do not change.
    """
    existing = _round()
    if existing is not None and _ballot_count(existing) == BALLOTS:
        return existing, "reused"
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if existing is not None:
            cursor.execute("DELETE FROM consensus_objection WHERE round_id = %s", [existing.pk])
            cursor.execute("DELETE FROM consensus_ballot WHERE round_id = %s", [existing.pk])
        cursor.execute(
            "DELETE FROM stakeholders_affiliation WHERE user_id IN "
            "(SELECT id FROM stakeholders_user WHERE email LIKE %s)",
            [f"{PREFIX}-%"],
        )
        cursor.execute("DELETE FROM stakeholders_user WHERE email LIKE %s", [f"{PREFIX}-%"])
        cursor.execute(
            """
            INSERT INTO stakeholders_user (password, is_superuser, is_staff, is_active,
                date_joined, email, display_name, country, languages, gender, funding,
                attribution, is_facilitator)
            SELECT '!', false, false, false, now(), %(prefix)s || '-' || g || '@example.org',
                'Voter ' || g, (ARRAY['KE','DE','BR','IN','PL','JP'])[1 + g %% 6], '{}', '',
                'self_funded', 'named', false
            FROM generate_series(1, %(n)s) AS g
            """,
            {"prefix": PREFIX, "n": BALLOTS},
        )
        cursor.execute(
            """
            INSERT INTO stakeholders_affiliation (user_id, organisation, stakeholder_group, role,
                legitimacy_claim, mandate_url, "primary", started_on)
            SELECT id, 'Organisation', (%(groups)s::text[])[1 + id %% 6], '', '', '', true,
                current_date
            FROM stakeholders_user WHERE email LIKE %(like)s
            """,
            {"groups": GROUPS, "like": f"{PREFIX}-%"},
        )
    round_ = existing or _make_round()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.7)")
        cursor.execute(
            """
            INSERT INTO consensus_ballot (round_id, user_id, affiliation_id, stakeholder_group,
                region, developing, position, rationale, proposed_change, cast_at, current)
            SELECT %(round)s, a.user_id, a.id, a.stakeholder_group,
                (ARRAY['africa','western_europe_others','latin_america_caribbean',
                       'asia_pacific','eastern_europe','asia_pacific'])[1 + a.user_id %% 6],
                (a.user_id %% 6) IN (0, 2, 3),
                CASE WHEN r < 0.02 THEN 'object' WHEN r < 0.10 THEN 'abstain'
                     WHEN r < 0.35 THEN 'accept' ELSE 'support' END,
                CASE WHEN r < 0.02 THEN 'Cannot live with it' ELSE '' END, '', now(), true
            FROM (SELECT *, random() AS r FROM stakeholders_affiliation
                  WHERE user_id IN (SELECT id FROM stakeholders_user WHERE email LIKE %(like)s))
                 AS a
            """,
            {"round": round_.pk, "like": f"{PREFIX}-%"},
        )
        cursor.execute(
            """
            INSERT INTO consensus_objection (round_id, objector_id, ballot_id, stakeholder_group,
                text, state, response, carried_answer, acknowledged, created_at)
            SELECT round_id, user_id, id, stakeholder_group, rationale,
                CASE WHEN id %% 3 = 0 THEN 'open' ELSE 'addressed' END,
                CASE WHEN id %% 3 = 0 THEN '' ELSE 'Considered' END, '', true, now()
            FROM consensus_ballot WHERE round_id = %(round)s AND position = 'object'
            """,
            {"round": round_.pk},
        )
        cursor.execute("ANALYZE")
    if _ballot_count(round_) != BALLOTS:
        raise SystemExit("The generated round has the wrong number of ballots.")
    return round_, f"generated in {time.perf_counter() - started:.1f} s"


def _make_round() -> Round:
    """The process, issue, proposal, version and closed round the ballots belong to."""
    from datetime import timedelta

    from django.utils import timezone

    from deliberation.models import Issue, Process, Proposal, ProposalVersion
    from stakeholders.models import User

    owner = User.objects.create(email=f"{PREFIX}-owner@example.org", is_active=False)
    process = Process.objects.create(
        title="Tally benchmark", slug=PREFIX, created_by=owner, expected_groups=GROUPS
    )
    issue = Issue.objects.create(process=process, title="Benchmark", body="-", created_by=owner)
    proposal = Proposal.objects.create(issue=issue, title="Benchmark", created_by=owner)
    version = ProposalVersion.objects.create(
        proposal=proposal, number=1, text="Benchmark text", created_by=owner
    )
    return Round.objects.create(
        process=process,
        version=version,
        status="closed",
        closes_at=timezone.now() - timedelta(minutes=1),
        closed_at=timezone.now(),
        parameters={
            "quorum_per_group": 1,
            "group_support_min": 0.6,
            "minority_max_share": 0.2,
            "strong_support_mean": 0.6,
        },
        expected_groups=GROUPS,
        created_by=owner,
    )


# The same two statements the service's selector sends, written by hand (docs/design.md §9's limit).
SQL_COUNTS = """
    SELECT b.stakeholder_group, b.region, b.developing, b.position,
        EXISTS (SELECT 1 FROM consensus_ballotexclusion e
                WHERE e.round_id = b.round_id AND e.user_id = b.user_id),
        (u.banned_at IS NOT NULL OR coalesce(u.suspended_until > now(), false)),
        (b.position = 'object' AND EXISTS (
            SELECT 1 FROM consensus_objection o WHERE o.round_id = b.round_id
            AND o.objector_id = b.user_id AND NOT o.acknowledged AND o.state = 'open')),
        count(*)
    FROM consensus_ballot b JOIN stakeholders_user u ON u.id = b.user_id
    WHERE b.round_id = %(round)s AND b.current
    GROUP BY 1, 2, 3, 4, 5, 6, 7
"""
SQL_OPEN = """
    SELECT count(*) FROM consensus_objection o JOIN stakeholders_user u ON u.id = o.objector_id
    WHERE o.round_id = %(round)s AND o.state = 'open' AND o.acknowledged
      AND NOT (u.banned_at IS NOT NULL OR coalesce(u.suspended_until > now(), false))
"""


def hand_written(round_: Round) -> dict[str, Any]:
    """The limit: the statements by hand, folded into the same pure tally — every figure of the
    result (each group's, region's and economy's counts and support, the aggregates and the
    designations), in the shape `round_figures` answers."""
    with connection.cursor() as cursor:
        cursor.execute(SQL_COUNTS, {"round": round_.pk})
        rows = cursor.fetchall()
        cursor.execute(SQL_OPEN, {"round": round_.pk})
        (open_objections,) = cursor.fetchone() or (0,)
    by: dict[str, dict[str, dict[str, int]]] = {
        "groups": defaultdict(lambda: defaultdict(int)),
        "regions": defaultdict(lambda: defaultdict(int)),
        "development": defaultdict(lambda: defaultdict(int)),
    }
    counted = 0
    not_counted = {"excluded": 0, "suspended": 0, "unacknowledged": 0}
    for group, region, developing, position, excluded, suspended, unacknowledged, n in rows:
        if excluded or suspended or unacknowledged:
            reason = "excluded" if excluded else "suspended" if suspended else "unacknowledged"
            not_counted[reason] += n
            continue
        counted += n
        economy = "unknown" if developing is None else ("developing" if developing else "developed")
        for breakdown, key in (("groups", group), ("regions", region or "unknown"),
                               ("development", economy)):  # fmt: skip
            by[breakdown][key][position] += n
    params = designation.Params(**(round_.parameters or {}))

    def tally(breakdown: str, expected: list[str]) -> designation.Tally:
        counts = {k: designation.Counts(**dict(c)) for k, c in by[breakdown].items()}
        return designation.tally(
            counts, expected=expected, open_objections=open_objections, params=params
        )

    groups = tally("groups", list(round_.expected_groups))
    regions, economies = tally("regions", []), tally("development", [])
    return {
        **_table(groups),
        "ballots": counted,
        "not_counted": not_counted,
        "parameters": asdict(params),
        "expected_groups": list(round_.expected_groups),
        "regions": _table(regions),
        "development": _table(economies),
        "regional_lower": designation.lower_than(regions.designation, groups.designation),
        "development_lower": designation.lower_than(economies.designation, groups.designation),
    }


def service(round_: Round) -> dict[str, Any]:
    return round_figures(round_)


def tally_figures() -> list[Figure]:
    round_, state = ensure_data()
    print(f"\nTally: one round of {BALLOTS:,} ballots — data {state}; best of {REPEAT} runs each.")
    with CaptureQueriesContext(connection) as queries:
        computed = service(round_)
    (service_seconds, _), (sql_seconds, by_hand) = best_of_interleaved(
        REPEAT, lambda: service(round_), lambda: hand_written(round_)
    )
    same = computed == by_hand
    groups = ", ".join(
        f"{g} {c['support']}/{c['accept']}/{c['abstain']}/{c['object']}"
        for g, c in sorted(computed["groups"].items())
    )
    return [
        timing(
            f"tally of {BALLOTS:,} ballots (round_figures)",
            service_seconds,
            sql_seconds,
            max_ratio=1.5,
            key="tally",
            same_answer=same,
            reference="hand-written GROUP BY",
        ),
        check("  queries for the tally", len(queries) <= 3, f"{len(queries)} (limit 3)"),
        memory("tally", lambda: service(round_)),
        check(
            "  every group's, region's and economy's figures as the hand-written SQL's",
            same,
            f"{computed['designation']}, {computed['ballots']:,} counted; {groups}",
        ),
    ]
