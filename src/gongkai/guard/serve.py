"""The child side of a bounded worker (``python -m gongkai.guard.serve FD MEMORY MODULES…``).

It imports the given modules once (and calls their ``warm_up()`` where they have one), says it is ready, then runs one job at a time from the
socket ``FD``: ``(job_id, module, function, args, seconds)``. The parent watches its
resident memory against ``MEMORY`` bytes; as a hard stop for a sudden explosion, before
each job it caps its own address space at what it uses now plus ``AS_FACTOR`` times
``MEMORY`` (``RLIMIT_AS``: address space, not memory, so with room — OCR's runtime reserves
~1.4 GB of address space for ~0.6 GB resident), so a document that needs more ends as a
``MemoryError`` (or, in native code, as the child's death, which the parent reports). The parent's watchdog kills the child's process group at
the time bound; a thread here does the same a little later, should the parent be gone.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import os
import signal
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any

from ..errors import GongkaiError
from . import limits
from .limits import resident

try:
    import resource
except ImportError:  # pragma: no cover - not on Windows
    resource = None  # type: ignore[assignment]

GRACE_S = 5.0  # the child's own watchdog fires this long after the parent's should have
RETIRE_GROWTH = 512 * 1024 * 1024  # a child whose address space grew this much is replaced
AS_FACTOR = 2


def address_space() -> int:
    """This process's virtual size in bytes (Linux), 0 where unknown."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _set_soft_as(limit: int) -> None:
    if resource is None:
        return
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY and limit > hard:
            limit = hard
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def _unlimited() -> None:
    if resource is not None:
        _set_soft_as(resource.RLIM_INFINITY)


def _die_with_parent() -> None:
    """Linux: the kernel kills this child when the parent dies (SIGKILL of an ingest)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _watchdog() -> None:
    """Kill this process group (LibreOffice included) once a job outlives its bound by
    ``GRACE_S``: the parent's watchdog should have done it already, unless the parent is gone."""
    while True:
        time.sleep(0.5)
        d = limits.deadline
        if d is not None and time.monotonic() > d + GRACE_S:
            os.killpg(0, signal.SIGKILL)


def _error(e: GongkaiError) -> tuple[str, str, str, str | None]:
    cls = type(e)
    return (cls.__module__, cls.__qualname__, e.message, e.path)


def run_job(module: str, func: str, args: tuple[Any, ...], seconds: float, memory: int, extra: float = 0.0) -> tuple[str, Any]:
    limits.deadline = time.monotonic() + seconds
    granted = [0.0]

    def ask(more: float) -> float:
        """The parent is told; it grants the same arithmetic (``extra`` in all)."""
        more = max(0.0, min(more, extra - granted[0]))
        granted[0] += more
        if more:
            conn_ask(more)
        return more

    limits._ask = ask
    if memory > 0:
        base = address_space()
        if base:
            _set_soft_as(base + AS_FACTOR * memory)
    try:
        return "ok", getattr(importlib.import_module(module), func)(*args)
    except GongkaiError as e:
        return "error", _error(e)
    except MemoryError:
        return "memory", None
    except RecursionError:
        return "recursion", None
    except Exception as e:  # a bug: the parent reports it as an internal error
        return "internal", f"{type(e).__name__}: {e}"
    finally:
        _unlimited()
        limits.deadline = None
        limits._ask = None


def conn_ask(seconds: float) -> None:
    _conn.send(("extend", seconds))


_conn: Any = None


def main(argv: list[str]) -> None:
    fd, memory, modules = int(argv[1]), int(argv[2]), argv[3:]
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with_parent()
    global _conn
    conn = _conn = Connection(fd)
    for m in modules:
        warm_up = getattr(importlib.import_module(m), "warm_up", None)
        if warm_up is not None:  # tables built on first use: not on the first document's time
            warm_up()
    gc.freeze()  # the start-up heap: the collector's full passes skip it
    threading.Thread(target=_watchdog, daemon=True).start()
    start = address_space()
    conn.send(("ready", resident()))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        job_id, module, func, args, seconds, extra = msg
        status, value = run_job(module, func, args, seconds, memory, extra)
        retire = bool(start) and address_space() - start > RETIRE_GROWTH
        try:
            conn.send((job_id, status, value, retire))
        except (EOFError, OSError):
            return
        except Exception as e:  # a result that does not pickle is a bug, reported as one
            conn.send((job_id, "internal", f"{type(e).__name__}: {e}", retire))
        if retire:
            return


if __name__ == "__main__":
    main(sys.argv)
