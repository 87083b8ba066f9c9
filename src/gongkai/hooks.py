"""The boundary between core and extensions: a small list of hooks (pluggy).

The built-in readers register through ``register_readers`` exactly as an outside plugin
would (``gongkai.read.builtin``), so every run exercises the hook. A plugin is a module or
object with functions named like the specs below, decorated with ``hookimpl``, installed
under the ``gongkai`` entry-point group or passed to ``plugin_manager().register``.
"""

from __future__ import annotations

from functools import lru_cache

import pluggy

hookspec = pluggy.HookspecMarker("gongkai")
hookimpl = pluggy.HookimplMarker("gongkai")


@hookspec
def register_readers():  # type: ignore[no-untyped-def]
    """Return a list of ``gongkai.read.Reader`` objects."""


@hookspec
def register_rules():  # type: ignore[no-untyped-def]
    """Return a list of callables ``rule(report) -> list[Finding]`` run by ``validate``."""


@lru_cache(maxsize=1)
def plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("gongkai")
    import sys

    pm.add_hookspecs(sys.modules[__name__])
    from .read import builtin

    pm.register(builtin, "gongkai.read.builtin")
    pm.load_setuptools_entrypoints("gongkai")
    return pm
