"""The ``gongkai`` command: a thin layer over the library API. Each command parses its
arguments, calls one library function and formats the result; domain errors become
Chinese messages, never tracebacks.

``read`` holds the commands over single reports, ``store`` those over a corpus database,
``options`` the option groups they share and ``views`` what they print.
"""

from __future__ import annotations

import click

from .. import __version__
from . import agency, read, store, web


@click.group()
@click.version_option(__version__, prog_name="gongkai")
def main() -> None:
    """gongkai：政府信息公开工作年度报告的读取、校验、入库与编制工具。"""


for _command in (read.parse, read.check, read.debug, read.info, store.ingest, store.check_corpus, store.stats, store.export, web.serve, web.users, agency.agency):
    main.add_command(_command)
