"""How another package adds pages to the web app: routers, templates and nav entries.

An extension is a ``WebExtension``; the app collects them when it is created from

* ``BUILTIN``: module names inside gongkai (the agency workbench adds ``"gongkai.agency.web"``
  here), each with a function ``web_extension() -> WebExtension``;
* the ``register_web`` hook of ``gongkai.hooks`` (an installed plugin returns a list of
  ``WebExtension``);
* ``add_extension(ext)``, for a program that builds its own app.

A router's routes take the same dependencies as the app's own (``gongkai.web.auth``:
``require("permission")``, ``form_writer("permission")``), so they share login, roles and
CSRF; its templates extend ``base.html`` and render through ``gongkai.web.pages.render``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter

from ..hooks import plugin_manager


@dataclass(frozen=True, slots=True)
class NavEntry:
    label: str  # Chinese
    path: str  # an absolute path of the app, e.g. "/agency"
    permission: str = "read"  # shown only to users who have it


@dataclass(slots=True)
class WebExtension:
    name: str
    router: APIRouter | None = None
    templates: Path | None = None  # a folder of Jinja2 templates, searched after the app's own
    nav: list[NavEntry] = field(default_factory=list)


BUILTIN: tuple[str, ...] = ("gongkai.agency.web",)
_ADDED: list[WebExtension] = []


def add_extension(ext: WebExtension) -> None:
    _ADDED.append(ext)


def collect() -> list[WebExtension]:
    out: list[WebExtension] = []
    for name in BUILTIN:
        out.append(importlib.import_module(name).web_extension())
    for group in plugin_manager().hook.register_web():
        out.extend(group or [])
    out.extend(_ADDED)
    return out
