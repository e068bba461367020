"""Warm kernels (iwm_study.runner.warm, warm_kernel, warm_server): each job's kernel is forked
from a process that has already imported what the notebooks import, and nothing else changes.

- a kernel is forked (its modules are there before the notebook imports anything), it is the
  worker's child like a plain kernel, and no job leaves a trace in the next: a changed module,
  a global, an environment variable, a module of its own;
- the reports are the same bytes as a run with ``--no-warm``;
- a kernel that dies is reported as a plain one is; where the warm process cannot serve, the
  kernel starts the plain way;
- the warm process already holds what a kernel imports while it starts, and the client waits
  no longer than the kernel needs (it reconnects sooner, and drains IOPub without waiting).
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


def test_the_warm_process_holds_everything_a_started_kernel_has_imported(tmp_path, monkeypatch):
    """What ipykernel imports while a kernel starts (its debugger, psutil, the history
    database...) is imported once in the warm process, not again in every kernel: a plain
    kernel, started and asked for ``sys.modules``, has nothing the warm process lacks."""
    import ast
    import asyncio
    import os
    import subprocess

    from jupyter_client.manager import AsyncKernelManager

    async def kernel_modules() -> set[str]:
        manager = AsyncKernelManager(kernel_name="python3")
        await manager.start_kernel(cwd=str(tmp_path))
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            reply = await client.execute(
                "import sys; modules = sorted(sys.modules)",
                reply=True,
                user_expressions={"m": "modules"},
                timeout=60,
            )
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)
        text = reply["content"]["user_expressions"]["m"]["data"]["text/plain"]
        return set(ast.literal_eval(text))

    # 'python3' of the kernel spec: this environment's interpreter, as the runner makes sure
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env = dict(os.environ)
    started = asyncio.run(kernel_modules())
    code = (
        "import json, sys; from iwm_study.runner.warm import WARM_MODULES; "
        "from iwm_study.runner.warm_server import warm_up; "
        "assert warm_up(list(WARM_MODULES)) == []; print(json.dumps(sorted(sys.modules)))"
    )
    warm = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    missing = started - set(json.loads(warm.stdout)) - {"runpy"}  # the warm server's own
    assert sorted(missing) == []


def _client(shell: list, iopub: list, alive: bool = True):
    """The warm kernel client with channels that hand out the given messages (None: nothing
    came within the timeout), recording each wait."""
    from queue import Empty

    from iwm_study.runner.warm_kernel import kernel_client_class

    class Channel:
        def __init__(self, messages: list) -> None:
            self.messages = list(messages)
            self.timeouts: list[float] = []

        async def get_msg(self, timeout=None):
            self.timeouts.append(timeout)
            message = self.messages.pop(0) if self.messages else None
            if message is None:
                raise Empty
            return message

    channels = {"shell": Channel(shell), "iopub": Channel(iopub)}

    class Client(kernel_client_class()):
        asked = 0
        shell_channel = property(lambda self: channels["shell"])
        iopub_channel = property(lambda self: channels["iopub"])

        def kernel_info(self):
            type(self).asked += 1

        async def _async_is_alive(self):
            return alive

    return Client(), channels


def test_the_warm_client_is_ready_once_shell_and_iopub_answer_and_drops_without_waiting():
    import asyncio

    info = {"msg_type": "kernel_info_reply", "content": {"protocol_version": "5.3"}}
    status = {"msg_type": "status"}
    # The first answer comes while IOPub is not yet connected: the client asks again.
    client, channels = _client([info, info], [None, status, status, status, None])
    asyncio.run(client.wait_for_ready(timeout=30))
    assert type(client).asked == 2
    assert channels["shell"].timeouts == [1, 1]
    # jupyter_client waits 0.2 s of silence before it is ready; this client drains what is
    # there (timeout 0) and goes on.
    assert channels["iopub"].timeouts == [0.2, 0.2, 0, 0, 0]
    assert channels["iopub"].messages == []


def test_the_warm_client_reports_a_kernel_that_died_before_answering():
    import asyncio

    client, _ = _client([None], [], alive=False)
    with pytest.raises(RuntimeError, match="Kernel died before replying to kernel_info"):
        asyncio.run(client.wait_for_ready(timeout=30))


def test_the_warm_client_and_manager_reconnect_sooner_than_zeromq_s_default():
    """Both connect as soon as the kernel is forked, before the kernel has bound its ports:
    ZeroMQ's default would retry only after 100 ms (the manager's control socket carries the
    shutdown request)."""
    import zmq

    from iwm_study.runner.warm_kernel import RECONNECT_IVL_MS, kernel_manager_class

    manager = kernel_manager_class()(kernel_name="python3")
    client = manager.client()
    assert client.context is not manager.context
    try:
        for context in (client.context, manager.context):
            with context.socket(zmq.DEALER) as socket:
                first = socket.getsockopt(zmq.RECONNECT_IVL)
                longest = socket.getsockopt(zmq.RECONNECT_IVL_MAX)
            assert (first, longest) == RECONNECT_IVL_MS == (5, 100)
        with zmq.Context() as plain, plain.socket(zmq.DEALER) as other:
            assert other.getsockopt(zmq.RECONNECT_IVL) == 100
    finally:
        client.context.destroy(linger=0)
        manager.context.destroy(linger=0)
