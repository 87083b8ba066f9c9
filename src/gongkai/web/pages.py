"""Rendering pages: one Jinja2 environment (autoescaped), the nav, and the page helpers
every route module shares."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from ..domain.roles import ROLES
from .extensions import NavEntry, WebExtension

HERE = Path(__file__).parent
CORE_NAV = (
    NavEntry("报告", "/reports"),
    NavEntry("未发布", "/unpublished"),
    NavEntry("比较", "/compare"),
    NavEntry("抄袭文字", "/copies"),
    NavEntry("统计图表", "/dashboards"),
    NavEntry("上传", "/uploads", "upload"),
    NavEntry("用户", "/users", "manage_users"),
    NavEntry("审计日志", "/audit", "audit"),
    NavEntry("API", "/api/docs"),
)


def make_env(extensions: list[WebExtension]) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(HERE / "templates"))]
    loaders += [jinja2.FileSystemLoader(str(e.templates)) for e in extensions if e.templates]
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["q"] = lambda d: urlencode({k: v for k, v in d.items() if v not in (None, "")})
    env.filters["path"] = lambda s: quote(str(s), safe="")
    env.filters["num"] = fmt_num
    env.filters["pct"] = lambda v: "—" if v is None else f"{v * 100:.1f}%"
    env.globals["ROLES"] = ROLES
    return env


def fmt_num(v: Any) -> str:
    if v is None:
        return "空"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return f"{v:,}" if isinstance(v, int) else str(v)


def nav_for(request: Request, user: Any) -> list[NavEntry]:
    entries = list(CORE_NAV) + [n for e in request.app.state.extensions for n in e.nav]
    return [n for n in entries if user is not None and user.can(n.permission)]


def render(request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    ctx = {
        "request": request,
        "user": user,
        "csrf": getattr(user, "csrf", None) or "",
        "nav": nav_for(request, user),
        "path": request.url.path,
    }
    ctx.update(context or {})
    html = request.app.state.env.get_template(template).render(ctx)
    return HTMLResponse(html, status_code=status)
