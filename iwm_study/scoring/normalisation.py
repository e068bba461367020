"""Normalisation of a decision matrix to a benefit scale: min-max, vector, sum or max.

One pure function per normalisation in ``NORMALISERS`` (a checked ``Problem`` -> normalised
values), cost criteria inverted so that larger is better afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .problem import Problem, ScoringError, decision_problem, require

__all__ = ["NORMALISATIONS", "NORMALISERS", "normalise", "normalised"]


def _minmax(p: Problem) -> np.ndarray:
    x, cost = p.x, p.cost
    lo, hi = x.min(axis=0), x.max(axis=0)
    return np.where(cost, (hi - x) / (hi - lo), (x - lo) / (hi - lo))


def _vector(p: Problem) -> np.ndarray:
    x, cost = p.x, p.cost
    r = x / np.sqrt((x**2).sum(axis=0))
    return np.where(cost, 1.0 - r, r)


def _sum(p: Problem) -> np.ndarray:
    x, cost = p.x, p.cost
    require((x > 0) | ~cost, p, "sum normalisation of a cost criterion needs values > 0.")
    require(x >= 0, p, "sum normalisation needs values >= 0.")
    # 1/x only where the criterion is a cost (benefit columns may hold zeros)
    inverse = 1.0 / np.where(cost, x, 1.0)
    return np.where(cost, inverse / inverse.sum(axis=0), x / x.sum(axis=0))


def _max(p: Problem) -> np.ndarray:
    x, cost = p.x, p.cost
    require(x >= 0, p, "max normalisation needs values >= 0.")
    r = x / x.max(axis=0)
    return np.where(cost, 1.0 - r, r)


#: Each normalisation: a checked problem -> its values on a benefit scale (see ``normalise``).
NORMALISERS: dict[str, Callable[[Problem], np.ndarray]] = {
    "minmax": _minmax,
    "vector": _vector,
    "sum": _sum,
    "max": _max,
}
NORMALISATIONS = tuple(NORMALISERS)


def normalised(problem: Problem, method: str) -> np.ndarray:
    """The problem's values normalised by ``method`` (a key of ``NORMALISERS``)."""
    if method not in NORMALISERS:
        raise ScoringError(
            f"unknown normalisation {method!r}; use one of {', '.join(NORMALISATIONS)}."
        )
    return NORMALISERS[method](problem)


def normalise(
    matrix: Any,
    directions: Sequence[str],
    method: str = "minmax",
    *,
    alternatives: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
) -> np.ndarray:
    """Normalise each column (criterion) of ``matrix`` (alternatives x criteria) to a
    benefit scale: larger is better after normalisation.

    Definitions for benefit / cost criteria: the linear normalisations surveyed by Jahan &
    Edwards (2015, Materials & Design 65, 335-342), in the variants pymcdm implements (so that
    the tests can compare with it); the cost inversion differs between them:

    - ``minmax``: (x - min) / (max - min)  /  (max - x) / (max - min)
    - ``vector``: x / sqrt(sum x^2)  /  1 - x / sqrt(sum x^2)
    - ``sum``:    x / sum x  /  (1/x) / sum(1/x)   (cost values must be > 0)
    - ``max``:    x / max  /  1 - x / max   (values must be >= 0)

    With ``vector`` and TOPSIS the 1 - r inversion gives the same distances as the classical
    TOPSIS of Hwang & Yoon (1981), which keeps r and takes the minimum as the ideal of a cost
    criterion. A missing value or a constant criterion raises ``ScoringError`` naming the
    criterion and the alternative.
    """
    return normalised(decision_problem(matrix, directions, alternatives, criteria), method)
