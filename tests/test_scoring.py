"""Multi-criteria scoring: hand-worked examples, agreement with pymcdm, AHP, ties, sensitivity,
errors, and the criteria computed from a study."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import GOOD, TODAY, write_tables
from pymcdm import normalizations as pn
from pymcdm.methods import PROMETHEE_II, TOPSIS, WSM
from pymcdm.weights.subjective import AHP

from iwm_study import scoring
from iwm_study.config import (
    SAATY_RANDOM_INDEX,
    SELECTION_CRITERIA,
    EnterpriseSelection,
    RegionSelection,
    ahp_consistency,
)
from iwm_study.scoring import ScoringError

# The small decision problem the hand-worked examples use: three alternatives, three criteria.
#            C1 (benefit)  C2 (benefit)  C3 (cost)
#   A1            2            10            4
#   A2            4            30            1
#   A3            6            20            3
X = np.array([[2.0, 10.0, 4.0], [4.0, 30.0, 1.0], [6.0, 20.0, 3.0]])
W = np.array([0.5, 0.3, 0.2])
D = ["benefit", "benefit", "cost"]
NAMES = ["A1", "A2", "A3"]


def close(a, b, tol: float = 1e-12) -> bool:
    return np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=0, atol=tol)


# ------------------------------------------------------------------------------ normalisation


def test_minmax_by_hand() -> None:
    # C1: (x - 2) / 4 = 0, 0.5, 1;  C2: (x - 10) / 20 = 0, 1, 0.5;  C3 cost: (4 - x) / 3 = 0, 1, 1/3
    r = scoring.normalise(X, D, "minmax")
    assert close(r, [[0, 0, 0], [0.5, 1, 1], [1, 0.5, 1 / 3]])


def test_vector_by_hand() -> None:
    # C1 / sqrt(4 + 16 + 36); C2 / sqrt(100 + 900 + 400); C3 cost: 1 - x / sqrt(16 + 1 + 9)
    r = scoring.normalise(X, D, "vector")
    s1, s2, s3 = math.sqrt(56), math.sqrt(1400), math.sqrt(26)
    assert close(r[:, 0], [2 / s1, 4 / s1, 6 / s1])
    assert close(r[:, 1], [10 / s2, 30 / s2, 20 / s2])
    assert close(r[:, 2], [1 - 4 / s3, 1 - 1 / s3, 1 - 3 / s3])


def test_sum_by_hand() -> None:
    # C1 / 12 = 1/6, 1/3, 1/2;  C2 / 60 = 1/6, 1/2, 1/3;
    # C3 cost: (1/x) / sum(1/x) with 1/4 + 1 + 1/3 = 19/12 -> 3/19, 12/19, 4/19
    r = scoring.normalise(X, D, "sum")
    assert close(r, [[1 / 6, 1 / 6, 3 / 19], [1 / 3, 1 / 2, 12 / 19], [1 / 2, 1 / 3, 4 / 19]])


def test_max_by_hand() -> None:
    # C1 / 6 = 1/3, 2/3, 1;  C2 / 30 = 1/3, 1, 2/3;  C3 cost: 1 - x / 4 = 0, 3/4, 1/4
    r = scoring.normalise(X, D, "max")
    assert close(r, [[1 / 3, 1 / 3, 0], [2 / 3, 1, 3 / 4], [1, 2 / 3, 1 / 4]])


# ------------------------------------------------------------------------------------ methods


@pytest.mark.parametrize(
    ("normalisation", "expected"),
    [
        # minmax: A1 = 0; A2 = .5(.5) + .3(1) + .2(1) = .75; A3 = .5(1) + .3(.5) + .2(1/3) = 43/60
        ("minmax", [0, 0.75, Fraction(43, 60)]),
        # sum: A1 = .5/6 + .3/6 + .2(3/19) = 47/285; A2 = .5/3 + .3/2 + .2(12/19) = 101/228;
        #      A3 = .5/2 + .3/3 + .2(4/19) = 149/380
        ("sum", [Fraction(47, 285), Fraction(101, 228), Fraction(149, 380)]),
        # max: A1 = .5/3 + .3/3 + 0 = 4/15; A2 = .5(2/3) + .3 + .2(3/4) = 47/60; A3 = .5 + .2 + .05
        ("max", [Fraction(4, 15), Fraction(47, 60), Fraction(3, 4)]),
    ],
)
def test_weighted_sum_by_hand(normalisation: str, expected: list) -> None:
    result = scoring.weighted_sum(X, W, D, normalisation)
    assert close(result.scores, [float(e) for e in expected])
    assert list(result.ranks) == [3, 1, 2]


def test_topsis_by_hand() -> None:
    # min-max matrix R = [[0,0,0],[.5,1,1],[1,.5,1/3]], V = R * w = [[0,0,0],[.25,.3,.2],[.5,.15,1/15]]
    # ideal (.5, .3, .2), anti-ideal (0, 0, 0)
    # A1: D+ = sqrt(.25 + .09 + .04), D- = 0                  -> 0
    # A2: D+ = .25, D- = sqrt(.0625 + .09 + .04)              -> sqrt(.1925) / (sqrt(.1925) + .25)
    # A3: D+ = sqrt(.0225 + (2/15)^2), D- = sqrt(.25 + .0225 + (1/15)^2)
    a2 = math.sqrt(0.1925) / (math.sqrt(0.1925) + 0.25)
    dp3, dm3 = math.sqrt(0.0225 + (2 / 15) ** 2), math.sqrt(0.25 + 0.0225 + (1 / 15) ** 2)
    result = scoring.topsis(X, W, D, "minmax")
    assert close(result.scores, [0.0, a2, dm3 / (dp3 + dm3)])
    assert list(result.ranks) == [3, 2, 1]  # unlike the weighted sum, TOPSIS puts A3 first


def test_promethee_usual_by_hand_with_a_tie() -> None:
    # Usual preference: P = 1 when strictly better. Per-criterion net flows (N - 1 = 2):
    # C1 (2, 4, 6): -1, 0, 1;  C2 (10, 30, 20): -1, 1, 0;  C3 cost (4, 1, 3): -1, 1, 0
    # phi = .5 C1 + .3 C2 + .2 C3: A1 = -1, A2 = .3 + .2 = .5, A3 = .5 -> A2 and A3 tie
    result = scoring.promethee_ii(X, W, D, "usual")
    assert close(result.scores, [-1.0, 0.5, 0.5])
    assert list(result.ranks) == [3, 1, 1]


def test_promethee_linear_by_hand() -> None:
    # Linear, q = 0, p = range: P = d / range for d > 0.
    # C1 range 4: A1 = -(2/4 + 4/4)/2 = -3/4, A2 = (2/4 - 2/4)/2 = 0, A3 = +3/4
    # C2 range 20 (10, 30, 20): A1 = -(20/20 + 10/20)/2 = -3/4, A2 = +3/4, A3 = (10/20 - 10/20)/2 = 0
    # C3 range 3, cost (4, 1, 3): A1 = -(3/3 + 1/3)/2 = -2/3, A2 = (3/3 + 2/3)/2 = 5/6,
    #    A3 = (1/3 - 2/3)/2 = -1/6
    # phi: A1 = -.375 - .225 - 2/15 = -11/15; A2 = .225 + 1/6 = 47/120; A3 = .375 - 1/30 = 41/120
    result = scoring.promethee_ii(X, W, D, "linear")
    assert close(result.scores, [-11 / 15, 47 / 120, 41 / 120])
    assert list(result.ranks) == [3, 1, 2]
    # thresholds q = 1, p = 3 on C1 only change C1: d = 2 -> (2 - 1) / 2 = .5, d = 4 -> 1,
    # which gives the same C1 flows (-3/4, 0, 3/4) as before
    same = scoring.promethee_ii(X, W, D, "linear", [1, 0, 0], [3, 20, 3])
    assert close(same.scores, result.scores)
    # p = 1 on C1: every difference of 2 or 4 is a full preference -> C1 flows as 'usual' (-1, 0, 1)
    strict = scoring.promethee_ii(X, W, D, "linear", [0, 0, 0], [1, 20, 3])
    assert close(strict.scores, [-0.5 - 0.225 - 2 / 15, 0.225 + 1 / 6, 0.5 - 1 / 30])


# ------------------------------------------------------------------- agreement with pymcdm

RNG_SEEDS = range(6)


def random_problem(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(4, 40)), int(rng.integers(2, 9))
    x = rng.uniform(0.5, 1000.0, size=(n, m))
    w = rng.dirichlet(np.ones(m))
    types = rng.choice([1, -1], size=m)
    types[0] = 1
    return x, w, types, ["benefit" if t == 1 else "cost" for t in types]


# Our four normalisations are pymcdm's functions of the same name (same cost inversion).
PYMCDM_NORMALISATION = {
    "minmax": pn.minmax_normalization,
    "vector": pn.vector_normalization,
    "sum": pn.sum_normalization,
    "max": pn.max_normalization,
}


@pytest.mark.parametrize("seed", RNG_SEEDS)
@pytest.mark.parametrize("normalisation", list(PYMCDM_NORMALISATION))
def test_normalise_agrees_with_pymcdm(seed: int, normalisation: str) -> None:
    x, _, types, d = random_problem(seed)
    ours = scoring.normalise(x, d, normalisation)
    for j, t in enumerate(types):
        theirs = PYMCDM_NORMALISATION[normalisation](x[:, j], cost=t == -1)
        assert close(ours[:, j], theirs, 1e-9)


@pytest.mark.parametrize("seed", RNG_SEEDS)
@pytest.mark.parametrize("normalisation", list(PYMCDM_NORMALISATION))
def test_weighted_sum_and_topsis_agree_with_pymcdm(seed: int, normalisation: str) -> None:
    x, w, types, d = random_problem(seed)
    f = PYMCDM_NORMALISATION[normalisation]
    wsm = scoring.weighted_sum(x, w, d, normalisation)
    assert close(wsm.scores, WSM(f)(x, w, types), 1e-9)
    top = scoring.topsis(x, w, d, normalisation)
    expected = TOPSIS(f)(x, w, types)
    assert close(top.scores, expected, 1e-9)
    # no ties in continuous random data: our ranks equal pymcdm's
    assert list(top.ranks) == list(TOPSIS(f).rank(expected).astype(int))


@pytest.mark.parametrize("seed", RNG_SEEDS)
def test_promethee_agrees_with_pymcdm(seed: int) -> None:
    x, w, types, d = random_problem(seed)
    usual = scoring.promethee_ii(x, w, d, "usual")
    assert close(usual.scores, PROMETHEE_II("usual")(x, w, types), 1e-9)
    # our 'linear' is Brans' type V, pymcdm's 'vshape_2'
    rng = np.random.default_rng(100 + seed)
    spread = x.max(axis=0) - x.min(axis=0)
    q = rng.uniform(0, 0.2, x.shape[1]) * spread
    p = q + rng.uniform(0.1, 0.8, x.shape[1]) * spread
    linear = scoring.promethee_ii(x, w, d, "linear", q, p)
    assert close(linear.scores, PROMETHEE_II("vshape_2", p=p, q=q)(x, w, types), 1e-9)


def test_promethee_blocks_give_the_same_flows() -> None:
    # more rows than one block (the block holds 2,000,000 / N rows): N = 1,500 -> 1,333 rows
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 100, size=(1500, 2))
    small = scoring.promethee_ii(x[:40], [0.6, 0.4], ["benefit", "cost"], "usual")
    assert close(small.scores, PROMETHEE_II("usual")(x[:40], np.array([0.6, 0.4]), [1, -1]), 1e-9)
    big = scoring.promethee_ii(x, [0.6, 0.4], ["benefit", "cost"], "usual")
    # usual preference on distinct values: phi_j(a) = (#worse - #better) / (N - 1)
    y = np.column_stack([x[:, 0], -x[:, 1]])
    worse = (y[:, None, :] > y[None, :, :]).sum(axis=1)
    better = (y[:, None, :] < y[None, :, :]).sum(axis=1)
    assert close(big.scores, ((worse - better) / 1499) @ np.array([0.6, 0.4]))


# ------------------------------------------------------------------------------------ weights


def test_direct_and_equal_weights() -> None:
    assert close(scoring.direct_weights([2, 1, 1]), [0.5, 0.25, 0.25])
    assert close(scoring.equal_weights(4), [0.25] * 4)
    with pytest.raises(ScoringError, match="negative"):
        scoring.direct_weights([0.5, -0.1, 0.6])
    with pytest.raises(ScoringError, match="positive"):
        scoring.direct_weights([0, 0])


def test_ahp_consistent_matrix_by_hand() -> None:
    # a_ij = w_i / w_j with w = (4, 2, 1) / 7: perfectly consistent, lambda_max = n = 3, CI = CR = 0
    a = [[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]]
    r = scoring.ahp_weights(a)
    assert close(r.weights, [4 / 7, 2 / 7, 1 / 7])
    assert close([r.lambda_max, r.ci, r.cr], [3, 0, 0], 1e-12)
    assert r.ri == 0.58 and r.consistent
    # two criteria, 3 : 1 -> (3/4, 1/4); a 2 x 2 reciprocal matrix is always consistent
    two = scoring.ahp_weights([[1, 3], [1 / 3, 1]])
    assert close(two.weights, [0.75, 0.25]) and two.cr == 0.0


# Saaty, T. L. (1990) How to make a decision: the analytic hierarchy process. European Journal
# of Operational Research 48(1), 9-26: the house example, eight criteria (size, transportation,
# neighbourhood, age, yard, modern facilities, general condition, financing). Saaty reports the
# weights .173 .054 .188 .018 .031 .036 .167 .333, lambda_max = 9.669, C.I. = .238, C.R. = .169.
SAATY_HOUSE = [
    [1, 5, 3, 7, 6, 6, "1/3", "1/4"],
    ["1/5", 1, "1/3", 5, 3, 3, "1/5", "1/7"],
    ["1/3", 3, 1, 6, 3, 4, 6, "1/5"],
    ["1/7", "1/5", "1/6", 1, "1/3", "1/4", "1/7", "1/8"],
    ["1/6", "1/3", "1/3", 3, 1, "1/2", "1/5", "1/6"],
    ["1/6", "1/3", "1/4", 4, 2, 1, "1/5", "1/6"],
    [3, 5, "1/6", 7, 5, 5, 1, "1/2"],
    [4, 7, 5, 8, 6, 6, 2, 1],
]


def as_numbers(matrix: list[list]) -> np.ndarray:
    return np.array([[float(Fraction(str(v))) for v in row] for row in matrix])


def test_ahp_reproduces_saaty_house_example() -> None:
    r = scoring.ahp_weights(as_numbers(SAATY_HOUSE))
    assert list(np.round(r.weights, 3)) == [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    assert round(r.lambda_max, 3) == 9.669
    assert round(r.ci, 3) == 0.238
    assert r.ri == 1.41
    assert round(r.cr, 3) == 0.169
    assert not r.consistent  # CR >= 0.10: Saaty asks for the judgements to be revised


@pytest.mark.parametrize("seed", range(5))
def test_ahp_agrees_with_pymcdm_and_with_the_config_check(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 11))
    scale = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9]
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            a[i, j] = rng.choice(scale)
            a[j, i] = 1 / a[i, j]
    ours = scoring.ahp_weights(a)
    theirs = AHP(matrix=a)
    assert close(ours.weights, theirs(), 1e-9)
    # pymcdm's CR divides by the random index of Tummala & Ling (1998), ours by Saaty's table
    assert close(ours.cr, theirs.get_cr() * AHP.RI_M[n - 1] / SAATY_RANDOM_INDEX[n], 1e-9)
    # the numpy-free check in iwm_study.config computes the same
    w, lam, ci, ri, cr = ahp_consistency(a.tolist())
    assert close(w, ours.weights, 1e-9)
    assert close([lam, ci, ri, cr], [ours.lambda_max, ours.ci, ours.ri, ours.cr], 1e-9)


def test_ahp_rejects_bad_matrices() -> None:
    with pytest.raises(ScoringError, match="square"):
        scoring.ahp_weights([[1, 2, 3], [0.5, 1, 2]])
    with pytest.raises(ScoringError, match="reciprocal"):
        scoring.ahp_weights([[1, 2], [0.4, 1]])
    with pytest.raises(ScoringError, match="positive"):
        scoring.ahp_weights([[1, -2], [-0.5, 1]])


# ---------------------------------------------------------------------------------------- ranks


def test_rank_ties_share_the_best_rank() -> None:
    assert list(scoring.rank_scores([0.1, 0.9, 0.5, 0.5])) == [4, 1, 2, 2]
    # scores equal up to rounding noise tie; a real difference does not
    assert list(scoring.rank_scores([0.3, 0.1 + 0.2, 0.3 + 1e-9])) == [2, 2, 1]
    # many draws at once, one per row
    assert scoring.rank_scores(np.array([[1.0, 2.0, 2.0], [3.0, 2.0, 1.0]])).tolist() == [
        [3, 1, 1],
        [1, 2, 3],
    ]


def settings(**kw) -> EnterpriseSelection:
    base = {
        "method": "weighted_sum",
        "normalisation": "minmax",
        "weights": "direct",
        "criteria": {
            "waste_t": {"direction": "benefit", "weight": 0.5},
            "hazardous_share": {"direction": "benefit", "weight": 0.3},
            "employees": {"direction": "cost", "weight": 0.2},
        },
        "sensitivity": {"draws": 200, "concentration": 20, "seed": 5, "changes": [-0.5, 0.5]},
    }
    return EnterpriseSelection.model_validate(base | kw)


def frame(rows: dict[str, list[float]]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=["waste_t", "hazardous_share", "employees"]
    )


def test_ranking_table_lists_ties_by_name() -> None:
    # Zeta and Alpha are identical: same score, same rank, listed by name whatever the row order
    values = frame({"Zeta": [2, 10, 4], "Best": [9, 30, 1], "Alpha": [2, 10, 4], "Low": [1, 5, 9]})
    ranking = scoring.rank_alternatives(values, settings())
    assert list(ranking.table.index) == ["Best", "Alpha", "Zeta", "Low"]
    assert list(ranking.table["rank"]) == [1, 2, 2, 4]
    shuffled = scoring.rank_alternatives(values.iloc[::-1], settings())
    assert list(shuffled.table.index) == ["Best", "Alpha", "Zeta", "Low"]


def test_rank_alternatives_matches_the_hand_example() -> None:
    values = frame({"A1": list(X[0]), "A2": list(X[1]), "A3": list(X[2])})
    ranking = scoring.rank_alternatives(values, settings())
    assert list(ranking.table.index) == ["A2", "A3", "A1"]
    assert close(ranking.table["score"], [0.75, 43 / 60, 0.0])
    # contributions are w * min-max value: A2 = (.25, .3, .2)
    assert close(ranking.contributions.loc["A2"], [0.25, 0.3, 0.2])
    topsis = scoring.rank_alternatives(values, settings(method="topsis"))
    assert list(topsis.table.index) == ["A3", "A2", "A1"]


def test_equal_and_ahp_weights_through_settings() -> None:
    crit = {"waste_t": {"direction": "benefit"}, "employees": {"direction": "cost"}}
    eq = EnterpriseSelection.model_validate({"weights": "equal", "criteria": crit})
    assert scoring.resolve_weights(eq)[0].to_dict() == {"waste_t": 0.5, "employees": 0.5}
    ahp = EnterpriseSelection.model_validate(
        {"weights": "ahp", "criteria": crit, "ahp_matrix": [[1, 3], ["1/3", 1]]}
    )
    w, result = scoring.resolve_weights(ahp)
    assert close(w, [0.75, 0.25]) and result is not None and result.cr == 0
    # eight criteria are more than the catalogue has: built without validation for this check
    house = RegionSelection.model_construct(
        weights="ahp",
        criteria={f"c{i}": {"direction": "benefit"} for i in range(8)},
        ahp_matrix=as_numbers(SAATY_HOUSE).tolist(),
        require_consistent=True,
    )
    with pytest.raises(ScoringError, match=r"inconsistent: CR = 0\.169"):
        scoring.resolve_weights(house)


# ----------------------------------------------------------------------------------- sensitivity


def test_dirichlet_draws_centre_on_the_weights() -> None:
    w = np.array([0.5, 0.3, 0.2, 0.0])
    draws = scoring.dirichlet_weights(w, 20_000, 50.0, seed=1)
    assert draws.shape == (20_000, 4)
    assert close(draws.sum(axis=1), np.ones(20_000), 1e-12)
    assert (draws[:, 3] == 0).all()  # a zero weight stays zero
    assert close(draws.mean(axis=0), w, 0.003)
    # Var = w (1 - w) / (concentration + 1)
    assert close(draws.var(axis=0)[:3], w[:3] * (1 - w[:3]) / 51, 3e-4)
    again = scoring.dirichlet_weights(w, 20_000, 50.0, seed=1)
    assert np.array_equal(draws, again)


def test_one_at_a_time_weights_by_hand() -> None:
    rows, labels = scoring.one_at_a_time_weights([0.5, 0.3, 0.2], [-0.5, 0.5])
    # C1 halved: .25; the others scaled by (1 - .25) / (1 - .5) = 1.5 -> .45, .3
    assert close(rows[0], [0.25, 0.45, 0.3])
    # C1 + 50 %: .75; others scaled by .25 / .5 -> .15, .1
    assert close(rows[1], [0.75, 0.15, 0.1])
    assert labels[:2] == [(0, -0.5), (0, 0.5)]
    assert close(rows.sum(axis=1), np.ones(6))


def test_sensitivity_agrees_with_a_loop_over_pymcdm() -> None:
    rng = np.random.default_rng(3)
    values = frame({f"E{i:02d}": list(rng.uniform(1, 100, 3)) for i in range(12)})
    s = settings()
    ranking = scoring.rank_alternatives(values, s)
    sens = scoring.sensitivity(ranking, top=3)
    draws = scoring.dirichlet_weights(ranking.weights.to_numpy(), 200, 20, 5)
    x = ranking.table[["waste_t", "hazardous_share", "employees"]].to_numpy()
    counts = np.zeros((12, 12))
    in_top = np.zeros(12)
    for w in draws:  # one pymcdm call per draw
        pref = WSM(pn.minmax_normalization)(x, w / w.sum(), np.array([1, 1, -1]))
        r = WSM().rank(pref).astype(int)
        counts[np.arange(12), r - 1] += 1
        in_top += r <= 3
    assert close(sens.rank_probability.to_numpy(), counts / 200)
    assert close(sens.summary["p_top"], in_top / 200)
    assert close(sens.rank_probability.sum(axis=1), np.ones(12))
    assert list(sens.rank_probability.index) == list(ranking.table.index)


def test_sensitivity_of_a_dominance_is_certain() -> None:
    # A dominates B dominates C on every criterion: every weight vector keeps A, B, C
    values = frame({"C": [1, 1, 9], "A": [9, 9, 1], "B": [5, 5, 5]})
    sens = scoring.sensitivity(scoring.rank_alternatives(values, settings()), top=1)
    assert sens.rank_probability.to_numpy().tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert sens.overall["p_first_kept"] == 1.0 and sens.overall["p_top_set_kept"] == 1.0
    assert sens.overall["mean_spearman"] == pytest.approx(1.0)
    assert sens.one_at_a_time["top_set_kept"].all()


def test_one_at_a_time_reports_a_change_of_leader() -> None:
    # The hand example: A2 leads (.75 vs 43/60). C1 weight + 50 % -> w = (.75, .15, .1):
    # A2 = .375 + .15 + .1 = .625, A3 = .75 + .075 + .1/3 = .858 -> A3 leads
    values = frame({"A1": list(X[0]), "A2": list(X[1]), "A3": list(X[2])})
    sens = scoring.sensitivity(scoring.rank_alternatives(values, settings()), top=1)
    oat = sens.one_at_a_time.set_index(["criterion", "change"])
    assert oat.loc[("waste_t", 0.5), "first"] == "A3"
    assert not oat.loc[("waste_t", 0.5), "top_set_kept"]
    assert oat.loc[("waste_t", 0.5), "largest_shift"] == 1
    assert oat.loc[("waste_t", -0.5), "first"] == "A2"
    assert close(oat["weight_after"].to_numpy()[:2], [0.25, 0.75])


# ------------------------------------------------------------------------------------- errors


def test_missing_value_names_criterion_and_alternative() -> None:
    values = frame({"Alpha": [1, 2, 3], "Beta": [4, float("nan"), 6], "Gamma": [7, 8, 9]})
    with pytest.raises(
        ScoringError, match="criterion 'hazardous_share' has no value for alternative 'Beta'"
    ):
        scoring.rank_alternatives(values, settings())


def test_constant_criterion_is_named() -> None:
    with pytest.raises(ScoringError, match=r"criterion 'C2' has the same value \(5\) for all 3"):
        scoring.normalise([[1, 5], [2, 5], [3, 5]], ["benefit", "benefit"], "minmax")


# The hand example with a fourth criterion, recp_interest, equal to 5 for every alternative.
# Its stated weight is 0.2; the others' (0.4, 0.24, 0.16) divided by 1 - 0.2 are W.
X4 = np.column_stack([X, np.full(3, 5.0)])
W4 = np.array([0.4, 0.24, 0.16, 0.2])
TYPES4 = np.array([1, 1, -1, 1])
FOUR = ["waste_t", "hazardous_share", "employees", "recp_interest"]


def settings4(**kw) -> EnterpriseSelection:
    criteria = {
        n: {"direction": d, "weight": float(w)}
        for n, d, w in zip(FOUR, [*D, "benefit"], W4, strict=True)
    }
    return settings(criteria=criteria, **kw)


def frame4(constant: float = 5.0) -> pd.DataFrame:
    values = pd.DataFrame(X4, index=NAMES, columns=FOUR)
    return values.assign(recp_interest=constant)


def by_name(ranking) -> np.ndarray:
    return ranking.table["score"].reindex(NAMES).to_numpy()


@pytest.mark.parametrize("normalisation", list(PYMCDM_NORMALISATION))
@pytest.mark.parametrize("method", ["weighted_sum", "topsis"])
def test_a_constant_criterion_is_left_out_and_changes_no_rank(method: str, normalisation: str):
    ours = scoring.rank_alternatives(
        frame4(), settings4(method=method, normalisation=normalisation)
    )
    assert ours.dropped == {"recp_interest": 5.0} and ours.criteria == FOUR[:3]
    assert close(ours.weights, W) and close(ours.stated_weights, W4)
    f = PYMCDM_NORMALISATION[normalisation]
    model = {"weighted_sum": WSM, "topsis": TOPSIS}[method]
    if normalisation == "minmax":
        # min-max makes the constant 0/0 (pymcdm gives NaN): kept at any fixed value, it adds
        # the same to every weighted sum and nothing to either TOPSIS distance. Independent:
        # pymcdm on the other three criteria with their weights rescaled (W).
        expected = model(f)(X, W, TYPES4[:3])
    else:
        # kept: pymcdm on all four criteria with the stated weights
        kept = model(f)(X4, W4, TYPES4)
        if method == "weighted_sum":  # S = 0.8 S' + 0.2 r_c, r_c the constant's normalised value
            r_c = f(np.full(3, 5.0), cost=False)[0]
            expected = (kept - 0.2 * r_c) / 0.8
        else:  # TOPSIS: the constant adds 0 to both distances; rescaling leaves the closeness
            expected = kept
        assert list(scoring.rank_scores(by_name(ours))) == list(scoring.rank_scores(kept))
    assert close(by_name(ours), expected, 1e-12)


def test_a_constant_criterion_in_promethee() -> None:
    usual = scoring.rank_alternatives(
        frame4(), settings4(method="promethee_ii", preference_function="usual")
    )
    # kept, its net flows are 0: pymcdm's net flows with the stated weights, divided by 0.8
    kept = PROMETHEE_II("usual")(X4, W4, TYPES4)
    assert close(by_name(usual), kept / 0.8, 1e-12)
    # the linear function cannot take it (its default p, the range, is 0): left out, the others
    # score as pymcdm's type V with p = each criterion's range and q = 0
    linear = scoring.rank_alternatives(frame4(), settings4(method="promethee_ii"))
    spread = X.max(axis=0) - X.min(axis=0)
    expected = PROMETHEE_II("vshape_2", p=spread, q=np.zeros(3))(X, W, TYPES4[:3])
    assert close(by_name(linear), expected, 1e-12) and linear.dropped == {"recp_interest": 5.0}


def test_a_constant_zero_criterion_and_the_report() -> None:
    # 0 for all: 0/0 under vector normalisation too; left out all the same
    ranking = scoring.rank_alternatives(
        frame4(0.0), settings4(method="topsis", normalisation="vector")
    )
    assert ranking.dropped == {"recp_interest": 0.0}
    assert close(by_name(ranking), TOPSIS(pn.vector_normalization)(X, W, TYPES4[:3]), 1e-12)
    assert scoring.dropped_text(ranking, "enterprises") == (
        "**Left out of the ranking:** RECP interest (none, stated weight 0.200): the same value "
        "for all 3 enterprises, so it cannot tell them apart. The other weights were rescaled "
        "to sum to 1 (each divided by 0.800); the order of the ranking is the same as with the "
        "criterion kept."
    )
    assert (
        scoring.dropped_text(scoring.rank_alternatives(frame4()[FOUR[:3]], settings()), "x") == ""
    )
    # the robustness analysis draws weights for the criteria left
    sens = scoring.sensitivity(ranking, top=1)
    assert set(sens.one_at_a_time["criterion"]) == set(FOUR[:3])


def test_nothing_left_to_rank_on() -> None:
    values = frame4().assign(waste_t=1.0, hazardous_share=2.0, employees=3.0)
    with pytest.raises(ScoringError) as info:
        scoring.rank_alternatives(values, settings4())
    assert str(info.value) == (
        "no criterion tells the 3 alternatives apart: 'waste_t' is 1 for all, 'hazardous_share' "
        "is 2 for all, 'employees' is 3 for all, 'recp_interest' is 5 for all."
    )
    only = {
        "waste_t": {"direction": "benefit", "weight": 1.0},
        "employees": {"direction": "cost", "weight": 0.0},
    }
    with pytest.raises(ScoringError, match=r"and the others \(employees\) have weight 0\."):
        scoring.rank_alternatives(frame4().assign(waste_t=1.0), settings(criteria=only))


def test_sum_normalisation_needs_positive_costs() -> None:
    with pytest.raises(ScoringError, match="criterion 'C2' of alternative 'A2' is 0"):
        scoring.normalise([[1, 5], [2, 0], [3, 4]], ["benefit", "cost"], "sum")
    with pytest.raises(ScoringError, match="criterion 'C1' of alternative 'A1' is -1"):
        scoring.normalise([[-1, 5], [2, 1], [3, 4]], ["benefit", "cost"], "max")


def test_other_errors() -> None:
    with pytest.raises(ScoringError, match="unknown normalisation"):
        scoring.normalise(X, D, "zscore")
    with pytest.raises(ScoringError, match="at least two alternatives"):
        scoring.topsis([[1, 2]], [0.5, 0.5], ["benefit", "benefit"])
    with pytest.raises(ScoringError, match="'benefit' or 'cost'"):
        scoring.topsis(X, W, ["benefit", "profit", "cost"])
    with pytest.raises(ScoringError, match=r"sum to 0\.9"):
        scoring.weighted_sum(X, [0.5, 0.2, 0.2], D)
    with pytest.raises(ScoringError, match="'recp_interest' is not a column"):
        scoring.rank_alternatives(
            frame({"A": [1, 2, 3], "B": [3, 2, 1]}),
            settings(criteria={"recp_interest": {"direction": "benefit", "weight": 1.0}}),
        )


# ------------------------------------------------------------------------ criteria from a study


@pytest.fixture
def good_study(tmp_path: Path):
    from iwm_study.data import load_study

    survey = ("enterprises", "waste_streams", "facilities")  # no regional statistics
    tables = {name: [dict(r) for r in rows] for name, rows in GOOD.items() if name in survey}
    tables["facilities"][0]["operations"] = "R4; R13"  # R4 is recycling (metals)
    return load_study(write_tables(tmp_path / "data", tables), today=TODAY)


def test_catalogue_and_implementation_agree() -> None:
    for kind, catalogue in SELECTION_CRITERIA.items():
        assert list(scoring.CRITERION_FUNCTIONS[kind]) == list(catalogue)
        for info in catalogue.values():
            assert info.direction in ("benefit", "cost") and info.unit and info.computed
            assert info.fmt.format(1234.5)  # a usable format


def test_enterprise_criteria_by_hand(good_study) -> None:
    values = scoring.enterprise_criteria(good_study)
    assert list(values.columns) == list(SELECTION_CRITERIA["enterprise"])
    # E1: 1200 t, not hazardous, used as raw material, 400 employees, RECP high
    # E2: 5000 kg = 5 t, hazardous, incinerated, 250 employees, medium
    # E3: 300 t hazardous landfilled + 10 m3 x 0.9 t/m3 = 9 t hazardous sold; 900 employees, low
    expected = pd.DataFrame(
        {
            "waste_t": [1200, 5, 309],
            "hazardous_share": [0, 1, 1],
            "waste_intensity": [1200 / 400, 5 / 250, 309 / 900],
            "not_recovered_share": [0, 1, 300 / 309],
            "employees": [400, 250, 900],
            "recp_interest": [3, 2, 1],
        },
        index=pd.Index(["E1", "E2", "E3"], name="enterprise_id"),
    )
    pd.testing.assert_frame_equal(values, expected, check_dtype=False, atol=1e-12)


def test_region_criteria_by_hand(good_study) -> None:
    values = scoring.region_criteria(good_study, recycling_distance_km=0)
    # without a regional statistics table, the criteria of the survey and the facilities
    survey = [n for n, c in SELECTION_CRITERIA["region"].items() if c.source != "statistics"]
    assert survey == [
        "waste_t",
        "hazardous_share",
        "manufacturing_enterprises",
        "landfill_share",
        "recycling_capacity_t",
        "recp_interest",
    ]
    assert len(values) == 14 and list(values.columns) == survey
    got = values.loc[["Baku", "Absheron-Khizi", "Ganja-Dashkasan", "Karabakh"]]
    expected = pd.DataFrame(
        {
            "waste_t": [1200, 5, 309, 0],
            "hazardous_share": [0, 1, 1, np.nan],
            "manufacturing_enterprises": [1, 1, 1, 0],
            # incinerated is neither landfilled nor kept on site
            "landfill_share": [0, 0, 300 / 309, np.nan],
            "recycling_capacity_t": [0, 20000, 0, 0],  # F1 (R4) lies in Absheron-Khizi
            "recp_interest": [3, 2, 1, np.nan],
        },
        index=pd.Index(
            ["Baku", "Absheron-Khizi", "Ganja-Dashkasan", "Karabakh"], name="economic_region"
        ),
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, atol=1e-12)
    complete, missing = scoring.complete_cases(values, list(values.columns))
    assert sorted(complete.index) == ["Absheron-Khizi", "Baku", "Ganja-Dashkasan"]
    assert missing["Karabakh"] == "hazardous_share, landfill_share, recp_interest"


def test_recycling_capacity_within_a_distance(good_study) -> None:
    import pyproj
    import shapely

    from iwm_study.data import geography

    values = scoring.region_criteria(good_study, recycling_distance_km=30)
    # independent: distance from F1 (49.62 E, 40.60 N) to each region's boundary in UTM 39N
    utm = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32639", always_xy=True)

    def project(geom):
        return shapely.transform(
            geom, lambda xy: np.column_stack(utm.transform(xy[:, 0], xy[:, 1]))
        )

    site = project(shapely.Point(49.62, 40.60))
    shapes = geography.economic_regions().set_index("economic_region").geometry
    near = {r for r, g in shapes.items() if project(g).distance(site) <= 30_000}
    assert "Baku" in near  # Sumgayit is a short drive from Baku
    expected = {r: 20000.0 if (r in near or r == "Absheron-Khizi") else 0.0 for r in values.index}
    assert values["recycling_capacity_t"].to_dict() == expected


# -------------------------------------------------------------------------------- words, charts


def test_reasons_name_values_and_places() -> None:
    # the hand example with C2 read as a share (/100): the same min-max values and scores
    values = frame({f"A{i + 1}": [X[i, 0], X[i, 1] / 100, X[i, 2]] for i in range(3)})
    ranking = scoring.rank_alternatives(values, settings())
    text = scoring.reasons(ranking)
    # A3: contributions .5 (waste), .15 (hazardous), .0667 (employees, in the worse half)
    assert text["A3"] == (
        "Strongest on waste generated 6 t/yr (1st of 3) and hazardous share 20.0% (2nd of 3); "
        "furthest from the best on size 3 employees (2nd of 3)."
    )
    assert text["A1"] == ("Furthest from the best on waste generated 2 t/yr (3rd of 3).")
    table = scoring.shortlist(ranking, 2)
    assert list(table.index) == ["A2", "A3"] and table.loc["A3", "reasons"] == text["A3"]


def test_charts_are_figures_of_fixed_size() -> None:
    values = frame({"A1": list(X[0]), "A2": list(X[1]), "A3": list(X[2])})
    ranking = scoring.rank_alternatives(values, settings())
    sens = scoring.sensitivity(ranking, top=1)
    bar = scoring.score_bar_chart(ranking, 1, "t")
    colours = [p.get_facecolor()[:3] for p in bar.axes[0].patches]
    assert bar.get_dpi() == 100
    assert colours[0] == (0.0, 0x72 / 255, 0xB2 / 255) and colours[1] == (0xBB / 255,) * 3
    heat = scoring.rank_heatmap(sens, "t")
    assert heat.axes[0].images[0].get_array().shape == (3, 3)


# ---------------------------------------------------------------------------- package layout

# Every public name of the single module iwm_study/scoring.py that the package replaced.
OLD_PUBLIC_NAMES = [
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
    "criterion_positions",
    "SELECTED_COLOUR",
    "OTHER_COLOUR",
    "CONSISTENCY_LIMIT",
    "SAATY_RANDOM_INDEX",
]


def test_the_package_offers_every_name_of_the_old_module() -> None:
    import importlib
    import pkgutil
    import types

    # import every module first: a module named like a function would then shadow it
    for module in pkgutil.iter_modules(scoring.__path__):
        importlib.import_module(f"iwm_study.scoring.{module.name}")
    for name in OLD_PUBLIC_NAMES:
        assert not isinstance(getattr(scoring, name), types.ModuleType), name
    assert all(hasattr(scoring, name) for name in scoring.__all__)


def test_one_scorer_per_method_of_the_settings() -> None:
    from typing import get_args

    from iwm_study.config import SelectionSettings

    fields = SelectionSettings.model_fields
    assert tuple(scoring.SCORERS) == get_args(fields["method"].annotation) == scoring.METHODS
    assert tuple(scoring.NORMALISERS) == get_args(fields["normalisation"].annotation)


@pytest.mark.parametrize("method", list(scoring.METHODS))
def test_a_scorer_scores_a_batch_as_one_vector_at_a_time(method: str) -> None:
    from iwm_study.scoring.problem import decision_problem

    x, _, _, d = random_problem(3)
    problem = decision_problem(x, d)
    options = scoring.MethodOptions(normalisation="vector", preference_function="linear")
    batch = np.random.default_rng(9).dirichlet(np.ones(x.shape[1]), size=25)
    scores = scoring.SCORERS[method](problem, options)(batch)
    assert scores.shape == (25, len(x))
    one = {
        "weighted_sum": lambda w: scoring.weighted_sum(x, w, d, "vector"),
        "topsis": lambda w: scoring.topsis(x, w, d, "vector"),
        "promethee_ii": lambda w: scoring.promethee_ii(x, w, d, "linear"),
    }[method]
    for k, w in enumerate(batch):
        assert close(scores[k], one(w).scores)


def test_one_ahp_for_the_parameter_check_and_the_ranking() -> None:
    import iwm_study.config as config
    from iwm_study.scoring import ahp

    assert config.ahp_consistency is scoring.ahp_consistency is ahp.ahp_consistency
    assert config.SAATY_RANDOM_INDEX is scoring.SAATY_RANDOM_INDEX is ahp.SAATY_RANDOM_INDEX
    assert config.CONSISTENCY_LIMIT == scoring.CONSISTENCY_LIMIT == 0.10
    r = scoring.ahp_weights(as_numbers(SAATY_HOUSE))
    w, lam, ci, ri, cr = ahp.ahp_consistency(as_numbers(SAATY_HOUSE).tolist())
    assert list(r.weights) == w and (r.lambda_max, r.ci, r.ri, r.cr) == (lam, ci, ri, cr)
    with pytest.raises(ValueError, match="up to 15 criteria, not 16"):
        ahp.ahp_consistency([[1.0] * 16] * 16)


def test_reading_the_parameters_imports_neither_numpy_nor_pandas() -> None:
    import subprocess
    import sys

    code = (
        "import sys, iwm_study.config, iwm_study.scoring.ahp; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'pandas'}), "
        "sorted(m for m in sys.modules if m.startswith('iwm_study.scoring')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[] ['iwm_study.scoring', 'iwm_study.scoring.ahp']"


def test_the_ahp_table_keeps_a_criterion_the_ranking_left_out() -> None:
    # AHP judgements over four criteria, one of them constant: the ranking uses three, the
    # report's AHP table still shows the 4 x 4 judgements under the four stated names (a
    # two-region study of one's own once failed here: 'indices imply (4, 4)').
    criteria = {n: {"direction": d} for n, d in zip(FOUR, [*D, "benefit"], strict=True)}
    matrix = [[1, 2, 3, 2], ["1/2", 1, 2, 1], ["1/3", "1/2", 1, "1/2"], ["1/2", 1, 2, 1]]
    ranking = scoring.rank_alternatives(
        frame4(), settings(criteria=criteria, weights="ahp", ahp_matrix=matrix)
    )
    assert ranking.dropped == {"recp_interest": 5.0} and ranking.criteria == FOUR[:3]
    table = scoring.ahp_table(ranking.ahp, ranking.settings.criterion_names)
    assert list(table.index) == FOUR and list(table.columns) == [*FOUR, "weight"]
    assert table.loc["waste_t", "hazardous_share"] == 2.0
    assert table["weight"].sum() == pytest.approx(1.0)
