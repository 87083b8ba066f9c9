"""Uploads: files, zips of folders and URL lists, stored by content hash and ingested in the background.

Every file is streamed to disk with a size bound while it is hashed, then kept as
``objects/<2 hex>/<sha256>``: the name a person gave is shown, never used as a path. A zip
that is not itself an Office document is unpacked member by member (bounded in count and
in bytes actually read, so a zip bomb stops at the limit), each member stored the same way.

A single worker thread takes queued uploads in order and ingests each in a child process
(``python -m gongkai.web.ingest_one``) through the store's own ingest (idempotent by hash),
under a wall-clock limit and an address-space limit: a hostile file that hangs or balloons
costs its own upload a Chinese failure message, never the app.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..store.reparse import object_path
from ..store.schema import audit_log, uploads
from ..store.work import now
from .config import WebConfig

CHUNK = 1 << 20


class UploadError(ValueError):
    pass


@dataclass(slots=True)
class Stored:
    name: str
    content_hash: str | None
    size: int
    message: str | None = None  # why it was refused (then content_hash is None)


def store_stream(fh: IO[bytes], name: str, objects: Path, limit: int, budget: list[int]) -> Stored:
    """Copy ``fh`` to the object store under its SHA-256, reading at most ``limit`` bytes
    (and what is left of the request's ``budget``)."""
    objects.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=objects, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            while True:
                block = fh.read(CHUNK)
                if not block:
                    break
                size += len(block)
                if size > limit:
                    return Stored(name, None, size, f"文件超过 {limit // 1048576} MB 的上限")
                if size > budget[0]:
                    return Stored(name, None, size, "本次上传的总大小超过上限")
                h.update(block)
                out.write(block)
        budget[0] -= size
        if size == 0:
            return Stored(name, None, 0, "空文件")
        digest = h.hexdigest()
        dest = object_path(objects, digest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            return Stored(name, digest, size)
        os.replace(tmp, dest)
        tmp = ""
        return Stored(name, digest, size)
    finally:
        if tmp:
            Path(tmp).unlink(missing_ok=True)


def is_folder_zip(path: Path) -> bool:
    """A zip of files (not a DOCX/XLSX, which are zips too)."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" not in names


def unpack_zip(path: Path, objects: Path, cfg: WebConfig, budget: list[int]) -> list[Stored]:
    out: list[Stored] = []
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        return [Stored(path.name, None, 0, f"无法打开压缩包：{e}")]
    with z:
        members = [m for m in z.infolist() if not m.is_dir()]
        for m in members[: cfg.max_zip_members]:
            base = m.filename.replace("\\", "/").rsplit("/", 1)[-1]
            if not base or base.startswith(".") or "__MACOSX/" in m.filename:
                continue
            try:
                with z.open(m) as fh:
                    out.append(store_stream(fh, m.filename[:300], objects, cfg.max_upload_bytes, budget))
            except (
                zipfile.BadZipFile,
                RuntimeError,
                NotImplementedError,
                OSError,
                EOFError,
            ) as e:  # encrypted, unsupported method, damaged
                out.append(Stored(m.filename[:300], None, 0, f"无法解压：{type(e).__name__}"))
        if len(members) > cfg.max_zip_members:
            out.append(Stored(path.name, None, 0, f"压缩包中的文件超过 {cfg.max_zip_members} 个，其余未处理"))
    return out


def new_batch() -> str:
    return secrets.token_hex(8)


def enqueue(engine: Engine, batch: str, items: Iterable[Stored | str], user: str) -> int:
    """Record stored files (and URLs, as str) of one batch; refused ones as failed at once."""
    rows = []
    t = now()
    for it in items:
        if isinstance(it, str):
            rows.append(
                {"batch": batch, "name": it[:2000], "content_hash": None, "size": None, "status": "queued", "message": None}
            )
        elif it.content_hash is None:
            rows.append(
                {
                    "batch": batch,
                    "name": it.name,
                    "content_hash": None,
                    "size": it.size,
                    "status": "failed",
                    "message": it.message,
                }
            )
        else:
            rows.append(
                {
                    "batch": batch,
                    "name": it.name,
                    "content_hash": it.content_hash,
                    "size": it.size,
                    "status": "queued",
                    "message": None,
                }
            )
    if not rows:
        return 0
    with engine.begin() as conn:
        conn.execute(uploads.insert(), [{**r, "user_name": user, "created_at": t} for r in rows])
        conn.execute(audit_log.insert().values(at=t, user_name=user, action="upload", target=batch, detail={"files": len(rows)}))
    return len(rows)


def batch_status(engine: Engine, batch: str) -> dict[str, Any]:
    u = uploads.c
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(sa.select(uploads).where(u.batch == batch).order_by(u.id))]
    for r in rows:
        for k in ("created_at", "finished_at"):
            if r[k] is not None:
                r[k] = r[k].isoformat(timespec="seconds")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    done = sum(n for s, n in counts.items() if s in ("done", "duplicate", "failed"))
    return {"batch": batch, "total": len(rows), "done": done, "finished": done == len(rows), "counts": counts, "items": rows}


def recent_batches(engine: Engine, limit: int = 20) -> list[dict[str, Any]]:
    u = uploads.c
    q = (
        sa.select(
            u.batch,
            sa.func.min(u.created_at).label("at"),
            sa.func.min(u.user_name).label("user_name"),
            sa.func.count().label("n"),
        )
        .group_by(u.batch)
        .order_by(sa.func.max(u.id).desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


class Worker:
    """One thread that ingests queued uploads, each in a bounded child process."""

    def __init__(self, engine: Engine, cfg: WebConfig) -> None:
        self.engine = engine
        self.cfg = cfg
        self.wake = threading.Event()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.stopping = False

    def start(self) -> None:
        if not self.cfg.background_ingest:
            return
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._loop, name="gongkai-uploads", daemon=True)
                self.thread.start()
        self.wake.set()

    def stop(self) -> None:
        self.stopping = True
        self.wake.set()

    def resume(self) -> None:
        """After a restart: uploads left 'parsing' go back to the queue; start if any wait."""
        u = uploads.c
        with self.engine.begin() as conn:
            conn.execute(uploads.update().where(u.status == "parsing").values(status="queued"))
            waiting = conn.execute(sa.select(sa.func.count()).select_from(uploads).where(u.status == "queued")).scalar_one()
        if waiting:
            self.start()

    def _next(self) -> int | None:
        u = uploads.c
        while True:
            with self.engine.begin() as conn:
                uid = conn.execute(sa.select(u.id).where(u.status == "queued").order_by(u.id).limit(1)).scalar()
                if uid is None:
                    return None
                # claimed only if still queued: two workers never take the same upload
                if conn.execute(uploads.update().where(u.id == uid, u.status == "queued").values(status="parsing")).rowcount == 1:
                    return int(uid)

    def _loop(self) -> None:
        while not self.stopping:
            uid = self._next()
            if uid is None:
                self.wake.wait(5.0)
                self.wake.clear()
                continue
            self.run_one(uid)

    def run_pending(self) -> None:
        """Ingest every queued upload now, in this thread (tests, scripts)."""
        while (uid := self._next()) is not None:
            self.run_one(uid)

    def run_one(self, uid: int) -> None:
        cmd = [
            sys.executable, "-m", "gongkai.web.ingest_one", "--db", self.cfg.db, "--objects", str(self.cfg.data_dir / "objects"),
            "--upload", str(uid), "--memory-mb", str(self.cfg.parse_memory_mb), "--max-bytes", str(self.cfg.max_upload_bytes),
            *(["--allow-private-urls"] if self.cfg.allow_private_urls else []),
        ]  # fmt: skip
        try:
            # the child bounds its own memory (RLIMIT_AS); the wall clock is bounded here
            proc = subprocess.run(cmd, capture_output=True, timeout=self.cfg.parse_timeout_s, check=False)
        except subprocess.TimeoutExpired:
            self._fail(uid, f"解析超时（超过 {int(self.cfg.parse_timeout_s)} 秒），已停止；文件可能有问题")
            return
        except OSError as e:
            self._fail(uid, f"无法启动解析进程：{e}")
            return
        if proc.returncode != 0:
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            if proc.returncode < 0 or "MemoryError" in tail[0]:
                self._fail(uid, f"解析进程异常退出（可能超过 {self.cfg.parse_memory_mb} MB 内存上限）")
            else:
                self._fail(uid, f"解析失败：{tail[0][:300]}")

    def _fail(self, uid: int, message: str) -> None:
        u = uploads.c
        with self.engine.begin() as conn:
            conn.execute(
                uploads.update()
                .where(u.id == uid, u.status.in_(["queued", "parsing"]))
                .values(status="failed", message=message, finished_at=now())
            )


def save_uploads(engine: Engine, cfg: WebConfig, files: list[tuple[str, IO[bytes]]], urls: list[str], user: str) -> str:
    """Store the files of one request (unpacking folder zips) and queue them with the URLs; returns the batch id."""
    objects = cfg.data_dir / "objects"
    budget = [cfg.max_batch_bytes]
    stored: list[Stored | str] = []
    for name, fh in files:
        s = store_stream(fh, (name or "未命名文件")[:300], objects, cfg.max_upload_bytes, budget)
        if s.content_hash is not None and is_folder_zip(object_path(objects, s.content_hash)):
            inner = unpack_zip(object_path(objects, s.content_hash), objects, cfg, budget)
            stored.extend(inner if inner else [Stored(s.name, None, s.size, "压缩包中没有文件")])
            continue
        stored.append(s)
    for url in urls:
        url = url.strip()
        if not url or url.startswith("#"):
            continue
        if not url.startswith(("http://", "https://")) or len(url) > 2000 or any(c.isspace() for c in url):
            stored.append(Stored(url[:300], None, 0, "不是 http:// 或 https:// 网址"))
        else:
            stored.append(url)
    if not stored:
        raise UploadError("没有收到文件或网址")
    batch = new_batch()
    enqueue(engine, batch, stored, user)
    return batch
