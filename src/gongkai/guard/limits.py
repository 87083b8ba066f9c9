"""What the code inside a bounded worker may ask about its bound (set by ``serve``).

Kept free of gongkai imports: the readers (``read.legacy``) ask it without an import circle.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

# The monotonic time at which the current document's budget ends, inside a bounded
# worker; None in any other process (a library call, a test).
deadline: float | None = None
# Set by ``serve``: asks the parent's watchdog for more time (OCR pages), within its cap.
_ask: Callable[[float], float] | None = None


def in_worker() -> bool:
    """True inside a bounded worker: its process group is the one the watchdog kills."""
    return deadline is not None


def extend(seconds: float) -> None:
    """Inside a bounded worker, more time for this document: the parent grants it up to
    ``settings.max_ocr_seconds`` in all (what OCR needs per scanned page); elsewhere nothing."""
    global deadline
    if _ask is not None and deadline is not None:
        deadline += _ask(seconds)


def remaining(default: float) -> float:
    """Seconds left of this document's budget (at least one), or ``default`` outside a worker."""
    if deadline is None:
        return default
    return max(1.0, min(default, deadline - time.monotonic()))


def resident(pid: int | str = "self") -> int:
    """Resident memory of a process in bytes (Linux), 0 where unknown."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
