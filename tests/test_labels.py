"""The official labels and titles are spelled once, in ``gongkai.domain.labels``: the
tables' titles are their sections' official titles, and no other module retypes them."""

from __future__ import annotations

import ast
from pathlib import Path

from gongkai.cli.views import _TABLE_NAMES
from gongkai.domain.labels import (
    FORMAT_DOCUMENTS,
    SECTION_BY_KEY,
    T2_CONTENT,
    T3_APPLICANTS,
    T3_COLUMNS,
    T3_GROUP_TITLES,
    T3_NOTE,
    T3_ORGS,
    T3_ROWS,
    T4_COLUMNS,
    T4_GROUPS,
    TABLE_BY_KEY,
    TABLES,
)
from gongkai.render.grid import grids

SRC = Path(__file__).resolve().parents[1] / "src" / "gongkai"

# Long enough that a string holding one is a copy of it.
LONG = {
    *(t.heading for t in TABLES),
    *(t.title for t in TABLES),
    *T3_GROUP_TITLES.values(),
    *FORMAT_DOCUMENTS.values(),
    T3_NOTE,
    *(r.label for r in T3_ROWS if len(r.label) >= 8),
}
# Short: a string that *is* one is a copy (inside a longer text or a pattern it is a word).
SHORT = {T2_CONTENT, T3_APPLICANTS, T3_ORGS, *(label for _, label in T4_GROUPS), *(c.label for c in T4_COLUMNS[:-1])}


def _strings(tree: ast.AST) -> list[ast.Constant]:
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        c for c in ast.walk(tree) if isinstance(c, ast.Constant) and isinstance(c.value, str) and id(c) not in docstrings
    ]


def test_table_titles_are_the_official_ones() -> None:
    assert TABLE_BY_KEY["t4"].heading == "表四 政府信息公开行政复议、行政诉讼情况"
    assert [t.title for t in TABLES] == [SECTION_BY_KEY[k].title for k in ("proactive", "applications", "remedies")]
    assert {k: v for k, v in _TABLE_NAMES.items() if k} == {t.key: t.heading for t in TABLES}


def test_the_grids_print_the_domains_headers() -> None:
    texts = {c.flat for g in grids("2021") for row in g.rows for c in row.cells}
    assert {T3_NOTE, T3_APPLICANTS, T3_ORGS, T2_CONTENT, *T3_GROUP_TITLES.values()} <= texts
    assert {c.label for c in T3_COLUMNS} <= texts


def test_no_module_retypes_an_official_label() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.parent.name in ("domain", "testing"):  # (testing/ writes report prose that names sections)
            continue
        for c in _strings(ast.parse(path.read_text(encoding="utf-8"))):
            if c.value in SHORT or any(label in c.value for label in LONG):
                found.append(f"{path.relative_to(SRC)}:{c.lineno}: {c.value[:60]}")
    assert not found, "official labels retyped (import them from gongkai.domain.labels):\n" + "\n".join(found)
