"""Latency of the web app under concurrent load on loopback (a benchmark, not a test).

    python benchmarks/web_latency.py --n 100000            # build the database once, then measure
    python benchmarks/web_latency.py --n 100000 --reuse    # measure again on the same database

Builds a corpus database of ``--n`` reports: ``--distinct`` random valid reports from
``gongkai.testing.fixtures`` rendered as text and parsed by this gongkai, then cloned (each
clone's bytes are the text plus a line with its number, so each has its own content hash,
body and id) and written by the store's writer (``gongkai.store.write.write_batch``), with
the bytes of a sample kept in the web app's object store so their report pages show the
source. Then starts ``gongkai serve`` (``--workers`` processes) and drives it with
``--clients`` concurrent clients (threads with keep-alive connections, a bearer token) for
each of: the report page, the corpus list (random filters and sorts, first and later pages),
and ``GET /api/reports/{id}``. Prints p50/p99/max per route and the corpus list's query plans.

Targets (issue 15): p99 < 300 ms for the report page and < 150 ms for the API call at 20
concurrent clients on the 2-core machine.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import psutil
import sqlalchemy as sa

from gongkai.render.text import render_text
from gongkai.store.db import open_engine
from gongkai.store.reparse import object_path
from gongkai.store.schema import reports
from gongkai.store.work import Parsed, process_bytes
from gongkai.store.write import write_batch
from gongkai.testing.fixtures import random_report
from gongkai.web import accounts
from gongkai.web.queries import ReportFilter, query_plan

BATCH = 256


def build(db: str, data_dir: Path, n: int, distinct: int, sample: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    engine = open_engine(db)
    bases: list[tuple[bytes, Parsed]] = []
    t0 = time.perf_counter()
    for k in range(distinct):
        spec = random_report(rng, rng.choice(["2021", "2021", "2019"]))
        data = render_text(spec, "tsv").encode()
        bases.append((data, process_bytes(data, f"bench/base{k}.txt", hashlib.sha256(data).hexdigest(), datetime.now())))
    print(f"parsed {distinct} distinct reports in {time.perf_counter() - t0:.1f} s", flush=True)
    sampled = set(rng.sample(range(n), min(sample, n)))
    objects = data_dir / "objects"
    t0 = time.perf_counter()
    batch: list[Parsed] = []
    ids: list[str] = []
    for i in range(n):
        data, base = bases[i % distinct]
        clone_bytes = data + f"\n（基准测试副本 {i}）\n".encode()
        digest = hashlib.sha256(clone_bytes).hexdigest()
        rid = digest[:16]
        row = dict(base.report)
        body = row["normalized_body"] or "某机关"
        row.update(
            id=rid,
            source_id=rid,
            path=f"bench/{i}.txt",
            normalized_body=f"{body}·{i // distinct}",
            issuing_body=row["issuing_body"],
        )
        p = replace(
            base,
            path=f"bench/{i}.txt",
            content_hash=digest,
            size=len(clone_bytes),
            report=row,
            sections=[(rid, key, text) for _, key, text in base.sections],
            findings=[{**f, "report_id": rid} for f in base.findings],
            bands=[],
            minhash=[],
        )
        batch.append(p)
        if i in sampled:
            dest = object_path(objects, digest)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(clone_bytes)
            ids.append(rid)
        if len(batch) >= BATCH:
            write_batch(engine, batch)
            batch = []
            if (i + 1) % 10000 < BATCH:
                print(f"  {i + 1} reports written, {time.perf_counter() - t0:.0f} s", flush=True)
    if batch:
        write_batch(engine, batch)
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("ANALYZE")
    print(f"wrote {n} reports in {time.perf_counter() - t0:.1f} s", flush=True)
    (data_dir / "bench-sample.json").write_text(json.dumps(ids))
    engine.dispose()
    return ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(base: str, token: str, urls: list[str], clients: int) -> list[float]:
    """Each client takes the next URL until none is left; latencies in ms.

    The clients are threads of this process, each with one keep-alive connection of the
    standard library's http.client, which costs ~0.5 ms of CPU a request here (httpx 3.9):
    the clients share the server's 2 cores, so what they spend is latency the server did
    not cause. Their CPU is printed next to the server's."""
    lat: list[float] = []
    lock = threading.Lock()
    it = iter(urls)
    failures: list[str] = []
    host = urlsplit(base)
    headers = {"Authorization": f"Bearer {token}"}

    def client() -> None:
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        try:
            while True:
                with lock:
                    url = next(it, None)
                if url is None:
                    return
                t = time.perf_counter()
                conn.request("GET", quote(url, safe="/?=&"), headers=headers)
                r = conn.getresponse()
                r.read()
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    lat.append(ms)
                    if r.status != 200:
                        failures.append(f"{r.status} {url}")
        finally:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        print(f"  {len(failures)} failed requests, e.g. {failures[:3]}")
    return lat


def server_cpu(server: subprocess.Popen) -> dict[int, float]:
    """CPU seconds so far of each of the server's processes (the uvicorn supervisor and its workers)."""
    root = psutil.Process(server.pid)
    out = {}
    for p in [root, *root.children(recursive=True)]:
        try:
            t = p.cpu_times()
        except psutil.Error:
            continue
        out[p.pid] = t.user + t.system
    return out


def client_cpu() -> float:
    t = psutil.Process().cpu_times()
    return t.user + t.system


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--distinct", type=int, default=300)
    ap.add_argument("--sample", type=int, default=2000, help="reports whose bytes are kept (report pages with their source)")
    ap.add_argument("--dir", default="/tmp/gongkai-web-bench")
    ap.add_argument("--reuse", action="store_true", help="measure on the database built before")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=600, help="per route")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--no-warm", action="store_true", help="measure without first reading the database file into the OS cache"
    )
    ap.add_argument("--threads", type=int, help="gongkai serve --threads (request threads per process; default: its own)")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--routes", default="page,list,api", help="which routes to measure: page, list, api (comma-separated)")
    a = ap.parse_args()
    root = Path(a.dir)
    db = f"sqlite:///{root / f'web-{a.n}.db'}"
    data_dir = root / f"files-{a.n}"
    if a.reuse:
        ids = json.loads((data_dir / "bench-sample.json").read_text())
    else:
        root.mkdir(parents=True, exist_ok=True)
        for p in root.glob(f"web-{a.n}.db*"):
            p.unlink()
        ids = build(db, data_dir, a.n, a.distinct, a.sample, a.seed)
    if not a.no_warm:
        # the database file once through the OS cache, as a server's is after a while: the
        # measurement is of the server, not of the disk (a cold 4 GB file made p99 ~0.5-1 s)
        t, size = time.perf_counter(), 0
        with open(root / f"web-{a.n}.db", "rb") as fh:
            while chunk := fh.read(8 << 20):
                size += len(chunk)
        print(f"read the database file ({size / 2**30:.1f} GiB) into the OS cache in {time.perf_counter() - t:.1f} s")
    engine = open_engine(db)
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar_one()
        provinces = [p for p in conn.execute(sa.select(reports.c.province).group_by(reports.c.province)).scalars() if p]
        years = [y for y in conn.execute(sa.select(reports.c.year).group_by(reports.c.year)).scalars() if y]
    if "bench" not in {u["name"] for u in accounts.list_users(engine)}:
        accounts.add_user(engine, "bench", "viewer", "bench-password")
    token = accounts.make_token(engine, "bench")
    print(f"database: {total} reports ({db})")
    for sort, f in (
        ("year", ReportFilter()),
        ("body", ReportFilter()),
        ("region", ReportFilter(province=provinces[0])),
        ("year", ReportFilter(year=years[0])),
    ):
        print(f"  plan sort={sort} {f.query_args()}: " + " | ".join(query_plan(engine, f, sort)))
    engine.dispose()

    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "gongkai.cli",
        "serve",
        "--db",
        db,
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        "--workers",
        str(a.workers),
        *(["--threads", str(a.threads)] if a.threads else []),
    ]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(base + "/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.25)
        rng = random.Random(a.seed)
        # warm every worker (imports, first queries)
        load(base, token, [f"/reports/{ids[i % len(ids)]}" for i in range(40)], a.clients)
        # the corpus list: a mix of filters and sorts, first pages and the page after
        lists = []
        for _ in range(a.requests):
            q = {"sort": rng.choice(["year", "body", "region", "errors"]), "order": rng.choice(["asc", "desc"])}
            r = rng.random()
            if r < 0.3:
                q["province"] = rng.choice(provinces)
            elif r < 0.5:
                q["year"] = rng.choice(years)
            elif r < 0.6:
                q["findings"] = "errors"
            lists.append("/reports?" + "&".join(f"{k}={v}" for k, v in q.items()))
        page1 = httpx.get(base + "/api/reports?limit=50", headers={"Authorization": f"Bearer {token}"}).json()
        lists[::5] = [f"/reports?after={page1['next']}"] * len(lists[::5])
        routes = {
            "report page GET /reports/{id}": [f"/reports/{rng.choice(ids)}" for _ in range(a.requests)],
            "corpus list GET /reports": lists,
            "API GET /api/reports/{id}": [f"/api/reports/{rng.choice(ids)}" for _ in range(a.requests)],
        }
        print(f"{a.clients} concurrent clients, {a.workers} server processes x {a.threads or 'default'} threads, {a.requests} requests per route")
        print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        chosen = {"page": "report page GET /reports/{id}", "list": "corpus list GET /reports", "api": "API GET /api/reports/{id}"}
        wanted = {chosen[r.strip()] for r in a.routes.split(",")}
        for name, urls in routes.items():
            if name not in wanted:
                continue
            t, s0, c0 = time.perf_counter(), server_cpu(server), client_cpu()
            lat = load(base, token, urls, a.clients)
            wall = time.perf_counter() - t
            s1, c_ms = server_cpu(server), (client_cpu() - c0) * 1000 / len(lat)
            per_process = sorted((s1[p] - s0.get(p, 0.0) for p in s1), reverse=True)
            s_ms = sum(per_process) * 1000 / len(lat)
            print(
                f"  {name:34s} p50 {statistics.median(lat):7.1f} ms  p99 {pct(lat, 99):7.1f} ms  max {max(lat):7.1f} ms  "
                f"({len(lat) / wall:.0f} req/s; CPU per request: server {s_ms:.1f} ms, clients {c_ms:.1f} ms; "
                f"server processes' CPU {' '.join(f'{x:.1f}' for x in per_process)} s)"
            )
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        server.terminate()
        server.wait(20)


if __name__ == "__main__":
    main()
