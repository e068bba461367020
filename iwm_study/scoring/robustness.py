"""Sensitivity of a ranking to its weights: Dirichlet weight draws and one-at-a-time changes.

``sensitivity`` rescores a ``Ranking`` with other weights (its scorer takes them all at once) and
reports how often each alternative holds each rank and what single weight changes do. (The
module is not named ``sensitivity`` so that ``iwm_study.scoring.sensitivity`` stays the
function.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .methods import rank_scores
from .ranking import Ranking

__all__ = ["Sensitivity", "dirichlet_weights", "one_at_a_time_weights", "sensitivity"]


def dirichlet_weights(weights: Any, draws: int, concentration: float, seed: int) -> np.ndarray:
    """``draws`` weight vectors from a Dirichlet distribution centred on ``weights``.

    alpha_j = concentration * w_j, so each draw sums to 1, E[w'_j] = w_j and
    Var[w'_j] = w_j (1 - w_j) / (concentration + 1); criteria with weight 0 stay at 0.
    Seeded (numpy default_rng), so the same inputs give the same draws.
    """
    w = np.asarray(weights, dtype=float)
    out = np.zeros((draws, w.size))
    positive = w > 0
    rng = np.random.default_rng(seed)
    out[:, positive] = rng.dirichlet(concentration * w[positive], size=draws)
    return out


def one_at_a_time_weights(
    weights: Any, changes: Sequence[float]
) -> tuple[np.ndarray, list[tuple[int, float]]]:
    """One weight changed at a time by each relative change, the others rescaled in proportion.

    w'_j = min(1, w_j (1 + c)); w'_k = w_k (1 - w'_j) / (1 - w_j) for k != j (shared equally
    when the others are all 0). Returns the weight vectors and their (criterion, change).
    """
    w = np.asarray(weights, dtype=float)
    rows, labels = [], []
    for j in range(w.size):
        for c in changes:
            new = np.empty_like(w)
            wj = min(1.0, w[j] * (1.0 + c))
            rest = 1.0 - w[j]
            others = np.arange(w.size) != j
            if rest > 0:
                new[others] = w[others] * (1.0 - wj) / rest
            else:
                new[others] = (1.0 - wj) / max(w.size - 1, 1)
            new[j] = wj
            rows.append(new)
            labels.append((j, float(c)))
    return np.array(rows).reshape(len(rows), w.size), labels


@dataclass(frozen=True)
class Sensitivity:
    """How a ranking holds when the weights move.

    ``rank_probability``: alternatives (in ranking order) x rank 1..N, the share of the
    Monte Carlo draws in which the alternative holds the rank (rows sum to 1).
    ``summary``: per alternative, its rank, P(same rank), P(rank <= top), mean rank and the
    5 %-95 % range of its rank. ``overall``: the figures an index can show. ``one_at_a_time``:
    per criterion and change, the new weight, the new first alternative, whether the top set
    is kept and the largest rank shift. ``kind``: the ranking's kind ('region', 'enterprise'),
    so that the report names the criteria by their labels.
    """

    rank_probability: pd.DataFrame
    summary: pd.DataFrame
    overall: dict[str, float]
    one_at_a_time: pd.DataFrame
    top: int
    kind: str = ""


def _spearman(ranks: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Pearson correlation of each row of ranks with the base ranks (Spearman on ranks)."""
    a = ranks - ranks.mean(axis=1, keepdims=True)
    b = base - base.mean()
    denom = np.sqrt((a**2).sum(axis=1) * (b**2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        return (a @ b) / denom


def sensitivity(ranking: Ranking, top: int = 1) -> Sensitivity:
    """Robustness of ``ranking`` to its weights, with the settings' ``sensitivity`` block.

    Monte Carlo: ``draws`` Dirichlet weight vectors around the weights (``dirichlet_weights``),
    each scored and ranked like the ranking itself. One-at-a-time: each weight changed by each
    relative change (``one_at_a_time_weights``). ``top`` is the size of the set that matters
    (pilot regions, the shortlist): 'kept' means all of its members stay within the top.
    """
    s = ranking.settings.sensitivity
    n = len(ranking.table)
    top = max(1, min(top, n))
    base = ranking.table["rank"].to_numpy()
    labels = ranking.table["label"].to_numpy()
    w = ranking.weights.to_numpy()
    draws = dirichlet_weights(w, s.draws, s.concentration, s.seed)
    ranks = rank_scores(ranking.scorer(draws))
    counts = np.zeros((n, n + 1))
    for a in range(n):  # n bincounts over the draws: cheap next to scoring
        counts[a] = np.bincount(ranks[:, a], minlength=n + 1)
    probability = pd.DataFrame(
        counts[:, 1:] / s.draws,
        index=ranking.table.index,
        columns=pd.RangeIndex(1, n + 1, name="rank"),
    )
    low, high = np.percentile(ranks, [5, 95], axis=0, method="inverted_cdf")
    summary = pd.DataFrame(
        {
            "label": labels,
            "rank": base,
            "p_same_rank": (ranks == base).mean(axis=0),
            "p_top": (ranks <= top).mean(axis=0),
            "mean_rank": ranks.mean(axis=0),
            "rank_p05": low.astype(int),
            "rank_p95": high.astype(int),
        },
        index=ranking.table.index,
    )
    head = np.arange(top)  # the table is in ranking order: the top set is its first rows
    overall = {
        "draws": float(s.draws),
        "p_first_kept": float((ranks[:, 0] == 1).mean()),
        "p_top_set_kept": float((ranks[:, head] <= top).all(axis=1).mean()),
        "mean_spearman": float(np.nanmean(_spearman(ranks, base))),
    }
    oat_w, oat_labels = one_at_a_time_weights(w, s.changes)
    rows = []
    if len(oat_w):
        oat_ranks = rank_scores(ranking.scorer(oat_w))
        rho = _spearman(oat_ranks, base)
        for k, (j, change) in enumerate(oat_labels):
            r = oat_ranks[k]
            shift = np.abs(r - base)
            worst = int(np.argmax(shift))
            rows.append(
                {
                    "criterion": ranking.criteria[j],
                    "change": change,
                    "weight_before": w[j],
                    "weight_after": oat_w[k, j],
                    "first": labels[int(np.argmin(np.where(r == r.min(), np.arange(n), n)))],
                    "top_set_kept": bool((r[head] <= top).all()),
                    "spearman": float(rho[k]),
                    "largest_shift": int(shift[worst]),
                    "largest_shift_alternative": labels[worst] if shift[worst] else "",
                }
            )
    oat = pd.DataFrame(
        rows,
        columns=[
            "criterion",
            "change",
            "weight_before",
            "weight_after",
            "first",
            "top_set_kept",
            "spearman",
            "largest_shift",
            "largest_shift_alternative",
        ],
    )
    return Sensitivity(probability, summary, overall, oat, top, ranking.kind)
