"""Click's own strings in Chinese ("Usage:", "Show this message and exit.", its error
messages), and the metavars of every command's options.

Click looks its strings up through ``gettext`` by name in each of its modules at the moment
it shows them; ``chinese`` puts a lookup in this table in their place while the ``gongkai``
command runs and puts the originals back afterwards, so a program that imports gongkai and
uses click for itself is not changed. ``DEVELOPER`` lists the strings click only shows to a
programmer who declared a command wrongly; a test checks that every other string of click's
is here.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

ZH: dict[str, str] = {
    # help
    "Usage:": "用法:",  # click puts a space after it; its headings end in an ASCII colon too
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示此帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s %(version)s",
    "env var: {var}": "环境变量：{var}",
    "default: {default}": "默认：{default}",
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "弃用提醒：命令 {name!r} 已弃用。{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "弃用提醒：{param_type} {name!r} 已弃用。{extra_message}",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Choice({choices})": "可选（{choices}）",
    # errors
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Aborted!": "已中止。",
    "unknown error": "未知错误",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Did you mean {possibility}?": "是否要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否要用其中之一：{possibilities}？）",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Option {name!r} does not take a value.": "选项 {name!r} 不接受取值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要一个取值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个取值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "Value must be an iterable.": "取值必须是多个值。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是以下之一：{choices}。",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合以下任一格式：{formats}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值。可用：{states}",
    "{len_type} values are required, but {len_value} was given.": "需要 {len_type} 个值，给了 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.": "需要 {len_type} 个值，给了 {len_value} 个。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    # prompts (no gongkai command prompts today; translated for whoever adds one)
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不询问，直接确认。",
    "Press any key to continue...": "按任意键继续……",
    "Repeat for confirmation": "再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
    "Windows error: {error}": "Windows 错误：{error}",
    "{editor}: Editing failed": "{editor}：编辑失败",
    "{editor}: Editing failed: {e}": "{editor}：编辑失败：{e}",
    "Couldn't detect Bash version, shell completion is not supported.": "无法识别 Bash 版本，不支持命令补全。",
    "Shell completion is not supported for Bash versions older than 4.4.": "Bash 4.4 以前的版本不支持命令补全。",
}
# Shown only to a programmer declaring a command wrongly (or internal to click): not translated.
DEVELOPER = frozenset(
    {
        "d",  # termui's "y/N" default marker
        "Could not determine name for option with declarations {decls!r}",
        "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
        "Did you mean to pass '--{name}'?",
        "Arguments take exactly one parameter declaration, got {length}: {decls}.",
        "Name '{name}' defined twice",
        "Boolean option {decl!r} cannot use the same flag for true/false.",
        "Invalid start character for option ({option})",
        "Unknown color {colour!r}",
        "Unknown standard stream '{name}'",
    }
)
# click's modules that look their strings up (each binds ``_`` and/or ``ngettext``).
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
    "click.shell_completion",
    "click._termui_impl",
)
# Metavars by click type name (an option's ``TEXT`` becomes ``文本``).
METAVARS = {"text": "文本", "integer": "整数", "integer range": "整数", "float range": "数", "datetime": "日期时间", "uuid": "UUID", "float": "数", "path": "路径", "filename": "文件", "directory": "文件夹", "boolean": "是/否"}


def gettext(message: str) -> str:
    return ZH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return ZH.get(plural if n != 1 else singular, plural if n != 1 else singular)


@contextmanager
def chinese() -> Iterator[None]:
    """Click speaks Chinese inside this block."""
    saved: list[tuple[Any, str, Any]] = []
    for name in CLICK_MODULES:
        try:
            mod = importlib.import_module(name)
        except ImportError:  # a module a future click drops
            continue
        for attr, repl in (("_", gettext), ("ngettext", ngettext)):
            if hasattr(mod, attr):
                saved.append((mod, attr, getattr(mod, attr)))
                setattr(mod, attr, repl)
    try:
        yield
    finally:
        for mod, attr, original in reversed(saved):
            setattr(mod, attr, original)


def localize(command: click.Command) -> None:
    """Chinese metavars for a command and its subcommands: ``[选项]``, ``文本``, ``整数``."""
    command.options_metavar = "[选项]"
    command.context_class = Context
    if isinstance(command, click.Group):
        command.subcommand_metavar = "命令 [参数]..."
        for sub in command.commands.values():
            localize(sub)
    for p in command.params:
        if p.metavar is not None or (isinstance(p, click.Option) and p.is_flag):
            continue
        zh = METAVARS.get(p.type.name)
        if isinstance(p, click.Option) and zh:  # arguments keep their names (FILES…): the help text refers to them
            p.metavar = zh


# ---------------------------------------------------------------- help layout by display width
_TOKEN = re.compile(r"[\x21-\x7e]+|\s+|.", re.S)  # an ASCII word, a run of spaces, or one character
_NO_LINE_START = set("，。、；：？！）》」』”’…,.;:!?)]")


def width(s: str) -> int:
    """Columns ``s`` takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def wrap(text: str, columns: int, indent: str = "") -> list[str]:
    """Lines of at most ``columns`` display columns (CJK text breaks between any two
    characters, never before a closing mark; ASCII words stay whole). Paragraphs are kept;
    one that starts with a ``\\b`` line is kept line for line (click's convention)."""
    out: list[str] = []
    for n, para in enumerate(re.split(r"\n\s*\n", text.strip("\n"))):
        if n:
            out.append("")
        lines = para.splitlines()
        if lines and lines[0].strip() == "\b":
            out.extend(indent + ln for ln in lines[1:])
            continue
        joined = ""
        for ln in (ln.strip() for ln in lines):
            if joined and ln and joined[-1].isascii() and ln[0].isascii():
                joined += " "
            joined += ln
        line = ""
        for tok in _TOKEN.findall(joined):
            if tok.isspace():
                tok = " "
            room = columns - width(indent)
            if line and width(line + tok) > room and not tok.isspace():
                if tok[0] not in _NO_LINE_START:
                    out.append(indent + line.rstrip())
                    line = ""
                elif width(line) > room:  # a second closing mark would hang: carry the last character over
                    k = len(line)
                    while k > 0 and line[k - 1] in _NO_LINE_START:
                        k -= 1
                    k = max(k - 1, 0)
                    if k > 0:
                        out.append(indent + line[:k].rstrip())
                        line = line[k:]
            if not line and tok.isspace():
                continue
            line += tok
        if line:
            out.append(indent + line.rstrip())
    return out


class WideFormatter(click.HelpFormatter):
    """click's help layout, measured in display columns instead of characters."""

    def write_text(self, text: str) -> None:
        self.write("\n".join(wrap(text, self.width, " " * self.current_indent)) + "\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_w = min(max((width(a) for a, _ in rows), default=0), col_max) + col_spacing
        text_w = max((self.width or 80) - first_w - self.current_indent - 2, 20)
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_w - col_spacing:
                self.write(" " * (first_w - width(first)))
            else:
                self.write("\n" + " " * (first_w + self.current_indent))
            lines = wrap(second, text_w) or [""]
            self.write(lines[0] + "\n")
            for ln in lines[1:]:
                self.write(" " * (first_w + self.current_indent) + ln + "\n")


class Context(click.Context):
    formatter_class = WideFormatter


def short_help(command: click.Command) -> str:
    """A command's line in the group's list: its own short help, else its help's first sentence."""
    if command.short_help:
        return command.short_help
    text = (command.help or "").strip().split("\n\n")[0].replace("\n", "")
    m = re.match(r".*?[。！？](?=[^）」”]|$)", text)
    return m.group(0) if m else text
