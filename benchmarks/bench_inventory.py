"""Benchmark: aggregating an inventory of 1,000,000 waste streams (target: under 5 s in all).

The inventory is the demonstration study's streams resampled with a fixed seed to the size
asked for (stream ids renumbered; the 600 enterprises and 42 facilities unchanged). The script
times, in one run, every aggregation the waste-inventory notebook makes (all breakdowns, the
Pareto table, indicators, fates, hierarchy, consistency flags, data gaps, the flow table and
the mass balances), checks that each breakdown still sums to the grand total, and prints the
timings and their ratio to the 5-second target.

Usage: python benchmarks/bench_inventory.py [--streams N] [--seed S]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from iwm_study import flows
from iwm_study import inventory as inv
from iwm_study.data import load_study

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 5.0


def resample(streams: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """``n`` streams drawn with replacement from ``streams`` (seeded), ids renumbered; 1 % of
    them (seeded) get the fate 'landfilled', so that the fate/operation checks have work."""
    rng = np.random.default_rng(seed)
    big = streams.iloc[rng.integers(0, len(streams), n)].reset_index(drop=True)
    big["stream_id"] = pd.Series(np.arange(1, n + 1)).map("WS-{:07d}".format)
    big.loc[rng.random(n) < 0.01, "fate"] = "landfilled"
    big.index = pd.RangeIndex(2, n + 2, name="row")
    return big


def aggregate(
    streams: pd.DataFrame, enterprises: pd.DataFrame, facilities: pd.DataFrame
) -> dict[str, float]:
    """Run every aggregation once; return the seconds each took."""
    times: dict[str, float] = {}

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        out = fn()
        times[name] = time.perf_counter() - start
        return out

    s = streams
    total = timed("grand_total", lambda: inv.grand_total(s))
    for dim in inv.BREAKDOWNS:
        frame = timed(f"breakdown:{dim}", lambda dim=dim: inv.breakdown(s, dim, enterprises))
        assert abs(frame["waste_t"].sum() - total) <= 1e-6 * max(total, 1.0), dim
    timed("crosstab:ewc_chapter x hazardous", lambda: inv.crosstab(s, "ewc_chapter"))
    totals = timed("enterprise_totals", lambda: inv.enterprise_totals(s, enterprises))
    timed("pareto", lambda: inv.pareto(totals))
    timed("indicators", lambda: inv.indicators(s, enterprises))
    timed("fate_table", lambda: inv.fate_table(s))
    timed("hierarchy_table", lambda: inv.hierarchy_table(s))
    timed("fate_operation_conflicts", lambda: inv.fate_operation_conflicts(s))
    timed("data_gaps", lambda: inv.data_gaps(s, enterprises, facilities))
    timed("gap_records", lambda: inv.gap_records(s, enterprises, facilities))
    flow = timed("flow_table", lambda: flows.flow_table(s, enterprises, facilities))
    assert abs(flow["waste_t"].sum() - total) <= 1e-6 * max(total, 1.0)
    timed("mass_balance:enterprise", lambda: flows.mass_balance(s, enterprises))
    timed(
        "mass_balance:region",
        lambda: flows.mass_balance(s, enterprises, by="economic_region"),
    )
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()

    study = load_study(ROOT / "data" / "demo")
    big = resample(study.waste_streams, args.streams, args.seed)
    print(
        f"inventory: {len(big):,} streams (demo resampled, seed {args.seed}; "
        f"{len(inv.fate_operation_conflicts(big)):,} fate/operation conflicts), "
        f"{len(study.enterprises):,} enterprises, {len(study.facilities):,} facilities"
    )
    aggregate(study.waste_streams, study.enterprises, study.facilities)  # warm caches
    start = time.perf_counter()
    times = aggregate(big, study.enterprises, study.facilities)
    wall = time.perf_counter() - start
    width = max(len(k) for k in times)
    for name, seconds in sorted(times.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<{width}}  {seconds:7.3f} s")
    print(
        f"all aggregations: {wall:.2f} s for {len(big):,} streams "
        f"({wall / TARGET_S:.0%} of the {TARGET_S:g} s target; "
        f"{wall / len(big) * 1e6:.2f} us per stream)"
    )


if __name__ == "__main__":
    main()
