"""Warm kernels: each job's kernel is forked from a process that has already imported what the
notebooks import (``warm_server``), instead of starting Python and importing it all again.

The mechanism is Jupyter's own: a kernel provisioner (``warm_kernel.WarmProvisioner``,
registered under the entry point group ``jupyter_client.kernel_provisioners``) that papermill
and nbclient meet only through the kernel manager class the runner hands them
(``warm_kernel.kernel_manager_class``). Every job
still gets a fresh process of its own, a child of the worker as before; only its start is
shorter. Where forking cannot be used (not Linux, another interpreter's kernel, the warm process
failed), the provisioner starts the kernel the plain way, so a run never fails for it.

One warm process per worker (process pool or Dask), started with the worker and kept for the
run; ``iwm run --no-warm`` runs without.
"""

from __future__ import annotations

import ast
import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

#: What the warm process imports before it forks the first kernel: the kernel itself, with what
#: ipykernel imports only while a kernel starts (its debugger, which loads debugpy; psutil; the
#: shell's history database, inspector, completer and pdb; tornado's queues: 150 modules, half
#: of a kernel's own start-up CPU, listed from ``sys.modules`` in a started kernel, ipykernel 7),
#: and the libraries the toolkit imports lazily inside its functions (the notebooks' own imports
#: are added from their cells, ``notebook_imports``). Not ``matplotlib.pyplot``'s inline backend:
#: it must be imported inside the kernel (``warm_server.KERNEL_ONLY``).
WARM_MODULES = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "psutil",
    "sqlite3",
    "pdb",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.logger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "tornado.platform.asyncio",
    "tornado.queues",
    "faulthandler",
    "IPython",
    "numpy",
    "pandas",
    "shapely",
    "pyproj",
    "pyogrio",
    "geopandas",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "matplotlib.pyplot",
    "PIL.Image",
    "jinja2",
    "branca",
    "folium",
    "plotly.graph_objects",
    "openpyxl",
    "pydantic",
    "yaml",
    "babel.numbers",
    "iwm_study",
)
#: Seconds a worker waits for its warm process to take a request (it may still be importing).
CONNECT_TIMEOUT_S = 120


class WarmUnavailable(RuntimeError):
    """A kernel cannot be forked here: the caller starts it the plain way."""


def notebook_imports(notebooks: Iterable[Path]) -> list[str]:
    """The modules the code cells of ``notebooks`` import, sorted: each imported module, and for
    ``from package import name`` also ``package.name`` (a submodule, when it is one: the warm
    process tries it and goes on if not). IPython's line magics and shell lines are left out
    before parsing; a cell that still does not parse is skipped. The notebooks are read as
    plain JSON: nbformat would import jsonschema first, seconds before the run's workers can
    start."""
    found: set[str] = set()
    for path in notebooks:
        try:
            cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            continue
        for cell in cells if isinstance(cells, list) else []:
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            python = "\n".join(
                "" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()
            )
            try:
                tree = ast.parse(python)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module)
                    found.update(f"{node.module}.{a.name}" for a in node.names if a.name != "*")
    return sorted(found)


def warm_modules(notebooks: Iterable[Path]) -> list[str]:
    """What a warm process for these notebooks imports: ``WARM_MODULES``, then theirs."""
    extra = [m for m in notebook_imports(notebooks) if m not in WARM_MODULES]
    return [*WARM_MODULES, *extra]


def _become_subreaper() -> None:
    """Adopt orphaned descendants (Linux ``prctl(PR_SET_CHILD_SUBREAPER)``): a kernel forked by
    the warm process becomes this worker's child, so the worker can wait for it."""
    if not sys.platform.startswith("linux"):
        raise WarmUnavailable("warm kernels need Linux")
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
        raise WarmUnavailable(f"prctl failed: {os.strerror(ctypes.get_errno())}")


class WarmProcess:
    """A worker's warm process: started once, asked for kernels, closed with the worker."""

    def __init__(self, modules: list[str], log: Path | None = None):
        _become_subreaper()
        self.folder = tempfile.mkdtemp(prefix="iwm-warm-")  # short: socket paths are limited
        self.address = os.path.join(self.folder, "fork.sock")
        # The environment the kernels will have, as far as it is known now: a module that reads
        # a variable when it is imported (ipykernel reads JPY_PARENT_PID) reads it here.
        env = {
            **os.environ,
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "JPY_PARENT_PID": str(os.getpid()),
        }
        stderr = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "iwm_study.runner.warm_server", self.address, *modules],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                env=env,
                start_new_session=True,  # a Ctrl-C at the terminal is the worker's to handle
            )
        finally:
            if log:
                stderr.close()

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """A new kernel process running ``argv`` (``python -m ipykernel_launcher ...``), a
        child of this worker; its pid."""
        if self.process.poll() is not None:
            raise WarmUnavailable(f"the warm process ended ({self.process.returncode})")
        launcher = argv.index("-m") + 1 if "-m" in argv else -1
        if launcher <= 0 or argv[launcher] != "ipykernel_launcher":
            raise WarmUnavailable(f"not an ipykernel command line: {argv[:3]}")
        request = {"argv": argv[launcher:], "env": env, "cwd": cwd, "parent": os.getpid()}
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        while not os.path.exists(self.address):  # the warm process has not bound it yet
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise WarmUnavailable("the warm process did not start")
            time.sleep(0.01)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(CONNECT_TIMEOUT_S)
            try:
                conn.connect(self.address)
                socket.send_fds(conn, [json.dumps(request).encode()], [1, 2])
                conn.shutdown(socket.SHUT_WR)
                reply = json.loads(_read_all(conn) or b"{}")
            except (OSError, ValueError) as exc:
                raise WarmUnavailable(f"the warm process did not answer: {exc}") from exc
        if "pid" not in reply:
            raise WarmUnavailable(reply.get("error", "the warm process gave no kernel"))
        return int(reply["pid"])

    def close(self) -> None:
        """End the warm process and remove its folder. It holds nothing worth waiting for (the
        kernels it forked are the worker's), and it may still be importing: it is killed."""
        if self.process.stdin:
            self.process.stdin.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def _read_all(conn: socket.socket) -> bytes:
    chunks = []
    while chunk := conn.recv(1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


#: This worker's warm process, started on its first job (or by ``start_worker``).
_WORKER: WarmProcess | None = None
_WORKER_FAILED: str | None = None


def start_worker(modules: list[str], log: str | None = None) -> str | None:
    """Start this worker's warm process if it has none (a pool initializer, a Dask
    ``client.run``, or the first job); return why it cannot be, or None."""
    global _WORKER, _WORKER_FAILED
    if _WORKER is None and _WORKER_FAILED is None:
        try:
            _WORKER = WarmProcess(modules, Path(log) if log else None)
            atexit.register(_WORKER.close)
        except (OSError, WarmUnavailable) as exc:
            _WORKER_FAILED = str(exc)
    return _WORKER_FAILED


def worker_process() -> WarmProcess | None:
    """This worker's warm process, if it was started and still runs."""
    return _WORKER
