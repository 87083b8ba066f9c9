"""Where parsing runs: in this process, in a local process pool, or on a Dask cluster.

An engine turns a stream of inputs (paths or URLs) into a stream of outcomes, unordered,
with a bounded number in flight so memory stays flat however long the stream is. Workers
only parse; the caller writes (to the database, or to Parquet parts).

Why Dask and not Ray: ``dask[distributed]`` is pure-Python wheels (a few MB) that install
anywhere pip does, its ``LocalCluster`` starts in-process for tests, and a scheduler plus
workers is ``dask scheduler`` / ``dask worker tcp://…`` on any machine with gongkai
installed. Ray brings a large native runtime, its own object store and a dashboard we do
not need for an embarrassingly parallel map over files.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import Any

from ..domain import extras
from ..settings import DEFAULT, Settings
from .work import Failed, Outcome, process

MAX_CRASHES = 2  # an input in flight during this many worker crashes is recorded as failed


def _ignore_sigint() -> None:
    """Workers leave Ctrl-C to the parent, which writes what is parsed and stops them.

    And they freeze their start-up heap (the parser's modules, the gazetteer): the
    collector's full passes then skip it (see docs/architecture.md, Speed)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()


# What every worker imports: loaded once in the fork server instead of once per worker.
PRELOAD = ["gongkai.store.work", "gongkai.api", "gongkai.corpus.crosscheck", "gongkai.corpus.bodies"]


def _worker_context() -> Any:
    """forkserver where there is one, else spawn; never fork: the parent holds database
    connections and threads, which a forked child may not inherit safely. The fork server
    is a fresh process that imports the parser once; workers fork from it ready to parse
    (spawned workers each spent ~1 s of CPU importing it)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def process_many(sources: list[str], settings: Settings = DEFAULT) -> list[Outcome]:
    return [process(s, settings) for s in sources]


class Engine:
    """Parses inputs somewhere; yields outcomes as they complete."""

    def imap(self, items: Iterable[str]) -> Iterator[Outcome]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Inline(Engine):
    """No pool: parse in this process (``jobs=1``; also what tests and debugging want)."""

    def __init__(self, settings: Settings = DEFAULT) -> None:
        self.settings = settings

    def imap(self, items: Iterable[str]) -> Iterator[Outcome]:
        for s in items:
            yield process(s, self.settings)


class Local(Engine):
    """A process pool on this machine, one worker per core by default."""

    def __init__(self, jobs: int | None = None, settings: Settings = DEFAULT, chunk: int = 32) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self.settings = settings
        self.chunk = chunk
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=_worker_context(), initializer=_ignore_sigint)

    def imap(self, items: Iterable[str]) -> Iterator[Outcome]:
        # Chunks of inputs per task: one future per file costs the parent more than a
        # small report takes to parse, and 32 cost it a third less than 8 did.
        it = iter(items)
        chunks = iter(lambda: list(islice(it, self.chunk)), [])
        limit = self.jobs * 3  # one parsing, one queued, one result on its way, per worker
        in_flight: dict[Future[list[Outcome]], list[str]] = {}
        crashes: dict[str, int] = {}
        retry: list[list[str]] = []
        while True:
            while len(in_flight) < limit:
                chunk = retry.pop() if retry else next(chunks, None)
                if chunk is None:
                    break
                in_flight[self.pool.submit(process_many, chunk, self.settings)] = chunk
            if not in_flight:
                return
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                chunk = in_flight.pop(fut)
                try:
                    yield from fut.result()
                except BrokenProcessPool:
                    broken = True
                    retry.append(chunk)
            if broken:
                # A worker died (out of memory, a crash in a native library). Every input
                # in flight is suspect: retry each alone, and give up on one that keeps crashing.
                suspects = [src for c in [*retry, *in_flight.values()] for src in c]
                retry = []
                in_flight.clear()
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool()
                for src in dict.fromkeys(suspects):
                    crashes[src] = crashes.get(src, 0) + 1
                    if crashes[src] >= MAX_CRASHES:
                        yield Failed(src, "worker_crash", "解析进程异常退出（可能内存不足或文件损坏），已跳过此文件")
                    else:
                        retry.append([src])

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class Dask(Engine):
    """Tasks on a Dask distributed cluster (``address``), or a LocalCluster when none is given."""

    def __init__(
        self, address: str | None = None, jobs: int | None = None, settings: Settings = DEFAULT, chunk: int = 16
    ) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as e:  # pragma: no cover - the dask extra is optional
            raise extras.missing("dask") from e
        self.settings = settings
        self.chunk = chunk
        self.cluster = None
        if address is None:
            self.cluster = LocalCluster(n_workers=jobs or os.cpu_count() or 1, threads_per_worker=1, dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.client = Client(address)
        self.width = max(1, sum(self.client.nthreads().values()))

    def map_chunks(self, func: Callable[..., Any], items: Iterable[str], *args: Any) -> Iterator[Any]:
        """Run ``func(chunk, *args)`` over chunks of inputs, a bounded number at a time."""
        from distributed import as_completed

        it = iter(items)
        chunks = iter(lambda: list(islice(it, self.chunk)), [])
        ac = as_completed()
        chunk_of: dict[Any, list[str]] = {}

        def submit(c: list[str]) -> None:
            fut = self.client.submit(func, c, *args, pure=False)
            chunk_of[fut] = c
            ac.add(fut)

        for c in islice(chunks, self.width * 4):
            submit(c)
        for fut in ac:
            chunk = chunk_of.pop(fut)
            try:
                result = fut.result()
            except Exception as e:  # the task died on every worker it was tried on (KilledWorker)
                result = [Failed(s, "worker_crash", f"集群任务失败（{type(e).__name__}: {e}）") for s in chunk]
            finally:
                fut.release()
            nxt = next(chunks, None)
            if nxt is not None:
                submit(nxt)
            yield result

    def imap(self, items: Iterable[str]) -> Iterator[Outcome]:
        for outcomes in self.map_chunks(process_many, items, self.settings):
            yield from outcomes

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def make_engine(
    engine: str = "local", jobs: int | None = None, address: str | None = None, settings: Settings = DEFAULT
) -> Engine:
    if engine == "dask":
        return Dask(address, jobs, settings)
    if engine != "local":
        raise ValueError(f"未知的执行引擎：{engine}（可选 local、dask）")
    if jobs == 1:
        return Inline(settings)
    return Local(jobs, settings)
