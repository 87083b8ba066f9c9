"""Users (admins) and the audit log (list and CSV export)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..domain.roles import ROLES
from ..store.schema import audit_log
from . import accounts
from .auth import form_writer, require
from .lanes import slow_lane
from .pages import render

router = APIRouter()
AUDIT_PAGE = 200


@router.get("/users", response_class=HTMLResponse, include_in_schema=False)
def users_page(request: Request, user: accounts.User = Depends(require("manage_users")), message: str | None = None) -> Response:
    rows = accounts.list_users(request.app.state.engine)
    return render(request, "users.html", {"users": rows, "roles": ROLES, "message": message, "token": None})


@router.post("/users", response_class=HTMLResponse, include_in_schema=False)
@slow_lane
def users_post(request: Request, got: tuple[accounts.User, Any] = Depends(form_writer("manage_users"))) -> Response:
    user, form = got
    engine = request.app.state.engine
    action = form.get("action")
    name = str(form.get("name") or "")
    token = None
    try:
        if action == "add":
            password = str(form.get("password") or "") or None
            accounts.add_user(engine, name, str(form.get("role") or ""), password, by=user.name)
            message = f"已保存用户 {name}"
        elif action in ("disable", "enable"):
            if name == user.name:
                raise ValueError("不能停用自己的账号")
            accounts.set_disabled(engine, name, action == "disable", by=user.name)
            message = f"已{'停用' if action == 'disable' else '启用'} {name}"
        elif action == "token":
            token = accounts.make_token(engine, name, by=user.name)
            message = f"已为 {name} 生成 API 令牌（只显示这一次）"
        else:
            raise ValueError("未知的操作")
    except ValueError as e:
        message = str(e)
    rows = accounts.list_users(engine)
    return render(request, "users.html", {"users": rows, "roles": ROLES, "message": message, "token": token})


def _audit_rows(request: Request, before: int | None, limit: int) -> list[dict[str, Any]]:
    a = audit_log.c
    q = sa.select(a.id, a.at, a.user_name, a.action, a.target, a.detail).order_by(a.id.desc()).limit(limit)
    if before is not None:
        q = q.where(a.id < before)
    with request.app.state.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


@router.get("/audit", response_class=HTMLResponse, include_in_schema=False)
def audit_page(request: Request, user: accounts.User = Depends(require("audit")), before: int | None = Query(None)) -> Response:
    rows = _audit_rows(request, before, AUDIT_PAGE)
    more = rows[-1]["id"] if len(rows) == AUDIT_PAGE else None
    return render(request, "audit.html", {"rows": rows, "more": more})


@router.get("/api/audit", tags=["审计"], summary="审计日志（新的在前，按 before 翻页）")
def audit_api(
    request: Request,
    user: accounts.User = Depends(require("audit")),
    before: int | None = Query(None, description="只列出编号小于此值的记录"),
    limit: int = Query(AUDIT_PAGE, ge=1, le=5000),
) -> dict[str, Any]:
    rows = _audit_rows(request, before, limit)
    for r in rows:
        r["at"] = r["at"].isoformat(timespec="seconds")
    return {"items": rows, "next_before": rows[-1]["id"] if len(rows) == limit else None}


@router.get("/audit.csv", include_in_schema=False)
def audit_csv(request: Request, user: accounts.User = Depends(require("audit"))) -> Response:
    a = audit_log.c
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["编号", "时间", "用户", "操作", "对象", "详情"])
    with request.app.state.engine.connect() as conn:
        for r in conn.execute(sa.select(a.id, a.at, a.user_name, a.action, a.target, a.detail).order_by(a.id)):
            w.writerow(
                [
                    r.id,
                    r.at.isoformat(timespec="seconds"),
                    r.user_name,
                    r.action,
                    r.target or "",
                    json.dumps(r.detail, ensure_ascii=False) if r.detail else "",
                ]
            )
    return Response(
        "\ufeff" + buf.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="gongkai-audit.csv"'},
    )


@router.get("/users/new", include_in_schema=False)
def users_new(user: accounts.User = Depends(require("manage_users"))) -> Response:
    return RedirectResponse("/users", status_code=303)
