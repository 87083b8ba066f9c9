"""Option groups shared by several commands, and the settings they make."""

from __future__ import annotations

import click

from ..settings import MAX_MEMORY_BYTES, MAX_SECONDS, Settings


def settings_from(
    encoding: str | None,
    fmt: str | None,
    strict: bool = False,
    max_seconds: float = MAX_SECONDS,
    max_memory: int = MAX_MEMORY_BYTES // 1048576,
) -> Settings:
    return Settings(encoding=encoding, format=fmt, strict=strict, max_seconds=max_seconds, max_memory_bytes=max_memory * 1048576)


def budget_options(f):  # type: ignore[no-untyped-def]
    """``--max-seconds`` and ``--max-memory``: the bound on each document (``gongkai.guard``)."""
    f = click.option(
        "--max-memory",
        type=click.IntRange(0),
        default=MAX_MEMORY_BYTES // 1048576,
        show_default=True,
        metavar="MB",
        help="每个文件可用的内存上限（MB，0 表示不限）",
    )(f)
    f = click.option(
        "--max-seconds",
        type=click.FloatRange(0),
        default=MAX_SECONDS,
        show_default=True,
        help="每个文件的处理时间上限（秒）；超过即终止并报错，整批继续。0 表示不限（在本进程内解析）",
    )(f)
    return f


def input_options(f):  # type: ignore[no-untyped-def]
    """``--encoding`` and ``--format``: how to read an input (the reading commands)."""
    f = click.option("--encoding", help="强制文本编码，如 gbk、utf-16（默认自动识别）")(f)
    f = click.option("--format", "fmt", type=click.Choice(["2019", "2021", "pre2019"]), help="强制按某一年度格式识别")(f)
    return f


def db_option(f):  # type: ignore[no-untyped-def]
    """``--db``: which corpus database (the store commands)."""
    return click.option(
        "--db",
        envvar="GONGKAI_DB",
        default=None,
        metavar="URL",
        help="数据库：SQLite 文件路径或 sqlite:///…、postgresql://…（默认当前目录 gongkai.db，也可用环境变量 GONGKAI_DB）",
    )(f)
