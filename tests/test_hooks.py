"""Plugins extend gongkai through the hooks, and registering one takes effect at once."""

from __future__ import annotations

from gongkai.api import parse_bytes
from gongkai.hooks import hookimpl, plugin_manager
from gongkai.model import Block, Document, Finding
from gongkai.read import Reader, readers
from helpers import CORPUS

SEED = sorted((CORPUS / "seeds").glob("*.txt"))[0].read_bytes()


class RulePlugin:
    @hookimpl
    def register_rules(self):  # type: ignore[no-untyped-def]
        def many_cells(report):  # type: ignore[no-untyped-def]
            return [Finding("PLUGIN_RULE", "info", f"共 {len(report.cells)} 个单元格")]

        return [many_cells]


class ReaderPlugin:
    @hookimpl
    def register_readers(self):  # type: ignore[no-untyped-def]
        def read(data: bytes, path: str, settings) -> Document:  # type: ignore[no-untyped-def]
            text = data[len(b"GKX1\n") :].decode("utf-8")
            rows = enumerate(text.splitlines())
            return Document(path, "application/x-gkx", [Block(f.strip(), i) for i, line in rows for f in line.split("\t")])

        return [Reader("gkx", "application/x-gkx", lambda head: head.startswith(b"GKX1\n"), read, priority=5)]


def test_a_registered_rule_runs_and_an_unregistered_one_stops() -> None:
    pm = plugin_manager()
    plugin = RulePlugin()
    assert not [f for f in parse_bytes(SEED).findings if f.rule == "PLUGIN_RULE"]
    pm.register(plugin)
    try:
        found = [f for f in parse_bytes(SEED).findings if f.rule == "PLUGIN_RULE"]
        assert len(found) == 1 and "个单元格" in found[0].message
    finally:
        pm.unregister(plugin)
    assert not [f for f in parse_bytes(SEED).findings if f.rule == "PLUGIN_RULE"]


def test_a_registered_reader_is_sniffed_first_by_priority() -> None:
    pm = plugin_manager()
    plugin = ReaderPlugin()
    pm.register(plugin)
    try:
        assert readers()[0].name == "gkx"
        report = parse_bytes(b"GKX1\n" + SEED, "x.gkx")
        assert report.media_type == "application/x-gkx"
        assert report.cells  # the plugin's blocks went through the same pipeline
    finally:
        pm.unregister(plugin)
    assert "gkx" not in [r.name for r in readers()]
