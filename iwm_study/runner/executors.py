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
from contextlib import contextmanager
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


@contextmanager
def open_executor(kind: str, workers: int, scheduler: str | None = None) -> Iterator[Running]:
    """Start the executor ``kind`` ('local' or 'dask') with ``workers`` workers.

    For Dask, ``scheduler`` is the address of an existing cluster; without it a ``LocalCluster``
    of ``workers`` single-threaded worker processes is started and stopped here. Workers must
    see the project folder at the same path (same machine or shared file system); results come
    back to this process, which writes them into ``outputs/``.
    """
    if kind == "local":
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn")
        )
        try:
            yield Running(pool, f"process pool of {workers}")
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
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
            yield Running(client.get_executor(pure=False), description)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
