"""The writer's transactions: many batches in one, in group savepoints (store/writer.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from gongkai.store import Corpus, write, writer
from gongkai.store.schema import failures, reports
from gongkai.store.work import Parsed, process
from gongkai.store.writer import Transactions, Writer, group_reports, writer_cache_kib
from test_store import assert_whole


@pytest.fixture
def outcomes(tmp_path: Path, store_report_text) -> list[Parsed]:  # type: ignore[no-untyped-def]
    out = []
    for i, body in enumerate(
        ["南京市玄武区教育局", "苏州市财政局", "无锡市民政局", "常州市交通运输局", "扬州市水利局", "镇江市审计局"]
    ):
        p = tmp_path / "in" / f"r{i}.txt"
        p.parent.mkdir(exist_ok=True)
        p.write_text(store_report_text(body, 2022, seed=i), encoding="utf-8")
        o = process(str(p))
        assert isinstance(o, Parsed)
        out.append(o)
    return out


def _count(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar() or 0


def test_batches_share_a_transaction_and_a_bad_report_costs_only_itself(
    store_url: str, outcomes: list[Parsed], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = write._bulk
    bad = outcomes[3].id

    def flaky(conn, table, rows):  # type: ignore[no-untyped-def]
        real(conn, table, rows)  # its sources and reports rows are in: the savepoint must take them back
        if table.name == "sections" and any(r[0] == bad for r in rows):
            raise RuntimeError("磁盘已满（测试）")

    monkeypatch.setattr(write, "_bulk", flaky)
    monkeypatch.setattr(writer, "COMMIT_REPORTS", 4)
    with Corpus(store_url) as c, c.engine.connect() as conn:
        txs = Transactions(conn)
        got = [txs.write(outcomes[i : i + 2]) for i in (0, 2)]  # four reports, one transaction
        assert [(w.parsed, w.failed) for w in got] == [(2, 0), (1, 1)]
        # the savepoints were released inside the transaction, not committed: nothing is seen yet
        assert txs.commits == 0 and _count(c.engine) == 0
        txs.write(outcomes[4:])  # the transaction holds 4: committed before this batch
        assert txs.commits == 1 and _count(c.engine) == 3
        txs.close()
        assert txs.commits == 2 and _count(c.engine) == 5
        with c.engine.connect() as check:
            assert check.execute(sa.select(failures.c.code)).scalars().all() == ["store_error"]
        assert_whole(c)


def test_a_bad_report_late_in_a_group_costs_only_itself_and_nothing_is_counted_twice(
    store_url: str, outcomes: list[Parsed], monkeypatch: pytest.MonkeyPatch
) -> None:
    # three batches in one group savepoint; the last one's second report breaks it: the group
    # is rolled back, its first two batches written again, and the last retried report by report
    real = write._bulk
    bad = outcomes[5].id
    calls: list[int] = []

    def flaky(conn, table, rows):  # type: ignore[no-untyped-def]
        real(conn, table, rows)
        if table.name == "reports":
            calls.append(len(rows))
        if table.name == "report_cells" and any(r[0] == bad for r in rows):
            raise RuntimeError("磁盘已满（测试）")

    monkeypatch.setattr(write, "_bulk", flaky)
    with Corpus(store_url) as c:
        seen: list[write.Written] = []
        w = Writer(c.engine, seen.append)
        w.start()
        for i in (0, 2, 4):
            w.put(outcomes[i : i + 2])
        w.close()
        assert [(x.parsed, x.failed) for x in seen] == [(2, 0), (2, 0), (1, 1)]
        # the three batches in the group; the first two again after the rollback; the last in
        # a savepoint of its own (it fails again), then each of its reports alone
        assert calls == [2, 2, 2, 2, 2, 2, 1, 1]
        assert _count(c.engine) == 5 and w.commits == 1
        with c.engine.connect() as check:
            assert check.execute(sa.select(failures.c.path)).scalars().all() == [outcomes[5].path]
        assert_whole(c)


def test_a_group_savepoint_spans_batches_and_ends_at_its_size(
    tmp_path: Path, outcomes: list[Parsed], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "GROUP_REPORTS", 4)
    with Corpus(tmp_path / "c.db") as c, c.engine.connect() as conn:
        txs = Transactions(conn)
        txs.write(outcomes[:2])
        assert txs.savepoint is not None and txs.in_group == 2  # still open: the next batch joins it
        txs.write(outcomes[2:4])
        assert txs.savepoint is None and txs.group == []  # four reports: released, outcomes let go
        txs.write(outcomes[4:])
        assert txs.savepoint is not None and txs.in_tx == 6
        txs.close()
        assert txs.savepoint is None and _count(c.engine) == 6
    assert group_reports(0) == 4
    assert group_reports(64 * 1000) == 1000
    assert group_reports(10**9) == writer.GROUP_MAX


def test_the_writer_commits_when_idle_and_at_close(store_url: str, outcomes: list[Parsed]) -> None:
    with Corpus(store_url) as c:
        seen = []
        w = Writer(c.engine, seen.append)
        w.start()
        w.put(outcomes[:3])
        deadline = time.monotonic() + 30
        while _count(c.engine) < 3 and time.monotonic() < deadline:  # no more batches: committed when idle
            time.sleep(0.05)
        assert _count(c.engine) == 3 and w.is_alive()
        w.put(outcomes[3:])
        w.close()
        assert _count(c.engine) == 6 and sum(x.parsed for x in seen) == 6
        assert_whole(c)


def test_the_writer_cache_follows_the_corpus() -> None:
    assert writer_cache_kib(0) == writer.WRITER_CACHE_MIN_KIB
    assert writer_cache_kib(100_000) == 100_000 * writer.CACHE_KIB_PER_REPORT
    assert writer_cache_kib(10**9) == writer.WRITER_CACHE_MAX_KIB


def test_the_savepoints_journal_is_kept_in_memory_while_writing(tmp_path: Path, outcomes: list[Parsed]) -> None:
    # SQLite writes a savepoint's journal beyond 64 KiB to a temporary file unless
    # temp_store is MEMORY: the writer's connection keeps it in memory, and only while it writes
    with Corpus(tmp_path / "c.db") as c, c.engine.connect() as conn:

        def temp_store() -> int:
            return conn.exec_driver_sql("PRAGMA temp_store").scalar()  # type: ignore[no-any-return]

        assert temp_store() == 0
        conn.commit()
        txs = Transactions(conn)
        txs.write(outcomes[:3])
        assert temp_store() == 2  # 2 = MEMORY
        txs.close()
        assert temp_store() == 0 and _count(c.engine) == 3
