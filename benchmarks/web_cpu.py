"""CPU per request of the web app, in-process (a benchmark, not a test; load-independent).

    python benchmarks/web_cpu.py --n 100000 [--requests 200] [--profile report]

Drives the ASGI app of ``gongkai serve`` (``create_app``) in this process through httpx's
ASGI transport, on the database ``benchmarks/web_latency.py`` built, and reports the CPU time
(``time.process_time``, every thread of the process) per request of each route: the report
page and ``GET /api/reports/{id}`` on reports not seen before (cold: the benchmark's random
ids over its 2,000-report sample are mostly first views per server process) and seen before
(warm), and the corpus list's mix of filters and sorts. CPU time is what a loaded machine
does not change much; at 20 closed-loop clients on 2 cores, latency is about
20 / 2 x CPU per request, so these figures are what the latency targets need.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import pstats
import random
import statistics
import time
from pathlib import Path

import httpx

from gongkai.web import accounts
from gongkai.web.app import create_app, settle_heap
from gongkai.web.config import WebConfig

GC: dict[int, list[float]] = {0: [], 1: [], 2: []}
_gc_t = [0.0]


def _gc_watch(phase: str, info: dict) -> None:
    if phase == "start":
        _gc_t[0] = time.perf_counter()
    else:
        GC[info["generation"]].append((time.perf_counter() - _gc_t[0]) * 1000)


async def measure(client: httpx.AsyncClient, urls: list[str]) -> list[float]:
    out = []
    for url in urls:
        t = time.process_time()
        r = await client.get(url)
        out.append((time.process_time() - t) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{r.status_code} {url}: {r.text[:200]}")
    return out


def list_urls(rng: random.Random, n: int) -> list[str]:
    urls = []
    for _ in range(n):
        q = {"sort": rng.choice(["year", "body", "region", "errors"]), "order": rng.choice(["asc", "desc"])}
        r = rng.random()
        if r < 0.3:
            q["province"] = rng.choice(["江苏省", "浙江省", "广东省", "四川省"])
        elif r < 0.5:
            q["year"] = rng.choice(["2021", "2019"])
        elif r < 0.6:
            q["findings"] = "errors"
        urls.append("/reports?" + "&".join(f"{k}={v}" for k, v in q.items()))
    return urls


async def _inline(func, *args, **kwargs):  # type: ignore[no-untyped-def]
    return func(*args, **kwargs)


def run_handlers_inline() -> None:
    """Sync handlers and dependencies in the event loop's thread, so that cProfile sees them."""
    import fastapi.dependencies.utils
    import fastapi.routing

    fastapi.routing.run_in_threadpool = _inline
    fastapi.dependencies.utils.run_in_threadpool = _inline


async def run(a: argparse.Namespace) -> None:
    if a.profile:
        run_handlers_inline()
    root = Path(a.dir)
    db = f"sqlite:///{root / f'web-{a.n}.db'}"
    data_dir = root / f"files-{a.n}"
    ids = json.loads((data_dir / "bench-sample.json").read_text())
    app = create_app(WebConfig.make(db, data_dir, background_ingest=False))
    engine = app.state.engine
    if "bench" not in {u["name"] for u in accounts.list_users(engine)}:
        accounts.add_user(engine, "bench", "viewer", "bench-password")
    token = accounts.make_token(engine, "bench")
    if not a.no_settle:
        settle_heap()  # as gongkai serve does
    rng = random.Random(a.seed)
    rng.shuffle(ids)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test", headers={"Authorization": f"Bearer {token}"}) as c:
        await measure(c, [f"/reports/{ids[-1]}", f"/api/reports/{ids[-2]}", "/reports"])  # imports, first queries
        k = a.requests
        cases = {
            "report page, cold": [f"/reports/{i}" for i in ids[:k]],
            "report page, warm": [f"/reports/{i}" for i in ids[:k]],
            "API report, cold": [f"/api/reports/{i}" for i in ids[k : 2 * k]],
            "API report, warm": [f"/api/reports/{i}" for i in ids[k : 2 * k]],
            "corpus list": list_urls(rng, max(20, k // 5)),
        }
        only = a.profile
        gc.callbacks.append(_gc_watch)
        for name, urls in cases.items():
            # every case runs (a warm case needs its cold one before it); the named ones profiled
            prof = cProfile.Profile() if only and name.startswith(only) else None
            if prof:
                prof.enable()
            ms = await measure(c, urls)
            if prof:
                prof.disable()
                st = pstats.Stats(prof)
                st.sort_stats(a.sort).print_stats(a.lines)
                if a.callers:
                    st.print_callers(a.callers)
            ms.sort()
            print(
                f"  {name:20s} CPU per request: mean {statistics.fmean(ms):6.1f} ms  p50 {statistics.median(ms):6.1f}  "
                f"p90 {ms[int(0.9 * (len(ms) - 1))]:6.1f}  max {ms[-1]:6.1f}  ({len(ms)} requests)",
                flush=True,
            )
            full = GC[2]
            print(
                f"    {len(GC[0])}/{len(GC[1])}/{len(full)} collections of generation 0/1/2; generation 2: max {max(full, default=0):.0f} ms"
            )
            for v in GC.values():
                v.clear()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--dir", default="/tmp/gongkai-web-bench")
    ap.add_argument("--requests", type=int, default=200, help="distinct reports per route")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument(
        "--no-settle", action="store_true", help="without gongkai serve's gc.freeze after start (web.app.settle_heap)"
    )
    ap.add_argument("--sort", default="cumulative")
    ap.add_argument("--lines", type=int, default=60)
    ap.add_argument("--callers", help="with --profile: who calls the functions matching this")
    ap.add_argument("--profile", help="cProfile the cases whose name starts with this (e.g. 'report page, cold')")
    asyncio.run(run(ap.parse_args()))


if __name__ == "__main__":
    main()
