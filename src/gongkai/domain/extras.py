"""The optional extras of ``pyproject.toml``: what each one is for, the distributions it
installs and the modules gongkai imports from them, as one table.

Every entry point that needs an extra (a reader, the store, the renderer, the Dask engine,
PostgreSQL) asks ``require`` first or turns its ``ImportError`` into ``missing``: a missing
extra is always the same Chinese message, "…需要安装 …：pip install 'gongkai[…]'", never a
traceback nor a misleading "corrupt file". ``gongkai info`` reads the table to say what is
installed; a test checks it against pyproject.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from importlib.util import find_spec

from ..errors import MissingDependency


@dataclass(frozen=True, slots=True)
class Extra:
    name: str  # the extra in pyproject.toml: pip install 'gongkai[name]'
    purpose: str  # Chinese: what it is for ("读取 PDF")
    packages: tuple[tuple[str, str], ...]  # (distribution on PyPI, top-level module imported)
    needs: tuple[str, ...] = ()  # other extras it installs too (gongkai[store] in web's list)

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(m for _, m in self.packages)

    @property
    def distributions(self) -> tuple[str, ...]:
        return tuple(d for d, _ in self.packages)

    @property
    def hint(self) -> str:
        return f"pip install 'gongkai[{self.name}]'"


EXTRAS: tuple[Extra, ...] = (
    Extra("pdf", "读取 PDF", (("pypdfium2", "pypdfium2"),)),
    Extra("html", "读取 HTML 网页", (("lxml", "lxml"),)),
    Extra("docx", "读取 Word 文档（DOCX）", (("python-docx", "docx"),)),
    Extra(
        "store",
        "语料库数据库（ingest、check-corpus、stats、export）",
        (
            ("sqlalchemy", "sqlalchemy"),
            ("alembic", "alembic"),
            ("openpyxl", "openpyxl"),
            ("pyarrow", "pyarrow"),
            ("numpy", "numpy"),
            ("datasketch", "datasketch"),
            ("rich", "rich"),
        ),
    ),
    Extra("postgres", "使用 PostgreSQL 数据库", (("psycopg", "psycopg"),)),
    Extra("dask", "Dask 集群并行入库（--engine dask）", (("dask", "dask"), ("distributed", "distributed"))),
    Extra("render", "按官方版式生成 Word、PDF（gongkai render）", (("python-docx", "docx"), ("weasyprint", "weasyprint"))),
    Extra(
        "web",
        "网页应用（gongkai serve、gongkai users）",
        (
            ("fastapi", "fastapi"),
            ("orjson", "orjson"),  # the API's JSON
            ("uvicorn", "uvicorn"),
            ("httptools", "httptools"),  # uvicorn's HTTP parser in C (h11 otherwise: ~1 ms a request more)
            ("uvloop", "uvloop"),  # uvicorn's event loop on libuv
            ("jinja2", "jinja2"),
            ("python-multipart", "multipart"),
            ("argon2-cffi", "argon2"),
            ("itsdangerous", "itsdangerous"),
            ("pypdfium2", "pypdfium2"),
            ("pillow", "PIL"),
        ),
        needs=("store",),
    ),
    Extra(
        "agency",
        "机关工作台（gongkai agency：工作日历、答复书、台账）",
        (("chinese-calendar", "chinese_calendar"), ("docxtpl", "docxtpl"), ("python-calamine", "python_calamine")),
        needs=("store", "docx"),
    ),
    Extra(
        "ocr",
        "扫描件、图片的文字识别（OCR）",
        (("rapidocr-onnxruntime", "rapidocr_onnxruntime"), ("pypdfium2", "pypdfium2"), ("pillow", "PIL"), ("onnx", "onnx")),
    ),
)
BY_NAME = {e.name: e for e in EXTRAS}
# Extras that only bundle others (not listed by ``gongkai info``).
BUNDLES = ("all", "dev")


def _present(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package missing, or a broken entry in sys.modules
        return False


def absent_modules(extra: str, modules: tuple[str, ...] | None = None) -> list[str]:
    """The modules of ``extra`` (or just ``modules`` of it) that cannot be imported here;
    found without importing them."""
    return [m for m in (modules or BY_NAME[extra].modules) if not _present(m)]


def installed(extra: str) -> bool:
    return not absent_modules(extra) and all(installed(n) for n in BY_NAME[extra].needs)


def version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def message(extra: str, what: str | None = None, modules: tuple[str, ...] | None = None) -> str:
    """"读取 PDF 需要安装 pypdfium2：pip install 'gongkai[pdf]'"."""
    e = BY_NAME[extra]
    wanted = set(modules) if modules else set(e.modules)
    dists = [d for d, m in e.packages if m in wanted] or list(e.distributions)
    lead = what or e.purpose
    gap = " " if lead[-1:].isascii() and lead[-1:].isalnum() else ""  # 读取 PDF 需要…, 读取 HTML 网页需要…
    return f"{lead}{gap}需要安装 {'、'.join(dists)}：{e.hint}"


def missing(extra: str, path: str | None = None, what: str | None = None, modules: tuple[str, ...] | None = None) -> MissingDependency:
    """The error to raise when ``extra`` is needed and not installed."""
    return MissingDependency(message(extra, what, modules), path)


def require(extra: str, path: str | None = None, what: str | None = None, modules: tuple[str, ...] | None = None) -> None:
    """Raise ``MissingDependency`` unless ``extra`` (or the given ``modules`` of it) is installed."""
    absent = absent_modules(extra, modules)
    if absent:
        raise missing(extra, path, what, tuple(absent))


def extra_of(module: str) -> Extra | None:
    """The extra that installs top-level ``module`` (for a ModuleNotFoundError that escaped)."""
    top = module.split(".")[0]
    return next((e for e in EXTRAS if top in e.modules), None)


# The readers that need an extra: reader name -> (extra, the modules the reader imports).
READERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("pdf", ("pypdfium2",)),
    "html": ("html", ("lxml",)),
    "docx": ("docx", ("lxml",)),
    "image": ("ocr", ("rapidocr_onnxruntime", "PIL")),
}
# Readers that need a program rather than a Python extra: reader name -> program on PATH.
PROGRAMS = {"legacy-office": "soffice", "rtf": "soffice"}
