"""Ingest: inputs → engine (parse in workers) → batches of small transactions in the parent.

Resumable by construction: a report is written whole in one transaction or not at all,
and bytes already stored are recognised by their SHA-256 before any parsing, so running
the same command again after a crash or Ctrl-C skips what is done and does the rest.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import signal
import stat
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..domain import exits
from ..guard.files import walk
from ..guard.names import original, shown, stored
from ..settings import DEFAULT, Settings
from .engines import make_engine
from .progress import Progress
from .schema import source_paths, sources
from .work import Outcome, content_id, now
from .write import Written
from .writer import Writer

# Outcomes per transaction. Each report touches a few dozen pages scattered by its hash id;
# 256 reports per commit let them share pages (2.7 ms/report at 20,000 reports stored,
# against 4.4 ms with 64). A crash loses at most this much parsing, never data.
BATCH_REPORTS = 256
BATCH_SECONDS = 2.0  # ...or whatever arrived in this long
PREFILTER_CHUNK = 256


def is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def _wanted(rel: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Does a file found in a folder (``rel``: its path below the folder, ``/``-separated)
    pass the ``--include``/``--exclude`` globs? A glob matches the file name or that path."""

    def hit(patterns: Sequence[str]) -> bool:
        name = rel.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(rel, p) for p in patterns)

    return (not include or hit(include)) and not hit(exclude)


def iter_inputs(args: Iterable[str], include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Iterator[str]:
    """Files and folders (recursively, in name order, hidden ones skipped), URLs, and
    ``@list.txt``: a text file with one path or URL a line (blank lines and ``#`` comments ignored).
    ``include``/``exclude``: globs a file found in a folder must match / must not match
    (files named one by one are always taken)."""
    for arg in args:
        arg = str(arg)
        if arg.startswith("@") and not os.path.exists(arg):
            with open(arg[1:], encoding="utf-8-sig") as fh:
                lines = (ln.strip() for ln in fh)
                yield from iter_inputs((ln for ln in lines if ln and not ln.startswith("#")), include, exclude)
        elif is_url(arg):
            yield arg
        elif os.path.isdir(arg):
            for full in walk(arg):  # links to folders not followed, no folder twice
                if _wanted(os.path.relpath(full, arg).replace(os.sep, "/"), include, exclude):
                    yield full
        else:
            yield arg  # a missing file still goes through: its failure gets recorded


def missing_inputs(args: Iterable[str]) -> list[str]:
    """The arguments that name nothing: no such file or folder, no such ``@list``."""
    out = []
    for arg in map(str, args):
        if is_url(arg) or os.path.exists(arg):
            continue
        if arg.startswith("@") and os.path.isfile(arg[1:]):
            continue
        out.append(arg)
    return out


def count_inputs(args: Iterable[str], include: Sequence[str] = (), exclude: Sequence[str] = ()) -> int:
    return sum(1 for _ in iter_inputs(args, include, exclude))


@dataclass(slots=True)
class IngestSummary:
    total: int = 0  # inputs seen
    parsed: int = 0  # new reports stored
    partial: int = 0  # ...of which with extraction findings
    versions: int = 0  # ...of which new versions of a report already stored
    failed: int = 0
    missing_dependency: int = 0  # ...of which for an extra not installed
    skipped: int = 0  # not reports (label files, scripts, blank templates): listed, not stored
    duplicates: int = 0  # bytes already stored under another path, or twice in this run
    unchanged: int = 0  # bytes already stored under this very path (a re-run)
    rules: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str]] = field(default_factory=list)  # the first few, for the message
    skips: list[tuple[str, str]] = field(default_factory=list)  # the first few
    seconds: float = 0.0
    interrupted: bool = False

    def add(self, w: Written) -> None:
        self.parsed += w.parsed
        self.partial += w.partial
        self.versions += w.versions
        self.duplicates += w.duplicates
        self.unchanged += w.unchanged
        self.failed += w.failed
        self.missing_dependency += w.missing_dependency
        self.skipped += w.skipped
        self.rules.update(w.rules)
        self.failures.extend(w.failed_paths[: max(0, 20 - len(self.failures))])
        self.skips.extend(w.skipped_paths[: max(0, 20 - len(self.skips))])

    @property
    def done(self) -> int:
        return self.parsed + self.failed + self.skipped + self.duplicates + self.unchanged

    def exit_code(self) -> int:
        """What the ingest did, as ``domain/exits.py`` says: interrupted; nothing stored
        or known (no input, all failed or not reports); some failed; all well."""
        if self.interrupted:
            return exits.INTERRUPTED.code
        handled = self.parsed + self.duplicates + self.unchanged
        if not handled:
            if self.failed and self.missing_dependency >= self.failed:
                return exits.MISSING_DEPENDENCY.code
            return exits.NOTHING.code
        return exits.PARTIAL.code if self.failed else exits.OK.code

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "parsed": self.parsed,
            "partial": self.partial,
            "versions": self.versions,
            "failed": self.failed,
            "skipped": self.skipped,
            "skipped_paths": [p for p, _ in self.skips],
            "duplicates": self.duplicates,
            "unchanged": self.unchanged,
            "findings_by_rule": dict(self.rules.most_common()),
            "seconds": round(self.seconds, 2),
            "reports_per_second": round(self.parsed / self.seconds, 1) if self.seconds else None,
            "interrupted": self.interrupted,
        }

    def render(self) -> str:
        lines = [
            f"共 {self.total} 个输入：新入库 {self.parsed} 份（其中识别不完整 {self.partial} 份、新版本 {self.versions} 份），"
            f"失败 {self.failed}，不是报告而跳过 {self.skipped}，重复 {self.duplicates}，已入库未变 {self.unchanged}；"
            f"用时 {self.seconds:.1f} 秒"
        ]
        if self.total == 0:
            lines.append("没有找到任何输入文件（检查路径，以及 --include/--exclude）")
        if self.rules:
            lines.append("发现的问题：" + "，".join(f"{r} {n}" for r, n in self.rules.most_common()))
        for path, msg in self.failures[:10]:
            lines.append(f"  失败：{shown(original(path))}：{msg}")
        if self.failed > 10:
            lines.append(f"  ……共 {self.failed} 个失败，见数据库 failures 表")
        for path, msg in self.skips[:10]:
            lines.append(f"  跳过：{path}：{msg}")
        if self.skipped > 10:
            lines.append(f"  ……共跳过 {self.skipped} 个不是报告的文件")
        if self.interrupted:
            lines.append("已中断：已写入的报告完整保存；再次运行同一命令即可继续。")
        return "\n".join(lines)


class Ingest:
    def __init__(self, db: Engine, settings: Settings = DEFAULT, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> None:
        self.db = db
        self.settings = settings
        self.include, self.exclude = tuple(include), tuple(exclude)
        self.summary = IngestSummary()
        self.lock = threading.Lock()  # the summary is updated by this thread and the writer's

    def prefilter(self, inputs: Iterator[str], progress: Progress) -> Iterator[str]:
        """Drop files whose bytes are stored already, before any worker parses them.

        Hashing here costs a read of each file (page cache serves the worker's second read)
        and keeps re-runs fast; bytes known under a new path are recorded as that path's
        duplicate straight away. URLs go through: their bytes are known only once fetched.
        """
        while True:
            chunk = list(islice(inputs, PREFILTER_CHUNK))
            if not chunk:
                return
            digests: dict[str, str] = {}
            for s in chunk:
                if not is_url(s):
                    d = _sha256(s)
                    if d is not None:
                        digests[s] = d
            known = self._known(set(digests.values()))
            aliases = []
            for s in chunk:
                d = digests.get(s)
                if d is None or d not in known:
                    yield s
                    continue
                name = stored(s)  # as the database holds it
                with self.lock:
                    if name in known[d]:
                        self.summary.unchanged += 1
                    else:
                        self.summary.duplicates += 1
                        aliases.append({"path": name, "source_id": content_id(d), "seen_at": now()})
                        known[d].add(name)
                    progress.update(self.summary)
            if aliases:
                with self.db.begin() as conn:
                    conn.execute(source_paths.insert(), aliases)

    def _known(self, digests: set[str]) -> dict[str, set[str]]:
        if not digests:
            return {}
        q = (
            sa.select(sources.c.content_hash, source_paths.c.path)
            .select_from(sources.outerjoin(source_paths, source_paths.c.source_id == sources.c.id))
            .where(sources.c.content_hash.in_(digests))
        )
        out: dict[str, set[str]] = {}
        with self.db.connect() as conn:
            for h, p in conn.execute(q):
                out.setdefault(h, set())
                if p is not None:
                    out[h].add(p)
        return out

    def run(self, args: Iterable[str], jobs: int | None, engine: str, address: str | None, progress: bool) -> IngestSummary:
        args = list(args)
        s = self.summary
        s.total = count_inputs(args, self.include, self.exclude)
        t0 = time.perf_counter()
        buffer: list[Outcome] = []
        last = time.monotonic()
        with make_engine(engine, jobs, address, self.settings) as eng, Progress(s.total, enabled=progress) as bar:

            def written(w: Written) -> None:
                with self.lock:
                    s.add(w)
                    bar.update(s)

            writer = Writer(self.db, written)
            writer.start()
            try:
                for outcome in eng.imap(self.prefilter(iter_inputs(args, self.include, self.exclude), bar)):
                    buffer.append(outcome)
                    if len(buffer) >= BATCH_REPORTS or time.monotonic() - last > BATCH_SECONDS:
                        writer.put(buffer)
                        buffer, last = [], time.monotonic()
                writer.put(buffer)
                buffer = []
            except KeyboardInterrupt:
                # Outcomes already parsed are whole: keep them, then stop.
                s.interrupted = True
                _shield_from_ctrl_c()
                writer.put(buffer)
            finally:
                while True:  # a Ctrl-C while the last batches commit must not abandon them
                    try:
                        writer.close()
                        break
                    except KeyboardInterrupt:
                        s.interrupted = True
                        _shield_from_ctrl_c()
                s.seconds = time.perf_counter() - t0
                bar.update(s)
                if s.interrupted:
                    _shield_from_ctrl_c()  # and while the workers are stopped
        _restore_ctrl_c()
        return s


_saved_handler: Any = None


def _shield_from_ctrl_c() -> None:
    """After the first Ctrl-C, finish the commits and stop the workers undisturbed."""
    global _saved_handler
    if threading.current_thread() is threading.main_thread() and _saved_handler is None:
        _saved_handler = signal.signal(signal.SIGINT, signal.SIG_IGN)


def _restore_ctrl_c() -> None:
    global _saved_handler
    if _saved_handler is not None:
        signal.signal(signal.SIGINT, _saved_handler)
        _saved_handler = None


def _sha256(path: str) -> str | None:
    """The digest of a regular file; None for anything else (a FIFO would block the open,
    /dev/zero never end): the worker then refuses it with its message."""
    h = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except (OSError, ValueError):
        return None
    return h.hexdigest()


def read_list(path: str | Path) -> list[str]:
    return list(iter_inputs([f"@{path}"]))
