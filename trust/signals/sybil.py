"""The Sybil-suspicion signal: much activity with very little trust."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from trust.eigentrust import percentiles
from trust.signals.facts import SYBIL, SignalResult

SYBIL_DECILE = 0.1


# EigenTrust values of structurally equal accounts may differ in the last bits; trust sums to 1,
# so rounding to 1e-12 merges them without merging any two accounts a person could tell apart.
TRUST_TIE_DECIMALS = 12


def sybil_suspicion(trust: Mapping[int, float], activity: Mapping[int, int]) -> list[SignalResult]:
    """Flag accounts in the lowest endorsement-trust decile whose activity is above the median.

    Before: ``trust`` maps every account considered to its endorsement trust (finite, >= 0, as
    EigenTrust gives); ``activity`` maps accounts to a count of contributions (missing means 0;
    accounts absent from ``trust`` are ignored). Else ValueError.

    Ties: values equal after rounding to TRUST_TIE_DECIMALS are one value. An account is in the
    lowest decile when the number of accounts with trust at or below its own is at most
    ``floor(n / 10)``. A tie that straddles that cut is wholly outside the decile: when many
    accounts share the lowest value (new accounts nobody has endorsed yet), trust says nothing
    about which of them is lower, so none is singled out. Below 10 accounts there is no decile.
    Activity must be strictly above the median of all considered accounts.

    After: one result per account of ``trust``, in user order, ``score = 1 - at_or_below / n``
    (the share of accounts with strictly more trust; higher is more suspicious). Evidence:
    ``trust``, ``trust_percentile`` (the mid-rank percentile the trust page shows), ``at_or_below``,
    ``decile_size``, ``in_lowest_decile``, ``activity``, ``median_activity``.
    """
    users = sorted(trust)
    if not users:
        return []
    values = np.array([trust[user] for user in users], dtype=np.float64)
    if not bool(np.all(np.isfinite(values))) or bool(np.any(values < 0)):
        msg = "trust values must be finite and non-negative"
        raise ValueError(msg)
    acts = np.array([activity.get(user, 0) for user in users], dtype=np.int64)
    if bool(np.any(acts < 0)):
        msg = "activity counts must be non-negative"
        raise ValueError(msg)
    merged = np.round(values, TRUST_TIE_DECIMALS)
    n = merged.size
    at_or_below = np.searchsorted(np.sort(merged), merged, side="right")
    decile = math.floor(n * SYBIL_DECILE + 1e-9)
    in_decile = at_or_below <= decile
    median = float(np.median(acts))
    shown = percentiles(merged)
    return [
        SignalResult(
            user=user,
            kind=SYBIL,
            score=1.0 - int(at_or_below[i]) / n,
            flagged=bool(in_decile[i]) and int(acts[i]) > median,
            evidence={
                "trust": float(values[i]),
                "trust_percentile": float(shown[i]),
                "at_or_below": int(at_or_below[i]),
                "decile_size": decile,
                "in_lowest_decile": bool(in_decile[i]),
                "activity": int(acts[i]),
                "median_activity": median,
            },
        )
        for i, user in enumerate(users)
    ]
