"""The ``gongkai`` group: Chinese help (click's own strings too, ``-h`` as ``--help``), the
exit-code table in its help, and one place that turns what escapes a command into a Chinese
message and a documented exit code (``domain/exits.py``), never a traceback."""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import click

from ..domain import exits
from ..domain.extras import extra_of
from ..domain.extras import message as missing_message
from ..errors import DatabaseError, GongkaiError, MissingDependency
from .zh import chinese, localize, short_help

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Failure(click.ClickException):
    """A Chinese message and the exit code that says what happened."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def exit_code_of(e: GongkaiError) -> int:
    if isinstance(e, MissingDependency):
        return exits.MISSING_DEPENDENCY.code
    if isinstance(e, DatabaseError):
        return exits.DATABASE.code
    return exits.NOTHING.code


def exit_table() -> str:
    """The exit codes as the help's epilog (``\\b``: click keeps the lines as they are)."""
    return "\b\n退出码：\n" + "\n".join(f"  {c.code:>3}  {c.meaning}" for c in exits.EXIT_CODES)


def _database_error(e: BaseException) -> str | None:
    """A driver's or SQLAlchemy's error, in Chinese (None when ``e`` is neither)."""
    if not type(e).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")):
        return None
    from ..store.db import explain  # the store extra: installed, since its error is here

    return "数据库错误：" + explain(e)


class GongkaiGroup(click.Group):
    def main(self, *args: Any, **kwargs: Any) -> Any:
        localize(self)
        with chinese():
            return super().main(*args, **kwargs)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, short_help(cmd)) for name, cmd in sorted(self.commands.items()) if not cmd.hidden]
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except GongkaiError as e:
            raise Failure(f"{e.path}：{e.message}" if e.path else e.message, exit_code_of(e)) from None
        except KeyboardInterrupt:
            raise Failure("已中断", exits.INTERRUPTED.code) from None
        except ModuleNotFoundError as e:
            extra = extra_of(e.name or "")
            if extra is None:
                raise Failure(f"缺少 Python 模块 {e.name}：{e}", exits.MISSING_DEPENDENCY.code) from None
            raise Failure(missing_message(extra.name, modules=(e.name or "",)), exits.MISSING_DEPENDENCY.code) from None
        except Exception as e:
            db = _database_error(e)
            if db is not None:
                raise Failure(db, exits.DATABASE.code) from None
            if os.environ.get("GONGKAI_DEBUG"):
                traceback.print_exc(file=sys.stderr)
            raise Failure(
                f"内部错误（{type(e).__name__}: {e}），请把命令和输入文件报告给 gongkai 开发者（设 GONGKAI_DEBUG=1 可显示调用栈）",
                exits.INTERNAL.code,
            ) from None
