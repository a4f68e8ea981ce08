"""The models of consensus, one module per entity; this package's public surface is the list
below (`from consensus.models import Round`)."""

from consensus.models.balance import (
    BalanceSnapshot,
    SnapshotTrigger,
    SupportKind,
    SupportRequest,
    SupportStatus,
)
from consensus.models.email_ballots import EmailBallot, EmailBallotConfirmation, EmailBallotState
from consensus.models.objections import CarriedAnswer, Objection, ObjectionState
from consensus.models.outcomes import Challenge, MinorityStatement, Outcome
from consensus.models.rounds import (
    Ballot,
    BallotExclusion,
    BallotVisibility,
    IdempotencyKey,
    Position,
    Round,
    RoundQuerySet,
    RoundStatus,
)
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

__all__ = [
    "BalanceSnapshot",
    "Ballot",
    "BallotExclusion",
    "BallotVisibility",
    "CarriedAnswer",
    "Challenge",
    "EmailBallot",
    "EmailBallotConfirmation",
    "EmailBallotState",
    "IdempotencyKey",
    "MinorityStatement",
    "Moderation",
    "Objection",
    "ObjectionState",
    "OpinionMapResult",
    "Outcome",
    "Poll",
    "PollAttribution",
    "PollParticipant",
    "PollStatus",
    "Position",
    "Round",
    "RoundQuerySet",
    "RoundStatus",
    "SnapshotTrigger",
    "Statement",
    "SupportKind",
    "SupportRequest",
    "SupportStatus",
    "Vote",
]
