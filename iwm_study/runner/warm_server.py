"""The warm process: a Python that has imported what the notebooks import and forks a fresh
kernel for each job on request (``python -m iwm_study.runner.warm_server ADDRESS MODULE...``).

Started by a worker (``runner.warm``), it listens on a Unix socket at ADDRESS, imports the
modules, then serves one request per connection: a kernel's command line, environment and
working folder, with the worker's stdout and stderr passed along as file descriptors. Each kernel
is forked twice so that it ends as a child of the worker (a child subreaper, Linux), exactly like
a kernel the worker starts itself: the worker waits for it and reads its exit status, and the
kernel's parent poller watches the worker. The warm process itself never runs user code, so
nothing a job does reaches the next job. It ends when the worker closes its standard input
(or dies).

Written by hand because no library forks a pre-imported Jupyter kernel; this module imports only
the standard library before the modules it is asked to warm.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import os
import select
import signal
import socket
import sys
import time
from typing import Any

#: What ``/proc/PID/comm`` (``ps``, psutil's ``name()``) shows for the warm process and a kernel.
WARM_NAME = "iwm-warm"
KERNEL_NAME = "iwm-kernel"
#: The backend a kernel sets before anything imports matplotlib (as ipykernel does at start),
#: so that matplotlib, imported here, reads the same rcParams as in a cold kernel.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: Modules that must be imported inside the kernel, never here: the inline backend hooks itself
#: into the running IPython shell when it is first imported.
KERNEL_ONLY = ("matplotlib_inline.backend_inline",)


def set_process_name(name: str) -> None:
    """Name this process for ``ps`` and psutil (Linux's /proc/PID/comm; elsewhere nothing)."""
    with (
        contextlib.suppress(OSError),
        open(f"/proc/{os.getpid()}/comm", "w", encoding="ascii") as handle,
    ):
        handle.write(name[:15])


def warm_up(modules: list[str]) -> list[str]:
    """Import ``modules``; return those that failed (each as 'name: error'), never raise."""
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except BaseException as exc:  # a module that cannot be imported here is imported later
            failed.append(f"{name}: {type(exc).__name__}: {exc}")
    for name in KERNEL_ONLY:
        sys.modules.pop(name, None)
    import gc

    # Objects made so far are never collected in a kernel: keep the collector from touching
    # (and so copying) their memory pages in every fork.
    gc.collect()
    gc.freeze()
    return failed


def _receive(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """One request: JSON, with the kernel's stdout and stderr as passed file descriptors."""
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, 2)
    chunks = [data]
    while chunk := conn.recv(1 << 16):
        chunks.append(chunk)
    return json.loads(b"".join(chunks)), fds


def _become_kernel(request: dict[str, Any], fds: list[int]) -> None:
    """In the forked child: take the kernel's streams, folder, environment and arguments, wait
    to be adopted by the worker, then run ipykernel as ``python -m ipykernel_launcher`` would."""
    os.setsid()  # its own process group, as jupyter_client starts kernels: interrupts reach all
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(fds[0], 1)
    os.dup2(fds[1], 2)
    for fd in (null, *fds):
        if fd > 2:
            os.close(fd)
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # as Python sets it at start
    signal.signal(signal.SIGINT, signal.default_int_handler)
    set_process_name(KERNEL_NAME)
    deadline = time.monotonic() + 10
    while os.getppid() != request["parent"] and time.monotonic() < deadline:
        time.sleep(0.001)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    # `python -m` puts the working folder first on sys.path; the launcher takes it out and
    # IPython puts '' back.
    sys.path[0] = os.getcwd()
    import runpy

    sys.argv = ["-m", *request["argv"]]
    code: Any = 0
    try:
        runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        with contextlib.suppress(BaseException):
            atexit._run_exitfuncs()
        with contextlib.suppress(BaseException):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code if isinstance(code, int) else (0 if code is None else 1))


def _fork_kernel(conn: socket.socket, listener: socket.socket) -> int:
    """Fork a kernel for the request on ``conn``; return its pid once the worker has adopted it."""
    request, fds = _receive(conn)
    if len(fds) != 2:
        raise ValueError("a request passes the kernel's stdout and stderr")
    read_end, write_end = os.pipe()
    middle = os.fork()
    if middle == 0:  # the middle process: fork the kernel and leave, so the worker adopts it
        try:
            os.close(read_end)
            listener.close()
            conn.close()
            kernel = os.fork()
            if kernel == 0:
                os.close(write_end)
                _become_kernel(request, fds)
            os.write(write_end, str(kernel).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    for fd in fds:
        os.close(fd)
    with os.fdopen(read_end, "rb") as pipe:
        pid = int(pipe.read() or b"0")
    os.waitpid(middle, 0)
    if pid <= 0:
        raise RuntimeError("the kernel could not be forked")
    return pid


def serve(address: str, modules: list[str]) -> None:
    """Listen at ``address``, warm up, then fork kernels until standard input closes."""
    set_process_name(WARM_NAME)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the worker's to handle
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(16)  # requests wait in the backlog until the imports are done
    for problem in warm_up(modules):
        print(f"iwm warm process: not imported: {problem}", file=sys.stderr, flush=True)
    try:
        while True:
            ready, _, _ = select.select([listener, sys.stdin], [], [])
            if sys.stdin in ready and not os.read(sys.stdin.fileno(), 1024):
                break
            if listener in ready:
                conn, _ = listener.accept()
                with conn:
                    try:
                        reply = {"pid": _fork_kernel(conn, listener)}
                    except Exception as exc:
                        reply = {"error": f"{type(exc).__name__}: {exc}"}
                    with contextlib.suppress(OSError):
                        conn.sendall(json.dumps(reply).encode())
    finally:
        # The kernels are the worker's children now: each one's parent poller ends it when the
        # worker is gone, as for a kernel the worker started.
        listener.close()
        with contextlib.suppress(OSError):
            os.unlink(address)
        with contextlib.suppress(OSError):  # its private folder, when the worker was killed
            os.rmdir(os.path.dirname(address))


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2:])
