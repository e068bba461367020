"""Benchmark: multi-criteria scoring at the sizes the issue names, measured in one run.

- TOPSIS on 100,000 alternatives x 10 criteria (random, seeded)      target < 1 s on 2 cores
- sensitivity, 1,000 Dirichlet weight draws on the 14 economic regions
  of the demo study with the study's region_selection settings       target < 2 s

Each is timed as the best of several repeats (the machine is shared) and printed with its share
of the target and, for reference, the time of the same work with pymcdm (one call per weight
vector), when pymcdm is installed. No timing is asserted by the test suite.

Usage: python benchmarks/bench_scoring.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from iwm_study import scoring  # noqa: E402
from iwm_study.config import selection_settings  # noqa: E402
from iwm_study.data import load_study  # noqa: E402


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, numpy {np.__version__}, Python {sys.version.split()[0]}")

    rng = np.random.default_rng(2021)
    n, m = 100_000, 10
    x = rng.uniform(1.0, 1000.0, size=(n, m))
    w = rng.dirichlet(np.ones(m))
    directions = ["benefit"] * 7 + ["cost"] * 3
    t_topsis = best_of(args.repeat, lambda: scoring.topsis(x, w, directions, "vector"))
    print(f"TOPSIS {n:,} x {m}: {t_topsis:.3f} s ({t_topsis / 1.0:.1%} of the 1 s target)", end="")
    try:
        from pymcdm import normalizations
        from pymcdm.methods import TOPSIS

        types = np.array([1] * 7 + [-1] * 3)
        body = TOPSIS(normalizations.vector_normalization)
        t_ref = best_of(args.repeat, lambda: body(x, w, types))
        print(f"; pymcdm {t_ref:.3f} s, ratio {t_ref / t_topsis:.1f}x")
    except ImportError:
        print()

    study = load_study(ROOT / "data" / "demo")
    defaults = yaml.safe_load((ROOT / "parameters" / "study.yaml").read_text(encoding="utf-8"))[
        "defaults"
    ]
    settings = selection_settings("region_selection", defaults["region_selection"])
    values = scoring.region_criteria(study, recycling_distance_km=settings.recycling_distance_km)
    complete, _ = scoring.complete_cases(values, settings.criterion_names)
    ranking = scoring.rank_alternatives(complete, settings)
    draws = settings.sensitivity.draws
    t_sens = best_of(args.repeat, lambda: scoring.sensitivity(ranking, top=settings.pilots))
    print(
        f"sensitivity, {draws:,} draws on {len(complete)} regions x {len(settings.criteria)} "
        f"criteria ({settings.method}): {t_sens:.4f} s ({t_sens / 2.0:.2%} of the 2 s target)",
        end="",
    )
    try:
        from pymcdm import normalizations
        from pymcdm.methods import TOPSIS

        body = TOPSIS(normalizations.vector_normalization)
        matrix = ranking.table[ranking.criteria].to_numpy(float)
        types = np.where(ranking.directions == "cost", -1, 1)
        weights = scoring.dirichlet_weights(
            ranking.weights.to_numpy(),
            draws,
            settings.sensitivity.concentration,
            settings.sensitivity.seed,
        )

        def loop() -> None:
            for row in weights:
                body.rank(body(matrix, row, types))

        t_loop = best_of(max(1, args.repeat // 2), loop)
        print(f"; a loop of {draws:,} pymcdm calls {t_loop:.3f} s, ratio {t_loop / t_sens:.0f}x")
    except ImportError:
        print()


if __name__ == "__main__":
    main()
