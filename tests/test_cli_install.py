"""A bare install: every extra, absent, gives the Chinese "需要安装 …：pip install 'gongkai[…]'"
and exit code 6 at every entry that needs it (a reader, the store, PostgreSQL, Dask, the
renderer, the web app), never a traceback or a "corrupt file"; the extras table agrees with
pyproject.toml and the README; ``gongkai info`` says what is installed (issue 11 items 1, 2, 14)."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai.cli import main
from gongkai.domain.extras import BUNDLES, BY_NAME, EXTRAS, message
from gongkai.domain.findings import FINDINGS
from gongkai.domain.rules import RULES
from gongkai.model import json_number
from helpers import valid_cells

ROOT = Path(__file__).resolve().parents[1]
FILES = ROOT / "tests" / "files"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")

# The extra's modules are made unimportable in every process the command starts (the parse
# runs in a bounded worker process): a sitecustomize, run by each Python at start-up, sets
# ``sys.modules[m] = None`` for each module named in GONGKAI_TEST_BLOCK, which is how Python
# marks a module absent (``import m`` raises ModuleNotFoundError, ``find_spec(m)`` is None),
# exactly as on a machine without the extra.
SITECUSTOMIZE = """
import os, sys
for m in os.environ.get("GONGKAI_TEST_BLOCK", "").split(","):
    if m:
        sys.modules[m] = None
"""
RUN = "from gongkai.cli import main; main([*{args!r}], prog_name='gongkai')"


def _spec_json(tmp: Path) -> Path:
    cells = {k: json_number(v) for k, v in valid_cells(random.Random(3), "2021").items()}
    p = tmp / "spec.json"
    p.write_text(json.dumps({"issuing_body": "测试县教育局", "report_year": 2022, "format": "2021", "cells": cells}), encoding="utf-8")
    return p


def _corpus_dir(tmp: Path) -> Path:
    d = tmp / "in"
    d.mkdir(exist_ok=True)
    seed = sorted((ROOT.parent / "shared" / "corpus" / "seeds").glob("*.txt"))
    src = seed[0] if seed else FILES / "text" / "template_2021.tsv.txt"
    (d / "a.txt").write_bytes(src.read_bytes())
    return d


# (extra, a command that needs it): each extra's modules blocked in turn.
CASES = [
    ("pdf", lambda t: ["parse", str(FILES / "pdf" / "report-ruled.pdf")]),
    ("html", lambda t: ["parse", str(FILES / "html" / "official-2021-gbk.html")]),
    ("docx", lambda t: ["parse", str(FILES / "docx" / "official-2019.docx")]),
    ("ocr", lambda t: ["parse", str(FILES / "pdf" / "scan-t3.png")]),
    ("store", lambda t: ["stats", "--db", str(t / "x.db")]),
    ("store", lambda t: ["ingest", str(_corpus_dir(t)), "--db", str(t / "x.db"), "--no-progress"]),
    ("store", lambda t: ["export", "--db", str(t / "x.db"), "-o", str(t / "x.csv")]),
    ("store", lambda t: ["check-corpus", "--db", str(t / "x.db")]),
    ("postgres", lambda t: ["stats", "--db", "postgresql://nobody@127.0.0.1:9/none"]),
    ("dask", lambda t: ["ingest", str(_corpus_dir(t)), "--db", str(t / "d.db"), "--engine", "dask", "--no-progress"]),
    ("render", lambda t: ["render", str(_spec_json(t)), "-o", str(t / "r.docx")]),
    ("web", lambda t: ["serve", "--db", str(t / "w.db")]),
    ("agency", lambda t: ["agency", "calendar", "show", "--db", str(t / "a.db"), "--year", "2024"]),
]
# Modules to block beyond the extra's own: the docx reader reads with lxml.
ALSO_BLOCK = {"docx": ("lxml",)}


def _run(blocked: tuple[str, ...], args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    site = Path(tempfile.mkdtemp(prefix="gongkai-block-"))
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": f"{site}{os.pathsep}{ROOT / 'src'}",
        "GONGKAI_TEST_BLOCK": ",".join(blocked),
        **(env or {}),
    }
    return subprocess.run([sys.executable, "-c", RUN.format(args=args)], capture_output=True, text=True, env=env, timeout=180)


def test_the_block_reaches_worker_processes() -> None:
    code = "import multiprocessing as mp, importlib.util as u; print(mp.get_context('spawn').Pool(1).apply(u.find_spec, ('sqlite3',)))"
    site = Path(tempfile.mkdtemp(prefix="gongkai-block-"))
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site), "GONGKAI_TEST_BLOCK": "sqlite3"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60).stdout
    assert out.strip() == "None"


@pytest.mark.parametrize(("extra", "argv"), CASES, ids=[f"{e}-{i}" for i, (e, _) in enumerate(CASES)])
def test_each_extra_absent_says_what_to_install(extra: str, argv, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocked = BY_NAME[extra].modules + ALSO_BLOCK.get(extra, ())
    proc = _run(blocked, argv(tmp_path))
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out and "ModuleNotFoundError" not in out, out
    assert "已损坏" not in out, out  # the old catch-all: a valid PDF called corrupt
    assert "需要安装" in out and f"pip install 'gongkai[{extra}]'" in out, out
    assert proc.returncode == 6, out


def test_every_extra_has_a_case() -> None:
    assert {e.name for e in EXTRAS} == {extra for extra, _ in CASES}


def test_pdf_output_without_any_engine_names_the_render_extra(tmp_path: Path) -> None:
    proc = _run(("weasyprint",), ["render", str(_spec_json(tmp_path)), "-o", str(tmp_path / "r.pdf")], {"PATH": "/nonexistent"})
    out = proc.stdout + proc.stderr
    assert "pip install 'gongkai[render]'" in out and "LibreOffice" in out and proc.returncode == 6, out


def test_the_message_form() -> None:
    assert message("pdf") == "读取 PDF 需要安装 pypdfium2：pip install 'gongkai[pdf]'"
    assert message("docx", modules=("lxml",)).endswith("：pip install 'gongkai[docx]'")


def _names(deps: list[str]) -> tuple[set[str], set[str], set[str]]:
    """(distributions, their bracketed extras, gongkai extras referenced) of a dependency list."""
    dists, sub, refs = set(), set(), set()
    for d in deps:
        m = re.match(r"([A-Za-z0-9_.\-]+)(?:\[([^\]]*)\])?", d)
        assert m, d
        name = m.group(1).lower()
        inner = {x.strip().lower() for x in (m.group(2) or "").split(",") if x.strip()}
        if name == "gongkai":
            refs |= inner
        else:
            dists.add(name)
            sub |= inner
    return dists, sub, refs


def test_the_extras_table_is_pyproject() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert set(extras) - set(BUNDLES) == set(BY_NAME), "domain/extras.py and pyproject.toml list different extras"
    for name, deps in extras.items():
        if name in BUNDLES:
            continue
        dists, sub, refs = _names(deps)
        table = {d.lower() for d in BY_NAME[name].distributions}
        assert dists <= table <= dists | sub, (name, dists, table)
        assert refs == set(BY_NAME[name].needs), name


def test_the_readme_lists_every_extra() -> None:
    rows = re.findall(r"^\| `([a-z]+)` \|", README, re.M)
    assert set(rows) == set(PYPROJECT["project"]["optional-dependencies"])


def test_license_is_an_spdx_string_for_a_setuptools_that_reads_it() -> None:
    assert isinstance(PYPROJECT["project"]["license"], str) and PYPROJECT["project"]["license"] == "Apache-2.0"
    req = " ".join(PYPROJECT["build-system"]["requires"])
    m = re.search(r"setuptools>=(\d+)", req)
    assert m and int(m.group(1)) >= 77, "PEP 639 license strings need setuptools 77"


def test_info_lists_extras_with_versions_readers_and_every_rule() -> None:
    res = CliRunner().invoke(main, ["info", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert [e["name"] for e in data["extras"]] == [e.name for e in EXTRAS]
    store = next(e for e in data["extras"] if e["name"] == "store")
    assert store["installed"] and re.match(r"\d", store["libraries"]["sqlalchemy"])
    assert {r["rule"] for r in data["rules"]} >= {r.rule for r in RULES}
    assert [f["rule"] for f in data["findings"]] == [k.rule for k in FINDINGS]  # every code of the catalogue
    assert {"check_identities", "check_structure"} <= set(data["validators"])
    assert {r["name"] for r in data["readers"]} >= {"text", "pdf", "html", "docx", "image"}
    text = CliRunner().invoke(main, ["info"]).output
    assert "扩展：" in text and "已安装" in text and "T3_BALANCE" in text


def test_info_says_which_extras_are_missing() -> None:
    proc = _run(BY_NAME["pdf"].modules + BY_NAME["html"].modules, ["info", "--json"])
    data = json.loads(proc.stdout)
    state = {e["name"]: e["installed"] for e in data["extras"]}
    assert state["pdf"] is False and state["html"] is False and state["store"] is True
    readers = {r["name"]: r for r in data["readers"]}
    assert readers["pdf"]["available"] is False and readers["html"]["available"] is False and readers["text"]["available"]
