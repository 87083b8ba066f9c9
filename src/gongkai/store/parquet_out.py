"""``gongkai ingest --output DIR``: parse on the engine's workers and write Parquet parts,
no database. Each task writes its own part of each table (``DIR/cells/part-….parquet``),
so a cluster writes in parallel to shared storage; the part name is a hash of the task's
inputs, so re-running the same inputs rewrites the same parts instead of adding copies.
Read the result with ``pyarrow.dataset.dataset(DIR / "cells")`` (or DuckDB, Spark, …).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..settings import DEFAULT, Settings
from .engines import Dask, Engine, make_engine, process_many
from .ingest import IngestSummary, count_inputs, iter_inputs
from .progress import Progress
from .schema import Num, cells, failures, findings, reports, sections
from .work import COLUMNS, Failed, Outcome, Parsed, Skipped, now

TABLES = {"reports": reports, "cells": cells, "sections": sections, "findings": findings, "failures": failures}


def _arrow_schema(table: sa.Table) -> Any:
    import pyarrow as pa

    fields = []
    for col in table.columns:
        t = col.type
        if isinstance(t, Num):
            at = pa.float64()
        elif isinstance(t, sa.Boolean):
            at = pa.bool_()
        elif isinstance(t, sa.Integer):
            at = pa.int64()
        elif isinstance(t, sa.DateTime):
            at = pa.timestamp("us")
        elif isinstance(t, sa.LargeBinary):
            at = pa.binary()
        else:  # text, and JSON as its text
            at = pa.string()
        fields.append(pa.field(col.name, at))
    return pa.schema(fields)


def _cell(v: Any, arrow_type: Any) -> Any:
    import pyarrow as pa

    if v is None:
        return None
    if pa.types.is_float64(arrow_type):
        return float(v)
    if pa.types.is_string(arrow_type) and not isinstance(v, str):
        return json.dumps(v, ensure_ascii=False, default=str)
    return v


def _rows(outcomes: list[Outcome]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for o in outcomes:
        if isinstance(o, Skipped):  # not a report: nothing to write
            continue
        if isinstance(o, Failed):
            out["failures"].append(
                {"path": o.path, "content_hash": o.content_hash, "code": o.code, "message": o.message, "at": now(), "attempts": 1}
            )
            continue
        out["reports"].append({**o.report, "lineage": o.id, "version": 1, "is_latest": True, "ingested_at": now()})
        out["cells"] += [dict(zip(COLUMNS["cells"], c, strict=True)) for c in o.cells()]
        out["sections"] += [{"report_id": rid, "key": key, "text": text.decode()} for rid, key, text in o.sections]
        out["findings"] += [{"id": None, **f} for f in o.findings]
    return out


def write_parts(outcomes: list[Outcome], out_dir: str, part: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    for name, rows in _rows(outcomes).items():
        if not rows:
            continue
        schema = _arrow_schema(TABLES[name])
        arrays = [pa.array([_cell(r.get(f.name), f.type) for r in rows], type=f.type) for f in schema]
        folder = Path(out_dir) / name
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{part}.parquet.partial"
        pq.write_table(pa.Table.from_arrays(arrays, schema=schema), tmp, compression="zstd")
        os.replace(tmp, folder / f"{part}.parquet")  # a killed task leaves no half part


def process_to_parquet(sources: list[str], out_dir: str, settings: Settings = DEFAULT) -> dict[str, Any]:
    """A task: parse a chunk of inputs and write its parts. Returns counts for the summary."""
    outcomes = process_many(sources, settings)  # each under the document budget
    part = "part-" + hashlib.sha256("\n".join(sources).encode()).hexdigest()[:16]
    write_parts(outcomes, out_dir, part)
    return _count(outcomes)


def _count(outcomes: list[Outcome]) -> dict[str, Any]:
    parsed = [o for o in outcomes if isinstance(o, Parsed)]
    return {
        "parsed": len(parsed),
        "partial": sum(1 for o in parsed if o.report["n_extraction"] > 0),
        "failed": [(o.path, o.message) for o in outcomes if isinstance(o, Failed) and not isinstance(o, Skipped)],
        "skipped": [(o.path, o.message) for o in outcomes if isinstance(o, Skipped)],
        "rules": Counter(f["rule"] for o in parsed for f in o.findings),
    }


def ingest_to_parquet(
    args: Iterable[str],
    out_dir: str | os.PathLike[str],
    jobs: int | None = None,
    engine: str = "local",
    address: str | None = None,
    progress: bool = True,
    settings: Settings = DEFAULT,
    chunk: int = 64,
) -> IngestSummary:
    args = [str(a) for a in args]
    s = IngestSummary(total=count_inputs(args))
    t0 = time.perf_counter()
    out = str(out_dir)
    eng: Engine = make_engine(engine, jobs, address, settings)
    with eng, Progress(s.total, enabled=progress) as bar:
        if isinstance(eng, Dask):
            eng.chunk = chunk
            results = eng.map_chunks(process_to_parquet, iter_inputs(args), out, settings)
        else:
            results = _local_chunks(eng, iter_inputs(args), out, chunk)
        for res in results:
            if isinstance(res, list):  # the whole task failed (see Dask.map_chunks)
                s.failed += len(res)
                s.failures.extend((f.path, f.message) for f in res[:5])
                continue
            s.parsed += res["parsed"]
            s.partial += res["partial"]
            s.failed += len(res["failed"])
            s.failures.extend(res["failed"][: max(0, 20 - len(s.failures))])
            s.skipped += len(res.get("skipped", ()))
            s.skips.extend(res.get("skipped", [])[: max(0, 20 - len(s.skips))])
            s.rules.update(res["rules"])
            bar.update(s)
    s.seconds = time.perf_counter() - t0
    return s


def _local_chunks(eng: Engine, inputs: Iterable[str], out: str, chunk: int) -> Iterable[dict[str, Any]]:
    """Without Dask: outcomes from the local pool, written by this process in parts of ``chunk``."""
    buf: list[Outcome] = []
    for o in eng.imap(inputs):
        buf.append(o)
        if len(buf) >= chunk:
            yield _flush(buf, out)
            buf = []
    if buf:
        yield _flush(buf, out)


def _flush(buf: list[Outcome], out: str) -> dict[str, Any]:
    part = "part-" + hashlib.sha256("\n".join(sorted(o.path for o in buf)).encode()).hexdigest()[:16]
    write_parts(buf, out, part)
    return _count(buf)
