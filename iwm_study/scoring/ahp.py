"""Saaty's AHP arithmetic in pure Python: principal eigenvector weights, lambda_max, CI, RI, CR.

The one implementation of the analytic hierarchy process. It imports nothing but the standard
library, so that ``iwm_study.config`` can check a parameter file's judgements without numpy
(``iwm run`` with nothing to do must answer at once); ``iwm_study.scoring.weights.ahp_weights``
wraps it for the ranking. It imports nothing from ``iwm_study`` either: ``iwm_study.config``
imports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

__all__ = [
    "CONSISTENCY_LIMIT",
    "SAATY_RANDOM_INDEX",
    "AHPConsistency",
    "ahp_consistency",
    "principal_eigenvector",
]

#: Saaty's random consistency index RI by matrix order n (Saaty, The Analytic Hierarchy
#: Process, 1980; the values of n <= 10 are the ones used in Saaty, "How to make a decision",
#: European Journal of Operational Research 48 (1990) 9-26).
SAATY_RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
#: A pairwise comparison matrix is acceptably consistent when CR < 0.10 (Saaty).
CONSISTENCY_LIMIT = 0.10

_TOLERANCE = 1e-15  # largest change of a weight between two iterations at convergence
_MAX_ITERATIONS = 100_000


class AHPConsistency(NamedTuple):
    """Weights (summing to 1) and consistency of a pairwise comparison matrix; unpacks as
    ``w, lambda_max, ci, ri, cr``."""

    weights: list[float]
    lambda_max: float
    ci: float  # consistency index (lambda_max - n) / (n - 1)
    ri: float  # Saaty's random index for n
    cr: float  # consistency ratio CI / RI (0 for n <= 2)


def principal_eigenvector(matrix: Sequence[Sequence[float]]) -> tuple[list[float], float]:
    """The Perron eigenvector of a positive square matrix, scaled to sum 1, and its eigenvalue.

    Power iteration: w <- A w / sum(A w) from w = 1/n until no entry moves by more than 1e-15.
    For a positive matrix the Perron root is simple and strictly the largest in modulus, so the
    iteration converges to Saaty's principal eigenvector; lambda_max = sum(A w) as w sums to 1.
    Agrees with numpy's ``eig`` to about 1e-15 in the weights (a test checks it).
    """
    n = len(matrix)
    if n == 0:
        raise ValueError("an AHP matrix needs at least one criterion")
    w = [1.0 / n] * n
    for _ in range(_MAX_ITERATIONS):
        v = [sum(a * x for a, x in zip(row, w, strict=True)) for row in matrix]
        lam = sum(v)  # w sums to 1, so sum(A w) is the eigenvalue estimate
        new = [x / lam for x in v]
        if max(abs(a - b) for a, b in zip(new, w, strict=True)) < _TOLERANCE:
            w = new
            break
        w = new
    lam = sum(sum(a * x for a, x in zip(row, w, strict=True)) for row in matrix)
    return w, lam


def ahp_consistency(matrix: Sequence[Sequence[float]]) -> AHPConsistency:
    """Principal eigenvector weights, lambda_max, CI, RI and CR of a positive reciprocal matrix.

    ``matrix[i][j]`` says how much more important criterion i is than j on Saaty's 1-9 scale,
    with ``matrix[j][i] = 1 / matrix[i][j]`` (the callers check that). CI = (lambda_max - n) /
    (n - 1), CR = CI / RI with Saaty's random index RI (``SAATY_RANDOM_INDEX``, tabulated to
    n = 15; a larger matrix raises ``ValueError``). CR is 0 for n <= 2: such matrices are always
    consistent.
    """
    n = len(matrix)
    if n > max(SAATY_RANDOM_INDEX):
        raise ValueError(
            f"Saaty's random index is tabulated for up to {max(SAATY_RANDOM_INDEX)} criteria, not {n}"
        )
    w, lam = principal_eigenvector(matrix)
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    ri = SAATY_RANDOM_INDEX[n]
    cr = ci / ri if ri > 0 else 0.0
    return AHPConsistency(w, lam, ci, ri, cr)
