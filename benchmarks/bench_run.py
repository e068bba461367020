"""Benchmark: `iwm run` against the loops a user would write and against the floor of the work.

Everything is measured in this one invocation, on this machine, each run on a fresh copy of the
project in a temporary folder (removed at the end), in this order, and printed as one table:

- `iwm run`, full, on the demo study (`parameters/`, `notebooks/`, `data/`: about 22 jobs),
  with PDF printing off (``IWM_BROWSER=/nonexistent``: the loops and the floor print none);
- `iwm run` again on the same copy (nothing to do);
- `iwm run --no-warm`, full: kernels started by jupyter_client, to show the gain of warm
  kernels (not run, and said so, when this `iwm run` has no ``--no-warm``: it is the plain way);
- `iwm run`, full, printing the PDFs with Chromium, shown as an extra line with its ratios;
- the floor (``benchmarks/floor.py``): a warm parent that has imported what the notebooks
  import forks one child per job, ``--jobs`` at a time; each executes its notebook in-process
  (no kernel, no papermill) and writes both reports and the Excel annex with the toolkit's own
  functions; its time runs from its first import to its last file, and its outputs are checked;
- the plain loop: per job, one after another, the papermill CLI then the nbconvert CLI twice
  (the report without code and the one with code);
- the parallel loop: the same chain per job, ``--jobs`` chains at a time (threads running the
  subprocesses);
- the national study (``studies/national``: 14 regions, about 88 jobs) with `iwm run` and with
  the floor.

Ratios of wall times, with their targets: plain loop / full run >= 8x; parallel loop / full run
>= 4x; full run / floor <= 1.5x; nothing to do / full run < 1 %; national full run / national
floor <= 1.5x; and, shown without a target, `--no-warm` / full run (the gain of warm kernels)
and plain loop / floor and parallel loop / floor (the best the first two ratios can be here).
Each ratio is also given for CPU time (user + system of the command and every process it waited
for, from ``getrusage``): on a machine others share, wall times stretch, CPU times much less;
each measurement shows the machine's mean load average while it ran.

Peak memory: a thread samples the process tree of each measured command (children recursive):
RSS every 0.1 s, and PSS and USS (psutil ``memory_full_info``, /proc/PID/smaps_rollup) every
0.5 s; maxima per kind of process: the command itself, pool workers, warm processes (named
``iwm-warm``), kernels (named ``iwm-kernel``, or ``ipykernel_launcher`` in the command line),
floor jobs (``iwm-floor-job``), others; and the largest sum of PSS over the tree (the memory the
run really takes: RSS counts in every forked process the pages it shares copy-on-write).

A job that fails (in `iwm run`, a loop or the floor) is printed as a warning after the table.

Usage: python benchmarks/bench_run.py [--jobs N] [--skip-loops] [--skip-national]
       (--jobs defaults to the number of cores; the skip flags make a quick run while developing)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FLOOR = Path(__file__).resolve().parent / "floor.py"
#: Makes `iwm run` find no browser, so that it prints no PDF.
NO_BROWSER = {"IWM_BROWSER": "/nonexistent"}
#: Sampling periods (s): RSS, and the slower PSS/USS.
RSS_PERIOD, PSS_EVERY = 0.1, 5
#: Kinds of process in a measured tree, in the order the memory table shows them.
KINDS = ("parent", "pool worker", "warm", "kernel", "floor job", "other")
MIB = 2**20


# --- copies of the studies ---------------------------------------------------------------


def copy_project(dest: Path) -> Path:
    """A fresh copy of the demo study (no outputs)."""
    for name in ("parameters", "notebooks", "data"):
        shutil.copytree(ROOT / name, dest / name)
    return dest


def copy_national(dest: Path) -> Path:
    """A fresh copy of studies/national at the same depth below a copy of the demo study's
    parameters and data, so that its relative ``extends:`` and data path still resolve (its
    notebooks are the toolkit's, as for any study without a notebooks folder)."""
    for name in ("parameters", "data"):
        shutil.copytree(ROOT / name, dest / name)
    study = dest / "studies" / "national"
    shutil.copytree(ROOT / "studies" / "national" / "parameters", study / "parameters")
    return study


def plan_jobs(project: Path) -> list[Any]:
    """The jobs `iwm run` plans for ``project``."""
    sys.path.insert(0, str(ROOT))
    from iwm_study.config import load_project
    from iwm_study.runner.plan import build_plan

    return build_plan(load_project(project)).jobs


# --- measuring a command: wall time and the memory of its process tree ---------------------


@dataclass
class Peak:
    """Largest memory seen (bytes) for one kind of process."""

    rss: int = 0
    pss: int = 0
    uss: int = 0
    count: int = 0  # processes of this kind seen in two samples or more


@dataclass
class Measured:
    """One measured command."""

    seconds: float
    code: int
    cpu: float = 0.0  # user + system seconds of the command and its waited-for descendants
    load: float = 0.0  # mean 1-minute load average of the machine while it ran
    peaks: dict[str, Peak] = field(default_factory=dict)
    tree_pss: int = 0  # largest sum of PSS over the tree at one sample
    stdout: str = ""
    log: Path | None = None


def kind_of(proc: Any, root_pid: int) -> str | None:
    """What a process of the measured tree is (one of ``KINDS``); None for a fork that has
    not yet taken its own name (a copy of its parent for a few milliseconds: not counted)."""
    if proc.pid == root_pid:
        return "parent"
    name = proc.name()
    parent = proc.parent()
    if parent is not None and parent.name() == name and parent.cmdline() == proc.cmdline():
        return None
    if name == "iwm-warm":
        return "warm"
    if name == "iwm-kernel":
        return "kernel"
    if name == "iwm-floor-job":
        return "floor job"
    cmdline = " ".join(proc.cmdline())
    if "ipykernel_launcher" in cmdline:
        return "kernel"
    if "multiprocessing" in cmdline and "spawn_main" in cmdline:
        return "pool worker"
    return "other"


class TreeSampler:
    """Samples the memory of a process and its descendants, and the machine's load average,
    in a thread until stopped."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peaks: dict[str, Peak] = {}
        self.tree_pss = 0
        self.loads: list[float] = []
        self._samples: dict[tuple[int, str], int] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    @property
    def load(self) -> float:
        """The mean of the load averages sampled."""
        return sum(self.loads) / len(self.loads) if self.loads else os.getloadavg()[0]

    def _run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        tick = 0
        while not self._done.is_set():
            full = tick % PSS_EVERY == 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                procs = []
            total_pss = 0
            for proc in procs:
                try:
                    kind = kind_of(proc, self.pid)
                    if kind is None:
                        continue
                    peak = self.peaks.setdefault(kind, Peak())
                    key = (proc.pid, kind)
                    self._samples[key] = self._samples.get(key, 0) + 1
                    if self._samples[key] == 2:  # counted once seen twice (not a passing fork)
                        peak.count += 1
                    if full:
                        info = proc.memory_full_info()
                        peak.pss, peak.uss = max(peak.pss, info.pss), max(peak.uss, info.uss)
                        total_pss += info.pss
                    else:
                        info = proc.memory_info()
                    peak.rss = max(peak.rss, info.rss)
                except psutil.Error:
                    continue
            self.tree_pss = max(self.tree_pss, total_pss)
            self.loads.append(os.getloadavg()[0])
            tick += 1
            self._done.wait(RSS_PERIOD)


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This environment's bin folder first on PATH (papermill starts 'python3' by name)."""
    path = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    return {**os.environ, "PATH": path, **(extra or {})}


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's waited-for descendants so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(
    cmd: list[str],
    cwd: Path,
    log: Path,
    env: dict[str, str] | None = None,
    capture: bool = False,
) -> Measured:
    """Run ``cmd``; its wall time, CPU time, exit code and the peak memory of its tree
    (stderr into ``log``; stdout kept when ``capture``)."""
    with open(log, "wb") as err:
        cpu = _children_cpu()
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
            stderr=err,
            env=_env(env),
        )
        sampler = TreeSampler(proc.pid)
        sampler.start()
        out, _ = proc.communicate()
        seconds = time.perf_counter() - start
        sampler.stop()
    text = out.decode("utf-8", "replace") if out else ""
    return Measured(
        seconds,
        proc.returncode,
        _children_cpu() - cpu,
        sampler.load,
        sampler.peaks,
        sampler.tree_pss,
        text,
        log,
    )


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time and exit code of ``cmd``, its output discarded."""
    start = time.perf_counter()
    done = subprocess.run(
        cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(env)
    )
    return time.perf_counter() - start, done.returncode


# --- the runs ------------------------------------------------------------------------------


def supports_no_warm() -> bool:
    """Whether this `iwm run` has the ``--no-warm`` flag (warm kernels are being built)."""
    done = subprocess.run(
        [str(BIN / "iwm"), "run", "--help"], capture_output=True, text=True, env=_env()
    )
    return "--no-warm" in done.stdout


def iwm_run(
    project: Path, jobs: int, log: Path, *, pdfs: bool = False, flags: tuple[str, ...] = ()
) -> Measured:
    """`iwm run` on ``project``, PDFs printed only when ``pdfs``."""
    cmd = [str(BIN / "iwm"), "run", "--project", str(project), "--jobs", str(jobs), *flags]
    return measured(cmd, project, log, env=None if pdfs else NO_BROWSER)


def run_floor(project: Path, out: Path, jobs: int, log: Path) -> tuple[Measured, dict[str, Any]]:
    """The floor on ``project`` in a fresh interpreter (its imports are part of its time);
    the measurement and the floor's own summary (time from its first import to its last
    file; problems found in its outputs)."""
    cmd = [sys.executable, str(FLOOR), str(project), str(out), "--jobs", str(jobs)]
    result = measured(cmd, project, log, capture=True)
    if result.code != 0 or not result.stdout.strip():
        raise SystemExit(f"the floor exited {result.code}; its log:\n{_tail(log)}")
    return result, json.loads(result.stdout.strip().splitlines()[-1])


def job_chain(job: Any, project: Path) -> list[list[str]]:
    """The commands a user would run for one job: papermill, then nbconvert twice."""
    out_dir = project / "plain" / job.scope
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / f"{job.notebook}.ipynb"
    params = out_dir / f"{job.notebook}.yaml"
    params.write_text(yaml.safe_dump(job.parameters), encoding="utf-8")
    papermill = [str(BIN / "papermill"), str(job.source), str(executed)]
    nbconvert = [str(BIN / "jupyter"), "nbconvert", "--to", "html"]
    return [
        [*papermill, "-f", str(params), "--no-progress-bar"],
        [*nbconvert, "--no-input", "--output", job.notebook, str(executed)],
        [*nbconvert, "--output", f"{job.notebook}.code", str(executed)],
    ]


def run_chain(commands: list[list[str]], cwd: Path) -> int:
    """Run ``commands`` one after another; 1 if one failed (the rest are then not run)."""
    for cmd in commands:
        if timed(cmd, cwd)[1] != 0:
            return 1
    return 0


def loop(project: Path, workers: int) -> tuple[Measured, int]:
    """Every job's chain, ``workers`` chains at a time (1: the plain loop, in plan order);
    the measurement (no memory sampled) and the number of jobs that failed."""
    chains = [job_chain(job, project) for job in plan_jobs(project)]
    sampler = TreeSampler(os.getpid())  # for the load average
    sampler.start()
    cpu = _children_cpu()
    start = time.perf_counter()
    if workers == 1:
        failed = sum(run_chain(chain, project) for chain in chains)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            failed = sum(pool.map(lambda chain: run_chain(chain, project), chains))
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
    sampler.stop()
    return Measured(seconds, 0, cpu, sampler.load), failed


def warm_caches() -> None:
    """Read the libraries once (untimed) so that the first measured run does not pay for a
    cold disk cache; and compile the toolkit's bytecode, as any install has it: with
    PYTHONDONTWRITEBYTECODE set (as on some CI machines), an editable install would otherwise
    compile every module of the toolkit again in every process of every run."""
    import compileall

    import iwm_study

    compileall.compile_dir(Path(iwm_study.__file__).parent, quiet=1)
    modules = "geopandas, folium, plotly, nbconvert, papermill, matplotlib.pyplot, iwm_study.charts"
    subprocess.run([sys.executable, "-c", f"import {modules}"], check=True, env=_env())


def _tail(log: Path | None, lines: int = 15) -> str:
    if log is None or not log.exists():
        return ""
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def _failures(project: Path) -> list[str]:
    """Jobs the last `iwm run` on ``project`` recorded as failed."""
    manifest = project / "outputs" / "manifest.json"
    if not manifest.exists():
        return ["(no manifest)"]
    return json.loads(manifest.read_text(encoding="utf-8")).get("run", {}).get("failed", [])


def _executed(project: Path) -> list[str]:
    """Jobs the last `iwm run` on ``project`` executed (none: it had nothing to do)."""
    manifest = project / "outputs" / "manifest.json"
    if not manifest.exists():
        return []
    return json.loads(manifest.read_text(encoding="utf-8")).get("run", {}).get("executed", [])


# --- the table ----------------------------------------------------------------------------


@dataclass
class Row:
    """One measurement line of the table (``m`` None: not measured, ``note`` says why)."""

    label: str
    m: Measured | None
    jobs: int | None = None
    note: str = ""
    seconds: float | None = None  # when not the wall time of ``m`` (the floor's own time)

    @property
    def wall(self) -> float | None:
        return self.seconds if self.seconds is not None else (self.m and self.m.seconds)

    @property
    def cpu(self) -> float | None:
        return self.m.cpu if self.m else None

    def line(self) -> str:
        wall = "n/a" if self.wall is None else f"{self.wall:.2f}"
        cpu = "" if self.cpu is None else f"{self.cpu:.1f}"
        jobs = "" if self.jobs is None else str(self.jobs)
        load = f"{self.m.load:.1f}" if self.m else ""
        return f"  {self.label:<44} {wall:>9} {cpu:>9} {jobs:>5} {load:>5}  {self.note}"


def at_least(target: float) -> Callable[[float], bool]:
    return lambda value: value >= target


def at_most(target: float) -> Callable[[float], bool]:
    return lambda value: value <= target


def _div(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


@dataclass
class Ratio:
    """One ratio line: wall-time value, target, verdict, and the same ratio of CPU times."""

    label: str
    num: Row | None
    den: Row | None
    target: str
    check: Callable[[float], bool] | None
    percent: bool = False

    def line(self) -> str:
        value = _div(self.num and self.num.wall, self.den and self.den.wall)
        cpu = _div(self.num and self.num.cpu, self.den and self.den.cpu)
        if value is None:
            return f"  {self.label:<44} {'skipped':>9} {'':>9}  {self.target}"
        verdict = "" if self.check is None else ("PASS" if self.check(value) else "FAIL")
        return f"  {self.label:<44} {self._show(value):>9} {self._show(cpu):>9}  {self.target:<9} {verdict}"

    def _show(self, value: float | None) -> str:
        if value is None:
            return ""
        return f"{100 * value:.2f} %" if self.percent else f"{value:.2f}x"


def memory_lines(label: str, m: Measured) -> list[str]:
    """The memory table's lines for one measured run."""
    lines = []
    for kind in KINDS:
        peak = m.peaks.get(kind)
        if peak is None:
            continue
        lines.append(
            f"  {label:<28} {kind:<12} {peak.count:>4} {peak.rss / MIB:>7.0f} {peak.pss / MIB:>7.0f} {peak.uss / MIB:>7.0f}"
        )
        label = ""
    lines.append(f"  {'':<28} {'whole tree':<12} {'':>4} {'':>7} {m.tree_pss / MIB:>7.0f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="parallel jobs")
    parser.add_argument("--skip-loops", action="store_true", help="no plain or parallel loop")
    parser.add_argument("--skip-national", action="store_true", help="no national study")
    args = parser.parse_args()
    jobs = args.jobs
    warm = supports_no_warm()
    load_start = os.getloadavg()[0]
    warm_caches()
    rows: dict[str, Row] = {}
    memory: list[tuple[str, Measured]] = []
    warnings: list[str] = []

    def check(label: str, m: Measured, project: Path) -> None:
        failed = _failures(project)
        if m.code != 0 or failed:
            warnings.append(f"{label}: exit {m.code}, failed: {', '.join(failed)}\n{_tail(m.log)}")

    def floor_row(label: str, m: Measured, floor: dict[str, Any]) -> Row:
        note = f"imports {floor['warm_s']:.1f} s; process {m.seconds:.1f} s"
        if floor["problems"]:
            warnings.append(f"{label}: " + "; ".join(floor["problems"]))
            note = f"NOT VALID, {len(floor['problems'])} job(s) wrong (below); {note}"
        return Row(label, m, floor["jobs"], note, seconds=floor["seconds"])

    with tempfile.TemporaryDirectory(prefix="bench_run.") as tmp_name:
        tmp = Path(tmp_name)
        logs = tmp / "logs"
        logs.mkdir()
        demo = copy_project(tmp / "full")
        n_demo = len(plan_jobs(demo))

        def full_run(key: str, label: str, project: Path, n: int, **kwargs: Any) -> None:
            """A full `iwm run` of ``project``: measured, checked, put in the table under
            ``label`` and in the memory report under it less its "(no PDFs)"."""
            measured_run = iwm_run(project, jobs, logs / f"{key}.log", **kwargs)
            name = label.removesuffix(" (no PDFs)")
            check(name, measured_run, project)
            rows[key] = Row(label, measured_run, n)
            memory.append((name, measured_run))

        full_run("full", "iwm run, full (no PDFs)", demo, n_demo)
        noop = iwm_run(demo, jobs, logs / "noop.log")
        check("iwm run (nothing to do)", noop, demo)
        if _executed(demo):
            warnings.append(
                f"iwm run (nothing to do) ran {len(_executed(demo))} job(s): their cache keys"
                " changed (was the toolkit's source edited during the benchmark?)"
            )
        rows["noop"] = Row("iwm run again, nothing to do", noop, 0)

        if warm:
            project = copy_project(tmp / "cold")
            label = "iwm run --no-warm, full (no PDFs)"
            full_run("cold", label, project, n_demo, flags=("--no-warm",))
        else:
            note = "no --no-warm in this iwm: the full run is the plain way"
            rows["cold"] = Row("iwm run --no-warm, full (no PDFs)", None, None, note)

        project = copy_project(tmp / "pdf")
        printed = iwm_run(project, jobs, logs / "pdf.log", pdfs=True)
        check("iwm run with PDFs", printed, project)
        n_pdf = len(list((project / "outputs").glob("*/*.pdf")))
        rows["pdf"] = Row("iwm run, full with PDFs", printed, n_demo, f"{n_pdf} PDFs")

        project = copy_project(tmp / "floor")
        floor_m, floor = run_floor(project, tmp / "floor-out", jobs, logs / "floor.log")
        rows["floor"] = floor_row("floor (warm parent, fork, in-process)", floor_m, floor)
        memory.append(("floor", floor_m))

        if not args.skip_loops:
            plain, failed = loop(copy_project(tmp / "plain"), 1)
            rows["plain"] = Row("plain loop (papermill, nbconvert x2)", plain, n_demo)
            if failed:
                warnings.append(f"plain loop: {failed} job(s) failed")
            parallel, failed = loop(copy_project(tmp / "parallel"), jobs)
            rows["parallel"] = Row(f"parallel loop ({jobs} chains at a time)", parallel, n_demo)
            if failed:
                warnings.append(f"parallel loop: {failed} job(s) failed")

        if not args.skip_national:
            project = copy_national(tmp / "national")
            n_national = len(plan_jobs(project))
            full_run("national", "national: iwm run, full (no PDFs)", project, n_national)
            project = copy_national(tmp / "national-floor")
            out, log = tmp / "national-floor-out", logs / "national-floor.log"
            nat_floor_m, nat_floor = run_floor(project, out, jobs, log)
            rows["national floor"] = floor_row("national: floor", nat_floor_m, nat_floor)
            memory.append(("national: floor", nat_floor_m))
    load_end = os.getloadavg()[0]

    get = rows.get
    ratios = [
        Ratio("plain loop / iwm run full", get("plain"), get("full"), ">= 8x", at_least(8)),
        Ratio("parallel loop / iwm run full", get("parallel"), get("full"), ">= 4x", at_least(4)),
        Ratio("iwm run full / floor", get("full"), get("floor"), "<= 1.5x", at_most(1.5)),
        Ratio(
            "nothing to do / iwm run full",
            get("noop"),
            get("full"),
            "< 1 %",
            lambda v: v < 0.01,
            percent=True,
        ),
        Ratio(
            "national: iwm run full / floor",
            get("national"),
            get("national floor"),
            "<= 1.5x",
            at_most(1.5),
        ),
        Ratio("iwm run --no-warm / iwm run (warm gain)", get("cold"), get("full"), "shown", None),
        # The best the first two ratios can be: the loops against the least work there is.
        Ratio("ceiling: plain loop / floor", get("plain"), get("floor"), "shown", None),
        Ratio("ceiling: parallel loop / floor", get("parallel"), get("floor"), "shown", None),
    ]
    with_pdfs = [
        Ratio("plain loop / iwm run with PDFs", get("plain"), get("pdf"), ">= 8x", at_least(8)),
        Ratio(
            "parallel loop / iwm run with PDFs", get("parallel"), get("pdf"), ">= 4x", at_least(4)
        ),
        Ratio("iwm run with PDFs / floor", get("pdf"), get("floor"), "<= 1.5x", at_most(1.5)),
    ]

    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load average {load_start:.1f} at the start, "
        f"{load_end:.1f} at the end (above {os.cpu_count()}: other work shared the cores)"
    )
    print(
        f"demo study: {n_demo} jobs; --jobs {jobs}; warm kernels: "
        + ("yes (the cold run passes --no-warm)" if warm else "no (no --no-warm: iwm run is plain)")
    )
    print(
        "CPU s: user + system of the command and every process it waited for (less sensitive"
        " than wall time to other work on the machine); load: the machine's mean 1-minute load"
        " average during the measurement; the floor's wall time is its own, from its first"
        " import to its last file"
    )
    print(f"\n  {'measurement':<44} {'wall s':>9} {'CPU s':>9} {'jobs':>5} {'load':>5}  note")
    for row in rows.values():
        print(row.line())
    print(f"\n  {'ratio (targets on wall time)':<44} {'wall':>9} {'CPU':>9}  target    result")
    for ratio in ratios:
        print(ratio.line())
    print("  extra, the full run that also prints the PDFs:")
    for ratio in with_pdfs:
        print(ratio.line())
    print(
        "\n  peak memory, MiB: RSS every 0.1 s, PSS and USS every 0.5 s (RSS counts the pages a"
        " forked process shares\n  copy-on-write with its parent; PSS shares them out, so PSS"
        " adds up: 'whole tree' is the largest sum of PSS)"
    )
    print(f"  {'run':<28} {'process':<12} {'seen':>4} {'RSS':>7} {'PSS':>7} {'USS':>7}")
    for label, m in memory:
        for line in memory_lines(label, m):
            print(line)
    for warning in warnings:
        print(f"\nWARNING: {warning}")


if __name__ == "__main__":
    main()
