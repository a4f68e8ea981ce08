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
    "Objection",
    "ObjectionState",
    "Outcome",
    "Position",
    "Round",
    "RoundQuerySet",
    "RoundStatus",
    "SnapshotTrigger",
    "SupportKind",
    "SupportRequest",
    "SupportStatus",
]
