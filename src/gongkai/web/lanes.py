"""The threads a server process runs its request handlers in: a quick lane and a slow one.

FastAPI runs a plain (``def``) handler and its plain dependencies in a thread pool, 40
threads by default. Python runs one thread at a time (the GIL), so 40 threads add no
throughput to a process, only contention: under load each request's thread waited for the
GIL behind all the others, and the report page's p99 was about twice its median
(benchmarks/web_latency.py, 20 clients: report page p99 166–227 ms with 40 threads,
103–115 ms with one). So each process runs its handlers in ``WebConfig.threads`` threads
(one by default: requests then queue in arrival order) — the quick lane.

A few requests take long: exports of the whole corpus, re-parsing a document, saving an
upload, the statistics and the corpus-wide checks. In a lane of one thread they would hold
up every quick request behind them; so would a write that waits for the database's write
lock while another process (an ingest) holds it. Such handlers are marked ``@slow_lane``
and run in a lane of their own, which the quick lane never waits for.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from anyio import CapacityLimiter, to_thread
from anyio.lowlevel import RunVar

SLOW_THREADS = 4  # concurrent long requests per server process

R = TypeVar("R")

# per event loop, as anyio keeps its own default limiter (each test client runs its own loop)
_SLOW: RunVar[CapacityLimiter] = RunVar("gongkai_slow_lane")


def set_quick_lane(threads: int) -> None:
    """In the event loop, before the first request: how many plain handlers run at once."""
    to_thread.current_default_thread_limiter().total_tokens = max(1, threads)


def _slow_lane() -> CapacityLimiter:
    try:
        return _SLOW.get()
    except LookupError:
        limiter = CapacityLimiter(SLOW_THREADS)
        _SLOW.set(limiter)
        return limiter


async def run_slow(fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """From an ``async`` handler (one that awaits its form or upload first): run the blocking
    part, its database work, in the slow lane instead of the event loop."""
    return await to_thread.run_sync(functools.partial(fn, *args, **kwargs), limiter=_slow_lane())


def slow_lane(handler: Callable[..., R]) -> Callable[..., Any]:
    """Run a plain handler in the slow lane: put it under the route's decorator. FastAPI reads
    the handler's parameters (its dependencies, which still run in the quick lane: they are
    quick) from the wrapper's signature, given here with the annotations resolved, so that
    nothing depends on the module the wrapper lives in."""
    sig = inspect.signature(handler)
    try:
        hints = typing.get_type_hints(handler)
    except (NameError, TypeError):  # an annotation that cannot be resolved stays as written
        hints = {}
    params = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in sig.parameters.values()]

    @functools.wraps(handler)
    async def run(*args: Any, **kwargs: Any) -> R:
        return await run_slow(handler, *args, **kwargs)

    run.__signature__ = sig.replace(parameters=params, return_annotation=hints.get("return", sig.return_annotation))  # type: ignore[attr-defined]
    return run
