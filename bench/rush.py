"""The deadline rush: a round's last minute against the `make run` stack. Stakeholders created for
the run cast (and some re-cast) from many concurrent clients while readers load the round page;
a few bad requests arrive too. Then the round closes and the stack's worker computes the outcome.

The verdict: no connection error, no 5xx, every cast accepted, exactly one current ballot each
(their last accepted cast), the outcome equal to the stored ballots, bad input refused with a
clear 4xx and nothing stored for it; p50/p95/p99 and throughput beside the minimal insert view's
under the same concurrency, in the same run. `make bench` plays the full size (deadline_rush);
tests/reliability/test_deadline_rush.py a short one.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from bench import load
from bench.people import Person, session_cookie, stakeholders
from bench.runner import Figure, check, info

STAKEHOLDERS = 1000
CASTERS = 200
READERS = 100
READS_EACH = 4
RECAST_EVERY = 4  # every fourth stakeholder changes their mind once
LIMIT_SECONDS = 60.0


@dataclass
class Rush:
    """A prepared round: its people, the readers' sessions, a closed round for bad casts."""

    round_id: int
    process_slug: str
    people: list[Person]
    cookies: list[str]
    closed_round_id: int
    facilitator_token: str
    expected: dict[int, str] = field(default_factory=dict)  # user id → last cast position


@dataclass
class Verdict:
    seconds: float
    ballots: load.Summary
    reads: load.Summary
    bad: list[int]
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def prepare(*, people: int, readers: int, prefix: str) -> Rush:
    """A process with `people` new participants, an open round on its proposal (deadline in a
    few minutes) and a closed earlier round; signed-in sessions for `readers` of them."""
    from rest_framework.authtoken.models import Token

    from consensus import services
    from deliberation import services as deliberation
    from deliberation.models import Process
    from stakeholders.models import Affiliation, StakeholderGroup, User

    facilitator = User.objects.create_user(
        email=f"{prefix}-facilitator@example.org", is_facilitator=True
    )
    Affiliation.objects.create(
        user=facilitator, organisation="Secretariat", stakeholder_group=StakeholderGroup.ACADEMIA,
        primary=True,
    )  # fmt: skip
    process = deliberation.process_create(
        actor=facilitator, title=f"Deadline rush {prefix}", slug=prefix
    )
    process = Process.objects.get(pk=process.pk)
    issue = deliberation.issue_create(
        actor=facilitator, process=process, title="Last call", body="Does the text stand?"
    )
    proposal = deliberation.proposal_create(
        actor=facilitator, issue=issue, title="The text", text="The text as it stands."
    )
    version = proposal.versions.get()
    everyone = stakeholders(process, people, prefix=prefix)
    earlier = services.round_create(
        actor=facilitator, version=version, closes_at=timezone.now() + timedelta(hours=1)
    )
    services.round_open(actor=facilitator, round_=earlier)
    services.round_close(actor=facilitator, round_=earlier)
    rush = services.round_create(
        actor=facilitator, version=version, closes_at=timezone.now() + timedelta(minutes=10)
    )
    services.round_open(actor=facilitator, round_=rush)
    return Rush(
        round_id=rush.pk,
        process_slug=process.slug,
        people=everyone,
        cookies=[session_cookie(p.user) for p in everyone[:readers]],
        closed_round_id=earlier.pk,
        facilitator_token=Token.objects.create(user=facilitator).key,
    )


def plan(rush: Rush, *, casters: int, readers: int, reads_each: int) -> list[list[load.Call]]:
    """Each caster client casts for its share of the people (every RECAST_EVERY-th re-casts at
    the end), each reader loads the round page; two more clients send bad input."""
    url = f"/api/v1/rounds/{rush.round_id}/ballot/"
    clients: list[list[load.Call]] = [[] for _ in range(casters)]
    positions = ("support", "accept", "object", "abstain")
    recasts: list[tuple[int, load.Call]] = []
    for n, person in enumerate(rush.people):
        first = positions[n % 4]
        clients[n % casters].append(_cast(url, person, first))
        rush.expected[person.user.pk] = first
        if n % RECAST_EVERY == 0:
            again = positions[(n + 1) % 4]
            recasts.append((n % casters, _cast(url, person, again)))
            rush.expected[person.user.pk] = again
    for client, call in recasts:
        clients[client].append(call)
    page = f"/processes/{rush.process_slug}/rounds/{rush.round_id}/"
    clients += [
        [load.Call("read", "GET", page, cookies={"sessionid": rush.cookies[i]})] * reads_each
        for i in range(readers)
    ]
    someone = rush.people[-1]
    clients.append(
        [
            _cast(f"/api/v1/rounds/{rush.closed_round_id}/ballot/", someone, "support", "bad"),
            load.Call("bad", "PUT", url, headers=_token(someone), json={"position": "maybe"}),
            load.Call("bad", "PUT", url, headers=_token(someone), json={"position": ["support"]}),
            load.Call("bad", "PUT", url, headers=_token(someone), json=["not", "an", "object"]),
        ]
    )
    return clients


def _token(person: Person) -> dict[str, str]:
    return {"Authorization": f"Token {person.token}"}


def _cast(url: str, person: Person, position: str, kind: str = "ballot") -> load.Call:
    body = {"position": position}
    if position == "object":
        body["rationale"] = "Not in its present form"
    return load.Call(kind, "PUT", url, headers=_token(person), json=body)


def play(base: str, rush: Rush, clients: list[list[load.Call]]) -> Verdict:
    """Run the rush, close the round through the API, wait for the stack's worker to compute the
    outcome, and check everything the module's docstring promises."""
    from consensus.models import Ballot, Outcome

    answers, seconds = load.run(base, clients, timeout=120)
    problems = []
    dropped = [a for a in answers if a.status is None]
    failed = [a for a in answers if a.status is not None and a.status >= 500]
    if dropped:
        problems.append(f"{len(dropped)} connection errors (first: {dropped[0].error})")
    if failed:
        problems.append(f"{len(failed)} answers 5xx")
    casts = [a for a in answers if a.call.kind == "ballot"]
    if any(a.status not in (200, 201) for a in casts):
        problems.append(f"{sum(a.status not in (200, 201) for a in casts)} casts not accepted")
    reads = [a for a in answers if a.call.kind == "read"]
    if any(a.status != 200 for a in reads):
        problems.append("a round page was not served")
    bad = [a.status or 0 for a in answers if a.call.kind == "bad"]
    if bad != [409, 400, 400, 400]:
        problems.append(f"bad input answered {bad}, not [409, 400, 400, 400]")
    closed = load.run(
        base,
        [[load.Call("close", "POST", f"/api/v1/rounds/{rush.round_id}/close/",
                    headers={"Authorization": f"Token {rush.facilitator_token}"})]],
    )[0]  # fmt: skip
    if closed[0].status != 200:
        problems.append(f"closing answered {closed[0].status}")
    current = list(
        Ballot.objects.filter(round_id=rush.round_id, current=True).values_list("user", "position")
    )
    per_person = Counter(user for user, _position in current)
    if len(per_person) != len(rush.people) or max(per_person.values(), default=0) != 1:
        problems.append(f"{len(current)} current ballots for {len(rush.people)} people")
    if dict(current) != rush.expected:
        problems.append("a current ballot is not its author's last accepted cast")
    if Ballot.objects.filter(round_id=rush.closed_round_id).exists():
        problems.append("a ballot was stored in the closed round")
    outcome = _wait_for_outcome(Outcome, rush.round_id, seconds=60)
    if outcome is None:
        problems.append("the worker computed no outcome within a minute of the close")
    elif _outcome_counts(outcome.figures) != _stored_counts(rush.round_id):
        problems.append("the outcome differs from the stored ballots")
    return Verdict(
        seconds=seconds,
        ballots=load.summarise(answers, "ballot", seconds),
        reads=load.summarise(answers, "read", seconds),
        bad=bad,
        problems=problems,
    )


def _wait_for_outcome(model: type, round_id: int, *, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = model.objects.filter(round_id=round_id).first()  # type: ignore[attr-defined]
        if found is not None:
            return found
        time.sleep(0.25)
    return None


def _outcome_counts(figures: dict[str, object]) -> dict[tuple[str, str], int]:
    groups = figures["groups"]
    assert isinstance(groups, dict)
    return {
        (group, position): int(counts[position])
        for group, counts in groups.items()
        for position in ("support", "accept", "abstain", "object")
        if counts[position]
    }


def _stored_counts(round_id: int) -> dict[tuple[str, str], int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stakeholder_group, position, count(*) FROM consensus_ballot"
            " WHERE round_id = %s AND current GROUP BY 1, 2",
            [round_id],
        )
        return {(g, p): int(n) for g, p, n in cursor.fetchall()}


def reference(base: str, *, clients: int, requests: int) -> tuple[load.Summary, float]:
    """The minimal insert view under the same concurrency and number of requests."""
    calls = [
        [load.Call("insert", "POST", "/bench/minimal-insert/")] * (requests // clients + 1)
        for _ in range(clients)
    ]
    answers, seconds = load.run(base, calls, timeout=120)
    return load.summarise(answers, "insert", seconds), seconds


def figures() -> list[Figure]:
    """The full rush of the issue: 1,000 people, 200 casting, 100 reading, within 60 s."""
    from bench.web import serving

    prefix = f"rush-{int(time.time())}"
    rush = prepare(people=STAKEHOLDERS, readers=READERS, prefix=prefix)
    clients = plan(rush, casters=CASTERS, readers=READERS, reads_each=READS_EACH)
    casts = sum(1 for client in clients for call in client if call.kind == "ballot")
    print(
        f"\nDeadline rush: {STAKEHOLDERS:,} stakeholders, {CASTERS} casting ({casts:,} casts, "
        f"every {RECAST_EVERY}th re-casts), {READERS} readers loading the round page "
        f"{READS_EACH} times each, 4 bad requests; the make run stack, page cache off."
    )

    def rush_and_reference(base: str) -> list[Figure]:
        verdict = play(base, rush, clients)
        insert, _seconds = reference(base, clients=CASTERS, requests=casts)
        return _rows(verdict, insert)

    try:
        return serving(rush_and_reference)
    finally:
        _retire(prefix)


def _rows(verdict: Verdict, insert: load.Summary) -> list[Figure]:
    b, r = verdict.ballots, verdict.reads
    within = verdict.seconds <= LIMIT_SECONDS
    passed = verdict.ok and within
    return [
        Figure(
            name=f"deadline rush: {b.requests:,} casts by {STAKEHOLDERS:,} people, {CASTERS} "
            f"clients, {READERS} readers",
            measured=f"{verdict.seconds:.1f} s, {b.per_second:.0f} casts/s",
            limit=f"{LIMIT_SECONDS:.0f} s, 0 errors",
            ratio=verdict.seconds / LIMIT_SECONDS,
            passed=passed,
            key="deadline_rush",
            value=verdict.seconds,
            unit="s",
            limit_value=LIMIT_SECONDS,
            target="within 60 s; 0 connection errors, 0 5xx, one current ballot each, "
            "outcome = stored ballots, bad input 4xx",
            same_answer=verdict.ok,
        ),
        check(
            "  no error, one current ballot each, outcome = stored ballots, bad input 4xx",
            verdict.ok,
            "; ".join(verdict.problems) or f"bad input answered {verdict.bad}",
        ),
        info(
            "  casts p50 / p95 / p99",
            f"{b.p50:.0f} / {b.p95:.0f} / {b.p99:.0f} ms, {b.per_second:.0f}/s",
        ),
        info(
            "  round page reads p50 / p95 / p99",
            f"{r.p50:.0f} / {r.p95:.0f} / {r.p99:.0f} ms, {r.per_second:.0f}/s",
        ),
        info(
            f"  minimal insert view, {CASTERS} clients, p50 / p95 / p99",
            f"{insert.p50:.0f} / {insert.p95:.0f} / {insert.p99:.0f} ms, {insert.per_second:.0f}/s",
        ),
    ]


def _retire(prefix: str) -> None:
    """The run's people stop counting as active users (the trust benchmark counts those)."""
    from stakeholders.models import User

    User.objects.filter(email__startswith=f"{prefix}-").update(is_active=False)
