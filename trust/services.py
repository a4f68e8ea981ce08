"""Every write about trust: endorsements, commitments, attestations and the trust computation."""

from datetime import date, datetime
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deliberation.models import Participation, Process
from record.services import audit_append
from stakeholders.models import NotificationKind, User
from stakeholders.services import notification_send, notify_after_commit
from trust import selectors
from trust.eigentrust import ALPHA, commitment_record, eigentrust, percentiles
from trust.models import (
    SCORE_SECTIONS,
    VERDICT_VALUE,
    Attestation,
    Commitment,
    Endorsement,
    TrustComputation,
    TrustScore,
    Verdict,
)
from trust.retention import kept_computations

# The TrustScore columns the nightly COPY writes, and the job's figure each one holds.
_SCORE_COLUMNS = {
    "user_id": "user",
    "endorsement_trust": "trust",
    "percentile": "percentile",
    "commitment_record": "record",
    **{name: name for names in SCORE_SECTIONS.values() for name in names
       if name not in ("trust", "percentile", "record")},
}  # fmt: skip

# Any constant works: it names the advisory lock that lets one trust computation run at a time.
_COMPUTE_LOCK_KEY = 7_305_118_802


def _insert_once(row: models.Model, duplicate: str | dict[str, str]) -> None:
    """Validate and insert a new row whose unique constraint allows one per person.

    The constraint, not a prior lookup, decides, so two requests racing each other cannot both
    succeed; the loser gets the `duplicate` ValidationError.
    """
    row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as error:
        raise ValidationError(duplicate) from error


# --- endorsements ----------------------------------------------------------------------------


@transaction.atomic
def endorsement_give(*, actor: User, to_user: User, note: str = "") -> Endorsement:
    """Endorse another active user's good faith.

    Before: `actor` ≠ `to_user` and `actor` has no active endorsement of them (a withdrawn one does
    not count). After: one active endorsement from actor to to_user, on the public record.
    """
    if actor.pk == to_user.pk:
        raise ValidationError({"to": _("You cannot endorse yourself.")})
    if not to_user.is_active:
        raise ValidationError({"to": _("This account is closed.")})
    endorsement = Endorsement(from_user=actor, to_user=to_user, note=note.strip())
    _insert_once(endorsement, {"to": _("You already endorse this stakeholder.")})
    _record_endorsement(actor, endorsement, "give")
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, actor: User, endorsement: Endorsement) -> Endorsement:
    """Withdraw one of the actor's endorsements. After: it is kept, with `withdrawn_at` set."""
    if endorsement.from_user_id != actor.pk:
        raise PermissionError("Only the endorser withdraws an endorsement.")
    locked = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError(_("This endorsement was already withdrawn."))
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["withdrawn_at"])
    endorsement.withdrawn_at = locked.withdrawn_at
    _record_endorsement(actor, endorsement, "withdraw")
    return endorsement


def _record_endorsement(actor: User, endorsement: Endorsement, verb: str) -> None:
    """Endorsements are public acts: each one given or withdrawn goes on the record."""
    audit_append(
        actor=actor,
        action=f"endorsement.{verb}",
        obj=endorsement,
        process=None,
        people=[endorsement.from_user_id, endorsement.to_user_id],
        data={"from": endorsement.from_user_id, "to": endorsement.to_user_id},
    )


# --- commitments and attestations --------------------------------------------------------------


@transaction.atomic
def commitment_create(
    *, actor: User, text: str, due_on: date, process: Process | None = None
) -> Commitment:
    """Record the actor's commitment, optionally made in a process they take part in.

    Before: when `process` is given, the actor participates in it or facilitates it. Forms and the
    API also refuse a due date in the past; this service accepts one, so a commitment made
    earlier (say, at a meeting) can be recorded after the fact. After: the commitment is public
    (or as visible as its process) and on the record; attesters are invited once it is due.
    """
    if process is not None and not (
        actor.pk in process.facilitator_ids
        or Participation.objects.filter(process=process, user=actor).exists()
    ):
        raise ValidationError(
            {"process": _("You can only make a commitment in a process you take part in.")}
        )
    commitment = Commitment(author=actor, text=text.strip(), due_on=due_on, process=process)
    commitment.full_clean()
    commitment.save()
    audit_append(
        actor=actor,
        action="commitment.create",
        obj=commitment,
        process=process,
        data={"due": due_on.isoformat(), "process": process.slug if process else None},
    )
    return commitment


def commitment_invitees(commitment: Commitment) -> list[User]:
    """Who is asked to attest: the process's participants, or the author's endorsers when the
    commitment belongs to no process — never the author."""
    if commitment.process_id is not None:
        users = User.objects.filter(
            is_active=True, participations__process_id=commitment.process_id
        )
    else:
        users = User.objects.filter(
            is_active=True,
            endorsements_given__to_user_id=commitment.author_id,
            endorsements_given__withdrawn_at__isnull=True,
        )
    return list(users.exclude(pk=commitment.author_id).distinct().order_by("pk"))


@transaction.atomic
def commitment_invite_attesters(*, commitment: Commitment) -> int:
    """Invite attesters to a due commitment, once.

    Before: the commitment is due. After: `invitations_sent_at` is set, and once this commits
    each invitee gets a notification (and its e-mail, as they chose) in bulk; a second call, or a
    call racing this one, invites nobody. Returns how many were invited.
    """
    locked = (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("author", "process")
        .filter(pk=commitment.pk, invitations_sent_at__isnull=True)
        .first()
    )
    if locked is None:
        return 0
    if not locked.is_due():
        raise ValidationError(_("This commitment is not due yet."))
    invitees = commitment_invitees(locked)
    author = locked.author.display_name or _("A stakeholder")
    notify_after_commit(
        recipients=[user.pk for user in invitees],
        kind=NotificationKind.COMMITMENT,
        title=_("Was this commitment kept? %s") % locked.text[:120],
        body=_(
            "%(author)s committed to this, due %(due)s. Say whether it was kept, partly kept "
            "or broken, with your evidence."
        )
        % {"author": author, "due": locked.due_on.isoformat()},
        url=locked.get_absolute_url(),
    )
    locked.invitations_sent_at = timezone.now()
    locked.save(update_fields=["invitations_sent_at"])
    commitment.invitations_sent_at = locked.invitations_sent_at
    return len(invitees)


def commitments_invite_due() -> int:
    """The sweep: invite attesters for every due commitment not yet announced.

    Each commitment is handled in its own transaction, so one failure does not undo the others and
    a lost run is simply picked up by the next. Returns how many invitations were sent.
    """
    pending = list(Commitment.objects.awaiting_invitations().order_by("due_on", "pk"))
    return sum(commitment_invite_attesters(commitment=commitment) for commitment in pending)


@transaction.atomic
def attestation_give(
    *, actor: User, commitment: Commitment, verdict: str, evidence: str
) -> Attestation:
    """Attest whether someone else's due commitment was kept.

    Before: the actor may see the commitment (callers check). Refused with a ValidationError: one's
    own commitment, one not yet due, a second attestation by the same person. After: the
    attestation is stored, on the record, and the author is told.
    """
    if commitment.author_id == actor.pk:
        raise ValidationError(_("You cannot attest your own commitment."))
    if not commitment.is_due():
        raise ValidationError(
            _("This commitment is not due until %s; attest it from then on.")
            % commitment.due_on.isoformat()
        )
    attestation = Attestation(
        commitment=commitment, attester=actor, verdict=verdict, evidence=evidence.strip()
    )
    _insert_once(attestation, _("You have already attested this commitment."))
    audit_append(
        actor=actor,
        action="attestation.give",
        obj=attestation,
        process=commitment.process_id,
        people=[commitment.author_id],
        data={"commitment": commitment.pk, "verdict": verdict},
    )
    notification_send(
        user=commitment.author,
        kind=NotificationKind.COMMITMENT,
        title=_("Your commitment was attested: %s") % Verdict(verdict).label,
        body=attestation.evidence[:500],
        url=commitment.get_absolute_url(),
    )
    return attestation


@transaction.atomic
def attestation_reply(*, actor: User, attestation: Attestation, reply: str) -> Attestation:
    """The commitment's author answers an attestation, once.

    Before: the actor wrote the commitment. After: the reply is public beside the attestation and
    the attester is told; a second reply is refused.
    """
    commitment = attestation.commitment
    if commitment.author_id != actor.pk:
        raise PermissionError("Only the commitment's author replies to its attestations.")
    locked = Attestation.objects.select_for_update().get(pk=attestation.pk)
    if locked.replied_at is not None:
        raise ValidationError(_("You have already replied to this attestation."))
    reply = reply.strip()
    if not reply:
        raise ValidationError({"reply": _("Write a reply.")})
    locked.reply = reply
    locked.replied_at = timezone.now()
    locked.full_clean(validate_constraints=False)
    locked.save(update_fields=["reply", "replied_at"])
    attestation.reply, attestation.replied_at = locked.reply, locked.replied_at
    notification_send(
        user=attestation.attester,
        kind=NotificationKind.COMMITMENT,
        title=_("The author replied to your attestation"),
        body=reply[:500],
        url=commitment.get_absolute_url(),
    )
    return attestation


# --- the trust computation ---------------------------------------------------------------------


def _commitment_records(
    n: int, relative: np.ndarray, facts: np.ndarray, user_ids: np.ndarray
) -> dict[str, np.ndarray]:
    """Each user's commitment record and its counts, from the attestation facts.

    An attestation weighs its attester's endorsement trust scaled so that an average user weighs 1
    (w = t·n, and Σt = 1): two average attesters saying "kept" give (2 + 1)/(2 + 2) = 0.75, while
    an attester nobody trusts (t = 0, or a closed account) adds nothing.
    """
    author, author_known = selectors.positions(user_ids, facts[:, 0])
    attester, attester_known = selectors.positions(user_ids, facts[:, 1])
    author, codes = author[author_known], facts[author_known, 2]
    weight = np.where(attester_known, relative[attester], 0.0)[author_known]
    value_of_code = np.zeros(len(selectors.VERDICT_CODES))
    for verdict, code in selectors.VERDICT_CODES.items():
        value_of_code[code] = VERDICT_VALUE[verdict]
    value = value_of_code[codes]
    record = np.full(n, commitment_record(np.zeros(0), np.zeros(0)))
    # One group of rows per author (a loop over authors, not over attestations).
    order = np.argsort(author, kind="stable")
    for rows in np.split(order, np.flatnonzero(np.diff(author[order])) + 1):
        if rows.size:
            record[author[rows[0]]] = commitment_record(weight[rows], value[rows])
    return {
        "record": record,
        "attestations": np.bincount(author, minlength=n),
        **{
            verdict.value: np.bincount(author[codes == code], minlength=n)
            for verdict, code in selectors.VERDICT_CODES.items()
        },
        "weight": np.bincount(author, weights=weight, minlength=n),
    }


def trust_compute(
    *, actor: User | None = None, trigger: str = TrustComputation.Trigger.SCHEDULE
) -> TrustComputation:
    """Compute every active user's trust (SPEC §5) and store it as one computation.

    Reads the endorsement graph, the attestations and the tenure figures in a constant number of
    queries; solves EigenTrust on sparse matrices (pre-trusted: users with a verified active
    affiliation, or everyone when there are none); weighs each attestation by its attester's
    endorsement trust (see `_commitment_records`). After: one TrustComputation with a TrustScore
    per active user, written with one COPY inside one transaction (readers see all of a run or
    none), each `computed_at` the moment the data was read; an admin's on-demand run is on the
    public record. Runs are serialised by an advisory lock.
    """
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_COMPUTE_LOCK_KEY])
        started = timezone.now()
        graph = selectors.endorsement_graph()
        n = graph.n
        solved = eigentrust(n, graph.src, graph.dst, pretrusted=graph.pretrusted)
        relative = solved.trust * n
        # Rounded before ranking, so users in symmetric positions share one percentile.
        shown = percentiles(np.round(relative, 6))
        facts = selectors.attestation_facts()
        commitments = _commitment_records(n, relative, facts, graph.user_ids)
        made, due = selectors.commitments_made(graph.user_ids)
        pretrusted = np.zeros(n, dtype=np.bool_)
        pretrusted[graph.pretrusted] = True
        columns: dict[str, list[Any]] = {
            "user": graph.user_ids.tolist(),
            "trust": solved.trust.tolist(),
            "relative": relative.tolist(),
            "percentile": shown.tolist(),
            "endorsed_by": np.bincount(graph.dst, minlength=n).tolist(),
            "endorses": np.bincount(graph.src, minlength=n).tolist(),
            "pretrusted": pretrusted.tolist(),
            "made": made.tolist(),
            "due": due.tolist(),
            "processes": selectors.processes_taken_part(graph.user_ids).tolist(),
            "days": selectors.account_ages(graph.user_ids).tolist(),
            **{name: values.tolist() for name, values in commitments.items()},
        }
        computation = TrustComputation.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            trigger=trigger,
            actor=actor,
            users=n,
            endorsements=int(graph.src.size),
            pretrusted=int(graph.pretrusted.size),
            attestations=int(facts.shape[0]),
            alpha=ALPHA,
            iterations=solved.iterations,
            delta=solved.delta if np.isfinite(solved.delta) else 0.0,
            converged=solved.converged,
        )
        _write_scores(computation, started, columns)
        computation.finished_at = timezone.now()
        computation.save(update_fields=["finished_at"])
        if actor is not None:
            audit_append(
                actor=actor,
                action="trust.recompute",
                obj=computation,
                process=None,
                data={
                    "users": n,
                    "endorsements": computation.endorsements,
                    "iterations": solved.iterations,
                    "converged": solved.converged,
                },
            )
    return computation


def _write_scores(
    computation: TrustComputation, at: datetime, columns: dict[str, list[Any]]
) -> None:
    """Store one TrustScore per user with a single COPY of plain numbers.

    Hand-written because bulk_create spends most of its time building 100,000 INSERT rows; the
    figures are typed columns, so PostgreSQL parses numbers, not JSON documents (docs/design.md §9).
    """
    names = list(_SCORE_COLUMNS)
    statement = (
        f"COPY {TrustScore._meta.db_table} (computation_id, computed_at, {', '.join(names)})"
        " FROM STDIN"
    )
    figures = [columns[_SCORE_COLUMNS[name]] for name in names]
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in zip(*figures, strict=True):
            copy.write_row((computation.pk, at, *row))


def trust_history_prune(*, now: datetime | None = None) -> int:
    """Delete the scores of computations that retention no longer keeps (trust/retention.py:
    the latest, the last TRUST_HISTORY_DAYS days one a day, then one a month for
    TRUST_HISTORY_MONTHS months); returns how many scores were deleted. The computations
    themselves stay listed, with their global figures."""
    kept = kept_computations(
        TrustComputation.objects.values_list("pk", "started_at"),
        now=now or timezone.now(),
        days=settings.TRUST_HISTORY_DAYS,
        months=settings.TRUST_HISTORY_MONTHS,
    )
    deleted, _by_model = TrustScore.objects.exclude(computation_id__in=kept).delete()
    return deleted
