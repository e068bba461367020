"""Where jobs run: a local process pool, or a Dask cluster. Both look like a
``concurrent.futures.Executor`` to the runner, so caching, the manifest and failure handling
are one code path.

We do not write a scheduler: the local executor is the standard library's process pool, the
distributed one is Dask's own ``ClientExecutor``.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

EXECUTORS = ("local", "dask")
#: A job whose worker dies is tried once more; a second death reports it failed.
DASK_ALLOWED_FAILURES = 1


class ExecutorUnavailable(RuntimeError):
    """The executor asked for cannot be started (Dask not installed, scheduler unreachable)."""


@dataclass
class Running:
    """An open executor and how to stop it quickly on Ctrl-C."""

    executor: Executor
    description: str

    def abort(self) -> None:
        """Stop what is running now: worker processes end, and their kernels with them."""
        if isinstance(self.executor, ProcessPoolExecutor):
            for proc in list(getattr(self.executor, "_processes", {}).values()):
                proc.terminate()


def _start_warm(modules: list[str]) -> None:
    """In a worker: start its warm process, then make its report exporters, each while the
    pre-flight runs (imported here, so the runner's own process does not import what the
    worker needs)."""
    from .render import warm_renderer
    from .warm import start_worker

    start_worker(modules)
    warm_renderer()


def _close_pool(pool: ProcessPoolExecutor) -> None:
    """Stop the pool now: pending jobs cancelled, workers ended (a worker may still be importing
    in its initializer, which a plain shutdown would wait for), and the pool's manager thread
    waited for. Left running, that thread can close its pipe just as Python 3.11 wakes it at
    exit, which prints an "Exception ignored ... Bad file descriptor" traceback under a run's
    clean message."""
    manager = getattr(pool, "_executor_manager_thread", None)
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    if manager is not None:
        manager.join(timeout=30)


@contextmanager
def open_executor(
    kind: str, workers: int, scheduler: str | None = None, warm_modules: list[str] | None = None
) -> Iterator[Running]:
    """Start the executor ``kind`` ('local' or 'dask') with ``workers`` workers.

    For Dask, ``scheduler`` is the address of an existing cluster; without it a ``LocalCluster``
    of ``workers`` single-threaded worker processes is started and stopped here. Workers must
    see the project folder at the same path (same machine or shared file system); results come
    back to this process, which writes them into ``outputs/``. With ``warm_modules`` each worker
    starts its warm process (``runner.warm``) as soon as it starts, so that it imports them
    while the first jobs are handed out.
    """
    if kind == "local":
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=None if warm_modules is None else _start_warm,
            initargs=() if warm_modules is None else (warm_modules,),
        )
        try:
            yield Running(pool, f"process pool of {workers}")
        finally:
            _close_pool(pool)
        return
    if kind != "dask":
        raise ExecutorUnavailable(f"unknown executor '{kind}': use one of {', '.join(EXECUTORS)}")
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ExecutorUnavailable(
            "the Dask executor needs the 'distributed' extra: pip install 'iwm-study[distributed]'"
        ) from exc
    with dask.config.set({"distributed.scheduler.allowed-failures": DASK_ALLOWED_FAILURES}):
        cluster = None
        try:
            if scheduler:
                client = Client(scheduler, timeout="10s")
                description = f"Dask cluster at {scheduler}"
            else:
                cluster = LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
                client = Client(cluster)
                description = f"Dask LocalCluster of {workers}"
        except OSError as exc:
            if cluster is not None:
                cluster.close()
            raise ExecutorUnavailable(
                f"cannot reach the Dask scheduler {scheduler}: {exc}"
            ) from exc
        try:
            if warm_modules is not None:
                client.run(_start_warm, warm_modules)
            yield Running(client.get_executor(pure=False), description)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


class Workers:
    """The run's executor, opened once: as soon as the run knows it will have work (while the
    pre-flight reads the data, ``start``), or when the first jobs are handed out (``open``).

    Opening early lets the workers and their warm processes import what the notebooks need
    while the pre-flight still checks the data; a run with nothing to do never opens it.
    """

    def __init__(self, kind: str, scheduler: str | None = None):
        self.kind, self.scheduler = kind, scheduler
        self.running: Running | None = None
        self.failure: ExecutorUnavailable | None = None
        self._stack = ExitStack()

    def start(self, workers: int, warm_modules: list[str] | None) -> None:
        """Open the executor now and start its workers; a failure is kept for ``open``."""
        if self.running is not None or self.failure is not None:
            return
        try:
            self.running = self._stack.enter_context(
                open_executor(self.kind, workers, self.scheduler, warm_modules)
            )
        except ExecutorUnavailable as exc:
            self.failure = exc
            return
        if isinstance(self.running.executor, ProcessPoolExecutor):
            # The pool starts a worker for each task it cannot hand to an idle one.
            for _ in range(workers):
                self.running.executor.submit(int)

    def open(self, workers: int, warm_modules: list[str] | None) -> Running:
        """The executor, opened now unless it was already; raises ``ExecutorUnavailable``."""
        self.start(workers, warm_modules)
        if self.failure is not None:
            raise self.failure
        assert self.running is not None
        return self.running

    def close(self) -> None:
        self._stack.close()
        self.running = None
