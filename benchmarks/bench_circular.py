"""Benchmark: matching 20,000 waste streams against 2,000 receivers (target: under 10 s).

A synthetic study built with a fixed seed: 1,000 enterprises (the sources of the streams, and
receivers by their NACE code), 1,000 facilities (recyclers, treatment plants, incinerators,
users of secondary materials, collectors, landfills) accepting codes the shipped rules name,
scattered over Azerbaijan's extent; 20,000 streams with EWC codes from the rules and a few no
rule covers, three in four of them not recovered. Prints the time of ``match_streams`` (best
of ``--repeat`` runs, after one warm-up on a small case so imports are not counted), the
number of candidate pairs and matches, and the reasons for the unmatched streams.

Usage: python benchmarks/bench_circular.py [--streams 20000] [--enterprises 1000]
       [--facilities 1000] [--seed 2021] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

import geopandas as gpd
import numpy as np
import pandas as pd

from iwm_study import circular
from iwm_study.data.geography import GEOGRAPHIC_CRS
from iwm_study.data.schema import FACILITY_TYPES

#: Azerbaijan's extent, roughly (degrees); two sites in three lie within about 40 km of one of
#: three industrial centres (Baku, Sumgayit, Ganja), the rest anywhere in the extent.
LON = (45.0, 50.4)
LAT = (38.5, 41.8)
CENTRES = ((49.87, 40.41), (49.67, 40.59), (46.36, 40.68))
SPREAD_DEG = 0.25
NACE = ("23.51", "23.61", "23.11", "24.10", "24.42", "24.51", "22.22", "17.12", "16.21", "10.91")
FATES = (
    "landfilled",
    "kept_on_site",
    "unknown",
    None,
    "sold_or_transferred",
    "used_as_raw_material",
)
FATE_P = (0.35, 0.25, 0.10, 0.05, 0.15, 0.10)


def _sites(rng: np.random.Generator, n: int) -> gpd.GeoSeries:
    lon, lat = rng.uniform(*LON, n), rng.uniform(*LAT, n)
    near = rng.random(n) < 2 / 3
    centre = rng.integers(0, len(CENTRES), n)
    cx = np.array([c[0] for c in CENTRES])[centre]
    cy = np.array([c[1] for c in CENTRES])[centre]
    lon = np.where(near, cx + rng.normal(0, SPREAD_DEG, n), lon)
    lat = np.where(near, cy + rng.normal(0, SPREAD_DEG * 0.75, n), lat)
    return gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=GEOGRAPHIC_CRS)


def _codes(rules: pd.DataFrame, rng: np.random.Generator, n: int) -> np.ndarray:
    """Six-digit codes under the rules' prefixes (plus some no rule covers), with the star of
    the hazardous entries the rules name."""
    pool = []
    for prefix in rules["ewc"]:
        if len(prefix) == 8:
            pool.append(prefix)
        elif len(prefix) == 5:
            pool += [f"{prefix} 01", f"{prefix} 02", f"{prefix} 99"]
        else:
            pool += [f"{prefix} 01 01", f"{prefix} 02 99"]
    hazardous = {"16 06 01", "20 01 33", "20 01 35", "12 01 07", "12 01 10", "05 01 03"}
    hazardous |= {"05 01 06", "01 05 05", "07 01 04", "07 04 04", "07 01 08", "07 02 08"}
    hazardous |= {"07 04 08", "08 01 11", "08 03 12", "15 01 10", "15 02 02", "11 01 05"}
    hazardous |= {"11 01 06"}
    pool = [*sorted(set(pool)), "06 05 03", "07 02 12", "19 08 14"]  # not covered by a rule
    drawn = rng.choice(np.array(pool, dtype=object), size=n)
    return np.array([c + "*" if c in hazardous else c for c in drawn], dtype=object)


def build(
    n_streams: int, n_enterprises: int, n_facilities: int, seed: int
) -> tuple[pd.DataFrame, gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    rules = circular.load_rules()
    ent_ids = [f"ENT-{i:05d}" for i in range(n_enterprises)]
    enterprises = gpd.GeoDataFrame(
        {
            "enterprise_id": ent_ids,
            "name": [f"Enterprise {i}" for i in range(n_enterprises)],
            "economic_region": rng.choice(
                ["Baku", "Absheron-Khizi", "Ganja-Dashkasan"], n_enterprises
            ),
            "nace_code": rng.choice(NACE, n_enterprises),
        },
        geometry=_sites(rng, n_enterprises),
    )
    prefixes = sorted(set(rules["ewc"]))
    accepted = [
        list(rng.choice(prefixes, size=int(rng.integers(5, 25)), replace=False))
        for _ in range(n_facilities)
    ]
    op_of = rules.groupby("ewc")["operation"].agg(lambda o: sorted(set(o)))
    operations = [sorted({op for p in acc for op in op_of[p]}) for acc in accepted]
    capacity = rng.choice([np.nan, 2_000.0, 10_000.0, 50_000.0, 200_000.0], n_facilities)
    facilities = gpd.GeoDataFrame(
        {
            "facility_id": [f"FAC-{i:05d}" for i in range(n_facilities)],
            "name": [f"Facility {i}" for i in range(n_facilities)],
            "facility_type": rng.choice(FACILITY_TYPES, n_facilities),
            "economic_region": "Baku",
            "accepted_ewc_list": accepted,
            "operations_list": operations,
            "capacity_t_yr": capacity,
            "hazardous_permitted": rng.random(n_facilities) < 0.3,
            "nace_code": rng.choice([*NACE, "38.32", "38.21"], n_facilities),
        },
        geometry=_sites(rng, n_facilities),
    )
    codes = _codes(rules, rng, n_streams)
    ops_before = np.where(rng.random(n_streams) < 0.5, "D5", None)
    streams = pd.DataFrame(
        {
            "stream_id": [f"WS-{i:06d}" for i in range(n_streams)],
            "enterprise_id": rng.choice(ent_ids, n_streams),
            "ewc_code": codes,
            "description": "synthetic stream",
            "quantity_t": np.round(rng.lognormal(4.0, 1.5, n_streams), 2),
            "hazardous": pd.Series([c.endswith("*") for c in codes], dtype="boolean"),
            "fate": rng.choice(np.array(FATES, dtype=object), n_streams, p=FATE_P),
            "operation": ops_before,
            "destination_facility_id": None,
        }
    )
    return streams, enterprises, facilities, rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=20_000)
    parser.add_argument("--enterprises", type=int, default=1_000)
    parser.add_argument("--facilities", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    small = build(500, 50, 50, args.seed)
    circular.match_streams(*small[:3], rules=small[3])  # warm-up: imports, caches

    streams, enterprises, facilities, rules = build(
        args.streams, args.enterprises, args.facilities, args.seed
    )
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = circular.match_streams(streams, enterprises, facilities, rules=rules)
        times.append(time.perf_counter() - start)
    best = min(times)
    n_receivers = len(enterprises) + len(facilities)
    open_streams = int(result.streams["candidate"].sum())
    print(
        f"{len(streams):,} streams ({open_streams:,} not recovered) x {n_receivers:,} receivers "
        f"({len(facilities):,} facilities, {len(enterprises):,} enterprises), seed {args.seed}"
    )
    print(
        f"candidate pairs within {result.settings.max_distance_km:g} km: {len(result.candidates):,}"
    )
    print(
        f"matched: {len(result.matches):,} streams, {result.matches['quantity_t'].sum():,.0f} t/yr"
    )
    print("unmatched by reason:")
    for reason, n in result.unmatched["reason"].value_counts().sort_index().items():
        print(f"  {reason}: {n:,}")
    print(
        "match_streams: best {:.2f} s of {} runs ({}); target 10 s -> {:.0%} of the target".format(
            best, len(times), ", ".join(f"{t:.2f}" for t in times), best / 10.0
        )
    )


if __name__ == "__main__":
    main()
