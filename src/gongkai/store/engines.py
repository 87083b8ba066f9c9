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

import os
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from ..domain import extras
from ..errors import GongkaiError
from ..guard.names import shown, stored
from ..guard.worker import Job, Pool, shared_pool
from ..settings import DEFAULT, Settings
from .work import Failed, Outcome, process

# What every worker imports before its first document.
PRELOAD = ("gongkai.store.work", "gongkai.api", "gongkai.corpus.crosscheck", "gongkai.corpus.bodies")


def _jobs(sources: Iterable[str], settings: Settings) -> Iterator[Job]:
    for s in sources:
        yield Job(s, "gongkai.store.work", "process", (s, settings), shown(s))


def _outcome(source: str, value: Outcome | GongkaiError) -> Outcome:
    if isinstance(value, GongkaiError):  # the document's bound (guard), or its child's death
        return Failed(stored(source), value.code, value.message)
    return value


def process_many(sources: list[str], settings: Settings = DEFAULT) -> list[Outcome]:
    """A chunk of inputs, each under the document budget (one bounded child of this
    process: a Dask worker's); in this process when ``settings.max_seconds`` is 0."""
    if settings.max_seconds == 0:
        return [process(s, settings) for s in sources]
    pool = shared_pool(settings, PRELOAD)
    return [_outcome(src, v) for src, v in pool.imap(_jobs(sources, settings))]


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
    """No worker at all: parse in this process, unbounded (``settings.max_seconds`` 0;
    debugging)."""

    def __init__(self, settings: Settings = DEFAULT) -> None:
        self.settings = settings

    def imap(self, items: Iterable[str]) -> Iterator[Outcome]:
        for s in items:
            yield process(s, self.settings)


class Local(Engine):
    """Bounded worker processes on this machine (``gongkai.guard``), one per core by
    default: each document under ``settings.max_seconds`` and ``max_memory_bytes``; one
    that breaks a bound, hangs or crashes its worker is recorded as failed and the others
    go on (a fresh worker takes the ones it held)."""

    def __init__(self, jobs: int | None = None, settings: Settings = DEFAULT, depth: int = 4) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self.settings = settings
        # a few documents sent ahead per worker: one future per file cost the parent more
        # than a small report takes to parse; a message on a socket costs it far less
        self.pool = Pool(self.jobs, settings, PRELOAD, depth)

    def imap(self, items: Iterable[str]) -> Iterator[Outcome]:
        for src, value in self.pool.imap(_jobs(items, self.settings)):
            yield _outcome(src, value)

    def close(self) -> None:
        self.pool.close()


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
    if settings.max_seconds == 0:
        return Inline(settings)
    return Local(jobs, settings)
