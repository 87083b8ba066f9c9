"""Shared test helpers: the shared corpus location and a template report builder."""

from __future__ import annotations

import json
import random
import re
from decimal import Decimal
from pathlib import Path

from gongkai.domain.labels import T3_COLUMNS, T3_PARTS, T4_COLUMNS, T4_GROUPS, t2_keys, t3_rows

HERE = Path(__file__).resolve().parent
FILES = HERE / "files"
SHARED = HERE.parents[1] / "shared"
CORPUS = SHARED / "corpus"
LABELS = CORPUS / "labels"


def labels() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(LABELS.glob("*.json"))]


def valid_cells(rng: random.Random, fmt: str = "2021") -> dict[str, int | Decimal]:
    """A random cell set that satisfies every identity of tables 3 and 4."""
    cells: dict[str, int | Decimal] = {}
    for k in t2_keys(fmt):
        cells[k] = rng.choice([0, 0, rng.randint(0, 50), rng.randint(0, 5000)])
    if fmt == "2021":
        cells["t2.fees.amount"] = Decimal(rng.randint(0, 99999)) / 10
    rows = t3_rows(fmt)
    outcomes = [r for r in rows if r not in ("received", "carried_over", "total_handled", "carried_forward")]
    for c in T3_PARTS:
        per = {r: rng.choice([0, 0, 0, rng.randint(0, 9), rng.randint(0, 300)]) for r in outcomes}
        handled = sum(per.values())
        forward = rng.choice([0, rng.randint(0, 9)])
        carried = rng.randint(0, handled + forward)
        received = handled + forward - carried
        for r, v in per.items():
            cells[f"t3.{r}.{c}"] = v
        cells[f"t3.total_handled.{c}"] = handled
        cells[f"t3.carried_forward.{c}"] = forward
        cells[f"t3.carried_over.{c}"] = carried
        cells[f"t3.received.{c}"] = received
    for r in rows:
        cells[f"t3.{r}.total"] = sum(cells[f"t3.{r}.{c}"] for c in T3_PARTS)  # type: ignore[misc]
    for g, _ in T4_GROUPS:
        parts = [rng.choice([0, 0, rng.randint(0, 20)]) for _ in range(4)]
        for col, v in zip(T4_COLUMNS[:-1], parts, strict=True):
            cells[f"t4.{g}.{col.key}"] = v
        cells[f"t4.{g}.total"] = sum(parts)
    return cells


def load_official_layout():  # type: ignore[no-untyped-def]
    """tests/files/html/official_layout.py: the hand-built official HTML/DOCX layouts the
    reader tests check against (independent of gongkai.render, on purpose)."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("official_layout", FILES / "html" / "official_layout.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["official_layout"] = mod
    spec.loader.exec_module(mod)
    return mod


def assert_same_cells(report, cells: dict) -> None:  # type: ignore[no-untyped-def]
    """Exactly these keys and values: blank (None) apart from 0, absent apart from blank."""
    got = report.values()
    wrong = {
        k: (cells.get(k, "absent"), got.get(k, "absent"))
        for k in set(cells) | set(got)
        if cells.get(k, "absent") != got.get(k, "absent")
    }
    assert not wrong, sorted(wrong.items())[:10]


def fill_template(name: str, cells: dict[str, object]) -> str:
    """Fill {key} placeholders of a template in tests/files/text; None becomes an empty cell."""
    text = (FILES / "text" / name).read_text(encoding="utf-8")

    def sub(m: re.Match[str]) -> str:
        v = cells.get(m.group(1), "")
        return "" if v is None else str(v)

    return re.sub(r"\{(t[234]\.[a-z_.]+)\}", sub, text)


__all__ = ["CORPUS", "FILES", "LABELS", "SHARED", "T3_COLUMNS", "assert_same_cells", "fill_template", "labels", "load_official_layout", "valid_cells"]
