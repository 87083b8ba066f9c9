"""The help is Chinese throughout, click's own strings included, and ``-h`` is ``--help``
(issue 11 item 15)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import click
from click.testing import CliRunner

from gongkai.cli import main
from gongkai.cli.zh import CLICK_MODULES, DEVELOPER, ZH, chinese, width, wrap

ENGLISH = ("Usage:", "Options:", "Commands:", "Show this message", "Show the version", "[OPTIONS]", "COMMAND [ARGS]", "Error:", "Try '")


def _commands() -> list[list[str]]:
    out: list[list[str]] = [[]]
    for name, cmd in main.commands.items():
        out.append([name])
        if isinstance(cmd, click.Group):
            out += [[name, sub] for sub in cmd.commands]
    return out


def test_h_is_help_and_every_help_is_chinese() -> None:
    for path in _commands():
        short = CliRunner().invoke(main, [*path, "-h"], terminal_width=100)
        long = CliRunner().invoke(main, [*path, "--help"], terminal_width=100)
        assert short.exit_code == 0, (path, short.output)
        assert short.output == long.output, path
        assert short.output.startswith("用法: gongkai"), (path, short.output[:80])
        assert "选项:" in short.output and "显示此帮助并退出。" in short.output, path
        for word in ENGLISH:
            assert word not in short.output, (path, word)
        for token in ("TEXT", "INTEGER", "PATH", "FILENAME", "DIRECTORY"):
            assert f" {token}" not in short.output, (path, token)


def test_click_errors_are_chinese() -> None:
    res = CliRunner().invoke(main, ["parse", "--bogus", "x"])
    assert res.exit_code == 2 and "错误：没有选项 '--bogus'。" in res.output and "运行 'gongkai parse --help' 查看帮助" in res.output
    res = CliRunner().invoke(main, ["parse"])
    assert res.exit_code == 2 and "缺少参数" in res.output
    res = CliRunner().invoke(main, ["stats", "--format", "xml"])
    assert res.exit_code == 2 and "的值无效" in res.output and "不是以下之一" in res.output
    res = CliRunner().invoke(main, ["ingest", "x", "--jobs", "many"])
    assert res.exit_code == 2 and "不是有效的" in res.output
    res = CliRunner().invoke(main, ["nosuchcommand"])
    assert res.exit_code == 2 and "没有命令 'nosuchcommand'" in res.output
    for word in ENGLISH:
        assert word not in res.output


def test_click_is_itself_again_outside_gongkai() -> None:
    """The translation lives only while the gongkai command runs."""
    CliRunner().invoke(main, ["-h"])

    @click.command()
    def other() -> None:
        """Another program's command."""

    res = CliRunner().invoke(other, ["--help"])
    assert "Usage:" in res.output and "Show this message and exit." in res.output


def _click_strings() -> set[str]:
    """Every literal click passes to gettext or ngettext."""
    out: set[str] = set()
    for name in CLICK_MODULES:
        mod = importlib.import_module(name)
        tree = ast.parse(Path(mod.__file__ or "").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                out |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return out


def test_every_string_click_shows_a_user_is_translated() -> None:
    strings = _click_strings()
    assert len(strings) > 40  # the scan found click's strings
    missing = sorted(s for s in strings if s not in ZH and s not in DEVELOPER)
    assert not missing, "click strings without a translation in cli/zh.py: " + repr(missing)
    for en, zh in ZH.items():  # the placeholders survive the translation
        assert sorted(__import__("re").findall(r"\{[^}]*\}|%\([a-z]+\)s", en)) == sorted(
            __import__("re").findall(r"\{[^}]*\}|%\([a-z]+\)s", zh)
        ), en


def _fits(line: str, columns: int) -> bool:
    """Within ``columns``, or over by one closing mark that may not start a line."""
    return width(line) <= columns or (width(line) <= columns + 2 and line[-1] in "，。、；：？！）》」』”’…")


def test_help_lines_fit_the_terminal_in_display_columns() -> None:
    for path in _commands():
        out = CliRunner().invoke(main, [*path, "-h"], terminal_width=80).output
        for line in out.splitlines():
            assert _fits(line, 80), (path, line, width(line))  # CJK characters count two columns
    text = "按年度、地区、机关类型统计：报告数、申请数、予以公开率、不予公开理由、复议诉讼纠错率。" * 3
    lines = wrap(text, 40)
    assert all(_fits(ln, 40) for ln in lines) and "".join(lines) == text
    assert not any(ln.startswith(("，", "。", "、", "：")) for ln in lines)
    assert wrap("see https://example.com/a/very/long/path and more", 20)[1].startswith("https://")  # words stay whole


def test_translation_context_restores_click() -> None:
    import click.core

    before = click.core._
    with chinese():
        assert click.core._("Options") == "选项"
    assert click.core._ is before
