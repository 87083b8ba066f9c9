"""What the PDF reader makes of a set of PDFs, to compare two readers (or two revisions).

    .venv/bin/python benchmarks/pdf_cells.py dump OUT.json [--rendered N] [--cache DIR]
    .venv/bin/python benchmarks/pdf_cells.py diff A.json B.json

``dump`` parses every PDF under tests/files/pdf, the shared corpus's real reports, a scan
made of tests/files/pdf/scan-t3.png and ``--rendered`` reports generated and rendered to
PDF by the project's own renderer (kept in ``--cache`` so that both sides read the same
bytes), and writes per file: the cells (``parse`` values, what ``gongkai parse --json``
prints as cells), the reader's rows (text of every block), the findings' codes and the
error, if the file is refused. ``diff`` lists every file whose cells, rows, findings or
error differ, and the cells that differ.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.api import parse_bytes  # noqa: E402
from gongkai.errors import GongkaiError  # noqa: E402
from gongkai.read.pdf import read_pdf  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus" / "real"
FILES = ROOT / "tests" / "files" / "pdf"


def rendered(cache: Path, n: int) -> list[Path]:
    """``n`` generated reports as PDF (seeded: the same files every time)."""
    from gongkai.render.pdf import render_pdf
    from gongkai.testing.fixtures import BLANK_STYLES, random_report

    cache.mkdir(parents=True, exist_ok=True)
    out = []
    for seed in range(n):
        f = cache / f"rendered-{seed:03d}.pdf"
        if not f.exists():
            rng = random.Random(seed)
            fmt = ("2019", "2021")[seed % 2]
            spec = random_report(rng, fmt, blank_style=BLANK_STYLES[seed % len(BLANK_STYLES)])
            f.write_bytes(render_pdf(spec, blank_mark=("", "/", "—", "0")[seed % 4]))
        out.append(f)
    return out


def scan(cache: Path) -> Path:
    from PIL import Image

    cache.mkdir(parents=True, exist_ok=True)
    f = cache / "scan-t3.pdf"
    if not f.exists():
        buf = io.BytesIO()
        Image.open(FILES / "scan-t3.png").convert("RGB").save(buf, format="PDF", resolution=150)
        f.write_bytes(buf.getvalue())
    return f


def one(path: Path) -> dict[str, object]:
    data = path.read_bytes()
    try:
        doc = read_pdf(data, str(path))
        report = parse_bytes(data, str(path))
    except GongkaiError as e:
        return {"error": f"{type(e).__name__}: {e.message}"}
    return {
        "cells": {k: (None if v is None else str(v)) for k, v in report.values().items()},
        "meta": [report.issuing_body, report.report_year, report.format],
        "rows": [[b.text for b in row] for row in doc.rows()],
        "findings": sorted(f.rule for f in report.findings),
    }


def dump(out: Path, n: int, cache: Path, with_scan: bool = True) -> None:
    files = sorted(FILES.glob("*.pdf")) + sorted(REAL.glob("*.pdf")) + ([scan(cache)] if with_scan else []) + rendered(cache, n)
    result = {}
    for f in files:
        result[f.name] = one(f)
        print(f.name, "error" if "error" in result[f.name] else len(result[f.name]["cells"]), flush=True)  # type: ignore[arg-type]
    out.write_text(json.dumps(result, ensure_ascii=False, indent=0), encoding="utf-8")


def diff(a: Path, b: Path) -> int:
    x, y = json.loads(a.read_text(encoding="utf-8")), json.loads(b.read_text(encoding="utf-8"))
    bad = 0
    for name in sorted(set(x) | set(y)):
        p, q = x.get(name), y.get(name)
        if p == q:
            continue
        bad += 1
        print(f"== {name}")
        if p is None or q is None:
            print("   only in", a if q is None else b)
            continue
        for key in ("error", "meta", "findings"):
            if p.get(key) != q.get(key):
                print(f"   {key}: {p.get(key)} -> {q.get(key)}")
        pc, qc = p.get("cells") or {}, q.get("cells") or {}
        for k in sorted(set(pc) | set(qc)):
            if pc.get(k, "<absent>") != qc.get(k, "<absent>"):
                print(f"   cell {k}: {pc.get(k, '<absent>')} -> {qc.get(k, '<absent>')}")
        if p.get("rows") != q.get("rows"):
            pr, qr = p.get("rows") or [], q.get("rows") or []
            changed = [i for i in range(max(len(pr), len(qr))) if (pr[i : i + 1] or None) != (qr[i : i + 1] or None)]
            print(f"   rows: {len(pr)} -> {len(qr)}, {len(changed)} differ")
            for i in changed[:6]:
                print(f"     [{i}] {pr[i] if i < len(pr) else None}\n         -> {qr[i] if i < len(qr) else None}")
    print(f"{len(set(x) | set(y))} files, {bad} differ")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--rendered", type=int, default=40)
    d.add_argument("--cache", type=Path, default=Path("/tmp/gongkai-pdf-cells"))
    d.add_argument("--no-scan", action="store_true", help="leave out the OCRed scan (minutes on a loaded machine)")
    c = sub.add_parser("diff")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    a = ap.parse_args()
    if a.cmd == "dump":
        dump(a.out, a.rendered, a.cache, not a.no_scan)
        return 0
    return diff(a.a, a.b)


if __name__ == "__main__":
    raise SystemExit(main())
