"""The JSON API under /api: reports, corrections, dismissals, re-parse, stats, export.

Authentication: ``Authorization: Bearer TOKEN`` (``gongkai users token NAME``) or a browser
session (writes then need ``X-CSRF-Token``). 401 without either, 403 for a role without
the permission.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from ..domain.stats import DIMENSIONS
from ..errors import GongkaiError
from ..model import json_number
from ..store import corrections as fixes
from ..store.export import export
from ..store.reparse import reparse
from ..store.stats import stats
from .accounts import User
from .auth import api_writer, require
from .corpus_pages import page_of_reports, report_filter
from .lanes import slow_lane
from .queries import ReportFilter
from .report_pages import RID, history, load_reviewed, objects_dir, review_state
from .source_view import Lru

router = APIRouter(prefix="/api")


class CorrectionIn(BaseModel):
    key: str = Field(..., description="单元格键，如 t3.received.total", max_length=64)
    value: int | float | str | None = Field(None, description="新数值；null 表示空（无数据）")
    reason: str = Field(..., description="理由", max_length=2000)
    revert: bool = Field(False, description="true：撤销对该单元格的更正，恢复解析值")


class DismissalIn(BaseModel):
    fingerprint: str = Field(..., description="问题的 fingerprint（见 GET /api/reports/{id} 的 findings）", max_length=200)
    reason: str = Field("", description="理由（驳回时必填）", max_length=2000)
    restore: bool = Field(False, description="true：恢复已驳回的问题")


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return json_number(v)
    if hasattr(v, "isoformat"):
        return v.isoformat(timespec="seconds")
    return v


def report_json(rv: fixes.Reviewed, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The interchange object of cells.md (corrected values), plus provenance, status and corrections."""
    row = rv.row
    out = rv.report.to_json(full=False)
    out["path"] = row.path
    out["findings"] = [f.to_json() for f in rv.findings]
    out["cell_status"] = {k: c.status for k, c in rv.parsed.cells.items() if c.status != "read"}
    out["provenance"] = {k: c.to_json() for k, c in rv.parsed.cells.items()}
    out["corrected"] = sorted(rv.corrections)
    out["corrections"] = {k: c.to_json() for k, c in sorted(rv.corrections.items())}
    out["parsed_cells"] = {k: json_number(rv.parsed.value(k)) for k in sorted(rv.corrections) if k in rv.parsed.cells}
    out["n_errors"] = rv.n_errors
    for name in (
        "id",
        "title",
        "normalized_body",
        "province",
        "city",
        "county",
        "division_code",
        "body_type",
        "media_type",
        "lineage",
        "version",
        "is_latest",
        "parser_version",
        "ingested_at",
    ):
        out[name] = _plain(getattr(row, name))
    out["sections"] = dict(rv.parsed.sections)
    out.update(extra or {})
    return out


@router.get("/reports", tags=["报告"], summary="报告列表（筛选、排序、按游标翻页）")
def api_reports(
    request: Request,
    user: User = Depends(require("read")),
    f: ReportFilter = Depends(report_filter),
    sort: str = Query("year", pattern="^(year|body|region|errors|ingested)$"),
    order: str = Query("desc", pattern="^(asc|desc)$"),
    after: str | None = Query(None, max_length=400, description="上一页响应的 next"),
    before: str | None = Query(None, max_length=400, description="上一页响应的 prev"),
    limit: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    page = page_of_reports(request, f, sort, order, after, before, limit)
    page["items"] = [{k: _plain(v) for k, v in r.items()} for r in page["items"]]
    return page


def _json_default(v: Any) -> Any:
    if isinstance(v, Decimal) or hasattr(v, "isoformat"):
        return _plain(v)
    if isinstance(v, set | frozenset):
        return sorted(v)
    raise TypeError(f"not JSON: {type(v).__name__}")


def json_bytes(obj: Any) -> bytes:
    """JSON once, with orjson (a report's ~40 KB in 0.1 ms; the standard library took 0.7 ms of
    a 6 ms call, FastAPI's jsonable_encoder over half of it). Datetimes, Decimals and sets go
    through ``_json_default`` as before; what orjson refuses (an integer beyond 64 bits from a
    hostile report) is written by the standard library instead."""
    try:
        return orjson.dumps(obj, default=_json_default, option=orjson.OPT_PASSTHROUGH_DATETIME)
    except orjson.JSONEncodeError:
        return json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_json_default).encode()


_BODIES = Lru(256)  # (db, report id, review state) -> (ETag, JSON body): a review changes the state


@router.get(
    "/reports/{rid}",
    tags=["报告"],
    summary="一份报告：单元格（含人工更正）、位置、状态、问题、更正记录",
    response_model=dict[str, Any],
    responses={304: {"description": "未变（If-None-Match 与 ETag 相同）"}},
)
def api_report(request: Request, rid: str = RID, user: User = Depends(require("read"))) -> Response:
    state = review_state(request, rid)
    key = (str(request.app.state.engine.url), rid, state)
    hit = _BODIES.get(key)
    if hit is None:
        rv = load_reviewed(request, rid, state)
        hist = [{k: _plain(v) for k, v in h.items()} for h in history(request, rid, state)]
        body = json_bytes(report_json(rv, {"history": hist}))
        hit = ('"' + hashlib.sha256(body).hexdigest()[:32] + '"', body)
        _BODIES.put(key, hit)
    etag, body = hit
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if etag in (t.strip() for t in request.headers.get("if-none-match", "").split(",")):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@router.post("/reports/{rid}/corrections", tags=["审核"], summary="更正一个单元格（或撤销更正）；校验随即按更正后的数值重跑")
@slow_lane
def api_correct(
    request: Request, rid: str = RID, body: CorrectionIn = Body(...), user: User = Depends(api_writer("correct"))
) -> dict[str, Any]:
    try:
        if body.revert:
            rv = fixes.revert(request.app.state.engine, rid, body.key, body.reason, user.name)
        else:
            rv = fixes.correct(request.app.state.engine, rid, body.key, body.value, body.reason, user.name)
    except fixes.CorrectionError as e:
        raise HTTPException(404 if "没有报告" in str(e) else 422, str(e)) from None
    return report_json(rv)


@router.post("/reports/{rid}/dismissals", tags=["审核"], summary="驳回（或恢复）一个问题")
@slow_lane
def api_dismiss(
    request: Request, rid: str = RID, body: DismissalIn = Body(...), user: User = Depends(api_writer("dismiss"))
) -> dict[str, Any]:
    try:
        rv = fixes.dismiss(request.app.state.engine, rid, body.fingerprint, body.reason, user.name, restore=body.restore)
    except fixes.CorrectionError as e:
        raise HTTPException(404 if "没有报告" in str(e) else 422, str(e)) from None
    return report_json(rv)


@router.post("/reports/{rid}/reparse", tags=["审核"], summary="用当前版本重新解析（保留人工更正，标出不一致）")
@slow_lane
def api_reparse(request: Request, rid: str = RID, user: User = Depends(api_writer("reparse"))) -> dict[str, Any]:
    load_reviewed(request, rid)  # 404 for an unknown id
    try:
        ok = reparse(request.app.state.engine, rid, objects_dir(request), user=user.name)
    except GongkaiError as e:
        raise HTTPException(422, e.message) from None
    if not ok:
        raise HTTPException(409, "找不到原文件，无法重新解析")
    return report_json(load_reviewed(request, rid))


@router.get("/stats", tags=["统计"], summary="按年度、地区、机关类型统计（同 gongkai stats）")
@slow_lane
def api_stats(
    request: Request,
    user: User = Depends(require("read")),
    by: str = Query("year,region,body_type", description="逗号分隔：" + "、".join(DIMENSIONS)),
) -> list[dict[str, Any]]:
    try:
        return stats(request.app.state.engine, tuple(by.split(",")))
    except ValueError as e:
        raise HTTPException(400, str(e)) from None


EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}


def export_response(request: Request, fmt: str, form: str) -> Response:
    tmp = Path(tempfile.mkdtemp(prefix="gongkai-export-"))
    dest = tmp / f"gongkai-{form}.{'jsonl' if fmt == 'json' else fmt}"
    export(request.app.state.engine, fmt, dest, form)

    def cleanup() -> None:
        dest.unlink(missing_ok=True)
        tmp.rmdir()

    return FileResponse(dest, media_type=EXPORT_TYPES[fmt], filename=dest.name, background=BackgroundTask(cleanup))


@router.get("/export", tags=["导出"], summary="导出全部最新报告（人工更正后的数值，并标明哪些单元格经过更正）")
@slow_lane
def api_export(
    request: Request,
    user: User = Depends(require("read")),
    format: str = Query("csv", pattern="^(csv|xlsx|json|parquet)$"),
    form: str = Query("wide", pattern="^(wide|long)$"),
) -> Response:
    return export_response(request, format, form)


page_router = APIRouter()


@page_router.get("/export", include_in_schema=False)
@slow_lane
def page_export(
    request: Request,
    user: User = Depends(require("read")),
    format: str = Query("csv", pattern="^(csv|xlsx|json|parquet)$"),
    form: str = Query("wide", pattern="^(wide|long)$"),
) -> Response:
    return export_response(request, format, form)
