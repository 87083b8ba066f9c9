"""The built-in rules, registered through the same hook as any plugin's (``gongkai.hooks``)."""

from __future__ import annotations

from ..hooks import hookimpl
from . import check_format, check_identities, check_structure
from .text_vs_table import check_text_vs_table


@hookimpl
def register_rules() -> list:  # type: ignore[type-arg]
    return [check_identities, check_format, check_structure, check_text_vs_table]
