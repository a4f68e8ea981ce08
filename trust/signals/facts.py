"""The facts every signal reads (ballots, rounds), what a signal finds, and their shared helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from typing import Any

import numpy as np

OBSTRUCTION = "obstruction"
COORDINATION = "coordination"
SYBIL = "sybil"
FLAGS = "flags"
POSITIONS = ("support", "accept", "abstain", "object")
OBJECTION_STATES = ("open", "addressed", "accommodated", "withdrawn")
POSITION_CODE = {name: code for code, name in enumerate(POSITIONS)}


# Upper bound on the entries of one sparse product or pair list held at once.
CHUNK = 4_000_000
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class BallotFact:
    """A user's current ballot in one round, as the trust service reads it from the database.

    ``group`` is the stakeholder group of the hat worn. ``objection_state`` and ``objection_text``
    describe the Objection an ``object`` ballot opened (a missing state reads as ``open``); they are
    ignored on other positions.

    After construction: ``position`` is one of POSITIONS and ``objection_state`` is None or one of
    OBJECTION_STATES, else ValueError.
    """

    user: int
    round: int
    group: str
    position: str
    cast_at: datetime
    objection_state: str | None = None
    objection_text: str | None = None

    def __post_init__(self) -> None:
        """Check the position and the objection state against their vocabularies."""
        if self.position not in POSITION_CODE:
            msg = f"position must be one of {POSITIONS}, got {self.position!r}"
            raise ValueError(msg)
        if self.objection_state is not None and self.objection_state not in OBJECTION_STATES:
            msg = f"objection_state must be None or one of {OBJECTION_STATES}, got "
            msg += repr(self.objection_state)
            raise ValueError(msg)


@dataclass(frozen=True)
class RoundFact:
    """A closed round: its id, the process's ``group_support_min`` and when it closed."""

    round: int
    group_support_min: float
    closed_at: datetime


@dataclass(frozen=True)
class SignalResult:
    """One advisory signal about one user.

    ``score`` is the signal's figure (higher is more suspicious; see each function), ``flagged``
    says whether it reaches the signal's threshold, and ``evidence`` holds what an admin needs to
    judge it, built only from str, int, float, bool, None, lists and dicts with str keys, so that
    it survives a JSON round trip unchanged.
    """

    user: int
    kind: str
    score: float
    flagged: bool
    evidence: dict[str, Any] = field(hash=False)


def text_tokens(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def jaccard(a: str, b: str) -> float:
    """Return the Jaccard similarity of the lowercase word-token sets of ``a`` and ``b``.

    Tokens are runs of Unicode word characters (``\\w+``) after ``str.lower``; punctuation, case,
    order and repetition do not matter. After: the result lies in [0, 1]; it is 1 for texts with
    the same non-empty token set and 0 when either text has no token at all (an empty text repeats
    nothing).
    """
    ta, tb = text_tokens(a), text_tokens(b)
    union = len(ta | tb)
    return len(ta & tb) / union if union else 0.0


def ratio(value: float) -> tuple[int, int]:
    """Return a threshold as the exact fraction of its decimal reading (0.95 means 19/20)."""
    exact = Fraction(repr(float(value)))
    return exact.numerator, exact.denominator


def check_one_ballot_per_user_round(users: np.ndarray, rounds: np.ndarray, n_rounds: int) -> None:
    keys = np.sort(users * np.int64(n_rounds) + rounds)
    if keys.size > 1 and bool(np.any(keys[1:] == keys[:-1])):
        msg = "ballots must hold one current ballot per (user, round)"
        raise ValueError(msg)
