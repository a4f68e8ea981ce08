"""The issue page's reads, written by hand (web.sql): the ORM's subqueries and joins cost more
to build than PostgreSQL takes to run them."""

import functools

from deliberation.models import Comment, Issue, Participation, Process, Proposal, ProposalVersion
from stakeholders.models import Affiliation, User
from stakeholders.presentation import NAME_FIELDS
from web import sql

_ISSUE_WITH_THREAD_COUNT = """
    SELECT i.*,
        (SELECT count(*) FROM deliberation_comment c
         WHERE c.issue_id = i.id AND c.parent_id IS NULL) AS thread_count
    FROM deliberation_issue i WHERE i.process_id = %(process)s AND i.id = %(pk)s
"""
_PROPOSALS_WITH_VERSIONS = """
    SELECT p.*,
        (SELECT count(*) FROM deliberation_proposalversion v
         WHERE v.proposal_id = p.id) AS version_count,
        (SELECT max(v.number) FROM deliberation_proposalversion v
         WHERE v.proposal_id = p.id) AS latest_number
    FROM deliberation_proposal p WHERE p.issue_id = %(issue)s
    ORDER BY p.created_at DESC, p.id DESC
"""
# What a discussion shows of each comment's author (stakeholders.presentation.public_name), hat
# and version.
_SHOWN = {
    "u": (User, NAME_FIELDS),
    "a": (Affiliation, ["id", "stakeholder_group"]),
    "v": (ProposalVersion, ["id", "number", "proposal_id"]),
}


_FACILITATORS = """
    SELECT u.id, u.display_name, u.email FROM stakeholders_user u
    JOIN deliberation_process_facilitators f ON f.user_id = u.id
    WHERE f.process_id = %(process)s ORDER BY u.display_name, u.id
"""


def facilitators(process: Process) -> list[User]:
    """The process's facilitators, by name, with what the page shows of them (`str()`, link)."""
    return [
        sql.instance(User, row, "", ["id", "display_name", "email"])
        for row in sql.rows(User, _FACILITATORS, {"process": process.pk})
    ]


@functools.cache
def _participation_read() -> tuple[str, list[str], list[str]]:
    taking_part, hat = sql.attnames(Participation), sql.attnames(Affiliation)
    query = f"""
        SELECT {sql.select_list(Participation, "pp", "pp", taking_part)},
            {sql.select_list(Affiliation, "a", "a", hat)}
        FROM deliberation_participation pp
        JOIN stakeholders_affiliation a ON a.id = pp.affiliation_id
        WHERE pp.process_id = %(process)s AND pp.user_id = %(user)s
        ORDER BY pp.joined_at, pp.id LIMIT 1
    """  # noqa: S608 - the select lists are built from the models' own column names
    return query, taking_part, hat


def participation_of(process: Process, user: User | None) -> Participation | None:
    """How `user` takes part in `process` (with the hat they wear), or None."""
    if user is None or not user.is_authenticated:
        return None
    query, taking_part, hat = _participation_read()
    found = sql.rows(Participation, query, {"process": process.pk, "user": user.pk})
    if not found:
        return None
    participation = sql.instance(Participation, found[0], "pp", taking_part)
    participation.affiliation = sql.instance(Affiliation, found[0], "a", hat)
    participation.process = process
    return participation


_FIRST_ISSUES = """
    SELECT i.*,
        (SELECT count(*) FROM deliberation_comment c WHERE c.issue_id = i.id) AS comment_count,
        (SELECT count(*) FROM deliberation_proposal p WHERE p.issue_id = i.id) AS proposal_count,
        count(*) OVER () AS listed_total
    FROM deliberation_issue i WHERE i.process_id = %(process)s
    ORDER BY i.created_at DESC, i.id DESC LIMIT %(limit)s
"""


def first_issues(process: Process, limit: int) -> tuple[list[Issue], int]:
    """The process's newest `limit` issues, each with its numbers of comments and proposals
    (as selectors.process_issues), and how many issues it has in all."""
    issues = list(Issue.objects.raw(_FIRST_ISSUES, {"process": process.pk, "limit": limit}))
    for issue in issues:
        issue.process = process
    return issues, (issues[0].listed_total if issues else 0)  # type: ignore[attr-defined]


def issue_get(process: Process, pk: int) -> Issue | None:
    """The issue, with how many top comments (threads) it has, counted in the same query."""
    issue = next(
        iter(Issue.objects.raw(_ISSUE_WITH_THREAD_COUNT, {"process": process.pk, "pk": pk})),
        None,
    )
    if issue is not None:
        issue.process = process
    return issue


def issue_proposals(issue: Issue) -> list[Proposal]:
    """The issue's proposals, newest first, each with `version_count` and `latest_number`."""
    proposals = list(Proposal.objects.raw(_PROPOSALS_WITH_VERSIONS, {"issue": issue.pk}))
    for proposal in proposals:
        proposal.issue = issue
    return proposals


@functools.cache
def _thread_comments_read() -> tuple[str, list[str]]:
    names = sql.attnames(Comment)
    shown = ", ".join(sql.select_list(model, a, a, fields) for a, (model, fields) in _SHOWN.items())
    query = f"""
        SELECT {sql.select_list(Comment, "c", "c", names)}, {shown},
            (SELECT count(*) FROM deliberation_commentrevision r
             WHERE r.comment_id = c.id) AS revision_count
        FROM deliberation_comment c
        JOIN stakeholders_user u ON u.id = c.author_id
        JOIN stakeholders_affiliation a ON a.id = c.affiliation_id
        LEFT JOIN deliberation_proposalversion v ON v.id = c.version_id
        WHERE c.issue_id = %(issue)s
            AND (c.id = ANY(%(roots)s) OR c.thread_root_id = ANY(%(roots)s))
        ORDER BY c.created_at, c.id
    """  # noqa: S608 - the select lists are built from the models' own column names
    return query, names


def thread_comments(roots: list[int], issue: Issue) -> list[Comment]:
    """The comments of the threads whose top comments are `roots`, oldest first, each with its
    author's name fields, its hat's group, its version's number and `revision_count`, hung on
    `issue` (not read again)."""
    query, names = _thread_comments_read()
    comments = []
    for row in sql.rows(Comment, query, {"issue": issue.pk, "roots": roots}):
        comment = sql.instance(Comment, row, "c", names)
        comment.issue = issue
        comment.author = sql.instance(User, row, "u", _SHOWN["u"][1])
        comment.affiliation = sql.instance(Affiliation, row, "a", _SHOWN["a"][1])
        version = row["v.id"] and sql.instance(ProposalVersion, row, "v", _SHOWN["v"][1])
        comment.version = version or None
        comment.revision_count = row["revision_count"]  # type: ignore[attr-defined]
        comments.append(comment)
    return comments
