"""The review and exploration web app (``gongkai serve``): FastAPI + Jinja2 over ``gongkai.store``.

Needs the ``web`` extra. ``create_app(WebConfig.make(db))`` builds the ASGI app; other
packages add pages through ``gongkai.web.extensions`` (``WebExtension``, ``add_extension``,
the ``register_web`` hook). See docs/web.md.
"""

from __future__ import annotations

from .app import create_app
from .config import WebConfig
from .extensions import NavEntry, WebExtension, add_extension

__all__ = ["NavEntry", "WebConfig", "WebExtension", "add_extension", "create_app"]
