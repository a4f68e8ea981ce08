"""Benchmark: the open-data bundle of a 100,000-comment process is built in bounded memory.

`make bench` runs it with the others; `python -m bench open_data` alone. The data (a process with
100,000 comments by 500 people, a third of them group-only, and a round with a ballot from each)
is written once with INSERT … SELECT generate_series and reused. The bundle build's peak Python
memory (tracemalloc) is compared with a plain streamed dump of the same comment rows (Django's
`.iterator()` writing JSON lines to a file) measured in the same run: the bundle writes JSON and
CSV of every section into a zip, but holds no more rows at a time than the plain dump does.
The build is then timed again without tracemalloc, for information.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.runner import MB, Figure, render, setup_django, traced_peak

COMMENTS = 100_000
PEOPLE = 500
ISSUES = 20
SLUG = f"bench-open-data-{COMMENTS}"
MAX_RATIO = 3.0  # bundle peak ≤ 3 × the plain dump's peak


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _build() -> Any:
    """The process, its people and hats, issues, comments, a closed round with ballots."""
    from django.db import connection, transaction
    from django.utils import timezone

    from consensus.models import Round, RoundStatus
    from deliberation.models import Issue, Process, Proposal, ProposalVersion
    from stakeholders.models import User

    existing = Process.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    started = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        facilitator = User.objects.create(
            email=f"{SLUG}-facilitator@bench.example.org", country="CH", is_active=False
        )
        process = Process.objects.create(
            title="Bench: open data", slug=SLUG, created_by=facilitator
        )
        issues = [
            Issue.objects.create(
                process=process, title=f"Issue {n}", body="Framing", created_by=facilitator
            )
            for n in range(ISSUES)
        ]
        proposal = Proposal.objects.create(
            issue=issues[0], title="Principles", created_by=facilitator
        )
        version = ProposalVersion.objects.create(
            proposal=proposal, number=1, text="Text", created_by=facilitator
        )
        round_ = Round.objects.create(
            process=process,
            version=version,
            status=RoundStatus.CLOSED,
            opens_at=now - timedelta(days=3),
            closes_at=now - timedelta(days=1),
            closed_at=now - timedelta(days=1),
            created_by=facilitator,
        )
        params: dict[str, Any] = {
            "slug": SLUG,
            "people": PEOPLE,
            "issue0": issues[0].pk,
            "issues": ISSUES,
            "comments": COMMENTS,
            "round": round_.pk,
        }
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO stakeholders_user (password, is_superuser, is_staff, is_active,
                    date_joined, email, display_name, country, languages, gender, funding,
                    attribution, is_facilitator)
                SELECT '!', false, false, false, now(), format('%%s-%%s@bench.example.org',
                       %(slug)s::text, g), format('Person %%s', g), 'KE', '{}', '', 'unfunded',
                       CASE WHEN g %% 3 = 0 THEN 'group_only' ELSE 'named' END, false
                FROM generate_series(1, %(people)s) AS g
                """,
                params,
            )
            cursor.execute(
                """
                INSERT INTO stakeholders_affiliation (organisation, stakeholder_group, role,
                    legitimacy_claim, mandate_url, "primary", started_on, user_id)
                SELECT 'Bench organisation', 'civil_society', '', '', '', true, current_date, id
                FROM stakeholders_user WHERE email LIKE %(slug)s || '-%%@bench.example.org'
                """,
                params,
            )
            cursor.execute(
                """
                CREATE TEMP TABLE bench_hats ON COMMIT DROP AS
                SELECT row_number() OVER (ORDER BY a.id)::int AS rn, a.id, a.user_id
                FROM stakeholders_affiliation a JOIN stakeholders_user u ON u.id = a.user_id
                WHERE u.email LIKE %(slug)s || '-%%@bench.example.org' AND NOT u.is_active
                  AND u.email NOT LIKE '%%facilitator%%'
                """,
                params,
            )
            cursor.execute(
                """
                INSERT INTO deliberation_comment (issue_id, author_id, affiliation_id, body,
                    attribution, state, created_at)
                SELECT %(issue0)s + (g %% %(issues)s), h.user_id, h.id,
                       format('Comment %%s: the registry should publish its policy, and =1+1.', g),
                       'named', 'visible', now() - make_interval(secs => %(comments)s - g)
                FROM generate_series(1, %(comments)s) AS g
                JOIN bench_hats h ON h.rn = 1 + g %% %(people)s
                """,
                params,
            )
            cursor.execute(
                """
                INSERT INTO consensus_ballot (round_id, user_id, affiliation_id, stakeholder_group,
                    region, position, rationale, proposed_change, cast_at, current)
                SELECT %(round)s, user_id, id, 'civil_society', 'africa',
                       (ARRAY['support','accept','abstain','object'])[1 + rn %% 4], 'Rationale', '',
                       now(),
                       true
                FROM bench_hats
                """,
                params,
            )
            cursor.execute("ANALYZE deliberation_comment, consensus_ballot")
    log(f"Built the open-data benchmark data in {time.perf_counter() - started:.0f} s.")
    return process


def _plain_dump(process: Any) -> int:
    """The same comment rows, as the same model objects, each written as one JSON line."""
    from deliberation.models import Comment
    from deliberation.opendata.sections import CHUNK, COMMENT_COLUMNS

    rows = (
        Comment.objects.filter(issue__process=process)
        .select_related("author", "affiliation")
        .only(*COMMENT_COLUMNS)
        .order_by("id")
    )
    count = 0
    with tempfile.TemporaryFile("w") as target:
        for comment in rows.iterator(CHUNK):
            row = {"id": comment.pk, "author": comment.author.display_name, "body": comment.body}
            target.write(json.dumps(row) + "\n")
            count += 1
    return count


def _warm_up(process: Any) -> None:
    """Load what every web or worker process has loaded long before (the URL resolver with every
    view module behind it, translation catalogues, the country table) before measuring, so that
    neither figure counts a one-time import."""
    from stakeholders.presentation import group_region_label

    process.get_absolute_url()
    group_region_label("civil_society", "africa")


def figures() -> list[Figure]:
    import django.conf

    from deliberation.opendata import services
    from deliberation.opendata.models import OpenDataBundle

    process = _build()
    with tempfile.TemporaryDirectory() as media:
        django.conf.settings.MEDIA_ROOT = media
        OpenDataBundle.objects.filter(process=process).delete()
        _warm_up(process)
        reference_mb, reference_s, dumped = traced_peak(lambda: _plain_dump(process))
        bundle_mb, bundle_s, bundle = traced_peak(
            lambda: services.bundle_build(process_id=process.pk)
        )
        assert bundle is not None
        with zipfile.ZipFile(Path(media) / bundle.file) as written:
            unzipped_mb = sum(info.file_size for info in written.infolist()) / MB
        # The time of a build as a worker runs it (tracemalloc slows object-heavy code).
        OpenDataBundle.objects.filter(process=process).delete()
        started = time.perf_counter()
        services.bundle_build(process_id=process.pk)
        plain_s = time.perf_counter() - started
    assert bundle is not None
    same = bundle.counts.get("comments") == dumped == COMMENTS
    limit = reference_mb * MAX_RATIO
    log(
        f"open data: bundle {bundle.size / MB:.1f} MB zipped, {bundle.counts}; built in "
        f"{bundle_s:.1f} s, peak {bundle_mb:.1f} MB; plain dump {reference_s:.1f} s, "
        f"peak {reference_mb:.1f} MB"
    )
    return [
        Figure(
            name=f"open-data bundle of {COMMENTS:,} comments: peak memory",
            measured=f"{bundle_mb:.1f} MB",
            limit=f"{reference_mb:.1f} MB × {MAX_RATIO:g}",
            ratio=bundle_mb / limit if limit else None,
            passed=bundle_mb <= limit and same,
            key="open_data_bundle",
            value=round(bundle_mb, 2),
            unit="MB",
            limit_value=round(limit, 2),
            target=f"peak <= {MAX_RATIO:g} × a plain streamed dump of the comments, every row in",
            same_answer=same,
        ),
        Figure(
            name="open-data bundle: size, zipped (unzipped: what a build in memory would hold)",
            measured=f"{bundle.size / MB:.1f} MB ({unzipped_mb:.1f} MB)",
        ),
        Figure(
            name="open-data bundle: build time (zip of JSON + CSV, every section)",
            measured=f"{plain_s:.1f} s (under tracemalloc {bundle_s:.1f} s)",
        ),
    ]


if __name__ == "__main__":
    setup_django()
    print(render(figures()))
