"""Commands over single reports (``gongkai parse|check|debug|info``): each parses its
arguments, calls one library function and prints a view of the result."""

from __future__ import annotations

import json
import logging
import os
import platform
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..api import parse_bounded, parse_bytes, read_bytes, read_file
from ..domain import exits
from ..domain.extras import EXTRAS, PROGRAMS, READERS, absent_modules, installed, version
from ..domain.findings import FINDINGS
from ..domain.rules import RULES
from ..errors import GongkaiError, MissingDependency
from ..extract import debug_extract, describe
from ..guard.names import stored
from ..model import Document, Report
from ..normalize import normalize
from ..read import readers
from ..read.pdf import PROGRESS_ENV
from ..settings import Settings
from ..validate import rules
from .options import budget_options, input_options, settings_from
from .views import debug_html, render_finding_codes, render_findings, render_report

STDIN = "-"
STDIN_NAME = "<标准输入>"


def _stdin_bytes() -> bytes:
    return sys.stdin.buffer.read()


def _each(files: tuple[str, ...], settings: Settings) -> Iterator[tuple[str, Report | None, GongkaiError | None]]:
    """(the name as stored, its report or its error) per file. A name that is not UTF-8
    travels as ``names.stored`` (lossless, ``\\xNN``): what JSON and a terminal take.
    ``-`` is standard input (parsed in this process)."""
    for f in files:
        name = STDIN_NAME if f == STDIN else stored(f)
        try:
            if f == STDIN:
                report = parse_bytes(_stdin_bytes(), STDIN_NAME, settings)
            else:
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


def _check_stdin(files: tuple[str, ...]) -> None:
    if files.count(STDIN) > 1:
        raise click.UsageError("标准输入（-）只能给一次")


class _Tally:
    """How a batch went, for its exit code (``domain/exits.py``)."""

    def __init__(self) -> None:
        self.inputs = self.failed = self.missing = 0
        self.errors = False

    def add(self, report: Report | None, err: GongkaiError | None, errors: bool = False) -> None:
        self.inputs += 1
        if err is not None:
            self.failed += 1
            self.missing += isinstance(err, MissingDependency)
        elif errors:
            self.errors = True

    def exit(self) -> None:
        sys.exit(exits.batch(self.inputs, self.failed, self.missing, self.errors))


def _error_json(path: str, err: GongkaiError) -> dict[str, Any]:
    return {"path": path, **err.to_json(), "cells": {}, "findings": []}


def _say_error(path: str, err: GongkaiError) -> None:
    click.echo(f"错误：{err.path or path}：{err.message}", err=True)


class _JsonArray:
    """One JSON document on stdout: the object of a single input, an array of several."""

    def __init__(self, many: bool) -> None:
        self.many, self.n = many, 0

    def add(self, obj: dict[str, Any]) -> None:
        text = json.dumps(obj, ensure_ascii=False, indent=1)
        if self.many:
            text = ("[\n" if self.n == 0 else ",\n") + text
        sys.stdout.write(text if self.many else text + "\n")
        sys.stdout.flush()
        self.n += 1

    def close(self) -> None:
        if self.many:
            sys.stdout.write(("[" if self.n == 0 else "") + "\n]\n")


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="输出完整 JSON（含来源位置、章节）：一个文件为一个对象，多个文件为一个数组")
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
    """读取报告 FILES…（文本、HTML、PDF、Word、图片或网址；- 表示标准输入），输出元数据、三张统计表和发现的问题。
    扫描件逐页识别时，进度逐行写到标准错误。"""
    if as_json and jsonl:
        raise click.UsageError("--json 与 --jsonl 只能选一个：--json 输出一个 JSON 文档，--jsonl 每份报告一行")
    _check_stdin(files)
    tally = _Tally()
    settings = settings_from(encoding, fmt, strict, max_seconds, max_memory)
    _with_progress(lambda: _parse(files, as_json, jsonl, settings, tally))
    tally.exit()


def _parse(files: tuple[str, ...], as_json: bool, jsonl: bool, settings: Settings, tally: _Tally) -> None:
    out = sys.stdout
    array = _JsonArray(len(files) > 1) if as_json else None
    for path, report, err in _each(files, settings):
        tally.add(report, err)
        if err is not None:
            _say_error(path, err)
            if jsonl:
                out.write(json.dumps(_error_json(path, err), ensure_ascii=False) + "\n")
            elif array is not None:
                array.add(_error_json(path, err))
            continue
        assert report is not None
        if jsonl:
            out.write(json.dumps(report.to_json(full=False), ensure_ascii=False) + "\n")
        elif array is not None:
            array.add(report.to_json(full=True))
        else:
            out.write(render_report(report) + "\n")
        out.flush()
    if array is not None:
        array.close()


def _check_json(report: Report) -> dict[str, Any]:
    """What ``check --json`` says of a report: the keys of ``parse --json`` that tell who
    published it and what is wrong, with the same values."""
    full = report.to_json(full=False)
    return {k: full[k] for k in ("path", "issuing_body", "report_year", "format", "findings")} | {"has_errors": report.has_errors}


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出发现的问题（与 parse --json 同形：一个文件为对象，多个为数组）")
@input_options
@budget_options
def check(
    files: tuple[str, ...], as_json: bool, encoding: str | None, fmt: str | None, max_seconds: float, max_memory: int
) -> None:
    """校验报告：按表列出勾稽关系、格式、缺失等问题。有错误时退出码为 1，可用于发布前把关。"""
    _check_stdin(files)
    tally = _Tally()
    array = _JsonArray(len(files) > 1) if as_json else None
    for path, report, err in _each(files, settings_from(encoding, fmt, False, max_seconds, max_memory)):
        tally.add(report, err, errors=bool(report and report.has_errors))
        if err is not None:
            _say_error(path, err)
            if array is not None:
                array.add({k: v for k, v in _error_json(path, err).items() if k != "cells"})
            continue
        assert report is not None
        if array is not None:
            array.add(_check_json(report))
        else:
            click.echo(render_findings(report, verbose=True))
    if array is not None:
        array.close()
    tally.exit()


@click.command()
@click.argument("file")
@click.option("--html", "html_out", type=click.Path(dir_okay=False), help="写出一个 HTML 页面：原文按单元格着色，附图例")
@input_options
def debug(file: str, html_out: str | None, encoding: str | None, fmt: str | None) -> None:
    """显示识别的中间结果：分块、记号、区域与单元格对应（供排查识别错误）。FILE 为 - 时读标准输入。"""
    settings = settings_from(encoding, fmt)
    doc: Document = read_bytes(_stdin_bytes(), STDIN_NAME, settings) if file == STDIN else read_file(file, settings)
    doc = normalize(doc)
    ex = debug_extract(doc, fmt)
    if html_out:
        Path(html_out).write_text(debug_html(doc, ex), encoding="utf-8")
        click.echo(f"已写出 {html_out}")
        return
    click.echo(json.dumps(describe(ex), ensure_ascii=False, indent=1, default=str))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
def info(as_json: bool) -> None:
    """显示版本、已安装的扩展（及其库的版本）、读取器、校验规则和全部发现代码。"""
    data = info_data()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    click.echo(f"gongkai {data['version']}（Python {data['python']}）")
    click.echo("\n扩展：")
    for e in data["extras"]:
        libs = "、".join(f"{d} {v or '未安装'}" for d, v in e["libraries"].items())
        state = "已安装" if e["installed"] else f"未安装（{e['install']}）"
        click.echo(f"  {e['name']:<9}{state}  {e['purpose']}：{libs}")
    click.echo("\n读取器：")
    for r in data["readers"]:
        if r["available"]:
            state = "可用"
        elif r.get("extra"):
            state = f"不可用：需要安装 {r['install']}"
        else:
            state = f"不可用：需要程序 {r['program']}（LibreOffice）"
        click.echo(f"  {r['name']:<14}{state}  {r['media_type']}")
    click.echo("\n校验规则：" + "、".join(data["validators"]))
    click.echo("\n勾稽关系：")
    for r in data["rules"]:
        click.echo(f"  {r['rule']:<24}{r['title']}")
    click.echo(f"\n发现代码（{len(data['findings'])} 个）：")
    click.echo(render_finding_codes())


def info_data() -> dict[str, Any]:
    return {
        "version": __version__,
        "python": platform.python_version(),
        "extras": [
            {
                "name": e.name,
                "purpose": e.purpose,
                "installed": installed(e.name),
                "install": e.hint,
                "libraries": {d: version(d) for d in e.distributions},
            }
            for e in EXTRAS
        ],
        "readers": [_reader_info(r.name, r.media_type) for r in readers()],
        "validators": [getattr(r, "__name__", repr(r)) for r in rules()],
        "rules": [{"rule": r.rule, "severity": r.severity, "title": r.title} for r in RULES],
        "findings": [{"rule": k.rule, "severity": k.severity, "source": k.source, "title": k.title} for k in FINDINGS],
    }


def _reader_info(name: str, media_type: str) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "media_type": media_type, "available": True}
    if name in READERS:
        extra, modules = READERS[name]
        out |= {"extra": extra, "install": f"pip install 'gongkai[{extra}]'", "available": not absent_modules(extra, modules)}
    elif name in PROGRAMS:
        out |= {"program": PROGRAMS[name], "available": shutil.which(PROGRAMS[name]) is not None or shutil.which("libreoffice") is not None}
    return out
