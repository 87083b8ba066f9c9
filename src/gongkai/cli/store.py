"""Corpus commands (``gongkai ingest|check-corpus|stats|export``): flags → ``gongkai.store``.

``gongkai.store`` needs the ``store`` extra (SQLAlchemy, Alembic, PyArrow): it is imported
when one of these commands runs, so the reading commands work without it. Only ``ingest``
creates a database; the others refuse one that does not exist (exit code 5).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..domain import exits
from ..domain.stats import COLUMNS
from ..settings import DEFAULT, Settings
from .app import Failure
from .options import budget_options, db_option, settings_from
from .views import render_stats, stats_csv


def _corpus(db: str | None, create: bool = False, settings: Settings = DEFAULT):  # type: ignore[no-untyped-def]
    from ..store import Corpus  # the store extra (optional): MissingDependency when absent

    return Corpus(db, settings, create=create)


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option("--jobs", "-j", type=int, default=None, help="并行进程数（默认为 CPU 核数；1 表示不另开进程）")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True, help="执行引擎")
@click.option("--address", metavar="tcp://…", help="Dask 调度器地址（--engine dask；不给则在本机启动）")
@click.option("--output", type=click.Path(file_okay=False), help="不写数据库，改为把结果写成 Parquet 分片到此目录")
@click.option("--include", multiple=True, metavar="通配符", help="只取文件夹中文件名或相对路径匹配的文件，如 '*.pdf'（可多次给出）")
@click.option("--exclude", multiple=True, metavar="通配符", help="跳过文件夹中文件名或相对路径匹配的文件，如 '*.json'（可多次给出）")
@click.option("--check/--no-check", default=True, show_default=True, help="入库后运行跨报告检查（同 check-corpus）")
@click.option("--no-progress", is_flag=True, help="不显示进度条")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出汇总")
@budget_options
def ingest(
    inputs: tuple[str, ...],
    db: str | None,
    jobs: int | None,
    engine: str,
    address: str | None,
    output: str | None,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    check: bool,
    no_progress: bool,
    as_json: bool,
    max_seconds: float,
    max_memory: int,
) -> None:
    """把报告 INPUTS…（文件、文件夹〔递归〕、网址，或 @清单.txt：每行一个路径或网址）解析入库。

    按内容哈希去重：重复运行不会重复入库；中断（Ctrl-C、崩溃）后再次运行同一命令即可继续。
    同一路径的文件内容变化、或同一机关同一年度的不同文件，入库为同一报告的新版本，旧版本保留。
    单个文件失败会记入 failures 表，不会中断整批；不是年度报告的文件（标注文件、脚本、空白模板）列为跳过，不入库。
    每个文件的处理时间与内存有上限（--max-seconds、--max-memory），超过上限的文件记为失败，其余文件照常入库。
    """
    settings = settings_from(None, None, False, max_seconds, max_memory)
    from ..store.ingest import missing_inputs  # the store extra (optional)

    missing = missing_inputs(inputs)
    for m in missing:
        click.echo(f"错误：{m}：文件或文件夹不存在", err=True)
    if len(missing) == len(inputs):
        raise Failure("没有可入库的输入：给出的路径都不存在", exits.NOTHING.code)
    if output:
        from ..store.parquet_out import ingest_to_parquet  # the store extra (optional)

        summary = ingest_to_parquet(inputs, output, jobs, engine, address, progress=not no_progress, settings=settings)
        _emit(summary.to_json(), summary.render() + f"\n已写出 Parquet 分片：{output}", as_json)
        sys.exit(summary.exit_code())
    corpus = _corpus(db, create=True, settings=settings)
    try:
        summary = corpus.ingest(
            inputs, jobs=jobs, engine=engine, address=address, progress=not no_progress, include=include, exclude=exclude
        )
    except (ValueError, OSError) as e:
        raise Failure(str(e), exits.NOTHING.code) from None
    out: dict[str, Any] = {"ingest": summary.to_json()}
    text = summary.render()
    if check and not summary.interrupted and summary.parsed:
        try:
            checked = corpus.check()
        except KeyboardInterrupt:  # the check is one transaction: the previous findings stay
            summary.interrupted = True
            text += "\n跨报告检查已中断，保留上次的检查结果；可稍后运行 gongkai check-corpus。"
        else:
            out["check"] = checked.to_json()
            text += "\n" + checked.render()
    _emit(out, text, as_json)
    sys.exit(summary.exit_code())


@click.command("check-corpus")
@db_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出汇总")
def check_corpus(db: str | None, as_json: bool) -> None:
    """跨报告检查：同一机关历年数据衔接（上年结转等）、抄袭的文字、重复发布。结果存入 findings 表（source = corpus）。"""
    summary = _corpus(db).check()
    _emit(summary.to_json(), summary.render(), as_json)


@click.command()
@db_option
@click.option("--by", default="year,region,body_type", show_default=True, help="统计维度，逗号分隔：year、region、body_type")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table：适应终端宽度的表格；csv：带表头的 CSV；json：JSON 数组",
)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出（同 --format json）")
def stats(db: str | None, by: str, fmt: str, as_json: bool) -> None:
    """按年度、地区、机关类型统计：报告数、申请数、予以公开率、不予公开理由、复议诉讼纠错率、缺报、有错误的报告。"""
    try:
        rows = _corpus(db).stats(by=tuple(by.split(",")))
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    if as_json or fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        click.echo(stats_csv(rows, COLUMNS), nl=False)
    else:
        click.echo(render_stats(rows, COLUMNS))


@click.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "parquet", "json"]),
    default=None,
    help="导出格式（json 为每行一个对象）；不给时按输出文件的后缀",
)
@click.option(
    "--form",
    type=click.Choice(["wide", "long"]),
    default="wide",
    show_default=True,
    help="wide：每份报告一行；long：每个单元格一行",
)
@click.option("--all-versions", is_flag=True, help="导出每份报告的全部版本（默认只导出最新版本）")
@click.option("-o", "--output", "dest", required=True, type=click.Path(dir_okay=False), help="输出文件（后缀须与格式一致）")
def export(db: str | None, fmt: str | None, form: str, all_versions: bool, dest: str) -> None:
    """导出数据库：csv（带 BOM 的 UTF-8，Excel 可直接打开）、xlsx、parquet、json（JSON Lines）。"""
    from ..store.export import format_for  # the store extra (optional)

    try:
        fmt = format_for(dest, fmt)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    n = _corpus(db).export(fmt, dest, form=form, latest_only=not all_versions)
    click.echo(f"已导出 {n} 行到 {dest}", err=True)


def _emit(obj: Any, text: str, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(obj, ensure_ascii=False, indent=1))
    else:
        click.echo(text)


