"""Multi-criteria decision analysis (MCDA): which regions to pilot, which enterprises to assess.

The way through this module, one pure function per step:

1. criteria values: ``region_criteria`` and ``enterprise_criteria`` compute, from a ``Study``,
   every criterion of the catalogue in ``iwm_study.config`` (``REGION_CRITERIA``,
   ``ENTERPRISE_CRITERIA``: label, unit, usual direction and how it is computed);
2. ``normalise``: min-max, vector, sum or max, with cost criteria inverted;
3. weights: ``direct_weights``, ``equal_weights`` or ``ahp_weights`` (Saaty's eigenvector method
   with lambda_max, CI, RI and CR);
4. methods: ``weighted_sum``, ``topsis``, ``promethee_ii`` (usual and linear preference
   functions), each returning scores and ranks (``rank_scores``: ties share the best rank);
5. ``rank_alternatives`` does 2-4 on a frame with the settings of the parameter files;
   ``sensitivity`` perturbs the weights (seeded Dirichlet draws, one-at-a-time changes) and
   reports how often each alternative holds each rank;
6. words and charts for the report: ``reasons``, ``pilot_statement``, ``shortlist``,
   ``score_bar_chart``, ``score_map``, ``rank_heatmap``.

The arithmetic is written here with numpy rather than called from pymcdm or scikit-criteria:
the sensitivity analysis scores thousands of weight vectors at once as matrix products (the
libraries take one weight vector per call), errors must name the criterion and the alternative,
and pymcdm is only a test dependency. The tests check every method against pymcdm to 1e-9.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from .config import (
    CONSISTENCY_LIMIT,
    SAATY_RANDOM_INDEX,
    SELECTION_CRITERIA,
    CriterionInfo,
    SelectionSettings,
    economic_region_names,
    selection_settings,
)
from .data.schema import RECP_LEVELS

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.figure import Figure

    from .data import Study

__all__ = [
    "CRITERION_FUNCTIONS",
    "LANDFILL_FATES",
    "METHODS",
    "NORMALISATIONS",
    "NOT_RECOVERED_FATES",
    "TIE_TOLERANCE",
    "AHPResult",
    "MethodResult",
    "Ranking",
    "ScoringError",
    "Sensitivity",
    "ahp_table",
    "ahp_weights",
    "complete_cases",
    "consistency_text",
    "criteria_table",
    "direct_weights",
    "dirichlet_weights",
    "enterprise_criteria",
    "equal_weights",
    "format_criterion",
    "normalise",
    "one_at_a_time_frame",
    "one_at_a_time_weights",
    "pilot_statement",
    "promethee_ii",
    "rank_alternatives",
    "rank_heatmap",
    "rank_scores",
    "ranking_frame",
    "reasons",
    "region_criteria",
    "resolve_weights",
    "score_bar_chart",
    "score_map",
    "selection_settings",
    "sensitivity",
    "shortlist",
    "stability_frame",
    "topsis",
    "weighted_sum",
]

NORMALISATIONS = ("minmax", "vector", "sum", "max")
METHODS = ("weighted_sum", "topsis", "promethee_ii")
#: Scores closer than this are tied (scores of all three methods lie within [-1, 1]).
TIE_TOLERANCE = 1e-12
#: Fates counted as landfilled or kept on site (region criterion ``landfill_share``).
LANDFILL_FATES = ("landfilled", "kept_on_site")
#: Fates counted as not recovered (enterprise criterion ``not_recovered_share``).
NOT_RECOVERED_FATES = ("landfilled", "kept_on_site", "incinerated")
#: Okabe-Ito colours (safe for colour-blind readers): selected alternatives, the others.
SELECTED_COLOUR, OTHER_COLOUR = "#0072B2", "#BBBBBB"


class ScoringError(ValueError):
    """A decision problem that cannot be scored; the message names the criterion and alternative."""


# ------------------------------------------------------------------------ criteria from a study


@dataclass(frozen=True)
class _Inputs:
    """What the criterion functions read: streams and enterprises keyed by alternative."""

    index: pd.Index  # the alternatives
    streams: pd.DataFrame  # key, quantity_t, hazardous, fate
    enterprises: pd.DataFrame  # key, nace_section, employees, recp_level
    facilities: pd.DataFrame | None = None
    shapes: gpd.GeoDataFrame | None = None
    recycling_distance_km: float = 0.0


def _sum_by_key(frame: pd.DataFrame, column: str, index: pd.Index) -> pd.Series:
    return frame.groupby("key")[column].sum().reindex(index, fill_value=0.0).astype(float)


def _waste_t(i: _Inputs) -> pd.Series:
    return _sum_by_key(i.streams, "quantity_t", i.index)


def _share_of_waste(i: _Inputs, mask: pd.Series) -> pd.Series:
    """Tonnes of the streams in ``mask`` over all tonnes; missing where there are no tonnes."""
    part = _sum_by_key(i.streams[mask], "quantity_t", i.index)
    total = _waste_t(i)
    return part / total.where(total > 0)


def _hazardous_share(i: _Inputs) -> pd.Series:
    return _share_of_waste(i, i.streams["hazardous"].fillna(False).astype(bool))


def _fate_share(fates: tuple[str, ...]) -> Callable[[_Inputs], pd.Series]:
    def share(i: _Inputs) -> pd.Series:
        return _share_of_waste(i, i.streams["fate"].isin(fates).fillna(False).astype(bool))

    return share


def _manufacturing_enterprises(i: _Inputs) -> pd.Series:
    manufacturing = i.enterprises[i.enterprises["nace_section"] == "C"]
    return manufacturing.groupby("key").size().reindex(i.index, fill_value=0).astype(float)


def _mean_recp(i: _Inputs) -> pd.Series:
    return i.enterprises.groupby("key")["recp_level"].mean().reindex(i.index).astype(float)


def _employees(i: _Inputs) -> pd.Series:
    return i.enterprises.set_index("key")["employees"].reindex(i.index).astype(float)


def _recp_level(i: _Inputs) -> pd.Series:
    return i.enterprises.set_index("key")["recp_level"].reindex(i.index).astype(float)


def _waste_intensity(i: _Inputs) -> pd.Series:
    employees = _employees(i)
    return _waste_t(i) / employees.where(employees > 0)


def _recycling_capacity_t(i: _Inputs) -> pd.Series:
    """Capacity of recycling facilities in each region or within the distance of its boundary."""
    from .data import codes, geography

    out = pd.Series(0.0, index=i.index)
    fac = i.facilities
    if fac is None or fac.empty:
        return out
    ops = codes.waste_operations()
    recycling = set(ops.loc[ops["hierarchy_level"] == "recycling", "code"])
    recyclers = fac[fac["operations_list"].map(lambda items: bool(recycling & set(items or ())))]
    if recyclers.empty:
        return out
    capacity = recyclers["capacity_t_yr"].astype(float).fillna(0.0).to_numpy()
    in_region = recyclers["economic_region"].to_numpy()
    near = np.zeros((len(i.index), len(recyclers)), dtype=bool)
    if i.recycling_distance_km > 0 and i.shapes is not None:
        points = geography.to_projected(recyclers[["geometry"]]).geometry
        shapes = geography.to_projected(i.shapes).set_index("economic_region").geometry
        for row, region in enumerate(i.index):
            if region in shapes.index:
                distance = points.distance(shapes.loc[region]).to_numpy()
                near[row] = distance <= i.recycling_distance_km * 1000.0
    for row, region in enumerate(i.index):
        out.iloc[row] = capacity[(in_region == region) | near[row]].sum()
    return out


#: The implementation of every catalogue entry of ``iwm_study.config.SELECTION_CRITERIA``.
CRITERION_FUNCTIONS: dict[str, dict[str, Callable[[_Inputs], pd.Series]]] = {
    "region": {
        "waste_t": _waste_t,
        "hazardous_share": _hazardous_share,
        "manufacturing_enterprises": _manufacturing_enterprises,
        "landfill_share": _fate_share(LANDFILL_FATES),
        "recycling_capacity_t": _recycling_capacity_t,
        "recp_interest": _mean_recp,
    },
    "enterprise": {
        "waste_t": _waste_t,
        "hazardous_share": _hazardous_share,
        "waste_intensity": _waste_intensity,
        "not_recovered_share": _fate_share(NOT_RECOVERED_FATES),
        "employees": _employees,
        "recp_interest": _recp_level,
    },
}


def _recp_levels(series: pd.Series) -> pd.Series:
    return series.map({level: float(n) for n, level in enumerate(RECP_LEVELS)})


def region_criteria(
    study: Study,
    regions: Sequence[str] | None = None,
    recycling_distance_km: float = 50.0,
    region_shapes: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """Every region criterion of the catalogue, one row per economic region (default: all 14).

    ``region_shapes`` (columns economic_region, geometry) default to the bundled boundaries;
    recycling facilities within ``recycling_distance_km`` of a region's boundary count as
    nearby. A share is missing (NaN) for a region without recorded waste.
    """
    ent = study.enterprises
    key = ent.set_index("enterprise_id")["economic_region"]
    streams = study.waste_streams.assign(key=study.waste_streams["enterprise_id"].map(key))
    enterprises = pd.DataFrame(
        {
            "key": ent["economic_region"].to_numpy(),
            "nace_section": ent["nace_section"].to_numpy(),
            "employees": ent["employees"].astype(float).to_numpy(),
            "recp_level": _recp_levels(ent["recp_interest"]).to_numpy(),
        }
    )
    if region_shapes is None and recycling_distance_km > 0:
        from .data import geography

        region_shapes = geography.economic_regions()
    index = pd.Index(list(regions or economic_region_names()), name="economic_region")
    inputs = _Inputs(
        index, streams, enterprises, study.facilities, region_shapes, recycling_distance_km
    )
    return pd.DataFrame({n: f(inputs) for n, f in CRITERION_FUNCTIONS["region"].items()})


def enterprise_criteria(study: Study) -> pd.DataFrame:
    """Every enterprise criterion of the catalogue, one row per enterprise (index enterprise_id).

    Shares are missing (NaN) for an enterprise without recorded waste and the intensity for
    one with no employees; ``complete_cases`` separates them before ranking.
    """
    ent = study.enterprises
    streams = study.waste_streams.assign(key=study.waste_streams["enterprise_id"])
    enterprises = pd.DataFrame(
        {
            "key": ent["enterprise_id"].to_numpy(),
            "nace_section": ent["nace_section"].to_numpy(),
            "employees": ent["employees"].astype(float).to_numpy(),
            "recp_level": _recp_levels(ent["recp_interest"]).to_numpy(),
        }
    )
    index = pd.Index(ent["enterprise_id"].to_numpy(), name="enterprise_id")
    inputs = _Inputs(index, streams, enterprises)
    return pd.DataFrame({n: f(inputs) for n, f in CRITERION_FUNCTIONS["enterprise"].items()})


def complete_cases(values: pd.DataFrame, criteria: Sequence[str]) -> tuple[pd.DataFrame, pd.Series]:
    """Split alternatives into those with every criterion known and the others.

    Returns the complete rows and, for each incomplete alternative, the criteria it lacks
    (comma-separated), so a report can say why it was not ranked.
    """
    missing = values[list(criteria)].isna()
    incomplete = missing.any(axis=1)
    lacking = pd.Series(
        [", ".join(missing.columns[row]) for row in missing[incomplete].to_numpy()],
        index=values.index[incomplete],
        name="missing",
        dtype=object,
    )
    return values[~incomplete], lacking


# ------------------------------------------------------------------------------- normalisation


def _as_matrix(
    matrix: Any, alternatives: Sequence[str] | None, criteria: Sequence[str] | None
) -> tuple[np.ndarray, list[str], list[str]]:
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


def _check_values(x: np.ndarray, alts: list[str], crit: list[str]) -> None:
    """Every value known and finite, no criterion constant: else a ScoringError naming them."""
    bad = ~np.isfinite(x)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        others = int(bad[:, j].sum()) - 1
        more = f" (and {others} other alternative{'s' if others != 1 else ''})" if others else ""
        raise ScoringError(
            f"criterion '{crit[j]}' has no value for alternative '{alts[i]}'{more}; "
            "complete the data or leave the alternative out (see complete_cases)."
        )
    constant = x.max(axis=0) == x.min(axis=0)
    if constant.any():
        j = int(np.argmax(constant))
        raise ScoringError(
            f"criterion '{crit[j]}' has the same value ({x[0, j]:g}) for all {len(alts)} "
            "alternatives, so it cannot tell them apart; remove it from the criteria."
        )


def _cost_mask(directions: Sequence[str], m: int) -> np.ndarray:
    d = list(directions)
    if len(d) != m:
        raise ScoringError(f"{len(d)} directions given for {m} criteria.")
    unknown = sorted({x for x in d if x not in ("benefit", "cost")})
    if unknown:
        raise ScoringError(
            f"a direction is 'benefit' or 'cost', not {', '.join(map(repr, unknown))}."
        )
    return np.array([x == "cost" for x in d])


def _require(ok: np.ndarray, x: np.ndarray, alts: list[str], crit: list[str], rule: str) -> None:
    """Raise naming the first value for which ``ok`` fails."""
    if not ok.all():
        i, j = np.argwhere(~ok)[0]
        raise ScoringError(
            f"criterion '{crit[j]}' of alternative '{alts[i]}' is {x[i, j]:g}: {rule}"
        )


def _normalise(
    x: np.ndarray, cost: np.ndarray, method: str, alts: list[str], crit: list[str]
) -> np.ndarray:
    if method == "minmax":
        lo, hi = x.min(axis=0), x.max(axis=0)
        return np.where(cost, (hi - x) / (hi - lo), (x - lo) / (hi - lo))
    if method == "vector":
        r = x / np.sqrt((x**2).sum(axis=0))
        return np.where(cost, 1.0 - r, r)
    if method == "sum":
        _require(
            (x > 0) | ~cost,
            x,
            alts,
            crit,
            "sum normalisation of a cost criterion needs values > 0.",
        )
        _require(x >= 0, x, alts, crit, "sum normalisation needs values >= 0.")
        # 1/x only where the criterion is a cost (benefit columns may hold zeros)
        inverse = 1.0 / np.where(cost, x, 1.0)
        return np.where(cost, inverse / inverse.sum(axis=0), x / x.sum(axis=0))
    if method == "max":
        _require(x >= 0, x, alts, crit, "max normalisation needs values >= 0.")
        r = x / x.max(axis=0)
        return np.where(cost, 1.0 - r, r)
    raise ScoringError(f"unknown normalisation {method!r}; use one of {', '.join(NORMALISATIONS)}.")


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
    x, alts, crit = _as_matrix(matrix, alternatives, criteria)
    _check_values(x, alts, crit)
    return _normalise(x, _cost_mask(directions, x.shape[1]), method, alts, crit)


# ------------------------------------------------------------------------------------- weights


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
    Saaty's random index RI (``iwm_study.config.SAATY_RANDOM_INDEX``, n <= 15).
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
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lam = float(values[k].real)
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    ri = SAATY_RANDOM_INDEX[n]
    cr = ci / ri if ri > 0 else 0.0
    return AHPResult(w, lam, ci, ri, cr, a)


# ------------------------------------------------------------------------------------- methods


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


class _Scorer:
    """A decision matrix prepared for one method: scores any batch of weight vectors at once.

    weighted sum: S = W R^T; TOPSIS: D+ = sqrt(W^2 ((R - max R)^2)^T), D- likewise, S = D- /
    (D+ + D-) (for w >= 0 the ideal of w r is w max r); PROMETHEE II: S = W Phi^T (net flows
    are linear in the weights).
    """

    def __init__(
        self,
        method: str,
        x: np.ndarray,
        cost: np.ndarray,
        normalisation: str,
        alts: list[str],
        crit: list[str],
        preference_function: str = "usual",
        q: np.ndarray | None = None,
        p: np.ndarray | None = None,
    ):
        self.method = method
        if method == "weighted_sum":
            self.r = _normalise(x, cost, normalisation, alts, crit)
        elif method == "topsis":
            r = _normalise(x, cost, normalisation, alts, crit)
            self.to_best = (r - r.max(axis=0)) ** 2
            self.to_worst = (r - r.min(axis=0)) ** 2
        elif method == "promethee_ii":
            if preference_function not in ("usual", "linear"):
                raise ScoringError(
                    f"unknown preference function {preference_function!r}; use usual or linear."
                )
            m = x.shape[1]
            q = np.zeros(m) if q is None else np.asarray(q, dtype=float)
            p = x.max(axis=0) - x.min(axis=0) if p is None else np.asarray(p, dtype=float)
            if preference_function == "linear" and not (p > q).all():
                j = int(np.argmax(~(p > q)))
                raise ScoringError(
                    f"criterion '{crit[j]}': the preference threshold p ({p[j]:g}) must exceed "
                    f"the indifference threshold q ({q[j]:g})."
                )
            self.flows = _promethee_flows(x, cost, preference_function, q, p)
        else:
            raise ScoringError(f"unknown method {method!r}; use one of {', '.join(METHODS)}.")

    def __call__(self, weights: np.ndarray) -> np.ndarray:
        w = np.atleast_2d(weights)
        if self.method == "weighted_sum":
            return w @ self.r.T
        if self.method == "topsis":
            w2 = w**2
            best = np.sqrt(w2 @ self.to_best.T)
            worst = np.sqrt(w2 @ self.to_worst.T)
            return worst / (best + worst)
        return w @ self.flows.T


def _weights_vector(weights: Any, m: int) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    if w.shape != (m,):
        raise ScoringError(f"{w.size} weights given for {m} criteria.")
    if (w < 0).any() or not np.isfinite(w).all():
        raise ScoringError("weights must be finite and not negative.")
    if abs(w.sum() - 1.0) > 1e-6:
        raise ScoringError(f"the weights sum to {w.sum():.6g}, not 1.")
    return w


def _run(
    method: str,
    matrix: Any,
    weights: Any,
    directions: Sequence[str],
    normalisation: str,
    alternatives: Sequence[str] | None,
    criteria: Sequence[str] | None,
    **kw: Any,
) -> MethodResult:
    x, alts, crit = _as_matrix(matrix, alternatives, criteria)
    _check_values(x, alts, crit)
    w = _weights_vector(weights, x.shape[1])
    scorer = _Scorer(method, x, _cost_mask(directions, x.shape[1]), normalisation, alts, crit, **kw)
    scores = scorer(w)[0]
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
    return _run("weighted_sum", matrix, weights, directions, normalisation, alternatives, criteria)


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
    return _run("topsis", matrix, weights, directions, normalisation, alternatives, criteria)


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
    return _run(
        "promethee_ii",
        matrix,
        weights,
        directions,
        "minmax",
        alternatives,
        criteria,
        preference_function=preference_function,
        q=indifference,
        p=preference,
    )


# ------------------------------------------------------------------------- rank a frame of values


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


@dataclass(frozen=True)
class Ranking:
    """A ranking of alternatives and everything needed to explain and test it.

    ``table``: index = alternatives, columns label, rank, score and the criteria values,
    sorted by rank, then label, then index (the tie-break rule). ``contributions``: w_j times
    the min-max normalised (direction-adjusted) value, the share of the best possible score an
    alternative gets from each criterion, used to explain it in words.
    """

    kind: str
    settings: SelectionSettings
    table: pd.DataFrame
    weights: pd.Series
    directions: pd.Series
    contributions: pd.DataFrame
    ahp: AHPResult | None
    scorer: Callable[[np.ndarray], np.ndarray] = field(repr=False)

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
        s = self.settings
        names = {
            "weighted_sum": "weighted sum",
            "topsis": "TOPSIS",
            "promethee_ii": "PROMETHEE II",
        }
        how = (
            f"{s.preference_function} preference function"
            if s.method == "promethee_ii"
            else f"{s.normalisation} normalisation"
        )
        weights = {"direct": "direct weights", "equal": "equal weights", "ahp": "AHP weights"}
        return f"{names[s.method]} ({how}, {weights[s.weights]})"


def rank_alternatives(
    values: pd.DataFrame, settings: SelectionSettings, labels: pd.Series | None = None
) -> Ranking:
    """Rank the rows of ``values`` on the settings' criteria, method, normalisation, weights.

    ``labels`` (indexed like ``values``) name the alternatives in messages and tables (e.g.
    enterprise names); by default the index is the label.
    """
    names = settings.criterion_names
    absent = [n for n in names if n not in values.columns]
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
    x, alts, crit = _as_matrix(
        values[names].to_numpy(dtype=float, na_value=np.nan), list(label), names
    )
    _check_values(x, alts, crit)
    weights, ahp = resolve_weights(settings)
    directions = pd.Series([settings.criteria[n].direction for n in names], index=names)
    cost = _cost_mask(list(directions), len(names))
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
    scorer = _Scorer(
        settings.method,
        x,
        cost,
        settings.normalisation,
        alts,
        crit,
        preference_function=settings.preference_function,
        q=q,
        p=p,
    )
    scores = scorer(weights.to_numpy())[0]
    table = pd.DataFrame(
        {"label": label.to_numpy(), "rank": rank_scores(scores), "score": scores},
        index=values.index,
    ).join(values[names])
    contributions = pd.DataFrame(
        _normalise(x, cost, "minmax", alts, crit) * weights.to_numpy(),
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
        _ReorderedScorer(scorer, order),
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


class _ReorderedScorer:
    """A scorer whose columns follow the ranking table's order."""

    def __init__(self, scorer: _Scorer, order: np.ndarray):
        self.scorer, self.order = scorer, order

    def __call__(self, weights: np.ndarray) -> np.ndarray:
        return self.scorer(weights)[:, self.order]


# ------------------------------------------------------------------------------------ sensitivity


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
    is kept and the largest rank shift.
    """

    rank_probability: pd.DataFrame
    summary: pd.DataFrame
    overall: dict[str, float]
    one_at_a_time: pd.DataFrame
    top: int


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
    return Sensitivity(probability, summary, overall, oat, top)


# ------------------------------------------------------------------------------ words for reports


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_criterion(kind: str, name: str, value: float) -> str:
    """A criterion value as a reader reads it ('12,400 t/yr', '45.0%', 'high')."""
    if pd.isna(value):
        return "n/a"
    if kind == "enterprise" and name == "recp_interest":
        return RECP_LEVELS[round(value)]
    return SELECTION_CRITERIA[kind][name].fmt.format(value)


def criterion_positions(ranking: Ranking) -> pd.DataFrame:
    """Each alternative's place on each criterion alone (1 = best in the criterion's direction;
    ties share the best place)."""
    values = ranking.table[ranking.criteria].astype(float)
    signed = values * np.where(ranking.directions == "cost", -1.0, 1.0)
    return signed.rank(method="min", ascending=False).astype(int)


def _lower_first(label: str) -> str:
    """'Hazardous share' -> 'hazardous share', but 'RECP interest' stays as it is."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def _share_text(p: float) -> str:
    """A probability as a percentage that never rounds a rare event to 0 % or 100 %."""
    if 0 < p < 0.005:
        return "under 1%"
    if 0.995 < p < 1:
        return "over 99%"
    return f"{p:.0%}"


def reasons(ranking: Ranking, strengths: int = 2) -> pd.Series:
    """One sentence per alternative: why it scores as it does.

    The strengths are the criteria with the largest weighted contribution w_j m_ij (m: min-max
    normalised value, 1 = best alternative on the criterion); the weak point ('furthest from the
    best') is the weighted criterion with the largest shortfall w_j (1 - m_ij) among those where
    the alternative is in the worse half of the range (m_ij < 0.5). Each comes with its value and its place on that
    criterion alone (1st = best; ties share the place).
    """
    places = criterion_positions(ranking)
    n = len(ranking.table)
    w = ranking.weights
    position = {c: k for k, c in enumerate(ranking.criteria)}
    out = {}
    for alt in ranking.table.index:
        contribution = ranking.contributions.loc[alt]
        shortfall = w - contribution
        order = sorted(ranking.criteria, key=lambda c: (-contribution[c], position[c]))
        best = [c for c in order if contribution[c] > 0][:strengths]
        lagging = sorted(
            (
                c
                for c in ranking.criteria
                if w[c] > 0 and c not in best and contribution[c] < 0.5 * w[c]
            ),
            key=lambda c: (-shortfall[c], position[c]),
        )

        def phrase(c: str, alt: Any = alt) -> str:
            info = SELECTION_CRITERIA[ranking.kind][c]
            value = format_criterion(ranking.kind, c, ranking.table.at[alt, c])
            place = _ordinal(int(places.at[alt, c]))
            return f"{_lower_first(info.label)} {value} ({place} of {n})"

        parts = []
        if best:
            parts.append("strongest on " + " and ".join(phrase(c) for c in best))
        if lagging:
            parts.append("furthest from the best on " + phrase(lagging[0]))
        text = "; ".join(parts) or "no criterion sets it apart"
        out[alt] = text[0].upper() + text[1:] + "."
    return pd.Series(out, name="reasons").reindex(ranking.table.index)


def _join(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def pilot_statement(ranking: Ranking, sens: Sensitivity, pilots: int) -> str:
    """A plain-language paragraph (Markdown): the recommended pilot regions and why."""
    chosen = ranking.top(pilots)
    why = reasons(ranking)
    n = len(ranking.table)
    lines = [
        f"**Recommended pilot region{'s' if len(chosen) > 1 else ''}: {_join(list(chosen['label']))}.** "
        f"The {n} economic regions were ranked with {ranking.method_text} on "
        f"{len(ranking.criteria)} criteria drawn from the inventory.",
        "",
    ]
    for alt, row in chosen.iterrows():
        p = sens.summary.at[alt, "p_top"]
        lines.append(
            f"- **{row['label']}** ranks {_ordinal(int(row['rank']))} of {n} (score "
            f"{row['score']:.3f}). {why[alt]} It stays among the top {sens.top} in "
            f"{_share_text(p)} of {int(sens.overall['draws']):,} weight draws."
        )
    rest = ranking.table.iloc[len(chosen) :]
    if len(rest):
        runner_up = rest.index[0]
        lines.append(
            f"- The next region, **{rest.iloc[0]['label']}** (score {rest.iloc[0]['score']:.3f}), "
            f"enters the top {sens.top} in {_share_text(sens.summary.at[runner_up, 'p_top'])} of "
            "the draws."
        )
    lines.append("")
    kept = sens.overall["p_top_set_kept"]
    oat = sens.one_at_a_time
    changed = oat[~oat["top_set_kept"]]
    if changed.empty:
        oat_text = (
            "no single weight change of "
            + ", ".join(f"{c:+.0%}" for c in sorted(set(oat["change"])))
            + " alters it"
        )
    else:
        first = changed.iloc[0]
        oat_text = (
            "changing the weight of "
            f"{_lower_first(SELECTION_CRITERIA[ranking.kind][first['criterion']].label)} "
            f"by {first['change']:+.0%} alters it ({len(changed)} of {len(oat)} one-at-a-time changes do)"
        )
    lines.append(
        f"The recommended set is the same in {_share_text(kept)} of the weight draws, and "
        f"{oat_text}."
    )
    return "\n".join(lines)


def shortlist(ranking: Ranking, size: int, sens: Sensitivity | None = None) -> pd.DataFrame:
    """The first ``size`` alternatives with their rank, score, reasons and (given ``sens``)
    how often they stay within the shortlist."""
    chosen = ranking.top(size)
    out = chosen[["label", "rank", "score"]].copy()
    if sens is not None:
        out["p_in_shortlist"] = sens.summary.loc[chosen.index, "p_top"]
    out["reasons"] = reasons(ranking).loc[chosen.index]
    return out


def ranking_frame(
    ranking: Ranking, name: str = "alternative"
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The ranking table with readable column names, and the formatter of each column, for
    ``iwm_study.report.table``; ``name`` heads the column of labels."""
    frame = ranking.table.rename(
        columns={"label": name} | {c: i.label for c, i in ranking.info.items()}
    )
    formats: dict[str, Any] = {"score": "{:.3f}"}
    for c, info in ranking.info.items():
        formats[info.label] = lambda v, c=c: format_criterion(ranking.kind, c, v)
    return frame, formats


def stability_frame(
    sens: Sensitivity, name: str = "alternative"
) -> tuple[pd.DataFrame, dict[str, str]]:
    """The Monte Carlo rank-stability summary with readable column names and formats."""
    top = f"P(top {sens.top})"
    frame = sens.summary.rename(
        columns={
            "label": name,
            "p_same_rank": "P(same rank)",
            "p_top": top,
            "mean_rank": "mean rank",
            "rank_p05": "rank, 5th percentile",
            "rank_p95": "rank, 95th percentile",
        }
    )
    return frame, {"P(same rank)": "{:.1%}", top: "{:.1%}", "mean rank": "{:.2f}"}


def one_at_a_time_frame(sens: Sensitivity) -> tuple[pd.DataFrame, dict[str, str]]:
    """The one-at-a-time weight changes with readable column names and formats."""
    frame = sens.one_at_a_time.rename(
        columns={
            "weight_before": "weight",
            "weight_after": "new weight",
            "first": "ranked first",
            "top_set_kept": f"top {sens.top} kept",
            "spearman": "Spearman rho",
            "largest_shift": "largest rank shift",
            "largest_shift_alternative": "of",
        }
    )
    formats = {
        "change": "{:+.0%}",
        "weight": "{:.3f}",
        "new weight": "{:.3f}",
        "Spearman rho": "{:.3f}",
    }
    return frame, formats


def criteria_table(ranking: Ranking) -> pd.DataFrame:
    """The criteria as used: label, unit, direction, weight and how each is computed."""
    rows = []
    for name in ranking.criteria:
        info = SELECTION_CRITERIA[ranking.kind][name]
        rows.append(
            {
                "criterion": name,
                "label": info.label,
                "unit": info.unit,
                "direction": ranking.directions[name],
                "weight": ranking.weights[name],
                "how it is computed": info.computed,
            }
        )
    return pd.DataFrame(rows).set_index("criterion")


def ahp_table(ahp: AHPResult, criteria: Sequence[str]) -> pd.DataFrame:
    """The pairwise comparison matrix with the resulting weights, for the report."""
    frame = pd.DataFrame(ahp.matrix, index=list(criteria), columns=list(criteria))
    frame["weight"] = ahp.weights
    return frame


def consistency_text(ahp: AHPResult) -> str:
    """lambda_max, CI, RI and CR in one sentence, with Saaty's verdict."""
    verdict = (
        "acceptably consistent (CR < 0.10)"
        if ahp.consistent
        else "**inconsistent (CR >= 0.10): revise the judgements before relying on these weights**"
    )
    return (
        f"lambda_max = {ahp.lambda_max:.3f}, CI = {ahp.ci:.3f}, RI = {ahp.ri:.2f}, "
        f"CR = {ahp.cr:.3f}: the judgements are {verdict}."
    )


# ------------------------------------------------------------------------------------------ charts


def score_bar_chart(
    ranking: Ranking, highlight: int, title: str, limit: int | None = None
) -> Figure:
    """Horizontal bars of the scores, best at the top; the first ``highlight`` in blue."""
    from matplotlib.figure import Figure

    table = ranking.table if limit is None else ranking.table.head(limit)
    n = len(table)
    fig = Figure(figsize=(7.5, 0.32 * n + 1.4), dpi=100)
    ax = fig.subplots()
    colours = [SELECTED_COLOUR if i < highlight else OTHER_COLOUR for i in range(n)]
    ax.barh(range(n), table["score"], color=colours)
    ax.set_yticks(
        range(n), [f"{r}. {lab}" for r, lab in zip(table["rank"], table["label"], strict=True)]
    )
    ax.invert_yaxis()
    ax.set_xlabel(f"Score: {ranking.method_text}")
    ax.set_title(title, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def score_map(ranking: Ranking, regions: gpd.GeoDataFrame, highlight: int, title: str) -> Figure:
    """Choropleth of the region scores (cividis, safe for colour-blind readers); the first
    ``highlight`` regions outlined; regions without a score hatched grey."""
    from matplotlib.figure import Figure

    shapes = regions.merge(
        ranking.table[["rank", "score"]], left_on="economic_region", right_index=True, how="left"
    )
    fig = Figure(figsize=(8, 6), dpi=100)
    ax = fig.subplots()
    scored = shapes[shapes["score"].notna()]
    scored.plot(
        ax=ax,
        column="score",
        cmap="cividis",
        edgecolor="white",
        linewidth=0.6,
        legend=True,
        legend_kwds={"label": "Score", "shrink": 0.7},
    )
    missing = shapes[shapes["score"].isna()]
    if len(missing):
        missing.plot(ax=ax, color="#f0f0f0", edgecolor="#999999", hatch="//", linewidth=0.6)
    chosen = shapes[shapes["economic_region"].isin(ranking.top(highlight).index)]
    chosen.boundary.plot(ax=ax, color="#D55E00", linewidth=2.0)
    for _, row in scored.sort_values("economic_region").iterrows():
        point = row.geometry.representative_point()
        ax.annotate(
            str(int(row["rank"])),
            (point.x, point.y),
            ha="center",
            va="center",
            fontsize=9,
            color="black",
            bbox={"boxstyle": "circle,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    ax.set_title(title, loc="left")
    ax.set_xlabel("Longitude (degrees east)")
    ax.set_ylabel("Latitude (degrees north)")
    fig.tight_layout()
    return fig


def rank_heatmap(sens: Sensitivity, title: str, limit: int | None = None) -> Figure:
    """Heatmap of P(alternative holds rank): alternatives in ranking order, ranks 1..N (or
    the first ``limit`` of both), probabilities written in the cells."""
    from matplotlib.figure import Figure

    prob = sens.rank_probability
    labels = sens.summary["label"]
    if limit is not None:
        prob, labels = prob.iloc[:limit, :limit], labels.iloc[:limit]
    n, m = prob.shape
    fig = Figure(figsize=(0.45 * m + 3.2, 0.34 * n + 1.6), dpi=100)
    ax = fig.subplots()
    image = ax.imshow(prob.to_numpy(), cmap="Blues", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(m), [str(c) for c in prob.columns])
    ax.set_yticks(range(n), list(labels))
    ax.set_xlabel("Rank")
    for i in range(n):
        for j in range(m):
            v = prob.iat[i, j]
            if v > 0:
                ax.text(
                    j,
                    i,
                    f"{v:.0%}" if v >= 0.01 else "<1%",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if v > 0.6 else "black",
                )
    fig.colorbar(image, ax=ax, label="Share of weight draws", shrink=0.8)
    ax.set_title(title, loc="left")
    fig.tight_layout()
    return fig
