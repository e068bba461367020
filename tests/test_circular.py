"""Circular options: rules, candidates, allocation, reasons, impact and the map layer.

Every case is a small hand-built inventory whose sites are placed in the project's projected CRS
(UTM 39N, metres) and converted to longitude/latitude, so that each straight-line distance is a
round number of kilometres and every expected match, distance, score and capacity is computed
here by hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from iwm_study import circular, report
from iwm_study.data import StudyDataError
from iwm_study.data.geography import GEOGRAPHIC_CRS, PROJECTED_CRS

X0, Y0 = 400_000.0, 4_470_000.0  # near Baku, in EPSG:32639

RULES_CSV = """\
rule_id,ewc,facility_type,nace_code,operation,hazardous_allowed,title,rationale,source
T1,15 01 02,recycler,,R3,no,Plastic packaging to recyclers,Regranulated.,test
T2,10 02 01,,42,R5,no,Slag to civil engineering,Crushed into aggregate.,test
T3,13 02,recycler,,R9,yes,Used oil to re-refining,Regenerated.,test
T4,13 02,,23.51,R1,yes,Used oil as kiln fuel,Replaces fuel.,test
T5,15 01 10,incinerator,,R1,no,Contaminated packaging to energy,Burnt.,test
T6,02 03,recycler,,R3,no,Food waste to compost,Composted.,
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    path = tmp_path_factory.mktemp("rules") / "rules.csv"
    path.write_text(RULES_CSV, encoding="utf-8")
    return circular.load_rules(path)


def _points(sites: list[tuple[float, float] | None]) -> gpd.GeoSeries:
    """Points given in km from (X0, Y0) in the projected CRS, as longitude/latitude."""
    geoms = [
        None if s is None else shapely.Point(X0 + s[0] * 1000.0, Y0 + s[1] * 1000.0) for s in sites
    ]
    return gpd.GeoSeries(geoms, crs=PROJECTED_CRS).to_crs(GEOGRAPHIC_CRS)


def enterprises(*rows: tuple) -> gpd.GeoDataFrame:
    """rows: (id, (x_km, y_km) or None, nace_code[, economic_region])."""
    return gpd.GeoDataFrame(
        {
            "enterprise_id": [r[0] for r in rows],
            "name": [f"Enterprise {r[0]}" for r in rows],
            "economic_region": [r[3] if len(r) > 3 else "Baku" for r in rows],
            "nace_code": [r[2] for r in rows],
        },
        geometry=_points([r[1] for r in rows]).to_numpy(),
        crs=GEOGRAPHIC_CRS,
    )


def facilities(*rows: dict) -> gpd.GeoDataFrame:
    """rows: dict(id, at, type, accepts, ops, capacity, hazardous, nace)."""
    return gpd.GeoDataFrame(
        {
            "facility_id": [r["id"] for r in rows],
            "name": [f"Facility {r['id']}" for r in rows],
            "facility_type": [r.get("type", "recycler") for r in rows],
            "economic_region": "Baku",
            "accepted_ewc_list": [r["accepts"] for r in rows],
            "operations_list": [r["ops"] for r in rows],
            "capacity_t_yr": [r.get("capacity", np.nan) for r in rows],
            "hazardous_permitted": pd.Series(
                [r.get("hazardous", False) for r in rows], dtype="boolean"
            ),
            "nace_code": [r.get("nace") for r in rows],
        },
        geometry=_points([r["at"] for r in rows]).to_numpy(),
        crs=GEOGRAPHIC_CRS,
    )


def streams(*rows: tuple) -> pd.DataFrame:
    """rows: (id, enterprise, ewc_code, tonnes, fate[, operation[, destination]])."""
    return pd.DataFrame(
        {
            "stream_id": [r[0] for r in rows],
            "enterprise_id": [r[1] for r in rows],
            "ewc_code": [r[2] for r in rows],
            "description": [f"waste {r[0]}" for r in rows],
            "quantity_t": [float(r[3]) for r in rows],
            "hazardous": pd.Series([r[2].endswith("*") for r in rows], dtype="boolean"),
            "fate": [r[4] for r in rows],
            "operation": [r[5] if len(r) > 5 else None for r in rows],
            "destination_facility_id": [r[6] if len(r) > 6 else None for r in rows],
            "data_quality": "measured",
        }
    )


def pairs(matching: circular.Matching) -> dict[str, str]:
    return dict(zip(matching.matches["stream_id"], matching.matches["receiver_id"], strict=True))


def reasons(matching: circular.Matching) -> dict[str, tuple[str, str]]:
    u = matching.unmatched
    return {s: (r, d) for s, r, d in zip(u["stream_id"], u["reason"], u["detail"], strict=True)}


PLASTICS = {"accepts": ["15 01"], "ops": ["R3"]}


# --------------------------------------------------------------------------------------------
# Which streams, which rules
# --------------------------------------------------------------------------------------------


def test_only_streams_not_recovered_are_candidates() -> None:
    frame = streams(
        ("a", "E", "15 01 02", 1, "landfilled", "D5"),
        ("b", "E", "15 01 02", 1, "kept_on_site"),
        ("c", "E", "15 01 02", 1, "unknown"),
        ("d", "E", "15 01 02", 1, None),
        ("e", "E", "15 01 02", 1, "sold_or_transferred", "R3"),
        ("f", "E", "15 01 02", 1, "used_as_raw_material"),
        ("g", "E", "15 01 02", 1, "exported"),
        ("h", "E", "15 01 02", 1, "incinerated", "D10"),
        ("i", "E", "15 01 02", 1, "landfilled", "R3"),  # a final recovery operation: recovered
        ("j", "E", "15 01 02", 1, "kept_on_site", "R13"),  # storage before recovery: not yet
    )
    got = circular.is_not_recovered(frame)
    assert list(frame["stream_id"][got]) == ["a", "b", "c", "d", "j"]


def test_a_stream_no_rule_covers_is_listed_with_the_reason(rules: pd.DataFrame) -> None:
    m = circular.match_streams(
        streams(("s1", "E1", "16 01 03", 10, "landfilled")),
        enterprises(("E1", (0, 0), "25.11")),
        facilities({"id": "F1", "at": (1, 0), "accepts": ["16"], "ops": ["R3"]}),
        rules,
    )
    assert m.matches.empty
    assert reasons(m) == {"s1": ("no_rule", "no rule covers EWC 16 01 03.")}
    assert m.unmatched.loc[0, "reason_label"] == "no rule covers this waste"


def test_rule_prefixes_chapter_subchapter_and_code(rules: pd.DataFrame) -> None:
    # T6 names the sub-chapter 02 03: 02 03 04 follows it, 02 02 03 does not.
    m = circular.match_streams(
        streams(
            ("veg", "E1", "02 03 04", 10, "landfilled"),
            ("meat", "E1", "02 02 03", 10, "landfilled"),
        ),
        enterprises(("E1", (0, 0), "10.39")),
        facilities({"id": "F1", "at": (1, 0), "accepts": ["02"], "ops": ["R3"]}),
        rules,
    )
    assert pairs(m) == {"veg": "F1"}
    assert reasons(m)["meat"][0] == "no_rule"


def test_a_facility_must_accept_the_code_and_carry_out_the_operation(
    rules: pd.DataFrame,
) -> None:
    m = circular.match_streams(
        streams(("s1", "E1", "15 01 02", 10, "landfilled")),
        enterprises(("E1", (0, 0), "25.11")),
        facilities(
            {"id": "F-other-code", "at": (1, 0), "accepts": ["15 01 01"], "ops": ["R3"]},
            {"id": "F-other-op", "at": (1, 0), "accepts": ["15 01 02"], "ops": ["R13"]},
            {"id": "F-type", "at": (1, 0), "type": "treatment", **PLASTICS},
            {"id": "F-good", "at": (5, 0), **PLASTICS},
        ),
        rules,
    )
    assert pairs(m) == {"s1": "F-good"}
    assert list(m.candidates["receiver_id"]) == ["F-good"]


def test_no_receiver_of_the_kind_the_rules_name(rules: pd.DataFrame) -> None:
    m = circular.match_streams(
        streams(("s1", "E1", "02 03 04", 10, "landfilled")),
        enterprises(("E1", (0, 0), "10.39")),
        facilities({"id": "F1", "at": (1, 0), **PLASTICS}),
        rules,
    )
    assert reasons(m) == {
        "s1": (
            "no_receiver",
            "rule T6 covers it, but no facility or enterprise in the study qualifies "
            "(type or sector, accepted codes, operation).",
        )
    }


# --------------------------------------------------------------------------------------------
# Distance
# --------------------------------------------------------------------------------------------


def distance_world(rules: pd.DataFrame, settings: circular.MatchSettings | None = None):
    return circular.match_streams(
        streams(
            ("near", "E1", "15 01 02", 100, "landfilled", "D5"),
            ("far", "E2", "15 01 02", 100, "landfilled", "D5"),
        ),
        enterprises(("E1", (0, 0), "25.11"), ("E2", (100, 0), "25.11")),
        facilities(
            {"id": "F1", "at": (30, 0), "capacity": 10_000.0, **PLASTICS},
            {"id": "F2", "at": (0, 40), "capacity": 10_000.0, **PLASTICS},
        ),
        rules,
        settings,
    )


def test_distance_limit_is_road_factor_times_straight_line(rules: pd.DataFrame) -> None:
    # near: F1 30 km straight = 39 km by road (in); F2 40 km = 52 km (out of 50).
    # far: F1 70 km = 91 km; F2 sqrt(100^2 + 40^2) = 107.7 km = 140.0 km: none in range.
    m = distance_world(rules)
    assert pairs(m) == {"near": "F1"}
    row = m.matches.iloc[0]
    assert row["straight_km"] == pytest.approx(30.0, abs=1e-6)
    assert row["road_km"] == pytest.approx(39.0, abs=1e-6)
    assert row["tonne_km"] == pytest.approx(3900.0, abs=1e-4)
    assert row["co2_t"] == pytest.approx(3900.0 * 0.124 / 1000.0, abs=1e-9)
    assert row["score"] == pytest.approx(100.0 * (1.0 - 39.0 / 100.0), abs=1e-6)
    assert row["capacity_left_t"] == pytest.approx(9900.0)
    assert row["why"] == (
        "Rule T1 (Plastic packaging to recyclers, R3); F1 (recycler) accepts 15 01 02 and "
        "carries out R3; 39.0 km by road (30.0 km straight x 1.3); 9,900 t/yr of its 10,000 "
        "t/yr capacity left after this stream; 0 other candidates."
    )
    assert reasons(m) == {
        "far": ("none_in_range", "the nearest receiver, F1, is 91.0 km by road (limit 50 km).")
    }


def test_distance_limit_and_road_factor_are_settings(rules: pd.DataFrame) -> None:
    tight = distance_world(rules, circular.MatchSettings(max_distance_km=38.0))
    assert pairs(tight) == {}
    assert reasons(tight)["near"][1] == (
        "the nearest receiver, F1, is 39.0 km by road (limit 38 km)."
    )
    straight = distance_world(rules, circular.MatchSettings(road_factor=1.0))
    assert pairs(straight) == {"near": "F1"}  # F2 at 40 km is now in range too
    assert straight.matches.loc[0, "alternatives"] == 1
    assert sorted(straight.candidates["receiver_id"]) == ["F1", "F2"]


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match=r"road_factor = 0.9 must be at least 1"):
        circular.MatchSettings(road_factor=0.9)
    with pytest.raises(ValueError, match=r"max_distance_km = 0 must be more than 0 km"):
        circular.MatchSettings(max_distance_km=0)
    with pytest.raises(ValueError, match=r"other_recovery_weight = 1.5 must be between 0 and 1"):
        circular.MatchSettings(other_recovery_weight=1.5)
    with pytest.raises(ValueError, match=r"safer_treatment_weight = -0.1 must be between 0 and 1"):
        circular.MatchSettings(safer_treatment_weight=-0.1)


def test_a_stream_without_location_is_listed(rules: pd.DataFrame) -> None:
    m = circular.match_streams(
        streams(("s1", "E1", "15 01 02", 10, "landfilled")),
        enterprises(("E1", None, "25.11")),
        facilities({"id": "F1", "at": (1, 0), **PLASTICS}),
        rules,
    )
    assert reasons(m) == {"s1": ("no_location", "enterprise E1 has no coordinates.")}


# --------------------------------------------------------------------------------------------
# Capacity
# --------------------------------------------------------------------------------------------


def capacity_world(rules: pd.DataFrame) -> circular.Matching:
    # Streams served largest first, ties by id: A 600, B 500, C 400, D 400.
    # A: F1 (13 km road, score 600 x 0.87 = 522) before F2 (26 km) -> F1 has 400 left.
    # B: F1 has 400 < 500 -> F2 (500 fits exactly) -> F2 has 0 left.
    # C: F1 400 fits -> F1 has 0 left.  D: nothing left anywhere -> no capacity.
    return circular.match_streams(
        streams(
            ("D", "E1", "15 01 02", 400, "unknown", "D15"),
            ("C", "E1", "15 01 02", 400, None),
            ("B", "E1", "15 01 02", 500, "kept_on_site"),
            ("A", "E1", "15 01 02", 600, "landfilled", "D5"),
            ("R", "E1", "15 01 02", 1000, "sold_or_transferred", "R3"),
            ("Z", "E9", "16 01 03", 10, "landfilled", "D5"),
        ),
        enterprises(("E1", (0, 0), "25.11"), ("E9", (5, 5), "25.11", "Absheron-Khizi")),
        facilities(
            {"id": "F1", "at": (10, 0), "capacity": 1000.0, **PLASTICS},
            {"id": "F2", "at": (20, 0), "capacity": 500.0, **PLASTICS},
        ),
        rules,
    )


def test_capacity_is_shared_between_streams_and_never_counted_twice(
    rules: pd.DataFrame,
) -> None:
    m = capacity_world(rules)
    assert pairs(m) == {"A": "F1", "B": "F2", "C": "F1"}
    left = dict(zip(m.matches["stream_id"], m.matches["capacity_left_t"], strict=True))
    assert left == pytest.approx({"A": 400.0, "B": 0.0, "C": 0.0})
    assert reasons(m)["D"] == (
        "no_capacity",
        "2 receivers in range, none with 400 t/yr left when its turn came (most left: 0.00 t/yr).",
    )
    taken = m.matches.groupby("receiver_id")["quantity_t"].sum()
    assert taken.to_dict() == {"F1": 1000.0, "F2": 500.0}
    after = m.receivers.set_index("receiver_id")["capacity_left_after_t"]
    assert after["F1"] == pytest.approx(0.0) and after["F2"] == pytest.approx(0.0)


def test_matches_are_ranked_by_score(rules: pd.DataFrame) -> None:
    m = capacity_world(rules)
    # A 600 x (1 - 13/100) = 522; B 500 x (1 - 26/100) = 370; C 400 x 0.87 = 348.
    assert list(m.matches["stream_id"]) == ["A", "B", "C"]
    assert list(m.matches["rank"]) == [1, 2, 3]
    assert list(m.matches["score"]) == pytest.approx([522.0, 370.0, 348.0])


def test_capacity_left_deducts_what_the_inventory_already_sends(rules: pd.DataFrame) -> None:
    # F1 takes 1000 t/yr and already receives R (300 t, recovered): 700 left.
    # X (800) does not fit; Y (700) does, exactly.
    world = (
        streams(
            ("R", "E1", "15 01 02", 300, "sold_or_transferred", "R3", "F1"),
            ("X", "E1", "15 01 02", 800, "landfilled", "D5"),
            ("Y", "E1", "15 01 02", 700, "landfilled", "D5"),
        ),
        enterprises(("E1", (0, 0), "25.11")),
        facilities({"id": "F1", "at": (10, 0), "capacity": 1000.0, **PLASTICS}),
    )
    recv = circular.receivers(world[1], world[2], world[0]).set_index("receiver_id")
    assert recv.loc["F1", "existing_load_t"] == 300.0
    assert recv.loc["F1", "capacity_left_t"] == 700.0
    m = circular.match_streams(*world, rules)
    assert pairs(m) == {"Y": "F1"}
    assert reasons(m)["X"][0] == "no_capacity"


def test_capacity_not_reported_does_not_limit(rules: pd.DataFrame) -> None:
    m = circular.match_streams(
        streams(
            ("a", "E1", "15 01 02", 5000, "landfilled"),
            ("b", "E1", "15 01 02", 5000, "landfilled"),
        ),
        enterprises(("E1", (0, 0), "25.11")),
        facilities({"id": "F1", "at": (10, 0), **PLASTICS}),
        rules,
    )
    assert pairs(m) == {"a": "F1", "b": "F1"}
    assert m.matches["capacity_left_t"].isna().all()
    assert "capacity not reported (not limited)" in m.matches.loc[0, "why"]


# --------------------------------------------------------------------------------------------
# Hazardous waste
# --------------------------------------------------------------------------------------------


def test_hazardous_waste_only_to_permitted_receivers(rules: pd.DataFrame) -> None:
    # F-no is nearest but not permitted; the cement enterprise follows T4 (hazardous allowed)
    # but enterprises are never permitted: only F-yes, 20 km away, is a candidate.
    m = circular.match_streams(
        streams(("oil", "E1", "13 02 05*", 50, "kept_on_site")),
        enterprises(("E1", (0, 0), "45.20"), ("CEM", (2, 0), "23.51")),
        facilities(
            {"id": "F-no", "at": (5, 0), "accepts": ["13 02"], "ops": ["R9"]},
            {"id": "F-yes", "at": (20, 0), "accepts": ["13 02"], "ops": ["R9"], "hazardous": True},
        ),
        rules,
    )
    assert pairs(m) == {"oil": "F-yes"}
    assert list(m.candidates["receiver_id"]) == ["F-yes"]
    # Re-refining is recycling (weight 1) and a hazardous tonne counts as any other:
    # 50 t x 1 x (1 - 26 km / 100 km) = 37.
    assert m.matches.loc[0, "score"] == pytest.approx(37.0)
    assert m.matches.loc[0, "option_kind"] == "circular"


def test_hazardous_waste_with_no_permitted_receiver(rules: pd.DataFrame) -> None:
    m = circular.match_streams(
        streams(("oil", "E1", "13 02 05*", 50, "kept_on_site")),
        enterprises(("E1", (0, 0), "45.20")),
        facilities({"id": "F-no", "at": (5, 0), "accepts": ["13 02"], "ops": ["R9"]}),
        rules,
    )
    assert reasons(m) == {
        "oil": (
            "hazardous_not_permitted",
            "hazardous; receivers accept the waste but none is permitted to take hazardous waste.",
        )
    }


def test_hazardous_waste_under_a_rule_that_forbids_it(rules: pd.DataFrame) -> None:
    m = circular.match_streams(
        streams(("pack", "E1", "15 01 10*", 5, "landfilled")),
        enterprises(("E1", (0, 0), "20.15")),
        facilities(
            {
                "id": "INC",
                "at": (3, 0),
                "type": "incinerator",
                "accepts": ["15 01"],
                "ops": ["R1"],
                "hazardous": True,
            }
        ),
        rules,
    )
    assert reasons(m) == {
        "pack": (
            "hazardous_not_permitted",
            "hazardous, and rule T5 does not allow hazardous waste.",
        )
    }


def test_recycling_comes_before_energy_recovery(rules: pd.DataFrame) -> None:
    # The kiln (R1, 2 km) is nearer than the re-refiner (R9, 20 km): the hierarchy decides.
    m = circular.match_streams(
        streams(("oil", "E1", "13 02 05*", 50, "kept_on_site")),
        enterprises(("E1", (0, 0), "45.20")),
        facilities(
            {
                "id": "KILN",
                "at": (2, 0),
                "type": "secondary_user",
                "accepts": ["13 02"],
                "ops": ["R1"],
                "hazardous": True,
                "nace": "23.51",
            },
            {"id": "REF", "at": (20, 0), "accepts": ["13 02"], "ops": ["R9"], "hazardous": True},
        ),
        rules,
    )
    row = m.matches.iloc[0]
    assert (row["receiver_id"], row["rule_id"], row["operation"]) == ("REF", "T3", "R9")
    assert row["hierarchy_level"] == "recycling"
    assert row["alternatives"] == 1
    kiln = m.candidates.set_index("receiver_id").loc["KILN"]
    assert (kiln["rule_id"], kiln["hierarchy_level"]) == ("T4", "other_recovery")


# --------------------------------------------------------------------------------------------
# Never to itself
# --------------------------------------------------------------------------------------------


def test_no_stream_goes_back_to_its_own_enterprise(rules: pd.DataFrame) -> None:
    # STEEL's slag (2000 t) first: ROAD1 at 3 km. ROAD1's own slag cannot go to ROAD1: ROAD2.
    m = circular.match_streams(
        streams(
            ("own", "ROAD1", "10 02 01", 1000, "kept_on_site"),
            ("steel", "STEEL", "10 02 01", 2000, "landfilled"),
        ),
        enterprises(
            ("ROAD1", (0, 0), "42.11"), ("ROAD2", (10, 0), "42.11"), ("STEEL", (3, 0), "24.10")
        ),
        facilities(),
        rules,
    )
    assert pairs(m) == {"steel": "ROAD1", "own": "ROAD2"}
    assert m.matches.set_index("stream_id").loc["own", "road_km"] == pytest.approx(13.0)


def test_its_own_enterprise_only_is_no_receiver(rules: pd.DataFrame) -> None:
    m = circular.match_streams(
        streams(("own", "ROAD1", "10 02 01", 1000, "kept_on_site")),
        enterprises(("ROAD1", (0, 0), "42.11")),
        facilities(),
        rules,
    )
    assert reasons(m)["own"][0] == "no_receiver"


def test_an_enterprise_listed_as_a_facility_is_that_facility(rules: pd.DataFrame) -> None:
    # ROAD1 and the facility YARD are the same firm (50 m apart, NACE division 42): the slag of
    # STEEL goes to YARD, whose capacity counts, and ROAD1's own slag not to YARD.
    world = (
        streams(
            ("own", "ROAD1", "10 02 01", 1000, "kept_on_site"),
            ("steel", "STEEL", "10 02 01", 2000, "landfilled"),
        ),
        enterprises(
            ("ROAD1", (0, 0), "42.11"), ("ROAD2", (10, 0), "42.11"), ("STEEL", (3, 0), "24.10")
        ),
        facilities(
            {
                "id": "YARD",
                "at": (0.05, 0),
                "type": "secondary_user",
                "accepts": ["10 02 01"],
                "ops": ["R5"],
                "capacity": 5000.0,
                "nace": "42.11",
            }
        ),
    )
    recv = circular.receivers(world[1], world[2], world[0]).set_index("receiver_id")
    assert recv["twin_of"].dropna().to_dict() == {"ROAD1": "YARD"}
    m = circular.match_streams(*world, rules)
    assert pairs(m) == {"steel": "YARD", "own": "ROAD2"}
    assert m.matches.set_index("stream_id").loc["steel", "capacity_left_t"] == 3000.0


# --------------------------------------------------------------------------------------------
# Impact and tables
# --------------------------------------------------------------------------------------------


def test_impact_per_region(rules: pd.DataFrame) -> None:
    m = capacity_world(rules)
    got = circular.impact(m)
    assert list(got.index) == ["Absheron-Khizi", "Baku", "Total"]
    baku = got.loc["Baku"]
    # Matched: A 600 (landfilled, 13 km), B 500 (kept on site, 26 km), C 400 (no fate, 13 km).
    expected = {
        "streams": 5,
        "not_recovered": 4,
        "not_recovered_t": 1900.0,
        "matched": 3,
        "matched_t": 1500.0,
        "from_landfill_t": 600.0,
        "from_on_site_t": 500.0,
        "from_unknown_t": 400.0,
        "unmatched": 1,
        "tonne_km": 600 * 13.0 + 500 * 26.0 + 400 * 13.0,
        "co2_t": 26000.0 * 0.124 / 1000.0,
        # Before: R3 1000 t of 2000 t with an operation (A D5 600, D D15 400, R R3 1000).
        "recovery_rate_before_pct": 50.0,
        # After: A, B, C take R3: 2500 t recovered of 2900 t with an operation.
        "recovery_rate_after_pct": 100.0 * 2500.0 / 2900.0,
    }
    for key, value in expected.items():
        assert baku[key] == pytest.approx(value), key
    other = got.loc["Absheron-Khizi"]
    assert (other["streams"], other["matched"], other["not_recovered_t"]) == (1, 0, 10.0)
    assert other["recovery_rate_before_pct"] == 0.0
    assert got.loc["Total", "not_recovered_t"] == pytest.approx(1910.0)
    assert got.loc["Total", "recovery_rate_after_pct"] == pytest.approx(100.0 * 2500.0 / 2910.0)


def test_tables_by_receiver_rule_and_region(rules: pd.DataFrame) -> None:
    m = capacity_world(rules)
    recv = circular.by_receiver(m.matches)
    assert list(recv["receiver_id"]) == ["F1", "F2"]
    assert list(recv["streams"]) == [2, 1]
    assert list(recv["quantity_t"]) == [1000.0, 500.0]
    assert list(recv["tonne_km"]) == pytest.approx([600 * 13.0 + 400 * 13.0, 500 * 26.0])
    assert list(recv["capacity_left_t"]) == pytest.approx([0.0, 0.0])
    rule = circular.by_rule(m.matches, rules)
    assert rule[["rule_id", "streams", "quantity_t"]].values.tolist() == [["T1", 3, 1500.0]]
    assert rule.loc[0, "rationale"] == "Regranulated."
    gaps = circular.data_gaps(m).set_index("gap")
    assert gaps.loc["Present fate unknown or not reported", "streams"] == 1  # C
    assert gaps.loc["No rule for the waste", "quantity_t"] == 10.0  # Z
    region = m.in_region("Absheron-Khizi")
    assert region.matches.empty and list(region.unmatched["stream_id"]) == ["Z"]
    table = circular.reasons_table(m.unmatched)
    assert table[["reason", "streams"]].values.tolist() == [["no_rule", 1], ["no_capacity", 1]]


# --------------------------------------------------------------------------------------------
# Rules files
# --------------------------------------------------------------------------------------------


def test_the_shipped_rules_are_valid() -> None:
    report = circular.check_rules()
    assert report.issues == []
    rules = circular.load_rules()
    assert len(rules) == 137
    assert rules["rule_id"].is_unique
    assert set(rules["operation"]) <= {f"R{i}" for i in range(1, 12)}
    assert rules["rationale"].str.len().min() > 10
    assert rules["source"].notna().all()
    assert rules["facility_type"].notna().sum() + rules["nace_code"].notna().sum() >= len(rules)
    # The exchanges the brief names are there; steel slag goes to aggregates, never to cement.
    slag = rules[rules["ewc"].isin(["10 02 01", "10 02 02"])]
    receivers = slag[["ewc", "nace_code", "facility_type"]].fillna("-")
    assert sorted(map(tuple, receivers.to_numpy().tolist())) == [
        ("10 02 01", "-", "recycler"),
        ("10 02 01", "42", "-"),
        ("10 02 02", "-", "recycler"),
        ("10 02 02", "42", "-"),
    ]
    assert set(slag["operation"]) == {"R5"} and slag["source"].str.startswith("EN 13242").all()
    oil = rules[(rules["ewc"] == "13 02") & (rules["facility_type"] == "recycler")]
    assert list(oil["operation"]) == ["R9"] and bool(oil["hazardous_allowed"].iloc[0])


BAD_RULES = """\
rule_id,ewc,facility_type,nace_code,operation,hazardous_allowed,title,rationale,source
X1,10 02 01,,23.51,R5,no,ok,fine,src
X2,99 01,recycler,,R3,no,t,r,s
X3,15 01 02,landfill,,R3,no,t,r,s
X4,15 01 02,recycler,,D5,no,t,r,s
X5,15 01 02,,,R3,no,t,r,s
X6,15 01 02,recyclr,,R3,no,t,r,s
X7,15 01 02,recycler,,R3,maybe,t,r,s
X8,10 02 01,,23.51,R5,no,dup,fine,src
X9,15 01 02,recycler,DG 24.1,R3,no,t,r,s
X1,15 01 03,recycler,,R13,no,t,,s
"""


def test_a_bad_rules_file_gives_exact_errors(tmp_path: Path) -> None:
    path = tmp_path / "my_rules.csv"
    path.write_text(BAD_RULES, encoding="utf-8")
    issues = circular.check_rules(path).issues
    assert {i.file for i in issues} == {str(path)}
    assert {i.sheet for i in issues} == {None}
    got = [(i.row, i.column, i.rule, i.value) for i in issues]
    assert got == [
        (3, "ewc", "ewc-chapter", "99 01"),
        (4, "facility_type", "rule-receiver", "landfill"),
        (5, "operation", "rule-operation", "D5"),
        (6, "facility_type", "rule-receiver", None),
        (7, "facility_type", "choice", "recyclr"),
        (8, "hazardous_allowed", "type", "maybe"),
        (9, "ewc", "rule-duplicate", "10 02 01"),
        (10, "nace_code", "nace-rev2", "DG 24.1"),
        (11, "operation", "rule-operation", "R13"),
        (11, "rationale", "value-missing", ""),
        (11, "rule_id", "duplicate-id", "X1"),
    ]
    messages = {(i.row, i.column): i.message for i in issues}
    assert messages[(9, "ewc")] == "the rule repeats the waste, receiver and operation of row 2."
    assert messages[(11, "rule_id")] == "the identifier 'X1' is used again (first on row 2)."
    assert messages[(6, "facility_type")] == (
        "the rule names no receiver: give a facility_type, a nace_code or both."
    )
    with pytest.raises(StudyDataError) as caught:
        circular.load_rules(path)
    text = str(caught.value)
    assert text.startswith(f"11 problems in the study data at {path}:")
    assert f"{path}, row 4, column facility_type: a landfill is a disposal site" in text


def test_rules_file_columns_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "rules.csv"
    path.write_text(
        "rule_id,ewc,facility_type,nace_code,hazardous_allowed,title,rationale,comment\n"
        "X1,15 01 02,recycler,,no,t,r,note\n",
        encoding="utf-8",
    )
    got = [(i.row, i.column, i.rule) for i in circular.check_rules(path).issues]
    assert got == [(1, "comment", "column-unknown"), (1, "operation", "column-missing")]


def test_a_missing_rules_file_is_reported(tmp_path: Path) -> None:
    issues = circular.check_rules(tmp_path / "nope.csv").issues
    assert [(i.rule, i.file) for i in issues] == [("file-missing", str(tmp_path / "nope.csv"))]


# --------------------------------------------------------------------------------------------
# The map layer
# --------------------------------------------------------------------------------------------


def test_options_layer_is_escaped_and_before_the_layer_control(tmp_path: Path) -> None:
    from conftest import GOOD, write_tables

    from iwm_study import maps
    from iwm_study.data import load_study

    study = load_study(write_tables(tmp_path / "data", GOOD))
    evil = "<script>alert(1)</script> `${document.cookie}` \\"
    matches = pd.DataFrame(
        {
            "rank": [1],
            "stream_id": ["S3"],
            "ewc_code": ["10 03 08*"],
            "quantity_t": [300.0],
            "enterprise_name": [evil],
            "receiver_name": ["Receiver & Co"],
            "receiver_id": ["F1"],
            "operation": ["R4"],
            "road_km": [12.0],
            "rule_id": ["T1"],
            "hierarchy_level": ["recycling"],
            "source_lon": [46.36],
            "source_lat": [40.68],
            "receiver_lon": [49.62],
            "receiver_lat": [40.60],
        }
    )
    waste_map = maps.interactive_map(study, None, synthetic=True, title="test")
    page = circular.add_options_layer(waste_map, matches).to_html()
    assert "<script>alert(" not in page and "${document" not in page
    # The tooltip text as the browser's script reads it: HTML-escaped, so the tooltip, which
    # Leaflet writes as HTML, shows it as text.
    tips = [json.loads(t) for t in re.findall(r'"tip": ("(?:[^"\\]|\\.)*")', page)]
    assert tips == [
        "#1 S3 (10 03 08*, 300 t/yr): &lt;script&gt;alert(1)&lt;/script&gt; "
        "&#96;&#36;{document.cookie}&#96; &#92; to Receiver &amp; Co (F1), R4, 12.0 km by "
        "road, rule T1"
    ]
    assert '"Circular options (t/yr)" : geo_json_' in page
    # The layer's script (with its data) comes before the layer control that names it.
    assert page.index("[[46.36, 40.68], [49.62, 40.6]]") < page.index("L.control.layers")
    # A region with no match still gets its (empty) layer, and no error (Karabakh in the demo).
    empty = circular.add_options_layer(
        maps.interactive_map(study, None, synthetic=True, title="t"), matches.head(0)
    )
    assert '"Circular options (t/yr)" : geo_json_' in empty.to_html()
    assert page == waste_map.to_html()  # rendering twice gives the same bytes


def test_key_figures_and_impact_table(rules: pd.DataFrame) -> None:
    got = circular.impact(capacity_world(rules))
    figures = {f.key: f.payload() for f in circular.key_figures(got, "Baku")}
    assert figures["circular_matched_t"]["value"] == 1500.0
    assert figures["circular_matched_t"]["note"] == "3 of 4 streams"
    assert figures["circular_transport_co2_t"]["note"] == "26,000 tonne-km by road"
    assert figures["circular_recovery_rate_before_pct"]["value"] == 50.0
    national = {f.key: f.value for f in circular.key_figures(got, None)}
    assert national["circular_not_recovered_t"] == 1910.0
    table = circular.impact_table(got, "Baku")
    assert list(table.columns) == ["Baku", "Total"]
    assert table.loc["from on-site storage (t/yr)", "Baku"] == 500.0
    assert list(circular.impact_table(got, None).columns) == ["Total"]


def test_summary_text_escapes_the_survey(rules: pd.DataFrame) -> None:
    ent = enterprises(("E1", (0, 0), "25.11"))
    ent["name"] = ["Bakı <b>Metal</b> & Co"]
    m = circular.match_streams(
        streams(("s1", "E1", "15 01 02", 100, "landfilled", "D5")),
        ent,
        facilities({"id": "F1", "at": (30, 0), "capacity": 10_000.0, **PLASTICS}),
        rules,
    )
    assert circular.summary_markdown(m) == (
        "1. **Bakı &lt;b&gt;Metal&lt;/b&gt; &amp; Co** produces 100 t/yr of waste s1 "
        "(EWC 15 01 02), which is landfilled. **Facility F1** (recycler, Baku) could take it "
        "39.0 km away by road through R3: plastic packaging to recyclers (rule T1)."
    )
    html = report.table(m.matches[["enterprise_name", "quantity_t"]]).to_html()
    assert "&lt;b&gt;Metal&lt;/b&gt; &amp; Co" in html and "<b>Metal" not in html


LAYER_COLUMNS = [
    "rank",
    "stream_id",
    "ewc_code",
    "quantity_t",
    "enterprise_name",
    "receiver_name",
    "receiver_id",
    "operation",
    "road_km",
    "rule_id",
    "hierarchy_level",
    "source_lon",
    "source_lat",
    "receiver_lon",
    "receiver_lat",
]


def test_options_layer_goes_on_the_map_through_its_public_hook(tmp_path: Path, monkeypatch) -> None:
    import folium
    from conftest import GOOD, write_tables

    from iwm_study import maps
    from iwm_study.data import load_study

    study = load_study(write_tables(tmp_path / "data", GOOD))
    calls = []
    add_layer = maps.WasteMap.add_layer

    def spy(self, layer, name):
        calls.append(name)
        return add_layer(self, layer, name)

    monkeypatch.setattr(maps.WasteMap, "add_layer", spy)
    waste_map = maps.interactive_map(study, None, synthetic=True, title="t")
    circular.add_options_layer(waste_map, pd.DataFrame(columns=LAYER_COLUMNS))
    assert calls == ["Circular options (t/yr)"]
    # A layer added after it is listed after it.
    waste_map.add_layer(folium.FeatureGroup(), "Planned depots")
    page = waste_map.to_html()
    control = page[page.index("overlays :") : page.index("L.control.layers(")]
    assert control.index('"Circular options (t/yr)"') < control.index('"Planned depots"')


# --------------------------------------------------------------------------------------------
# The package offers what the single module circular.py did
# --------------------------------------------------------------------------------------------

#: circular.py's __all__ before it became a package (with the rules reader of
#: iwm_study.data.rules it offered too), and every public name it defined.
SINGLE_MODULE_ALL = [
    "HIERARCHY_ORDER",
    "IMPACT_LABELS",
    "MATCH_COLUMNS",
    "NOT_RECOVERED_FATES",
    "REASONS",
    "RULES_FILE",
    "RULES_TABLE",
    "TOP_COLUMNS",
    "TWIN_DISTANCE_M",
    "UNMATCHED_COLUMNS",
    "UNMATCHED_SHOWN",
    "MatchSettings",
    "Matching",
    "add_options_layer",
    "by_receiver",
    "by_rule",
    "check_rules",
    "data_gaps",
    "impact",
    "impact_table",
    "is_not_recovered",
    "key_figures",
    "load_rules",
    "match_streams",
    "match_study",
    "reasons_table",
    "receivers",
    "recovery_rate_pct",
    "shipped_rules_path",
    "summary_markdown",
]
SINGLE_MODULE_PUBLIC = {*SINGLE_MODULE_ALL, "LINE_COLOURS"}
#: Names the package added since: the kinds of option and what each option is worth (issue 14).
VALUATION_PUBLIC = {
    "FACTOR_HEADERS",
    "OPTION_KINDS",
    "OPTION_KIND_LABELS",
    "PART_HEADERS",
    "REGION_VALUE_HEADERS",
    "VALUE_COLUMNS",
    "VALUE_HEADERS",
    "Valuation",
    "check_factors",
    "factors_table",
    "load_factors",
    "load_material_classes",
    "options_value_table",
    "range_text",
    "value_by_region_table",
    "value_key_figures",
    "value_markdown",
    "value_matches",
    "value_matching",
    "value_parts_table",
}


def test_the_package_offers_the_names_the_single_module_did() -> None:
    import inspect

    from iwm_study.data import factors as factors_module
    from iwm_study.data import rules as rules_module

    offered = {
        n
        for n in dir(circular)
        if not n.startswith("_") and not inspect.ismodule(getattr(circular, n))
    }
    assert offered == SINGLE_MODULE_PUBLIC | VALUATION_PUBLIC
    assert set(circular.__all__) == set(SINGLE_MODULE_ALL) | VALUATION_PUBLIC
    assert circular.load_rules is rules_module.load_rules
    assert circular.check_rules is rules_module.check_rules
    assert circular.load_factors is factors_module.load_factors
    # "receivers" is the function, not a module of the package
    assert callable(circular.receivers) and not inspect.ismodule(circular.receivers)
    assert {n for n in dir(circular) if inspect.ismodule(getattr(circular, n))} == {
        "explain",
        "layer",
        "matching",
        "receiving",
        "results",
        "valuation",
        "worth",
    }
