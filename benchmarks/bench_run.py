"""Benchmark: `iwm run` on the demo study against the loop a user would otherwise write.

The plain loop runs, per job and one after another, the papermill CLI and then the nbconvert CLI
twice (a report without code and one with code), which is what `iwm run` produces. Both run on
this machine in this one invocation, on fresh copies of the project, and the script prints the
wall times and their ratios (no absolute target: machines differ; the ratios are the targets):

- full run: plain loop / `iwm run`          target >= 4 on 2 cores
- nothing to do: `iwm run` again / full run  target <= 5 %

Usage: python benchmarks/bench_run.py [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def copy_project(dest: Path) -> Path:
    for name in ("parameters", "notebooks", "data"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def timed(cmd: list[str], cwd: Path) -> float:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    start = time.perf_counter()
    subprocess.run(
        cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    return time.perf_counter() - start


def plain_loop(project: Path) -> tuple[float, int]:
    """papermill CLI, then nbconvert CLI twice, per job, sequentially; the same jobs as iwm run."""
    sys.path.insert(0, str(ROOT))
    from iwm_study.config import load_project
    from iwm_study.runner.plan import build_plan

    plan = build_plan(load_project(project))
    start = time.perf_counter()
    for job in plan.jobs:
        out_dir = project / "plain" / job.scope
        out_dir.mkdir(parents=True, exist_ok=True)
        executed = out_dir / f"{job.notebook}.ipynb"
        params = out_dir / f"{job.notebook}.yaml"
        params.write_text(yaml.safe_dump(job.parameters), encoding="utf-8")
        timed(
            [
                str(BIN / "papermill"),
                str(job.source),
                str(executed),
                "-f",
                str(params),
                "--no-progress-bar",
            ],
            project,
        )
        timed(
            [
                str(BIN / "jupyter"),
                "nbconvert",
                "--to",
                "html",
                "--no-input",
                "--output",
                f"{job.notebook}",
                str(executed),
            ],
            project,
        )
        timed(
            [
                str(BIN / "jupyter"),
                "nbconvert",
                "--to",
                "html",
                "--output",
                f"{job.notebook}.code",
                str(executed),
            ],
            project,
        )
    return time.perf_counter() - start, len(plan.jobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(Path(tmp) / "study")
        iwm = [str(BIN / "iwm"), "run", "--project", str(project), "--jobs", str(args.jobs)]
        full = timed(iwm, project)
        noop = timed(iwm, project)
        plain, n_jobs = plain_loop(project)
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; demo study, {n_jobs} jobs, iwm run --jobs {args.jobs}"
    )
    print(f"iwm run (full)          {full:8.1f} s")
    print(f"iwm run (nothing to do) {noop:8.2f} s")
    print(f"plain papermill+nbconvert loop {plain:8.1f} s")
    print(f"ratio plain / iwm run:        {plain / full:6.2f}x  (target >= 4x on 2 cores)")
    print(f"ratio nothing-to-do / full:   {100 * noop / full:6.2f} %  (target <= 5 %)")


if __name__ == "__main__":
    main()
