"""Option groups shared by several commands, and the settings they make."""

from __future__ import annotations

import click

from ..settings import Settings


def settings_from(encoding: str | None, fmt: str | None, strict: bool = False) -> Settings:
    return Settings(encoding=encoding, format=fmt, strict=strict)


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
