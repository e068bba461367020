"""Execute one job: papermill, then normalisation, then both HTML reports and the Excel annex.

Runs in a worker process (process pool or Dask worker), in a private work folder, and returns the
files' contents; the parent writes them into ``outputs/`` only when complete. A failing notebook
is not an exception here: the result says 'failed' and carries the executed notebook with its
error.
"""

from __future__ import annotations

import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data.snapshot import SNAPSHOT_ENV, snapshot_folder
from ..paths import STUDY_DIR_ENV
from .plan import OUTPUTS_DIR, Job

#: Notebook metadata that carries times or run-specific values: removed for identical reruns.
_VOLATILE_NB_KEYS = ("start_time", "end_time", "duration", "input_path", "output_path")


@dataclass
class JobResult:
    """What a worker reports back for one job."""

    job_id: str
    status: str  # 'ok' or 'failed'
    files: dict[str, bytes] = field(default_factory=dict)  # suffix -> content
    figures: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    error_cell: int | None = None
    durations: dict[str, float] = field(default_factory=dict)


#: ' at 0x7f44341a4b90>' in a default object repr: a memory address that changes every run.
_ADDRESS = re.compile(r" at 0x[0-9a-f]+>")


def normalise(nb: Any, source_ids: set[str]) -> None:
    """Strip times and make ids stable so that reruns write identical bytes.

    papermill records start and end times and durations; nbclient records execution timestamps;
    cells papermill adds (injected parameters, error markers) get random ids; plain-text reprs
    of objects carry memory addresses.
    """
    pm = nb.metadata.get("papermill", {})
    for key in _VOLATILE_NB_KEYS:
        pm.pop(key, None)
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        meta = cell.get("metadata", {})
        meta.pop("execution", None)
        cell_pm = meta.get("papermill")
        if cell_pm is not None:
            for key in _VOLATILE_NB_KEYS:
                cell_pm.pop(key, None)
        for output in cell.get("outputs", []):
            plain = output.get("data", {}).get("text/plain")
            if isinstance(plain, str) and " at 0x" in plain:
                output["data"]["text/plain"] = _ADDRESS.sub(">", plain)
        if "id" in cell and cell["id"] not in source_ids:
            tags = meta.get("tags", [])
            cell["id"] = (
                "injected-parameters" if "injected-parameters" in tags else f"papermill-{index}"
            )


def _failure(nb: Any) -> tuple[str | None, int | None]:
    """The first line of the error and the index of the failing cell, from papermill's marks."""
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                value = str(output.get("evalue", "")).strip().splitlines()
                first = value[0] if value else ""
                return f"{output.get('ename', 'Error')}: {first}".rstrip(": "), index
    return None, None


def _quiet(log: Path) -> None:
    """Send this worker's stderr, and so its kernels', to a log file: kernels and papermill
    print warnings (transport, unknown parameters) that would drown the progress display."""
    import logging

    logging.getLogger("papermill").setLevel(logging.ERROR)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 2)
    os.close(fd)


def run_job(
    job: Job,
    root: Path,
    scratch: str | None,
    timeout_s: int,
    kernel: str,
    context: dict[str, Any],
    warm_modules: list[str] | None = None,
) -> JobResult:
    """Execute ``job`` and render it in a private work folder; return the files' contents.

    The work folder is made under ``scratch`` when that folder exists on this machine (the
    project's staging area, for a local pool or a Dask worker on the same host), else in the
    system's temporary folder, and is removed afterwards. Returning contents rather than paths
    lets the caller gather results from workers on other machines. Never raises for a notebook
    error. ``warm_modules``: fork the kernel from this worker's warm process, which imports
    them (``runner.warm``); None starts it the plain way.
    """
    import shutil
    import tempfile

    # The kernel is started by name; make sure 'python' means this environment's interpreter.
    bin_dir = str(Path(sys.executable).parent)
    if not os.environ.get("PATH", "").startswith(bin_dir + os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # The kernel reads relative paths of the parameters against the study folder, and the
    # study the pre-flight validated from its snapshot (``load_study``, when it is current).
    os.environ[STUDY_DIR_ENV] = str(root)
    os.environ[SNAPSHOT_ENV] = str(snapshot_folder(root / OUTPUTS_DIR))
    parent = scratch if scratch and Path(scratch).is_dir() else None
    work = Path(tempfile.mkdtemp(prefix=f"{job.scope}.{job.notebook}.", dir=parent))
    options: dict[str, Any] = {}
    if warm_modules is not None:
        from .warm import start_worker, worker_process

        start_worker(warm_modules)  # once per worker: usually done when it started
        if worker_process() is not None:
            from .warm_kernel import kernel_manager_class

            options["kernel_manager_class"] = kernel_manager_class()
    try:
        return _run_in(job, root, work, timeout_s, kernel, context, options)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def job_source(job: Job, folder: Path) -> tuple[Path, Any]:
    """The notebook a job runs, and its cells: the notebook itself, or for a training build the
    edition for its audience (solutions removed for trainees before anything runs), written into
    ``folder``."""
    import nbformat

    nb = nbformat.read(job.source, as_version=4)
    if not job.audience:
        return job.source, nb
    from ..training import build

    nb = build(nb, job.audience)
    path = folder / f"{job.notebook}.source.ipynb"
    nbformat.write(nb, path)
    return path, nb


def papermill(job: Job, source: Path, dest: Path, kernel: str, **options: Any) -> Any:
    """papermill with the job's parameters, quietly: the one call the runner and ``iwm lab``
    make (``prepare_only=True`` injects the parameters without running anything)."""
    import papermill as pm

    return pm.execute_notebook(
        str(source),
        str(dest),
        parameters=job.parameters,
        kernel_name=kernel,
        progress_bar=False,
        log_output=False,
        **options,
    )


#: The papermill engine of ``iwm run`` (``saved_at_end_engine``).
ENGINE = "iwm-saved-at-end"


def saved_at_end_engine() -> str:
    """Register and name papermill's own nbclient engine, changed in one thing: the executed
    notebook is written once, when the run ends (after an error, a timeout or a dead kernel
    too), not before and after every cell. A notebook of maps and charts is megabytes of JSON:
    writing it some sixty times cost an inventory job seconds. Papermill's engine registry
    is its extension point for this."""
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    if ENGINE in papermill_engines._engines:
        return ENGINE

    class SavedAtEnd(NotebookExecutionManager):
        ended = False

        def save(self, **kwargs: Any) -> None:
            if self.ended:
                super().save(**kwargs)

        def notebook_complete(self, **kwargs: Any) -> None:
            self.ended = True
            super().notebook_complete(**kwargs)

    class Engine(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls,
            nb: Any,
            kernel_name: str,
            output_path: str | None = None,
            progress_bar: bool = True,
            log_output: bool = False,
            autosave_cell_every: int = 30,
            **kwargs: Any,
        ) -> Any:
            # Engine.execute_notebook, with the manager above.
            nb_man = SavedAtEnd(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

    papermill_engines.register(ENGINE, Engine)
    return ENGINE


def _run_in(
    job: Job,
    root: Path,
    work: Path,
    timeout_s: int,
    kernel: str,
    context: dict[str, Any],
    options: dict[str, Any],
) -> JobResult:
    import nbformat
    import papermill as pm

    from ..report import figures_from_notebook, tables_from_notebook
    from .annex import ANNEX_SUFFIX, source_line, workbook_bytes
    from .render import write_reports

    _quiet(work / "kernel.log")
    staged_nb = work / f"{job.notebook}.ipynb"
    source, source_nb = job_source(job, work)
    source_ids = {c.get("id") for c in source_nb.cells}
    result = JobResult(job.id, "ok")
    started = time.perf_counter()
    try:
        papermill(
            job,
            source,
            staged_nb,
            kernel,
            cwd=str(root),
            execution_timeout=timeout_s,
            engine_name=saved_at_end_engine(),
            **options,
        )
    except pm.PapermillExecutionError:
        result.status = "failed"
    except Exception as exc:  # the kernel died, timed out or never started: still a result
        result.status = "failed"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        result.error = f"{type(exc).__name__}: {first}".rstrip(": ")
    result.durations["execute"] = round(time.perf_counter() - started, 3)
    if not staged_nb.exists():
        return result
    nb = nbformat.read(staged_nb, as_version=4)
    normalise(nb, source_ids)
    if result.status == "failed":
        error, cell = _failure(nb)
        result.error = error or result.error or "the notebook did not finish"
        result.error_cell = cell
    result.figures = figures_from_notebook(nb)
    nbformat.write(nb, staged_nb)
    started = time.perf_counter()
    ctx = {**context, "failed": result.error if result.status == "failed" else None}
    html, code_html = write_reports(nb, work / job.notebook, ctx)
    result.durations["render"] = round(time.perf_counter() - started, 3)
    result.files = {
        ".ipynb": staged_nb.read_bytes(),
        ".html": html.read_bytes(),
        ".code.html": code_html.read_bytes(),
    }
    # The annex of a good run only: a failed job never replaces the last good one.
    tables = tables_from_notebook(nb) if result.status == "ok" else []
    if tables:
        result.files[ANNEX_SUFFIX] = workbook_bytes(tables, source_line(context))
    return result
