"""Benchmark: how a study's cost grows, and what the Dask executor costs over the process pool.

All in one invocation, on fresh copies of the demo project with generated region files:

- wall time for 1, 3 and 14 economic regions with the process pool (it should grow linearly
  with the number of jobs: the script prints seconds per job for each size);
- the national study (all 14 regions, every notebook) with the process pool and with a Dask
  LocalCluster of two worker processes: overhead of Dask over the pool (target < 15 %);
- peak memory (resident set) of the `iwm run` process and of the largest notebook kernel,
  sampled with psutil every 0.1 s.

Usage: python benchmarks/bench_scale.py [--jobs N] [--sizes 1 3 14]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def regions() -> list[str]:
    """The 14 economic regions, the three pilot regions first."""
    with open(ROOT / "iwm_study/data/reference/az_economic_regions.csv", encoding="utf-8") as fh:
        names = sorted({row["economic_region"] for row in csv.DictReader(fh)})
    first = ["Baku", "Absheron-Khizi", "Ganja-Dashkasan"]
    return first + [n for n in names if n not in first]


def make_project(dest: Path, n_regions: int) -> Path:
    """A copy of the demo project with region files for the first ``n_regions`` regions."""
    for name in ("parameters", "notebooks", "data"):
        shutil.copytree(ROOT / name, dest / name)
    region_dir = dest / "parameters" / "regions"
    shutil.rmtree(region_dir)
    region_dir.mkdir()
    for name in regions()[:n_regions]:
        slug = name.lower().replace(" ", "-")
        (region_dir / f"{slug}.yaml").write_text(f"economic_region: {name}\n", encoding="utf-8")
    return dest


def measured_run(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall time, and peak RSS (MiB) of the command's own process and of its largest kernel."""
    import psutil

    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    peak = {"runner": 0, "kernel": 0}
    done = threading.Event()

    def sample() -> None:
        try:
            parent = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not done.is_set():
            try:
                peak["runner"] = max(peak["runner"], parent.memory_info().rss)
                for child in parent.children(recursive=True):
                    try:
                        if "ipykernel_launcher" in " ".join(child.cmdline()):
                            peak["kernel"] = max(peak["kernel"], child.memory_info().rss)
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    done.set()
    sampler.join()
    if code not in (0,):
        raise SystemExit(f"{' '.join(cmd)} exited {code}")
    return time.perf_counter() - start, peak["runner"] / 2**20, peak["kernel"] / 2**20


def jobs_of(project: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from iwm_study.config import load_project
    from iwm_study.runner.plan import build_plan

    return len(build_plan(load_project(project)).jobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 3, 14])
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            project = make_project(Path(tmp) / f"pool{n}", n)
            wall, runner, kernel = measured_run(
                [str(BIN / "iwm"), "run", "--project", str(project), "--jobs", str(args.jobs)],
                project,
            )
            rows.append((n, jobs_of(project), wall, runner, kernel))
        national = make_project(Path(tmp) / "dask", max(args.sizes))
        dask_wall, dask_runner, dask_kernel = measured_run(
            [
                str(BIN / "iwm"),
                "run",
                "--project",
                str(national),
                "--jobs",
                str(args.jobs),
                "--executor",
                "dask",
            ],
            national,
        )
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; demo data; --jobs {args.jobs}"
    )
    print(
        f"{'regions':>7} {'jobs':>5} {'wall s':>8} {'s/job':>7} {'runner MiB':>11} {'kernel MiB':>11}"
    )
    for n, jobs, wall, runner, kernel in rows:
        print(f"{n:>7} {jobs:>5} {wall:8.1f} {wall / jobs:7.2f} {runner:11.0f} {kernel:11.0f}")
    per_job = [wall / jobs for _, jobs, wall, _, _ in rows]
    print(
        f"growth: s/job at the largest size / s/job at the smallest = {per_job[-1] / per_job[0]:.2f} (linear or better: <= 1)"
    )
    pool_wall = rows[-1][2]
    print(
        f"national study, process pool: {pool_wall:.1f} s; Dask LocalCluster (2 workers): {dask_wall:.1f} s"
    )
    print(
        f"Dask overhead over the pool: {100 * (dask_wall / pool_wall - 1):+.1f} % (target < 15 %)"
    )
    print(
        f"peak memory with Dask: client {dask_runner:.0f} MiB, largest kernel {dask_kernel:.0f} MiB"
    )


if __name__ == "__main__":
    main()
