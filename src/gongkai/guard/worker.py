"""Bounded workers: a job runs in a child process (``serve``) under the document budget.

``Pool.imap`` runs many jobs on a few reusable children, ``run`` one job on a shared child.
A job is ``(module, function, args)``; its answer is the function's value or the
``GongkaiError`` it raised. The parent is the watchdog: a child busy with one job past
``settings.max_seconds`` is killed with its whole process group (LibreOffice included) and
the job ends as ``Timeout``; a child whose resident memory passes its idle size plus
``settings.max_memory_bytes`` (polled every ``POLL_S``) is killed likewise and the job ends
as ``OutOfMemory``; so does a child that dies during a job (its address-space cap hit in
native code, a crash), and a ``MemoryError`` in Python.
The other jobs sent to that child go to a fresh one. Nothing a document does can stall
the batch longer than its own bound.
"""

from __future__ import annotations

import atexit
import itertools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from .. import errors
from ..errors import GongkaiError, OutOfMemory, Timeout
from ..settings import DEFAULT, Settings
from .limits import resident

# What a child imports before its first job (the parse path); more can be asked for.
PRELOAD = ("gongkai.api",)
POLL_S = 0.2  # how often a busy child's resident memory is read
START_TIMEOUT_S = 120.0  # a child that is not ready in this long is broken (a bare import takes ~1 s)
_SRC = str(Path(__file__).resolve().parents[2])  # the directory holding the gongkai package


def mb(n: int) -> str:
    return f"{n / 1048576:g} MB"


def timeout_error(settings: Settings, path: str | None, extra: float = 0.0) -> Timeout:
    ocr = f"（含文字识别追加的 {extra:g} 秒）" if extra else ""
    return Timeout(
        f"处理超过时间上限 {settings.max_seconds + extra:g} 秒{ocr}，已终止（文件可能是恶意构造或过于复杂；可用 --max-seconds 调整上限）",
        path,
    )


def memory_error(settings: Settings, path: str | None, detail: str = "") -> OutOfMemory:
    return OutOfMemory(
        f"处理所需内存超过上限 {mb(settings.max_memory_bytes)}{detail}，已停止（文件可能是恶意构造或过于复杂；可用 --max-memory 调整上限）",
        path,
    )


def _rebuild(module: str, qualname: str, message: str, path: str | None) -> GongkaiError:
    cls: Any = getattr(sys.modules.get(module), qualname, None)
    if not (isinstance(cls, type) and issubclass(cls, GongkaiError)):
        cls = getattr(errors, qualname, GongkaiError)
    e = cls.__new__(cls)
    GongkaiError.__init__(e, message, path)
    return e


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_SRC, env.get("PYTHONPATH", "")) if p)
    env.setdefault("MALLOC_ARENA_MAX", "2")  # fewer malloc arenas: less address space per thread
    return env


@dataclass(slots=True)
class Job:
    token: Any  # the caller's, handed back with the answer
    module: str
    func: str
    args: tuple[Any, ...]
    path: str | None  # named in a timeout or memory error
    id: int = 0


@dataclass(slots=True)
class Child:
    proc: subprocess.Popen  # type: ignore[type-arg]
    conn: Connection
    queue: deque[Job] = field(default_factory=deque)  # sent, not yet answered; the head is running
    ready: bool = False
    idle_rss: int = 0  # resident memory when it said it was ready
    since: float = 0.0
    extra: float = 0.0  # time granted to the head job beyond max_seconds (OCR pages)  # when the head job started (or the child was started, until ready)

    def kill(self) -> None:
        for kill in (lambda: os.killpg(self.proc.pid, signal.SIGKILL), self.proc.kill):
            try:
                kill()
                break
            except (ProcessLookupError, PermissionError, OSError):
                continue
        self.conn.close()
        self.proc.wait()

    def close(self) -> None:
        """Stop the child: at once if it is still starting or idle past a moment."""
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        try:
            self.proc.wait(timeout=1 if self.ready and not self.queue else 0.01)
        except subprocess.TimeoutExpired:
            self.kill()
        self.conn.close()


def start_child(settings: Settings, preload: tuple[str, ...]) -> Child:
    ours, theirs = socket.socketpair()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gongkai.guard.serve", str(theirs.fileno()), str(settings.max_memory_bytes), *preload],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # a library's print must not reach our output
            env=_env(),
            process_group=0,  # the watchdog kills the group: the child and what it started
        )
    finally:
        theirs.close()
    return Child(proc, Connection(ours.detach()), since=time.monotonic())


class Pool:
    """``size`` reusable children, each with up to ``depth`` jobs sent ahead (so a child
    never waits for the parent between two small documents)."""

    def __init__(self, size: int = 1, settings: Settings = DEFAULT, preload: tuple[str, ...] = PRELOAD, depth: int = 2) -> None:
        self.size = max(1, size)
        self.settings = settings
        self.preload = preload
        self.depth = max(1, depth)
        self.children: list[Child] = []
        self.ids = itertools.count()
        self.started = 0  # children started, for tests and the summary

    def _new(self) -> Child:
        self.started += 1
        return start_child(self.settings, self.preload)

    def close(self) -> None:
        for c in self.children:
            c.close()
        self.children = []

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def imap(self, jobs: Iterable[Job]) -> Iterator[tuple[Any, Any]]:
        """(token, value or GongkaiError) per job, in the order they finish."""
        pending = iter(jobs)
        retry: deque[Job] = deque()
        seconds = self.settings.max_seconds
        memory = self.settings.max_memory_bytes
        exhausted = False
        while True:
            # start children for the work there is (a killed one is replaced only if needed)
            while len(self.children) < self.size and (retry or not exhausted):
                if not retry:
                    job = next(pending, None)
                    if job is None:
                        exhausted = True
                        break
                    retry.append(job)
                self.children.append(self._new())
            # send work
            for c in list(self.children):
                while len(c.queue) < self.depth:
                    job = retry.popleft() if retry else (None if exhausted else next(pending, None))
                    if job is None:
                        exhausted = True
                        break
                    job.id = next(self.ids)
                    if not c.queue and c.ready:
                        c.since, c.extra = time.monotonic(), 0.0
                    c.queue.append(job)
                    try:
                        c.conn.send((job.id, job.module, job.func, job.args, seconds, self.settings.max_ocr_seconds))
                    except OSError:  # the child died while idle (a reused pool's): its jobs go to a fresh one
                        if not c.ready:
                            raise GongkaiError("解析进程无法启动") from None
                        self._replace(c, retry)
                        break
            busy = [c for c in self.children if c.queue]
            if not busy:
                if retry:  # a child found dead when sent work: its jobs go to a fresh one
                    continue
                return
            now = time.monotonic()
            due = min(c.since + (seconds + c.extra if c.ready else START_TIMEOUT_S) for c in busy)
            if memory:
                due = min(due, now + POLL_S)
            for conn in wait([c.conn for c in busy], timeout=max(0.0, due - now)):
                c = next(c for c in busy if c.conn is conn)
                try:
                    msg = c.conn.recv()
                except (EOFError, OSError):
                    yield from self._died(c, retry)
                    continue
                if msg[0] == "ready":
                    c.ready, c.idle_rss, c.since = True, msg[1], time.monotonic()
                    continue
                if msg[0] == "extend":  # (the child grants itself no more than this cap either)
                    c.extra = min(self.settings.max_ocr_seconds, c.extra + msg[1])
                    continue
                job_id, status, value, retire = msg
                job = c.queue.popleft()
                assert job.id == job_id
                c.since, c.extra = time.monotonic(), 0.0
                yield job.token, self._answer(job, status, value)
                if retire:
                    self._replace(c, retry)
            now = time.monotonic()
            for c in [c for c in self.children if c.queue]:
                if not c.ready and now - c.since > START_TIMEOUT_S:
                    raise GongkaiError(f"解析进程在 {START_TIMEOUT_S:g} 秒内未能启动")
                if c.ready and now - c.since > seconds + c.extra:
                    job, extra = c.queue.popleft(), c.extra
                    self._replace(c, retry)
                    yield job.token, timeout_error(self.settings, job.path, extra)
                elif c.ready and memory and resident(c.proc.pid) > c.idle_rss + memory:
                    job = c.queue.popleft()
                    self._replace(c, retry)
                    yield job.token, memory_error(self.settings, job.path)

    def _answer(self, job: Job, status: str, value: Any) -> Any:
        if status == "ok":
            return value
        if status == "error":
            return _rebuild(*value)
        if status == "memory":
            return memory_error(self.settings, job.path)
        if status == "recursion":
            return GongkaiError("文档结构嵌套过深（可能是恶意构造的循环或递归），已拒绝读取", job.path)
        return GongkaiError(f"内部错误（{value}），请把此文件报告给 gongkai 开发者", job.path)

    def _replace(self, c: Child, retry: deque[Job]) -> None:
        """Kill ``c``; the jobs it still held go first to the next child (a fresh one is
        started when there is work for it)."""
        c.kill()
        retry.extendleft(reversed(c.queue))
        c.queue.clear()
        self.children.remove(c)

    def _died(self, c: Child, retry: deque[Job]) -> Iterator[tuple[Any, Any]]:
        if not c.ready:
            c.kill()
            raise GongkaiError(f"解析进程无法启动（退出码 {c.proc.returncode}）")
        job = c.queue.popleft()
        c.kill()
        code = c.proc.returncode
        detail = f"（解析进程被信号 {-code} 终止）" if code is not None and code < 0 else ""
        self._replace(c, retry)
        yield job.token, memory_error(self.settings, job.path, detail)


# one pool per (thread, settings, preload): a Pool drives its children from one thread
# only, and callers may be threads of one process (a Dask worker's, the web app's)
_shared: dict[tuple[int, Settings, tuple[str, ...]], Pool] = {}
_shared_lock = threading.Lock()


def shared_pool(settings: Settings = DEFAULT, preload: tuple[str, ...] = PRELOAD) -> Pool:
    """This thread's one-child pool for these settings (started on first use, kept for the
    next call, closed at exit or once its thread has ended): what the CLI, the web app and a
    Dask worker use."""
    me = threading.get_ident()
    key = (me, settings, preload)
    with _shared_lock:
        alive = {t.ident for t in threading.enumerate()}
        for k in [k for k in _shared if k[0] not in alive]:  # pools of threads that ended
            _shared.pop(k).close()
        pool = _shared.get(key)
        if pool is None:
            mine = [k for k in _shared if k[0] == me]
            if len(mine) >= 4:  # a caller with many settings: do not keep a child for each
                for k in mine:
                    _shared.pop(k).close()
            pool = _shared[key] = Pool(1, settings, preload, depth=1)
    return pool


def run(module: str, func: str, args: tuple[Any, ...], settings: Settings = DEFAULT, path: str | None = None) -> Any:
    """One job on the shared child: its value, or the GongkaiError it raised or the bound it
    broke, raised here."""
    ((_, value),) = shared_pool(settings).imap([Job(None, module, func, args, path)])
    if isinstance(value, GongkaiError):
        raise value
    return value


def _close_shared() -> None:
    with _shared_lock:
        for pool in _shared.values():
            pool.close()
        _shared.clear()


atexit.register(_close_shared)
