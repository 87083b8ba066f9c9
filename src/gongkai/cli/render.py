"""``gongkai render``: a report's data (JSON) → the official layout as DOCX, HTML or PDF.

The JSON is checked before anything is written (``gongkai.render.load``): unknown keys and
values that are not numbers are refused, and the validator's errors (an unbalanced table 3)
stop the render unless ``--force``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..domain import exits
from ..render import render_docx, render_html, render_pdf
from ..render.load import check, spec_from_json
from ..render.spec import ReportSpec
from .app import Failure
from .views import render_finding_lines

FORMATS = {".docx": "docx", ".html": "html", ".htm": "html", ".pdf": "pdf"}


def _render(spec: ReportSpec, fmt: str, blank_mark: str) -> bytes:
    if fmt == "docx":
        return render_docx(spec, blank_mark=blank_mark)
    if fmt == "html":
        return render_html(spec, blank_mark=blank_mark).encode("utf-8")
    return render_pdf(spec, blank_mark=blank_mark)


def _format(dest: str, fmt: str | None) -> str:
    suffix = Path(dest).suffix.lower()
    by_suffix = FORMATS.get(suffix)
    if fmt is None:
        if by_suffix is None:
            raise click.UsageError(f"无法从文件名 {Path(dest).name} 判断输出格式：请用 --format 指定（docx、html、pdf）")
        return by_suffix
    if by_suffix is not None and by_suffix != fmt:
        raise click.UsageError(f"输出格式 {fmt} 与文件后缀 {suffix} 不符")
    return fmt


@click.command()
@click.argument("data")
@click.option("-o", "--output", "dest", required=True, type=click.Path(dir_okay=False), help="输出文件：.docx、.html 或 .pdf")
@click.option("--format", "fmt", type=click.Choice(["docx", "html", "pdf"]), default=None, help="输出格式（默认按输出文件的后缀）")
@click.option("--blank-mark", default="", metavar="文字", help="空白单元格印成什么（默认留空）")
@click.option("--force", is_flag=True, help="校验发现错误（如表三不平衡）时仍然生成")
def render(data: str, dest: str, fmt: str | None, blank_mark: str, force: bool) -> None:
    """按官方版式生成年度报告：DATA 为报告数据的 JSON 文件（- 表示标准输入；gongkai parse --json 的输出也可以），
    输出 Word（.docx）、网页（.html）或 PDF。

    先校验再生成：未知的键、不是数字的值会被拒绝；勾稽关系等错误会列出，并且不生成（除非 --force）。
    """
    fmt = _format(dest, fmt)
    name = "<标准输入>" if data == "-" else data
    try:
        raw = sys.stdin.buffer.read() if data == "-" else Path(data).read_bytes()
    except OSError as e:
        raise Failure(f"{name}：无法读取（{e.strerror}）", exits.NOTHING.code) from None
    try:
        obj = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise Failure(f"{name}：不是有效的 JSON（{e}）", exits.NOTHING.code) from None
    spec = spec_from_json(obj, name)
    findings = check(spec, name)
    shown = [f for f in findings if f.severity != "info"]
    for line in render_finding_lines(shown):
        click.echo(line, err=True)
    errors = [f for f in findings if f.severity == "error"]
    if errors and not force:
        raise Failure(f"{name}：校验发现 {len(errors)} 个错误，未生成（改正数据，或用 --force 仍然生成）", exits.FOUND_ERRORS.code)
    out = _render(spec, fmt, blank_mark)
    Path(dest).write_bytes(out)
    click.echo(f"已写出 {dest}（{fmt}，{len(out)} 字节）", err=True)
    sys.exit(exits.FOUND_ERRORS.code if errors else exits.OK.code)
