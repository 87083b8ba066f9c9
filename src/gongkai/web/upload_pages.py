"""Upload pages and API: files, zips, URL lists; progress and failures per batch."""

from __future__ import annotations

import re
import threading
from typing import Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile as StarletteUpload

from ..store.checks import check_corpus
from .accounts import User, audit
from .auth import api_writer, form_writer, require
from .lanes import slow_lane
from .pages import render
from .uploads import UploadError, batch_status, recent_batches, save_uploads

router = APIRouter()
BATCH = PathParam(..., pattern=r"^[0-9a-f]{16}$")
_CHECKING = threading.Lock()


def _start(request: Request) -> None:
    request.app.state.uploads.start()


def _save(request: Request, files: list[Any], urls: str, user: User) -> str:
    cfg = request.app.state.config
    items = [(f.filename or "", f.file) for f in files if isinstance(f, StarletteUpload) and (f.filename or f.size)]
    batch = save_uploads(request.app.state.engine, cfg, items, re.split(r"[\r\n]+", urls or ""), user.name)
    _start(request)
    return batch


@router.get("/uploads", response_class=HTMLResponse, include_in_schema=False)
def uploads_page(request: Request, user: User = Depends(require("upload")), message: str | None = None) -> Response:
    cfg = request.app.state.config
    return render(
        request,
        "uploads.html",
        {"batches": recent_batches(request.app.state.engine), "cfg": cfg, "message": message, "status": None},
    )


@router.post("/uploads", include_in_schema=False)
@slow_lane
def uploads_post(request: Request, got: tuple[User, Any] = Depends(form_writer("upload"))) -> Response:
    user, form = got
    try:
        batch = _save(request, form.getlist("files"), str(form.get("urls") or ""), user)
    except UploadError as e:
        return RedirectResponse(f"/uploads?message={e}", status_code=303)
    return RedirectResponse(f"/uploads/{batch}", status_code=303)


@router.get("/uploads/{batch}", response_class=HTMLResponse, include_in_schema=False)
def upload_batch_page(request: Request, batch: str = BATCH, user: User = Depends(require("upload"))) -> Response:
    status = batch_status(request.app.state.engine, batch)
    if not status["total"]:
        raise HTTPException(404, "没有这批上传")
    return render(request, "uploads.html", {"batches": [], "cfg": request.app.state.config, "message": None, "status": status})


@router.post("/uploads/check", include_in_schema=False)
@slow_lane
def run_checks(request: Request, got: tuple[User, Any] = Depends(form_writer("upload"))) -> Response:
    user, _ = got
    engine = request.app.state.engine

    def work() -> None:
        if not _CHECKING.acquire(blocking=False):
            return
        try:
            summary = check_corpus(engine)
            with engine.begin() as conn:
                audit(conn, user.name, "corpus.check", None, summary.to_json())
        finally:
            _CHECKING.release()

    threading.Thread(target=work, name="gongkai-check", daemon=True).start()
    return RedirectResponse(
        "/uploads?message=已开始跨报告检查（衔接、抄袭、重复发布），完成后结果见各报告与“抄袭文字”页", status_code=303
    )


@router.post("/api/uploads", tags=["上传"], summary="上传文件（PDF、HTML、DOCX、文本、图片、文件夹的 zip）或网址清单，后台入库")
@slow_lane
def api_upload(
    request: Request,
    files: list[UploadFile] = File(default=[], description="一个或多个文件"),
    urls: str = Form("", description="网址，每行一个"),
    user: User = Depends(api_writer("upload")),
) -> dict[str, Any]:
    try:
        batch = _save(request, files, urls, user)
    except UploadError as e:
        raise HTTPException(422, str(e)) from None
    return batch_status(request.app.state.engine, batch)


@router.get("/api/uploads/{batch}", tags=["上传"], summary="一批上传的进度与失败原因")
def api_upload_status(request: Request, batch: str = BATCH, user: User = Depends(require("upload"))) -> dict[str, Any]:
    status = batch_status(request.app.state.engine, batch)
    if not status["total"]:
        raise HTTPException(404, "没有这批上传")
    return status
