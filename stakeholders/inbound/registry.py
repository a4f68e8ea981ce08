"""What higher floors plug into inbound mail: who handles a reply of each purpose, and which
thread a notification belongs to. Filled by their AppConfig.ready(), so this floor imports none."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stakeholders.models import Notification, User


@dataclass(frozen=True)
class Thread:
    """Where a notification's replies go: a purpose ('comment', 'round', …) and its target's id;
    the issue it belongs to (its mail thread); words to add to the e-mail (how to reply)."""

    purpose: str
    target_id: int
    issue_id: int | None = None
    instructions: str = ""


@dataclass(frozen=True)
class Incoming:
    """A usable reply, handed to the handler of its purpose."""

    inbound_id: int
    user: "User"
    target_id: int
    text: str
    authenticated: bool


@dataclass(frozen=True)
class Answer:
    """What a handler did: a summary kept with the message, and an e-mail to the sender, if any."""

    summary: str
    subject: str = ""
    body: str = ""


class Refused(Exception):  # noqa: N818 - a refusal is an expected answer, not an error
    """The message cannot be used; `reason` is told to the sender, in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Handler = Callable[[Incoming], Answer]
ThreadResolver = Callable[[Sequence["Notification"]], dict[int, Thread]]

_handlers: dict[str, Handler] = {}
_resolvers: list[ThreadResolver] = []


def register_handler(purpose: str, handler: Handler) -> None:
    _handlers[purpose] = handler


def handler(purpose: str) -> Handler | None:
    return _handlers.get(purpose)


def register_threads(resolver: ThreadResolver) -> None:
    if resolver not in _resolvers:
        _resolvers.append(resolver)


def threads(notifications: Sequence["Notification"]) -> dict[int, Thread]:
    """Each notification's thread (by notification id), for those a registered resolver knows."""
    found: dict[int, Thread] = {}
    for resolver in _resolvers:
        for pk, thread in resolver(notifications).items():
            found.setdefault(pk, thread)
    return found
