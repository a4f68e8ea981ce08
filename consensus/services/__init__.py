"""Every write of consensus, one module per entity (rounds, ballots, objections, outcomes,
challenges), each a `<entity>_<verb>` service.

This package's public surface is the list below: callers write `from consensus import services`
and `services.ballot_cast(...)`; the modules are how it is kept, not what callers name.
"""

from consensus.services.ballots import SUSPENDED_BALLOT, ballot_cast, ballot_exclude
from consensus.services.challenges import (
    challenge_answer,
    challenge_create,
    minority_statement_add,
)
from consensus.services.objections import (
    objection_accommodate,
    objection_acknowledge,
    objection_address,
    objection_answer_carried,
    objection_withdraw,
)
from consensus.services.outcomes import (
    compute_pending_outcomes,
    outcome_compute,
    outcome_declare,
    round_figures,
)
from consensus.services.rounds import (
    PARAMETER_FIELDS,
    announced_if_soon,
    close_due_rounds,
    round_close,
    round_create,
    round_open,
    rounds_remind_closing,
)

__all__ = [
    "PARAMETER_FIELDS",
    "SUSPENDED_BALLOT",
    "announced_if_soon",
    "ballot_cast",
    "ballot_exclude",
    "challenge_answer",
    "challenge_create",
    "close_due_rounds",
    "compute_pending_outcomes",
    "minority_statement_add",
    "objection_accommodate",
    "objection_acknowledge",
    "objection_address",
    "objection_answer_carried",
    "objection_withdraw",
    "outcome_compute",
    "outcome_declare",
    "round_close",
    "round_create",
    "round_figures",
    "round_open",
    "rounds_remind_closing",
]
