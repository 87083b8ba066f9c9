"""The workbench's pages in ``gongkai serve`` (the ``gongkai.web.extensions`` seam).

Same accounts and sessions as the rest of the app; what a user may do follows the
permissions of ``domain/roles.py`` (registrar, handler, approver, reviewer, admin), and the
workflow's own check (``workflow.apply``) refuses what the transition table does not allow.
Personal data (申请人, contact) is shown only with ``agency_personal``.

* ``/agency``: bodies with their open, overdue and due-soon cases; the case list with
  filters (overdue, due this week, by handler); a case page with its timeline and the next
  allowed actions; registers; the ledger upload;
* ``/agency/calendar``: the working-day calendar and its editor;
* the report page: tables 2–4 with every cell linked to the records it counts, findings,
  the narrative editor, DOCX/HTML/PDF downloads.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..domain.labels import SECTIONS, T2_ROWS, T3_COLUMNS, T3_ROW_BY_KEY, T4_COLUMNS, T4_GROUPS, cell_label, t3_rows
from ..domain.ledger import ACTIONS, APPLICANT_TYPES, PERSONAL_FIELDS, STATES, outcome_label
from ..domain.roles import acting_role
from ..errors import GongkaiError
from ..render import render_docx, render_html, render_pdf
from ..web.auth import form_writer, require
from ..web.extensions import NavEntry, WebExtension
from ..web.lanes import run_slow, slow_lane
from ..web.pages import render
from .db import Workbench
from .deadlines import due_soon
from .ledger import outcome_key, parse_date, read_ledger
from .letters import render_letter
from .narrative import defaults
from .records import Application, state_of
from .report import AgencyReport, make_report
from .workflow import ANSWER_OUTCOMES, allowed

router = APIRouter()
TEMPLATES = Path(__file__).parent / "templates"
ACTION_ROLE_PERMISSION = {"registrar": "agency_register", "handler": "agency_handle", "approver": "agency_approve"}
MAX_LEDGER_BYTES = 50 * 1024 * 1024


def _bench(request: Request) -> Workbench:
    wb = getattr(request.app.state, "agency", None)
    if wb is None:
        wb = request.app.state.agency = Workbench(engine=request.app.state.engine)
    return wb


def _today(request: Request) -> dt.date:
    # tests and the docs' screenshots pin the day (app.state.agency_today); a real app uses today
    return getattr(request.app.state, "agency_today", None) or dt.date.today()


def _perms(user: Any) -> frozenset[str]:
    return user.role_info.permissions


def _url(body: str, *parts: str) -> str:
    return "/agency/b/" + quote(body, safe="") + "".join("/" + quote(p, safe="") for p in parts)


def _common(request: Request, body: str) -> dict[str, Any]:
    """What every page of one body shows: its links, the report years, the flash messages."""
    today = _today(request)
    return {"body": body, "base": _url(body), "today": today, "report_years": [today.year - 1, today.year],
            "message": request.query_params.get("message"), "error": request.query_params.get("error")}  # fmt: skip


def _back(url: str, message: str | None = None, error: str | None = None, anchor: str = "") -> RedirectResponse:
    q = []
    if message:
        q.append("message=" + quote(message))
    if error:
        q.append("error=" + quote(error))
    sep = "&" if "?" in url else "?"
    return RedirectResponse(url + (sep + "&".join(q) if q else "") + anchor, status_code=303)


# ---------------------------------------------------------------- home and case list
@router.get("/agency", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, user: Any = Depends(require("agency_read"))) -> Response:
    wb = _bench(request)
    today = _today(request)
    rows = []
    for body in wb.bodies():
        cases = wb.cases(body, today)
        rows.append({
            "body": body, "url": _url(body), "total": len(cases),
            "open": sum(1 for c in cases if c.days_left is not None),
            "overdue": sum(1 for c in cases if c.overdue and c.days_left is not None),
            "soon": sum(1 for c in cases if due_soon(c)),
        })  # fmt: skip
    can_import = "agency_register" in _perms(user)
    return render(request, "agency_home.html", {"bodies": rows, "today": today, "can_import": can_import,
                                                "message": request.query_params.get("message"),
                                                "error": request.query_params.get("error")})  # fmt: skip


@router.post("/agency/import", response_class=HTMLResponse, include_in_schema=False)
async def import_ledger(request: Request, got: Any = Depends(form_writer("agency_register"))) -> Response:
    user, form = got
    body = str(form.get("body") or "").strip()
    upload = form.get("file")
    if not body or upload is None or not hasattr(upload, "read"):
        return _back("/agency", error="请填写机关名称并选择台账文件")
    data = await upload.read(MAX_LEDGER_BYTES + 1)
    if len(data) > MAX_LEDGER_BYTES:
        return _back("/agency", error="台账文件不能超过 50 MB")

    def read_and_import() -> Any:
        ledger = read_ledger(upload.filename or "台账", data=data)
        return _bench(request).import_ledger(body, ledger, actor=user.name, today=_today(request))

    try:
        res = await run_slow(read_and_import)
    except GongkaiError as e:
        return _back("/agency", error=str(e))
    return _back(_url(body), message=res.summary())


def _filter(rows: list[Any], show: str, handler: str | None) -> list[Any]:
    if show == "open":
        rows = [r for r in rows if r.days_left is not None]
    elif show == "overdue":
        rows = [r for r in rows if r.overdue and r.days_left is not None]
    elif show == "week":
        rows = [r for r in rows if due_soon(r)]
    elif show == "late":
        rows = [r for r in rows if r.answered_late]
    if handler:
        rows = [r for r in rows if r.handler == handler]
    return rows


@router.get("/agency/b/{body}", response_class=HTMLResponse, include_in_schema=False)
def case_list(request: Request, body: str, show: str = "open", handler: str | None = None,
              user: Any = Depends(require("agency_read"))) -> Response:  # fmt: skip
    wb = _bench(request)
    today = _today(request)
    all_rows = wb.cases(body, today)
    rows = _filter(all_rows, show, handler)
    handlers = sorted({r.handler for r in all_rows if r.handler})
    years = sorted({int(r.received[:4]) for r in all_rows}, reverse=True) or [today.year - 1]
    return render(request, "agency_cases.html", {**_common(request, body),
        "body": body, "rows": rows, "show": show, "handler": handler or "", "handlers": handlers, "today": today,
        "base": _url(body), "years": years, "types": list(APPLICANT_TYPES),
        "can_register": "agency_register" in _perms(user), "message": request.query_params.get("message"),
        "error": request.query_params.get("error"), "outcome_label": _outcome,
    })  # fmt: skip


def _outcome(key: str | None) -> str:
    return outcome_label(key) if key else ""


@router.post("/agency/b/{body}/register", response_class=HTMLResponse, include_in_schema=False)
@slow_lane
def register(request: Request, body: str, got: Any = Depends(form_writer("agency_register"))) -> Response:
    user, form = got
    try:
        number = str(form.get("number") or "").strip()
        if not number:
            raise GongkaiError("请填写编号")
        kind = APPLICANT_TYPES.get(str(form.get("applicant_type") or ""))
        if kind is None:
            raise GongkaiError("请选择申请人类型")
        app = Application(number, parse_date(str(form.get("received") or "")), kind,
                          applicant=str(form.get("applicant") or "") or None, content=str(form.get("content") or "") or None)  # fmt: skip
        wb = _bench(request)
        if any(a.number == number for a in wb.load(body, "cases", include_voided=True)):
            raise GongkaiError(f"编号 {number} 已存在")
        wb.register(body, app, actor=user.name, today=_today(request))
    except ValueError:
        return _back(_url(body), error="收到日期应为 YYYY-MM-DD")
    except GongkaiError as e:
        return _back(_url(body), error=e.message)
    return _back(_url(body, "case", number), message="已登记")


# ---------------------------------------------------------------- one case
@router.get("/agency/b/{body}/case/{number}", response_class=HTMLResponse, include_in_schema=False)
def case_page(request: Request, body: str, number: str, user: Any = Depends(require("agency_read"))) -> Response:
    wb = _bench(request)
    try:
        rid, app, row = wb.application(body, number)
    except GongkaiError as e:
        return render(request, "error.html", {"title": "没有这个申请", "message": e.message}, status=404)
    perms = _perms(user)
    role = acting_role(perms)
    today = _today(request)
    case = next((c for c in wb.cases(body, today) if c.number == number), None)
    actions = []
    if row["voided_at"] is None and role is not None:
        actions = [a for a in allowed(app, role)]
    timeline = [{"day": app.received, "what": "收到申请", "who": None, "note": None}]
    labels = {a.key: a.label for a in ACTIONS}
    for e in wb.events(rid):
        timeline.append({"day": e["day"], "what": labels.get(e["action"], e["action"]), "who": e["actor"], "note": e["note"]})
    dues = wb.due_log(rid)
    show_personal = "agency_personal" in perms
    facts = [(k, getattr(app, k)) for k in ("channel", "content", "correction_requested", "correction_received", "consult_start",
                                            "consult_end", "fee_notice", "fee_paid", "extension_days", "answered", "handler")]  # fmt: skip
    return render(request, "agency_case.html", {**_common(request, body),
        "body": body, "app": app, "row": row, "case": case, "state": STATES[state_of(app)], "actions": actions,
        "timeline": timeline, "dues": dues, "facts": facts, "show_personal": show_personal, "personal": sorted(PERSONAL_FIELDS),
        "base": _url(body), "url": _url(body, "case", number), "outcomes": [(k, outcome_label(k)) for k in ANSWER_OUTCOMES],
        "column": next(c.label for c in T3_COLUMNS if c.key == app.applicant_type), "outcome": _outcome(app.outcome),
        "today": today, "message": request.query_params.get("message"), "error": request.query_params.get("error"),
        "closed": app.answered is not None,
    })  # fmt: skip


@router.post("/agency/b/{body}/case/{number}/act", response_class=HTMLResponse, include_in_schema=False)
@slow_lane
def act(request: Request, body: str, number: str, got: Any = Depends(form_writer("agency_read"))) -> Response:
    user, form = got
    url = _url(body, "case", number)
    role = acting_role(_perms(user))
    if role is None:
        return _back(url, error="当前角色不能办理申请")
    action = str(form.get("action") or "")
    try:
        day = parse_date(str(form.get("day") or "")) if form.get("day") else _today(request)
        outcome = outcome_key(str(form.get("outcome"))) if form.get("outcome") else None
        days = int(str(form.get("days"))) if form.get("days") else None
        _bench(request).act(body, number, action, day, actor=user.name, role=role, outcome=outcome, days=days,
                            handler=str(form.get("handler") or "") or None, note=str(form.get("note") or "") or None,
                            today=_today(request))  # fmt: skip
    except ValueError:
        return _back(url, error="日期应为 YYYY-MM-DD，天数应为整数")
    except GongkaiError as e:
        return _back(url, error=e.message)
    return _back(url, message="已办理：" + next(a.label for a in ACTIONS if a.key == action))


@router.get("/agency/b/{body}/case/{number}/letter.docx", include_in_schema=False)
@slow_lane
def letter(request: Request, body: str, number: str, user: Any = Depends(require("agency_handle"))) -> Response:
    try:
        _, app, _ = _bench(request).application(body, number)
        data = render_letter(app, body)
    except GongkaiError as e:
        return render(request, "error.html", {"title": "无法生成答复书", "message": e.message}, status=409)
    return _download(data, f"答复书-{number}.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def _download(data: bytes, name: str, media: str) -> Response:
    return Response(data, media_type=media, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


# ---------------------------------------------------------------- registers
@router.get("/agency/b/{body}/registers", response_class=HTMLResponse, include_in_schema=False)
def registers(request: Request, body: str, user: Any = Depends(require("agency_read"))) -> Response:
    wb = _bench(request)
    recs = wb.all_records(body)
    return render(request, "agency_registers.html", {**_common(request, body),
        "body": body, "base": _url(body), "remedies": recs["remedies"], "documents": recs["documents"], "counts": recs["counts"],
        "disclosures": wb.disclosures(body), "label": cell_label, "groups": dict(T4_GROUPS),
        "results": {c.key: c.label for c in T4_COLUMNS if c.key in ("upheld", "corrected", "other")},
        "kinds": {r.key: r.label for r in T2_ROWS["2021"] if r.key in ("regulations", "normative_docs")},
        "can_draft": "agency_handle" in _perms(user), "can_review": "agency_review" in _perms(user),
        "can_publish": "agency_approve" in _perms(user),
        "message": request.query_params.get("message"), "error": request.query_params.get("error"),
    })  # fmt: skip


@router.post("/agency/b/{body}/disclosures", response_class=HTMLResponse, include_in_schema=False)
@slow_lane
def disclosures(request: Request, body: str, got: Any = Depends(form_writer("agency_read"))) -> Response:
    user, form = got
    url = _url(body, "registers")
    step = str(form.get("step") or "")
    need = {"draft": "agency_handle", "review": "agency_review", "publish": "agency_approve"}.get(step)
    if need is None or need not in _perms(user):
        return _back(url, error="当前角色不能进行这一步")
    wb = _bench(request)
    try:
        if step == "draft":
            wb.add_disclosure(body, str(form.get("title") or ""), user.name, channel=str(form.get("channel") or "") or None,
                              catalogue=str(form.get("catalogue") or "") or None)  # fmt: skip
        else:
            wb.sign_disclosure(body, int(str(form.get("id") or "0")), step, user.name, _today(request))
    except (GongkaiError, ValueError) as e:
        return _back(url, error=getattr(e, "message", "请求有误"))
    return _back(url, message="已保存")


# ---------------------------------------------------------------- calendar
@router.get("/agency/calendar", response_class=HTMLResponse, include_in_schema=False)
def calendar_page(request: Request, year: int | None = None, user: Any = Depends(require("agency_read"))) -> Response:
    cal = _bench(request).calendar()
    y = year or _today(request).year
    return render(request, "agency_calendar.html", {
        "year": y, "days": list(cal.days(y)), "known": cal.known(y), "last": cal.last_known_year,
        "source": cal.years[y].source if cal.known(y) else None, "can_edit": "agency_calendar" in _perms(user),
        "message": request.query_params.get("message"), "error": request.query_params.get("error"),
    })  # fmt: skip


@router.post("/agency/calendar", response_class=HTMLResponse, include_in_schema=False)
@slow_lane
def calendar_edit(request: Request, got: Any = Depends(form_writer("agency_calendar"))) -> Response:
    user, form = got
    wb = _bench(request)
    try:
        day = parse_date(str(form.get("day") or ""))
        kind = str(form.get("kind") or "")
        cal = wb.calendar().with_day(day, kind, str(form.get("name") or ""))
        n = wb.set_calendar(cal, [day.year], actor=user.name, reason=f"{day.isoformat()} 设为 {kind}", today=_today(request))
    except ValueError as e:
        return _back("/agency/calendar", error=str(e) if "类型" in str(e) else "日期应为 YYYY-MM-DD")
    return _back(f"/agency/calendar?year={day.year}", message=f"已修改 {day.isoformat()}；{n} 件未办结申请的答复期限已重新计算")


# ---------------------------------------------------------------- the report
def _report(request: Request, body: str, year: int) -> AgencyReport:
    wb = _bench(request)
    return make_report(body, year, wb.records(body), narrative=wb.narrative(body, year))


def _tables(rep: AgencyReport, body: str, year: int) -> dict[str, Any]:
    c = rep.computed
    link = _url(body, "report", str(year), "cell")

    def cell(key: str) -> dict[str, Any]:
        return {"key": key, "value": c.cells.get(key), "n": len(c.members.get(key, [])), "href": f"{link}/{key}",
                "missing": c.missing.get(key)}  # fmt: skip

    t2 = [{"label": r.label, "cells": [(col.label, cell(f"t2.{r.key}.{col.key}")) for col in r.columns]} for r in T2_ROWS[c.format]]
    t3 = [{"label": T3_ROW_BY_KEY[r].label.split("（区分")[0], "cells": [cell(f"t3.{r}.{col.key}") for col in T3_COLUMNS]}
          for r in t3_rows(c.format)]  # fmt: skip
    t4 = [{"label": g, "cells": [cell(f"t4.{k}.{col.key}") for col in T4_COLUMNS]} for k, g in T4_GROUPS]
    return {"t2": t2, "t3": t3, "t4": t4, "t3_cols": [col.label for col in T3_COLUMNS], "t4_cols": [col.label for col in T4_COLUMNS]}


@router.get("/agency/b/{body}/report/{year}.{ext}", include_in_schema=False)
@slow_lane
def report_download(request: Request, body: str, year: int, ext: str, user: Any = Depends(require("agency_read"))) -> Response:
    rep = _report(request, body, year)
    name = f"{body}{year}年政府信息公开工作年度报告.{ext}"
    try:
        if ext == "docx":
            return _download(render_docx(rep.spec), name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        if ext == "pdf":
            return _download(render_pdf(rep.spec), name, "application/pdf")
        if ext == "html":
            return _download(render_html(rep.spec).encode("utf-8"), name, "text/html; charset=utf-8")
    except GongkaiError as e:
        return render(request, "error.html", {"title": "无法生成", "message": e.message}, status=503)
    return render(request, "error.html", {"title": "没有这种格式", "message": ext}, status=404)


@router.get("/agency/b/{body}/report/{year}", response_class=HTMLResponse, include_in_schema=False)
def report_page(request: Request, body: str, year: int, user: Any = Depends(require("agency_read"))) -> Response:
    rep = _report(request, body, year)
    texts = defaults(rep.computed.format) | rep.narrative
    return render(request, "agency_report.html", {**_common(request, body),
        "body": body, "year": year, "rep": rep, "format": rep.computed.format, **_tables(rep, body, year),
        "sections": [(s, texts[s.key], rep.spec.sections[s.key]) for s in SECTIONS],
        "findings": [f.to_json() for f in rep.findings], "base": _url(body), "url": _url(body, "report", str(year)),
        "can_edit": "agency_handle" in _perms(user), "message": request.query_params.get("message"),
        "error": request.query_params.get("error"),
    })  # fmt: skip


@router.get("/agency/b/{body}/report/{year}/cell/{key}", response_class=HTMLResponse, include_in_schema=False)
def cell_page(request: Request, body: str, year: int, key: str, user: Any = Depends(require("agency_read"))) -> Response:
    rep = _report(request, body, year)
    members = rep.computed.members.get(key)
    if members is None and key not in rep.computed.missing:
        return render(request, "error.html", {"title": "没有这个单元格", "message": key}, status=404)
    rows = []
    if key.startswith("t3."):
        by = {c.number: c for c in _bench(request).cases(body, _today(request))}
        rows = [by[n] for n in members or [] if n in by]
    return render(request, "agency_cell.html", {**_common(request, body),
        "body": body, "year": year, "key": key, "label": cell_label(key), "value": rep.computed.cells.get(key),
        "members": members or [], "rows": rows, "missing": rep.computed.missing.get(key), "base": _url(body),
        "report": _url(body, "report", str(year)), "outcome_label": _outcome,
    })  # fmt: skip


@router.post("/agency/b/{body}/report/{year}/narrative", response_class=HTMLResponse, include_in_schema=False)
@slow_lane
def narrative_post(request: Request, body: str, year: int, got: Any = Depends(form_writer("agency_handle"))) -> Response:
    user, form = got
    url = _url(body, "report", str(year))
    section = str(form.get("section") or "")
    if section not in {s.key for s in SECTIONS}:
        return _back(url, error="没有这个章节")
    rep = _report(request, body, year)
    try:
        _bench(request).set_narrative(body, year, section, str(form.get("text") or "").strip(), rep.computed.format, user.name)
    except GongkaiError as e:
        return _back(url, error=e.message)
    return _back(url, message="已保存文字", anchor=f"#s-{section}")


def web_extension() -> WebExtension:
    return WebExtension(
        "agency",
        router,
        templates=TEMPLATES,
        nav=[NavEntry("工作台", "/agency", "agency_read"), NavEntry("工作日历", "/agency/calendar", "agency_read")],
    )
