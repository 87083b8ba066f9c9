"""Ingest benchmark: a generated corpus into SQLite, against bare parsing on the same cores.

    .venv/bin/python benchmarks/bench_ingest.py --n 20000            # about 5 minutes on 2 cores
    .venv/bin/python benchmarks/bench_ingest.py --n 100000 --jobs 2
    .venv/bin/python benchmarks/bench_ingest.py --writer --n 20000   # the parent's writing alone
    .venv/bin/python benchmarks/bench_ingest.py --writer --n 300032 --writer-sample 1000 --jobs 1 --every 20480 --reference 20480

Prints generation time, bare parsing throughput (``gongkai.parse`` in a process pool, no
database), ingest throughput and their ratio (target: ingest within 2x of bare parsing),
the same ratio in CPU time (parent, workers and fork server together: on a machine shared
with other jobs the wall clock moves by 2x within minutes, CPU time much less), the memory
of the ingest (parent plus workers) sampled over time and shown at 10 %, 50 % and 100 % of
the corpus (it should stay flat), and the time of ``stats`` and of the cross-report checks
(body histories plus the near-duplicate pass) on the result, with how many of the copied
narratives planted in the corpus (``--copies``) the check found and what else it reported.

``--writer`` measures what the parent does per report in isolation: it parses a sample of
the corpus once, then replays the outcomes under fresh ids (each a body of its own) through
``write_batch`` into an empty database, printing CPU and wall milliseconds per report as
the database grows, and the cost of pickling an outcome (what a worker sends); with user and
system CPU and the I/O system calls per report. ``--reference 20480`` also writes, alongside,
into a second database held at about 20,480 reports and prints the ratio of the two costs
per window: the figure for "the cost at 300,000 against the cost at 20,000" under one load
(docs/performance.md, Ingest write cost).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import random
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil

YEARS = range(2021, 2026)
_CN = "零一二三四五六七八九"  # 〇 (U+3007) is not a CJK ideograph: the parser would cut the name there


def body_names(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct bodies (by normalized name; the fixture pool has ~2,300, the rest are numbered)."""
    from gongkai.corpus.bodies import resolve_body
    from gongkai.testing.fixtures import random_body

    out: dict[str, str] = {}
    i = 0
    while len(out) < n:
        name = random_body(rng)
        if resolve_body(name).normalized in out:
            i += 1
            name = name + "第" + "".join(_CN[int(d)] for d in str(i)) + "分局"
        out.setdefault(resolve_body(name).normalized, name)
    return list(out.values())


def generate(root: Path, n: int, seed: int = 1, copies: float = 0.0) -> int:
    """``n`` reports, five years per body. A fraction ``copies`` of them take another body's
    narrative of the same year (五、存在的主要问题 or 一、总体情况, verbatim but for the
    body's own name), recorded next to ``root`` in ``planted.json`` as [copier, source, year, section]."""
    from gongkai.render.text import render_text
    from gongkai.testing.fixtures import random_report

    rng = random.Random(seed)
    names = body_names(rng, (n + len(YEARS) - 1) // len(YEARS))
    recent: dict[int, list[tuple[str, dict[str, str]]]] = {y: [] for y in YEARS}  # earlier bodies' sections
    planted: list[tuple[str, str, int, str]] = []
    written = 0
    for i, body in enumerate(names):
        folder = root / f"{i // 1000:03d}" / f"b{i:06d}"
        folder.mkdir(parents=True, exist_ok=True)
        for year in YEARS:
            if written == n:
                break
            spec = random_report(rng, "2021", body=body, year=year)
            if recent[year] and rng.random() < copies:
                source, sections = rng.choice(recent[year])
                section = rng.choice(("problems", "overview"))
                spec.sections[section] = sections[section]
                planted.append((body, source, year, section))
            recent[year] = [*recent[year][-199:], (body, spec.sections)]
            (folder / f"{year}.txt").write_text(render_text(spec, "tsv", seed=written), encoding="utf-8")
            written += 1
    root.with_name("planted.json").write_text(json.dumps(planted, ensure_ascii=False), encoding="utf-8")
    return written


def _bare(path: str) -> int:
    from gongkai.api import parse

    return len(parse(path).cells)


def bare_parse(files: list[str], jobs: int) -> tuple[float, float]:
    """(reports per second, CPU milliseconds per report of the pool's workers)."""
    t0, c0 = time.perf_counter(), os.times()
    with ProcessPoolExecutor(jobs) as pool:
        for _ in pool.map(_bare, files, chunksize=32):
            pass
    c1 = os.times()
    cpu = c1.children_user + c1.children_system - c0.children_user - c0.children_system
    return len(files) / (time.perf_counter() - t0), cpu / len(files) * 1e3


def tree_cpu() -> float:
    """CPU seconds of this process and everything under it, finished children included
    (the workers fork from a fork server: their time shows in its children's)."""
    me = psutil.Process()
    t = me.cpu_times()
    total = t.user + t.system + t.children_user + t.children_system
    for child in me.children(recursive=True):
        try:
            c = child.cpu_times()
            total += c.user + c.system + c.children_user + c.children_system
        except psutil.Error:
            pass
    return total


class Sampler(threading.Thread):
    """RSS of this process and its children, with the number of reports stored, every 0.5 s."""

    def __init__(self, db: Path) -> None:
        super().__init__(daemon=True)
        self.db = db
        self.samples: list[tuple[float, int, int, int]] = []  # (seconds, reports, parent rss, workers rss)
        self.stop = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        t0 = time.perf_counter()
        while not self.stop.wait(0.5):
            rss, kids = me.memory_info().rss, 0
            for child in me.children(recursive=True):
                try:
                    kids += child.memory_info().rss
                except psutil.Error:
                    pass
            try:
                con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=1)
                n = con.execute("SELECT count(*) FROM reports").fetchone()[0]
                con.close()
            except sqlite3.Error:
                n = self.samples[-1][1] if self.samples else 0
            self.samples.append((time.perf_counter() - t0, n, rss, kids))

    def at(self, reports: int) -> tuple[float, int, int, int]:
        for s in self.samples:
            if s[1] >= reports:
                return s
        return self.samples[-1]


def copies_found(corpus: object, planted_file: Path) -> str:
    """How many planted copies the check reported, and how many COPIED_NARRATIVE it gave
    for pairs that were not planted (false alarms)."""
    import sqlalchemy as sa

    from gongkai.store.schema import findings, reports

    planted = {(frozenset((a, b)), y) for a, b, y, _ in json.loads(planted_file.read_text(encoding="utf-8"))}
    with corpus.engine.connect() as conn:  # type: ignore[attr-defined]
        who = {
            rid: (body, year) for rid, body, year in conn.execute(sa.select(reports.c.id, reports.c.issuing_body, reports.c.year))
        }
        pairs = [ids for (ids,) in conn.execute(sa.select(findings.c.report_ids).where(findings.c.rule == "COPIED_NARRATIVE"))]
    found, other = set(), 0
    for ids in pairs:
        (a, ya), (b, yb) = who[ids[0]], who[ids[1]]
        key = (frozenset((a, b)), ya)
        if ya == yb and key in planted:
            found.add(key)
        else:
            other += 1
    return f"planted copies found {len(found)}/{len(planted)}; COPIED_NARRATIVE on pairs not planted: {other}"


def wal_pages(db: Path) -> list[int]:
    """The page numbers of the frames in ``db``'s write-ahead log, in order (a frame is a
    24-byte header, its page number first, then the page)."""
    import struct

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    data = Path(f"{db}-wal").read_bytes()
    return [struct.unpack_from(">I", data, i)[0] for i in range(32, len(data) - size - 23, size + 24)]


def pages_by_btree(db: Path, pages: list[int], reports: int) -> str:
    """Pages a batch wrote, per report, by the table or index they belong to (SQLite's dbstat)."""
    from collections import Counter

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        where = dict(con.execute("SELECT pageno, name FROM dbstat"))
    except sqlite3.Error as e:
        return f"(no dbstat in this SQLite: {e})"
    finally:
        con.close()
    counts = Counter(where.get(p, "(free list)") for p in pages)
    parts = ", ".join(f"{name} {k / reports:.2f}" for name, k in counts.most_common())
    return f"{len(pages) / reports:.2f} pages per report: {parts}"


class Usage:
    """This thread's user and system CPU and this process's I/O system calls (Linux
    ``/proc/self/io``) over the spans between ``start`` and ``stop``."""

    FIELDS = ("syscr", "syscw", "rchar", "wchar")

    def __init__(self) -> None:
        self.user = self.system = 0.0
        self.io = dict.fromkeys(self.FIELDS, 0)
        self.reports = 0  # counted by the caller where it wants
        self._at: tuple[float, float, dict[str, int]] | None = None

    @staticmethod
    def _now() -> tuple[float, float, dict[str, int]]:
        import resource

        r = resource.getrusage(resource.RUSAGE_THREAD)
        io = {}
        with contextlib.suppress(OSError):
            for line in Path("/proc/self/io").read_text().splitlines():
                k, v = line.split(":")
                io[k] = int(v)
        return r.ru_utime, r.ru_stime, io

    def start(self) -> None:
        self._at = self._now()

    def stop(self) -> None:
        assert self._at is not None
        u0, s0, io0 = self._at
        u1, s1, io1 = self._now()
        self.user += u1 - u0
        self.system += s1 - s0
        for k in self.FIELDS:
            self.io[k] += io1.get(k, 0) - io0.get(k, 0)

    def per(self, reports: int) -> str:
        io = {k: v / reports for k, v in self.io.items()}
        return (
            f"user {self.user / reports * 1e3:.3f} + system {self.system / reports * 1e3:.3f} ms; "
            f"{io['syscr']:.1f} reads ({io['rchar'] / 1024:.1f} KiB), {io['syscw']:.1f} writes "
            f"({io['wchar'] / 1024:.1f} KiB) per report"
        )


class Reference:
    """A second database held at about ``size`` reports, written one batch for every
    ``every_nth`` of the growing one's, so that the cost at ``size`` is measured throughout
    the run, under the same load as the cost at the growing size (a shared machine's load
    moves CPU time by tens of percent within minutes). The timed reports take it from
    ``size - SPAN / 2`` to ``size + SPAN / 2``; then it is set back to a copy taken at
    ``size - SPAN / 2 - WARM`` and ``WARM`` reports are written untimed (the writer's page
    cache filled again, its transaction sized as in the ingest) before timing again."""

    SPAN = 8192
    WARM = 2048

    def __init__(self, work: Path, size: int, fresh: Callable[[int], object], batch: int, pragmas: tuple[str, ...]) -> None:
        from gongkai.store.db import open_engine

        self.path, self.copy = work / "reference.db", work / "reference-base.db"
        self.size, self.fresh, self.batch, self.pragmas = size, fresh, batch, pragmas
        self.k = 10_000_000  # ids apart from the growing database's
        self.usage = Usage()
        self._remove(self.path)
        engine = open_engine(self.path)
        self._connect(engine)
        self._write(size - self.SPAN // 2 - self.WARM)
        self.txs.close()
        self.conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()
        engine.dispose()
        shutil.copyfile(self.path, self.copy)
        self._reopen()

    @staticmethod
    def _remove(db: Path) -> None:
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)

    def _connect(self, engine: object) -> None:
        from gongkai.store.writer import Transactions

        self.engine = engine
        self.conn = engine.connect()  # type: ignore[attr-defined]
        for pragma in self.pragmas:
            self.conn.exec_driver_sql(f"PRAGMA {pragma}")
            self.conn.commit()
        self.txs = Transactions(self.conn)

    def _write(self, n: int) -> None:
        end = self.k + n
        while self.k < end:
            todo = [self.fresh(k) for k in range(self.k, min(end, self.k + self.batch))]
            self.txs.write(todo)  # type: ignore[arg-type]
            self.k += len(todo)

    def _reopen(self) -> None:
        from gongkai.store.db import open_engine

        self._remove(self.path)
        shutil.copyfile(self.copy, self.path)
        self._connect(open_engine(self.path))
        self._write(self.WARM)
        self.count = self.size - self.SPAN // 2

    def write(self) -> None:
        """One timed batch."""
        todo = [self.fresh(k) for k in range(self.k, self.k + self.batch)]
        self.usage.start()
        w = self.txs.write(todo)  # type: ignore[arg-type]
        self.usage.stop()
        assert w.parsed == len(todo), w
        self.k += len(todo)
        self.count += len(todo)
        self.usage.reports += len(todo)
        if self.count >= self.size + self.SPAN // 2:
            self.close()
            self._reopen()

    def close(self) -> None:
        self.txs.close()
        self.conn.close()
        self.engine.dispose()  # type: ignore[attr-defined]


def writer_bench(
    corpus_dir: Path,
    work: Path,
    n: int,
    jobs: int,
    sample: int,
    batch: int,
    every: int = 0,
    pages: bool = False,
    fixed: bool = False,
    compare: bool = False,
    pragmas: tuple[str, ...] = (),
    reference: int = 0,
    reference_nth: int = 2,
) -> None:
    """The parent's share alone: the writer's transactions (``writer.Transactions``, as the
    ingest commits them) on outcomes parsed beforehand; ``fixed``: a transaction per batch
    (``write_batch``, how the ingest committed before); ``compare``: both, into two databases
    that grow side by side, batch by batch in alternating order, so that the load of a shared
    machine falls on both alike; ``reference``: the cost at that size measured alongside
    (``Reference``), one batch for every ``reference_nth`` of the growing database's."""
    import dataclasses
    import hashlib

    from gongkai.store.db import open_engine
    from gongkai.store.work import process
    from gongkai.store.write import write_batch
    from gongkai.store.writer import COMMIT_REPORTS, COMMIT_SHARE, Transactions

    files = sorted(str(p) for p in corpus_dir.rglob("*.txt"))[:sample]
    t = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        outcomes = [o for o in pool.map(process, files, chunksize=32) if hasattr(o, "report")]
    print(f"parsed {len(outcomes)} outcomes to replay in {time.perf_counter() - t:.1f} s")
    blobs = [pickle.dumps(outcomes[i : i + 32], protocol=pickle.HIGHEST_PROTOCOL) for i in range(0, len(outcomes), 32)]
    c = time.process_time()
    for b in blobs:
        pickle.loads(b)
    loads = (time.process_time() - c) / len(outcomes) * 1e3
    print(
        f"an outcome: {sum(map(len, blobs)) / len(outcomes) / 1024:.1f} KiB pickled, "
        f"unpickled in {loads:.3f} ms (the parent's share of receiving it)"
    )

    def fresh(k: int) -> object:
        """Outcome ``k`` under a new hash, path and body: a report the database has not seen."""
        o = outcomes[k % len(outcomes)]
        digest = hashlib.sha256(f"replay {k}".encode()).hexdigest()
        new = dataclasses.replace(o, path=f"/replay/{k:07d}.txt", content_hash=digest)
        rid = new.id
        new.report = {
            **o.report,
            "id": rid,
            "source_id": rid,
            "path": new.path,
            "normalized_body": f"{o.report['normalized_body']}#{k}",
        }
        new.sections = [(rid, *s[1:]) for s in o.sections]
        new.bands = [(b[0], b[1], rid) for b in o.bands]
        new.minhash = [(rid, *m[1:]) for m in o.minhash]
        new.findings = [{**f, "report_id": rid} for f in o.findings]
        return new

    db = work / "writer.db"
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    engine = open_engine(db)
    conn = engine.connect()
    for pragma in pragmas:  # --pragma: a setting of the writer's connection to measure
        conn.exec_driver_sql(f"PRAGMA {pragma}")
        conn.commit()
    txs = Transactions(conn)

    def write(todo: list[object]) -> object:
        return write_batch(engine, todo) if fixed else txs.write(todo)  # type: ignore[arg-type]

    other = None
    if compare:
        db2 = work / "fixed.db"
        for p in (db2, Path(f"{db2}-wal"), Path(f"{db2}-shm")):
            p.unlink(missing_ok=True)
        other = open_engine(db2)
    cpu2 = 0.0
    ref = Reference(work, reference, fresh, batch, pragmas) if reference else None

    step = max(batch, (every or n // 5) // batch * batch)
    cpu = wall = 0.0
    usage = Usage()
    done = since = 0
    mark = step
    while done < n:
        todo = [fresh(k) for k in range(done, min(n, done + batch))]
        if other is not None and done // batch % 2:
            c = time.process_time()
            write_batch(other, todo)  # type: ignore[arg-type]
            cpu2 += time.process_time() - c
        turn = done // batch
        if ref is not None and turn % reference_nth == 0 and turn // reference_nth % 2:
            ref.write()  # before the growing database's batch every other time, after it otherwise
        c, t = time.process_time(), time.perf_counter()
        usage.start()
        w = write(todo)
        if done + len(todo) == n and not fixed:
            txs.commit()  # the last transaction's commit counts in the last window
        usage.stop()
        cpu += time.process_time() - c
        wall += time.perf_counter() - t
        assert w.parsed == len(todo), w
        if other is not None and not done // batch % 2:
            c = time.process_time()
            write_batch(other, todo)  # type: ignore[arg-type]
            cpu2 += time.process_time() - c
        if ref is not None and turn % reference_nth == 0 and not turn // reference_nth % 2:
            ref.write()
        done += len(todo)
        since += len(todo)
        if done >= mark or done == n:
            mark += step
            print(
                f"  {done:>7} reports stored: writer {cpu / since * 1e3:.3f} ms CPU, {wall / since * 1e3:.3f} ms wall per report"
                + (f"; a transaction per batch {cpu2 / since * 1e3:.3f} ms CPU ({cpu2 / cpu:.2f}x)" if other is not None else ""),
                flush=True,
            )
            print(f"    {usage.per(since)}", flush=True)
            if ref is not None and ref.usage.reports:
                r = ref.usage
                mine, theirs = (usage.user + usage.system) / since, (r.user + r.system) / r.reports
                print(
                    f"    at {reference} stored, alongside ({r.reports} reports): {r.per(r.reports)}; "
                    f"this size / {reference}: {mine / theirs:.2f}x (user {usage.user / since / (r.user / r.reports):.2f}x, "
                    f"system {usage.system / since / (r.system / r.reports):.2f}x)",
                    flush=True,
                )
                ref.usage = Usage()
            usage = Usage()
            cpu = wall = cpu2 = 0.0
            since = 0
            if pages and done < n:
                # one transaction more, untimed, after emptying the log: which B-trees its pages belong to
                txs.commit()
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.commit()
                first = done
                end = min(n, first + (batch if fixed else max(COMMIT_REPORTS, txs.stored // COMMIT_SHARE)))
                while done < end:
                    todo = [fresh(k) for k in range(done, min(end, done + batch))]
                    write(todo)
                    done += len(todo)
                txs.commit()
                print(
                    f"    WAL of the next transaction ({done - first} reports): {pages_by_btree(db, wal_pages(db), done - first)}"
                )
    txs.close()
    conn.close()
    if ref is not None:
        ref.close()
    if other is not None:
        other.dispose()
    size = sum(p.stat().st_size for p in work.glob("writer.db*"))
    print(f"  database: {size / 2**20:.0f} MiB, {size / n / 1024:.1f} KiB per report; {txs.commits} commits")
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20000, help="reports in the corpus (default 20000)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--bare-sample", type=int, default=4000, help="files parsed for the bare throughput")
    ap.add_argument("--copies", type=float, default=0.002, help="fraction of reports given another body's narrative")
    ap.add_argument("--workdir", type=Path, default=None, help="where the corpus and database go (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the corpus and database")
    ap.add_argument("--writer", action="store_true", help="time the parent's writing alone (see above)")
    ap.add_argument("--writer-sample", type=int, default=3000, help="--writer: reports parsed once and replayed")
    ap.add_argument("--batch", type=int, default=256, help="--writer: reports per transaction")
    ap.add_argument("--every", type=int, default=0, help="--writer: print the cost per report every this many (default n/5)")
    ap.add_argument("--pages", action="store_true", help="--writer: at each print, the pages one transaction writes, by B-tree")
    ap.add_argument("--compare", action="store_true", help="--writer: also a transaction per batch, side by side (see above)")
    ap.add_argument(
        "--fixed",
        action="store_true",
        help="--writer: a transaction per batch (the writer before its growing transactions), to compare",
    )
    ap.add_argument(
        "--cache-kib-per-report",
        type=int,
        default=0,
        help="--writer: the writer's page cache per report stored (default: writer.py's)",
    )
    ap.add_argument(
        "--reference", type=int, default=0, help="--writer: also measure the cost at this size, alongside (e.g. 20480)"
    )
    ap.add_argument("--reference-nth", type=int, default=2, help="--writer --reference: one reference batch per this many")
    ap.add_argument(
        "--pragma", action="append", default=[], help="--writer: PRAGMA on the writer's connection (repeatable), e.g. mmap_size=0"
    )
    args = ap.parse_args()

    from gongkai.store import Corpus
    from gongkai.store.checks import candidate_pairs

    work = args.workdir or Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    corpus_dir, db = work / "corpus", work / "bench.db"
    try:
        if not corpus_dir.exists():
            t = time.perf_counter()
            n = generate(corpus_dir, args.writer_sample if args.writer else args.n, copies=args.copies)
            print(f"generated {n} reports (gongkai.testing.fixtures + gongkai.render) in {time.perf_counter() - t:.1f} s")
        if args.writer:
            if args.cache_kib_per_report:
                from gongkai.store import writer

                writer.CACHE_KIB_PER_REPORT = args.cache_kib_per_report
            writer_bench(
                corpus_dir,
                work,
                args.n,
                args.jobs,
                args.writer_sample,
                args.batch,
                args.every,
                args.pages,
                args.fixed,
                args.compare,
                tuple(args.pragma),
                args.reference,
                args.reference_nth,
            )
            return
        files = sorted(str(p) for p in corpus_dir.rglob("*.txt"))
        sample = random.Random(0).sample(files, min(args.bare_sample, len(files)))
        bare, bare_cpu = bare_parse(sample, args.jobs)
        print(
            f"bare parsing ({args.jobs} processes, {len(sample)} files): {bare:.1f} reports/s, {bare_cpu:.2f} ms CPU per report"
        )

        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
        corpus = Corpus(db)
        sampler = Sampler(db)
        sampler.start()
        t, c = time.perf_counter(), tree_cpu()
        summary = corpus.ingest([corpus_dir], jobs=args.jobs, progress=False)
        seconds = time.perf_counter() - t
        time.sleep(0.5)  # the fork server reaps the workers
        cpu = (tree_cpu() - c) / summary.parsed * 1e3
        sampler.stop.set()
        sampler.join()
        # Other work on a shared machine moves throughput within minutes: measure bare
        # parsing again after the ingest and compare with the mean of the two.
        bare_after, bare_cpu_after = bare_parse(sample, args.jobs)
        print(f"bare parsing again after the ingest: {bare_after:.1f} reports/s, {bare_cpu_after:.2f} ms CPU per report")
        bare, bare_cpu = (bare + bare_after) / 2, (bare_cpu + bare_cpu_after) / 2
        rate = summary.parsed / seconds
        print(
            f"ingest: {summary.parsed} reports in {seconds:.1f} s = {rate:.1f} reports/s "
            f"({bare / rate:.2f}x the bare parsing time; failed {summary.failed}, partial {summary.partial})"
        )
        print(f"  CPU per report: ingest {cpu:.2f} ms (parent, workers, fork server) = {cpu / bare_cpu:.2f}x bare parsing")
        total = summary.parsed
        for frac in (0.1, 0.25, 0.5, 0.75, 1.0):
            s, n, rss, kids = sampler.at(int(total * frac))
            print(
                f"  RSS at {frac:>4.0%} ({n:>7} reports, {s:6.1f} s): parent {rss / 2**20:6.1f} MiB, "
                f"{args.jobs} workers {kids / 2**20:6.1f} MiB"
            )
        peak = max(x[2] + x[3] for x in sampler.samples)
        print(f"  peak RSS (parent + workers + fork server): {peak / 2**20:.1f} MiB")
        size = sum(p.stat().st_size for p in work.glob("bench.db*"))
        print(f"  database: {size / 2**20:.0f} MiB, {corpus.counts()['cells']} cells")

        t = time.perf_counter()
        again = corpus.ingest([corpus_dir], jobs=args.jobs, progress=False)
        print(f"re-run (nothing new): {again.unchanged} unchanged in {time.perf_counter() - t:.1f} s")

        t = time.perf_counter()
        rows = corpus.stats()
        print(f"gongkai stats: {len(rows)} rows in {time.perf_counter() - t:.2f} s")

        t = time.perf_counter()
        with corpus.engine.connect() as conn:
            pairs = sum(1 for _ in candidate_pairs(conn))
        print(f"near-duplicate candidate pairs (band-key self-join): {pairs} in {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        checked = corpus.check()
        print(
            f"check-corpus (histories + near duplicates): {time.perf_counter() - t:.1f} s; {checked.to_json()['findings_by_rule']}"
        )
        if (work / "planted.json").exists():
            print(f"  {copies_found(corpus, work / 'planted.json')}")
        corpus.close()
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
        elif args.keep:
            print(f"kept {work}")


if __name__ == "__main__":
    main()
