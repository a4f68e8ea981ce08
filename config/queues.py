"""Which Celery queue each task goes to: `interactive` (people wait for it) or `heavy` (batch work).

Routed by the task's name, so that tasks added later fall in line without being listed: a nightly
trust recomputation or an opinion map never delays a round's close or a notification e-mail,
because separate workers consume the two queues (Procfile, docker-compose.yml). A name that no
pattern matches goes to `heavy`, where nothing waits on it; tests/config/test_queues.py asserts
that every registered task is routed by a pattern, so a new task is a deliberate choice.
"""

from fnmatch import fnmatchcase
from typing import Any

INTERACTIVE = "interactive"
HEAVY = "heavy"
QUEUES = (INTERACTIVE, HEAVY)

# First match wins: the heavy patterns are tried first, so `consensus.polls.*` is heavy even
# though other consensus work is interactive.
HEAVY_PATTERNS = (
    "trust.compute_*",  # EigenTrust over everyone, the bad-actor signals
    "trust.prune_*",
    "*.polls.*",  # statement polls' opinion maps (consensus.polls)
    "*opinion*",
    "*poll*",
    "consensus.snapshot_*",  # participation balance over every contribution
    "consensus.prune_*",
    "record.*",  # verifying the whole chain, publishing its head
    "*open_data*",  # building the open-data exports
)
INTERACTIVE_PATTERNS = (
    "stakeholders.*",  # notification e-mail
    "consensus.close_*",  # rounds past their deadline
    "consensus.compute_outcome*",  # a closed round's result, awaited by its participants
    "consensus.send_*",  # reminders before a round's deadline
    "trust.invite_*",  # invitations to attest a commitment
    "deliberation.send_*invitations",  # invitations to a process, awaited by the invitee
    "deliberation.*",
)


def queue_for(name: str) -> str | None:
    """The queue a task of this name is routed to, or None if no pattern names it."""
    for patterns, queue in ((HEAVY_PATTERNS, HEAVY), (INTERACTIVE_PATTERNS, INTERACTIVE)):
        if any(fnmatchcase(name, pattern) for pattern in patterns):
            return queue
    return None


def route(name: str, args: Any, kwargs: Any, options: Any, task: Any = None, **kw: Any) -> dict:
    """Celery's router (CELERY_TASK_ROUTES): the task's queue by its name."""
    return {"queue": queue_for(name) or HEAVY}
