"""Opening a corpus database: URL handling, SQLite pragmas, migrations on open."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..domain.extras import require
from ..errors import DatabaseError

DEFAULT_DB = "gongkai.db"
# SQLite page cache of a connection, KiB. The writer's working set is the indexes' pages;
# a larger cache only kept recently written pages (128 MiB of RSS that grew over the first
# half of an ingest) and made no write cheaper.
CACHE_KIB = 32768
VERSION_TABLE = "gongkai_migrations"


def normalize_url(url: str | os.PathLike[str] | None) -> str:
    """``None`` → ./gongkai.db; a bare path → SQLite; ``postgresql://`` → the psycopg 3 driver."""
    if url is None:
        url = DEFAULT_DB
    s = str(url)
    if "://" not in s:
        return "sqlite:///" + str(Path(s).expanduser())
    if s.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + s.split("://", 1)[1]
    return s


def display(url: str) -> str:
    """The URL as a user may see it: a SQLite file by its path, a password hidden."""
    u = sa.engine.make_url(url)
    if u.drivername.startswith("sqlite"):
        return u.database or ":memory:"
    return u.render_as_string(hide_password=True)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for an in-memory database or another backend)."""
    u = sa.engine.make_url(url)
    if not u.drivername.startswith("sqlite") or u.database in (None, "", ":memory:") or str(u.database).startswith("file:"):
        return None
    return Path(str(u.database))


def open_engine(url: str | os.PathLike[str] | None = None, migrate_schema: bool = True, create: bool = True) -> Engine:
    """An engine on the corpus database at ``url``, its schema migrated to the newest.

    ``create=False`` (the commands that only read a corpus): a database that does not exist,
    or holds no gongkai schema, is a ``DatabaseError`` instead of a new empty corpus. Errors
    of the server (cannot connect, login refused, no such database) are ``DatabaseError``
    with a Chinese explanation and the server's own words below it."""
    full = normalize_url(url)
    if full.startswith("sqlite"):
        f = sqlite_file(full)
        if not create and f is not None and not f.is_file():
            raise DatabaseError(f"数据库不存在：{f}。请先用 gongkai ingest 建立，或用 --db 指定已有的数据库")
        # The parent process is the only writer; 60 s of busy timeout lets a reader
        # (datasette, a second `gongkai stats`) share the file with a running ingest.
        engine = sa.create_engine(full, connect_args={"timeout": 60})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    else:
        if full.startswith("postgresql"):
            require("postgres", what="使用 PostgreSQL 数据库")
        engine = sa.create_engine(full, pool_pre_ping=True)
    try:
        if not create and not is_corpus(engine):
            engine.dispose()
            raise DatabaseError(f"{display(full)} 不是 gongkai 数据库（没有 gongkai 的表）。请先用 gongkai ingest 入库")
        if migrate_schema:
            migrate(engine)
    except sa.exc.DBAPIError as e:
        engine.dispose()
        raise DatabaseError(f"无法打开数据库 {display(full)}：{explain(e)}") from None
    return engine


def is_corpus(engine: Engine) -> bool:
    """Does the database hold a gongkai schema (its migrations table)?"""
    with engine.connect() as conn:
        return sa.inspect(conn).has_table(VERSION_TABLE)


# What the common errors of a database server mean, in Chinese: (pattern of the driver's
# message, explanation). The driver's own first lines follow the explanation.
SERVER_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.I), zh)
    for p, zh in (
        (r"password authentication failed for user \"([^\"]*)\"", "认证失败：用户 {0} 的密码不对"),
        (r"no password supplied|fe_sendauth", "认证失败：服务器要求密码，连接地址里没有给出"),
        (r"role \"([^\"]*)\" does not exist", "认证失败：服务器上没有用户 {0}"),
        (r"database \"([^\"]*)\" does not exist", "数据库 {0} 不存在：请先在服务器上建立（createdb {0}），或检查 URL 中的库名"),
        (r"no pg_hba\.conf entry", "服务器拒绝了这个连接（pg_hba.conf 中没有允许此主机、用户或数据库的条目）"),
        (r"could not translate host name \"([^\"]*)\"|Name or service not known|nodename nor servname", "无法连接：找不到主机名 {0}"),
        (r"timeout expired|timed out", "无法连接：连接超时（服务器没有响应，检查地址、端口和防火墙）"),
        (r"Connection refused|Is the server running", "无法连接：服务器没有运行，或地址、端口不对"),
        (r"permission denied", "权限不足：此用户无权进行这个操作"),
        (r"SSL", "无法连接：SSL 设置与服务器不符"),
        (r"too many connections|remaining connection slots", "服务器连接数已满，请稍后再试"),
        (r"database is locked", "数据库被其他程序锁定，请稍后再试"),
        (r"unable to open database file", "无法打开数据库文件（路径不存在或没有权限）"),
        (r"file is not a database|file is encrypted", "这个文件不是 SQLite 数据库"),
    )
)


def explain(e: BaseException) -> str:
    """A database error in Chinese, with the driver's own message on the lines below."""
    orig = getattr(e, "orig", None) or e
    detail = " ".join(str(orig).split()) if str(orig).strip() else type(orig).__name__
    for pattern, zh in SERVER_ERRORS:
        m = pattern.search(detail)
        if m:
            groups = [g for g in m.groups() if g] or [""]
            return f"{zh.format(*groups)}\n  详细信息：{detail[:500]}"
    return f"数据库返回错误\n  详细信息：{detail[:500]}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    # 8 KiB pages (only takes effect on a new database): a report's JSON and text span fewer
    # pages; ingest measured ~15 % cheaper than with 4 KiB.
    cur.execute("PRAGMA page_size=8192")
    # WAL: readers never block the writer and a killed writer leaves the last committed
    # transaction intact. synchronous=NORMAL is durable across process crashes (what
    # resumability needs); only a power loss may drop the last few commits.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    # Checkpoint every 10,000 pages of WAL (80 MB with 8 KiB pages) instead of 1,000: pages
    # touched by several batches are copied back once, which made commits ~30 % cheaper.
    cur.execute("PRAGMA wal_autocheckpoint=10000")
    cur.close()


def _alembic_config():  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return cfg


def pending(engine: Engine) -> list[str]:
    """Names of migrations not yet applied (read-only)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_heads())
    out: list[str] = []
    for rev in script.walk_revisions():  # newest first
        if rev.revision in current:
            break
        out.append(rev.revision)
    return list(reversed(out))


def migrate(engine: Engine, attempts: int = 10) -> list[str]:
    """Apply pending named migrations; returns the names applied.

    Two processes opening a new database at once (an ingest and a ``gongkai stats``, the
    workers of a test) both see the migrations pending; the one that loses the race fails
    on "table already exists", waits, and finds nothing left to do.
    """
    from alembic import command

    for attempt in range(attempts):
        todo = pending(engine)
        if not todo:
            return []
        cfg = _alembic_config()
        try:
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            return todo
        except sa.exc.DBAPIError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
    return []
