"""Every write of statement polls: open and close, statements and moderation, votes, the map."""

import logging
import math

from celery import current_app
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consensus.polls import opinion, selectors
from consensus.polls.models import (
    Moderation,
    OpinionMapResult,
    Poll,
    PollAttribution,
    PollParticipant,
    PollStatus,
    Statement,
    Vote,
)
from deliberation.models import Process
from deliberation.services import participation_hat
from record.services import audit_append
from stakeholders.models import User
from web.errors import StateConflict

logger = logging.getLogger(__name__)

RECOMPUTE_SECONDS = 60  # a poll's map is recomputed at most once a minute while votes arrive
RECOMPUTE_TASK = "consensus.compute_poll"
STATEMENT_MAX = 1000
VOTE_VALUES = (-1, 0, 1)


def _clean_text(text: str, field: str = "text") -> str:
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError({field: _("Write the statement.")})
    if len(text) > STATEMENT_MAX:
        raise ValidationError({field: _("A statement has at most 1,000 characters.")})
    return text


def _locked(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().select_related("process").get(pk=poll.pk)


def participant_for(*, actor: User, poll: Poll) -> PollParticipant:
    """The actor's participant row in the poll, made on their first contribution with the
    group and region of the hat they wear in the process (copied, as ballots copy them)."""
    found = PollParticipant.objects.filter(poll=poll, user=actor).first()
    if found is not None:
        return found
    hat = participation_hat(actor=actor, process=poll.process, affiliation=None)
    participant, _created = PollParticipant.objects.get_or_create(
        poll=poll,
        user=actor,
        defaults={
            "stakeholder_group": hat.stakeholder_group,
            "region": actor.region or "",
            "developing": actor.developing,
        },
    )
    return participant


@transaction.atomic
def poll_open(
    *,
    actor: User,
    process: Process,
    title: str,
    description: str = "",
    seed_statements: list[str] | tuple[str, ...] = (),
    attribution: str = PollAttribution.NAMED,
) -> Poll:
    """A new open poll with the facilitator's seed statements, accepted at once."""
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Write the poll's question.")})
    if attribution not in PollAttribution.values:
        raise ValidationError({"attribution": _("Choose named or group_only.")})
    if not process.is_open:
        raise StateConflict(_("This process takes no new contributions."))
    poll = Poll.objects.create(
        process=process,
        title=title[:300],
        description=description,
        attribution=attribution,
        created_by=actor,
    )
    for text in seed_statements:
        if text.strip():
            Statement.objects.create(
                poll=poll, text=_clean_text(text), seed=True, moderated=Moderation.ACCEPTED
            )
    audit_append(
        actor=actor,
        action="poll.open",
        obj=poll,
        process=process.pk,
        data={"title": poll.title, "seeds": poll.statements.count()},
    )
    return poll


@transaction.atomic
def poll_close(*, actor: User, poll: Poll) -> Poll:
    """Close the poll: no more statements or votes. Closing twice is harmless."""
    locked = _locked(poll)
    if locked.status == PollStatus.CLOSED:
        return locked
    locked.status = PollStatus.CLOSED
    locked.save(update_fields=["status"])
    audit_append(actor=actor, action="poll.close", obj=locked, process=locked.process_id)
    recompute_soon(locked.pk)
    return locked


def _must_be_open(poll: Poll) -> None:
    if not poll.is_open or not poll.process.is_open:
        raise StateConflict(_("This poll is closed: it takes no new statements or votes."))


@transaction.atomic
def statement_submit(*, actor: User, poll: Poll, text: str) -> Statement:
    """A participant's statement, waiting for the facilitator's moderation (a facilitator's own
    statement is accepted at once)."""
    _must_be_open(poll)
    clean = _clean_text(text)
    author = participant_for(actor=actor, poll=poll)
    facilitating = actor.pk in poll.process.facilitator_ids
    statement = Statement.objects.create(
        poll=poll,
        text=clean,
        author=author,
        seed=facilitating,
        moderated=Moderation.ACCEPTED if facilitating else Moderation.PENDING,
    )
    audit_append(
        actor=actor,
        action="statement.submit",
        obj=statement,
        process=poll.process_id,
        data={"poll": poll.pk},
        veiled=poll.attribution == PollAttribution.GROUP_ONLY,
    )
    return statement


def _moderate(*, actor: User, statement: Statement, moderated: int, reason: str) -> Statement:
    locked = Statement.objects.select_for_update().select_related("poll").get(pk=statement.pk)
    if locked.moderated == moderated and locked.reason == reason:
        return locked
    locked.moderated = moderated
    locked.reason = reason
    locked.save(update_fields=["moderated", "reason"])
    Poll.objects.filter(pk=locked.poll_id).update(changed_at=timezone.now())
    audit_append(
        actor=actor,
        action="statement.accept" if moderated == Moderation.ACCEPTED else "statement.reject",
        obj=locked,
        process=locked.poll.process_id,
        data={"poll": locked.poll_id, "reason": reason},
    )
    recompute_soon(locked.poll_id)
    return locked


@transaction.atomic
def statement_accept(*, actor: User, statement: Statement) -> Statement:
    """Accept a statement: voters see it from now on."""
    return _moderate(actor=actor, statement=statement, moderated=Moderation.ACCEPTED, reason="")


@transaction.atomic
def statement_reject(*, actor: User, statement: Statement, reason: str) -> Statement:
    """Reject a statement with a written reason; it is kept (and shown as rejected), never
    deleted, and leaves the map."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the statement is rejected.")})
    return _moderate(actor=actor, statement=statement, moderated=Moderation.REJECTED, reason=reason)


@transaction.atomic
def vote_cast(*, actor: User, statement: Statement, value: int) -> tuple[Vote, bool]:
    """Agree (+1), disagree (−1) or pass (0) on an accepted statement of an open poll.

    After: a new vote row (every row is kept; the latest counts). Returns it and whether it is
    the actor's first vote on the statement.
    """
    if isinstance(value, bool) or value not in VOTE_VALUES:
        raise ValidationError({"vote": _("A vote is 1 (agree), -1 (disagree) or 0 (pass).")})
    poll = statement.poll
    _must_be_open(poll)
    if statement.moderated != Moderation.ACCEPTED:
        raise StateConflict(_("This statement is not open to votes."))
    participant = participant_for(actor=actor, poll=poll)
    first = not Vote.objects.filter(participant=participant, statement=statement).exists()
    vote = Vote.objects.create(
        poll=poll, statement=statement, participant=participant, value=int(value)
    )
    recompute_soon(poll.pk)
    return vote, first


def recompute_soon(poll_id: int) -> None:
    """After commit, queue the poll's recomputation in a minute unless one is already queued:
    at most one computation a minute while votes arrive; the beat sweep catches anything lost."""

    def queue() -> None:
        try:
            if cache.add(f"poll-recompute:{poll_id}", 1, RECOMPUTE_SECONDS):
                # By name: services never import tasks (tasks import services), and a web
                # process that has not imported the task sends it by name to the worker.
                task = current_app.tasks.get(RECOMPUTE_TASK)
                if task is None:
                    current_app.send_task(
                        RECOMPUTE_TASK, args=(poll_id,), countdown=RECOMPUTE_SECONDS, retry=False
                    )
                else:
                    task.apply_async(args=(poll_id,), countdown=RECOMPUTE_SECONDS, retry=False)
        except Exception:  # Redis or the broker is down: the sweep computes it later
            logger.warning("Could not queue the opinion map of poll %s.", poll_id)

    transaction.on_commit(queue)


def _number(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 6)


def opinion_compute(*, poll: Poll) -> OpinionMapResult:
    """Compute and store the poll's opinion map (docs/design.md §7) from its votes.

    Before: any state. After: the poll's one map row holds the figures of every vote up to
    `last_vote`; computing again without new votes gives the same figures.
    """
    data, ids = selectors.vote_data(poll)
    result = opinion.compute(data)
    participant_ids, statement_ids = data.participants, data.statements
    groups = [
        {
            "id": g,
            "members": [int(participant_ids[i]) for i in result.members[result.group == g]],
            "repness": [
                {
                    "statement": int(statement_ids[r.statement]),
                    "direction": "agree" if r.direction > 0 else "disagree",
                    "share": round(r.share, 6),
                    "ratio": round(r.ratio, 6),
                }
                for r in result.repness[g]
            ],
        }
        for g in range(result.k)
    ]
    figures = result.statements
    statements = [
        {
            "id": int(statement_ids[j]),
            "gic_opinion": _number(figures.gic_opinion[j]),
            "gic_stakeholder": _number(figures.gic_stakeholder[j]),
            "pa": _number(figures.pa[j]),
            "pat": _number(figures.pat[j]),
            "consensus": bool(figures.consensus[j]),
            "groups": [
                {
                    "agrees": int(result.group_agrees[g, j]),
                    "disagrees": int(result.group_disagrees[g, j]),
                    "votes": int(result.group_votes[g, j]),
                }
                for g in range(result.k)
            ],
        }
        for j in range(len(statement_ids))
    ]
    participants = [
        {
            "id": int(participant_ids[i]),
            "user": ids.users[int(participant_ids[i])],
            "external_id": ids.external[int(participant_ids[i])],
            "x": round(float(result.x[n]), 5),
            "y": round(float(result.y[n]), 5),
            "group": int(result.group[n]),
        }
        for n, i in enumerate(result.members)
    ]
    with transaction.atomic():
        stored, _created = OpinionMapResult.objects.update_or_create(
            poll=poll,
            defaults={
                "computed_at": timezone.now(),
                "last_vote": ids.last_vote,
                "figures": {
                    "groups": groups,
                    "statements": statements,
                    "participants": participants,
                },
            },
        )
    return stored


def compute_stale() -> list[int]:
    """The sweep: every poll whose votes or moderation are newer than its map; their ids."""
    done = []
    for poll in selectors.stale_polls():
        opinion_compute(poll=poll)
        done.append(poll.pk)
    return done
