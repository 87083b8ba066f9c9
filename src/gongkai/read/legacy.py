"""Legacy word-processor files (.doc, .wps, .rtf, and .odt reaching us as a zip): converted
to DOCX by LibreOffice in headless mode (``convert_to_docx``); ``docx.read_legacy_office``
then reads the result with ``read_docx``.

LibreOffice runs in a temporary directory with its own throwaway user profile (so
concurrent conversions do not fight over a lock), in its own process group, under a time
limit; on timeout the whole group is killed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import CorruptDocument, MissingDependency, Timeout, UnsupportedFormat
from ..guard import limits

CONVERT_TIMEOUT_S = 120.0  # LibreOffice's first start alone can take 10-20 s
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_INSTALL_HINT = "请安装 LibreOffice（例如 apt-get install libreoffice-writer，或从 https://www.libreoffice.org 下载）后重试，或在 Word/WPS 中将文件另存为 .docx 或 PDF"


def find_soffice() -> str | None:
    for name in ("soffice", "libreoffice", "lowriter"):
        found = shutil.which(name)
        if found:
            return found
    return None


def kind_of(data: bytes) -> tuple[str, str]:
    """(file suffix LibreOffice should see, media type) for the bytes."""
    if data.startswith(b"{\\rtf"):
        return ".rtf", "application/rtf"
    if data.startswith(b"PK\x03\x04"):
        return ".odt", "application/vnd.oasis.opendocument.text"
    return ".doc", "application/msword"


def check_ole(data: bytes, path: str) -> None:
    """Refuse OLE files that are not word-processor documents, by their stream names
    (the directory stores names as UTF-16): an Excel workbook, a PowerPoint deck, or an
    encrypted OOXML package."""
    if not data.startswith(_OLE):
        return
    has = lambda name: name.encode("utf-16-le") in data  # noqa: E731
    if has("EncryptedPackage"):
        raise CorruptDocument("文档设置了打开密码（已加密），无法读取；请去除密码后再试", path)
    if has("WordDocument"):
        return
    if has("Workbook") or has("Book"):
        raise UnsupportedFormat("这是 Excel 表格（.xls），不是 Word 文档；请提供报告本身的 Word、PDF 或网页文件", path)
    if has("PowerPoint Document"):
        raise UnsupportedFormat("这是 PowerPoint 演示文稿（.ppt），不是 Word 文档", path)


def convert_to_docx(data: bytes, suffix: str, path: str, timeout_s: float | None = None) -> bytes:
    """The DOCX LibreOffice makes of ``data`` (within ``timeout_s``, default CONVERT_TIMEOUT_S)."""
    soffice = find_soffice()
    if soffice is None:
        raise MissingDependency(
            f"读取 .doc/.wps/.rtf 等旧版文档需要 LibreOffice，但系统中未找到 soffice 命令。{_INSTALL_HINT}", path
        )
    with tempfile.TemporaryDirectory(prefix="gongkai-lo-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            tmp,
            str(src),
        ]
        _run(cmd, timeout_s or CONVERT_TIMEOUT_S, path)
        out = Path(tmp) / "input.docx"
        if not out.exists():
            raise CorruptDocument("LibreOffice 无法转换此文档（文件可能已损坏、加密或不是文字处理文档）", path)
        return out.read_bytes()


def _run(cmd: list[str], timeout_s: float, path: str) -> None:
    # Inside a bounded worker (gongkai.guard), LibreOffice stays in the worker's process
    # group, which the watchdog kills at the document's bound, and its own time-out is what
    # is left of that bound; elsewhere it gets its own group, killed at its own time-out.
    timeout_s = limits.remaining(timeout_s)
    try:
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            start_new_session=not limits.in_worker(),
        )
    except OSError as e:
        raise MissingDependency(f"无法启动 LibreOffice（{e}）。{_INSTALL_HINT}", path) from None
    try:
        _, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        if limits.in_worker():  # the document's bound, not LibreOffice's own
            raise Timeout(
                f"LibreOffice 转换用尽了此文件的处理时间上限（剩余 {timeout_s:.0f} 秒），已终止；文档可能过大或已损坏", path
            ) from None
        raise Timeout(f"LibreOffice 转换超过 {timeout_s:.0f} 秒仍未完成，已终止；文档可能过大或已损坏", path) from None
    if proc.returncode != 0:
        msg = (err or b"").decode("utf-8", "replace").strip()[-300:]
        raise CorruptDocument(f"LibreOffice 转换失败（退出码 {proc.returncode}）：{msg}", path)


def _kill_group(proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """Kill LibreOffice and the helper processes it started (its own session)."""
    if limits.in_worker():  # in the worker's group: kill LibreOffice's processes, not the worker
        _kill_tree(proc.pid)
        proc.wait()
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()


def _kill_tree(pid: int) -> None:
    """SIGKILL ``pid`` and its descendants (Linux: from /proc), leaving the rest of the group."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            children.setdefault(int(stat[1]), []).append(int(entry.name))
    todo, found = [pid], []
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, ()))
    for p in found:
        try:
            os.kill(p, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


__all__ = ["CONVERT_TIMEOUT_S", "check_ole", "convert_to_docx", "find_soffice", "kind_of"]
