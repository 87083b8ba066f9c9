"""The parent's writer thread: commits batches while the main thread keeps collecting.

SQLite spends part of each commit in I/O (the WAL, checkpoints and their fsync), which
releases the GIL. Writing on a thread of its own lets the parent keep receiving parsed
reports meanwhile, so the workers are not left waiting on a commit. A bounded queue gives
back-pressure: memory holds at most ``depth`` batches.

Transactions that grow with the corpus. Ids are content hashes, so every report adds
entries at random places of about twenty B-tree indexes (the ids' own, ``lineage``,
``source_id``, the web app's ``(is_latest, …, id)`` lists, the child tables' report keys).
A commit writes every page it dirtied to the WAL once, so a transaction of ``T`` reports
into an index of ``P`` pages writes about ``P·(1 − e^(−T/P))`` of its pages: with a fixed
``T`` that is almost nothing per report while the index is small and one page per entry
once it is large, which is why a fixed 256-report commit cost 1.5x more per report at
100,000 stored than at 20,000 (``benchmarks/bench_ingest.py --writer --pages`` shows the
pages by B-tree). Committing once per ``max(COMMIT_REPORTS, stored // COMMIT_SHARE)``
reports keeps ``P / T`` — the index pages written per report — the same at any size, and a
page cache that holds the indexes' pages (on this connection only, sized to the corpus:
``writer_cache_kib``) keeps them from being spilled to the WAL early and written again.

Savepoints that grow with the corpus too. A savepoint lets one bad report cost only its
file, but SQLite copies into the savepoint's journal the original of every page the
savepoint changes that the database held before it (``SAVEPOINT_JOURNAL``): a savepoint of
``S`` reports into an index of ``P`` pages copies ``P·(1 − e^(−S/P))`` of them, the same
shape as a commit's pages. With a savepoint per 256-report batch that grew from about 4
pages a report at 20,000 stored to 15 at 100,000 and was most of the growth of the writer's
CPU per report (docs/performance.md). So batches are written into a *group* savepoint that
spans ``group_reports(stored)`` reports; the group's outcomes are kept until it is
released, and when a batch fails the group is rolled back, its earlier batches are written
again and the failed one is retried outcome by outcome, each in a savepoint of its own
(``write.write_into``).

A transaction also ends when no batch has come for ``IDLE_COMMIT_SECONDS`` (a reader
waiting for the write lock, the web app showing progress), after ``COMMIT_SECONDS`` at the
latest, and at ``close``; a killed ingest loses the open transaction's reports, which the
next run parses again.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, NestedTransaction, RootTransaction

from . import write as rows  # the module (Transactions.write is a method)
from .db import CACHE_KIB
from .schema import reports
from .work import Outcome
from .write import Written

COMMIT_REPORTS = 256  # the smallest transaction
COMMIT_SHARE = 16  # ...else one sixteenth of the reports stored
GROUP_REPORTS = 256  # the smallest group savepoint
GROUP_SHARE = 64  # ...else one sixty-fourth of the reports stored
GROUP_MAX = 4096  # ...at most: its outcomes stay in memory (~40 KiB a report) until it is released
COMMIT_SECONDS = 60.0  # the longest a transaction stays open
IDLE_COMMIT_SECONDS = 0.5  # commit when nothing has come for this long
# The writer connection's SQLite page cache: a transaction's dirty index pages stay in it
# until the commit, and its data pages pass through it (a report's rows are ~5 pages; the
# cache spills the pages dirtied first, the index pages, when it fills). The indexes take
# ~1 KiB per report stored; three times that keeps them in memory while a transaction of
# stored / COMMIT_SHARE reports goes through (docs/performance.md). Set back to
# db.CACHE_KIB when the writer is done, which frees the pages.
CACHE_KIB_PER_REPORT = 3
WRITER_CACHE_MIN_KIB = 64 * 1024
WRITER_CACHE_MAX_KIB = 1024 * 1024
# Where SQLite keeps a savepoint's journal: the original of every page a batch changes that
# the database held before the batch, so that a failed batch can be rolled back to its
# savepoint. Beyond 64 KiB SQLite writes it to a temporary file unless temp_store is MEMORY;
# as a transaction grows with the corpus, more of a batch's pages were already in it, and
# at 82,000 stored that file took half the write system calls of a report (61 -> 32) and a
# quarter of the writer's system CPU; in memory the copies cost about as much user CPU
# (net 2 % less CPU), but the bytes written per report halve (docs/performance.md). In
# memory it is one group's pages (tens of MiB at most), emptied when the savepoint is
# released. On the writer's connection only (set back by ``reset``): elsewhere temp_store
# also decides where a query's sorts go.
SAVEPOINT_JOURNAL = "MEMORY"


def writer_cache_kib(stored: int) -> int:
    return max(WRITER_CACHE_MIN_KIB, min(WRITER_CACHE_MAX_KIB, stored * CACHE_KIB_PER_REPORT))


def group_reports(stored: int) -> int:
    """The reports a group savepoint spans with ``stored`` reports in the database."""
    return max(GROUP_REPORTS, min(GROUP_MAX, stored // GROUP_SHARE))


class Transactions:
    """The commit policy on one connection: ``write`` a batch into the open transaction
    (beginning one if none is) and its open group savepoint, committing first when the
    transaction holds enough reports or has been open too long; ``commit`` what is open (the
    writer calls it when idle); ``close`` commits and sets the connection's page cache back."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.stored = conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar() or 0
        if self.sqlite:
            conn.exec_driver_sql(f"PRAGMA temp_store={SAVEPOINT_JOURNAL}")
        conn.commit()
        self._size_cache()
        self.tx: RootTransaction | None = None
        self.in_tx = 0
        self.opened = 0.0
        self.commits = 0
        self.savepoint: NestedTransaction | None = None  # the open group's
        self.group: list[list[Outcome]] = []  # the batches written since it began

    def write(self, batch: list[Outcome]) -> Written:
        if self.tx is not None and (
            self.in_tx >= max(COMMIT_REPORTS, self.stored // COMMIT_SHARE) or time.monotonic() - self.opened > COMMIT_SECONDS
        ):
            self.commit()
        if self.tx is None:
            self.tx, self.opened = self.conn.begin(), time.monotonic()
            if self.sqlite:  # a real BEGIN, so that the batches' savepoints nest in it (write_into)
                self.conn.exec_driver_sql("BEGIN")
        w = self._write_grouped(batch)
        self.in_tx += len(batch)
        self.stored += w.parsed
        return w

    @property
    def in_group(self) -> int:
        return sum(map(len, self.group))

    def _write_grouped(self, batch: list[Outcome]) -> Written:
        if self.savepoint is None:
            self.savepoint = self.conn.begin_nested()
        try:
            w = rows.write_outcomes(self.conn, batch)
        except Exception:
            return self._redo(batch)
        self.group.append(batch)
        if self.in_group >= group_reports(self.stored):
            self._release()
        return w

    def _redo(self, failed: list[Outcome]) -> Written:
        """A batch failed in the group's savepoint: roll the group back, write its earlier
        batches again (each in a savepoint; they were written and counted before, so what
        they give now is not counted again), then the failed batch with each of its outcomes
        isolated, so that the bad one is recorded as a failure and costs only its file."""
        earlier = self.group
        assert self.savepoint is not None
        self.savepoint.rollback()
        self.savepoint, self.group = None, []
        for batch in earlier:
            rows.write_into(self.conn, batch)
        return rows.write_into(self.conn, failed)

    def _release(self) -> None:
        if self.savepoint is not None:
            self.savepoint.commit()
        self.savepoint, self.group = None, []

    def commit(self) -> None:
        if self.tx is not None:
            self._release()
            self.tx.commit()
            self.commits += 1
            self.tx, self.in_tx = None, 0
            self._size_cache()

    def _size_cache(self) -> None:
        if self.sqlite:
            self.conn.exec_driver_sql(f"PRAGMA cache_size=-{writer_cache_kib(self.stored)}")
            self.conn.commit()  # ends SQLAlchemy's autobegun transaction (SQLite began none)

    def close(self) -> None:
        self.commit()
        self.reset()

    def reset(self) -> None:
        """Roll back what is open (after an error) and set the page cache back, which frees it."""
        self.savepoint, self.group = None, []
        if self.sqlite:
            with contextlib.suppress(sa.exc.SQLAlchemyError):  # an error being raised matters more
                self.conn.rollback()
                self.conn.exec_driver_sql(f"PRAGMA cache_size=-{CACHE_KIB}")
                self.conn.exec_driver_sql("PRAGMA temp_store=DEFAULT")


class Writer(threading.Thread):
    def __init__(self, db: Engine, on_written: Callable[[Written], None], depth: int = 2) -> None:
        super().__init__(name="gongkai-writer", daemon=True)
        self.db = db
        self.on_written = on_written
        self.queue: queue.Queue[list[Outcome] | None] = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self._closing = False
        self._stopped = False  # the end of the queue was taken
        self.commits = 0

    def put(self, batch: list[Outcome]) -> None:
        if self.error is not None:
            raise self.error  # the database is gone: stop feeding it
        if batch:
            self.queue.put(batch)

    def run(self) -> None:
        try:
            with self.db.connect() as conn:
                self._run(Transactions(conn))
        except BaseException as e:  # write_into records per-file errors; this is the store itself
            self.error = e
            while not self._stopped:  # drain, so producers never block on a dead writer
                self._stopped = self.queue.get() is None

    def _run(self, txs: Transactions) -> None:
        try:
            while True:
                try:
                    batch = self.queue.get(timeout=IDLE_COMMIT_SECONDS if txs.tx is not None else None)
                except queue.Empty:
                    txs.commit()  # idle: let readers and the web app see what is written
                    continue
                if batch is None:
                    self._stopped = True
                    txs.close()
                    return
                self.on_written(txs.write(batch))
        finally:
            self.commits = txs.commits
            txs.reset()

    def close(self) -> None:
        """Write what is queued, commit, then stop; re-raise a store error. Safe to call
        again (after a Ctrl-C interrupted the wait)."""
        if not self._closing:
            self._closing = True
            self.queue.put(None)
        self.join()
        if self.error is not None:
            raise self.error
