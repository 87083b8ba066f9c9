"""Agency workbench benchmark: 100,000 applications over 50 bodies.

    .venv/bin/python benchmarks/agency_bench.py                      # 50 bodies x 2,000 applications
    .venv/bin/python benchmarks/agency_bench.py --bodies 5 --per-body 500

For each body the four ledgers of ledger.md (applications over two years) are generated and
written as one XLSX workbook (or, ``--format csv``, four CSV files), then timed: reading and checking the workbook
(``read_ledger``) plus importing it into SQLite (``Workbench.import_ledger``), per body and
in total, in wall and CPU seconds; the ``cases`` listing of each body (every application
with its due date); and computing the report of the second year from the records
(``make_report``: cells, narrative, validation, year-to-year checks). Re-importing one
body's unchanged ledgers (idempotence) is timed last.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from gongkai.agency.db import Workbench
from gongkai.agency.ledger import export_csv, export_xlsx, read_ledger
from gongkai.agency.report import make_report
from gongkai.testing.fixtures import random_body
from gongkai.testing.ledgers import random_records

YEARS = (2024, 2025)


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bodies", type=int, default=50)
    ap.add_argument("--per-body", type=int, default=2000, help="applications per body (over two years)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=["xlsx", "csv"], default="xlsx", help="the ledgers as one workbook, or four CSV files, a body")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        files = []
        bodies: list[str] = []
        while len(bodies) < args.bodies:
            b = random_body(rng)
            if b not in bodies:
                bodies.append(b)
        for i, body in enumerate(bodies):
            recs = random_records(random.Random(args.seed * 1000 + i), YEARS, args.per_body // len(YEARS))
            if args.format == "xlsx":
                p = root / f"{i:03d}.xlsx"
                p.write_bytes(export_xlsx(recs, personal=True))
                files.append((body, [p]))
            else:
                paths = []
                for kind, rs in recs.items():
                    p = root / f"{i:03d}-{kind}.csv"
                    p.write_bytes(export_csv(kind, rs, personal=True))
                    paths.append(p)
                files.append((body, paths))
        print(f"generated {len(files)} bodies' ledgers as {args.format} ({args.bodies * args.per_body:,} applications) in {time.perf_counter() - t0:.1f} s")
        wb = Workbench(f"sqlite:///{root / 'agency.db'}")
        wb.calendar()  # seeded once, not counted
        w0, c0 = _clock()
        read_w = read_c = 0.0
        for body, paths in files:
            for p in paths:
                a, b = _clock()
                ledger = read_ledger(p)
                c, d = _clock()
                read_w += c - a
                read_c += d - b
                wb.import_ledger(body, ledger, today=dt.date(2026, 1, 15))
        w1, c1 = _clock()
        n = args.bodies * args.per_body
        print(f"import: {w1 - w0:.1f} s wall, {c1 - c0:.1f} s CPU for {n:,} applications "
              f"({n / (c1 - c0):,.0f} per CPU-second); of which reading the files {read_w:.1f} s wall, {read_c:.1f} s CPU; "
              f"{(w1 - w0) / args.bodies * 1000:.0f} ms wall per body")  # fmt: skip
        list_ms, list_cpu, report_ms, report_cpu = [], [], [], []
        for body, _ in files:
            a, b = _clock()
            rows = wb.cases(body, dt.date(2026, 1, 15))
            w, c = _clock()
            list_ms.append((w - a) * 1000)
            list_cpu.append((c - b) * 1000)
            assert len(rows) == args.per_body
            a, b = _clock()
            rep = make_report(body, YEARS[1], wb.records(body), narrative=wb.narrative(body, YEARS[1]))
            w, c = _clock()
            report_ms.append((w - a) * 1000)
            report_cpu.append((c - b) * 1000)
            assert rep.computed.cells["t3.received.total"] == args.per_body // len(YEARS)
        print(f"cases listing: median {statistics.median(list_ms):.0f} ms wall, {statistics.median(list_cpu):.0f} ms CPU "
              f"per body of {args.per_body:,} (max {max(list_ms):.0f} ms wall)")  # fmt: skip
        print(f"report from the records: median {statistics.median(report_ms):.0f} ms wall, {statistics.median(report_cpu):.0f} ms CPU "
              f"per body (max {max(report_ms):.0f} ms wall)")  # fmt: skip
        a, b = _clock()
        for p in files[0][1]:
            res = wb.import_ledger(files[0][0], read_ledger(p), today=dt.date(2026, 1, 15))
            assert not res.inserted and not res.updated
        w, c = _clock()
        print(f"re-import of one body's unchanged ledgers: {w - a:.2f} s wall, {c - b:.2f} s CPU (nothing changed)")
        wb.close()


if __name__ == "__main__":
    main()
