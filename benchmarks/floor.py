"""The floor of `iwm run`: the least work that writes the same reports on this machine.

One warm parent process imports everything the notebooks import (the scientific stack, IPython,
nbconvert, the toolkit and every module named in the notebooks' import statements), plans the
study, then forks one child per job, ``--jobs`` at a time. Each child executes its notebook
**in-process**: no kernel, no ZMQ, no papermill. The job's parameters are injected as papermill
injects them (a cell tagged ``injected-parameters`` after the cell tagged ``parameters``), each
code cell runs in an IPython ``InteractiveShell`` whose display hook, display publisher and
traceback writer put rich outputs, streams and errors into the cell's outputs (in order, as a
kernel would), with the inline matplotlib backend, in the study folder and with ``IWM_STUDY_DIR``
set (as ``runner.execute.run_job`` does). The child then normalises the notebook and renders
both HTML reports and the Excel annex with the toolkit's own functions (``runner.render``,
``runner.annex``, ``report.tables_from_notebook``, the context of ``runner.run._context``) and
writes them under the output folder. A failed cell fails the job (and the benchmark).

Before forking, the parent runs the pre-flight once, which leaves the valid study for the jobs'
``load_study`` (as ``iwm run``'s kernels read it), and makes the report exporters (as each of
``iwm run``'s workers does). Not done, as the runner's outputs beyond a job's own files: the
manifest, figures.json and the index page; the shared plotly.js is copied once at the end.

The time is taken from the start of the parent's imports to the last file written.

Usage: python benchmarks/floor.py PROJECT OUT [--jobs N]   (prints a JSON summary on stdout)
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import math
import os
import sys
import time
import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: Imported by the warm parent before any notebook's own imports.
WARM_MODULES = (
    "numpy",
    "pandas",
    "geopandas",
    "shapely",
    "pyproj",
    "matplotlib",
    "matplotlib.pyplot",
    "matplotlib_inline.backend_inline",
    "folium",
    "plotly.graph_objects",
    "openpyxl",
    "IPython",
    "IPython.core.interactiveshell",
    "nbformat",
    "nbconvert",
    "jupyter_client.jsonutil",
    # imported inside functions of the toolkit and the libraries (found by the late imports
    # each job reports): reading files, tables, Sankey diagrams, rendering and highlighting
    "pyogrio",
    "PIL.Image",
    "PIL.PngImagePlugin",
    "PIL.JpegImagePlugin",
    "pandas.io.formats.style",
    "matplotlib.backends.backend_svg",
    "matplotlib.patheffects",
    "plotly.graph_objs",
    "plotly.io",
    "plotly.offline",
    "narwhals.stable.v1",
    "jinja2.ext",
    "bleach",
    "mistune",
    "ipython_pygments_lexers",
    "IPython.lib.lexers",
    "IPython.core.magics.pylab",
    "openpyxl.packaging.extended",
    "xml.dom",
    "iwm_study",
)
#: The name a floor job's process shows (/proc/PID/comm, at most 15 characters).
JOB_PROCESS_NAME = "iwm-floor-job"
#: A report smaller than this is not a report of an executed notebook.
MIN_HTML_BYTES = 10_000
#: The kernel's language_info, which nbconvert reads to highlight code.
LANGUAGE_INFO = {
    "name": "python",
    "version": sys.version.split()[0],
    "mimetype": "text/x-python",
    "codemirror_mode": {"name": "ipython", "version": 3},
    "pygments_lexer": "ipython3",
    "nbconvert_exporter": "python",
    "file_extension": ".py",
}


def notebook_modules(paths: Iterable[Path]) -> list[str]:
    """Every module the code cells of the notebooks at ``paths`` import: what the runner's warm
    processes import for them (``iwm_study.runner.warm.notebook_imports``)."""
    from iwm_study.runner.warm import notebook_imports

    return notebook_imports(paths)


def toolkit_modules() -> list[str]:
    """Every module of the ``iwm_study`` package (what a notebook or a render may import),
    but its command-line entry points (``__main__``), which run when imported."""
    import pkgutil

    import iwm_study

    found = pkgutil.walk_packages(iwm_study.__path__, "iwm_study.")
    return [m.name for m in found if not m.name.endswith("__main__")]


def warm_up(modules: Iterable[str]) -> list[str]:
    """Import ``modules`` (a dotted name that is not a module is skipped); return those
    imported."""
    imported = []
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        except Exception as exc:  # a module that cannot be imported here is not warmed
            print(f"floor: not warmed: {name}: {exc}", file=sys.stderr)
            continue
        imported.append(name)
    return imported


def python_literal(value: Any) -> str:
    """``value`` as papermill's Python translator writes it (without black), so that the
    injected cell reads as in a notebook papermill ran."""
    if value is None or isinstance(value, bool | int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return str(value)
        return "float('nan')" if math.isnan(value) else f"float('{'-' if value < 0 else ''}inf')"
    if isinstance(value, dict):
        items = ", ".join(
            f"{python_literal(str(k))}: {python_literal(v)}" for k, v in value.items()
        )
        return f"{{{items}}}"
    if isinstance(value, list):
        return f"[{', '.join(python_literal(v) for v in value)}]"
    text = value.encode("unicode_escape").decode("utf-8") if isinstance(value, str) else value
    return '"{}"'.format(str(text).replace('"', r"\""))


def inject_parameters(nb: Any, parameters: dict[str, Any]) -> None:
    """Insert the parameters cell papermill would: ``# Parameters`` and one assignment per
    value, tagged ``injected-parameters``, after the cell tagged ``parameters`` (at the top
    when there is none), replacing an earlier injected cell."""
    import nbformat

    source = "# Parameters\n" + "".join(
        f"{k} = {python_literal(v)}\n" for k, v in parameters.items()
    )
    cell = nbformat.v4.new_code_cell(source=source)
    cell.metadata["tags"] = ["injected-parameters"]
    tags = [c.get("metadata", {}).get("tags", []) for c in nb.cells]
    old = [i for i, t in enumerate(tags) if "injected-parameters" in t]
    if old:
        nb.cells[old[0]] = cell
        return
    marked = [i for i, t in enumerate(tags) if "parameters" in t]
    nb.cells.insert(marked[0] + 1 if marked else 0, cell)


def _shell_class() -> type:
    """An ``InteractiveShell`` whose outputs go into the current cell's output list (made on
    first use: IPython is imported by the warm parent, not by this module)."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from jupyter_client.jsonutil import json_default
    from nbformat.v4 import new_output
    from traitlets import Type

    def clean(value: Any) -> Any:
        """JSON-safe, as a kernel's message serialiser makes it (bytes as base64, numbers)."""
        return json.loads(json.dumps(value, default=json_default))

    class Hook(DisplayHook):
        """The value of a cell's last expression as an ``execute_result``."""

        def write_output_prompt(self) -> None:
            pass

        def write_format_data(self, format_dict: dict, md_dict: dict | None = None) -> None:
            self.shell.outputs.append(
                new_output(
                    "execute_result",
                    data=clean(format_dict),
                    metadata=clean(md_dict or {}),
                    execution_count=self.prompt_count,
                )
            )

    class Publisher(DisplayPublisher):
        """``display(...)`` as a ``display_data`` output."""

        def publish(
            self,
            data: dict,
            metadata: dict | None = None,
            source: str | None = None,
            *,
            transient: dict | None = None,
            update: bool = False,
        ) -> None:
            self.shell.outputs.append(
                new_output("display_data", data=clean(data), metadata=clean(metadata or {}))
            )

        def clear_output(self, wait: bool = False) -> None:
            self.shell.outputs.clear()

    class FloorShell(InteractiveShell):
        """Runs cells in this process and keeps their outputs in ``outputs``."""

        displayhook_class = Type(Hook)
        display_pub_class = Type(Publisher)
        outputs: list[Any]  # the running cell's outputs (set before each cell)
        failed: dict[str, Any] | None  # its error, if any

        def enable_gui(self, gui: str | None = None) -> None:
            """No event loop: figures are drawn by the inline backend (as in ipykernel)."""

        def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
            """Keep the error as the cell's error output (what ipykernel sends)."""
            error = {"ename": etype.__name__, "evalue": str(evalue), "traceback": stb}
            self.failed = error
            self.outputs.append(new_output("error", **error))

    return FloorShell


class _Stream:
    """``sys.stdout`` or ``sys.stderr`` of a running cell: text goes into the cell's outputs,
    merged with the stream output just before it, as nbclient merges them."""

    def __init__(self, shell: Any, name: str):
        self.shell, self.name = shell, name

    def write(self, text: str) -> int:
        from nbformat.v4 import new_output

        outputs = self.shell.outputs
        if outputs and outputs[-1].get("output_type") == "stream" and outputs[-1].name == self.name:
            outputs[-1].text += text
        elif text:
            outputs.append(new_output("stream", name=self.name, text=text))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def execute_in_process(shell: Any, nb: Any) -> dict[str, Any] | None:
    """Run every code cell of ``nb`` in ``shell``, filling outputs and execution counts like
    nbclient; stop at the first error and return it (None when every cell ran)."""
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        cell.outputs = []
        if not "".join(cell.source).strip():
            cell.execution_count = None
            continue
        shell.outputs, shell.failed = cell.outputs, None
        cell.execution_count = shell.execution_count
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Stream(shell, "stdout"), _Stream(shell, "stderr")
        try:
            result = shell.run_cell(cell.source, store_history=True)
        finally:
            sys.stdout, sys.stderr = saved
        if shell.failed is not None or not result.success:
            return shell.failed or {"ename": "Error", "evalue": str(result.error_before_exec)}
    return None


def _name_process(name: str) -> None:
    """Set this process's name (/proc/self/comm) so a memory sampler can tell it apart."""
    with contextlib.suppress(OSError):
        Path("/proc/self/comm").write_text(name[:15], encoding="ascii")


def _child(
    shell: Any,
    project: Any,
    plan: Any,
    job: Any,
    commit: str | None,
    out: Path,
    warm_modules: set[str],
) -> int:
    """Execute and render one job in this (forked) process; write its files and a status
    file (``warm_modules``: the parent's, to list what the job imported late); return the
    exit status."""
    import nbformat

    from iwm_study.paths import STUDY_DIR_ENV
    from iwm_study.report import figures_from_notebook, tables_from_notebook
    from iwm_study.runner.annex import ANNEX_SUFFIX, source_line, workbook_bytes
    from iwm_study.runner.execute import job_source, normalise
    from iwm_study.runner.render import write_reports
    from iwm_study.runner.run import _context

    _name_process(JOB_PROCESS_NAME)
    started = time.perf_counter()
    target = out / job.scope
    target.mkdir(parents=True, exist_ok=True)
    os.chdir(project.root)
    os.environ[STUDY_DIR_ENV] = str(project.root)
    _source, nb = job_source(job, out / ".floor")
    source_ids = {c.get("id") for c in nb.cells}
    inject_parameters(nb, job.parameters)
    error = execute_in_process(shell, nb)
    executed = time.perf_counter()
    normalise(nb, source_ids)
    figures = figures_from_notebook(nb)
    stem = target / job.notebook
    nbformat.write(nb, stem.with_name(f"{job.notebook}.ipynb"))
    context = _context(project, plan, job, commit)
    failed = None if error is None else f"{error['ename']}: {error['evalue']}"
    write_reports(nb, stem, {**context, "failed": failed})
    tables = tables_from_notebook(nb) if error is None else []
    if tables:
        stem.with_name(f"{job.notebook}{ANNEX_SUFFIX}").write_bytes(
            workbook_bytes(tables, source_line(context))
        )
    # Modules this job imported that the warm parent had not (its top-level packages).
    late = sorted({name.split(".")[0] for name in set(sys.modules) - warm_modules})
    status = {
        "job": job.id,
        "late_imports": late,
        "error": failed,
        "figures": len(figures),
        "tables": len(tables),
        "execute_s": round(executed - started, 3),
        "render_s": round(time.perf_counter() - executed, 3),
    }
    (out / ".floor" / f"{job.scope}.{job.notebook}.json").write_text(json.dumps(status))
    return 0 if error is None else 1


def run_floor(project_dir: Path, out: Path, jobs: int, only: str | None = None) -> dict[str, Any]:
    """Warm up, plan, fork one child per job (``jobs`` at a time; only the jobs whose id
    contains ``only`` when given) and wait; return the time and each job's exit status.
    Raises nothing for a failed job: see ``check_floor``."""
    started = time.perf_counter()
    warm_up(WARM_MODULES)
    warm_up(toolkit_modules())
    from iwm_study.config import load_project
    from iwm_study.data.snapshot import SNAPSHOT_ENV, snapshot_folder
    from iwm_study.runner.plan import build_plan
    from iwm_study.runner.preflight import preflight
    from iwm_study.runner.render import warm_renderer
    from iwm_study.runner.run import git_commit

    # The pre-flight's check of the data, leaving the valid study for the jobs' load_study, as
    # iwm run does (its kernels read the snapshot, not the files).
    snapshots = snapshot_folder(out)
    checked = preflight(project_dir, snapshots=snapshots)
    if not checked.ok:
        raise SystemExit(f"floor: the study does not pass its pre-flight: {project_dir}")
    os.environ[SNAPSHOT_ENV] = str(snapshots)
    project = load_project(project_dir)
    plan = build_plan(project)
    sources = sorted({j.source for j in plan.jobs})
    modules = warm_up(notebook_modules(sources))
    from traitlets.config import Config

    shell = _shell_class().instance(config=Config({"HistoryManager": {"enabled": False}}))
    shell.outputs, shell.failed = [], None
    shell.enable_matplotlib("inline")  # as a kernel starts: figures shown inline
    warm_renderer()  # the report exporters, made and compiled once, as each worker of iwm run does
    commit = git_commit(project.root)
    warm_s = time.perf_counter() - started
    (out / ".floor").mkdir(parents=True, exist_ok=True)
    warm_modules = set(sys.modules)
    sys.stdout.flush()
    sys.stderr.flush()
    running: dict[int, str] = {}
    codes: dict[str, int] = {}
    queue = [j for j in plan.jobs if not only or only in j.id]
    while queue or running:
        while queue and len(running) < jobs:
            job = queue.pop(0)
            pid = os.fork()
            if pid == 0:  # the child: never returns
                code = 1
                try:
                    code = _child(shell, project, plan, job, commit, out, warm_modules)
                except BaseException:
                    traceback.print_exc()
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code)
            running[pid] = job.id
        pid, status = os.wait()
        codes[running.pop(pid)] = os.waitstatus_to_exitcode(status)
    from iwm_study.runner.assets import ensure_assets

    ensure_assets(out)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "warm_s": warm_s,
        "jobs": len(codes),
        "modules": modules,
        "exit_codes": codes,
    }


def check_floor(out: Path, summary: dict[str, Any]) -> list[str]:
    """Problems with a floor run's outputs: a job that failed or died, a missing or trivial
    report, an executed notebook without outputs. Empty when all is well."""
    problems = []
    for job_id, code in summary["exit_codes"].items():
        scope, notebook = job_id.split("/", 1)
        status_file = out / ".floor" / f"{scope}.{notebook}.json"
        status = json.loads(status_file.read_text()) if status_file.exists() else {}
        if code != 0:
            problems.append(f"{job_id}: exit {code}: {status.get('error') or 'died'}")
            continue
        for suffix in (".html", ".code.html"):
            page = out / scope / f"{notebook}{suffix}"
            size = page.stat().st_size if page.exists() else 0
            if size < MIN_HTML_BYTES:
                problems.append(f"{job_id}: {page.name} has {size} bytes")
        nb = json.loads((out / scope / f"{notebook}.ipynb").read_text(encoding="utf-8"))
        if not any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code"):
            problems.append(f"{job_id}: the executed notebook has no outputs")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="study folder (holds parameters/study.yaml)")
    parser.add_argument("out", type=Path, help="folder the reports are written to")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--only", metavar="TEXT", help="run only jobs whose id contains TEXT")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    summary = run_floor(args.project.resolve(), args.out.resolve(), args.jobs, args.only)
    summary["problems"] = check_floor(args.out.resolve(), summary)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
