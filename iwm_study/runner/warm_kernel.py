"""The kernel side of warm kernels (``runner.warm``): Jupyter's extension point for starting
a kernel, a provisioner, and the kernel manager that names it, with a client that does not wait
longer than the kernel needs.

``WarmProvisioner`` is jupyter_client's ``LocalProvisioner`` except for the launch: the kernel is
forked by this worker's warm process and adopted by the worker, and ``ForkedKernel`` gives it the
``Popen`` face the base class drives (poll, wait, signals). Imported only in workers: it imports
jupyter_client.
"""

from __future__ import annotations

import asyncio
import functools
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


#: The reconnection interval of the client's and the manager's sockets, first and longest (ms):
#: both connect as soon as the kernel is forked, a few tens of milliseconds before the kernel
#: has bound its ports, and ZeroMQ's default retries only after 100 ms (the first request, and
#: a shutdown sent on the manager's control socket right after a short job, waited for it);
#: this retries after 5 ms, then backs off.
RECONNECT_IVL_MS = (5, 100)


def _reconnecting_soon(context: Any) -> Any:
    """``context`` (a ZeroMQ context), whose new sockets retry a refused connection soon."""
    import zmq

    context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_IVL_MS[0])
    context.setsockopt(zmq.RECONNECT_IVL_MAX, RECONNECT_IVL_MS[1])
    return context


@functools.cache
def kernel_client_class() -> type:
    """jupyter_client's async kernel client, changed in two waits that cost a warm job more
    than its kernel's start: its sockets reconnect sooner (``RECONNECT_IVL_MS``), and once the
    kernel has answered on the shell and IOPub channels, the messages IOPub already holds are
    dropped without waiting 0.2 s for more. nbclient reads only the messages that answer its own
    requests, so the start-up messages it would have dropped change nothing."""
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    async def message(channel: Any, timeout: float) -> dict[str, Any] | None:
        try:
            return await channel.get_msg(timeout=timeout)
        except Empty:
            return None

    class WarmKernelClient(AsyncKernelClient):
        def _context_default(self) -> Any:
            return _reconnecting_soon(super()._context_default())

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                reply = await message(self.shell_channel, 1)
                # IOPub is connected once it delivers something (the kernel's status or
                # welcome); until then, ask again.
                if (
                    reply is not None
                    and reply["msg_type"] == "kernel_info_reply"
                    and await message(self.iopub_channel, 0.2) is not None
                ):
                    self._handle_kernel_info_reply(reply)
                    break
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
            while await message(self.iopub_channel, 0) is not None:
                pass

    return WarmKernelClient


@functools.cache
def kernel_manager_class() -> type:
    """The kernel manager papermill hands nbclient for a warm job: jupyter_client's own, with
    the provisioner named in a copy of the kernel spec's metadata (kernels of another
    interpreter keep theirs), the client above, a control socket that reconnects as soon, and
    a shutdown that checks every 10 ms, not every 100 ms, whether the kernel has ended."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    client_class = kernel_client_class()

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

        @default("client_factory")
        def _client_factory_default(self) -> type:
            return client_class

        @default("context")
        def _context_default(self) -> Any:
            return _reconnecting_soon(super()._context_default())

        async def _async_finish_shutdown(
            self, waittime: float | None = None, pollinterval: float = 0.01, restart: bool = False
        ) -> None:
            await super()._async_finish_shutdown(waittime, pollinterval, restart)

    return WarmKernelManager


def _warm(spec: Any) -> bool:
    provisioner = (spec.metadata or {}).get("kernel_provisioner") or {}
    return provisioner.get("provisioner_name") == PROVISIONER
