"""The value of every option: a small study valued by hand, ranges, material classes, methane,
the factor table's checks, and the pre-flight's check of a study's own factor file.

The hand-valued study uses its own small factor table (round numbers) and its own material
classes, so each expected figure is worked out in a comment from the numbers written here.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import yaml
from conftest import GOOD, PROJECT_ROOT, write_tables

from iwm_study import circular
from iwm_study.circular.valuation import EMISSION_PARTS, ENDS, MONEY_PARTS
from iwm_study.data import StudyDataError
from iwm_study.data.factors import check_factors, classify, load_factors, load_material_classes

HEADER = "factor,key,unit,low,central,high,year,source\n"
FACTORS_CSV = (
    HEADER
    + """\
avoided_disposal_cost,landfilled,AZN/t,10,20,40,2024,test
avoided_disposal_cost,kept_on_site,AZN/t,0,5,10,2024,test
avoided_disposal_cost,unknown,AZN/t,0,5,10,2024,test
avoided_disposal_cost_hazardous,landfilled,AZN/t,50,80,100,2024,test
avoided_disposal_cost_hazardous,kept_on_site,AZN/t,0,50,100,2024,test
avoided_disposal_cost_hazardous,unknown,AZN/t,0,50,100,2024,test
material_value,metal,AZN/t,100,200,300,2024,test
material_value,food,AZN/t,-20,0,10,2024,test
material_value,sludge,AZN/t,-30,-10,0,2024,test
material_value,solvent,AZN/t,-400,-200,-100,2024,test
material_value,unclassified,AZN/t,0,0,0,2024,test
transport_cost,,AZN/t-km,0.1,0.2,0.4,2024,test
avoided_virgin_emissions,metal,t CO2e/t,1,2,3,2024,test
avoided_virgin_emissions,food,t CO2e/t,0,0.1,0.2,2024,test
avoided_virgin_emissions,sludge,t CO2e/t,0,0,0,2024,test
avoided_virgin_emissions,solvent,t CO2e/t,-1,0,0.5,2024,test
avoided_virgin_emissions,unclassified,t CO2e/t,0,0,0,2024,test
transport_emissions,,ratio,1,1,1.5,2024,test
landfill_doc,food,t C/t,0.1,0.15,0.2,2006,test
landfill_docf,food,fraction,0.5,0.5,0.7,2006,test
landfill_doc,sludge,t C/t,0.04,0.05,0.09,2006,test
landfill_docf,sludge,fraction,0.5,0.5,0.7,2006,test
landfill_mcf,,fraction,0.4,0.6,1,2006,test
landfill_f,,fraction,0.5,0.5,0.5,2006,test
landfill_ox,,fraction,0,0,0.1,2006,test
gwp100_ch4,,t CO2e/t CH4,25,28,30,2014,test
"""
)
CLASSES = pd.DataFrame(
    {
        "ewc": ["02 03", "02 03 05", "07 01 08", "12 01 01"],
        "material_class": ["food", "sludge", "solvent", "metal"],
    }
)


@pytest.fixture(scope="module")
def factors(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    path = tmp_path_factory.mktemp("factors") / "factors.csv"
    path.write_text(FACTORS_CSV, encoding="utf-8")
    return load_factors(path, classes=CLASSES)


def matches() -> pd.DataFrame:
    """Five matches: tonnes, fate, road km; tonne_km = t x km, co2_t = tonne_km x 0.124 / 1000
    (as the matching writes them)."""
    rows = [
        # stream, region, ewc, hazardous, t, fate, km, kind
        ("A", "Baku", "12 01 01", False, 100.0, "landfilled", 10.0, "circular"),
        ("B", "Baku", "02 03 04", False, 50.0, "landfilled", 20.0, "circular"),
        ("C", "Baku", "02 03 05", False, 20.0, None, 5.0, "circular"),
        ("D", "Absheron-Khizi", "07 01 08*", True, 10.0, "kept_on_site", 8.0, "safer_treatment"),
        ("E", "Absheron-Khizi", "16 08 01", False, 5.0, "landfilled", 2.0, "circular"),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "stream_id",
            "economic_region",
            "ewc_code",
            "hazardous",
            "quantity_t",
            "fate",
            "road_km",
            "option_kind",
        ],
    )
    frame.insert(0, "rank", range(1, len(frame) + 1))
    frame["enterprise_name"] = "Enterprise " + frame["stream_id"]
    frame["receiver_name"] = "Receiver"
    frame["operation"] = "R3"
    frame["tonne_km"] = frame["quantity_t"] * frame["road_km"]
    frame["co2_t"] = frame["tonne_km"] * 0.124 / 1000.0
    return frame


def test_a_small_study_valued_by_hand(factors: pd.DataFrame) -> None:
    got = circular.value_matches(matches(), factors, CLASSES).set_index("stream_id")
    assert got["material_class"].to_dict() == {
        "A": "metal",
        "B": "food",  # 02 03 04: the sub-chapter 02 03
        "C": "sludge",  # 02 03 05: the code wins over its sub-chapter
        "D": "solvent",  # the asterisk is ignored
        "E": "unclassified",  # no row covers 16 08
    }
    # Methane per t of food: DOC x DOCf x MCF x F x 16/12 x (1 - OX) x GWP100
    #   central 0.15 x 0.5 x 0.6 x 0.5 x 4/3 x 1.0 x 28 = 0.84
    #   low     0.10 x 0.5 x 0.4 x 0.5 x 4/3 x 0.9 x 25 = 0.3    (OX at its high end)
    #   high    0.20 x 0.7 x 1.0 x 0.5 x 4/3 x 1.0 x 30 = 2.8
    # Transport emissions: co2_t x ratio (1, 1, 1.5); co2_t = tonne_km x 0.124 / 1000.
    expected = {
        # A: 100 t metal, landfilled, 1,000 t-km, co2_t 0.124.
        #   money: disposal 100 x (10, 20, 40), material 100 x (100, 200, 300), transport
        #   1,000 x (0.1, 0.2, 0.4); net low = 1,000 + 10,000 - 400 = 10,600, central
        #   2,000 + 20,000 - 200 = 21,800, high 4,000 + 30,000 - 100 = 33,900.
        #   CO2e: virgin 100 x (1, 2, 3), no methane (metal), transport 0.124 x (1, 1, 1.5);
        #   net low 100 - 0.186 = 99.814, central 200 - 0.124, high 300 - 0.124.
        "A": {
            "avoided_disposal_azn": (1000.0, 2000.0, 4000.0),
            "material_value_azn": (10000.0, 20000.0, 30000.0),
            "transport_cost_azn": (100.0, 200.0, 400.0),
            "net_azn_yr": (10600.0, 21800.0, 33900.0),
            "avoided_virgin_t_co2e": (100.0, 200.0, 300.0),
            "avoided_methane_t_co2e": (0.0, 0.0, 0.0),
            "transport_t_co2e": (0.124, 0.124, 0.186),
            "net_t_co2e_yr": (99.814, 199.876, 299.876),
        },
        # B: 50 t food, landfilled, 1,000 t-km. Money: 500 - 1,000 - 400 = -900;
        #   1,000 + 0 - 200 = 800; 2,000 + 500 - 100 = 2,400. CO2e: virgin 50 x (0, 0.1, 0.2),
        #   methane 50 x (0.3, 0.84, 2.8) = (15, 42, 140); net 0 + 15 - 0.186 = 14.814,
        #   5 + 42 - 0.124 = 46.876, 10 + 140 - 0.124 = 149.876.
        "B": {
            "net_azn_yr": (-900.0, 800.0, 2400.0),
            "avoided_methane_t_co2e": (15.0, 42.0, 140.0),
            "net_t_co2e_yr": (14.814, 46.876, 149.876),
        },
        # C: 20 t sludge, no fate (valued as unknown: not landfill-like, so no methane although
        #   sludge is biodegradable), 100 t-km. Money: 0 - 600 - 40 = -640; 100 - 200 - 20 =
        #   -120; 200 + 0 - 10 = 190. CO2e: only transport, 0.0124 x (1.5, 1, 1).
        "C": {
            "net_azn_yr": (-640.0, -120.0, 190.0),
            "avoided_methane_t_co2e": (0.0, 0.0, 0.0),
            "net_t_co2e_yr": (-0.0186, -0.0124, -0.0124),
        },
        # D: 10 t hazardous solvent kept on site, 80 t-km: the hazardous disposal costs.
        #   Money: 0 - 4,000 - 32 = -4,032; 500 - 2,000 - 16 = -1,516; 1,000 - 1,000 - 8 = -8.
        #   CO2e: virgin 10 x (-1, 0, 0.5), transport 0.00992 x (1, 1, 1.5).
        "D": {
            "avoided_disposal_azn": (0.0, 500.0, 1000.0),
            "net_azn_yr": (-4032.0, -1516.0, -8.0),
            "net_t_co2e_yr": (-10.01488, -0.00992, 4.99008),
        },
        # E: 5 t unclassified, landfilled, 10 t-km: disposal 5 x (10, 20, 40) less transport
        #   10 x (0.4, 0.2, 0.1): 46, 98, 199.
        "E": {"net_azn_yr": (46.0, 98.0, 199.0)},
    }
    for stream, parts in expected.items():
        for part, ends in parts.items():
            for end, value in zip(ENDS, ends, strict=True):
                assert got.at[stream, f"{part}_{end}"] == pytest.approx(value), (stream, part, end)
    assert got["methane_counted"].to_dict() == {
        "A": False,
        "B": True,
        "C": False,
        "D": False,
        "E": False,
    }

    valuation = circular.value_matching(SimpleNamespace(matches=matches()), factors, CLASSES)
    baku = valuation.totals("Baku", "circular")
    # A + B + C: 10,600 - 900 - 640 = 9,060; 21,800 + 800 - 120 = 22,480; 33,900 + 2,400 + 190
    # = 36,490. CO2e central: 199.876 + 46.876 - 0.0124 = 246.7396.
    assert baku["options"] == 3 and baku["quantity_t"] == 170.0
    assert [baku[f"net_azn_yr_{e}"] for e in ENDS] == pytest.approx([9060.0, 22480.0, 36490.0])
    assert baku["net_t_co2e_yr_central"] == pytest.approx(246.7396)
    # Safer treatment is summed apart: Absheron-Khizi's circular option is E alone.
    absheron = valuation.totals("Absheron-Khizi", "circular")
    assert absheron["net_azn_yr_central"] == pytest.approx(98.0)
    safer = valuation.totals("Absheron-Khizi", "safer_treatment")
    assert (safer["options"], safer["net_azn_yr_central"]) == (1, pytest.approx(-1516.0))
    assert valuation.totals(None, "circular")["net_azn_yr_central"] == pytest.approx(22578.0)
    assert valuation.totals("Baku", "safer_treatment")["options"] == 0
    assert valuation.totals("Nakhchivan")["net_azn_yr_central"] == 0.0  # no option there
    assert list(valuation.in_region("Baku").matches["stream_id"]) == ["A", "B", "C"]
    assert list(valuation.of_kind("safer_treatment")["stream_id"]) == ["D"]


def test_the_key_figures_and_texts_of_a_region(factors: pd.DataFrame) -> None:
    valuation = circular.value_matching(SimpleNamespace(matches=matches()), factors, CLASSES)
    figures = {f.key: f for f in circular.value_key_figures(valuation, "Baku")}
    assert {k: f.value for k, f in figures.items()} == pytest.approx(
        {
            "net_value_azn_yr": 22480.0,
            "net_value_azn_yr_low": 9060.0,
            "net_value_azn_yr_high": 36490.0,
            "net_t_co2e_yr": 246.7396,
            # 99.814 + 14.814 - 0.0186; 299.876 + 149.876 - 0.0124
            "net_t_co2e_yr_low": 114.6094,
            "net_t_co2e_yr_high": 449.7396,
            "safer_treatment_net_value_azn_yr": 0.0,
            "safer_treatment_net_t_co2e_yr": 0.0,
        }
    )
    assert figures["net_value_azn_yr"].note == "3 options; range 9,060–36,490"
    assert circular.range_text(12300, 4100, 25000, "AZN/yr") == "12,300 AZN/yr (4,100–25,000)"
    assert circular.range_text(-1516, -4032, -8, "AZN/yr") == "-1,516 AZN/yr (-4,032 to -8.0)"
    assert circular.range_text(-0.004, -0.01, 0.5) == "0.0 (0.0–0.5)"
    table = circular.options_value_table(valuation.of_kind("circular"))
    assert str(table.loc[0, "value_azn_yr"]) == "21,800 (10,600–33,900)"
    # the annex keeps the three ends as numbers
    ends = table.loc[0, "value_azn_yr"]
    assert (ends.low, ends.central, ends.high) == pytest.approx((10600, 21800, 33900), abs=50)
    assert table.loc[2, "fate"] == "not reported"
    parts = circular.value_parts_table(valuation, "Baku").set_index("part")
    assert parts.loc["Avoided landfill methane (t CO2e/yr)"].tolist() == pytest.approx(
        [15.0, 42.0, 140.0]
    )
    regions = circular.value_by_region_table(valuation).set_index("economic_region")
    assert regions.loc["Baku", "safer_value_azn_yr"] is None  # none there: an empty cell
    assert str(regions.loc["Absheron-Khizi", "safer_value_azn_yr"]) == "-1,516 (-4,032 to -8.0)"


def test_every_range_is_ordered_with_the_shipped_factors() -> None:
    """Whatever the fate, hazard and class, low <= central <= high for every part."""
    classes = load_material_classes()
    # A code under every prefix of the table (a sub-chapter gets the entry 99), and one no
    # prefix covers.
    codes = [c if len(c) == 8 else f"{c} 99"[:8] for c in classes["ewc"]]
    codes = [*codes, "16 08 01"]
    n = len(codes)
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(
        {
            "stream_id": [f"S{i}" for i in range(n)],
            "economic_region": "Baku",
            "ewc_code": codes,
            "hazardous": rng.random(n) < 0.3,
            "quantity_t": rng.uniform(0.1, 5000.0, n),
            "fate": rng.choice(["landfilled", "kept_on_site", "unknown", None], n),
            "tonne_km": rng.uniform(0.0, 50000.0, n),
        }
    )
    frame["co2_t"] = frame["tonne_km"] * 0.124 / 1000.0
    got = circular.value_matches(frame)
    assert (got["option_kind"] == "circular").all()  # no option_kind column: all circular
    for part in (*MONEY_PARTS, *EMISSION_PARTS):
        low, central, high = (got[f"{part}_{end}"].to_numpy() for end in ENDS)
        assert (low <= central + 1e-9).all() and (central <= high + 1e-9).all(), part


def test_material_class_by_longest_prefix() -> None:
    table = pd.DataFrame(
        {"ewc": ["02", "02 03", "02 03 05"], "material_class": ["chapter", "sub", "entry"]}
    )
    codes = pd.Series(["02 03 05", "02 03 01", "02 01 01", "03 01 05", None])
    assert classify(codes, table).tolist() == [
        "entry",
        "sub",
        "chapter",
        "unclassified",
        "unclassified",
    ]
    shipped = classify(
        pd.Series(["02 03 05", "02 03 04", "02 03 02", "01 04 13", "07 01 08*", "10 02 02"])
    )
    assert shipped.tolist() == [
        "organic_sludge",  # the code, before its sub-chapter's food_organic
        "food_organic",
        "unclassified",  # a code taken out of its sub-chapter on purpose
        "mineral_aggregate",  # the sub-chapter 01 04
        "hazardous_organic",
        "slag",
    ]


@pytest.mark.parametrize(
    ("fate", "counted"),
    [("landfilled", True), ("kept_on_site", True), ("unknown", False), (None, False)],
)
def test_methane_only_for_biodegradable_landfill_like_streams(
    factors: pd.DataFrame, fate: str | None, counted: bool
) -> None:
    frame = matches().iloc[[0, 1]].copy()  # A metal, B food
    frame["fate"] = fate
    got = circular.value_matches(frame, factors, CLASSES).set_index("stream_id")
    assert got.at["A", "avoided_methane_t_co2e_central"] == 0.0  # metal never
    # B: 50 t x 0.84 t CO2e/t (see the hand-valued study) when landfilled or kept on site.
    assert got.at["B", "avoided_methane_t_co2e_central"] == pytest.approx(42.0 if counted else 0.0)
    assert bool(got.at["B", "biodegradable"]) and bool(got.at["B", "methane_counted"]) == counted


def test_the_shipped_factors_are_valid_and_complete() -> None:
    assert check_factors().issues == []
    factors = load_factors()
    assert (factors["source"].str.len() > 10).all()
    assert factors["year"].between(2006, 2024).all()
    biodegradable = set(factors.loc[factors["factor"] == "landfill_doc", "key"])
    assert biodegradable == {
        "food_organic",
        "green_waste",
        "mixed_waste",
        "organic_sludge",
        "paper",
        "textiles",
        "wood",
    }
    values = factors.set_index(["factor", "key"])
    # the AZN/USD peg: 1,530 AZN/t is 40 % of USD 2,256/t at 1.70 (rounded to 3 figures)
    assert values.loc[("material_value", "non_ferrous_metal"), "low"] == 1530.0
    # the one transport factor is the setting: the table's central ratio is 1
    assert values.loc[("transport_emissions", ""), "central"] == 1.0


def test_a_bad_factor_row_names_file_row_column_value_and_rule(tmp_path: Path) -> None:
    rows = FACTORS_CSV.splitlines()
    rows[7] = "material_value,metal,AZN,100,200,300,2024,test"  # row 8: unit
    rows[8] = "material_value,food,AZN/t,5,0,10,2024,test"  # row 9: low above central
    rows[13] = "avoided_virgin_emissions,metl,t CO2e/t,1,2,3,2024,test"  # row 14: no such class
    rows[25] = "landfill_ox,,fraction,0,0,1.5,2006,test"  # row 26: above 0.99
    rows[12] = "transport_cost,metal,AZN/t-km,0.1,0.2,0.4,2024,test"  # row 13: key on one value
    rows.append("gwp100_ch4,,t CO2e/t CH4,25,28,30,1850,test")  # row 28: again, and a bad year
    rows.append("landfill_doc,metal,t C/t,0.1,0.2,0.3,2006,test")  # row 29: doc without docf
    rows.append("materal_value,food,AZN/t,0,0,0,2024,test")  # row 30: no such factor
    path = tmp_path / "ours.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    issues = check_factors(path, CLASSES).issues
    assert {i.file for i in issues} == {str(path)}
    got = [(i.row, i.column, i.rule, i.value) for i in issues]
    assert got == [
        (None, "factor", "factor-missing", "avoided_virgin_emissions / metal"),
        (None, "factor", "factor-missing", "landfill_docf / metal"),
        (8, "unit", "factor-unit", "AZN"),
        (9, "low", "factor-range", "5"),
        (13, "key", "factor-key", "metal"),
        (14, "key", "factor-key", "metl"),
        (26, "high", "factor-bounds", "1.5"),
        (28, "factor", "duplicate-id", "gwp100_ch4"),
        (28, "year", "factor-year", "1850"),
        (30, "factor", "choice", "materal_value"),
    ]
    messages = {(i.row, i.column): i.message for i in issues}
    assert messages[(9, "low")] == "low (5) is above central (0)."
    assert messages[(28, "factor")] == "gwp100_ch4 is given again (first on row 27)."
    with pytest.raises(StudyDataError) as caught:
        load_factors(path, CLASSES)
    text = str(caught.value)
    assert text.startswith(f"10 problems in the study data at {path}:")
    assert f"{path}, row 8, column unit: material_value is in AZN/t, not 'AZN'." in text


def test_the_preflight_checks_a_study_factor_file(tmp_path: Path) -> None:
    from iwm_study.runner.preflight import preflight

    shutil.copytree(PROJECT_ROOT / "parameters", tmp_path / "parameters")
    write_tables(tmp_path / "data" / "demo", GOOD)
    study = tmp_path / "parameters" / "study.yaml"
    data = yaml.safe_load(study.read_text(encoding="utf-8"))
    data["defaults"]["valuation_factors_file"] = "factors/ours.csv"
    study.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    shipped = (PROJECT_ROOT / "iwm_study" / "data" / "codes" / "valuation_factors.csv").read_text(
        encoding="utf-8"
    )
    (tmp_path / "factors").mkdir()
    bad = shipped.replace(
        "transport_cost,,AZN/t-km,0.1,0.2,0.4", "transport_cost,,AZN/t-km,0.1,0.2,-0.4"
    )
    (tmp_path / "factors" / "ours.csv").write_text(bad, encoding="utf-8")
    pre = preflight(tmp_path)
    assert not pre.ok
    found = [(i.file, i.column, i.rule) for i in pre.report.errors]
    assert found == [
        ("factors/ours.csv", "high", "factor-bounds"),
        ("factors/ours.csv", "high", "factor-range"),
    ]
