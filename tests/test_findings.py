"""Findings are data: every code a stage raises is in the one catalogue
(``gongkai.domain.findings``) with its severity, source and Chinese templates, raised through
``Finding.of`` / ``CrossFinding.of`` with the template's own fields, and documented in
docs/findings.md (generated) and ``gongkai info``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from gongkai.cli import main
from gongkai.corpus.crosscheck import CrossFinding
from gongkai.domain.findings import FINDING_BY_RULE, FINDINGS, listed, template_fields
from gongkai.domain.rules import RULES
from gongkai.model import Finding

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "gongkai"
CATALOGUE = SRC / "domain" / "findings.py"
# keyword arguments of ``of`` that are not template fields
OF_KEYWORDS = {"cells", "table", "expected", "found", "report_ids"}


def _trees() -> list[tuple[Path, ast.AST]]:
    return [(p, ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(SRC.rglob("*.py"))]


def _of_calls() -> list[tuple[str, ast.Call]]:
    out = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "of":
                owner = node.func.value
                if isinstance(owner, ast.Name) and owner.id in ("Finding", "CrossFinding"):
                    out.append((f"{path.relative_to(SRC)}:{node.lineno}", node))
    return out


def _variants(node: ast.expr | None, rule: str) -> list[str | None]:
    """The variants a call's variant argument can name."""
    templates = FINDING_BY_RULE[rule].templates
    if node is None:
        return [None]
    if isinstance(node, ast.Constant):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _variants(node.body, rule) + _variants(node.orelse, rule)
    if isinstance(node, ast.BinOp) and isinstance(node.left, ast.Constant):  # "scans_" + why
        return [v for v in templates if v is not None and v.startswith(node.left.value)]
    return list(templates)


def test_every_code_raised_is_in_the_catalogue_with_its_variant_and_fields() -> None:
    calls = _of_calls()
    assert len(calls) >= 40
    problems = []
    for where, call in calls:
        first = call.args[0] if call.args else None
        if not isinstance(first, ast.Constant):
            continue  # the identities' codes (eq.rule): test_identity_codes_are_catalogued
        rule = first.value
        if rule not in FINDING_BY_RULE:
            problems.append(f"{where}: {rule} is not in the catalogue")
            continue
        kind = FINDING_BY_RULE[rule]
        given = {k.arg for k in call.keywords if k.arg is not None} - OF_KEYWORDS
        spread = any(k.arg is None for k in call.keywords)  # **fields: checked when it runs
        for variant in _variants(call.args[1] if len(call.args) > 1 else None, rule):
            if variant not in kind.templates:
                problems.append(f"{where}: {rule} has no variant {variant!r}")
            elif not spread and given != kind.fields[variant]:
                problems.append(f"{where}: {rule}/{variant} wants {sorted(kind.fields[variant])}, given {sorted(given)}")
    assert not problems, "\n".join(problems)


def test_no_finding_is_written_out_where_it_is_raised() -> None:
    """No ``Finding("CODE", "message", ...)`` in src: codes and messages come from the catalogue."""
    found = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("Finding", "CrossFinding")):
                continue
            # a finding read back from storage (Finding(r.rule, ...)) is made from data; a
            # code or message written out here is one the catalogue does not know
            if any(isinstance(a, ast.Constant | ast.JoinedStr) for a in node.args[:3]) or any(
                k.arg in ("rule", "message") and isinstance(k.value, ast.Constant | ast.JoinedStr) for k in node.keywords
            ):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(node)[:100]}")
    assert not found, "findings made without the catalogue (use Finding.of / CrossFinding.of):\n" + "\n".join(found)


def test_codes_compared_anywhere_are_catalogued() -> None:
    """``f.rule == "NOT_A_REPORT"``, ``e.rule in (...)``: a misspelt code would never match."""
    unknown = []
    for path, tree in _trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            if not any(isinstance(s, ast.Attribute) and s.attr == "rule" for s in sides):
                continue
            for s in sides:
                for c in ast.walk(s):
                    if isinstance(c, ast.Constant) and isinstance(c.value, str) and c.value not in FINDING_BY_RULE:
                        unknown.append(f"{path.relative_to(SRC)}:{node.lineno}: {c.value}")
    assert not unknown, "\n".join(unknown)


def test_every_catalogued_code_is_raised_somewhere() -> None:
    literals: set[str] = set()
    for path, tree in _trees():
        if path == CATALOGUE:
            continue
        literals |= {c.value for c in ast.walk(tree) if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    assert not [k.rule for k in FINDINGS if k.rule not in literals]


def test_identity_codes_are_catalogued() -> None:
    assert {r.rule for r in RULES} == {"T3_BALANCE", "T3_ROW_TOTAL", "T3_OUTCOME_TOTAL", "T4_GROUP_TOTAL"}
    for r in RULES:
        assert r.source == "report" and r.fields[None] == {"where", "lhs_value", "rhs_value"}


def test_each_template_formats_with_its_fields() -> None:
    for k in FINDINGS:
        assert k.severity in ("error", "warning", "info") and k.source in ("report", "extraction", "corpus")
        assert k.title and any("\u4e00" <= ch <= "\u9fff" for ch in k.title), k.rule
        assert k.doc and k.doc.endswith("."), k.rule
        assert k.templates, k.rule
        for variant, template in k.templates.items():
            fields = template_fields(template)
            assert not fields & (OF_KEYWORDS | {"variant", "rule"}), (k.rule, variant)
            message = k.message(variant, **dict.fromkeys(fields, 7.0))
            assert "{" not in message and "}" not in message, (k.rule, variant)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in message), (k.rule, variant)


def test_of_takes_severity_and_source_from_the_catalogue() -> None:
    f = Finding.of("UNREAD_CELL", "t2_lost", cells=("t2.x.y",), table="t2", row="规章", count=2)
    assert (f.rule, f.severity, f.source, f.table, f.cells) == ("UNREAD_CELL", "warning", "extraction", "t2", ["t2.x.y"])
    assert f.message == "表二「规章」行缺少 2 格数值"
    g = Finding.of("FORMAT_YEAR", "2021", expected="2021", found="2019", year=2022, actual="2019")
    assert g.source == "report" and g.message == "2022年度报告应使用国办公开办函〔2021〕30号规定的2021年格式，实际为2019年格式"
    c = CrossFinding.of("REPOSTED", report_ids=[1], cells=[], found=2, body="某局", year=2021, count=2, paths="a、b")
    assert (c.severity, c.message) == ("info", "某局2021年度报告：同一份文件在 2 处发布：a、b")


def test_of_refuses_an_unknown_code_variant_or_field() -> None:
    with pytest.raises(KeyError, match="NO_SUCH_CODE"):
        Finding.of("NO_SUCH_CODE")
    with pytest.raises(KeyError, match="no message variant"):
        Finding.of("UNREAD_CELL", "t9_lost", row="x", count=1)
    with pytest.raises(TypeError, match="fields"):
        Finding.of("UNREAD_CELL", "t2_lost", row="x")  # count missing
    with pytest.raises(TypeError, match="fields"):
        Finding.of("PDF_TRUNCATED", pages="1")  # a field the message does not have
    with pytest.raises(ValueError, match="CrossFinding"):
        Finding.of("REPOSTED", body="x", year=1, count=1, paths="")
    with pytest.raises(ValueError, match=r"Finding\.of"):
        CrossFinding.of("PDF_TRUNCATED", report_ids=[], cells=[])


def test_the_reference_page_lists_every_code() -> None:
    page = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")  # (current: tests/test_docs.py)
    for k in FINDINGS:
        assert f"`{k.rule}`" in page


def test_info_lists_every_code() -> None:
    res = CliRunner().invoke(main, ["info"])
    assert res.exit_code == 0
    for k in FINDINGS:
        assert k.rule in res.output and k.title in res.output
    assert "check_identities" in res.output


@given(st.lists(st.text(max_size=3), max_size=12), st.integers(min_value=0, max_value=8))
def test_listed_takes_only_what_it_shows(names: list[str], limit: int) -> None:
    # the whole list joined and cut, against ``listed`` over a lazy iterator: same text,
    # and no more than limit + 1 names taken (a ``map(cell_label, keys)`` labels no more)
    taken: list[str] = []

    def lazy():  # type: ignore[no-untyped-def]
        for n in names:
            taken.append(n)
            yield n

    assert listed(lazy(), limit) == "、".join(names[:limit]) + ("等" if len(names) > limit else "")
    assert len(taken) == min(len(names), limit + 1)
