"""Rank a frame of criteria values with the settings of the parameter files (``Ranking``).

``rank_alternatives`` checks the values, resolves the weights (direct, equal or AHP), leaves out
a criterion with the same value for every alternative (it cannot tell them apart) and rescales
the other weights, scores with the settings' method (``SCORERS``) and keeps the scorer, so that
``robustness.sensitivity`` can score other weights on the same alternatives.

Leaving a constant criterion out changes no rank: its normalised column is constant, or 0/0
under min-max (and under vector, sum and max when the value is 0). Weighted sum: it adds the same
w_j c to every score, and rescaling the others by 1 / (1 - w_j) is a positive affine map of the
scores. TOPSIS: it adds 0 to both distances, and the rescaling multiplies both by the same
factor, so the closeness is unchanged. PROMETHEE II: its net flows are 0 (and its default
preference threshold, its range, is 0, which the linear function cannot take); the rescaling
multiplies every score by the same factor. The tests check each case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..config import SELECTION_CRITERIA, CriterionInfo, SelectionSettings
from .methods import MethodOptions, Scorer, make_scorer, rank_scores
from .normalisation import normalised
from .problem import Problem, ScoringError, as_matrix, check_known, constant_criteria, cost_mask
from .weights import AHPResult, resolve_weights

if TYPE_CHECKING:
    from ..data.study import Study
    from .eligibility import Screening

__all__ = ["Ranking", "rank_alternatives"]


@dataclass(frozen=True)
class Ranking:
    """A ranking of alternatives and everything needed to explain and test it.

    ``table``: index = alternatives, columns label, rank, score and the criteria values,
    sorted by rank, then label, then index (the tie-break rule). ``contributions``: w_j times
    the min-max normalised (direction-adjusted) value, the share of the best possible score an
    alternative gets from each criterion, used to explain it in words. ``scorer`` scores a batch
    of weight vectors with the columns in the table's order. ``dropped``: the criteria of the
    settings left out because every alternative has the same value (criterion -> the value);
    ``weights`` are then those of the other criteria, rescaled to sum to 1, and
    ``stated_weights`` those the settings give to every criterion.
    """

    kind: str
    settings: SelectionSettings
    table: pd.DataFrame
    weights: pd.Series
    directions: pd.Series
    contributions: pd.DataFrame
    ahp: AHPResult | None
    scorer: Callable[[np.ndarray], np.ndarray] = field(repr=False)
    dropped: dict[str, float] = field(default_factory=dict)
    stated_weights: pd.Series | None = None

    @property
    def criteria(self) -> list[str]:
        return list(self.weights.index)

    @property
    def info(self) -> dict[str, CriterionInfo]:
        return {n: SELECTION_CRITERIA[self.kind][n] for n in self.criteria}

    def top(self, k: int) -> pd.DataFrame:
        """The first ``k`` rows of the table (ties at the boundary broken by label)."""
        return self.table.head(k)

    @property
    def method_text(self) -> str:
        """The method in words, e.g. 'TOPSIS (vector normalisation, AHP weights)'."""
        from .explain import method_text

        return method_text(self.settings)


def _options(settings: SelectionSettings, x: np.ndarray, names: list[str]) -> MethodOptions:
    """The method options of the settings for the criteria ``names`` (the columns of ``x``);
    PROMETHEE II thresholds per criterion, p defaulting to the criterion's range."""
    q = p = None
    if settings.method == "promethee_ii":
        q = np.array([settings.criteria[n].indifference or 0.0 for n in names])
        ranges = x.max(axis=0) - x.min(axis=0)
        p = np.array(
            [
                ranges[j]
                if settings.criteria[n].preference is None
                else settings.criteria[n].preference
                for j, n in enumerate(names)
            ],
            dtype=float,
        )
    return MethodOptions(settings.normalisation, settings.preference_function, q, p)


def rank_alternatives(
    values: pd.DataFrame, settings: SelectionSettings, labels: pd.Series | None = None
) -> Ranking:
    """Rank the rows of ``values`` on the settings' criteria, method, normalisation, weights.

    ``labels`` (indexed like ``values``) name the alternatives in messages and tables (e.g.
    enterprise names); by default the index is the label. A criterion with the same value for
    every alternative is left out and the other weights rescaled (``Ranking.dropped``; ranks are
    unchanged by it, see the module docstring); a missing value, or no criterion left that tells
    the alternatives apart, raises ``ScoringError``.
    """
    stated = settings.criterion_names
    absent = [n for n in stated if n not in values.columns]
    if absent:
        raise ScoringError(
            f"criterion {', '.join(map(repr, absent))} is not a column of the values "
            f"(columns: {', '.join(map(str, values.columns))})."
        )
    label = (
        pd.Series(values.index.astype(str), index=values.index)
        if labels is None
        else labels.reindex(values.index)
        .fillna(pd.Series(values.index, index=values.index))
        .astype(str)
    )
    x, alts, crit = as_matrix(
        values[stated].to_numpy(dtype=float, na_value=np.nan), list(label), stated
    )
    check_known(x, alts, crit)
    stated_weights, ahp = resolve_weights(settings)
    constant = constant_criteria(x)
    dropped = {n: float(x[0, j]) for j, n in enumerate(stated) if constant[j]}
    names = [n for n in stated if n not in dropped]
    weights = stated_weights[names]
    if not names or weights.sum() <= 0:
        raise ScoringError(
            f"no criterion tells the {len(alts)} alternatives apart: "
            + ", ".join(f"'{n}' is {v:g} for all" for n, v in dropped.items())
            + (f", and the others ({', '.join(names)}) have weight 0" if names else "")
            + "."
        )
    weights = weights / weights.sum()
    x = x[:, ~constant]
    directions = pd.Series([settings.criteria[n].direction for n in names], index=names)
    problem = Problem(x, cost_mask(list(directions), len(names)), alts, names)
    scorer = make_scorer(settings.method, problem, _options(settings, x, names))
    scores = scorer(weights.to_numpy())[0]
    table = pd.DataFrame(
        {"label": label.to_numpy(), "rank": rank_scores(scores), "score": scores},
        index=values.index,
    ).join(values[names])
    contributions = pd.DataFrame(
        normalised(problem, "minmax") * weights.to_numpy(),
        index=values.index,
        columns=names,
    )
    order = _table_order(table)
    # The scorer keeps the rows in the order of ``values``; the table is re-ordered for reading.
    return Ranking(
        settings.kind,
        settings,
        table.iloc[order],
        weights,
        directions,
        contributions.iloc[order],
        ahp,
        _reordered(scorer, order),
        dropped,
        stated_weights,
    )


def _table_order(table: pd.DataFrame) -> np.ndarray:
    """Positions sorted by rank, then label, then index (stable)."""
    keys = pd.DataFrame(
        {
            "rank": table["rank"].to_numpy(),
            "label": table["label"].to_numpy(),
            "index": table.index.astype(str),
            "pos": np.arange(len(table)),
        }
    )
    return keys.sort_values(["rank", "label", "index", "pos"], kind="stable")["pos"].to_numpy()


def _reordered(scorer: Scorer, order: np.ndarray) -> Scorer:
    """A scorer whose columns follow the ranking table's order."""

    def score(weights: np.ndarray) -> np.ndarray:
        return scorer(weights)[:, order]

    return score


@dataclass(frozen=True)
class EnterpriseRanking:
    """The enterprise selection of one region: who passed the gates (``screening``), their
    criteria (``values``), those with every criterion (``complete``) and those without
    (``not_ranked``), and the ``ranking`` (None when fewer than two can be ranked)."""

    screening: Screening
    values: pd.DataFrame
    complete: pd.DataFrame
    not_ranked: pd.Series
    ranking: Ranking | None


def rank_enterprises(study: Study, settings: SelectionSettings) -> EnterpriseRanking:
    """Screen a region's enterprises by the eligibility gates, then rank the eligible with
    every criterion: the one way the enterprise selection and the fact sheets draw the
    shortlist. Fewer than two cannot be ranked: ``ranking`` is then None."""
    from .criteria import complete_cases, enterprise_criteria
    from .eligibility import screen

    screening = screen(study.enterprises, settings.eligibility)
    values = enterprise_criteria(study).loc[screening.eligible]
    complete, not_ranked = complete_cases(values, settings.criterion_names)
    names = study.enterprises.set_index("enterprise_id")["name"]
    ranking = rank_alternatives(complete, settings, labels=names) if len(complete) > 1 else None
    return EnterpriseRanking(screening, values, complete, not_ranked, ranking)
