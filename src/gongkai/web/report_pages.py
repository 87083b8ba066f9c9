"""The report page: source and tables side by side, findings, corrections, dismissals."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlencode

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from ..errors import GongkaiError
from ..store import corrections as fixes
from ..store.reparse import reparse, source_bytes
from ..store.schema import corrections, dismissals, reports
from .accounts import User
from .auth import form_writer, require
from .lanes import slow_lane
from .pages import render
from .source_view import Lru, render_page, source_html, source_view
from .tables_view import keys_datalist, other_findings, row_tds, tables

router = APIRouter()
RID = PathParam(..., pattern=r"^[0-9a-f]{16}$", description="报告编号（内容哈希的前 16 位）")


def objects_dir(request: Request) -> Any:
    return request.app.state.config.data_dir / "objects"


# (db, report id) -> (state, Reviewed): read-only once built. Small: the page's parts and the
# API's body are cached from it (a report's page and then its API call, or a viewer's and a
# reviewer's page), and its ~700 objects per report are what the cyclic collector walks on
# each full pass (web.app.settle_heap): 32 of them doubled a full pass (17 -> 34 ms).
_REVIEWED = Lru(4)


# The report page's and the API's lookups, built once (a select costs ~0.3 ms of CPU to make,
# more than SQLite's work for these), executed with the report's id bound.
_RID = sa.bindparam("rid")
_STATE = sa.select(
    reports.c.ingested_at,
    reports.c.is_latest,
    sa.select(sa.func.max(corrections.c.id)).where(corrections.c.report_id == _RID).scalar_subquery(),
    sa.select(sa.func.max(dismissals.c.id)).where(dismissals.c.report_id == _RID).scalar_subquery(),
).where(reports.c.id == _RID)
_OTHER_YEARS = (
    sa.select(reports.c.id, reports.c.year)
    .where(reports.c.normalized_body == sa.bindparam("body"), reports.c.is_latest.is_(True), reports.c.id != _RID)
    .order_by(reports.c.year)
)


def _review_state(conn: Any, rid: str) -> Any:
    """What a report's reviewed view depends on: its parse (a re-parse sets ingested_at), its
    corrections and dismissals (each a new row, in the transaction of its audit row), and
    whether a newer version superseded it."""
    return conn.execute(_STATE, {"rid": rid}).first()


def review_state(request: Request, rid: str) -> tuple[Any, ...]:
    """The report's review state (404 when there is no such report): a key for caches and ETags."""
    with request.app.state.engine.connect() as conn:
        state = _review_state(conn, rid)
    if state is None:
        raise HTTPException(404, f"没有报告 {rid}")
    return tuple(state)


def load_reviewed(request: Request, rid: str, state: tuple[Any, ...] | None = None) -> fixes.Reviewed:
    """The report with people's work applied (kept per process until any of it changes)."""
    engine = request.app.state.engine
    key = (str(engine.url), rid)
    with engine.connect() as conn:
        if state is None:
            got = _review_state(conn, rid)
            if got is None:
                raise HTTPException(404, f"没有报告 {rid}")
            state = tuple(got)
        hit = _REVIEWED.get(key)
        if hit is not None and hit[0] == state:
            return hit[1]
        # the state's max correction and dismissal ids: None when there are none to read
        r = fixes.reviewed(conn, rid, has_corrections=state[2] is not None, has_dismissals=state[3] is not None)
    if r is None:
        raise HTTPException(404, f"没有报告 {rid}")
    _REVIEWED.put(key, (state, r))
    return r


def history(request: Request, rid: str, state: tuple[Any, ...] | None = None) -> list[dict[str, Any]]:
    """The report's corrections and dismissals, newest first (none to read when ``state`` says so)."""
    if state is not None and state[2] is None and state[3] is None:
        return []
    c, d = corrections.c, dismissals.c
    with request.app.state.engine.connect() as conn:
        rows = [
            {"kind": "correction", **dict(r._mapping)}
            for r in conn.execute(
                sa.select(c.id, c.key, c.action, c.old_value, c.new_value, c.reason, c.user_name, c.at).where(c.report_id == rid)
            )
        ]
        rows += [
            {"kind": "dismissal", **dict(r._mapping)}
            for r in conn.execute(sa.select(d.id, d.fingerprint, d.action, d.reason, d.user_name, d.at).where(d.report_id == rid))
        ]
    rows.sort(key=lambda r: r["at"], reverse=True)
    return rows


def other_years(request: Request, rid: str, body: str | None) -> list[dict[str, Any]]:
    """The same body's latest reports of other years (per request: another report's ingest changes them)."""
    if not body:
        return []
    with request.app.state.engine.connect() as conn:
        return [dict(x._mapping) for x in conn.execute(_OTHER_YEARS, {"body": body, "rid": rid})]


# ---------------------------------------------------------------- the cached parts of the page
# Everything on the report page but the user, the CSRF token, the query's cell and message and
# the other years' links is a function of the report's review state (_review_state) and of
# what the user may do: rendered once per (report, state, permissions), the CSRF token left as
# a slot that each request fills with its own. A correction, dismissal or re-parse changes the
# state in its own transaction, so the next view renders afresh.
SLOT = "csrf-slot-" + secrets.token_hex(16)  # per process: report text cannot hold it
_PARTS = Lru(256)  # (db, report id, state, permissions) -> Parts; ~100 kB each


@dataclass(frozen=True, slots=True)
class Perms:
    reparse: bool
    dismiss: bool


class FormCell(NamedTuple):
    """What the correction form shows of the query's cell."""

    key: str
    label: str
    value: Any
    corrected: bool


@dataclass(frozen=True, slots=True)
class Parts:
    title: str
    body_key: str | None  # normalized body, for the other years' links
    head: str  # HTML, SLOT where the CSRF token goes
    mid: str
    body: str
    datalist: Markup
    cells: dict[str, tuple[str, Any, bool]]  # key -> (label, value, corrected): plain tuples, not tracked by the collector

    def cell(self, key: str | None) -> FormCell | None:
        got = self.cells.get(key) if key else None
        return None if got is None else FormCell(key, *got)  # type: ignore[arg-type]

    def filled(self, csrf: str) -> dict[str, Any]:
        token = str(escape(csrf))
        return {
            "title": self.title,
            "head": Markup(self.head),
            "mid": Markup(self.mid.replace(SLOT, token)),
            "body": Markup(self.body.replace(SLOT, token)),
            "datalist": self.datalist,
        }


def build_parts(request: Request, rid: str, state: tuple[Any, ...], perms: Perms) -> Parts:
    rv = load_reviewed(request, rid, state)
    found = source_bytes(request.app.state.engine, rid, objects_dir(request))
    src = source_view(rv.parsed, found)
    tabled, views = tables(rv.parsed, rv.corrections, rv.findings)
    labels = {k: v.label for k, v in views.items()}
    row = rv.row
    ctx = {
        "source_html": source_html(src, rid, labels, frozenset(rv.corrections)),
        "tds": row_tds,
        "rv": rv,
        "row": row,
        "tables": tabled,
        "other": other_findings(rv.findings, tabled),
        "views": views,
        "history": history(request, rid, state),
        "sections": rv.parsed.sections,
        "perms": perms,
        "slot": SLOT,
    }
    template = request.app.state.env.get_template("report_parts.html")
    context = template.new_context(ctx)
    part = {name: "".join(template.blocks[name](context)) for name in ("head", "mid", "body")}
    return Parts(
        f"{row.issuing_body or '报告'} {row.year or ''}",
        row.normalized_body,
        part["head"],
        part["mid"],
        part["body"],
        keys_datalist(views),
        {k: (v.label, v.value, v.corrected is not None) for k, v in views.items()},
    )


@router.get("/reports/{rid}", response_class=HTMLResponse, include_in_schema=False)
def report_page(
    request: Request, rid: str = RID, user: User = Depends(require("read")), cell: str | None = None, message: str | None = None
) -> Response:
    state = review_state(request, rid)
    perms = Perms(user.can("reparse"), user.can("dismiss"))
    key = (str(request.app.state.engine.url), rid, state, perms)
    parts = _PARTS.get(key)
    if parts is None:
        parts = build_parts(request, rid, state, perms)
        _PARTS.put(key, parts)
    ctx = {
        "parts": parts.filled(getattr(user, "csrf", None) or ""),
        "rid": rid,
        "near": other_years(request, rid, parts.body_key),
        "cell": parts.cell(cell),
        "message": message,
    }
    return render(request, "report.html", ctx)


@router.get("/reports/{rid}/pages/{n}.png", include_in_schema=False)
def page_image(
    request: Request, rid: str = RID, n: int = PathParam(..., ge=1, le=1000), user: User = Depends(require("read"))
) -> Response:
    found = source_bytes(request.app.state.engine, rid, objects_dir(request))
    if found is None:
        raise HTTPException(404, "找不到原文件")
    data, _path, digest = found
    with request.app.state.engine.connect() as conn:
        media = conn.execute(sa.select(reports.c.media_type).where(reports.c.id == rid)).scalar()
    # the cache path is made of the hash and the page number only
    dest = request.app.state.config.data_dir / "pages" / digest[:2] / f"{digest}-{n}.png"
    try:
        render_page(data, media, n, dest)
    except IndexError:
        raise HTTPException(404, f"没有第 {n} 页") from None
    except Exception as e:
        raise HTTPException(422, f"无法渲染第 {n} 页：{type(e).__name__}") from None
    return FileResponse(dest, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})


def _back(rid: str, message: str, key: str | None = None) -> RedirectResponse:
    q = {"message": message}
    if key:
        q["cell"] = key
    return RedirectResponse(f"/reports/{rid}?{urlencode(q)}" + (f"#cell={key}" if key else ""), status_code=303)


@router.post("/reports/{rid}/correct", include_in_schema=False)
@slow_lane
def correct_form(request: Request, rid: str = RID, got: tuple[User, Any] = Depends(form_writer("correct"))) -> Response:
    user, form = got
    key = str(form.get("key") or "")
    try:
        if form.get("action") == "revert":
            fixes.revert(request.app.state.engine, rid, key, str(form.get("reason") or ""), user.name)
            return _back(rid, f"已撤销对 {key} 的更正", key)
        value = None if form.get("blank") else form.get("value")
        if value is not None and str(value).strip() == "":
            raise fixes.CorrectionError("请填写数值，或勾选“空”")
        fixes.correct(request.app.state.engine, rid, key, value, str(form.get("reason") or ""), user.name)
    except fixes.CorrectionError as e:
        return _back(rid, f"未保存：{e}", key or None)
    return _back(rid, f"已更正 {key}，已按更正后的数值重新校验", key)


@router.post("/reports/{rid}/dismiss", include_in_schema=False)
@slow_lane
def dismiss_form(request: Request, rid: str = RID, got: tuple[User, Any] = Depends(form_writer("dismiss"))) -> Response:
    user, form = got
    restore = form.get("action") == "restore"
    try:
        fixes.dismiss(
            request.app.state.engine,
            rid,
            str(form.get("fingerprint") or ""),
            str(form.get("reason") or ""),
            user.name,
            restore=restore,
        )
    except fixes.CorrectionError as e:
        return _back(rid, f"未保存：{e}")
    return _back(rid, "已恢复该问题" if restore else "已驳回该问题")


@router.post("/reports/{rid}/reparse", include_in_schema=False)
@slow_lane
def reparse_form(request: Request, rid: str = RID, got: tuple[User, Any] = Depends(form_writer("reparse"))) -> Response:
    user, _form = got
    try:
        ok = reparse(request.app.state.engine, rid, objects_dir(request), user=user.name)
    except GongkaiError as e:
        return _back(rid, f"重新解析失败：{e.message}")
    return _back(rid, "已用当前版本重新解析；人工更正保留" if ok else "找不到原文件，无法重新解析")
