"""The models of trust, one module per entity; this package's public surface is the list below
(`from trust.models import Commitment`)."""

from trust.models.commitments import (
    VERDICT_VALUE,
    Attestation,
    Commitment,
    CommitmentQuerySet,
    Verdict,
)
from trust.models.endorsements import Endorsement, EndorsementQuerySet
from trust.models.moderation import (
    PRIVATE_ACTIONS,
    TIMED_ACTIONS,
    ActionKind,
    Appeal,
    AppealDecision,
    CaseStatus,
    Flag,
    FlagTarget,
    ModerationAction,
    ModerationActionQuerySet,
    ModerationCase,
)
from trust.models.scores import (
    SCORE_SECTIONS,
    TrustComputation,
    TrustComputationQuerySet,
    TrustScore,
)
from trust.models.signals import Signal, SignalKind, SignalRun, SignalRunQuerySet

__all__ = [
    "PRIVATE_ACTIONS",
    "SCORE_SECTIONS",
    "TIMED_ACTIONS",
    "VERDICT_VALUE",
    "ActionKind",
    "Appeal",
    "AppealDecision",
    "Attestation",
    "CaseStatus",
    "Commitment",
    "CommitmentQuerySet",
    "Endorsement",
    "EndorsementQuerySet",
    "Flag",
    "FlagTarget",
    "ModerationAction",
    "ModerationActionQuerySet",
    "ModerationCase",
    "Signal",
    "SignalKind",
    "SignalRun",
    "SignalRunQuerySet",
    "TrustComputation",
    "TrustComputationQuerySet",
    "TrustScore",
    "Verdict",
]
