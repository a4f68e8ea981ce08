"""The web under 20 concurrent clients, served by the `make run` stack with the page cache off:
the issue, process, round and result pages for signed-in stakeholders and the issue page for
anonymous readers, each against a minimal view that renders the site's base layout for the same
kind of visitor; and ballot throughput against a minimal view that inserts one row (docs/design.md
§9).

Figures are taken in turns over several rounds (a burst of other work on a shared machine slows
one round of each, not every run of one) and the median of the rounds' ratios is the figure.
Every answer is checked: 2xx only, the page it should be, the same page every time.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bench import load
from bench.people import Person, session_cookie, stakeholders
from bench.runner import Figure, bench_database_url, check
from bench.stack import PrivateRedis, collect_static, served

CLIENTS = 20
REQUESTS_EACH = 8  # per client, per figure, per round
ROUNDS = 5
PAGE_TARGET = 3.0  # each page's median within 3× its minimal view's
BALLOT_TARGET = 0.4  # ballots at least 40 % of the minimal insert's throughput
BALLOT_RUNS = 3
BALLOTS_EACH = 15  # per client and run
VOTERS = 200
ANONYMOUS_CACHE_SECONDS = 10  # make run's PAGE_CACHE_SECONDS
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


@dataclass
class Site:
    """What the figures request: pages, the voters' round, people with tokens and sessions."""

    pages: dict[str, tuple[str, bytes]]  # figure → (path, text every answer must contain)
    round_id: int
    voters: list[Person]
    cookies: list[str]
    casts: dict[int, int] = field(default_factory=dict)  # casts per voter so far


def _prepare() -> Site:
    """The demo (its first issue, its declared round), an open round for VOTERS new participants,
    and signed-in sessions for the demo's 30 stakeholders."""
    from consensus import services
    from consensus.models import Round
    from deliberation.models import Issue, Process, ProposalVersion
    from stakeholders.models import User

    call_command("seed_demo", verbosity=0)
    User.objects.filter(email__endswith="@example.org").exclude(email__startswith="bench-").update(
        is_active=True
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_minimal_insert"
            " (id bigserial PRIMARY KEY, at timestamptz)"
        )
    process = Process.objects.get(slug="demo")
    issue = Issue.objects.filter(process=process).order_by("id").first()
    declared = Round.objects.filter(process=process, status="declared").order_by("id").first()
    assert issue is not None
    assert declared is not None
    facilitator = User.objects.get(email="facilitator@example.org")
    version = ProposalVersion.objects.filter(proposal__issue=issue).order_by("-number").first()
    assert version is not None
    voting = services.round_create(
        actor=facilitator, version=version, closes_at=timezone.now() + timedelta(days=1)
    )
    services.round_open(actor=facilitator, round_=voting)
    voters = stakeholders(process, VOTERS, prefix=f"web-{voting.pk}")
    readers = User.objects.filter(email__regex=r"^s[0-9]{2}@example\.org$").order_by("email")
    base = f"/processes/{process.slug}/"
    return Site(
        pages={
            "issue": (issue.get_absolute_url(), issue.title.encode()),
            "process": (base, process.title.encode()),
            "round": (f"{base}rounds/{declared.pk}/", b'id="voters-title"'),
            "result": (f"{base}rounds/{declared.pk}/result/", b"Declared"),
        },
        round_id=voting.pk,
        voters=voters,
        cookies=[session_cookie(user) for user in readers[:CLIENTS]],
    )


def _page_calls(path: str, cookies: list[str] | None) -> list[list[load.Call]]:
    return [
        [
            load.Call(path, "GET", path, cookies={"sessionid": cookies[i]} if cookies else {})
            for _ in range(REQUESTS_EACH)
        ]
        for i in range(CLIENTS)
    ]


def _checked_median(
    answers: list[load.Answer], marker: bytes, signed_in: bool
) -> tuple[float, str]:
    """The median latency (ms), and what was wrong with the answers ("" when nothing)."""
    wrong = [a for a in answers if a.status != 200]
    if wrong:
        return 0.0, f"{len(wrong)} answers not 200 (first: {wrong[0].status} {wrong[0].error})"
    by_client: dict[int, set[bytes]] = {}
    for answer in answers:
        body = CSRF.sub(b"", answer.body)
        if marker not in body or (b"Sign out" in body) != signed_in:
            return 0.0, f"an answer to {answer.call.path} is not the expected page"
        by_client.setdefault(answer.client, set()).add(body)
    if any(len(bodies) > 1 for bodies in by_client.values()):
        return 0.0, "a client got different pages for the same address"
    return statistics.median(a.seconds for a in answers) * 1000, ""


def _latency_figures(base: str, site: Site) -> list[Figure]:
    """Each page and its reference, in turns, ROUNDS times; the median of the rounds' ratios."""
    figures: dict[str, tuple[list[list[load.Call]], bytes, bool]] = {
        "base_signed_in": (_page_calls("/bench/base/", site.cookies), b"Footing", True),
        "base_anonymous": (_page_calls("/bench/base/", None), b"Footing", False),
        "issue_anonymous": (
            _page_calls(site.pages["issue"][0], None),
            site.pages["issue"][1],
            False,
        ),
    }
    for name, (path, marker) in site.pages.items():
        figures[f"{name}_signed_in"] = (_page_calls(path, site.cookies), marker, True)
    for calls, _marker, _signed in figures.values():  # warm every worker and cache up
        load.run(base, calls, keep_body=False)
    medians: dict[str, list[float]] = {name: [] for name in figures}
    problems: dict[str, str] = {}
    for _ in range(ROUNDS):
        for name, (calls, marker, signed_in) in figures.items():
            answers, _seconds = load.run(base, calls, keep_body=True)
            median, problem = _checked_median(answers, marker, signed_in)
            medians[name].append(median)
            if problem:
                problems[name] = problem
    rows = []
    for page in ("issue", "process", "round", "result"):
        rows.append(_ratio_row(page, "signed_in", medians=medians, problems=problems))
    rows.append(_ratio_row("issue", "anonymous", medians=medians, problems=problems))
    return rows


def _ratio_row(
    page: str, visitor: str, *, medians: dict[str, list[float]], problems: dict[str, str]
) -> Figure:
    name, reference = f"{page}_{visitor}", f"base_{visitor}"
    label = visitor.replace("_", "-")
    ratios = [p / r for p, r in zip(medians[name], medians[reference], strict=True) if r > 0]
    ratio = statistics.median(ratios) if ratios and not problems.get(name) else float("inf")
    measured = statistics.median(medians[name])
    limit = statistics.median(medians[reference])
    ok = not problems.get(name) and not problems.get(reference)
    # Anonymous readers are served from the page cache (at most ANONYMOUS_CACHE_SECONDS old),
    # compared with the base layout rendered fresh for them; signed-in pages are always fresh.
    cache = (
        f"served as make run serves it (page cache, ≤ {ANONYMOUS_CACHE_SECONDS} s old)"
        if visitor == "anonymous"
        else "page cache off"
    )
    return Figure(
        name=f"{page} page, {label}, {cache}, {CLIENTS} clients (median)",
        measured=f"{measured:.1f} ms" + (f" — {problems[name]}" if name in problems else ""),
        limit=f"{limit:.1f} ms × {PAGE_TARGET:g}",
        ratio=ratio,
        passed=ratio <= PAGE_TARGET and ok,
        key=f"{page}_page_{visitor}",
        value=measured,
        unit="ms",
        limit_value=limit * PAGE_TARGET,
        target=(
            f"median <= {PAGE_TARGET:g} × the base layout view's rendered fresh ({label}),"
            " every answer right"
        ),
        same_answer=ok,
    )


def _ballot_run(base: str, site: Site) -> tuple[float, float, str]:
    """One run of the insert view and one of ballots (each voter's casts alternate between two
    positions, so every accepted cast makes exactly one new ballot); 2xx per second of each, and
    what was wrong with the stored ballots ("" when nothing)."""
    from consensus.models import Ballot

    inserts = [
        [load.Call("insert", "POST", "/bench/minimal-insert/") for _ in range(BALLOTS_EACH)]
        for _ in range(CLIENTS)
    ]
    answers, seconds = load.run(base, inserts)
    insert_rate = sum(1 for a in answers if a.status == 201) / seconds
    url = f"/api/v1/rounds/{site.round_id}/ballot/"
    calls: list[list[load.Call]] = [[] for _ in range(CLIENTS)]
    expected: dict[int, str] = {}
    total = CLIENTS * BALLOTS_EACH
    for n in range(total):
        voter = site.voters[n % VOTERS]
        # Each voter's casts alternate, run after run, so every one changes their ballot.
        site.casts[voter.user.pk] = site.casts.get(voter.user.pk, 0) + 1
        position = ("support", "accept")[site.casts[voter.user.pk] % 2]
        calls[n % CLIENTS].append(
            load.Call(
                "ballot",
                "PUT",
                url,
                headers={"Authorization": f"Token {voter.token}"},
                json={"position": position},
            )
        )
        expected[voter.user.pk] = position
    before = Ballot.objects.filter(round_id=site.round_id).count()
    answers, seconds = load.run(base, calls)
    accepted = [a for a in answers if a.status in (200, 201)]
    problem = ""
    if len(accepted) != total:
        problem = f"{total - len(accepted)} casts not accepted"
    current = dict(
        Ballot.objects.filter(round_id=site.round_id, current=True).values_list("user", "position")
    )
    created = Ballot.objects.filter(round_id=site.round_id).count() - before
    if created != len(accepted):
        problem = problem or f"{created} ballots stored for {len(accepted)} accepted casts"
    if any(current.get(user) != position for user, position in expected.items()):
        problem = problem or "a voter's current ballot is not their last accepted cast"
    if len(current) != VOTERS:
        problem = problem or f"{len(current)} current ballots for {VOTERS} voters"
    return insert_rate, len(accepted) / seconds, problem


def _ballot_figure(base: str, site: Site) -> list[Figure]:
    # A known first state: everyone abstains, so every cast of the runs changes a ballot.
    warm = [
        [
            load.Call(
                "ballot",
                "PUT",
                f"/api/v1/rounds/{site.round_id}/ballot/",
                headers={"Authorization": f"Token {v.token}"},
                json={"position": "abstain"},
            )
            for v in site.voters[i::CLIENTS]
        ]
        for i in range(CLIENTS)
    ]
    load.run(base, warm)
    runs = [_ballot_run(base, site) for _run in range(BALLOT_RUNS)]
    shares = [ballots / inserts for inserts, ballots, _problem in runs]
    problems = [problem for _i, _b, problem in runs if problem]
    share = statistics.median(shares)
    inserts = statistics.median(i for i, _b, _p in runs)
    ballots = statistics.median(b for _i, b, _p in runs)
    return [
        Figure(
            name=f"ballot submissions per second, {CLIENTS} clients (median of {BALLOT_RUNS})",
            measured=f"{ballots:.0f}/s",
            limit=f"≥ {BALLOT_TARGET:.0%} of {inserts:.0f}/s",
            ratio=share,
            passed=share >= BALLOT_TARGET and not problems,
            key="ballot_throughput",
            value=ballots,
            unit="ballots/s",
            limit_value=inserts * BALLOT_TARGET,
            target=f">= {BALLOT_TARGET:.0%} of the minimal insert view's 2xx/s, stored = accepted",
            same_answer=not problems,
        ),
        check(
            "  every cast accepted (2xx), stored ballots equal the accepted ones",
            not problems,
            problems[0] if problems else f"runs: {', '.join(f'{s:.2f}' for s in shares)}",
        ),
    ]


def stack_env(redis: PrivateRedis, **extra: str) -> dict[str, str]:
    """The `make run` stack on the benchmark database with the reference views, a private Redis
    and the page cache off."""
    return {
        "DATABASE_URL": bench_database_url(),
        "DJANGO_ROOT_URLCONF": "bench.urls",
        "REDIS_URL": redis.url,
        "CELERY_BROKER_URL": redis.url,
        "CACHE_URL": redis.url.replace("/0", "/1"),
        "DJANGO_SECRET_KEY": _secret(),
        "PAGE_CACHE_SECONDS": "0",
        **extra,
    }


def _secret() -> str:
    from django.conf import settings

    return str(settings.SECRET_KEY)


def serving(body: Callable[[str], list[Figure]], **extra: str) -> list[Figure]:
    """Run `body` against the stack (and stop both the stack and its Redis afterwards)."""
    redis = PrivateRedis()
    redis.start()
    try:
        env = stack_env(redis, **extra)
        collect_static(env)
        with served(env) as base:
            return body(base)
    finally:
        redis.stop()


def figures() -> list[Figure]:
    site = _prepare()
    from config import sizing

    print(
        f"\nWeb: the make run stack ({sizing.web_workers()} workers × {sizing.web_threads()} "
        f"threads), page cache off, {CLIENTS} concurrent clients, {CLIENTS * REQUESTS_EACH} "
        f"requests per figure and round, {ROUNDS} rounds taken in turns."
    )

    def measure(base: str) -> list[Figure]:
        return [*_latency_figures(base, site), *_ballot_figure(base, site)]

    try:
        # The anonymous page cache on, as `make run` serves: signed-in pages, the reference
        # views (never_cache) and the API never use it, so only the anonymous row is served
        # from it — and that row says so.
        return serving(measure, PAGE_CACHE_SECONDS=str(ANONYMOUS_CACHE_SECONDS))
    finally:
        _retire()


def _retire() -> None:
    """The demo's and the voters' accounts stop counting as active users (the trust benchmark
    counts those); the next run wakes the demo's up again."""
    from stakeholders.models import User

    User.objects.filter(email__endswith="@example.org").exclude(email__startswith="bench-").update(
        is_active=False
    )
