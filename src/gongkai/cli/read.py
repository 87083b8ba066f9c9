"""Commands over single reports (``gongkai parse|check|debug|info``): each parses its
arguments, calls one library function and prints a view of the result."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from .. import __version__
from ..api import parse_bounded, read_file
from ..errors import GongkaiError
from ..extract import debug_extract, describe
from ..guard.names import stored
from ..model import Report
from ..normalize import normalize
from ..read import readers
from ..read.pdf import PROGRESS_ENV
from ..settings import Settings
from ..validate import rules
from .options import budget_options, input_options, settings_from
from .views import debug_html, render_finding_codes, render_findings, render_report


def _each(files: tuple[str, ...], settings: Settings) -> Iterator[tuple[str, Report | None, GongkaiError | None]]:
    """(the name as stored, its report or its error) per file. A name that is not UTF-8
    travels as ``names.stored`` (lossless, ``\\xNN``): what JSON and a terminal take."""
    for f in files:
        name = stored(f)
        try:
            report = parse_bounded(f, settings)
            report.path = name
            yield name, report, None
        except GongkaiError as e:
            e.path = name if e.path == f else e.path
            yield name, None, e
        except Exception as e:
            yield name, None, GongkaiError(f"内部错误（{type(e).__name__}: {e}），请把此文件报告给 gongkai 开发者", name)


class _Progress(logging.Handler):
    """The OCR's page-by-page progress of a long scan, one line each on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(record.getMessage(), err=True)


def _with_progress(run: Callable[[], None]) -> None:
    """Run with the OCR progress on stderr: here through a log handler, in a bounded worker
    process through the environment it inherits (``PROGRESS_ENV``)."""
    log, handler = logging.getLogger("gongkai.ocr"), _Progress(logging.INFO)
    level, env = log.level, os.environ.get(PROGRESS_ENV)
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    os.environ[PROGRESS_ENV] = "1"
    try:
        run()
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
        if env is None:
            os.environ.pop(PROGRESS_ENV, None)
        else:
            os.environ[PROGRESS_ENV] = env


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="输出完整 JSON（含来源位置、章节）")
@click.option("--jsonl", is_flag=True, help="每份报告一行交换格式 JSON，按输入顺序")
@click.option("--strict", is_flag=True, help="有任何识别问题即视为失败")
@input_options
@budget_options
def parse(
    files: tuple[str, ...],
    as_json: bool,
    jsonl: bool,
    strict: bool,
    encoding: str | None,
    fmt: str | None,
    max_seconds: float,
    max_memory: int,
) -> None:
    """读取报告 FILES…（文本、HTML、PDF、Word、图片或网址），输出元数据、三张统计表和发现的问题。
    扫描件逐页识别时，进度逐行写到标准错误。"""
    failed = [0]
    settings = settings_from(encoding, fmt, strict, max_seconds, max_memory)
    _with_progress(lambda: _parse(files, as_json, jsonl, settings, failed))
    if failed[0]:
        sys.exit(1)


def _parse(files: tuple[str, ...], as_json: bool, jsonl: bool, settings: Settings, failed: list[int]) -> None:
    out = sys.stdout
    for path, report, err in _each(files, settings):
        if err is not None:
            failed[0] += 1
            click.echo(f"错误：{err.path or path}：{err.message}", err=True)
            if jsonl or as_json:
                out.write(json.dumps({"path": path, **err.to_json(), "cells": {}, "findings": []}, ensure_ascii=False) + "\n")
            continue
        assert report is not None
        if jsonl:
            out.write(json.dumps(report.to_json(full=False), ensure_ascii=False) + "\n")
        elif as_json:
            out.write(json.dumps(report.to_json(full=True), ensure_ascii=False, indent=1) + "\n")
        else:
            out.write(render_report(report) + "\n")
        out.flush()


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出发现的问题")
@input_options
@budget_options
def check(
    files: tuple[str, ...], as_json: bool, encoding: str | None, fmt: str | None, max_seconds: float, max_memory: int
) -> None:
    """校验报告：按表列出勾稽关系、格式、缺失等问题。有错误时退出码为 1，可用于发布前把关。"""
    bad = 0
    for path, report, err in _each(files, settings_from(encoding, fmt, False, max_seconds, max_memory)):
        if err is not None:
            bad += 1
            click.echo(f"错误：{err.path or path}：{err.message}", err=True)
            continue
        assert report is not None
        if report.has_errors:
            bad += 1
        if as_json:
            click.echo(json.dumps({"path": path, "findings": [f.to_json() for f in report.findings]}, ensure_ascii=False))
        else:
            click.echo(render_findings(report, verbose=True))
    sys.exit(1 if bad else 0)


@click.command()
@click.argument("file")
@click.option("--html", "html_out", type=click.Path(dir_okay=False), help="写出一个 HTML 页面：原文按单元格着色")
@input_options
def debug(file: str, html_out: str | None, encoding: str | None, fmt: str | None) -> None:
    """显示识别的中间结果：分块、记号、区域与单元格对应（供排查识别错误）。"""
    try:
        doc = normalize(read_file(file, settings_from(encoding, fmt)))
    except GongkaiError as e:
        raise click.ClickException(f"{e.path or file}：{e.message}") from None
    ex = debug_extract(doc, fmt)
    if html_out:
        Path(html_out).write_text(debug_html(doc, ex), encoding="utf-8")
        click.echo(f"已写出 {html_out}")
        return
    click.echo(json.dumps(describe(ex), ensure_ascii=False, indent=1, default=str))


@click.command()
def info() -> None:
    """显示版本、已注册的读取器、校验规则和全部发现代码。"""
    click.echo(f"gongkai {__version__}")
    click.echo("读取器：" + "、".join(f"{r.name}({r.media_type})" for r in readers()))
    click.echo("校验规则：" + "、".join(getattr(r, "__name__", repr(r)) for r in rules()))
    click.echo("发现代码：")
    click.echo(render_finding_codes())
