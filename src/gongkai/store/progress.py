"""The progress bar on stderr: count, rate, ETA and failures (rich)."""

from __future__ import annotations

import sys
from typing import Any


class Progress:
    def __init__(self, total: int, enabled: bool = True) -> None:
        self.total = total
        self.enabled = enabled and total > 0
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if not self.enabled:
            return self
        try:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress
        except ImportError:  # no bar, no harm: the summary still prints
            self.enabled = False
            return self
        self._bar = RichProgress(
            TextColumn("入库"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} 份/秒"),
            TextColumn("失败 {task.fields[failed]}"),
            TextColumn("剩余"),
            TimeRemainingColumn(),
            TextColumn("已用"),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=False,
        )
        self._bar.__enter__()
        self._task = self._bar.add_task("ingest", total=self.total, rate="-", failed=0)
        return self

    def update(self, summary: Any) -> None:
        if self._bar is None:
            return
        task = self._bar.tasks[0]
        speed = task.speed
        self._bar.update(self._task, completed=summary.done, failed=summary.failed, rate=f"{speed:.1f}" if speed else "-")

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
