"""Advisory bad-actor signals — obstruction, coordination, Sybil suspicion, flags (docs/design.md
§6), one module per signal; pure (numpy and scipy, no Django).

This package's public surface is the list below (`from trust import signals`, then
`signals.obstruction(...)`).
"""

from trust.signals.coordinate import COTIMING_P_MAX, coordination
from trust.signals.facts import (
    COORDINATION,
    FLAGS,
    OBJECTION_STATES,
    OBSTRUCTION,
    POSITIONS,
    SYBIL,
    BallotFact,
    RoundFact,
    SignalResult,
    jaccard,
)
from trust.signals.flag import FLAG_THRESHOLD, flag_weight, flags
from trust.signals.obstruct import (
    OBSTRUCTION_K_MIN,
    OBSTRUCTION_SCORE_MIN,
    REPEAT_JACCARD,
    obstruction,
)
from trust.signals.sybil import sybil_suspicion

__all__ = [
    "COORDINATION",
    "COTIMING_P_MAX",
    "FLAGS",
    "FLAG_THRESHOLD",
    "OBJECTION_STATES",
    "OBSTRUCTION",
    "OBSTRUCTION_K_MIN",
    "OBSTRUCTION_SCORE_MIN",
    "POSITIONS",
    "REPEAT_JACCARD",
    "SYBIL",
    "BallotFact",
    "RoundFact",
    "SignalResult",
    "coordination",
    "flag_weight",
    "flags",
    "jaccard",
    "obstruction",
    "sybil_suspicion",
]
