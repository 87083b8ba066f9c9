"""The mutation fuzzer in CI: a fixed seed, a small count, every format; and every input it
ever failed on (tests/files/hostile/fuzz-*), parsed again. A failure is an internal error,
a hang past the fuzz bound or a memory blow-up; ``scripts/fuzz.py`` runs long and writes
each failure it finds there."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gongkai.guard import worker
from gongkai.testing import fuzz
from helpers import CORPUS, FILES

SEEDS = [
    *sorted((CORPUS / "seeds").glob("*.txt"))[:2],
    FILES / "text" / "template_2021.tsv.txt",
    FILES / "html" / "official-2021-gbk.html",
    FILES / "docx" / "official-2019.docx",
    FILES / "pdf" / "report-ruled.pdf",
    FILES / "pdf" / "report-unruled.pdf",
]
REGRESSIONS = sorted((FILES / "hostile").glob("fuzz-*"))
COUNT = 400  # ~25 s on the shared 2-core machine


def test_fuzz_finds_no_failure() -> None:
    t = time.monotonic()
    result = fuzz.run(SEEDS, COUNT, seed=12, jobs=2)
    print(result.summary(), f"{time.monotonic() - t:.1f} s")
    assert result.inputs == COUNT and set(result.by_kind) >= {"text", "html", "docx", "pdf"}
    assert not result.failures, "\n\n".join(f"{f.kind} ({f.seed_name}): {f.detail[:800]}" for f in result.failures)


def test_mutations_are_deterministic() -> None:
    seeds = [p.read_bytes() for p in SEEDS]
    assert [d for _, d, _ in fuzz.inputs(seeds, 20, 5)] == [d for _, d, _ in fuzz.inputs(seeds, 20, 5)]


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_past_fuzz_failure_stays_fixed(path: Path) -> None:
    value = worker.run("gongkai.testing.fuzz", "check", (path.read_bytes(), path.name), fuzz.FUZZ_SETTINGS, path.name)
    assert value[0] in ("ok", "error"), value[1]
