"""What ``gongkai serve`` is started with."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ..store.db import normalize_url

MAX_UPLOAD_BYTES = 64 * 1024 * 1024  # one file (the parser's own input bound)
MAX_BATCH_BYTES = 512 * 1024 * 1024  # one upload request, a zip's members unpacked included
MAX_ZIP_MEMBERS = 2000


@dataclass(frozen=True, slots=True)
class WebConfig:
    db: str  # a SQLAlchemy URL
    data_dir: Path  # uploaded files (by content hash), rendered page images, the session key
    secure_cookies: bool | None = None  # None: Secure when the request came over https
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    max_batch_bytes: int = MAX_BATCH_BYTES
    max_zip_members: int = MAX_ZIP_MEMBERS
    parse_timeout_s: float = 600.0  # one uploaded document, in its own process
    parse_memory_mb: int = 4096
    background_ingest: bool = True  # False: uploads wait for Worker.run_pending (tests)
    # URL uploads to loopback, link-local and private addresses (server-side request forgery):
    # refused unless an administrator allows them (``gongkai serve --allow-private-urls``)
    allow_private_urls: bool = False
    # plain request handlers running at once in each server process (web/lanes.py: one is
    # fastest on local SQLite; a database across a network may want a few)
    threads: int = 1
    # compute the dashboards once when the server starts (in the slow lane), so that the
    # first person to open them does not wait for a pass over the corpus (``gongkai serve``)
    warm_dashboards: bool = False

    @classmethod
    def make(cls, db: str | None, data_dir: str | os.PathLike[str] | None = None, **kw: object) -> WebConfig:
        url = normalize_url(db)
        if data_dir is None:
            if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
                data_dir = Path(url[len("sqlite:///") :] + ".files")
            else:
                data_dir = Path("gongkai-web-files")
        return cls(url, Path(data_dir).resolve(), **kw)  # type: ignore[arg-type]

    def secret(self) -> bytes:
        """The key that signs session cookies: made once, kept in the data folder (0600)."""
        path = self.data_dir / "session.key"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            return bytes.fromhex(path.read_text().strip())
        except (OSError, ValueError):
            key = secrets.token_bytes(32)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(key.hex())
            return key
