"""The exit codes of the ``gongkai`` command: what happened, for scripts. One table, shown by
``gongkai --help`` and in the README (a test keeps both in step)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExitCode:
    code: int
    name: str
    meaning: str  # Chinese


OK = ExitCode(0, "ok", "成功：每个输入都已处理，没有发现错误")
FOUND_ERRORS = ExitCode(1, "found_errors", "报告有错误：check 发现错误，或 render 拒绝了有错误的报告")
USAGE = ExitCode(2, "usage", "用法错误：命令、选项或参数不对")
PARTIAL = ExitCode(3, "partial", "部分输入失败：其余输入已处理（失败的逐个列出）")
NOTHING = ExitCode(4, "nothing", "没有可处理的输入：输入不存在、不是报告，或全部失败")
DATABASE = ExitCode(5, "database", "数据库错误：数据库不存在、无法连接、认证失败等")
MISSING_DEPENDENCY = ExitCode(6, "missing_dependency", "缺少依赖：需要安装某个扩展（pip install 'gongkai[…]'）")
INTERNAL = ExitCode(70, "internal", "内部错误：gongkai 的缺陷，请报告")
INTERRUPTED = ExitCode(130, "interrupted", "已中断（Ctrl-C）：已完成的部分已保存")

EXIT_CODES: tuple[ExitCode, ...] = (OK, FOUND_ERRORS, USAGE, PARTIAL, NOTHING, DATABASE, MISSING_DEPENDENCY, INTERNAL, INTERRUPTED)


def batch(inputs: int, failed: int, missing_dependency: int = 0, found_errors: bool = False) -> int:
    """The exit code of a command over several inputs: all failed (each for a missing
    extra, or not), some failed, errors found in the reports, or none of these."""
    if inputs == 0 or failed >= inputs:
        return MISSING_DEPENDENCY.code if inputs and missing_dependency >= inputs else NOTHING.code
    if failed:
        return PARTIAL.code
    return FOUND_ERRORS.code if found_errors else OK.code
