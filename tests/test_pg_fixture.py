"""The PostgreSQL tests leave the server as they found it: each test runs in a database of
its own, dropped afterwards, and the database named in GONGKAI_TEST_PG_URL is never touched."""

from __future__ import annotations

import pytest

from conftest import PG_URL, TEST_DB_PREFIX, fresh_pg_database

pytestmark = pytest.mark.skipif(not PG_URL, reason="GONGKAI_TEST_PG_URL 未设置")


def _databases(url: str) -> set[str]:
    import sqlalchemy as sa

    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql("SELECT datname FROM pg_database")}
    engine.dispose()
    return names


def _tables(engine) -> set[str]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {r[0] for r in conn.exec_driver_sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


def test_each_test_gets_its_own_database_dropped_after_and_the_users_is_untouched() -> None:
    import sqlalchemy as sa

    from gongkai.store import Corpus

    assert PG_URL
    user = sa.create_engine(PG_URL, poolclass=sa.pool.NullPool)
    with user.begin() as conn:  # a user's table in the database of the URL
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS users_own_data (x int)")
        conn.exec_driver_sql("INSERT INTO users_own_data VALUES (42)")
    before = _databases(PG_URL)
    tables_before = _tables(user)
    gen = fresh_pg_database(PG_URL)
    url = next(gen)
    name = sa.engine.make_url(url).database
    assert name and name.startswith(TEST_DB_PREFIX) and name not in before
    with Corpus(url) as c:  # the schema goes into the test's own database
        assert c.counts()["reports"] == 0
    assert name in _databases(PG_URL)
    with pytest.raises(StopIteration):
        next(gen)  # the fixture's teardown
    assert _databases(PG_URL) == before
    with user.begin() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM users_own_data WHERE x = 42").scalar_one() >= 1
    assert _tables(user) == tables_before  # no table of the test's corpus landed here
    with user.begin() as conn:
        conn.exec_driver_sql("DROP TABLE users_own_data")
    user.dispose()
