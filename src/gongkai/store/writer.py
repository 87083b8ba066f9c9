"""The parent's writer thread: commits batches while the main thread keeps collecting.

SQLite spends part of each commit in I/O (the WAL, checkpoints and their fsync), which
releases the GIL. Writing on a thread of its own lets the parent keep receiving parsed
reports meanwhile, so the workers are not left waiting on a commit. A bounded queue gives
back-pressure: memory holds at most ``depth`` batches.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

from sqlalchemy.engine import Engine

from .work import Outcome
from .write import Written, write_batch


class Writer(threading.Thread):
    def __init__(self, db: Engine, on_written: Callable[[Written], None], depth: int = 2) -> None:
        super().__init__(name="gongkai-writer", daemon=True)
        self.db = db
        self.on_written = on_written
        self.queue: queue.Queue[list[Outcome] | None] = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self._closing = False

    def put(self, batch: list[Outcome]) -> None:
        if self.error is not None:
            raise self.error  # the database is gone: stop feeding it
        if batch:
            self.queue.put(batch)

    def run(self) -> None:
        while True:
            batch = self.queue.get()
            if batch is None:
                return
            if self.error is not None:
                continue  # drain, so producers never block on a dead writer
            try:
                self.on_written(write_batch(self.db, batch))
            except BaseException as e:  # write_batch records per-file errors; this is the store itself
                self.error = e

    def close(self) -> None:
        """Write what is queued, then stop; re-raise a store error. Safe to call again
        (after a Ctrl-C interrupted the wait)."""
        if not self._closing:
            self._closing = True
            self.queue.put(None)
        self.join()
        if self.error is not None:
            raise self.error
