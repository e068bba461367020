"""The kernel side of warm kernels (``runner.warm``): Jupyter's extension point for starting
a kernel, a provisioner, and the kernel manager that names it.

``WarmProvisioner`` is jupyter_client's ``LocalProvisioner`` except for the launch: the kernel is
forked by this worker's warm process and adopted by the worker, and ``ForkedKernel`` gives it the
``Popen`` face the base class drives (poll, wait, signals). Imported only in workers: it imports
jupyter_client.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

from .warm import WarmUnavailable, worker_process

#: The provisioner's name in the entry point group (pyproject.toml).
PROVISIONER = "iwm-warm-provisioner"


class ForkedKernel:
    """The ``subprocess.Popen`` face of a forked kernel that the provisioner's base class uses
    (the worker adopted it, so it can wait for it and read its exit status)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                done, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # already waited for elsewhere: it has ended
                self.returncode = -1
            else:
                if done:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.01)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        import signal

        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        import signal

        self.send_signal(signal.SIGKILL)


class WarmProvisioner(LocalProvisioner):
    """``LocalProvisioner`` whose kernel is forked by this worker's warm process; the plain
    launch when it cannot be."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        warm = worker_process()
        env = dict(kwargs.get("env") or os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            if warm is None:
                raise WarmUnavailable("no warm process in this worker")
            pid = await asyncio.to_thread(warm.fork, cmd, env, cwd)
        except WarmUnavailable as exc:
            self.log.warning("kernel started the plain way: %s", exc)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedKernel(pid)
        self.pid = self.pgid = pid
        self.cwd = cwd
        return self.connection_info


def _is_this_python(spec: Any) -> bool:
    """Whether the kernel spec starts ipykernel with this interpreter (what the warm process
    is): 'python' or 'python3' found first on PATH, or this very executable."""
    argv = list(getattr(spec, "argv", None) or [])
    if len(argv) < 3 or argv[1:3] != ["-m", "ipykernel_launcher"]:
        return False
    found = shutil.which(argv[0]) if not os.path.isabs(argv[0]) else argv[0]
    if not found:
        return False
    # The same environment (a venv's python is a link to the base one: compare the folder).
    here = Path(sys.executable).absolute()
    return Path(found).absolute().parent == here.parent and os.path.samefile(found, here)


def kernel_manager_class() -> type:
    """The kernel manager papermill hands nbclient for a warm job: jupyter_client's own, with
    the provisioner named in a copy of the kernel spec's metadata (kernels of another
    interpreter keep theirs)."""
    from jupyter_client.manager import AsyncKernelManager

    class WarmKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self) -> Any:
            spec = super().kernel_spec
            if spec is not None and _is_this_python(spec) and not _warm(spec):
                spec = type(spec)(**{**spec.to_dict(), "resource_dir": spec.resource_dir})
                spec.metadata = {
                    **spec.metadata,
                    "kernel_provisioner": {"provisioner_name": PROVISIONER, "config": {}},
                }
                self._kernel_spec = spec
            return spec

    return WarmKernelManager


def _warm(spec: Any) -> bool:
    provisioner = (spec.metadata or {}).get("kernel_provisioner") or {}
    return provisioner.get("provisioner_name") == PROVISIONER
