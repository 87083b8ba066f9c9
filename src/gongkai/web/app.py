"""The ASGI app of ``gongkai serve``: FastAPI routes over ``gongkai.store``.

Pages are server-rendered (Jinja2, autoescaped) with one small script (static/app.js) for
the keyboard review flow and highlighting; everything works without it. The JSON API lives
under /api and is described by /openapi.json (and the offline page /api/docs).
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import Depends, FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..store.db import open_engine
from ..store.schema import failures, report_review, reports
from . import accounts, dashboards, routes
from .auth import COOKIE, BadCsrf, Forbidden, NeedLogin, RateLimit, check_csrf, current_user, optional_user, session_id, signer
from .config import WebConfig
from .extensions import WebExtension, collect
from .lanes import run_slow, set_quick_lane, slow_lane
from .pages import HERE, make_env, render
from .uploads import Worker

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


UPLOAD_PATHS = ("/uploads", "/api/uploads")
log = logging.getLogger("gongkai.web")


class Headers:
    """Pure ASGI middleware: the security headers on every response, no-store on pages, and
    uploads refused before the multipart parser spools them when they are too big (or say
    no size). (Starlette's BaseHTTPMiddleware costs a task and a stream per request.)"""

    def __init__(self, app: Any, max_upload: int, upload_mb: int) -> None:
        self.app = app
        self.max_upload = max_upload
        self.upload_mb = upload_mb

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if scope.get("method") == "POST" and path in UPLOAD_PATHS:
            length = dict(scope.get("headers") or []).get(b"content-length", b"")
            msg = None
            if not length.isdigit():
                status, msg = 411, "上传须带 Content-Length"
            elif int(length) > self.max_upload:
                status, msg = 413, f"一次上传不能超过 {self.upload_mb} MB"
            if msg is not None:
                await JSONResponse({"detail": msg}, status_code=status, headers=SECURITY_HEADERS)(scope, receive, send)
                return
        extra = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
        if not path.startswith("/static/"):
            extra.append((b"cache-control", b"no-store"))

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [(k, v) for k, v in extra if k not in have]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json" or "authorization" in request.headers


async def warm_dashboards(engine: Engine) -> None:
    """Compute the dashboards in the slow lane so that their first view is served from the
    cache (a pass over the latest reports' figures: seconds at 100,000 reports). A failure is
    logged, not raised: the first view then computes them itself."""
    try:
        await run_slow(dashboards.charts, engine)
    except Exception:
        log.exception("预先计算统计图表失败（首次打开统计图表时再计算）")


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    set_quick_lane(app.state.config.threads)
    warm = asyncio.create_task(warm_dashboards(app.state.engine)) if app.state.config.warm_dashboards else None
    yield
    if warm is not None and not warm.done():
        warm.cancel()


def create_app(config: WebConfig, extensions: list[WebExtension] | None = None) -> FastAPI:
    app = FastAPI(
        title="gongkai",
        version=__version__,
        description="政府信息公开工作年度报告：审核、更正与浏览（gongkai serve）的 JSON API。"
        "认证：`Authorization: Bearer TOKEN`（`gongkai users token NAME`）或登录后的会话。",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served below, behind the login
        lifespan=_lifespan,
    )
    app.state.config = config
    app.state.engine = open_engine(config.db)
    app.state.signer = signer(config.secret())
    app.state.rate = RateLimit()
    app.state.extensions = collect() if extensions is None else extensions
    app.state.env = make_env(app.state.extensions)
    app.state.uploads = Worker(app.state.engine, config)
    app.state.uploads.resume()


    app.add_middleware(Headers, max_upload=config.max_batch_bytes + 1_048_576, upload_mb=config.max_batch_bytes // 1048576)

    @app.exception_handler(NeedLogin)
    async def need_login(request: Request, exc: NeedLogin) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": "需要登录"}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
        nxt = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return render(request, "login.html", {"next": nxt, "message": None}, status=401)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.message}, status_code=403)
        return render(request, "error.html", {"title": "无权访问", "message": exc.message}, status=403)

    @app.exception_handler(BadCsrf)
    async def bad_csrf(request: Request, exc: BadCsrf) -> Response:
        msg = "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试"
        if wants_json(request):
            return JSONResponse({"detail": msg}, status_code=403)
        return render(request, "error.html", {"title": "请求被拒绝", "message": msg}, status=403)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "请求有误"
        if exc.status_code == 404 and detail == "Not Found":
            detail = "没有这个页面或报告"
        if exc.status_code == 405:
            detail = "不支持此请求方法"
        if wants_json(request):
            return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))
        optional_user(request)  # the nav for a logged-in user
        return render(request, "error.html", {"title": f"错误 {exc.status_code}", "message": detail}, status=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()]
        if wants_json(request):
            return JSONResponse({"detail": "请求参数有误", "errors": errors}, status_code=422)
        text = "；".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return render(request, "error.html", {"title": "请求参数有误", "message": text}, status=422)

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _core_routes(app)
    for router in routes.ROUTERS:
        app.include_router(router)
    for ext in app.state.extensions:
        if ext.router is not None:
            app.include_router(ext.router)
    return app


CONFIG_ENV = "GONGKAI_WEB_CONFIG"
# The youngest generation's threshold in a server process (CPython's default: 700). A cold
# report view makes a few thousand container objects that refcounting frees at its end; at
# 700 they started ~3 young collections a view and, every tenth of those, a collection of
# the middle generation, whose survivors brought on full ones (a 15-35 ms pause each, every
# few dozen views). At 10,000 most views end before a collection starts (200 cold views: 8
# young collections, no full one; was 550 and 4).
GC_YOUNG = 10_000


def settle_heap() -> None:
    """Once the app of a server process is built: move what the imports and the start made
    (~10^6 objects: FastAPI, SQLAlchemy, pydantic, the parser's tables) out of the cyclic
    collector's reach. Without it each full collection walked all of them, a pause of
    0.3–1 s in the middle of requests, several times a minute under load, the tail of the
    latency. (gc.freeze: nothing frozen is freed, so only for a long-running server.) Then
    the young generation's threshold goes up to GC_YOUNG."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])


def app_from_env() -> FastAPI:
    """The app of ``gongkai serve --workers N``: each uvicorn worker process builds it from
    the configuration the command put in the environment (JSON)."""
    raw = json.loads(os.environ[CONFIG_ENV])
    raw["data_dir"] = Path(raw["data_dir"])
    app = create_app(WebConfig(**raw))
    settle_heap()
    return app


def config_to_env(config: WebConfig) -> str:
    return json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in asdict(config).items()})


def _secure(request: Request) -> bool:
    cfg: WebConfig = request.app.state.config
    return request.url.scheme == "https" if cfg.secure_cookies is None else cfg.secure_cookies


def _safe_next(nxt: str | None) -> str:
    # only a path of this site: no scheme, no //host, no backslash tricks
    if not nxt or not nxt.startswith("/") or nxt.startswith("//") or "\\" in nxt or any(ord(c) < 32 for c in nxt):
        return "/"
    return nxt


def _core_routes(app: FastAPI) -> None:
    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_page(request: Request, next: str = "/") -> Response:
        if optional_user(request) is not None:
            return RedirectResponse(_safe_next(next), status_code=303)
        return render(request, "login.html", {"next": _safe_next(next), "message": None})

    @app.post("/login", include_in_schema=False)
    @slow_lane  # the password's KDF, then a session row written
    def login(request: Request, name: str = Form(...), password: str = Form(...), next: str = Form("/")) -> Response:
        rate: RateLimit = request.app.state.rate
        client = request.client.host if request.client else "?"
        keys = (f"ip:{client}", f"user:{name}")
        wait = rate.blocked(*keys)
        if wait > 0:
            msg = f"登录失败次数过多，请 {int(wait) + 1} 秒后再试"
            return render(request, "login.html", {"next": _safe_next(next), "message": msg}, status=429)
        user = accounts.authenticate(request.app.state.engine, name, password)
        if user is None:
            rate.failed(*keys)
            return render(request, "login.html", {"next": _safe_next(next), "message": "用户名或密码错误"}, status=401)
        rate.succeeded(f"user:{name}")
        sid = accounts.new_session(request.app.state.engine, user)
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(
            COOKIE,
            request.app.state.signer.dumps(sid),
            max_age=accounts.SESSION_DAYS * 86400,
            httponly=True,
            samesite="strict",
            secure=_secure(request),
            path="/",
        )
        return response

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request, user: accounts.User = Depends(current_user)) -> Response:
        check_csrf(request, user, await request.form())
        sid = session_id(request)
        if sid:
            await run_slow(accounts.end_session, request.app.state.engine, sid, user.name)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
        return response

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request, user: accounts.User = Depends(current_user)) -> Response:
        engine = request.app.state.engine
        r, rv = reports.c, report_review.c
        with engine.connect() as conn:
            n = conn.execute(sa.select(sa.func.count()).select_from(reports).where(r.is_latest.is_(True))).scalar_one()
            errors = conn.execute(
                sa.select(sa.func.count()).select_from(reports).where(r.is_latest.is_(True), r.n_errors_reviewed > 0)
            ).scalar_one()
            corrected = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(rv.n_corrections), 0))).scalar_one()
            failed = conn.execute(sa.select(sa.func.count()).select_from(failures)).scalar_one()
        counts = {"reports": n, "with_errors": errors, "corrections": int(corrected), "failures": failed}
        return render(request, "home.html", {"counts": counts})

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(user: accounts.User = Depends(current_user)) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/api/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs(request: Request, user: accounts.User = Depends(current_user)) -> Response:
        spec = app.openapi()
        ops = []
        for path, item in spec.get("paths", {}).items():
            for method, op in item.items():
                ops.append({"method": method.upper(), "path": path, "op": op})
        return render(request, "api_docs.html", {"ops": ops, "spec": spec})
