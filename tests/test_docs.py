"""The docs stay honest: every command has Chinese help and is in the README; every rule
the validator can emit is registered, and every reader has a sniffer; the README's layout
lists every room; the generated references (docs/cli.md, docs/findings.md) are current."""

from __future__ import annotations

import runpy
from pathlib import Path

from gongkai.cli import main
from gongkai.domain.rules import RULES
from gongkai.read import readers
from gongkai.validate import rules

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_has_help_and_is_in_the_readme() -> None:
    for name, cmd in main.commands.items():
        assert cmd.help and any("\u4e00" <= ch <= "\u9fff" for ch in cmd.help), name
        assert f"gongkai {name}" in README, f"README does not mention `gongkai {name}`"


def test_identity_rules_have_chinese_templates() -> None:
    for r in RULES:
        assert r.title and "{where}" in r.template


def test_builtin_rules_and_readers_are_registered_through_the_hooks() -> None:
    names = {getattr(r, "__name__", "") for r in rules()}
    assert {"check_identities", "check_format", "check_structure", "check_text_vs_table"} <= names
    kinds = {r.name for r in readers()}
    assert {"text", "html", "pdf", "docx", "image", "legacy-office"} <= kinds


def _layout_section() -> str:
    return README.split("## Layout of the code", 1)[1].split("\n## ", 1)[0]


def test_the_readme_layout_lists_every_room() -> None:
    """Every module at the package root and every subpackage has its line in the README."""
    layout = _layout_section()
    src = ROOT / "src" / "gongkai"
    missing = [p.name for p in src.glob("*.py") if f"  {p.name} " not in layout]
    missing += [p.name + "/" for p in src.iterdir() if (p / "__init__.py").exists() and f"  {p.name}/ " not in layout]
    assert not missing, f"README's layout section does not list {missing}"


def test_the_cli_reference_is_current() -> None:
    reference = runpy.run_path(str(ROOT / "scripts" / "cli_reference.py"))
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == reference["render"](), "docs/cli.md is stale: run python scripts/cli_reference.py"


def test_the_findings_reference_is_current() -> None:
    reference = runpy.run_path(str(ROOT / "scripts" / "findings_reference.py"))
    page = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert page == reference["render"](), "docs/findings.md is stale: run python scripts/findings_reference.py"
