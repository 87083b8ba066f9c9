"""The ``gongkai`` command: a thin layer over the library API. Each command parses its
arguments, calls one library function and formats the result; domain errors become
Chinese messages, never tracebacks.

``read`` holds the commands over single reports, ``store`` those over a corpus database,
``options`` the option groups they share and ``views`` what they print; ``app`` the group
(Chinese help, exit codes, errors) and ``zh`` click's own strings in Chinese.
"""

from __future__ import annotations

import click

from .. import __version__
from . import agency, read, render, store, web
from .app import CONTEXT, GongkaiGroup, exit_table


@click.group("gongkai", cls=GongkaiGroup, context_settings=CONTEXT, epilog=exit_table())
@click.version_option(__version__, "-V", "--version", prog_name="gongkai", message="%(prog)s %(version)s", help="显示版本并退出。")
def main() -> None:
    """gongkai：政府信息公开工作年度报告的读取、校验、入库与编制工具。

    运行 gongkai 命令 -h 查看各命令的用法。
    """


for _command in (
    read.parse,
    read.check,
    read.debug,
    read.info,
    render.render,
    store.ingest,
    store.check_corpus,
    store.stats,
    store.export,
    web.serve,
    web.users,
    agency.agency,
):
    main.add_command(_command)
