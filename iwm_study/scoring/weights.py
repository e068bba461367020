"""Criterion weights: direct, equal, or from AHP pairwise comparisons (Saaty), as numpy arrays.

The AHP arithmetic is ``iwm_study.scoring.ahp`` (pure Python, shared with the parameter check in
``iwm_study.config``); ``ahp_weights`` checks the matrix and wraps the result in arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..config import SelectionSettings
from .ahp import CONSISTENCY_LIMIT, SAATY_RANDOM_INDEX, ahp_consistency
from .problem import ScoringError

__all__ = ["AHPResult", "ahp_weights", "direct_weights", "equal_weights", "resolve_weights"]


def direct_weights(weights: Sequence[float]) -> np.ndarray:
    """Weights given directly, rescaled to sum to 1 (none negative, at least one positive)."""
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or w.size == 0 or not np.isfinite(w).all():
        raise ScoringError("weights are a list of finite numbers, one per criterion.")
    if (w < 0).any():
        raise ScoringError(f"a weight cannot be negative: {w[w < 0][0]:g}.")
    if w.sum() <= 0:
        raise ScoringError("at least one weight must be positive.")
    return w / w.sum()


def equal_weights(n: int) -> np.ndarray:
    """1/n for each of ``n`` criteria."""
    if n < 1:
        raise ScoringError("equal weights need at least one criterion.")
    return np.full(n, 1.0 / n)


@dataclass(frozen=True)
class AHPResult:
    """Weights from a pairwise comparison matrix and its consistency (Saaty)."""

    weights: np.ndarray
    lambda_max: float
    ci: float  # consistency index (lambda_max - n) / (n - 1)
    ri: float  # Saaty's random index for n
    cr: float  # consistency ratio CI / RI (0 for n <= 2)
    matrix: np.ndarray

    @property
    def consistent(self) -> bool:
        """Saaty's rule: judgements are acceptable when CR < 0.10."""
        return self.cr < CONSISTENCY_LIMIT


def ahp_weights(matrix: Any) -> AHPResult:
    """AHP weights by Saaty's principal eigenvector method.

    ``matrix[i][j]`` says how much more important criterion i is than j on Saaty's 1-9 scale,
    with ``matrix[j][i] = 1 / matrix[i][j]``. The weights are the eigenvector of the largest
    eigenvalue lambda_max, scaled to sum 1; CI = (lambda_max - n) / (n - 1), CR = CI / RI with
    Saaty's random index RI (``SAATY_RANDOM_INDEX``, n <= 15). Computed by
    ``iwm_study.scoring.ahp.ahp_consistency`` (power iteration), the same function that checks
    the parameter files.
    """
    a = np.asarray(matrix, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ScoringError(f"an AHP matrix must be square; this one has shape {a.shape}.")
    n = a.shape[0]
    if not (np.isfinite(a).all() and (a > 0).all()):
        raise ScoringError("every AHP judgement must be a positive number.")
    if not np.allclose(a * a.T, 1.0, rtol=0, atol=1e-9):
        raise ScoringError("the AHP matrix is not reciprocal (a_ji must be 1 / a_ij).")
    if n not in SAATY_RANDOM_INDEX:
        raise ScoringError(
            f"Saaty's random index is tabulated for up to {max(SAATY_RANDOM_INDEX)} criteria, not {n}."
        )
    w, lam, ci, ri, cr = ahp_consistency(a.tolist())
    return AHPResult(np.array(w), lam, ci, ri, cr, a)


def resolve_weights(settings: SelectionSettings) -> tuple[pd.Series, AHPResult | None]:
    """The weights the settings ask for (direct, equal or AHP), indexed by criterion.

    AHP judgements with CR >= 0.10 raise ``ScoringError`` when ``require_consistent`` is true;
    otherwise the result's ``consistent`` is False and the report must say so.
    """
    names = settings.criterion_names
    ahp = None
    if settings.weights == "equal":
        w = equal_weights(len(names))
    elif settings.weights == "direct":
        given = [settings.criteria[n].weight for n in names]
        if any(g is None for g in given):
            raise ScoringError("weights are 'direct': every criterion needs a weight.")
        w = direct_weights([float(g) for g in given if g is not None])
    else:
        if settings.ahp_matrix is None:
            raise ScoringError("weights are 'ahp' but there is no ahp_matrix.")
        ahp = ahp_weights(settings.ahp_matrix)
        if not ahp.consistent and settings.require_consistent:
            raise ScoringError(
                f"the AHP judgements are inconsistent: CR = {ahp.cr:.3f} >= {CONSISTENCY_LIMIT}."
            )
        w = ahp.weights
    return pd.Series(w, index=names, name="weight"), ahp
