"""Reads about trust: the endorsement graph as arrays, visible commitments, latest scores."""

from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Func,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from deliberation.models import Participation
from deliberation.selectors import visible_processes
from stakeholders.models import Affiliation, User
from trust.models import (
    Attestation,
    Commitment,
    Endorsement,
    TrustComputation,
    TrustScore,
    Verdict,
)

# Whoever is looking at a page or calling the API: a signed-in user or an anonymous visitor.
Viewer = AbstractBaseUser | AnonymousUser


def int_rows(queryset: QuerySet[Any], width: int) -> np.ndarray:
    """Run a `values_list` queryset of `width` integer columns; return a (rows, width) int64 array.

    The ORM composes the SQL, but the rows go from the database cursor straight into numpy:
    Django's own iteration wraps every row in a new tuple, which doubles the time of reading a
    million endorsements.
    """
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return np.zeros((0, width), dtype=np.int64)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=width * len(rows))
    return flat.reshape(len(rows), width)


def positions(user_ids: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(node index of each id in the sorted `user_ids`, mask of the ids found there)."""
    if user_ids.size == 0:
        return np.zeros(ids.shape, dtype=np.int64), np.zeros(ids.shape, dtype=np.bool_)
    position = np.searchsorted(user_ids, ids).clip(0, user_ids.size - 1)
    return position, user_ids[position] == ids


def aligned(user_ids: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Spread (user id, value) rows over the sorted `user_ids`; users without a row get 0."""
    values = np.zeros(user_ids.size, dtype=np.int64)
    position, known = positions(user_ids, rows[:, 0])
    values[position[known]] = rows[known, 1]
    return values


@dataclass(frozen=True)
class EndorsementGraph:
    """The endorsement graph over the active users, as node-index arrays.

    Node i is the user `user_ids[i]` (ascending); `src[k]` endorses `dst[k]`; `pretrusted` holds the
    sorted nodes of users with a verified active affiliation (empty when there are none).
    """

    user_ids: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    pretrusted: np.ndarray

    @property
    def n(self) -> int:
        return int(self.user_ids.size)


def endorsement_graph() -> EndorsementGraph:
    """Read the whole endorsement graph in three queries, without a Python loop over edges.

    After: endorsements from or to an inactive user are left out; every index lies in 0..n-1.
    """
    users = int_rows(User.objects.filter(is_active=True).order_by("pk").values_list("pk"), 1)
    user_ids = users[:, 0]
    edges = int_rows(
        Endorsement.objects.active().order_by().values_list("from_user_id", "to_user_id"), 2
    )
    src, src_known = positions(user_ids, edges[:, 0])
    dst, dst_known = positions(user_ids, edges[:, 1])
    keep = src_known & dst_known
    verified = int_rows(
        Affiliation.objects.active()
        .filter(verified_at__isnull=False)
        .order_by()
        .values_list("user_id")
        .distinct(),
        1,
    )
    pretrusted, known = positions(user_ids, verified[:, 0])
    return EndorsementGraph(user_ids, src[keep], dst[keep], np.sort(pretrusted[known]))


class DaysSince(Func):
    """Whole days from a timestamp to today, counted by PostgreSQL."""

    template = "(CURRENT_DATE - (%(expressions)s)::date)"
    output_field = IntegerField()


def account_ages(user_ids: np.ndarray) -> np.ndarray:
    """Days since each of the given users joined, aligned with the sorted `user_ids`."""
    rows = int_rows(
        User.objects.filter(is_active=True)
        .annotate(days=DaysSince("date_joined"))
        .values_list("pk", "days"),
        2,
    )
    return aligned(user_ids, rows)


def processes_taken_part(user_ids: np.ndarray) -> np.ndarray:
    """How many processes each user joined, aligned with the sorted `user_ids`."""
    rows = int_rows(
        Participation.objects.order_by()
        .values("user_id")
        .annotate(processes=Count("process_id", distinct=True))
        .values_list("user_id", "processes"),
        2,
    )
    return aligned(user_ids, rows)


def commitments_made(user_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(commitments made, commitments already due) per user, aligned with the sorted `user_ids`."""
    rows = int_rows(
        Commitment.objects.order_by()
        .values("author_id")
        .annotate(
            made=Count("pk"),
            due=Count("pk", filter=Q(due_on__lte=timezone.localdate())),
        )
        .values_list("author_id", "made", "due"),
        3,
    )
    return aligned(user_ids, rows[:, [0, 1]]), aligned(user_ids, rows[:, [0, 2]])


# Verdicts travel as small integers so a million attestations still read straight into numpy.
VERDICT_CODES = {Verdict.BROKEN: 0, Verdict.PARTLY: 1, Verdict.KEPT: 2}


def attestation_facts() -> np.ndarray:
    """Every attestation as a row (author id, attester id, verdict code of VERDICT_CODES)."""
    code = Case(
        *(When(verdict=verdict, then=Value(number)) for verdict, number in VERDICT_CODES.items()),
        output_field=IntegerField(),
    )
    return int_rows(
        Attestation.objects.order_by()
        .annotate(code=code)
        .values_list("commitment__author_id", "attester_id", "code"),
        3,
    )


# --- what pages and the API show --------------------------------------------------------------


def latest_score(user: User) -> TrustScore | None:
    """The user's score from the most recent computation that included them."""
    return (
        TrustScore.objects.filter(user=user)
        .select_related("computation")
        .order_by("-computation_id")
        .first()
    )


def latest_computation() -> TrustComputation | None:
    return TrustComputation.objects.latest_run()


def computations() -> QuerySet[TrustComputation]:
    return TrustComputation.objects.select_related("actor").order_by("-id")


def hats_of(prefix: str) -> Prefetch[Any]:
    return Prefetch(
        f"{prefix}__affiliations",
        queryset=Affiliation.objects.active().order_by("-primary", "id"),
        to_attr="active_hats",
    )


def _endorsements_showing(person: str, **where: User) -> QuerySet[Endorsement]:
    """Active endorsements matching `where`, newest first, with `person` (the endorser or the
    endorsed) and their hats fetched for their public name; closed accounts are left out."""
    return (
        Endorsement.objects.active()
        .filter(**where, **{f"{person}__is_active": True})
        .select_related(person)
        .prefetch_related(hats_of(person))
        .order_by("-created_at", "-id")
    )


def endorsers(user: User) -> QuerySet[Endorsement]:
    """Who endorses `user`: their active endorsements, newest first."""
    return _endorsements_showing("from_user", to_user=user)


def endorsed_by(user: User) -> QuerySet[Endorsement]:
    """Whom `user` endorses: their active endorsements, newest first."""
    return _endorsements_showing("to_user", from_user=user)


def active_endorsement(from_user: User, to_user: User) -> Endorsement | None:
    if not from_user.is_authenticated:
        return None
    return Endorsement.objects.active().filter(from_user=from_user, to_user=to_user).first()


def endorsement_list(
    *, from_id: int | None = None, to_id: int | None = None
) -> QuerySet[Endorsement]:
    endorsements = Endorsement.objects.active().order_by("-created_at", "-id")
    if from_id is not None:
        endorsements = endorsements.filter(from_user_id=from_id)
    if to_id is not None:
        endorsements = endorsements.filter(to_user_id=to_id)
    return endorsements


def commitments_visible_to(viewer: Viewer) -> QuerySet[Commitment]:
    """Commitments `viewer` may see (none tied to a process they may not read), with what the
    lists show (`commitments_listed`)."""
    return commitments_listed(
        Commitment.objects.filter(
            Q(process__isnull=True) | Q(process__in=visible_processes(viewer))
        )
    )


def commitments_listed(commitments: QuerySet[Commitment]) -> QuerySet[Commitment]:
    """What the lists show of commitments: author and their hats, process, and the attestation
    counts by verdict; newest due first."""
    return _listed(commitments.select_related("author", "process"))


def _listed(commitments: QuerySet[Commitment]) -> QuerySet[Commitment]:
    return (
        commitments.prefetch_related(hats_of("author"))
        .annotate(
            kept=Count("attestations", filter=Q(attestations__verdict=Verdict.KEPT)),
            partly=Count("attestations", filter=Q(attestations__verdict=Verdict.PARTLY)),
            broken=Count("attestations", filter=Q(attestations__verdict=Verdict.BROKEN)),
        )
        .order_by("-due_on", "-id")
    )


def attestations_of(commitment: Commitment) -> QuerySet[Attestation]:
    return (
        Attestation.objects.filter(commitment=commitment)
        .select_related("attester")
        .prefetch_related(hats_of("attester"))
        .order_by("created_at", "id")
    )
