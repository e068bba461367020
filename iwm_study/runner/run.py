"""``iwm run``: validate, plan, execute in parallel, move complete results, write the index.

Order of work, each step a guard for the next:
1. parameters and data are checked before any kernel starts (exit 2, nothing written);
2. a lock on the project's outputs keeps two runs from interleaving;
3. jobs whose key matches the last good run and whose files exist are skipped;
4. the rest run in a process pool, each into a staging folder under ``outputs/.staging``;
5. a job's files are moved into ``outputs/<scope>/`` only when complete: a success replaces the
   report (and its Excel annex ``<notebook>.xlsx``), a failure is kept beside it as
   ``<notebook>.failed.*`` and never replaces a good one; a success's report is then printed
   to ``<notebook>.pdf`` by a headless browser (``runner.pdf``), the same way;
6. ``manifest.json``, ``figures.json`` and ``index.html`` are rewritten atomically.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ..config import Project
from ..data.snapshot import snapshot_folder
from ..exits import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_LOCKED,
    EXIT_OK,
    machine_fault,
)
from ..i18n import _, using
from ..report import ATTRIBUTIONS, SYNTHETIC_NOTE
from .annex import ANNEX_SUFFIX
from .assets import ensure_assets
from .executors import Workers
from .index import (
    FAILED_MARK,
    INDEX,
    MANIFEST,
    PARAMETERS_PAGE,
    dump_json,
    read_manifest,
    remove_stale_failures,
    write_atomic,
    write_index,
    write_parameter_page,
)
from .pdf import RunPrinting
from .plan import (
    OUTPUTS_DIR,
    Job,
    Plan,
    hash_json,
    toolkit_source_hash,
)
from .preflight import Preflight, preflight, print_report
from .render import report_title

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_LOCKED",
    "EXIT_OK",
    "RunOptions",
    "run_study",
    "write_index",
]

LOCK_FILE = ".iwm-run.lock"
STAGING_DIR = ".staging"


@dataclass
class RunOptions:
    regions: list[str] | None = None
    notebooks: list[str] | None = None
    jobs: int | None = None
    force: bool = False
    executor: str = "local"
    scheduler: str | None = None
    #: Fork each job's kernel from a warm process (``runner.warm``); False: the plain way.
    warm: bool = True


@dataclass
class RunSummary:
    executed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.failed else EXIT_OK


def git_commit(root: Path) -> str | None:
    """The project's git commit (with '-dirty' when the work tree differs), or None: one
    ``git status`` gives both (``--porcelain=v2 --branch``: the commit on a '# branch.oid'
    line, a changed tracked file on any line not starting with '#')."""
    try:
        status = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "status",
                "--porcelain=v2",
                "--branch",
                "--untracked-files=no",
            ],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = status.stdout.splitlines() if status.returncode == 0 else []
    oid = next((line.split()[2] for line in lines if line.startswith("# branch.oid ")), None)
    if oid is None or oid == "(initial)":  # not a repository, or no commit yet
        return None
    return oid + ("-dirty" if any(not line.startswith("#") for line in lines) else "")


class Progress:
    """Jobs done, running, failed and skipped, and the time since the start; a live bar on a
    terminal, one line per finished job otherwise."""

    def __init__(self, total: int, skipped: int, stream: TextIO):
        self.total, self.skipped, self.done, self.failed, self.running = total, skipped, 0, 0, 0
        self.stream, self.started = stream, time.perf_counter()
        self.live = None
        if stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self.live = Bar(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total}"),
                TimeElapsedColumn(),
                console=Console(file=stream),
            )
            self.task = self.live.add_task(self._text(), total=total)
            self.live.start()

    def _text(self) -> str:
        return f"running {self.running}, done {self.done}, failed {self.failed}, skipped {self.skipped}"

    def update(
        self, job_id: str | None = None, status: str | None = None, seconds: float | None = None
    ) -> None:
        if self.live is not None:
            self.live.update(self.task, completed=self.done, description=self._text())
        elif job_id:
            elapsed = time.perf_counter() - self.started
            print(
                f"[{self.done}/{self.total}] {status:6} {job_id} ({seconds:.1f} s; {self._text()}; {elapsed:.0f} s elapsed)",
                file=self.stream,
                flush=True,
            )

    def stop(self) -> None:
        if self.live is not None:
            self.live.stop()


def _notebook_shown(project: Project, job: Job) -> str:
    """The notebook a report was run from, as a reader finds it: its path in the study, or
    in the toolkit's notebooks (a study of one's own uses those)."""
    from ..paths import toolkit_notebooks

    try:
        return job.source.relative_to(project.root).as_posix()
    except ValueError:
        pass
    try:
        shown = job.source.relative_to(toolkit_notebooks()).as_posix()
        return _("notebooks/{path} (the toolkit's)").format(path=shown)
    except ValueError:
        return job.source.name


def _context(project: Project, plan: Plan, job: Job, commit: str | None) -> dict[str, Any]:
    """What the report's header and provenance footer show, in the report's language."""
    language = job.parameters.get("language") or project.study.language
    with using(language):
        return _context_in_language(project, plan, job, commit) | {"language": language}


def _context_in_language(
    project: Project, plan: Plan, job: Job, commit: str | None
) -> dict[str, Any]:
    return {
        "study_title": project.study.title,
        "title": report_title(job.title, job.notebook),
        "scope": job.scope,
        "notebook": _notebook_shown(project, job),
        "version": __version__,
        "commit": commit,
        "reference_year": project.study.data.reference_year,
        "parameters": dump_json(job.parameters).strip().replace("\n", " "),
        "inputs": sorted(plan.inputs.items()),
        "key": job.key,
        "synthetic": project.study.data.synthetic,
        "synthetic_note": _(SYNTHETIC_NOTE),
        "attributions": [_(a) for a in ATTRIBUTIONS],
    }


def _move_results(result, job: Job, outputs: Path) -> list[str]:
    """Write a job's files into outputs/<scope>/: replace on success, beside on failure.

    Each file is written whole into the staging folder first, then renamed into place, so no
    reader ever sees half a file and an interrupted run leaves the earlier report as it was.
    """
    target_dir = outputs / job.scope
    target_dir.mkdir(parents=True, exist_ok=True)
    staging = outputs / STAGING_DIR / job.scope
    staging.mkdir(parents=True, exist_ok=True)
    mark = "" if result.status == "ok" else FAILED_MARK
    # The shared files a new report loads are in place before the report is.
    ensure_assets(outputs, (result.files.get(".html"), result.files.get(".code.html")))
    moved = []
    # The reviewer's report last: it is the file the index links first.
    for suffix in (".ipynb", ".code.html", ".html"):
        content = result.files.get(suffix)
        if content is not None:
            staged = staging / f"{job.notebook}{mark}{suffix}"
            staged.write_bytes(content)
            target = target_dir / f"{job.notebook}{mark}{suffix}"
            os.replace(staged, target)
            moved.append(str(target.relative_to(outputs)))
    if result.status == "ok":
        for suffix in (".ipynb", ".code.html", ".html"):
            (target_dir / f"{job.notebook}{FAILED_MARK}{suffix}").unlink(missing_ok=True)
        # The Excel annex comes only with a success (a failure keeps the last good one); a
        # report that now shows no table drops its old annex.
        annex = result.files.get(ANNEX_SUFFIX)
        target = target_dir / f"{job.notebook}{ANNEX_SUFFIX}"
        if annex is None:
            target.unlink(missing_ok=True)
        else:
            staged = staging / target.name
            staged.write_bytes(annex)
            os.replace(staged, target)
            moved.append(str(target.relative_to(outputs)))
    return moved


#: Warnings ``iwm run`` prints before the count of the rest (``iwm validate`` prints them all).
WARNINGS_SHOWN = 5


def run_study(
    root: str | Path, options: RunOptions, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the study at ``root``; return the exit code (``iwm_study.exits``): 0 ok, 1 a job
    failed, 2 invalid input, 3-6 the outputs cannot be written, 7 another run holds the lock.

    Messages go to ``out`` and ``err`` (default: the current stdout and stderr).
    """
    out = out or sys.stdout
    err = err or sys.stderr
    started_at = datetime.now(UTC)
    root = Path(root).resolve()
    outputs = root / OUTPUTS_DIR
    manifest = read_manifest(outputs)
    cached = manifest.get("validated")
    pool = Workers(options.executor, options.scheduler)
    try:
        return _run_checked(root, options, manifest, cached, pool, started_at, out, err)
    finally:
        pool.close()


def _start_early(pool: Workers, options: RunOptions, project: Project) -> None:
    """The data changed, so jobs will run: start the workers (and their warm processes) now,
    while the pre-flight reads the data."""
    from .warm import warm_modules

    notebooks = sorted(
        {
            path
            for training in (False, True)
            for folder in project.notebook_folders(training)
            for path in folder.glob("*.ipynb")
        }
    )
    modules = warm_modules(notebooks) if options.warm else None
    pool.start(options.jobs or os.cpu_count() or 1, modules)


def _run_checked(
    root: Path,
    options: RunOptions,
    manifest: dict[str, Any],
    cached: Any,
    pool: Workers,
    started_at: datetime,
    out: TextIO,
    err: TextIO,
) -> int:
    outputs = root / OUTPUTS_DIR
    pre = preflight(
        root,
        options.regions,
        options.notebooks,
        cached if isinstance(cached, dict) else None,
        snapshots=snapshot_folder(outputs),
        on_data_check=lambda project: _start_early(pool, options, project),
    )
    if not pre.ok:
        # Every error, and the first warnings: a long list of warnings would push the errors
        # that stopped the run off the screen.
        print_report(pre, err, warning_limit=WARNINGS_SHOWN)
        if len(pre.report.warnings) > WARNINGS_SHOWN:
            print("`iwm validate` lists every warning.", file=err)
        return EXIT_INVALID
    if pre.report.warnings:
        print_report(pre, err, limit=WARNINGS_SHOWN)
        print("Warnings do not stop the run; `iwm validate` lists them all.\n", file=err)
    assert pre.project is not None and pre.plan is not None
    try:
        if outputs.exists() and not outputs.is_dir():
            raise FileExistsError(errno.EEXIST, "a file is in the way", str(outputs))
        outputs.mkdir(exist_ok=True)
        from filelock import FileLock, Timeout

        lock = FileLock(str(outputs / LOCK_FILE))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            print(
                f"iwm run: another iwm run is working on {root} (lock {outputs / LOCK_FILE}); "
                "wait for it to finish and run again.",
                file=err,
            )
            return EXIT_LOCKED
        try:
            return _run_locked(pre, manifest, options, outputs, started_at, out, err, pool)
        finally:
            lock.release()
    except OSError as exc:
        fault = machine_fault(exc, exc.filename or outputs)
        if fault is None:
            raise
        print(fault.line("iwm run"), file=err)
        return fault.code


def _run_locked(
    pre: Preflight,
    manifest: dict[str, Any],
    options: RunOptions,
    outputs: Path,
    started_at: datetime,
    out: TextIO,
    err: TextIO,
    pool: Workers,
) -> int:
    project, full = pre.project, pre.plan
    assert project is not None and full is not None
    if pre.record is not None:
        manifest["validated"] = pre.record
    # The shared script files the reports already here load (Plotly), before any PDF is printed.
    ensure_assets(outputs)
    names = {n.removesuffix(".ipynb") for n in options.notebooks or []}
    selected = [j for j in full.jobs if j.matches(set(options.regions or []), names)]
    entries: dict[str, Any] = manifest.get("jobs", {})
    summary = RunSummary()
    to_run: list[Job] = []
    for job in selected:
        entry = entries.get(job.id)
        fresh = (
            entry
            and entry.get("status") == "ok"
            and entry.get("key") == job.key
            and all(p.exists() for p in job.outputs(outputs))
        )
        if fresh and not options.force:
            summary.skipped.append(job.id)
        else:
            to_run.append(job)
    commit = git_commit(project.root)
    interrupted = False
    # The PDFs: each report's as it is written, and those up-to-date reports lack.
    printing = RunPrinting(outputs, outputs / STAGING_DIR)
    try:
        if to_run:
            from .executors import ExecutorUnavailable

            try:
                interrupted = _execute(
                    project,
                    full,
                    to_run,
                    options,
                    outputs,
                    entries,
                    summary,
                    commit,
                    err,
                    printing,
                    pool,
                )
            except ExecutorUnavailable as exc:
                print(f"iwm run: {exc}; nothing was run.", file=err)
                return EXIT_INVALID
        if not interrupted:
            printing.catch_up(selected, entries)
            interrupted = printing.finish(entries)
    finally:
        printing.abort()  # a no-op once finished
    # Keep only jobs of the current plan in the record (a removed region drops out).
    known = {j.id for j in full.jobs}
    manifest["jobs"] = {k: v for k, v in sorted(entries.items()) if k in known}
    manifest.update(
        {
            "study": {
                "title": project.study.title,
                "synthetic": project.study.data.synthetic,
                "reference_year": project.study.data.reference_year,
                "coverage": pre.coverage,
            },
            "toolkit": {
                "version": __version__,
                "source_hash": toolkit_source_hash(),
                "git_commit": commit,
            },
            "inputs": dict(sorted(full.inputs.items())),
            "omitted": {o.id: o.reason for o in full.omitted},
            "run": {
                "started": started_at.isoformat(timespec="seconds"),
                "finished": datetime.now(UTC).isoformat(timespec="seconds"),
                "executed": sorted(summary.executed),
                "skipped": sorted(summary.skipped),
                "failed": sorted(summary.failed),
                "interrupted": interrupted,
            },
        }
    )
    write_atomic(outputs / MANIFEST, dump_json(manifest))
    # The reference page depends only on the toolkit and the defaults: rebuilt when they change
    # (building it imports pandas, too slow for a run with nothing to do).
    page_stamp = hash_json({"toolkit": toolkit_source_hash(), "defaults": project.study.defaults})
    if manifest.get("parameters_page") != page_stamp or not (outputs / PARAMETERS_PAGE).exists():
        write_parameter_page(project, outputs)
        manifest["parameters_page"] = page_stamp
        write_atomic(outputs / MANIFEST, dump_json(manifest))
    remove_stale_failures(full, outputs)
    if write_index(project, full, manifest, outputs, commit, pre, printing.browser):
        write_atomic(outputs / MANIFEST, dump_json(manifest))
    shutil.rmtree(outputs / STAGING_DIR, ignore_errors=True)
    if interrupted:
        print(
            "iwm run: interrupted; finished jobs were kept, unfinished ones left earlier reports as they were.",
            file=err,
        )
        return EXIT_INTERRUPTED
    for o in full.omitted:
        print(f"Left out: {o.id}: {o.reason}", file=out)
    for line in printing.messages():
        print(line, file=out)
    if not to_run:
        print(
            f"Nothing to do: all {len(summary.skipped)} selected report(s) are up to date. Index: {outputs / INDEX}",
            file=out,
        )
    else:
        print(
            f"Ran {len(summary.executed) + len(summary.failed)} job(s): {len(summary.executed)} ok, {len(summary.failed)} failed, "
            f"{len(summary.skipped)} skipped (up to date). Index: {outputs / INDEX}",
            file=out,
        )
        for job_id in sorted(summary.failed):
            print(f"Failed: {job_id}: {entries[job_id].get('error')}", file=err)
    return summary.exit_code


def _worker_lost(exc: BaseException) -> str:
    """A stable one-line error for a job whose worker process died."""
    if type(exc).__name__ == "KilledWorker":
        return "worker lost: the worker running this job died twice (it was retried once)"
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"worker lost: {type(exc).__name__}: {first}".rstrip(": ")


def _execute(
    project: Project,
    plan: Plan,
    jobs: list[Job],
    options: RunOptions,
    outputs: Path,
    entries: dict[str, Any],
    summary: RunSummary,
    commit: str | None,
    err: TextIO,
    printing: RunPrinting,
    pool: Workers,
) -> bool:
    """Run ``jobs`` on the chosen executor; record each result as it arrives. True if interrupted."""
    from .execute import JobResult, run_job
    from .warm import warm_modules

    staging_root = outputs / STAGING_DIR
    shutil.rmtree(staging_root, ignore_errors=True)
    staging_root.mkdir(parents=True)
    workers = max(1, min(options.jobs or os.cpu_count() or 1, len(jobs)))
    execution = project.study.execution
    modules = warm_modules(sorted({j.source for j in jobs})) if options.warm else None
    pending: dict[Future, Job] = {}
    interrupted = False
    running = pool.open(workers, modules)
    try:
        progress = Progress(len(jobs), len(summary.skipped), err)
        try:
            for job in jobs:
                context = _context(project, plan, job, commit)
                args = (
                    job,
                    project.root,
                    str(staging_root),
                    execution.cell_timeout_s,
                    execution.kernel,
                    context,
                    modules,
                )
                pending[running.executor.submit(run_job, *args)] = job
            progress.running = min(workers, len(jobs))
            progress.update()
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    job = pending.pop(future)
                    try:
                        result = future.result()
                    except Exception as exc:  # the worker itself died (twice, on Dask)
                        result = JobResult(job.id, "failed", error=_worker_lost(exc))
                    moved = _move_results(result, job, outputs)
                    entries[job.id] = {
                        "scope": job.scope,
                        "notebook": job.notebook,
                        "status": result.status,
                        "key": job.key,
                        "key_parts": job.key_parts,
                        "parameters": job.parameters,
                        "durations": result.durations,
                        "error": result.error,
                        "error_cell": result.error_cell,
                        "figures": result.figures,
                        "outputs": moved,
                        "executor": running.description,
                    }
                    printing.report_written(job, result.status)
                    (summary.executed if result.status == "ok" else summary.failed).append(job.id)
                    progress.failed += result.status != "ok"
                    progress.done += 1
                    progress.running = min(workers, len(pending))
                    progress.update(job.id, result.status, sum(result.durations.values()))
        except KeyboardInterrupt:
            interrupted = True
            for future in pending:
                future.cancel()
            running.abort()
        finally:
            progress.stop()
    finally:
        pool.close()  # the workers end, and their warm processes with them
    return interrupted
