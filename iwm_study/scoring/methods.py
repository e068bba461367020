"""Scoring methods: one pure scorer per method (weighted sum, TOPSIS, PROMETHEE II) and ranks.

``SCORERS`` maps each method name to a function that prepares a checked decision problem once
and returns a *scorer*: a function that scores a whole batch of weight vectors at once,
(K x M) weights -> (K x N) scores, as matrix products, so that the sensitivity analysis scores
thousands of weight vectors in one call:

- weighted sum: S = W R^T on the normalised matrix R;
- TOPSIS: D+ = sqrt(W^2 ((R - max R)^2)^T), D- likewise with min R, S = D- / (D+ + D-) (for
  w >= 0 the ideal of w r is w max r);
- PROMETHEE II: S = W Phi^T (the net flows are linear in the weights).

``weighted_sum``, ``topsis`` and ``promethee_ii`` score one weight vector and rank the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from .normalisation import normalised
from .problem import Problem, ScoringError, as_matrix, check_values, check_weights, cost_mask

__all__ = [
    "METHODS",
    "PREFERENCE_FUNCTIONS",
    "SCORERS",
    "TIE_TOLERANCE",
    "MethodOptions",
    "MethodResult",
    "Scorer",
    "make_scorer",
    "promethee_ii",
    "rank_scores",
    "topsis",
    "weighted_sum",
]

#: Scores closer than this are tied (scores of all three methods lie within [-1, 1]).
TIE_TOLERANCE = 1e-12
PREFERENCE_FUNCTIONS = ("usual", "linear")

#: Scores a batch of weight vectors: (K x M) weights (or one vector of M) -> (K x N) scores.
Scorer = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class MethodOptions:
    """What a method reads besides the matrix and the weights."""

    normalisation: str = "minmax"  # weighted sum and TOPSIS
    preference_function: str = "usual"  # PROMETHEE II: usual or linear
    indifference: Any = None  # PROMETHEE II linear: q per criterion (default 0)
    preference: Any = None  # PROMETHEE II linear: p per criterion (default the range)


class MethodResult(NamedTuple):
    """Scores (higher is better) and competition ranks (1 = best) of the alternatives."""

    scores: np.ndarray
    ranks: np.ndarray


def rank_scores(scores: Any) -> np.ndarray:
    """Competition ranks ('min' method), 1 = highest score; works along the last axis.

    Scores within ``TIE_TOLERANCE`` of the next higher one are tied and share the best rank of
    their group (0.9, 0.5, 0.5, 0.1 -> 1, 2, 2, 4). Tables list tied alternatives by name.
    """
    s = np.atleast_2d(np.asarray(scores, dtype=float))
    n = s.shape[1]
    order = np.argsort(-s, axis=1, kind="stable")
    ordered = np.take_along_axis(s, order, axis=1)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[:, 1:] = (ordered[:, :-1] - ordered[:, 1:]) > TIE_TOLERANCE
    position = np.where(starts, np.arange(1, n + 1), 0)
    position = np.maximum.accumulate(position, axis=1)
    ranks = np.empty_like(position)
    np.put_along_axis(ranks, order, position, axis=1)
    return ranks.reshape(np.shape(scores)) if np.ndim(scores) == 1 else ranks


# --------------------------------------------------------------------- one scorer per method


def _weighted_sum_scorer(problem: Problem, options: MethodOptions) -> Scorer:
    """Weighted sum model: S = W R^T."""
    r = normalised(problem, options.normalisation)

    def score(weights: np.ndarray) -> np.ndarray:
        return np.atleast_2d(weights) @ r.T

    return score


def _topsis_scorer(problem: Problem, options: MethodOptions) -> Scorer:
    """TOPSIS: closeness D- / (D+ + D-) of the weighted normalised matrix."""
    r = normalised(problem, options.normalisation)
    to_best = (r - r.max(axis=0)) ** 2
    to_worst = (r - r.min(axis=0)) ** 2

    def score(weights: np.ndarray) -> np.ndarray:
        w2 = np.atleast_2d(weights) ** 2
        best = np.sqrt(w2 @ to_best.T)
        worst = np.sqrt(w2 @ to_worst.T)
        return worst / (best + worst)

    return score


def _promethee_flows(
    x: np.ndarray, cost: np.ndarray, function: str, q: np.ndarray, p: np.ndarray
) -> np.ndarray:
    """Net flow of each alternative on each criterion alone (N x M), unweighted.

    phi_j(a) = sum over b of (P_j(a, b) - P_j(b, a)) / (N - 1), with d = g_j(a) - g_j(b) on
    the direction-adjusted values. Computed in row blocks to bound memory at block x N.
    """
    n, m = x.shape
    y = np.where(cost, -x, x)
    flows = np.empty((n, m))
    block = max(1, min(n, 2_000_000 // max(n, 1)))
    for j in range(m):
        for start in range(0, n, block):
            d = y[start : start + block, j, None] - y[None, :, j]
            if function == "usual":
                plus, minus = (d > 0).sum(axis=1), (d < 0).sum(axis=1)
            else:  # linear (Brans type V): 0 up to q, straight line to 1 at p
                span = p[j] - q[j]
                plus = np.clip((d - q[j]) / span, 0.0, 1.0).sum(axis=1)
                minus = np.clip((-d - q[j]) / span, 0.0, 1.0).sum(axis=1)
            flows[start : start + block, j] = (plus - minus) / (n - 1)
    return flows


def _promethee_ii_scorer(problem: Problem, options: MethodOptions) -> Scorer:
    """PROMETHEE II: S = W Phi^T with the per-criterion net flows Phi of the raw values."""
    function = options.preference_function
    if function not in PREFERENCE_FUNCTIONS:
        raise ScoringError(f"unknown preference function {function!r}; use usual or linear.")
    x = problem.x
    m = x.shape[1]
    q = np.zeros(m) if options.indifference is None else np.asarray(options.indifference, float)
    p = (
        x.max(axis=0) - x.min(axis=0)
        if options.preference is None
        else np.asarray(options.preference, float)
    )
    if function == "linear" and not (p > q).all():
        j = int(np.argmax(~(p > q)))
        raise ScoringError(
            f"criterion '{problem.criteria[j]}': the preference threshold p ({p[j]:g}) must "
            f"exceed the indifference threshold q ({q[j]:g})."
        )
    flows = _promethee_flows(x, problem.cost, function, q, p)

    def score(weights: np.ndarray) -> np.ndarray:
        return np.atleast_2d(weights) @ flows.T

    return score


#: Each method: (checked problem, options) -> a scorer of weight batches.
SCORERS: dict[str, Callable[[Problem, MethodOptions], Scorer]] = {
    "weighted_sum": _weighted_sum_scorer,
    "topsis": _topsis_scorer,
    "promethee_ii": _promethee_ii_scorer,
}
METHODS = tuple(SCORERS)


def make_scorer(method: str, problem: Problem, options: MethodOptions) -> Scorer:
    """The scorer of ``method`` (a key of ``SCORERS``) for ``problem``."""
    if method not in SCORERS:
        raise ScoringError(f"unknown method {method!r}; use one of {', '.join(METHODS)}.")
    return SCORERS[method](problem, options)


# ------------------------------------------------------------------ one weight vector, ranked


def _run(
    method: str,
    matrix: Any,
    weights: Any,
    directions: Sequence[str],
    alternatives: Sequence[str] | None,
    criteria: Sequence[str] | None,
    options: MethodOptions,
) -> MethodResult:
    x, alts, crit = as_matrix(matrix, alternatives, criteria)
    check_values(x, alts, crit)
    w = check_weights(weights, x.shape[1])
    problem = Problem(x, cost_mask(directions, x.shape[1]), alts, crit)
    scores = make_scorer(method, problem, options)(w)[0]
    return MethodResult(scores, rank_scores(scores))


def weighted_sum(
    matrix: Any,
    weights: Any,
    directions: Sequence[str],
    normalisation: str = "minmax",
    *,
    alternatives: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
) -> MethodResult:
    """Weighted sum model: score = sum_j w_j r_ij of the normalised matrix (``normalise``).

    ``weights`` sum to 1; ``directions`` are 'benefit' or 'cost' per criterion.
    """
    options = MethodOptions(normalisation=normalisation)
    return _run("weighted_sum", matrix, weights, directions, alternatives, criteria, options)


def topsis(
    matrix: Any,
    weights: Any,
    directions: Sequence[str],
    normalisation: str = "vector",
    *,
    alternatives: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
) -> MethodResult:
    """TOPSIS (Hwang & Yoon 1981): closeness D- / (D+ + D-) to the ideal alternative.

    v_ij = w_j r_ij on the normalised matrix (cost criteria already inverted, see
    ``normalise``); the ideal takes the best v of each criterion, the anti-ideal the worst;
    D+ and D- are Euclidean distances. Vector normalisation gives the classical method.
    """
    options = MethodOptions(normalisation=normalisation)
    return _run("topsis", matrix, weights, directions, alternatives, criteria, options)


def promethee_ii(
    matrix: Any,
    weights: Any,
    directions: Sequence[str],
    preference_function: str = "usual",
    indifference: Sequence[float] | None = None,
    preference: Sequence[float] | None = None,
    *,
    alternatives: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
) -> MethodResult:
    """PROMETHEE II (Brans & Vincke 1985): net outranking flow phi = phi+ - phi-, in [-1, 1].

    Works on the raw values (no normalisation): for each pair, d = g(a) - g(b) with g = x for a
    benefit and -x for a cost criterion. Preference functions: 'usual' P = 1 if d > 0 else 0;
    'linear' (type V) P = 0 for d <= q, (d - q) / (p - q) for q < d <= p, 1 for d > p, with
    ``indifference`` q (default 0) and ``preference`` p (default the criterion's range, so
    that P is then the min-max normalised difference), both in the criterion's unit.
    """
    options = MethodOptions(
        preference_function=preference_function,
        indifference=indifference,
        preference=preference,
    )
    return _run("promethee_ii", matrix, weights, directions, alternatives, criteria, options)
