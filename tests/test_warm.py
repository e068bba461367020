"""Warm kernels (iwm_study.runner.warm, warm_kernel, warm_server): each job's kernel is forked
from a process that has already imported what the notebooks import, and nothing else changes.

- a kernel is forked (its modules are there before the notebook imports anything), it is the
  worker's child like a plain kernel, and no job leaves a trace in the next: a changed module,
  a global, an environment variable, a module of its own;
- the reports are the same bytes as a run with ``--no-warm``;
- a kernel that dies is reported as a plain one is; where the warm process cannot serve, the
  kernel starts the plain way.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import PROJECT_ROOT, copy_demo_project
from mini_study import make_mini_study
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from iwm_study.cli import main
from iwm_study.runner.warm import WARM_MODULES, notebook_imports, warm_modules

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux")

STUDY = """\
title: Warm kernels
data:
  inventory: data
  synthetic: true
notebooks:
  - name: a_first
    scope: national
  - name: b_second
    scope: national
execution:
  cell_timeout_s: 120
"""

#: What a job sees of its process before it imports anything, and what it leaves behind.
PROBE = """\
import builtins, json, os, sys
import iwm_study.report as report_module
seen = {
    "pid": os.getpid(),
    "ppid": os.getppid(),
    "preloaded": sorted(m for m in ("geopandas", "pandas", "folium") if m in sys.modules),
    "env": os.environ.get("IWM_TEST_LEAK"),
    "global": getattr(builtins, "iwm_test_leak", None),
    "module": getattr(report_module, "IWM_TEST_LEAK", None),
    "own_module": "iwm_test_leak_module" in sys.modules,
    "cwd": os.getcwd(),
}
print("SEEN " + json.dumps(seen))
"""

LEAVE = """\
import types
os.environ["IWM_TEST_LEAK"] = "from a_first"
builtins.iwm_test_leak = "from a_first"
report_module.IWM_TEST_LEAK = "from a_first"
sys.modules["iwm_test_leak_module"] = types.ModuleType("iwm_test_leak_module")
"""


def _notebook(path: Path, cells: list[str]) -> None:
    nb = new_notebook(
        cells=[new_markdown_cell("# Probe"), *(new_code_cell(c) for c in cells)],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    nb.cells[1].metadata["tags"] = ["parameters"]
    nbformat.write(nb, path)


def _project(root: Path, leave: bool = True) -> Path:
    make_mini_study(root)
    (root / "parameters" / "study.yaml").write_text(STUDY, encoding="utf-8")
    _notebook(
        root / "notebooks" / "a_first.ipynb",
        ["scope = 'national'", PROBE, *([LEAVE] if leave else [])],
    )
    _notebook(root / "notebooks" / "b_second.ipynb", ["scope = 'national'", PROBE])
    return root


def _seen(root: Path, notebook: str) -> dict:
    nb = nbformat.read(root / "outputs" / "national" / f"{notebook}.ipynb", as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for line in output.get("text", "").splitlines():
                if line.startswith("SEEN "):
                    return json.loads(line[5:])
    raise AssertionError(f"{notebook} printed nothing")


def _manifest(root: Path) -> dict:
    return json.loads((root / "outputs" / "manifest.json").read_text(encoding="utf-8"))


def test_a_job_leaves_no_trace_in_the_next_one_and_its_kernel_was_forked_warm(tmp_path):
    root = _project(tmp_path / "study")
    # One worker: the second job runs in the same worker, from the same warm process.
    assert main(["run", "--project", str(root), "--jobs", "1"]) == 0
    first, second = _seen(root, "a_first"), _seen(root, "b_second")
    # Forked from the warm process: its libraries are there before the notebook imports them.
    assert first["preloaded"] == second["preloaded"] == ["folium", "geopandas", "pandas"]
    # Each job has a process of its own, a child of the same worker (as a plain kernel is).
    assert first["pid"] != second["pid"]
    assert first["ppid"] == second["ppid"]
    assert first["cwd"] == second["cwd"] == str(root)
    # Nothing the first job changed reaches the second.
    assert second["env"] is None
    assert second["global"] is None
    assert second["module"] is None
    assert second["own_module"] is False


def test_without_warm_kernels_nothing_is_preloaded(tmp_path):
    root = _project(tmp_path / "study", leave=False)
    assert main(["run", "--project", str(root), "--jobs", "1", "--no-warm"]) == 0
    assert _seen(root, "a_first")["preloaded"] == []


def test_reports_are_the_same_bytes_as_without_warm_kernels(tmp_path):
    """The demo's inventory (charts, a Sankey diagram) and map (folium) of one region, run warm
    and plain: every file written is the same."""
    selection = [
        "--region",
        "baku",
        "--notebook",
        "02_waste_inventory",
        "--notebook",
        "03_waste_map",
    ]
    built = {}
    for mode in ("warm", "plain"):
        project = copy_demo_project(tmp_path / mode)
        extra = ["--no-warm"] if mode == "plain" else []
        assert main(["run", "--project", str(project), *selection, *extra]) == 0
        outputs = project / "outputs" / "baku"
        built[mode] = {
            p.name: p.read_bytes() for p in sorted(outputs.iterdir()) if p.suffix != ".pdf"
        }
    assert sorted(built["warm"]) == sorted(built["plain"])
    assert len(built["warm"]) >= 8  # two reports: .ipynb, .html, .code.html, .xlsx each
    different = [name for name in built["warm"] if built["warm"][name] != built["plain"][name]]
    assert different == []


def test_a_kernel_that_dies_is_reported_as_a_plain_one_is(tmp_path):
    root = _project(tmp_path / "study", leave=False)
    _notebook(
        root / "notebooks" / "b_second.ipynb",
        ["scope = 'national'", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"],
    )
    errors = {}
    for mode in ("warm", "plain"):
        extra = ["--no-warm"] if mode == "plain" else []
        assert main(["run", "--project", str(root), "--force", *extra]) == 1
        errors[mode] = _manifest(root)["jobs"]["national/b_second"]["error"]
    assert errors["warm"] == errors["plain"]
    assert "died" in errors["warm"].lower()
    # The first job was good both times, and its report is there.
    assert (root / "outputs" / "national" / "a_first.html").exists()


def test_a_worker_without_a_warm_process_starts_kernels_the_plain_way(tmp_path, monkeypatch):
    """The provisioner falls back when the warm process cannot fork (here: there is none)."""
    import asyncio

    from iwm_study.runner import warm, warm_kernel

    monkeypatch.setattr(warm, "_WORKER", None)
    launched = []

    async def plain(self, cmd, **kwargs):
        launched.append(cmd)
        return {"plain": True}

    monkeypatch.setattr(warm_kernel.LocalProvisioner, "launch_kernel", plain)
    provisioner = warm_kernel.WarmProvisioner(kernel_id="k", kernel_spec=None, parent=None)
    info = asyncio.run(provisioner.launch_kernel(["python", "-m", "ipykernel_launcher"]))
    assert info == {"plain": True}
    assert launched == [["python", "-m", "ipykernel_launcher"]]


def test_the_warm_process_imports_the_notebooks_imports(tmp_path):
    path = tmp_path / "n.ipynb"
    _notebook(
        path,
        [
            "x = 1",
            "import os, json as j\nfrom iwm_study.maps import views\nfrom . import nothing",
            "%matplotlib inline\nimport numpy\n!ls",
            "def f():\n    import seaborn\n    from scipy import stats",
            "%%bash\necho not python",
        ],
    )
    expected = [
        "iwm_study.maps",
        "iwm_study.maps.views",
        "json",
        "numpy",
        "os",
        "scipy",
        "scipy.stats",
        "seaborn",
    ]
    assert notebook_imports([path]) == expected
    modules = warm_modules([path])
    assert modules[: len(WARM_MODULES)] == list(WARM_MODULES)
    assert modules[len(WARM_MODULES) :] == [m for m in expected if m not in WARM_MODULES]
    # The demo's notebooks import nothing the warm process cannot import.
    demo = sorted((PROJECT_ROOT / "notebooks").glob("0*.ipynb"))
    imported = notebook_imports(demo)
    # the setup cells of 00 and 01 hold '%matplotlib inline' beside their imports
    assert {"iwm_study.report", "iwm_study.scoring", "iwm_study.charts"} <= set(imported)


def test_finding_the_notebooks_imports_loads_no_jsonschema() -> None:
    """The run finds them before its workers start: nbformat's jsonschema took seconds."""
    import subprocess

    code = (
        "import sys; from pathlib import Path; from iwm_study.runner.warm import warm_modules; "
        f"found = warm_modules(sorted(Path({str(PROJECT_ROOT / 'notebooks')!r}).rglob('*.ipynb'))); "
        "assert 'iwm_study.maps' in found and 'geopandas' in found, found; "
        "print(sorted(m for m in ('nbformat', 'jsonschema') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
