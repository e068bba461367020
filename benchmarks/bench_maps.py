"""Benchmark: the waste map for a national study of 50,000 enterprises, and the demo regions.

The 50,000 enterprises are a seeded resample (NumPy ``default_rng(2021)``) of the 600 demo
enterprises, each with a copy of its source's streams and its site moved by up to about 1 km;
the 42 demo facilities stay as they are. All in one invocation, the script prints:

- the time to build the interactive national map and render its HTML (target < 10 s), the size
  of the page and of the notebook output that carries it (an ``<iframe srcdoc>``);
- the time to draw the static national map;
- for each demo region, the same build time and sizes (the reviewer report adds about 0.5 MB of
  nbconvert styles and the static map to the map; target for the report: < 5 MB).

Usage: python benchmarks/bench_maps.py [--enterprises N] [--seed S]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 10.0
DEMO_REGIONS = ("Baku", "Absheron-Khizi", "Ganja-Dashkasan")


def resample(study, n: int, seed: int):
    """A study of ``n`` enterprises drawn with replacement from ``study``, streams copied."""
    import geopandas as gpd

    from iwm_study.data import Study, geography

    rng = np.random.default_rng(seed)
    source = study.enterprises.reset_index(drop=True)
    pick = rng.integers(0, len(source), n)
    ent = source.iloc[pick].reset_index(drop=True)
    ent["source_id"] = ent["enterprise_id"]
    ent["enterprise_id"] = [f"ENT-B{i:06d}" for i in range(1, n + 1)]
    ent["longitude"] = ent["longitude"] + rng.uniform(-0.01, 0.01, n)
    ent["latitude"] = ent["latitude"] + rng.uniform(-0.008, 0.008, n)
    ent = gpd.GeoDataFrame(
        ent.drop(columns="geometry"),
        geometry=gpd.points_from_xy(ent["longitude"], ent["latitude"]),
        crs=geography.GEOGRAPHIC_CRS,
    )
    streams = study.waste_streams.rename(columns={"enterprise_id": "source_id"})
    streams = ent[["enterprise_id", "source_id"]].merge(streams, on="source_id", how="inner")
    streams["stream_id"] = [f"WS-B{i:07d}" for i in range(1, len(streams) + 1)]
    streams = pd.DataFrame(streams.drop(columns="source_id"))
    return Study(ent.drop(columns="source_id"), streams, study.facilities, study.source)


def measure(study, region: str | None) -> dict[str, float]:
    from iwm_study import maps

    start = time.perf_counter()
    waste_map = maps.interactive_map(study, region)
    page = waste_map.to_html()
    build = time.perf_counter() - start
    frame = waste_map._repr_html_()
    return {
        "build_s": build,
        "page_mb": len(page.encode("utf-8")) / 1e6,
        "frame_mb": len(frame.encode("utf-8")) / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()

    from iwm_study import maps
    from iwm_study.data import load_study

    demo = load_study(ROOT / "data" / "demo")
    big = resample(demo, args.enterprises, args.seed)
    print(
        f"National map: {len(big.enterprises):,} enterprises, {len(big.waste_streams):,} streams, "
        f"{len(big.facilities)} facilities (seed {args.seed})"
    )
    maps.interactive_map(demo, "Baku").to_html()  # warm-up: imports, reference layers, caches
    national = measure(big, None)
    print(
        f"  interactive: build + render {national['build_s']:.2f} s "
        f"(target < {TARGET_S:.0f} s: {national['build_s'] / TARGET_S:.0%} of it); "
        f"page {national['page_mb']:.2f} MB, notebook output {national['frame_mb']:.2f} MB"
    )
    start = time.perf_counter()
    maps.static_map(big, None).savefig(Path("/dev/null"), format="png")
    print(f"  static: {time.perf_counter() - start:.2f} s")
    print("Demo regions (600 enterprises in all):")
    for region in DEMO_REGIONS:
        m = measure(demo, region)
        print(
            f"  {region:<16} build + render {m['build_s']:.2f} s; page {m['page_mb']:.2f} MB, "
            f"notebook output {m['frame_mb']:.2f} MB"
        )


if __name__ == "__main__":
    main()
