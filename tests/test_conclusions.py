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


def test_key_findings_say_what_was_found_and_what_was_not() -> None:
    base = {"waste_t": 4500.0, "enterprises_surveyed": 3.0, "hazardous_t": 0.0}
    none_found = c.key_findings(
        c.collect(base | {"not_recovered_t": 4500.0, "circular_options_t": 0.0})
    )
    assert (
        "No circular option was found for the 4,500 t/yr not yet recovered: no rule, no "
        "receiver of the kind needed, or none within reach (the circular options report lists "
        "the reasons stream by stream)." in none_found
    )
    assert not any("worth" in line for line in none_found)
    nothing_open = c.key_findings(
        c.collect(base | {"not_recovered_t": 0.0, "circular_options_t": 0.0})
    )
    assert "No tonne is landfilled, kept on site or of unknown fate: nothing to match." in (
        nothing_open
    )
    found = c.key_findings(
        c.collect(
            base
            | {
                "not_recovered_t": 4500.0,
                "circular_options_t": 900.0,
                "circular_options_share_pct": 20.0,
                "net_value_azn_yr": 12300.0,
                "net_value_azn_yr_low": -4100.0,
                "net_value_azn_yr_high": 25000.0,
                "net_t_co2e_yr": 80.4,
                "net_t_co2e_yr_low": 10.0,
                "net_t_co2e_yr_high": 200.0,
                "safer_treatment_t": 12.0,
            }
        )
    )
    assert (
        "Circular options were found for **900 t/yr**, 20.0 % of the 4,500 t/yr not yet "
        "recovered. They are worth **12,300 AZN/yr (range -4,100 to 25,000)** and avoid "
        "**80 t CO2e/yr (range 10 to 200)**." in found
    )
    assert any(line.startswith("12 t/yr of hazardous waste could go to a safer") for line in found)
    # Without a register, the findings say the totals are the survey's alone.
    assert any(line.startswith("No business register was given") for line in found)


def test_the_preflight_checks_a_study_recommendations_file(tmp_path: Path) -> None:
    import shutil

    import yaml
    from conftest import GOOD, PROJECT_ROOT, write_tables

    from iwm_study.runner.preflight import preflight

    shutil.copytree(PROJECT_ROOT / "parameters", tmp_path / "parameters")
    write_tables(tmp_path / "data" / "demo", GOOD)
    study = tmp_path / "parameters" / "study.yaml"
    data = yaml.safe_load(study.read_text(encoding="utf-8"))
    data["defaults"]["recommendations_file"] = "rules/ours.csv"
    study.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    shipped = pd.read_csv(c.shipped_recommendations_path(), dtype=str, keep_default_na=False)
    shipped.loc[0, "condition"] = "open('x') > 1"
    (tmp_path / "rules").mkdir()
    shipped.to_csv(tmp_path / "rules" / "ours.csv", index=False)
    pre = preflight(tmp_path)
    assert not pre.ok
    found = [(i.file, i.row, i.column, i.rule) for i in pre.report.errors]
    assert found == [("rules/ours.csv", 2, "condition", "recommendation-condition")]


def test_one_region_with_statistics_ranks_pilots_but_has_no_synthesis(tmp_path: Path) -> None:
    """Pilot regions are ranked on the statistics of all regions even when the survey covers
    one (the demo's criteria read the statistics alone); the national synthesis needs two
    region files and is left out, with its reason."""
    import shutil

    from conftest import GOOD, PROJECT_ROOT, write_tables

    from iwm_study.runner.preflight import preflight

    shutil.copytree(PROJECT_ROOT / "parameters", tmp_path / "parameters")
    for slug in ("absheron-khizi", "ganja-dashkasan"):
        (tmp_path / "parameters" / "regions" / f"{slug}.yaml").unlink()
    baku = {name: list(rows) for name, rows in GOOD.items()}
    baku["enterprises"] = [e for e in GOOD["enterprises"] if e["economic_region"] == "Baku"]
    ids = {e["enterprise_id"] for e in baku["enterprises"]}
    baku["waste_streams"] = [s for s in GOOD["waste_streams"] if s["enterprise_id"] in ids]
    write_tables(tmp_path / "data" / "demo", baku)
    pre = preflight(tmp_path)
    assert pre.ok, pre.report.errors
    planned = {(j.scope, j.notebook) for j in pre.plan.jobs}
    assert ("national", "00_pilot_region_selection") in planned
    omitted = {o.id: o.reason for o in pre.plan.omitted}
    assert omitted == {
        "national/07_national_synthesis": "this notebook sets the study's regions side by side "
        "and needs at least 2 region files; the study has 1."
    }
    # Without the statistics table, the survey's one region cannot be compared.
    (tmp_path / "data" / "demo" / "regional_statistics.csv").unlink()
    pre = preflight(tmp_path)
    omitted = {o.id: o.reason for o in pre.plan.omitted}
    assert omitted["national/00_pilot_region_selection"].endswith(
        "needs data from at least 2; the data covers 1 (Baku)."
    )
