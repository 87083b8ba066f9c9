"""A report as PDF, through a real layout engine.

WeasyPrint typesets the official HTML page (``render_html``) when it is importable (it
needs Pango from the system, and a CJK font such as fonts-wqy-zenhei or fonts-noto-cjk);
otherwise LibreOffice converts the Word document (``render_docx``). Neither is a Python
dependency of gongkai: ``pdf_engine()`` says which one this machine has.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..domain import extras
from ..errors import GongkaiError, MissingDependency
from ..model import Report
from .docx import render_docx
from .html import render_html
from .spec import ReportSpec

SOFFICE_TIMEOUT_S = 120


def _weasyprint_ok() -> bool:
    try:
        import weasyprint  # noqa: F401  (needs libpango at import time)
    except (ImportError, OSError):
        return False
    return True


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_engine() -> str | None:
    """ "weasyprint", "libreoffice" or None when this machine cannot make PDFs."""
    if _weasyprint_ok():
        return "weasyprint"
    if _soffice():
        return "libreoffice"
    return None


def render_pdf(report: ReportSpec | Report, *, blank_mark: str = "", engine: str | None = None) -> bytes:
    """The report as PDF bytes. ``engine``: "weasyprint" or "libreoffice" (default: the first
    one available)."""
    engine = engine or pdf_engine()
    if engine == "weasyprint":
        return _weasyprint(report, blank_mark)
    if engine == "libreoffice":
        return _libreoffice(report, blank_mark)
    raise MissingDependency(
        extras.message("render", what="生成 PDF", modules=("weasyprint",))
        + "（WeasyPrint 还需要系统的 Pango 和中文字体 fonts-noto-cjk）；或安装 LibreOffice（soffice）"
    )


def _weasyprint(report: ReportSpec | Report, blank_mark: str) -> bytes:
    import weasyprint

    html = render_html(report, blank_mark=blank_mark)
    out = weasyprint.HTML(string=html).write_pdf()
    assert out is not None
    return out


def _libreoffice(report: ReportSpec | Report, blank_mark: str) -> bytes:
    soffice = _soffice()
    if soffice is None:
        raise MissingDependency("未找到 LibreOffice（soffice），无法把 Word 文档转换为 PDF")
    with tempfile.TemporaryDirectory(prefix="gongkai-pdf-") as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(render_docx(report, blank_mark=blank_mark))
        # a private profile: a second soffice (or a user's running one) must not block us
        profile = Path(tmp) / "profile"
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(src),
        ]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=SOFFICE_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise GongkaiError(f"LibreOffice 转换 PDF 超过 {SOFFICE_TIMEOUT_S} 秒") from None
        except subprocess.CalledProcessError as e:
            raise GongkaiError("LibreOffice 转换 PDF 失败：" + e.stderr.decode(errors="replace")[-300:]) from None
        pdf = Path(tmp) / "report.pdf"
        if not pdf.exists():
            raise GongkaiError("LibreOffice 没有生成 PDF 文件")
        return pdf.read_bytes()
