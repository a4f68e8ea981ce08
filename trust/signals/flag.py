"""The flags signal: reports weighed by their reporters' trust."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from trust.signals.facts import FLAGS, SignalResult

# Three reports from accounts of average endorsement trust (see flag_weight): one report, however
# angry, is not a signal; a reporter with three times the average trust alone is.
FLAG_THRESHOLD = 3.0


# The weights are sums of floats; a total that is 3 up to rounding is 3.
_FLAG_RELATIVE_SLACK = 1e-9


def _checked_trusts(values: Iterable[float]) -> np.ndarray:
    array = np.asarray(list(values), dtype=np.float64)
    if not bool(np.all(np.isfinite(array))) or bool(np.any(array < 0)):
        msg = "reporter trusts must be finite and non-negative"
        raise ValueError(msg)
    return array


def flag_weight(reporter_trusts: Sequence[float], *, population: int) -> float:
    """Return the weight of flags from reporters with these endorsement trusts.

    Before: one trust per distinct reporter, each finite and >= 0; ``population >= 1`` is the
    number of accounts the trust was computed over. Else ValueError.

    After: ``Σ trust · population``. EigenTrust sums to 1, so an average account holds
    ``1 / population`` and its flag weighs exactly 1; the weight reads as "so many average
    accounts' flags", and a ring of accounts nobody trusts adds next to nothing.
    """
    if population < 1:
        msg = f"population must be >= 1, got {population}"
        raise ValueError(msg)
    return math.fsum(_checked_trusts(reporter_trusts).tolist()) * population


def flags(
    reports: Mapping[int, Sequence[float]],
    *,
    population: int,
    threshold: float = FLAG_THRESHOLD,
) -> list[SignalResult]:
    """Weigh the flags against each reported user by their reporters' endorsement trust.

    Before: ``reports`` maps a reported user to the trusts of its distinct reporters; the rest as
    for flag_weight. After: one result per reported user, in user order, ``score`` = the weight
    (in average-account flags), ``flagged`` when it reaches ``threshold`` (default
    FLAG_THRESHOLD = 3, up to a relative 1e-9 for rounding). Evidence: ``reports`` (count),
    ``weight``, ``reporter_weights`` (each reporter's weight, largest first, so one heavy reporter
    shows), ``threshold``, ``population``.
    """
    results: list[SignalResult] = []
    for user in sorted(reports):
        trusts = _checked_trusts(reports[user])
        weight = flag_weight(trusts.tolist(), population=population)
        results.append(
            SignalResult(
                user=user,
                kind=FLAGS,
                score=weight,
                flagged=weight >= threshold * (1.0 - _FLAG_RELATIVE_SLACK),
                evidence={
                    "reports": int(trusts.size),
                    "weight": weight,
                    "reporter_weights": sorted((trusts * population).tolist(), reverse=True),
                    "threshold": threshold,
                    "population": population,
                },
            )
        )
    return results
