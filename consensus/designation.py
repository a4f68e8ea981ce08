"""The rough-consensus tally of a round and its suggested designation (docs/design.md §3)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

__all__ = [
    "DEFAULT_PARAMS",
    "Counts",
    "Designation",
    "GroupResult",
    "Params",
    "Tally",
    "lower_than",
    "smoothed_support",
    "tally",
]


def smoothed_support(s: int, n: int) -> float:
    """Return the smoothed support ``(s + 1) / (n + 2)`` of ``s`` supporters among ``n`` ballots.

    Before: ``0 <= s <= n``, else ValueError.
    After: the result lies strictly between 0 and 1, and is 1/2 when ``n == 0``.
    """
    return float(_smoothed(s, n))


def _smoothed(s: int, n: int) -> Fraction:
    if s < 0 or n < s:
        msg = f"need 0 <= s <= n, got s={s}, n={n}"
        raise ValueError(msg)
    return Fraction(s + 1, n + 2)


class Designation(StrEnum):
    """The suggested designation of a round, from the highest to the lowest."""

    FULL_CONSENSUS = "full_consensus"
    CONSENSUS = "consensus"
    STRONG_SUPPORT = "strong_support"
    DIVERGENCE = "divergence"

    @property
    def rank(self) -> int:
        """How high the designation stands: Full consensus 3, down to Divergence 0."""
        return _RANK[self]


_RANK: dict[Designation, int] = {
    Designation.FULL_CONSENSUS: 3,
    Designation.CONSENSUS: 2,
    Designation.STRONG_SUPPORT: 1,
    Designation.DIVERGENCE: 0,
}


def lower_than(a: Designation, b: Designation) -> bool:
    """Say whether designation ``a`` is strictly lower than ``b``.

    Used to say that the same rule over regions (or over developing/developed economies) gives a
    lower designation than over stakeholder groups.
    """
    return a.rank < b.rank


def _exact(threshold: float) -> Fraction:
    # A threshold such as 0.6 means the decimal 3/5, not the nearest binary double; reading it back
    # from its shortest repr keeps the spec's boundary cases (X_share = 6/30 <= 0.2) exact.
    return Fraction(repr(threshold))


@dataclass(frozen=True)
class Params:
    """Per-process consensus parameters (docs/design.md §3), with the spec's defaults."""

    quorum_per_group: int = 1
    group_support_min: float = 0.6
    minority_max_share: float = 0.2
    strong_support_mean: float = 0.6

    def __post_init__(self) -> None:
        """After: ``quorum_per_group >= 0`` and the three thresholds lie in ``[0, 1]``."""
        if self.quorum_per_group < 0:
            msg = f"quorum_per_group must be >= 0, got {self.quorum_per_group}"
            raise ValueError(msg)
        for name in ("group_support_min", "minority_max_share", "strong_support_mean"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:  # also rejects NaN
                msg = f"{name} must lie in [0, 1], got {value}"
                raise ValueError(msg)


DEFAULT_PARAMS = Params()


@dataclass(frozen=True)
class Counts:
    """The eligible ballots of one category, by position."""

    support: int = 0
    accept: int = 0
    abstain: int = 0
    object: int = 0

    def __post_init__(self) -> None:
        """After: every count is a non-negative int."""
        for name in ("support", "accept", "abstain", "object"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                msg = f"{name} must be a non-negative int, got {value!r}"
                raise ValueError(msg)

    @property
    def s(self) -> int:
        """Ballots that can live with the text: ``support + accept``."""
        return self.support + self.accept

    @property
    def n(self) -> int:
        """Non-abstaining ballots: ``s + object``."""
        return self.s + self.object


@dataclass(frozen=True)
class GroupResult:
    """One category's counts and smoothed support ``p`` (None without a non-abstaining ballot)."""

    support: int
    accept: int
    abstain: int
    object: int
    p: float | None

    @property
    def s(self) -> int:
        """``support + accept``."""
        return self.support + self.accept

    @property
    def n(self) -> int:
        """Non-abstaining ballots: ``s + object``."""
        return self.s + self.object


@dataclass(frozen=True)
class Tally:
    """Every figure behind a suggested designation (docs/design.md §3).

    ``s_mean``, ``s_min``, ``gic`` and ``gic_geo`` are taken over the categories with at least one
    non-abstaining ballot and are None when there is none.
    """

    groups: dict[str, GroupResult]
    quorum_met: bool
    s_mean: float | None
    s_min: float | None
    gic: float | None
    gic_geo: float | None
    objections: int
    x_share: float
    open_objections: int
    designation: Designation


def tally(
    counts: Mapping[str, Counts],
    *,
    expected: Sequence[str],
    open_objections: int,
    params: Params = DEFAULT_PARAMS,
) -> Tally:
    """Tally the ballots of a round per category and suggest its designation.

    The categories are stakeholder groups, regions or developing/developed economies alike: the rule
    does not care which.

    Before: ``counts`` maps each category to its eligible ballots (a category may be missing when it
    cast none); ``expected`` lists the categories the process expects (duplicates are ignored);
    ``open_objections >= 0``, else ValueError. Open objections may outnumber the objecting
    ballots: an objection carried from the previous round stays open in the register until it is
    answered, even when its author casts no ballot in this round.

    After: ``groups`` holds every expected category, in the order given, then every other category
    of ``counts`` in sorted order. Quorum holds when every expected category has at least
    ``params.quorum_per_group`` non-abstaining ballots (vacuously when nothing is expected). The
    designation is the first of docs/design.md §3's rules that matches, except that Full consensus
    also needs at least one non-abstaining ballot, so that a round nobody voted in is never Full
    consensus, and no open objection, so that an unanswered carried objection is never passed over
    (RFC 7282: the open issue, not the count, is determinative).
    Threshold comparisons are exact in rational arithmetic, so boundary cases fall as the spec says.
    """
    _check_inputs(counts, open_objections)
    groups, supports = _group_results(counts, _category_order(counts, expected))
    objections = sum(g.object for g in groups.values())
    total_n = sum(g.n for g in groups.values())
    quorum_met = all(groups[g].n >= params.quorum_per_group for g in dict.fromkeys(expected))
    x_share = Fraction(objections, total_n) if total_n else Fraction(0)
    summary = _summarise(supports)
    designation = _designate(
        summary,
        quorum_met=quorum_met,
        objections=objections,
        open_objections=open_objections,
        total_n=total_n,
        x_share=x_share,
        params=params,
    )
    return Tally(
        groups=groups,
        quorum_met=quorum_met,
        s_mean=None if summary.s_mean is None else float(summary.s_mean),
        s_min=None if summary.s_min is None else float(summary.s_min),
        gic=None if summary.gic is None else float(summary.gic),
        gic_geo=summary.gic_geo,
        objections=objections,
        x_share=float(x_share),
        open_objections=open_objections,
        designation=designation,
    )


def _check_inputs(counts: Mapping[str, Counts], open_objections: int) -> None:
    """TypeError unless every value is Counts and `open_objections` an int; ValueError if < 0."""
    for category, value in counts.items():
        if not isinstance(value, Counts):
            msg = f"counts[{category!r}] must be Counts, got {type(value).__name__}"
            raise TypeError(msg)
    if isinstance(open_objections, bool) or not isinstance(open_objections, int):
        msg = f"open_objections must be an int, got {open_objections!r}"
        raise TypeError(msg)
    if open_objections < 0:
        msg = f"open_objections must not be negative, got {open_objections}"
        raise ValueError(msg)


def _category_order(counts: Mapping[str, Counts], expected: Sequence[str]) -> list[str]:
    """The expected categories in the order given, then the others of `counts`, sorted."""
    order = list(dict.fromkeys(expected))
    return order + sorted(set(counts) - set(order))


def _group_results(
    counts: Mapping[str, Counts], order: Sequence[str]
) -> tuple[dict[str, GroupResult], list[Fraction]]:
    """Each category's result (a missing one cast nothing), and the smoothed support of those
    with a non-abstaining ballot, exactly."""
    groups: dict[str, GroupResult] = {}
    supports: list[Fraction] = []
    for category in order:
        c = counts.get(category, Counts())
        p = _smoothed(c.s, c.n) if c.n > 0 else None
        if p is not None:
            supports.append(p)
        groups[category] = GroupResult(
            support=c.support,
            accept=c.accept,
            abstain=c.abstain,
            object=c.object,
            p=None if p is None else float(p),
        )
    return groups, supports


@dataclass(frozen=True)
class _Summary:
    """The mean, minimum, product and geometric mean of the groups' smoothed supports."""

    s_mean: Fraction | None = None
    s_min: Fraction | None = None
    gic: Fraction | None = None
    gic_geo: float | None = None


def _summarise(supports: Sequence[Fraction]) -> _Summary:
    if not supports:
        return _Summary()
    return _Summary(
        s_mean=sum(supports, Fraction(0)) / len(supports),
        s_min=min(supports),
        gic=math.prod(supports, start=Fraction(1)),
        # exp of the mean log rather than gic ** (1/|G|): no underflow for many groups, and fsum
        # makes the result independent of the order of the groups.
        gic_geo=math.exp(math.fsum(math.log(p) for p in supports) / len(supports)),
    )


def _designate(
    summary: _Summary,
    *,
    quorum_met: bool,
    objections: int,
    open_objections: int,
    total_n: int,
    x_share: Fraction,
    params: Params,
) -> Designation:
    """The first of docs/design.md §3's rules that matches."""
    if quorum_met and objections == 0 and open_objections == 0 and total_n > 0:
        return Designation.FULL_CONSENSUS
    if (
        quorum_met
        and open_objections == 0
        and summary.s_min is not None
        and summary.s_min >= _exact(params.group_support_min)
        and x_share <= _exact(params.minority_max_share)
    ):
        return Designation.CONSENSUS
    if summary.s_mean is not None and summary.s_mean >= _exact(params.strong_support_mean):
        return Designation.STRONG_SUPPORT
    return Designation.DIVERGENCE
