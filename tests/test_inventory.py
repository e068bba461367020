"""The waste inventory: every aggregation against totals computed from the raw CSV tables.

Expected values come from the CSV files read with the csv module and units converted here
(t, kg / 1000, m3 x density), never from the functions under test; the small cases are worked
out by hand in the comments.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import GOOD, PROJECT_ROOT, TODAY, write_tables

from iwm_study import inventory as inv
from iwm_study import report
from iwm_study.data import load_study

DEMO = PROJECT_ROOT / "data" / "demo"
CODES = PROJECT_ROOT / "iwm_study" / "data" / "codes"
REGIONS = ("Baku", "Absheron-Khizi", "Ganja-Dashkasan")


# ------------------------------------------------------------------------------------------
# an independent reading of the raw tables


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def tonnes(row: dict[str, str]) -> float:
    """A stream's quantity in t/yr, converted by hand."""
    q = float(row["quantity"])
    unit = row["unit"].strip().lower()
    if unit in ("t", "tonne", "tonnes"):
        return q
    if unit == "kg":
        return q / 1000.0
    if unit in ("m3", "m³"):
        return q * float(row["density_t_m3"])
    raise AssertionError(f"unexpected unit {unit!r}")


def raw_streams(folder: Path, region: str | None = None) -> list[dict[str, object]]:
    """Every stream of the raw CSV with its tonnes and its enterprise's columns."""
    enterprises = {e["enterprise_id"]: e for e in read_csv(folder / "enterprises.csv")}
    levels = {o["code"]: o["hierarchy_level"] for o in read_csv(CODES / "waste_operations.csv")}
    out = []
    for row in read_csv(folder / "waste_streams.csv"):
        ent = enterprises[row["enterprise_id"]]
        if region and ent["economic_region"] != region:
            continue
        code = row["ewc_code"].replace(" ", "")
        nace = re.sub(r"^[A-Z]", "", ent["nace_code"].strip())
        op = row["operation"].strip().upper()
        out.append(
            {
                **row,
                "t": tonnes(row),
                "hazardous": code.endswith("*"),
                "ewc_chapter": code[:2],
                "ewc_subchapter": f"{code[:2]} {code[2:4]}",
                "nace_division": nace[:2],
                "district": ent["district"],
                "economic_region": ent["economic_region"],
                "fate": row["fate"].strip() or "not_reported",
                "operation": op or "not_reported",
                "hierarchy_level": levels.get(op, "not_reported"),
            }
        )
    return out


def sums_by(rows: list[dict[str, object]], key: str) -> dict[object, float]:
    out: dict[object, float] = defaultdict(float)
    for r in rows:
        out[r[key]] += r["t"]
    return dict(out)


@pytest.fixture(scope="module")
def demo():
    return load_study(DEMO, today=TODAY)


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    return load_study(write_tables(tmp_path_factory.mktemp("good"), GOOD), today=TODAY)


# ------------------------------------------------------------------------------------------
# totals and breakdowns of the demo study against the raw CSV


@pytest.mark.parametrize("region", [None, *REGIONS])
def test_grand_total_matches_raw_csv(demo, region) -> None:
    study = demo.for_region(region) if region else demo
    rows = raw_streams(DEMO, region)
    assert len(study.waste_streams) == len(rows)
    assert inv.grand_total(study.waste_streams) == pytest.approx(sum(r["t"] for r in rows))


DIMENSIONS = [
    "nace_division",
    "ewc_chapter",
    "ewc_subchapter",
    "hazardous",
    "physical_state",
    "district",
    "economic_region",
    "enterprise_id",
    "fate",
    "operation",
    "hierarchy_level",
    "data_quality",
]


@pytest.mark.parametrize("region", ["Baku", "Ganja-Dashkasan"])
@pytest.mark.parametrize("by", DIMENSIONS)
def test_breakdown_matches_raw_csv(demo, region, by) -> None:
    study = demo.for_region(region)
    frame = inv.breakdown(study.waste_streams, by, study.enterprises)
    expected = sums_by(raw_streams(DEMO, region), by)
    got = dict(zip(frame[by], frame["waste_t"], strict=True))
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, rel=1e-12, abs=1e-9), key
    # largest first, ties broken by key: a stable order
    assert list(frame["waste_t"]) == sorted(frame["waste_t"], reverse=True)


@pytest.mark.parametrize("region", REGIONS)
def test_every_breakdown_sums_to_the_same_grand_total(demo, region) -> None:
    study = demo.for_region(region)
    total = sum(r["t"] for r in raw_streams(DEMO, region))
    n = len(study.waste_streams)
    for by in DIMENSIONS:
        frame = inv.breakdown(study.waste_streams, by, study.enterprises)
        assert frame["waste_t"].sum() == pytest.approx(total, rel=1e-12), by
        assert frame["streams"].sum() == n, by
        assert frame["share_pct"].sum() == pytest.approx(100.0), by
    table = inv.crosstab(study.waste_streams, "ewc_chapter")
    assert table.to_numpy().sum() == pytest.approx(total, rel=1e-12)
    totals = inv.enterprise_totals(study.waste_streams, study.enterprises)
    assert totals["waste_t"].sum() == pytest.approx(total, rel=1e-12)
    assert inv.fate_table(study.waste_streams)["waste_t"].sum() == pytest.approx(total)
    assert inv.hierarchy_table(study.waste_streams)["waste_t"].sum() == pytest.approx(total)


def test_breakdown_labels_come_from_the_code_tables(demo) -> None:
    study = demo.for_region("Baku")
    chapters = {c["chapter"]: c["title"] for c in read_csv(CODES / "ewc_chapters.csv")}
    frame = inv.breakdown(study.waste_streams, "ewc_chapter")
    for key, label in zip(frame["ewc_chapter"], frame["label"], strict=True):
        assert label == chapters[key]
    hazard = inv.breakdown(study.waste_streams, "hazardous")
    assert dict(zip(hazard["hazardous"], hazard["label"], strict=True)) == {
        True: "Hazardous",
        False: "Non-hazardous",
    }
    names = inv.breakdown(study.waste_streams, "enterprise_id", study.enterprises)
    raw_names = {e["enterprise_id"]: e["name"] for e in read_csv(DEMO / "enterprises.csv")}
    assert all(
        raw_names[k] == n for k, n in zip(names["enterprise_id"], names["label"], strict=True)
    )


def test_crosstab_hazardous_by_chapter_matches_raw(demo) -> None:
    study = demo.for_region("Absheron-Khizi")
    table = inv.crosstab(study.waste_streams, "ewc_chapter", "hazardous")
    expected: dict[tuple[str, bool], float] = defaultdict(float)
    for r in raw_streams(DEMO, "Absheron-Khizi"):
        expected[(r["ewc_chapter"], r["hazardous"])] += r["t"]
    for (chapter, hazardous), value in expected.items():
        assert table.loc[chapter, hazardous] == pytest.approx(value)
    assert list(table.columns) == [False, True]


# ------------------------------------------------------------------------------------------
# units and the small study worked by hand
#
# GOOD: S1 E1 1200 t powder R5 used_as_raw_material measured, not hazardous
#       S2 E2 5000 kg = 5 t sludge D10 incinerated estimated, hazardous
#       S3 E3 300 t solid D5 landfilled calculated, hazardous
#       S4 E3 10 m3 x 0.9 t/m3 = 9 t liquid R9 sold_or_transferred estimated, hazardous
#       total 1514 t; E1 400 employees 50000 kAZN; E2 250, no output; E3 900, 120000 kAZN


def test_units_kg_t_and_m3_with_density(good) -> None:
    frame = inv.breakdown(good.waste_streams, "physical_state")
    assert dict(zip(frame["physical_state"], frame["waste_t"], strict=True)) == {
        "powder": pytest.approx(1200.0),
        "solid": pytest.approx(300.0),
        "liquid": pytest.approx(9.0),  # 10 m3 x 0.9 t/m3
        "sludge": pytest.approx(5.0),  # 5000 kg
    }
    assert inv.grand_total(good.waste_streams) == pytest.approx(1514.0)
    assert list(frame["physical_state"]) == ["powder", "solid", "liquid", "sludge"]


def test_indicators_by_hand(good) -> None:
    ind = inv.indicators(good.waste_streams, good.enterprises).set_index("key")
    value = ind["value"]
    assert value["waste_t"] == pytest.approx(1514.0)
    assert value["hazardous_share_pct"] == pytest.approx(100 * 314 / 1514)
    assert value["recovery_rate_pct"] == pytest.approx(100 * 1209 / 1514)  # R5 + R9
    assert value["recycling_rate_pct"] == pytest.approx(100 * 1209 / 1514)
    assert value["landfill_rate_pct"] == pytest.approx(100 * 300 / 1514)
    assert value["kept_on_site_pct"] == pytest.approx(0.0)
    assert value["intensity_t_per_employee"] == pytest.approx(1514 / 1550)
    # E2 has no output value: its 5 t and its output are both left out
    assert value["intensity_t_per_mazn"] == pytest.approx(1509 / 170)
    assert ind.at["intensity_t_per_mazn", "numerator"] == pytest.approx(1509.0)
    assert ind.at["intensity_t_per_mazn", "denominator"] == pytest.approx(170.0)
    assert value["measured_share_pct"] == pytest.approx(100 * 1200 / 1514)
    assert value["calculated_share_pct"] == pytest.approx(100 * 300 / 1514)
    assert value["estimated_share_pct"] == pytest.approx(100 * 14 / 1514)
    assert all(isinstance(d, str) and len(d) > 30 for d in ind["definition"])
    assert set(ind["unit"]) <= {"t/yr", "%", "t/employee/yr", "t per million AZN"}


def test_rates_leave_missing_operation_and_fate_out_of_their_denominators(good) -> None:
    streams = good.waste_streams.copy()
    streams.loc[streams["stream_id"] == "S1", "operation"] = None  # 1200 t, no operation
    streams.loc[streams["stream_id"] == "S4", "fate"] = None  # 9 t, no fate
    streams.loc[streams["stream_id"] == "S2", "fate"] = "unknown"  # 5 t, fate not known
    value = inv.indicators(streams, good.enterprises).set_index("key")["value"]
    # operations reported: S2 D10 5, S3 D5 300, S4 R9 9 -> 314 t, of which 9 t recovered
    assert value["recovery_rate_pct"] == pytest.approx(100 * 9 / 314)
    # known fates: S1 1200 used, S3 300 landfilled -> 1500 t
    assert value["landfill_rate_pct"] == pytest.approx(100 * 300 / 1500)
    assert value["waste_t"] == pytest.approx(1514.0)


def test_indicator_is_nan_when_its_denominator_is_zero(good) -> None:
    streams = good.waste_streams.copy()
    streams["operation"] = None
    value = inv.indicators(streams, good.enterprises).set_index("key")["value"]
    assert math.isnan(value["recovery_rate_pct"]) and math.isnan(value["recycling_rate_pct"])


def test_indicators_of_the_demo_region_against_raw(demo) -> None:
    study = demo.for_region("Baku")
    rows = raw_streams(DEMO, "Baku")
    ops = {o["code"]: o for o in read_csv(CODES / "waste_operations.csv")}
    total = sum(r["t"] for r in rows)
    with_op = sum(r["t"] for r in rows if r["operation"] in ops)
    recovered = sum(r["t"] for r in rows if r["operation"].startswith("R"))
    known = {"used_as_raw_material", "sold_or_transferred", "exported", "landfilled"}
    known |= {"kept_on_site", "incinerated"}
    with_fate = sum(r["t"] for r in rows if r["fate"] in known)
    landfilled = sum(r["t"] for r in rows if r["fate"] == "landfilled")
    ents = [e for e in read_csv(DEMO / "enterprises.csv") if e["economic_region"] == "Baku"]
    employees = sum(int(e["employees"]) for e in ents)
    with_output = {e["enterprise_id"] for e in ents if e["output_value_kazn"].strip()}
    output_mazn = sum(float(e["output_value_kazn"]) for e in ents if e["output_value_kazn"]) / 1000
    waste_with_output = sum(r["t"] for r in rows if r["enterprise_id"] in with_output)
    value = inv.indicators(study.waste_streams, study.enterprises).set_index("key")["value"]
    assert value["recovery_rate_pct"] == pytest.approx(100 * recovered / with_op)
    assert value["landfill_rate_pct"] == pytest.approx(100 * landfilled / with_fate)
    assert value["intensity_t_per_employee"] == pytest.approx(total / employees)
    assert value["intensity_t_per_mazn"] == pytest.approx(waste_with_output / output_mazn)


# ------------------------------------------------------------------------------------------
# Pareto


def test_pareto_by_hand(good) -> None:
    totals = inv.enterprise_totals(good.waste_streams, good.enterprises)
    assert list(totals["enterprise_id"]) == ["E1", "E3", "E2"]  # 1200, 309, 5 t
    assert list(totals["rank"]) == [1, 2, 3]
    assert totals["cumulative_pct"].iloc[0] == pytest.approx(100 * 1200 / 1514)  # 79.3 %
    summary = inv.pareto(totals, 80.0)
    assert (summary.enterprises_needed, summary.enterprises) == (2, 3)
    assert summary.enterprises_needed_pct == pytest.approx(200 / 3)
    assert summary.waste_t == pytest.approx(1509.0)
    assert inv.pareto(totals, 79.0).enterprises_needed == 1


def test_pareto_exactly_at_the_share_and_enterprises_without_streams(good) -> None:
    streams = good.waste_streams[good.waste_streams["stream_id"].isin(["S1", "S3"])].copy()
    streams["quantity_t"] = [80.0, 20.0]
    totals = inv.enterprise_totals(streams, good.enterprises)
    # E2 has no stream: listed with 0 t, counted among the enterprises surveyed
    assert list(totals["enterprise_id"]) == ["E1", "E3", "E2"]
    assert list(totals["waste_t"]) == [80.0, 20.0, 0.0]
    assert list(totals["streams"]) == [1, 1, 0]
    summary = inv.pareto(totals, 80.0)
    assert (summary.enterprises_needed, summary.enterprises) == (1, 3)


def test_pareto_of_an_empty_inventory(good) -> None:
    totals = inv.enterprise_totals(good.waste_streams.iloc[0:0], good.enterprises)
    summary = inv.pareto(totals)
    assert (summary.enterprises_needed, summary.enterprises, summary.waste_t) == (0, 3, 0.0)


@pytest.mark.parametrize("region", REGIONS)
def test_pareto_of_the_demo_regions_against_raw(demo, region) -> None:
    study = demo.for_region(region)
    per = sums_by(raw_streams(DEMO, region), "enterprise_id")
    ranked = sorted(per.values(), reverse=True)
    total, running, needed = sum(ranked), 0.0, 0
    for value in ranked:
        running += value
        needed += 1
        if running >= 0.8 * total:
            break
    totals = inv.enterprise_totals(study.waste_streams, study.enterprises)
    assert inv.pareto(totals, 80.0).enterprises_needed == needed


# ------------------------------------------------------------------------------------------
# fates and hierarchy


def test_fate_table_beside_the_national_shares(good) -> None:
    fates = inv.fate_table(good.waste_streams).set_index("fate")
    assert list(fates.index) == [
        "used_as_raw_material",
        "sold_or_transferred",
        "exported",
        "landfilled",
        "kept_on_site",
        "incinerated",
        "unknown",
        "not_reported",
    ]
    # SSC categories: 1200 + 9 + 300 = 1509 t; incinerated (5 t) is not one of them
    assert fates.at["used_as_raw_material", "share_ssc_pct"] == pytest.approx(100 * 1200 / 1509)
    assert fates.at["landfilled", "share_ssc_pct"] == pytest.approx(100 * 300 / 1509)
    assert math.isnan(fates.at["incinerated", "share_ssc_pct"])
    assert fates.at["incinerated", "share_of_total_pct"] == pytest.approx(100 * 5 / 1514)
    national = {
        r["fate"]: r["national_share_2022_pct"] for r in read_csv(CODES / "fate_categories.csv")
    }
    assert (
        fates.at["landfilled", "national_share_2022_pct"] == float(national["landfilled"]) == 13.8
    )
    assert fates.at["landfilled", "difference_pp"] == pytest.approx(100 * 300 / 1509 - 13.8)
    ssc = fates[fates["ssc_category"]]
    assert ssc["share_ssc_pct"].sum() == pytest.approx(100.0)
    assert ssc["national_share_2022_pct"].sum() == pytest.approx(100.0)


def test_fate_table_reports_blank_fates(good) -> None:
    streams = good.waste_streams.copy()
    streams.loc[streams["stream_id"] == "S3", "fate"] = None
    fates = inv.fate_table(streams).set_index("fate")
    assert fates.at["not_reported", "waste_t"] == pytest.approx(300.0)
    assert fates.at["not_reported", "streams"] == 1
    assert fates.at["landfilled", "waste_t"] == 0.0
    assert fates["waste_t"].sum() == pytest.approx(1514.0)


def test_hierarchy_by_hand(good) -> None:
    streams = good.waste_streams.copy()
    streams.loc[streams["stream_id"] == "S4", "operation"] = "R13"  # interim: other recovery
    streams.loc[streams["stream_id"] == "S2", "operation"] = None
    h = inv.hierarchy_table(streams).set_index("level")
    assert list(h.index) == ["recycling", "other_recovery", "disposal", "not_reported"]
    assert list(h["waste_t"]) == pytest.approx([1200.0, 9.0, 300.0, 5.0])
    assert list(h["interim_t"]) == pytest.approx([0.0, 9.0, 0.0, 0.0])
    assert h.at["recycling", "share_reported_pct"] == pytest.approx(100 * 1200 / 1509)
    assert math.isnan(h.at["not_reported", "share_reported_pct"])
    assert h["share_pct"].sum() == pytest.approx(100.0)


def conflict_streams(good) -> pd.DataFrame:
    base = good.waste_streams.iloc[[0]]
    cases = [
        ("C1", "landfilled", "R5"),  # landfilled with an R code: flagged
        ("C2", "used_as_raw_material", "D1"),  # raw material with a D code: flagged
        ("C3", "incinerated", "R1"),  # energy recovery: fits
        ("C4", "kept_on_site", "R3"),  # a recycling code for waste that stayed: flagged
        ("C5", "sold_or_transferred", "D1"),  # any operation at the receiver: fits
        ("C6", "landfilled", None),  # no operation: a data gap, not a conflict
        ("C7", "landfilled", "D9"),  # treatment, not deposit: flagged
        ("C8", None, "R4"),  # no fate: not a conflict
    ]
    rows = []
    for i, (sid, fate, op) in enumerate(cases):
        row = base.copy()
        row["stream_id"], row["fate"], row["operation"] = sid, fate, op
        row["quantity_t"] = float(10 * (i + 1))
        rows.append(row)
    out = pd.concat(rows)
    out.index = pd.RangeIndex(2, 2 + len(out), name="row")
    return out


def test_fate_operation_conflicts(good) -> None:
    flagged = inv.fate_operation_conflicts(conflict_streams(good))
    # largest first: C7 70 t, C4 40 t, C2 20 t, C1 10 t
    assert list(flagged["stream_id"]) == ["C7", "C4", "C2", "C1"]
    assert list(flagged.index) == [8, 5, 3, 2]  # the rows in the file
    assert list(flagged["operation_kind"]) == ["disposal", "recovery", "disposal", "recovery"]
    assert all(isinstance(r, str) and r for r in flagged["rule"])
    assert inv.fate_operation_conflicts(good.waste_streams).empty


def test_fate_operation_rules_table() -> None:
    rules = inv.fate_operation_rules()
    assert list(rules["fate"]) == [
        "used_as_raw_material",
        "landfilled",
        "incinerated",
        "kept_on_site",
    ]
    assert rules.set_index("fate").at["landfilled", "expected_operations"] == "D1, D4, D5, D12"


# ------------------------------------------------------------------------------------------
# data gaps: missing fate, zero quantity, unknown destination ... reported, not dropped


def gappy(good) -> tuple[pd.DataFrame, pd.DataFrame]:
    streams = good.waste_streams.copy()
    sid = streams["stream_id"]
    streams.loc[sid == "S1", "fate"] = None  # 1200 t without fate
    streams.loc[sid == "S2", "quantity_t"] = 0.0  # zero quantity
    streams.loc[sid == "S3", "destination_facility_id"] = "F9"  # not in the facilities table
    streams.loc[sid == "S4", "operation"] = None  # 9 t, sold, no operation, no destination
    extra = streams[sid == "S4"].copy()
    extra["stream_id"], extra["enterprise_id"], extra["quantity_t"] = "S5", "E404", 7.0
    extra.index = pd.Index([6], name="row")
    return pd.concat([streams, extra]), good.enterprises


def test_data_gaps_are_reported(good) -> None:
    streams, enterprises = gappy(good)
    gaps = inv.data_gaps(streams, enterprises, good.facilities).set_index("gap")
    assert list(gaps.index) == list(inv.GAP_DEFINITIONS)
    expect = {
        "quantity_missing": (0, 0.0),
        "zero_quantity": (1, 0.0),
        "fate_missing": (1, 1200.0),
        "fate_unknown": (0, 0.0),
        "operation_missing": (2, 16.0),  # S4 9 t + S5 7 t
        "destination_not_reported": (2, 16.0),  # sold without destination: S4, S5
        "destination_unknown": (1, 300.0),
        "fate_operation_conflict": (0, 0.0),
        "enterprise_not_in_table": (1, 7.0),
        "enterprise_without_streams": (0, 0.0),
        "employees_missing": (0, 0.0),
        "output_value_missing": (1, 0.0),  # E2, whose only stream now weighs 0 t
    }
    for gap, (records, tonnes_) in expect.items():
        assert gaps.at[gap, "records"] == records, gap
        assert gaps.at[gap, "waste_t"] == pytest.approx(tonnes_), gap
    assert gaps.at["fate_missing", "share_pct"] == pytest.approx(100 * 1200 / 1516)
    assert all(gaps["handling"].str.len() > 10)


def test_gap_records_list_the_streams(good) -> None:
    streams, enterprises = gappy(good)
    records = inv.gap_records(streams, enterprises, good.facilities)
    listed = {(g, s) for g, s in zip(records["gap"], records["stream_id"], strict=True)}
    assert listed == {
        ("zero_quantity", "S2"),
        ("fate_missing", "S1"),
        ("operation_missing", "S4"),
        ("operation_missing", "S5"),
        ("destination_not_reported", "S4"),
        ("destination_not_reported", "S5"),
        ("destination_unknown", "S3"),
        ("enterprise_not_in_table", "S5"),
    }
    op = records[records["gap"] == "operation_missing"]
    assert list(op["stream_id"]) == ["S4", "S5"]  # 9 t before 7 t
    assert list(op["row"]) == [5, 6]


def test_gaps_stay_in_the_totals(good) -> None:
    streams, enterprises = gappy(good)
    total = 1200 + 0 + 300 + 9 + 7
    for by in ("fate", "operation", "nace_division", "district", "hierarchy_level"):
        frame = inv.breakdown(streams, by, enterprises).set_index(by)
        assert frame["waste_t"].sum() == pytest.approx(total), by
    sector = inv.breakdown(streams, "nace_division", enterprises).set_index("nace_division")
    assert sector.at["not_reported", "waste_t"] == pytest.approx(7.0)  # enterprise E404
    assert sector.at["not_reported", "label"] == "Not reported"
    fate = inv.breakdown(streams, "fate").set_index("fate")
    assert fate.at["not_reported", "waste_t"] == pytest.approx(1200.0)
    assert inv.breakdown(streams, "enterprise_id", enterprises)["streams"].sum() == 5


def test_quantity_that_could_not_be_converted_counts_as_zero_and_is_listed(good) -> None:
    streams = good.waste_streams.copy()
    streams.loc[streams["stream_id"] == "S4", "quantity_t"] = np.nan
    assert inv.grand_total(streams) == pytest.approx(1505.0)
    gaps = inv.data_gaps(streams, good.enterprises, good.facilities).set_index("gap")
    assert gaps.at["quantity_missing", "records"] == 1


def test_attach_enterprise_adds_columns_and_leaves_strangers_blank(good) -> None:
    streams, enterprises = gappy(good)
    attached = inv.attach_enterprise(streams, enterprises)
    assert list(attached["nace_division"])[:4] == ["23", "20", "24", "24"]
    assert pd.isna(attached["nace_division"].iloc[4])
    assert list(attached["district"])[:3] == ["Baku City", "Sumgayit City", "Ganja City"]
    assert pd.isna(attached["economic_region"].iloc[-1])  # E404 is not in the table
    assert "nace_division" not in streams  # the input is left as it was
    same = inv.breakdown(attached, "district")
    assert same.set_index("district").at["not_reported", "waste_t"] == pytest.approx(7.0)


# ------------------------------------------------------------------------------------------
# presentation helpers


def test_column_headers_carry_units(good) -> None:
    frame = report.table(inv.breakdown(good.waste_streams, "fate"), headers=inv.COLUMN_HEADERS).data
    formats = {h: f for h, f in inv.COLUMN_HEADERS.values() if f and h in frame}
    assert list(frame.columns) == [
        "Fate",
        "Name",
        "Streams",
        "Waste (t/yr)",
        "Share of all waste (%)",
    ]
    assert formats == {
        "Streams": "{:,}",
        "Waste (t/yr)": "{:,.1f}",
        "Share of all waste (%)": "{:.1f}",
    }


def test_headline_text(good) -> None:
    text = inv.headline_text(good.waste_streams, good.enterprises, "the test region")
    assert "3 enterprises surveyed in the test region" in text
    assert "**4 waste streams**" in text and "**1,514 t per year**" in text
    assert "**20.7 %** is hazardous" in text  # 314 / 1514
    assert "**2 enterprises** (66.7 % of those surveyed) generate 80 %" in text
