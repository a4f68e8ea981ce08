"""Who may do what with statement polls; registered in the one rule set (docs/design.md §8.5)."""

from typing import Any

import rules

from consensus.polls.models import Poll, Statement
from deliberation.rules import can_view, facilitates, participates, process_is_open
from stakeholders.models import User
from stakeholders.rules import is_admin, may_act


def poll_of(obj: Any) -> Poll | None:
    if isinstance(obj, Poll):
        return obj
    if isinstance(obj, Statement):
        return obj.poll
    return None


@rules.predicate
def poll_is_open(user: User, obj: Any) -> bool:
    poll = poll_of(obj)
    return poll is not None and poll.is_open


runs_it = may_act & facilitates

rules.add_perm("consensus.view_poll", can_view)
rules.add_perm("consensus.add_poll", runs_it & process_is_open)
rules.add_perm("consensus.close_poll", runs_it & poll_is_open)
rules.add_perm("consensus.import_poll", runs_it & process_is_open)
rules.add_perm("consensus.submit_statement", may_act & (participates | facilitates) & poll_is_open)
rules.add_perm("consensus.moderate_statement", runs_it)
# Whether the poll and statement take the vote is the service's answer (409), not a permission.
rules.add_perm("consensus.vote_statement", may_act & participates)
rules.add_perm("consensus.see_poll_authors", runs_it | is_admin)
