"""The agency workbench commands (``gongkai agency …``): flags → ``gongkai.agency``.

The workbench keeps its records in the corpus database, so it needs the ``store`` extra
and, for the calendar and the reply letters, the ``agency`` extra; those are imported when
a command needs them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from ..agency.calendar import read_arrangement
from ..agency.compute import report_format
from ..agency.deadlines import answer_deadline, due_soon
from ..agency.ledger import export_xlsx, outcome_key, parse_date, read_ledger, template_xlsx
from ..agency.letters import FIELDS, default_template, render_letter, template_for
from ..agency.narrative import defaults
from ..agency.records import state_of
from ..agency.report import make_report
from ..api import parse
from ..domain.ledger import STATES
from ..errors import GongkaiError
from ..render import render_docx, render_html, render_pdf
from .options import db_option
from .views import render_report


def _bench(db: str | None):  # type: ignore[no-untyped-def]
    from ..agency.db import Workbench  # the store extra (optional)

    try:
        return Workbench(db)
    except GongkaiError:
        raise
    except Exception as e:  # a bad URL, an unreachable server, a locked file
        raise click.ClickException(f"无法打开数据库 {db or 'gongkai.db'}：{e}") from None


def _day(value: str | None, what: str = "日期") -> dt.date:
    if value is None:
        return dt.date.today()

    try:
        return parse_date(value)
    except ValueError:
        raise click.BadParameter(f"{what}应为 YYYY-MM-DD：{value}") from None


def _fail(e: GongkaiError) -> None:
    raise click.ClickException(str(e)) from None


body_option = click.option("--body", required=True, metavar="机关名称", help="机关名称（记录按机关分开保存）")
today_option = click.option("--today", metavar="YYYY-MM-DD", help="按这一天计算剩余天数和超期（默认今天）")
actor_option = click.option("--by", "actor", metavar="姓名", help="操作人（记入审计日志）")


@click.group()
def agency() -> None:
    """机关工作台：保存政府信息公开台账记录，并由记录直接生成年度报告。"""


@agency.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@db_option
@body_option
@click.option("--kind", type=click.Choice(["cases", "remedies", "documents", "counts"]), help="CSV 的台账类型（默认按表头识别）")
@actor_option
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果")
def import_(file: str, db: str | None, body: str, kind: str | None, actor: str | None, as_json: bool) -> None:
    """导入台账 FILE（CSV：UTF-8/GB18030；XLSX：依申请公开、复议诉讼、文件、年度数量 四个工作表）。

    整个文件要么全部导入，要么一条也不导入：有错误的行会逐一列出（行号、列、值、原因）。
    重复导入同一文件不会改变任何记录；按编号更新已变化的记录，变化记入审计日志。
    """
    try:
        ledger = read_ledger(file, kind)
        with _bench(db) as wb:
            res = wb.import_ledger(body, ledger, actor=actor)
    except GongkaiError as e:
        _fail(e)
    if as_json:
        click.echo(json.dumps({"path": res.path, "body": res.body, "inserted": res.inserted, "updated": res.updated,
                               "unchanged": res.unchanged}, ensure_ascii=False))  # fmt: skip
    else:
        click.echo(res.summary())


@agency.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出的 XLSX 文件，如 台账.xlsx")
def template(output: str) -> None:
    """写出空白台账模板（四个工作表，可选值为下拉列表）。"""
    try:
        Path(output).write_bytes(template_xlsx())
    except GongkaiError as e:
        _fail(e)
    click.echo(f"已写出空白台账模板：{output}")


@agency.command()
@db_option
@body_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出的 XLSX 文件")
@click.option("--with-personal", is_flag=True, help="包含申请人姓名和联系方式（个人信息，默认不导出）")
@click.option("--with-voided", is_flag=True, help="包含已作废的记录")
def export(db: str | None, body: str, output: str, with_personal: bool, with_voided: bool) -> None:
    """把某机关的记录导出为台账 XLSX（与导入格式相同，可再次导入）。"""
    from ..agency.db import without_personal

    with _bench(db) as wb:
        recs = wb.all_records(body, include_voided=with_voided)
    if not with_personal:
        recs = without_personal(recs)
    try:
        Path(output).write_bytes(export_xlsx(recs, personal=with_personal))
    except GongkaiError as e:
        _fail(e)
    n = sum(len(v) for v in recs.values())
    click.echo(f"已导出 {n} 条记录：{output}" + ("（含个人信息）" if with_personal else "（不含个人信息）"))


CASE_FIELDS = ("number", "state", "state_label", "received", "due", "provisional", "days_left", "overdue", "answered_late",
               "answered", "outcome", "applicant_type", "handler")  # fmt: skip


@agency.command()
@db_option
@body_option
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True, help="输出格式")
@click.option("--only", type=click.Choice(["all", "open", "overdue", "due-soon"]), default="all", show_default=True,
              help="只列出：未办结、已超期、即将到期（5 个工作日内）")  # fmt: skip
@click.option("--handler", metavar="姓名", help="只列出此承办人的申请")
@today_option
def cases(db: str | None, body: str, fmt: str, only: str, handler: str | None, today: str | None) -> None:
    """列出依申请公开的申请：状态、答复期限（YYYY-MM-DD）、是否为暂定期限、剩余工作日、是否超期。"""
    day = _day(today)
    try:
        with _bench(db) as wb:
            rows = wb.cases(body, day)
    except GongkaiError as e:
        _fail(e)
    if handler:
        rows = [r for r in rows if r.handler == handler]
    if only == "open":
        rows = [r for r in rows if r.days_left is not None]
    elif only == "overdue":
        rows = [r for r in rows if r.overdue]
    elif only == "due-soon":
        rows = [r for r in rows if due_soon(r)]
    if fmt == "json":
        click.echo(json.dumps([r.to_json() for r in rows], ensure_ascii=False))
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, CASE_FIELDS, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("true" if v is True else "false" if v is False else v) for k, v in r.to_json().items()})
        click.echo(buf.getvalue(), nl=False)
    else:
        if not rows:
            click.echo(f"{body}：没有符合条件的申请")
            return
        for r in rows:
            due = r.due + ("（暂定）" if r.provisional else "")
            flags = "【已超期】" if r.overdue and r.days_left is not None else "【逾期答复】" if r.answered_late else ""
            left = f"剩 {r.days_left} 个工作日" if r.days_left is not None and r.days_left >= 0 else (
                f"超期 {-r.days_left} 个工作日" if r.days_left is not None else f"{r.answered} 答复")  # fmt: skip
            click.echo(f"{r.number}  {r.state_label}  收到 {r.received}  期限 {due}  {left}{flags}")
        open_n = sum(1 for r in rows if r.days_left is not None)
        click.echo(f"共 {len(rows)} 件，未办结 {open_n} 件，超期 {sum(1 for r in rows if r.overdue)} 件")


@agency.command()
@db_option
@body_option
@click.argument("number")
@click.argument("action")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="操作日期（默认今天）")
@click.option("--outcome", metavar="办理结果", help="作出答复（answer）时的表三办理结果，如 予以公开、不予公开/属于国家秘密")
@click.option("--days", type=int, help="延期（extend）的工作日数，最多 20")
@click.option("--handler", metavar="姓名", help="承办人（开始办理时必填）")
@click.option("--role", type=click.Choice(["registrar", "handler", "approver", "admin"]), default="handler", show_default=True,
              help="操作人的角色：延期须由审批人（approver）批准")  # fmt: skip
@click.option("--note", help="备注（记入办理过程）")
@actor_option
def act(db: str | None, body: str, number: str, action: str, day: str | None, outcome: str | None, days: int | None,
        handler: str | None, role: str, note: str | None, actor: str | None) -> None:  # fmt: skip
    """对申请 NUMBER 执行办理操作 ACTION（start、request_correction、receive_correction、start_consultation、
    end_consultation、send_fee_notice、receive_payment、extend、answer、withdraw、abandon_no_correction、
    abandon_unpaid）；不允许的操作会被拒绝并说明原因。"""
    key = None
    if outcome is not None:
        key = outcome_key(outcome)
        if key is None:
            raise click.BadParameter(f"不是表三的办理结果：{outcome}")
    try:
        with _bench(db) as wb:
            new = wb.act(body, number, action, _day(day), actor=actor, role=role, outcome=key, days=days, handler=handler,
                         note=note)  # fmt: skip
            d = answer_deadline(new, wb.calendar(), _day(day))
    except GongkaiError as e:
        _fail(e)
    click.echo(f"{number}：{STATES[state_of(new)]}，答复期限 {d.due.isoformat()}" + ("（暂定）" if d.provisional else ""))


@agency.command()
@db_option
@body_option
@click.argument("kind", type=click.Choice(["cases", "remedies", "documents", "counts"]))
@click.argument("key")
@click.option("--reason", required=True, help="作废原因（必填）")
@actor_option
def void(db: str | None, body: str, kind: str, key: str, reason: str, actor: str | None) -> None:
    """作废一条记录（不删除：保留原记录和原因，记入审计日志）。KEY 为编号、文号或 年度/事项键。"""
    try:
        with _bench(db) as wb:
            wb.void(body, kind, key, reason, actor)
    except GongkaiError as e:
        _fail(e)
    click.echo(f"已作废：{key}（{reason}）")


@agency.command()
@db_option
@body_option
@click.option("--year", type=int, required=True, help="报告年度")
@click.option("--json", "as_json", is_flag=True, help="输出交换格式 JSON（cells.md 约定）")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="生成报告文件：.docx、.html 或 .pdf（官方版式）")
@click.option("--previous", type=click.Path(exists=True, dir_okay=False), help="上一年度已发布的报告（任何 gongkai 可读格式），用于跨年核对")
@click.option("--date", "publication_date", metavar="YYYY-MM-DD", help="落款日期")
def report(db: str | None, body: str, year: int, as_json: bool, output: str | None, previous: str | None,
           publication_date: str | None) -> None:  # fmt: skip
    """由台账记录计算年度报告表二至表四的每个单元格，并运行与解析报告相同的校验和跨年核对
    （上年结转 = 上年结转下年度；现行有效件数连续）。校验不通过不阻止生成，问题以中文列出。"""
    prev = None
    try:
        if previous:
            prev = parse(previous)
        with _bench(db) as wb:
            ar = make_report(body, year, wb.records(body), narrative=wb.narrative(body, year), previous=prev,
                             previous_path=previous, publication_date=publication_date)  # fmt: skip
        if output:
            _write_report(ar, output)
    except GongkaiError as e:
        _fail(e)
    if as_json:
        click.echo(json.dumps(ar.to_json(), ensure_ascii=False))
    else:
        click.echo(render_report(ar.report).replace(ar.report.path, f"{body}{year}年度报告（由台账计算）"))
        if ar.year_findings:
            click.echo(" 跨年核对")
            for f in ar.year_findings:
                click.echo(f"  [{ {'error': '错误', 'warning': '警告', 'info': '提示'}[f.severity] }] {f.rule}：{f.message}")
        if output:
            click.echo(f"\n已生成：{output}")


def _write_report(ar: Any, output: str) -> None:
    suffix = Path(output).suffix.lower()
    if suffix == ".docx":
        data = render_docx(ar.spec)
    elif suffix in (".html", ".htm"):
        data = render_html(ar.spec).encode("utf-8")
    elif suffix == ".pdf":
        data = render_pdf(ar.spec)
    else:
        raise click.BadParameter(f"报告文件应为 .docx、.html 或 .pdf：{output}")
    Path(output).write_bytes(data)


@agency.group()
def calendar() -> None:
    """工作日历：国务院办公厅节假日安排（含调休），可由管理员修改或录入新年度安排。"""


@calendar.command("show")
@db_option
@click.option("--year", type=int, required=True, help="年度")
def calendar_show(db: str | None, year: int) -> None:
    """列出某年度的假日和调休工作日。"""
    with _bench(db) as wb:
        cal = wb.calendar()
    if not cal.known(year):
        click.echo(f"{year} 年的节假日安排尚未录入：该年的期限按周一至周五计算，标为暂定。最后录入的年度：{cal.last_known_year}")
        return
    for d, kind, name in cal.days(year):
        click.echo(f"{d.isoformat()}  {'休' if kind == 'holiday' else '班'}  {name}")


@calendar.command("set")
@db_option
@click.argument("day")
@click.argument("kind", type=click.Choice(["holiday", "workday", "normal"]))
@click.option("--name", default="", help="名称，如 春节")
@actor_option
@today_option
def calendar_set(db: str | None, day: str, kind: str, name: str, actor: str | None, today: str | None) -> None:
    """把某一天设为假日（holiday）、调休工作日（workday）或按星期计算（normal）；未办结申请的期限随之重算。"""
    d = _day(day)
    with _bench(db) as wb:
        cal = wb.calendar().with_day(d, kind, name)
        n = wb.set_calendar(cal, [d.year], actor=actor, reason=f"{d.isoformat()} 设为 {kind}", today=_day(today))
    click.echo(f"已修改 {d.isoformat()}；{n} 件未办结申请的答复期限已重新计算")


@calendar.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@db_option
@click.option("--year", type=int, required=True, help="安排所属年度")
@actor_option
@today_option
def calendar_import(file: str, db: str | None, year: int, actor: str | None, today: str | None) -> None:
    """录入一个年度的节假日安排：CSV，每行 日期,类型(休/班),名称；未办结申请的期限随之重算。"""
    try:
        arr = read_arrangement(Path(file).read_bytes(), year, file)
        with _bench(db) as wb:
            n = wb.set_calendar(wb.calendar().with_year(arr), [year], actor=actor, reason=f"录入 {year} 年节假日安排",
                                today=_day(today))  # fmt: skip
    except GongkaiError as e:
        _fail(e)
    click.echo(f"已录入 {year} 年安排（假日 {len(arr.holidays)} 天，调休工作日 {len(arr.workdays)} 天）；{n} 件未办结申请的期限已重新计算")


@agency.command()
@db_option
@body_option
@click.argument("number")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出的答复书 DOCX")
@click.option("--template", type=click.Path(exists=True, dir_okay=False), help="答复书模板 DOCX（默认用内置模板）")
@click.option("--templates", type=click.Path(exists=True, file_okay=False),
              help="按办理结果分别存放模板的文件夹：withheld.state_secret.docx、withheld.docx、default.docx 等，取最具体的一个")  # fmt: skip
def letter(db: str | None, body: str, number: str, output: str, template: str | None, templates: str | None) -> None:
    """为已办结的申请 NUMBER 生成答复书（DOCX，按办理结果填入案件事实）。"""
    try:
        with _bench(db) as wb:
            _, app, _ = wb.application(body, number)
        chosen = Path(template).read_bytes() if template else template_for(templates, app) if templates else None
        data = render_letter(app, body, chosen)
    except GongkaiError as e:
        _fail(e)
    Path(output).write_bytes(data)
    click.echo(f"已生成答复书：{output}")


@agency.command("letter-template")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出的模板 DOCX")
def letter_template(output: str) -> None:
    """写出内置的答复书模板（DOCX），可在 Word 中修改后用 --template 使用。"""
    try:
        Path(output).write_bytes(default_template())
    except GongkaiError as e:
        _fail(e)
    click.echo(f"已写出答复书模板：{output}（可用字段：" + "、".join("{{ " + f + " }}" for f in FIELDS) + "）")


@agency.command()
@db_option
@body_option
@click.option("--year", type=int, required=True, help="报告年度")
@click.option("--section", type=click.Choice(["overview", "proactive", "applications", "remedies", "problems", "other"]),
              help="要修改的章节")  # fmt: skip
@click.option("--text", "text_file", type=click.Path(exists=True, dir_okay=False), help="新的文字（UTF-8 文本文件）")
@actor_option
def narrative(db: str | None, body: str, year: int, section: str | None, text_file: str | None, actor: str | None) -> None:
    """查看或修改报告的章节文字；文字中的 {t3.received.total} 等占位符在生成报告时填入计算结果。"""
    fmt = report_format(year)
    try:
        with _bench(db) as wb:
            if section and text_file:
                wb.set_narrative(body, year, section, Path(text_file).read_text(encoding="utf-8").strip(), fmt, actor)
                click.echo(f"已保存第「{section}」部分的文字")
                return
            texts = defaults(fmt) | wb.narrative(body, year)
    except GongkaiError as e:
        _fail(e)
    for k, t in texts.items():
        if section is None or k == section:
            click.echo(f"[{k}]\n{t}\n")


@agency.command()
@db_option
@click.option("--body", metavar="机关名称", help="只看此机关")
@click.option("--key", metavar="编号", help="只看此记录")
@click.option("--limit", type=int, default=50, show_default=True, help="最多显示条数")
def audit(db: str | None, body: str | None, key: str | None, limit: int) -> None:
    """查看审计日志：每次导入、修改、作废、办理操作和日历修改。"""
    with _bench(db) as wb:
        rows = wb.audit(body, key, limit)
    for r in rows:
        click.echo(f"{r['at']:%Y-%m-%d %H:%M:%S}  {r['actor'] or '-'}  {r['tbl']}  {r['record_key']}  {r['action']}")
    if not rows:
        click.echo("没有审计记录")
    sys.stdout.flush()


@agency.group()
def disclosure() -> None:
    """主动公开信息的保密审查签批：拟稿 → 审查（拟稿人以外的人）→ 发布，每步记录人和时间。"""


@disclosure.command("add")
@db_option
@body_option
@click.argument("title")
@click.option("--by", "actor", required=True, metavar="姓名", help="拟稿人")
@click.option("--channel", help="公开渠道，如 政府网站")
@click.option("--catalogue", help="公开目录节点")
def disclosure_add(db: str | None, body: str, title: str, actor: str, channel: str | None, catalogue: str | None) -> None:
    """登记一条拟主动公开的信息（拟稿）。"""
    try:
        with _bench(db) as wb:
            rid = wb.add_disclosure(body, title, actor, channel=channel, catalogue=catalogue)
    except GongkaiError as e:
        _fail(e)
    click.echo(f"已登记第 {rid} 条：{title}（待保密审查）")


@disclosure.command("sign")
@db_option
@body_option
@click.argument("rid", type=int)
@click.argument("step", type=click.Choice(["review", "publish"]))
@click.option("--by", "actor", required=True, metavar="姓名", help="审查人或发布人")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="发布日期（默认今天）")
def disclosure_sign(db: str | None, body: str, rid: int, step: str, actor: str, day: str | None) -> None:
    """签批第 RID 条：review（保密审查通过）或 publish（发布，须先通过审查）。"""
    try:
        with _bench(db) as wb:
            wb.sign_disclosure(body, rid, step, actor, _day(day))
    except GongkaiError as e:
        _fail(e)
    click.echo(f"第 {rid} 条：{'保密审查通过' if step == 'review' else '已发布'}（{actor}）")


@disclosure.command("list")
@db_option
@body_option
def disclosure_list(db: str | None, body: str) -> None:
    """列出主动公开信息及其签批情况。"""
    with _bench(db) as wb:
        rows = wb.disclosures(body)
    for r in rows:
        steps = [f"拟稿 {r['drafter']} {r['drafted_at']:%Y-%m-%d %H:%M}"]
        steps.append(f"审查 {r['reviewer']} {r['reviewed_at']:%Y-%m-%d %H:%M}" if r["reviewed_at"] else "待审查")
        steps.append(f"发布 {r['publisher']} {r['published_on']}" if r["published_at"] else "未发布")
        click.echo(f"{r['id']}  {r['title']}  " + " → ".join(steps))
    if not rows:
        click.echo(f"{body}：没有主动公开记录")
