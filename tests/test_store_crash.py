"""Crash test: SIGKILL an ingest at random moments, re-run, and find every report exactly once."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from gongkai.store import Corpus
from gongkai.store import corrections as fixes
from gongkai.store.schema import reports, source_paths
from helpers import CORPUS
from test_store import assert_whole

N_FILES = 240
# Small transactions (16 reports: batches and commits), so the kills land between and inside many of them; each
# transaction is held open a little after its rows are written (a slow disk), so that a run
# of 240 reports lasts long enough to be killed on a fast machine, and a kill often finds a
# transaction half done.
INGEST = (
    "import sys, time; import gongkai.store.ingest as i; i.BATCH_REPORTS = 16; i.BATCH_SECONDS = 0.3; "
    "import gongkai.store.writer as wr; wr.COMMIT_REPORTS = 16; "
    "import gongkai.store.write as w; _write = w.write_outcomes; "
    "w.write_outcomes = lambda conn, batch: (_write(conn, batch), time.sleep(0.05))[0]; "
    "from gongkai.store import Corpus; Corpus(sys.argv[1]).ingest([sys.argv[2]], jobs=2, progress=False)"
)


def test_killed_ingest_resumes_with_nothing_lost(store_url: str, tmp_path: Path, store_corpus) -> None:  # type: ignore[no-untyped-def]
    planted = store_corpus(tmp_path / "in", n_bodies=N_FILES // 4, years=range(2021, 2025), seed=11)
    assert len(planted.files) == N_FILES
    rng = random.Random(3)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1] / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    killed = 0
    with Corpus(store_url) as watch:  # creates the schema, then watches the count grow
        for target in sorted(rng.uniform(0.1, 0.8) for _ in range(3)):
            # its own session, so the kill takes the worker processes too, as a crash would
            proc = subprocess.Popen([sys.executable, "-c", INGEST, store_url, str(planted.root)], env=env, start_new_session=True)
            deadline = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < deadline and watch.counts()["reports"] < target * N_FILES:
                time.sleep(0.05)
            time.sleep(rng.uniform(0, 0.1))  # land anywhere in a batch, mid-transaction included
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                killed += 1
            proc.wait()
    with Corpus(store_url) as c:
        before = c.counts()["reports"]
        print(f"killed {killed} times; {before}/{N_FILES} reports in before the final run")
        s = c.ingest([planted.root], jobs=1, progress=False)
        assert s.failed == 0
        assert s.parsed + s.unchanged == N_FILES and s.parsed == N_FILES - before
        with c.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar() == N_FILES
            paths = [p for (p,) in conn.execute(sa.select(source_paths.c.path))]
        assert sorted(paths) == sorted(str(p) for p in planted.files)
        assert_whole(c)
    assert killed >= 2 and 0 < before < N_FILES


def test_ctrl_c_stops_cleanly(tmp_path: Path, store_corpus) -> None:  # type: ignore[no-untyped-def]
    planted = store_corpus(tmp_path / "in", n_bodies=80, years=range(2021, 2024), seed=5)
    db = tmp_path / "c.db"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1] / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    cmd = [
        sys.executable,
        "-c",
        "import gongkai.store.ingest as i; i.BATCH_REPORTS = 16; i.BATCH_SECONDS = 0.3; "
        "import gongkai.store.writer as wr; wr.COMMIT_REPORTS = 16; from gongkai.cli import main; main()",
        "ingest",
        str(planted.root),
        "--db",
        str(db),
        "--jobs",
        "2",
    ]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with Corpus(db) as watch:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline and watch.counts()["reports"] < 1:
            time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGINT)  # what the terminal sends to the whole group
    out, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        return  # finished before the signal landed: nothing to check
    assert proc.returncode == 130, out + err[-3000:]
    assert "已中断" in out
    with Corpus(db) as c:
        assert_whole(c)
        assert c.ingest([planted.root], jobs=1, progress=False).failed == 0
        assert c.counts()["reports"] == len(planted.files)


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1] / "src"), os.environ.get("PYTHONPATH", "")]),
    }


def _kill_when(proc: subprocess.Popen, ready, limit: float = 90) -> bool:  # type: ignore[no-untyped-def,type-arg]
    """SIGKILL ``proc``'s session once ``ready()``; False if it finished first."""
    deadline = time.monotonic() + limit
    while proc.poll() is None and time.monotonic() < deadline and not ready():
        time.sleep(0.02)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return True
    return False


def test_killed_during_migrations_opens_and_ingests(tmp_path: Path, store_corpus) -> None:  # type: ignore[no-untyped-def]
    """SIGKILL while a fresh database is being migrated, at random moments, several times:
    the next open finishes the schema and an ingest stores every report once."""
    planted = store_corpus(tmp_path / "in", n_bodies=5, years=range(2021, 2023), seed=4)
    rng = random.Random(8)
    killed = 0
    for run in range(3):
        db = tmp_path / f"m{run}.db"
        t0 = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-c", "import sys; from gongkai.store import Corpus; Corpus(sys.argv[1])", str(db)],
            env=_env(),
            start_new_session=True,
        )
        delay = rng.uniform(0.2, 1.5)
        killed += _kill_when(proc, lambda t0=t0, delay=delay, db=db: db.exists() and time.monotonic() - t0 > delay)
        with Corpus(db) as c:
            s = c.ingest([planted.root], jobs=1, progress=False)
            assert s.failed == 0 and s.parsed == len(planted.files)
            assert c.counts()["reports"] == len(planted.files)
            assert_whole(c)
    assert killed >= 1


def test_killed_dask_ingest_resumes_with_nothing_lost(tmp_path: Path, store_corpus) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("distributed")
    planted = store_corpus(tmp_path / "in", n_bodies=30, years=range(2021, 2025), seed=9)
    n = len(planted.files)
    db = tmp_path / "d.db"
    code = (
        "import sys; import gongkai.store.ingest as i; i.BATCH_REPORTS = 8; i.BATCH_SECONDS = 0.2; "
        "import gongkai.store.writer as wr; wr.COMMIT_REPORTS = 8; "
        "from gongkai.store import Corpus; Corpus(sys.argv[1]).ingest([sys.argv[2]], jobs=2, engine='dask', progress=False)"
    )
    with Corpus(db) as watch:
        proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(planted.root)], env=_env(), start_new_session=True)
        killed = _kill_when(proc, lambda: watch.counts()["reports"] >= n // 4, limit=120)
        before = watch.counts()["reports"]
    with Corpus(db) as c:
        s = c.ingest([planted.root], jobs=1, progress=False)
        assert s.failed == 0 and s.parsed + s.unchanged == n and s.parsed == n - before
        assert c.counts()["reports"] == n
        assert_whole(c)
    assert killed and 0 < before < n


def test_killed_agency_import_is_all_or_nothing(tmp_path: Path) -> None:
    """The workbench's records: a ledger import killed with SIGKILL at random moments leaves
    all of its records or none, and the import run again stores each once."""
    from gongkai.store.schema import agency_applications

    n = 3000
    ledger = tmp_path / "依申请公开.csv"
    rows = ["编号,收到日期,申请方式,申请人类型,申请人,申请内容,答复日期,办理结果,承办人"]
    rows += [f"2023-{i:05},2023-03-01,网络,自然人,某{i},内容{i},2023-03-10,予以公开,李明" for i in range(n)]
    ledger.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'a.db'}"
    with Corpus(db):  # the schema first: the kills land in the import
        pass
    cmd = [
        sys.executable,
        "-c",
        "from gongkai.cli import main; main()",
        "agency",
        "import",
        str(ledger),
        "--db",
        db,
        "--body",
        "某县",
    ]
    rng = random.Random(2)
    engine = sa.create_engine(db)
    count = lambda: engine.connect().execute(sa.select(sa.func.count()).select_from(agency_applications)).scalar()  # noqa: E731
    for _ in range(3):
        t0, delay = time.monotonic(), rng.uniform(1.5, 5.0)  # the whole import takes ~5 s here
        proc = subprocess.Popen(cmd, env=_env(), start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _kill_when(proc, lambda t0=t0, delay=delay: time.monotonic() - t0 > delay)
        assert count() in (0, n)
    subprocess.run(cmd, env=_env(), check=True, stdout=subprocess.DEVNULL)
    subprocess.run(cmd, env=_env(), check=True, stdout=subprocess.DEVNULL)
    assert count() == n
    engine.dispose()


CORRECT = (
    "import sys; import sqlalchemy as sa; from gongkai.store import corrections as fixes; "
    "from gongkai.store.schema import reports; "
    "engine = sa.create_engine(sys.argv[1]); "
    "rid = engine.connect().execute(sa.select(reports.c.id)).scalar(); "
    "[fixes.correct(engine, rid, 't3.received.natural_person', n, f'r{n}', 'ann') for n in range(int(sys.argv[2]), 10**6)]"
)


def test_killed_corrections_keep_every_audit_row(tmp_path: Path) -> None:
    """The web app's corrections: a reviewer process killed with SIGKILL at random moments,
    several times, leaves every correction with its audit row and no audit row without its
    correction; the review count matches, and the next correction goes through."""
    from gongkai.store.schema import audit_log, corrections, report_review

    src = tmp_path / "in"
    src.mkdir()
    seed = sorted((CORPUS / "seeds").glob("*.txt"))[0]
    (src / seed.name).write_bytes(seed.read_bytes())
    db = f"sqlite:///{tmp_path / 'c.db'}"
    with Corpus(db) as c:
        assert c.ingest([src], jobs=1, progress=False).parsed == 1
    engine = sa.create_engine(db)
    rng = random.Random(5)

    def reasons() -> tuple[list[str], list[str]]:
        with engine.connect() as conn:
            fixed = [r for (r,) in conn.execute(sa.select(corrections.c.reason).order_by(corrections.c.id))]
            audited = [
                d["reason"]
                for (d,) in conn.execute(
                    sa.select(audit_log.c.detail).where(audit_log.c.action == "cell.correct").order_by(audit_log.c.id)
                )
            ]
        return fixed, audited

    killed = 0
    for _ in range(3):
        start = len(reasons()[0])
        proc = subprocess.Popen([sys.executable, "-c", CORRECT, db, str(start)], env=_env(), start_new_session=True)
        delay, t0 = rng.uniform(0.5, 2.0), time.monotonic()
        killed += _kill_when(proc, lambda t0=t0, delay=delay, start=start: len(reasons()[0]) > start and time.monotonic() - t0 > delay)
        fixed, audited = reasons()
        assert fixed == audited == [f"r{n}" for n in range(len(fixed))]  # none lost, none twice, none half
    assert killed == 3
    with engine.connect() as conn:
        n_fixed = conn.execute(sa.select(report_review.c.n_corrections)).scalar()
    assert n_fixed == 1  # one cell corrected, however many times
    with engine.connect() as conn:
        rid = conn.execute(sa.select(reports.c.id)).scalar()
    assert fixes.correct(engine, rid, "t3.received.natural_person", 1, "after", "ann").corrections
