"""The round, result and process pages' reads of rounds and outcomes, written by hand (web.sql)."""

import functools
from typing import cast

from django.db.models import prefetch_related_objects

from consensus.models import Ballot, BallotExclusion, Outcome, Position, Round
from deliberation.models import Issue, Process, Proposal, ProposalVersion
from stakeholders.models import User
from stakeholders.presentation import NAME_FIELDS
from web import sql


@functools.cache
def _round_page_read() -> tuple[str, dict[str, list[str]]]:
    """The round page's query and the attributes it reads of each model (the outcome's figures
    are the result page's alone)."""
    names = {
        "r": sql.attnames(Round),
        "v": sql.attnames(ProposalVersion),
        "pr": sql.attnames(Proposal),
        "i": sql.attnames(Issue),
        "o": sql.attnames(Outcome, leave_out=["figures"]),
    }
    models = {"r": Round, "v": ProposalVersion, "pr": Proposal, "i": Issue, "o": Outcome}
    select = ", ".join(sql.select_list(models[a], a, a, names[a]) for a in names)
    query = f"""
        SELECT {select},
            (SELECT count(*) FROM consensus_ballot b
             WHERE b.round_id = r.id AND b.current) AS current_ballots,
            (SELECT coalesce(array_agg(DISTINCT b.stakeholder_group), '{{}}')
             FROM consensus_ballot b WHERE b.round_id = r.id AND b.current
             AND b.position <> %(abstain)s) AS cast_groups
        FROM consensus_round r
        JOIN deliberation_proposalversion v ON v.id = r.version_id
        JOIN deliberation_proposal pr ON pr.id = v.proposal_id
        JOIN deliberation_issue i ON i.id = pr.issue_id
        LEFT JOIN consensus_outcome o ON o.round_id = r.id
        WHERE r.process_id = %(process)s AND r.id = %(pk)s
    """  # noqa: S608 - the select list is built from the models' own column names
    return query, names


def round_get(process: Process, pk: int) -> Round | None:
    """The round of `process`, with its version, proposal, issue and outcome (without its
    figures), and — in the same query — how many current ballots it has and which groups cast a
    non-abstaining one (the round page shows both: the voters' pages and the quorum warning)."""
    query, names = _round_page_read()
    found = sql.rows(
        Round, query, {"process": process.pk, "pk": pk, "abstain": Position.ABSTAIN.value}
    )
    if not found:
        return None
    row = found[0]
    round_ = sql.instance(Round, row, "r", names["r"])
    version = sql.instance(ProposalVersion, row, "v", names["v"])
    proposal = sql.instance(Proposal, row, "pr", names["pr"])
    issue = sql.instance(Issue, row, "i", names["i"])
    issue.process = process
    proposal.issue = issue
    version.proposal = proposal
    round_.version = version
    round_.process = process
    if row["o.id"] is None:
        Round.outcome.related.set_cached_value(round_, None)  # known: none yet
    else:
        outcome = sql.instance(Outcome, row, "o", names["o"])
        outcome.round = round_
        Round.outcome.related.set_cached_value(round_, outcome)
    round_.current_ballots = row["current_ballots"]  # type: ignore[attr-defined]
    round_.cast_groups = row["cast_groups"]  # type: ignore[attr-defined]
    return round_


@functools.cache
def _outcome_read() -> tuple[str, list[str]]:
    names = sql.attnames(Outcome)
    query = f"""
        SELECT {sql.select_list(Outcome, "o", "o", names)},
            EXISTS(SELECT 1 FROM consensus_minoritystatement m WHERE m.outcome_id = o.id)
                AS has_statements,
            EXISTS(SELECT 1 FROM consensus_challenge c WHERE c.outcome_id = o.id)
                AS has_challenges
        FROM consensus_outcome o WHERE o.round_id = %(round)s
    """  # noqa: S608 - the select list is built from the model's own column names
    return query, names


def outcome_of(round_: Round) -> Outcome | None:
    """The round's outcome with its minority statements and challenges (and their authors): one
    query when it has neither, as most outcomes, whose absence it reads in the same query."""
    query, names = _outcome_read()
    found = sql.rows(Outcome, query, {"round": round_.pk})
    if not found:
        return None
    outcome = sql.instance(Outcome, found[0], "o", names)
    outcome.round = round_
    related = {
        "minority_statements": found[0]["has_statements"],
        "challenges": found[0]["has_challenges"],
    }
    prefetch_related_objects(
        [outcome], *(f"{name}__author" for name, has in related.items() if has)
    )
    known = outcome.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, has in related.items():
        if not has:  # known empty: the page's `.all()` must not ask again
            known[name] = getattr(outcome, name).none()
    return outcome


# What the process page's list of rounds shows (consensus/_rounds.html) and the visibility rule
# reads: not the version's text, the round's parameters or the outcome's figures.
_LISTED = {
    "r": (Round, ["id", "process_id", "version_id", "status", "ballot_visibility", "created_at"]),
    "v": (ProposalVersion, ["id", "number", "proposal_id"]),
    "pr": (Proposal, ["id", "title"]),
    "o": (Outcome, ["id", "round_id", "declared_designation"]),
}


@functools.cache
def _latest_rounds_read() -> str:
    select = ", ".join(sql.select_list(model, a, a, names) for a, (model, names) in _LISTED.items())
    return f"""
        SELECT {select},
            ROW_NUMBER() OVER (PARTITION BY v.proposal_id ORDER BY r.created_at, r.id) AS number
        FROM consensus_round r
        JOIN deliberation_proposalversion v ON v.id = r.version_id
        JOIN deliberation_proposal pr ON pr.id = v.proposal_id
        LEFT JOIN consensus_outcome o ON o.round_id = r.id
        WHERE r.process_id = %(process)s
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT %(limit)s
    """  # noqa: S608 - the select list is built from the models' own column names


def latest_rounds(process: Process, limit: int) -> list[Round]:
    """The process's newest rounds with their version's number, proposal's title and declared
    designation, for the panel of the process page, each with its `number` on its proposal
    (round 1, round 2…): no ballot count (the panel shows none, and counting joins every ballot
    of every round of the process)."""
    rounds = []
    for row in sql.rows(Round, _latest_rounds_read(), {"process": process.pk, "limit": limit}):
        made = {a: sql.instance(model, row, a, names) for a, (model, names) in _LISTED.items()}
        round_, version = cast(Round, made["r"]), cast(ProposalVersion, made["v"])
        version.proposal = cast(Proposal, made["pr"])
        round_.version = version
        round_.number = row["number"]  # type: ignore[attr-defined]
        Round.outcome.related.set_cached_value(round_, made["o"] if row["o.id"] else None)
        round_.process = process  # the page's, with its facilitators: no query per round
        rounds.append(round_)
    return rounds


_HISTORY = """
    SELECT * FROM consensus_ballot WHERE round_id = %(round)s AND user_id = %(user)s
    ORDER BY cast_at, id
"""


def ballot_history(round_: Round, user: User) -> list[Ballot]:
    """Every ballot the user cast in the round, oldest first (the last one is current)."""
    if not user.is_authenticated:
        return []
    return sql.objects(Ballot, _HISTORY, {"round": round_.pk, "user": user.pk})


_EXCLUSIONS = """
    SELECT * FROM consensus_ballotexclusion WHERE round_id = %(round)s ORDER BY created_at, id
"""


def exclusions(round_: Round) -> list[BallotExclusion]:
    """The ballots excluded from the round's count, with their public reasons, oldest first."""
    return sql.objects(BallotExclusion, _EXCLUSIONS, {"round": round_.pk})


# What the round page lists of a current ballot, and what naming its author takes
# (stakeholders.presentation.public_name).
_VOTERS = {
    "b": (
        Ballot,
        ["id", "round_id", "user_id", "stakeholder_group", "region", "position", "cast_at"],
    ),
    "u": (User, NAME_FIELDS),
}


@functools.cache
def _voters_read() -> str:
    select = ", ".join(sql.select_list(model, a, a, names) for a, (model, names) in _VOTERS.items())
    return f"""
        SELECT {select} FROM consensus_ballot b JOIN stakeholders_user u ON u.id = b.user_id
        WHERE b.round_id = %(round)s AND b.current
        ORDER BY b.stakeholder_group, b.cast_at, b.id
        LIMIT %(limit)s OFFSET %(offset)s
    """  # noqa: S608 - the select list is built from the models' own column names


class RoundVoters:
    """The round's current ballots as its page lists them, a slice (a page) at a time."""

    def __init__(self, round_: Round) -> None:
        self.round = round_

    def __getitem__(self, window: slice) -> list[Ballot]:
        start, stop = window.start or 0, window.stop
        params = {"round": self.round.pk, "limit": stop - start, "offset": start}
        ballots = []
        for row in sql.rows(Ballot, _voters_read(), params):
            ballot = sql.instance(Ballot, row, "b", _VOTERS["b"][1])
            ballot.user = sql.instance(User, row, "u", _VOTERS["u"][1])
            ballots.append(ballot)
        return ballots
