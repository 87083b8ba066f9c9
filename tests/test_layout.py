"""The layout stays readable: the package root is the library's face, no module imports
itself back through others, and imports sit at the top of a module (an optional extra's
aside, imported where it is needed so that a missing extra costs nothing)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "gongkai"

ROOT = {"__init__.py", "api.py", "pipeline.py", "model.py", "errors.py", "settings.py", "hooks.py", "gc_pause.py", "__main__.py"}

# Imported inside a function only: the optional extras of pyproject.toml, and gongkai.store
# (which needs the store extra) from the CLI's store commands, gongkai.agency from its own.
OPTIONAL = {
    "alembic", "chinese_calendar", "cv2", "docxtpl", "dask", "datasketch", "distributed", "docx", "lxml", "numpy", "openpyxl", "pdfminer",
    "PIL", "psycopg", "pyarrow", "python_calamine", "pypdfium2", "rapidocr_onnxruntime", "onnx", "onnxruntime", "rich", "sqlalchemy", "weasyprint",
    "fastapi", "uvicorn", "jinja2", "multipart", "argon2", "itsdangerous", "playwright",
}  # fmt: skip
OPTIONAL_FIRST_PARTY = {"gongkai.store", "gongkai.web", "gongkai.agency"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules an import statement names (``from . import x`` names ``pkg`` and ``pkg.x``)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    if node.level:
        base = base[: len(base) - node.level + 1]
        target = ".".join([*base, node.module] if node.module else base)
    else:
        target = node.module or ""
    return [target, *(f"{target}.{a.name}" for a in node.names)]


def _imports(tree: ast.AST) -> tuple[list[ast.Import | ast.ImportFrom], list[ast.Import | ast.ImportFrom]]:
    """(module-level imports that run on import, imports inside functions)."""
    top: list[ast.Import | ast.ImportFrom] = []
    inner: list[ast.Import | ast.ImportFrom] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                walk(child, True)
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # never runs
            elif isinstance(child, ast.Import | ast.ImportFrom):
                (inner if in_function else top).append(child)
            else:
                walk(child, in_function)

    walk(tree, False)
    return top, inner


def test_the_root_is_the_librarys_face() -> None:
    assert {p.name for p in SRC.glob("*.py")} == ROOT


def test_no_import_circles() -> None:
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for m, path in modules.items():
        for node in _imports(ast.parse(path.read_text(encoding="utf-8")))[0]:
            for target in _targets(m, path, node):
                parts = target.split(".")
                for k in range(1, len(parts) + 1):  # importing a.b.c runs a and a.b first
                    name = ".".join(parts[:k])
                    if name in modules and name != m and not m.startswith(name + "."):
                        graph[m].add(name)
    # a depth-first search that reports the first back edge as a circle
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(graph[m]):
            assert state.get(t) != 1, "import circle: " + " -> ".join([*stack[stack.index(t) :], t])
            if t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_imports_inside_functions_are_optional_extras_only() -> None:
    found = []
    for m, path in _modules().items():
        for node in _imports(ast.parse(path.read_text(encoding="utf-8")))[1]:
            targets = _targets(m, path, node)
            for target in targets[:1] if isinstance(node, ast.ImportFrom) else targets:
                first_party = any(target == p or target.startswith(p + ".") for p in OPTIONAL_FIRST_PARTY)
                if target.split(".")[0] not in OPTIONAL and not first_party:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(node)}")
    assert not found, "imports inside functions:\n" + "\n".join(found)
