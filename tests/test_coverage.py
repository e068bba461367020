"""Coverage of the survey against the register and the estimate of the whole region, on a
constructed frame whose every figure is worked out by hand."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from iwm_study import inventory as inv
from iwm_study.inventory.coverage import bootstrap_totals, coverage_table, regional_estimate

R = "Baku"

#: The survey: (enterprise, division, employees, tonnes of each of its streams).
SURVEY = [
    ("A", "10", 10, [20.0]),  # division 10: intensity (20 + 100) / (10 + 30) = 3 t/employee
    ("B", "10", 30, [60.0, 40.0]),
    ("C", "23", 50, [200.0, 300.0]),  # division 23: fully surveyed
    ("D", "20", 20, [40.0]),  # division 20: not in the register
    ("E", "24", 0, [7.0]),  # division 24: no employee surveyed, no intensity
    ("F", "16", 15, [30.0]),  # division 16: more employees than the register counts
    ("G", "31", 8, []),  # division 31: surveyed, no waste reported
]
#: The register: division -> (enterprises, employees).
REGISTER = {
    "10": (5, 100),
    "23": (2, 50),
    "25": (4, 80),  # no enterprise surveyed: not estimable
    "24": (3, 30),
    "16": (1, 10),
    "31": (2, 8),
}


def make(survey=SURVEY, register=REGISTER, region: str = R):
    enterprises = pd.DataFrame(
        {
            "enterprise_id": [s[0] for s in survey],
            "economic_region": region,
            "nace_division": [s[1] for s in survey],
            "employees": pd.array([s[2] for s in survey], dtype="Int64"),
        }
    )
    streams = pd.DataFrame(
        [(s[0], t) for s in survey for t in s[3]], columns=["enterprise_id", "quantity_t"]
    )
    frame = pd.DataFrame(
        [(region, d, e, n) for d, (e, n) in register.items()],
        columns=["economic_region", "nace_division", "enterprises", "employees"],
    )
    return enterprises, streams, frame


def test_each_cell_is_grossed_up_by_its_rule() -> None:
    cells = coverage_table(*make()).set_index("nace_division")
    assert list(cells.index) == ["10", "16", "20", "23", "24", "25", "31"]  # sorted
    assert cells["status"].to_dict() == {
        "10": "estimated",
        "16": "survey_exceeds_register",
        "20": "not_in_register",
        "23": "fully_surveyed",
        "24": "no_intensity",
        "25": "not_estimable",
        "31": "fully_surveyed",
    }
    # division 10: 120 t surveyed + 3 t/employee x (100 - 40) employees = 300 t
    assert cells.at["10", "surveyed_t"] == 120.0
    assert cells.at["10", "intensity_t_per_employee"] == 3.0
    assert cells.at["10", "unsurveyed_employees"] == 60.0
    assert cells.at["10", "estimated_t"] == 300.0
    # the others keep their surveyed tonnes; division 25 has no estimate at all
    assert cells.at["23", "estimated_t"] == 500.0
    assert cells.at["20", "estimated_t"] == 40.0
    assert cells.at["24", "estimated_t"] == 7.0 and np.isnan(
        cells.at["24", "intensity_t_per_employee"]
    )
    assert cells.at["16", "estimated_t"] == 30.0 and cells.at["16", "unsurveyed_employees"] == 0
    assert cells.at["31", "estimated_t"] == 0.0
    assert np.isnan(cells.at["25", "estimated_t"]) and cells.at["25", "surveyed_t"] == 0.0
    # employees the estimate cannot reach: 80 in division 25, 30 in division 24
    assert cells["not_estimable_employees"].to_dict() == {
        "10": 0.0, "16": 0.0, "20": 0.0, "23": 0.0, "24": 30.0, "25": 80.0, "31": 0.0
    }  # fmt: skip
    # coverage shares of a cell: 2 of 5 enterprises, 40 of 100 employees; F: 15 of 10 = 150 %
    assert cells.at["10", "enterprises_pct"] == 40.0 and cells.at["10", "employees_pct"] == 40.0
    assert cells.at["16", "employees_pct"] == 150.0
    assert np.isnan(cells.at["20", "enterprises_pct"])  # not in the register: no share


def test_totals_and_coverage_shares() -> None:
    est = regional_estimate(*make(), draws=200, seed=1)
    # surveyed: 20 + 100 + 500 + 40 + 7 + 30 + 0 = 697 t
    assert est.surveyed_t == 697.0
    # estimate: 300 + 500 + 40 + 7 + 30 + 0 (division 25 left out) = 877 t
    assert est.estimated_t == 877.0 and est.grossed_up_t == 180.0
    # shares over the register's divisions (10, 16, 23, 24, 25, 31):
    # enterprises 2 + 1 + 1 + 1 + 0 + 1 = 6 of 5 + 1 + 2 + 3 + 4 + 2 = 17;
    # employees 40 + 15 + 50 + 0 + 0 + 8 = 113 of 100 + 10 + 50 + 30 + 80 + 8 = 278
    assert (est.surveyed_enterprises, est.register_enterprises) == (6.0, 17.0)
    assert est.enterprises_pct == pytest.approx(100 * 6 / 17)
    assert (est.surveyed_employees, est.register_employees) == (113.0, 278.0)
    assert est.employees_pct == pytest.approx(100 * 113 / 278)
    assert est.not_estimable_divisions == 1 and est.not_estimable_enterprises == 4.0
    assert est.not_estimable_employees == 110.0  # 80 (division 25) + 30 (division 24)
    assert est.surveyed_outside_register == 1  # D, division 20


def test_bootstrap_draws_take_the_values_worked_by_hand() -> None:
    # Only division 10 is grossed up. Two enterprises drawn with replacement from A (10, 20 t)
    # and B (30, 100 t): AA -> 20/10 = 2, AB or BA -> 120/40 = 3, BB -> 200/60 = 10/3 t per
    # employee, with chances 1/4, 1/2, 1/4. Total = 697 + intensity x 60: 817, 877 or 897 t.
    totals = bootstrap_totals(*make(), draws=4000, seed=7)
    values, counts = np.unique(totals.round(9), return_counts=True)
    assert values.tolist() == [817.0, 877.0, 897.0]
    assert counts / 4000 == pytest.approx([0.25, 0.5, 0.25], abs=0.03)
    est = regional_estimate(*make(), draws=4000, interval_pct=95.0, seed=7)
    # about 1,000 draws at each end: the 2.5th and 97.5th percentiles are the extremes
    assert (est.low_t, est.high_t) == pytest.approx((817.0, 897.0))
    assert est.low_t <= est.estimated_t <= est.high_t


def test_bootstrap_is_reproducible_with_the_seed() -> None:
    rng = np.random.default_rng(3)
    survey = [
        (f"E{i:03d}", f"{10 + i % 3}", int(rng.integers(5, 200)), [float(rng.gamma(2.0, 50.0))])
        for i in range(60)
    ]
    register = {"10": (80, 20_000), "11": (70, 15_000), "12": (90, 25_000)}
    data = make(survey, register)
    first = bootstrap_totals(*data, draws=500, seed=11)
    assert np.array_equal(first, bootstrap_totals(*data, draws=500, seed=11))
    assert not np.array_equal(first, bootstrap_totals(*data, draws=500, seed=12))
    a = regional_estimate(*data, draws=500, seed=11)
    assert a == regional_estimate(*data, draws=500, seed=11)
    assert a.low_t < a.estimated_t < a.high_t


def test_interval_has_no_width_when_every_intensity_of_a_division_is_the_same() -> None:
    # Division 10: 3 t per employee at every enterprise; division 11: 0.5 at every one.
    survey = [
        ("A", "10", 10, [30.0]),
        ("B", "10", 30, [90.0]),
        ("C", "10", 20, [60.0]),
        ("D", "11", 40, [20.0]),
        ("E", "11", 4, [2.0]),
    ]
    register = {"10": (9, 100), "11": (5, 64)}
    est = regional_estimate(*make(survey, register), draws=300, seed=5)
    # 180 + 3 x 40 + 22 + 0.5 x 20 = 332 t
    assert est.estimated_t == 332.0
    assert est.low_t == est.high_t == est.estimated_t


def test_no_division_to_gross_up_gives_the_survey() -> None:
    survey = [("A", "10", 10, [30.0])]
    est = regional_estimate(*make(survey, {"10": (1, 10), "25": (3, 40)}), draws=50)
    assert est.estimated_t == est.surveyed_t == est.low_t == est.high_t == 30.0
    assert est.not_estimable_divisions == 1 and est.not_estimable_employees == 40.0


def test_regions_are_grossed_up_apart_and_summed_by_sector() -> None:
    baku = make()
    other = make([("X", "10", 10, [50.0])], {"10": (2, 30)}, region="Ganja-Dashkasan")
    both = [pd.concat([a, b], ignore_index=True) for a, b in zip(baku, other, strict=True)]
    cells = coverage_table(*both)
    # Ganja-Dashkasan division 10: 50 t + 5 t/employee x 20 = 150 t, its own intensity
    ganja = cells[cells["economic_region"] == "Ganja-Dashkasan"].iloc[0]
    assert (ganja["intensity_t_per_employee"], ganja["estimated_t"]) == (5.0, 150.0)
    sectors = inv.coverage_by_sector(cells).set_index("nace_division")
    # division 10 over both regions: 3 of 7 enterprises, 50 of 130 employees, 300 + 150 t
    row = sectors.loc["10"]
    assert (row["surveyed_enterprises"], row["register_enterprises"]) == (3.0, 7.0)
    assert row["employees_pct"] == pytest.approx(100 * 50 / 130)
    assert row["estimated_t"] == 450.0 and row["status"] == "estimated"
    assert sectors.index[0] == "10"  # the largest register employment first
    by_region = inv.estimate_by_region(*both, draws=100, seed=2).set_index("economic_region")
    assert by_region.loc["Ganja-Dashkasan", "estimated_t"] == 150.0
    assert by_region.loc["Baku", "estimated_t"] == 877.0


def test_key_figures_and_sentence_name_both_sums() -> None:
    est = regional_estimate(*make(), draws=400, seed=7)
    figures = {f.key: f.value for f in inv.coverage_key_figures(est)}
    assert set(figures) == {
        "coverage_enterprises_pct",
        "coverage_employees_pct",
        "surveyed_t",
        "estimated_total_t",
        "estimated_total_t_low",
        "estimated_total_t_high",
    }
    assert figures["surveyed_t"] == 697.0 and figures["estimated_total_t"] == 877.0
    text = inv.coverage_sentence(est, "Baku")
    assert "6 of the 17 enterprises" in text and "877 t per year" in text and "697 t" in text
    assert "1 sector(s)" in text and "not estimated" in text
    view = inv.estimate_view(est)
    assert view["value_t"].tolist()[:2] == [697.0, 877.0]


def test_the_bootstrap_is_vectorised() -> None:
    rng = np.random.default_rng(0)
    n = 3000
    survey = [
        (f"E{i:05d}", f"{10 + i % 20}", int(rng.integers(5, 300)), [float(rng.gamma(2.0, 80.0))])
        for i in range(n)
    ]
    register = {f"{10 + d}": (1000, 100_000) for d in range(20)}
    data = make(survey, register)
    start = time.perf_counter()
    bootstrap_totals(*data, draws=1000, seed=1)
    # 3 million resampled enterprises: a loop over draws in Python would take far longer
    assert time.perf_counter() - start < 10.0
