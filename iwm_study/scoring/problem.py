"""The decision problem: a checked matrix, its directions and weights; errors name what is wrong.

Every check raises ``ScoringError`` with a message that names the criterion and the alternative,
so that a report or ``iwm run`` can say what to fix in the data or the parameter files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "Problem",
    "ScoringError",
    "check_known",
    "check_weights",
    "constant_criteria",
    "cost_mask",
    "decision_problem",
]


class ScoringError(ValueError):
    """A decision problem that cannot be scored; the message names the criterion and alternative."""


@dataclass(frozen=True)
class Problem:
    """A decision matrix ready to score: values known and finite, no criterion constant."""

    x: np.ndarray  # alternatives x criteria, raw values
    cost: np.ndarray  # True where lower is better
    alternatives: list[str]  # names for messages
    criteria: list[str]


def as_matrix(
    matrix: Any, alternatives: Sequence[str] | None, criteria: Sequence[str] | None
) -> tuple[np.ndarray, list[str], list[str]]:
    """The matrix as floats with the names of its rows and columns (A1.., C1.. by default)."""
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2:
        raise ScoringError(f"a decision matrix has two dimensions, not {x.ndim}.")
    n, m = x.shape
    alts = (
        [str(a) for a in alternatives]
        if alternatives is not None
        else [f"A{i + 1}" for i in range(n)]
    )
    crit = [str(c) for c in criteria] if criteria is not None else [f"C{j + 1}" for j in range(m)]
    if len(alts) != n or len(crit) != m:
        raise ScoringError(
            f"the matrix is {n} x {m} but {len(alts)} alternatives and {len(crit)} criteria are named."
        )
    if n < 2:
        raise ScoringError(f"ranking needs at least two alternatives; there are {n}.")
    if m < 1:
        raise ScoringError("ranking needs at least one criterion.")
    return x, alts, crit


def check_known(x: np.ndarray, alts: list[str], crit: list[str]) -> None:
    """Every value known and finite: else a ScoringError naming the criterion and alternative."""
    bad = ~np.isfinite(x)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        others = int(bad[:, j].sum()) - 1
        more = f" (and {others} other alternative{'s' if others != 1 else ''})" if others else ""
        raise ScoringError(
            f"criterion '{crit[j]}' has no value for alternative '{alts[i]}'{more}; "
            "complete the data or leave the alternative out (see complete_cases)."
        )


def constant_criteria(x: np.ndarray) -> np.ndarray:
    """True for each criterion (column) with the same value for every alternative."""
    return x.max(axis=0) == x.min(axis=0)


def check_values(x: np.ndarray, alts: list[str], crit: list[str]) -> None:
    """Every value known and finite, no criterion constant: else a ScoringError naming them.

    The methods' own check; ``rank_alternatives`` leaves a constant criterion out instead."""
    check_known(x, alts, crit)
    constant = constant_criteria(x)
    if constant.any():
        j = int(np.argmax(constant))
        raise ScoringError(
            f"criterion '{crit[j]}' has the same value ({x[0, j]:g}) for all {len(alts)} "
            "alternatives, so it cannot tell them apart; remove it from the criteria."
        )


def cost_mask(directions: Sequence[str], m: int) -> np.ndarray:
    """True for each of the ``m`` criteria whose direction is 'cost'."""
    d = list(directions)
    if len(d) != m:
        raise ScoringError(f"{len(d)} directions given for {m} criteria.")
    unknown = sorted({x for x in d if x not in ("benefit", "cost")})
    if unknown:
        raise ScoringError(
            f"a direction is 'benefit' or 'cost', not {', '.join(map(repr, unknown))}."
        )
    return np.array([x == "cost" for x in d])


def require(ok: np.ndarray, problem: Problem, rule: str) -> None:
    """Raise naming the first value for which ``ok`` fails."""
    if not ok.all():
        i, j = np.argwhere(~ok)[0]
        raise ScoringError(
            f"criterion '{problem.criteria[j]}' of alternative '{problem.alternatives[i]}' is "
            f"{problem.x[i, j]:g}: {rule}"
        )


def decision_problem(
    matrix: Any,
    directions: Sequence[str],
    alternatives: Sequence[str] | None = None,
    criteria: Sequence[str] | None = None,
) -> Problem:
    """Check a matrix (alternatives x criteria) and its directions ('benefit' or 'cost')."""
    x, alts, crit = as_matrix(matrix, alternatives, criteria)
    check_values(x, alts, crit)
    return Problem(x, cost_mask(directions, x.shape[1]), alts, crit)


def check_weights(weights: Any, m: int) -> np.ndarray:
    """One finite, non-negative weight per criterion, summing to 1 (within 1e-6)."""
    w = np.asarray(weights, dtype=float)
    if w.shape != (m,):
        raise ScoringError(f"{w.size} weights given for {m} criteria.")
    if (w < 0).any() or not np.isfinite(w).all():
        raise ScoringError("weights must be finite and not negative.")
    if abs(w.sum() - 1.0) > 1e-6:
        raise ScoringError(f"the weights sum to {w.sum():.6g}, not 1.")
    return w
