"""The process page's read of the commitments made in the process, written by hand (web.sql)."""

import functools

from django.db.models import Prefetch, prefetch_related_objects

from deliberation.models import Process
from stakeholders.models import Affiliation, User
from stakeholders.presentation import NAME_FIELDS
from trust.models import Commitment, Verdict
from web import sql

# The counts read with each commitment (trust_tags.attestation_counts), and their verdicts.
_VERDICTS = {
    "kept": Verdict.KEPT.value,
    "partly": Verdict.PARTLY.value,
    "broken": Verdict.BROKEN.value,
}


@functools.cache
def _process_commitments_read() -> tuple[str, list[str]]:
    names = sql.attnames(Commitment)
    query = f"""
        SELECT {sql.select_list(Commitment, "c", "c", names)},
            {sql.select_list(User, "u", "u", NAME_FIELDS)},
            (SELECT count(*) FROM trust_attestation a WHERE a.commitment_id = c.id
             AND a.verdict = %(kept)s) AS kept,
            (SELECT count(*) FROM trust_attestation a WHERE a.commitment_id = c.id
             AND a.verdict = %(partly)s) AS partly,
            (SELECT count(*) FROM trust_attestation a WHERE a.commitment_id = c.id
             AND a.verdict = %(broken)s) AS broken
        FROM trust_commitment c JOIN stakeholders_user u ON u.id = c.author_id
        WHERE c.process_id = %(process)s
        ORDER BY c.due_on DESC, c.id DESC
        LIMIT %(limit)s
    """  # noqa: S608 - the select lists are built from the models' own column names
    return query, names


def process_commitments(process: Process, limit: int) -> list[Commitment]:
    """The newest-due `limit` commitments made in `process`, each with its author (their name
    and active hats) and its attestation counts by verdict (`kept`, `partly`, `broken`), for a
    page of that process: whoever sees the page may read the process, whose row they get."""
    query, names = _process_commitments_read()
    params = {"process": process.pk, "limit": limit, **_VERDICTS}
    commitments = []
    for row in sql.rows(Commitment, query, params):
        commitment = sql.instance(Commitment, row, "c", names)
        commitment.author = sql.instance(User, row, "u", NAME_FIELDS)
        commitment.process = process
        for count in _VERDICTS:
            setattr(commitment, count, row[count])
        commitments.append(commitment)
    hats = Prefetch(
        "affiliations",
        queryset=Affiliation.objects.active().order_by("-primary", "id"),
        to_attr="active_hats",
    )
    prefetch_related_objects([c.author for c in commitments], hats)
    return commitments
