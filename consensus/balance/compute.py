"""Participation balance along one dimension, and the priority of support requests (docs/design.md
§4)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

import numpy as np
from scipy.special import entr

__all__ = [
    "SUPPRESSED",
    "Alert",
    "AlertKind",
    "CategoryBalance",
    "CategoryCount",
    "DimensionBalance",
    "dimension_balance",
    "order_support_queue",
    "support_priority",
]

SUPPRESSED = "_suppressed"
"""The bucket that holds, together, every category under the people floor."""

UNDER_REPRESENTED_RATIO = 0.5
RATIO_FLOOR = 0.05

T = TypeVar("T")


@dataclass(frozen=True)
class CategoryCount:
    """Contributions (comments, ballots, proposal versions) and distinct participants."""

    contributions: int
    participants: int

    def __post_init__(self) -> None:
        """After: both counts are non-negative ints."""
        for name in ("contributions", "participants"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                msg = f"{name} must be a non-negative int, got {value!r}"
                raise ValueError(msg)


@dataclass(frozen=True)
class CategoryBalance:
    """A reported category: its counts, its share of contributions and its representation ratio."""

    contributions: int
    participants: int
    share: float
    ratio: float


class AlertKind(StrEnum):
    """Why a category needs a facilitator's attention."""

    ABSENT = "absent"
    DOMINANT = "dominant"
    UNDER_REPRESENTED = "under_represented"


@dataclass(frozen=True)
class Alert:
    """One alert about one reported category."""

    kind: AlertKind
    category: str


@dataclass(frozen=True)
class DimensionBalance:
    """The balance of one dimension.

    ``index`` is None when no reported category has a contribution. ``suppressed`` names the
    expected categories that are not reported individually because they are under the people floor.
    """

    index: float | None
    categories: dict[str, CategoryBalance]
    alerts: tuple[Alert, ...]
    suppressed: tuple[str, ...] = ()


def dimension_balance(
    counts: Mapping[str, CategoryCount],
    *,
    expected: Sequence[str],
    dominance_share: float = 0.5,
    min_people: int = 0,
) -> DimensionBalance:
    """Measure how evenly contributions spread over the categories of one dimension.

    Before: ``counts`` maps categories to their counts (a category may be missing when nobody in
    it took part); ``expected`` lists the categories the process expects;
    ``0 <= dominance_share <= 1``; ``min_people >= 0``; no category is named ``SUPPRESSED``.
    Otherwise ValueError.

    After, without a people floor (``min_people <= 1``; an empty category reveals nobody): K is the
    expected categories (in the order given) and every other category with a participant or a
    contribution (sorted). Shares ``w_k`` are over all contributions; ``index = H(w) / ln|K|``, with
    empty categories counting as ``w_k = 0``, 1.0 when ``|K| = 1``, and None without contributions;
    ``ratio = w_k * |K|``. Alerts, in category order: ABSENT for an expected category without a
    participant, DOMINANT for a share above ``dominance_share``, UNDER_REPRESENTED for
    ``ratio < 0.5`` in a category with participants (the last two only when there are
    contributions to share).

    With a people floor (``min_people >= 2``, the gender rule of docs/design.md §2), nothing
    returned depends
    on the people of a category under the floor, except together with others, as follows:

    - a category is reported individually only if it holds at least ``min_people`` participants;
    - every other category, expected or not, empty or not, goes into one bucket ``SUPPRESSED``,
      reported as a category only if the bucket itself holds at least ``min_people`` people; names
      of unexpected categories under the floor never appear anywhere;
    - when the bucket is under the floor too, its contributions are left out of the shares, the
      index and the ratios entirely: shares are over the reported contributions, because a share
      over a total that included them would reveal them by subtraction, and so would an index;
    - K is the reported categories (the bucket among them when reported); when the bucket is
      dropped, each expected category not reported still counts in K with ``w_k = 0``, as an empty
      category does without a floor. Both depend on public facts only, so |K| never reveals that an
      unexpected category exists;
    - no ABSENT alert is raised for a suppressed category, since it would tell 0 people from 1 to
      ``min_people - 1``; ``suppressed`` lists the expected categories not reported, which a page
      can show as "fewer than ``min_people``".

    The floor protects what this function returns; an exact total of participants published beside
    it (for instance from another dimension over the same window) still bounds the bucket by
    difference, and callers must not publish such totals next to a floored dimension.
    """
    _validate(counts, expected=expected, dominance_share=dominance_share, min_people=min_people)
    expected_order = list(dict.fromkeys(expected))
    observed = sorted(
        c
        for c, v in counts.items()
        if c not in expected_order and (v.contributions or v.participants)
    )
    empty = CategoryCount(contributions=0, participants=0)
    universe = {c: counts.get(c, empty) for c in expected_order + observed}
    reported, suppressed, empty_slots = _apply_floor(universe, expected_order, min_people)

    k = len(reported) + empty_slots
    contributions = np.array([v.contributions for v in reported.values()], dtype=float)
    total = float(contributions.sum())
    shares = contributions / total if total > 0 else np.zeros_like(contributions)

    index: float | None
    if total == 0 or (k == 1 and min_people >= 2):
        # A single category under a people floor: a 1 would say "even" beside one category
        # holding every counted contribution when others fell under the floor; and whether any
        # did must not show, so a floored dimension never reports the index of one category.
        index = None
    elif k == 1:
        index = 1.0
    else:
        # Empty slots add w = 0: nothing to H, only to ln|K|. Clipped because rounding can carry a
        # perfectly even spread a hair above 1.
        index = float(np.clip(entr(shares).sum() / math.log(k), 0.0, 1.0))

    categories = {
        category: CategoryBalance(
            contributions=value.contributions,
            participants=value.participants,
            share=share,
            ratio=share * k,
        )
        for (category, value), share in zip(reported.items(), shares.tolist(), strict=True)
    }
    alerts = tuple(
        alert
        for category, balance in categories.items()
        for alert in _alerts(
            category,
            balance,
            expected=category in expected_order,
            shared=total > 0,
            dominance_share=dominance_share,
        )
    )
    return DimensionBalance(
        index=index, categories=categories, alerts=alerts, suppressed=suppressed
    )


def _validate(
    counts: Mapping[str, CategoryCount],
    *,
    expected: Sequence[str],
    dominance_share: float,
    min_people: int,
) -> None:
    if not 0.0 <= dominance_share <= 1.0:  # also rejects NaN
        msg = f"dominance_share must lie in [0, 1], got {dominance_share}"
        raise ValueError(msg)
    if min_people < 0:
        msg = f"min_people must be >= 0, got {min_people}"
        raise ValueError(msg)
    for category, value in counts.items():
        if not isinstance(value, CategoryCount):
            msg = f"counts[{category!r}] must be CategoryCount, got {type(value).__name__}"
            raise TypeError(msg)
    if SUPPRESSED in counts or SUPPRESSED in expected:
        msg = f"{SUPPRESSED!r} is reserved for the bucket of categories under the people floor"
        raise ValueError(msg)


def _apply_floor(
    universe: dict[str, CategoryCount], expected_order: list[str], min_people: int
) -> tuple[dict[str, CategoryCount], tuple[str, ...], int]:
    """Return the reported categories, the expected ones suppressed, and the empty slots of K."""
    if min_people <= 1:
        return dict(universe), (), 0
    reported = {c: v for c, v in universe.items() if v.participants >= min_people}
    hidden = [v for c, v in universe.items() if c not in reported]
    bucket = CategoryCount(
        contributions=sum(v.contributions for v in hidden),
        participants=sum(v.participants for v in hidden),
    )
    suppressed = tuple(c for c in expected_order if c not in reported)
    if bucket.participants >= min_people:
        reported[SUPPRESSED] = bucket
        return reported, suppressed, 0
    return reported, suppressed, len(suppressed)


def _alerts(
    category: str,
    balance: CategoryBalance,
    *,
    expected: bool,
    shared: bool,
    dominance_share: float,
) -> list[Alert]:
    alerts = []
    if expected and balance.participants == 0:
        alerts.append(Alert(AlertKind.ABSENT, category))
    if shared and balance.share > dominance_share:
        alerts.append(Alert(AlertKind.DOMINANT, category))
    if shared and balance.participants > 0 and balance.ratio < UNDER_REPRESENTED_RATIO:
        alerts.append(Alert(AlertKind.UNDER_REPRESENTED, category))
    return alerts


def support_priority(*, r_group: float, r_region: float, developing: bool, unfunded: bool) -> float:
    """Return the priority of a support request: higher means more deserving.

    Before: both representation ratios are >= 0 (not NaN), else ValueError.
    After: ``1/max(r_group, 0.05) + 1/max(r_region, 0.05)``, plus 1 for a requester from a
    developing economy and 1 for an unfunded one; at most 42.
    """
    for name, ratio in (("r_group", r_group), ("r_region", r_region)):
        if not ratio >= 0.0:  # also rejects NaN
            msg = f"{name} must be >= 0, got {ratio}"
            raise ValueError(msg)
    return (
        1.0 / max(r_group, RATIO_FLOOR)
        + 1.0 / max(r_region, RATIO_FLOOR)
        + (1.0 if developing else 0.0)
        + (1.0 if unfunded else 0.0)
    )


def order_support_queue(items: Sequence[T], key: Callable[[T], tuple[float, datetime]]) -> list[T]:
    """Order support requests for the facilitators' queue.

    Before: ``key(item)`` returns ``(priority, requested_at)``, with mutually comparable datetimes.
    After: highest priority first; equal priorities by earlier request date; items equal on both
    keep their given order. ``key`` is called once per item.
    """
    keyed = [(key(item), position, item) for position, item in enumerate(items)]
    keyed.sort(key=lambda entry: (-entry[0][0], entry[0][1], entry[1]))
    return [item for _, _, item in keyed]
