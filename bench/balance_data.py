"""The benchmark balance data: a process with a million contributions, built once in SQL."""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from typing import Any

PEOPLE = 5_000
ISSUES = 100
PROPOSALS = 1_000
VERSIONS_EACH = 50
ROUNDS = 50  # every person has a current ballot in every round
CHANGED_ROUNDS = 10  # …and an earlier, no longer current ballot in these
COMMENTS = 1_000_000 - PROPOSALS * VERSIONS_EACH - ROUNDS * PEOPLE
HIDDEN = COMMENTS // 50  # hidden by moderation: not counted
CONTRIBUTIONS = COMMENTS + PROPOSALS * VERSIONS_EACH + ROUNDS * PEOPLE
SLUG = f"bench-balance-{CONTRIBUTIONS}"

COUNTRIES = ["KE", "DE", "BR", "IN", "PL", "US", "NG", "JP", "AR", "FR", "EG"]
GENDERS = ["woman", "man", "", "Woman ", "non-binary", "man", "agender"]
FUNDING = ["self_funded", "employer_funded", "sponsored", "unfunded"]
# Skewed on purpose: nobody intergovernmental, few from government.
GROUP_BY_DIGIT = [
    "civil_society",
    "civil_society",
    "civil_society",
    "civil_society",
    "private_sector",
    "private_sector",
    "technical_community",
    "technical_community",
    "academia",
    "government",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _counts(process_id: int) -> tuple[int, int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT
              (SELECT count(*) FROM deliberation_comment c
                 JOIN deliberation_issue i ON i.id = c.issue_id
                WHERE i.process_id = %(p)s AND c.state = 'visible'),
              (SELECT count(*) FROM consensus_ballot b
                 JOIN consensus_round r ON r.id = b.round_id
                WHERE r.process_id = %(p)s AND b.current),
              (SELECT count(*) FROM deliberation_proposalversion v
                 JOIN deliberation_proposal pr ON pr.id = v.proposal_id
                 JOIN deliberation_issue i ON i.id = pr.issue_id
                WHERE i.process_id = %(p)s)
            """,
            {"p": process_id},
        )
        row = cursor.fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def _build(slug: str) -> Any:
    """Write the process and its million contributions in one transaction (all or nothing)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from deliberation.models import Process
    from stakeholders import countries
    from stakeholders.models import StakeholderGroup, User

    started = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        # Every account made here is inactive: the trust benchmark, on the same database, counts
        # the active users to know that its own data is intact. The balance counts contributions
        # whoever made them.
        facilitator = User.objects.create(
            email=f"{slug}-facilitator@bench.example.org",
            display_name="Bench facilitator",
            country="CH",
            is_facilitator=True,
            is_active=False,
        )
        earlier = Process.objects.create(
            title="Bench: an earlier process",
            slug=f"{slug}-earlier",
            created_by=facilitator,
            created_at=now - timedelta(days=365),
        )
        process = Process.objects.create(
            title="Bench: a million contributions",
            slug=slug,
            expected_groups=list(StakeholderGroup.values),
            created_by=facilitator,
            created_at=now - timedelta(days=120),
        )
        process.facilitators.add(facilitator)
        places = {
            code: (found.region, found.developing)
            for code in COUNTRIES
            if (found := countries.get_country(code)) is not None
        }
        params: dict[str, Any] = {
            "slug": slug,
            "people": PEOPLE,
            "countries": COUNTRIES,
            "genders": GENDERS,
            "funding": FUNDING,
            "groups": GROUP_BY_DIGIT,
            "codes": list(places),
            "regions": [region for region, _ in places.values()],
            "developing": [developing for _, developing in places.values()],
            "process": process.pk,
            "earlier": earlier.pk,
            "facilitator": facilitator.pk,
            "issues": ISSUES,
            "proposals": PROPOSALS,
            "versions_each": VERSIONS_EACH,
            "rounds": ROUNDS,
            "changed_rounds": CHANGED_ROUNDS,
            "comments": COMMENTS,
            "hidden": HIDDEN,
        }
        with connection.cursor() as cursor:
            for label, statement in BUILD:
                step = time.perf_counter()
                cursor.execute(statement, params)
                log(f"  {label}: {time.perf_counter() - step:.1f} s")
            cursor.execute(
                "ANALYZE stakeholders_user, stakeholders_affiliation, deliberation_participation,"
                " deliberation_issue, deliberation_comment, deliberation_proposal,"
                " deliberation_proposalversion, consensus_round, consensus_ballot"
            )
    log(f"Built the benchmark data in {time.perf_counter() - started:.0f} s.")
    return process


BUILD: list[tuple[str, str]] = [
    (
        "people",
        """
        INSERT INTO stakeholders_user (password, last_login, is_superuser, is_staff, is_active,
            date_joined, email, display_name, country, languages, gender, funding, attribution,
            is_facilitator)
        SELECT '!', NULL, false, false, false, now(),
               format('%%s-%%s@bench.example.org', %(slug)s::text, g), format('Person %%s', g),
               (%(countries)s::text[])[1 + g %% cardinality(%(countries)s::text[])], '{}',
               (%(genders)s::text[])[1 + g %% cardinality(%(genders)s::text[])],
               (%(funding)s::text[])[1 + (g / 7) %% 4], 'named', false
        FROM generate_series(1, %(people)s) AS g
        """,
    ),
    (
        "people table",
        """
        CREATE TEMP TABLE bench_people ON COMMIT DROP AS
        SELECT row_number() OVER (ORDER BY u.id)::int AS rn, u.id AS user_id, 0::bigint AS aff_id,
               (%(groups)s::text[])[1 + (row_number() OVER (ORDER BY u.id))::int %% 10] AS grp,
               coalesce(pl.region, '') AS region, pl.developing
        FROM stakeholders_user u
        LEFT JOIN unnest(%(codes)s::text[], %(regions)s::text[], %(developing)s::bool[])
             AS pl(code, region, developing) ON pl.code = u.country
        WHERE u.email LIKE %(slug)s || '-%%@bench.example.org' AND NOT u.is_facilitator
        """,
    ),
    (
        "hats",
        """
        WITH hats AS (
            INSERT INTO stakeholders_affiliation (organisation, stakeholder_group, role,
                legitimacy_claim, mandate_url, "primary", started_on, ended_on, verified_at,
                user_id, verified_by_id)
            SELECT 'Bench organisation', grp, '', '', '', true, current_date, NULL, NULL,
                   user_id, NULL
            FROM bench_people
            RETURNING id, user_id
        )
        UPDATE bench_people p SET aff_id = hats.id FROM hats WHERE hats.user_id = p.user_id
        """,
    ),
    (
        "participations",
        """
        INSERT INTO deliberation_participation (joined_at, affiliation_id, user_id, process_id)
        SELECT now() - interval '100 days', aff_id, user_id, %(process)s FROM bench_people
        UNION ALL
        SELECT now() - interval '200 days', aff_id, user_id, %(earlier)s FROM bench_people
        WHERE rn %% 7 < 2
        """,
    ),
    (
        "issues",
        """
        INSERT INTO deliberation_issue (title, body, status, created_at, created_by_id,
            process_id)
        SELECT format('Issue %%s', g), 'Framing', 'open', now(), %(facilitator)s, %(process)s
        FROM generate_series(1, %(issues)s) AS g
        """,
    ),
    (
        "comments",
        """
        WITH issue AS (
            SELECT row_number() OVER (ORDER BY id)::int - 1 AS n, id
            FROM deliberation_issue WHERE process_id = %(process)s
        )
        INSERT INTO deliberation_comment (body, attribution, state, created_at, edited_at,
            affiliation_id, author_id, parent_id, thread_root_id, issue_id, version_id)
        SELECT 'A view', 'named', CASE WHEN g > %(comments)s THEN 'hidden' ELSE 'visible' END,
               now(), NULL, p.aff_id, p.user_id, NULL, NULL, issue.id, NULL
        FROM generate_series(1, %(comments)s + %(hidden)s) AS g
        JOIN bench_people p ON p.rn = 1 + (g::bigint * 7919) %% %(people)s
        JOIN issue ON issue.n = g %% %(issues)s
        """,
    ),
    (
        "proposals",
        """
        WITH issue AS (
            SELECT row_number() OVER (ORDER BY id)::int - 1 AS n, id
            FROM deliberation_issue WHERE process_id = %(process)s
        )
        INSERT INTO deliberation_proposal (title, created_at, created_by_id, issue_id)
        SELECT format('Proposal %%s', g), now(), p.user_id, issue.id
        FROM generate_series(1, %(proposals)s) AS g
        JOIN bench_people p ON p.rn = 1 + (g * 31) %% %(people)s
        JOIN issue ON issue.n = g %% %(issues)s
        """,
    ),
    (
        "versions",
        """
        INSERT INTO deliberation_proposalversion (number, text, change_summary, plain_summary,
            created_at, created_by_id, proposal_id)
        SELECT n, 'Proposed text', '', '', now(), p.user_id, pr.id
        FROM deliberation_proposal pr
        JOIN deliberation_issue i ON i.id = pr.issue_id AND i.process_id = %(process)s
        CROSS JOIN generate_series(1, %(versions_each)s) AS n
        JOIN bench_people p ON p.rn = 1 + ((pr.id * %(versions_each)s + n) * 13) %% %(people)s
        """,
    ),
    (
        "rounds",
        """
        INSERT INTO consensus_round (status, ballot_visibility, opens_at, closes_at, closed_at,
            parameters, expected_groups, created_at, created_by_id, previous_id, process_id,
            version_id)
        SELECT 'closed', 'named', now() - interval '30 days', now() - interval '1 day',
               now() - interval '1 day', '{}', '[]', now() - interval '31 days', %(facilitator)s,
               NULL, %(process)s, v.id
        FROM deliberation_proposalversion v
        JOIN deliberation_proposal pr ON pr.id = v.proposal_id
        JOIN deliberation_issue i ON i.id = pr.issue_id AND i.process_id = %(process)s
        WHERE v.number = 1
        ORDER BY v.id
        LIMIT %(rounds)s
        """,
    ),
    (
        "ballots",
        """
        WITH round AS (
            SELECT row_number() OVER (ORDER BY id)::int AS n, id
            FROM consensus_round WHERE process_id = %(process)s
        )
        INSERT INTO consensus_ballot (stakeholder_group, region, developing, position, rationale,
            proposed_change, cast_at, current, affiliation_id, user_id, round_id)
        SELECT p.grp, p.region, p.developing,
               (ARRAY['support', 'accept', 'abstain'])[1 + (p.rn + round.n) %% 3], '', '',
               now() - interval '2 days', true, p.aff_id, p.user_id, round.id
        FROM round CROSS JOIN bench_people p
        UNION ALL
        SELECT p.grp, p.region, p.developing, 'abstain', '', '', now() - interval '3 days',
               false, p.aff_id, p.user_id, round.id
        FROM round CROSS JOIN bench_people p
        WHERE round.n <= %(changed_rounds)s
        """,
    ),
]


def process_with_contributions() -> Any:
    from deliberation.models import Process

    process = Process.objects.filter(slug=SLUG).first()
    if process is None:
        log(f"Building {CONTRIBUTIONS:,} contributions (once; later runs reuse them) …")
        process = _build(SLUG)
    comments, ballots, versions = _counts(process.pk)
    if (comments, ballots, versions) != (COMMENTS, ROUNDS * PEOPLE, PROPOSALS * VERSIONS_EACH):
        msg = f"{SLUG} holds {comments}/{ballots}/{versions} contributions; drop the bench database"
        raise RuntimeError(msg)
    return process
