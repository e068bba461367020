"""Conclusions: the recommendation rules (each triggered and not), their grammar and file
checks, the indicators computed from a small study by hand, and the fact sheets' frames."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from iwm_study import conclusions as c
from iwm_study.data.issues import StudyDataError

RULES = c.load_recommendations()


def _status(rule_id: str, values: dict[str, float]) -> str:
    out = c.evaluate(RULES[RULES["rule_id"] == rule_id], c.collect(values))
    return str(out.loc[0, "status"])


# Each shipped rule: values that trigger it, and values just on the other side of its threshold.
# National references come from the code tables: landfill 13.8 % and kept on site 11.2 % (SSC
# 2022 fate shares), hazardous 337.1 / 3,984.1 kt = 8.461 %.
CASES = {
    "REC01": ({"packaging_t": 1000.0}, {"packaging_t": 999.9}),
    "REC02": (
        {"hazardous_share_pct": 8.5, "hazardous_far_share_pct": 25.0},
        {"hazardous_share_pct": 8.4, "hazardous_far_share_pct": 100.0},
    ),
    "REC03": ({"landfill_rate_pct": 13.81}, {"landfill_rate_pct": 13.8}),
    "REC04": ({"estimated_share_pct": 50.0}, {"estimated_share_pct": 49.99}),
    "REC05": (
        {"stored_on_site_t": 0.0, "storage_over_limit_t": 0.5},
        {"stored_on_site_t": 999.0, "storage_over_limit_t": 0.0},
    ),
    "REC06": ({"circular_options_t": 1000.0}, {"circular_options_t": 999.0}),
    "REC07": ({"net_value_azn_yr_low": 1.0}, {"net_value_azn_yr_low": 0.0}),
    "REC08": ({"no_receiver_share_pct": 25.0}, {"no_receiver_share_pct": 24.9}),
    "REC09": ({"coverage_employees_pct": 49.9}, {"coverage_employees_pct": 50.0}),
    "REC10": ({"unknown_fate_share_pct": 10.0}, {"unknown_fate_share_pct": 9.9}),
}


def test_every_shipped_rule_has_cases() -> None:
    assert sorted(CASES) == sorted(RULES["rule_id"])


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_triggered_and_not(rule_id: str) -> None:
    on, off = CASES[rule_id]
    assert _status(rule_id, on) == "triggered"
    assert _status(rule_id, off) == "not_triggered"
    # Without the indicators it reads, a rule is not assessed (never silently false).
    assert _status(rule_id, {}) == "not_assessed"


def test_national_hazardous_share_from_the_code_tables() -> None:
    assert c.national_values()["national_hazardous_share_pct"] == pytest.approx(
        100 * 337.1 / 3984.1
    )
    assert c.national_values()["national_landfill_share_pct"] == 13.8


def test_evidence_shows_the_numbers_with_units() -> None:
    out = c.evaluate(
        RULES[RULES["rule_id"] == "REC03"],
        c.collect({"landfill_rate_pct": 21.44}),
        c.describe,
        c.format_threshold,
    )
    assert out.loc[0, "evidence"] == "Landfill rate 21.4 % > National landfill share (2022) 13.8 %"
    out = c.evaluate(
        RULES[RULES["rule_id"] == "REC01"],
        c.collect({"packaging_t": 1476.3}),
        c.describe,
        c.format_threshold,
    )
    assert out.loc[0, "evidence"] == "Packaging waste 1,476 t/yr ≥ 1,000 t/yr"
    # A clause that does not hold states the relation that does; an unknown one asks.
    out = c.evaluate(
        RULES[RULES["rule_id"].isin(["REC03", "REC01"])],
        c.collect({"landfill_rate_pct": 10.74}),
        c.describe,
        c.format_threshold,
    )
    evidence = dict(zip(out["rule_id"], out["evidence"], strict=True))
    assert evidence["REC03"] == "Landfill rate 10.7 % ≤ National landfill share (2022) 13.8 %"
    assert evidence["REC01"] == "Packaging waste n/a ≥? 1,000 t/yr"


def test_three_valued_logic() -> None:
    known = {"a": 1.0, "b": math.nan}
    cond = c.parse_condition("a > 0 and b > 0")
    from iwm_study.conclusions.recommendations import _truth

    assert _truth(cond.tree, known) is None
    assert _truth(c.parse_condition("a < 0 and b > 0").tree, known) is False
    assert _truth(c.parse_condition("a > 0 or b > 0").tree, known) is True
    assert _truth(c.parse_condition("not (a > 0)").tree, known) is False
    assert _truth(c.parse_condition("0 < a <= 1").tree, known) is True
    assert _truth(c.parse_condition("a > -2").tree, known) is True


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "a.b > 1",
        "a > 'x'",
        "a + 1 > 2",
        "a",
        "a > 1 if a else 2",
        "a >",
        "a in (1, 2)",
    ],
)
def test_conditions_outside_the_grammar_are_refused(text: str) -> None:
    with pytest.raises(c.ConditionError):
        c.parse_condition(text)


def test_unknown_indicator_names_the_nearest() -> None:
    with pytest.raises(c.ConditionError, match="Did you mean landfill_rate_pct"):
        c.parse_condition("landfil_rate_pct > 1", c.INDICATORS)


def test_a_broken_rules_file_names_row_column_and_value(tmp_path: Path) -> None:
    shipped = pd.read_csv(c.shipped_recommendations_path(), dtype=str, keep_default_na=False)
    shipped.loc[2, "condition"] = "landfill_rate > 10"
    shipped.loc[4, "source"] = ""
    path = tmp_path / "recommendations.csv"
    shipped.to_csv(path, index=False)
    report = c.check_recommendations(path)
    problems = {(i.row, i.column, i.value, i.rule) for i in report.errors}
    # Header = row 1, so the frame's row 2 is the file's row 4.
    assert (4, "condition", "landfill_rate > 10", "recommendation-condition") in problems
    assert any(i.row == 6 and i.column == "source" for i in report.errors)
    with pytest.raises(StudyDataError):
        c.load_recommendations(path)


# --------------------------------------------------------------------------------------------
# indicators of a small study, by hand


def _small_study() -> tuple[pd.DataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame]:
    # Two producers 0 and ~0.9 deg (about 76 km) east of a permitted facility, on one latitude.
    enterprises = gpd.GeoDataFrame(
        {
            "enterprise_id": ["E1", "E2"],
            "employees": [10, 20],
            "output_value_kazn": [100.0, 200.0],
        },
        geometry=[Point(49.0, 40.0), Point(49.9, 40.0)],
        crs="EPSG:4326",
    )
    facilities = gpd.GeoDataFrame(
        {"facility_id": ["F1", "F2"], "hazardous_permitted": [True, False]},
        geometry=[Point(49.0, 40.0), Point(49.9, 40.0)],
        crs="EPSG:4326",
    )
    streams = pd.DataFrame(
        {
            "stream_id": ["S1", "S2", "S3", "S4"],
            "enterprise_id": ["E1", "E2", "E2", "E1"],
            "ewc_code": ["15 01 01", "13 02 05*", "10 02 02", "07 01 04*"],
            "description": ["Cardboard", "Engine oil", "EAF slag", "Solvent"],
            "quantity_t": [100.0, 30.0, 820.0, 50.0],
            "hazardous": [False, True, False, True],
            "fate": ["landfilled", "unknown", "kept_on_site", "sold_or_transferred"],
            "operation": ["D1", None, "D15", "R2"],
            "data_quality": ["estimated", "measured", "estimated", "calculated"],
        }
    )
    return streams, enterprises, facilities


def test_inventory_values_by_hand() -> None:
    streams, ent, fac = _small_study()
    v = c.inventory_values(streams, ent, fac, max_distance_km=50.0, road_factor=1.3)
    # 100 + 30 + 820 + 50 = 1,000 t; hazardous 30 + 50 = 80 t; packaging (chapter 15) 100 t.
    assert v["waste_t"] == 1000.0
    assert v["hazardous_t"] == 80.0
    assert v["hazardous_share_pct"] == pytest.approx(8.0)
    assert v["packaging_share_pct"] == pytest.approx(10.0)
    # Unknown fate: S2, 30 t of 1,000.
    assert v["unknown_fate_share_pct"] == pytest.approx(3.0)
    # Estimated: S1 + S3 = 920 t.
    assert v["estimated_share_pct"] == pytest.approx(92.0)
    # Known fates: 970 t; landfilled 100 t, kept on site 820 t.
    assert v["landfill_rate_pct"] == pytest.approx(100 / 970 * 100)
    assert v["kept_on_site_pct"] == pytest.approx(820 / 970 * 100)
    # E2 is about 76.7 km by straight line from F1, the only permitted facility (x 1.3 road
    # factor > 50 km): its 30 hazardous tonnes are far; E1's 50 t sit at F1. 30 / 80 = 37.5 %.
    assert v["hazardous_far_share_pct"] == pytest.approx(37.5)
    # With a limit of 120 km by road, none is far.
    v = c.inventory_values(streams, ent, fac, max_distance_km=120.0, road_factor=1.3)
    assert v["hazardous_far_share_pct"] == 0.0


def test_collect_refuses_names_outside_the_catalogue() -> None:
    with pytest.raises(KeyError, match="not an indicator"):
        c.collect({"landfill_pct": 1.0})
    values = c.collect({"waste_t": 5.0})
    assert set(values) == set(c.INDICATORS) and math.isnan(values["packaging_t"])


def test_fact_sheet_frames() -> None:
    streams, _ent, _fac = _small_study()
    e1 = streams[streams["enterprise_id"] == "E1"]
    frame = c.streams_frame(e1)
    assert list(frame["EWC entry"]) == ["15 01 01", "07 01 04*"]  # largest first
    assert list(frame["Hazardous"]) == ["no", "yes"]
    fates = c.fates_frame(e1)
    # In the fate table's order: sold or transferred (50 t) before landfilled (100 t).
    assert list(fates["Fate"]) == ["Sold or transferred to other enterprises", "Landfilled"]
    assert list(fates["Tonnes per year"]) == [50.0, 100.0]
    assert fates["Share (%)"].sum() == pytest.approx(100.0)
    recp = c.recp_frame(e1)
    # Chapter 15 (100 t) before chapter 07 (50 t): one prompt each in the shipped table.
    assert list(recp["EWC entries"]) == ["15 01 01", "07 01 04*"]
    assert list(recp["Tonnes per year"]) == [100.0, 50.0]
