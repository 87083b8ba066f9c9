"""The boundary between core and extensions: a small list of hooks (pluggy).

The built-in readers and rules register through ``register_readers`` and ``register_rules``
exactly as an outside plugin would: ``DEFAULT_PLUGINS`` names their modules and
``plugin_manager`` loads them by name (the way datasette loads its own plugins), so every
run exercises the hooks and no stage imports another to register it (``read/`` never
imports ``validate/``). A plugin is a module or object with functions named like the specs
below, decorated with ``hookimpl``, installed under the ``gongkai`` entry-point group or
passed to ``plugin_manager().register``.
"""

from __future__ import annotations

import importlib
import sys
from functools import lru_cache
from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("gongkai")
hookimpl = pluggy.HookimplMarker("gongkai")

# The built-in plugins, registered under these names before any installed one.
DEFAULT_PLUGINS = (
    "gongkai.read.builtin",  # the readers: text, html, pdf, image, docx, legacy office
    "gongkai.validate.builtin",  # the rules: identities, format, structure, prose vs tables
)


@hookspec
def register_readers():  # type: ignore[no-untyped-def]
    """Return a list of ``gongkai.read.Reader`` objects."""


@hookspec
def register_rules():  # type: ignore[no-untyped-def]
    """Return a list of callables ``rule(report) -> list[Finding]`` run by ``validate``."""


@hookspec
def register_web():  # type: ignore[no-untyped-def]
    """Return a list of ``gongkai.web.extensions.WebExtension`` (pages added to ``gongkai serve``)."""


@lru_cache(maxsize=1)
def plugin_manager() -> pluggy.PluginManager:
    pm = pluggy.PluginManager("gongkai")
    pm.add_hookspecs(sys.modules[__name__])
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name)
    pm.load_setuptools_entrypoints("gongkai")
    return pm


_GATHERED: dict[str, tuple[tuple[Any, ...], list[Any]]] = {}


def gathered(hook_name: str) -> list[Any]:
    """Every item of a list-returning hook (``register_readers``, ``register_rules``), in
    one list. Kept until the set of implementations changes (a plugin registered or
    unregistered), so parsing a report does not call every plugin again."""
    hook = getattr(plugin_manager().hook, hook_name)
    impls = tuple(hook.get_hookimpls())
    hit = _GATHERED.get(hook_name)
    if hit is not None and hit[0] == impls:
        return hit[1]
    out = [item for group in hook() for item in (group or [])]
    _GATHERED[hook_name] = (impls, out)
    return out
