"""Pausing the cyclic garbage collector around gongkai's own stages."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Run a block with the cyclic garbage collector off.

    The readers, normalize, extract and validate allocate thousands of short-lived objects
    per report (blocks, tokens, slots, cells) and no reference cycles
    (``tests/test_no_cycles.py`` holds them to that), so reference counting frees everything
    and the collector's passes over the young generation, a quarter of the parse time, find
    nothing. (What a library leaves in a cycle waits for the first pass after the pause.)
    """
    if not gc.isenabled():  # already off (by the caller, or another thread's parse)
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
