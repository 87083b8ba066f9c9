"""File names of any bytes. On POSIX a name is bytes; Python hands the ones that are not
UTF-8 over as text with lone surrogates (``surrogateescape``), which no UTF-8 output, JSON
writer or database driver accepts. ``shown`` is the name for people (each byte that is not
UTF-8 becomes U+FFFD); ``stored`` is the name for the database and JSON, lossless: each
such byte becomes ``\\xNN`` and, in those names only, a backslash becomes ``\\\\``, so
``original`` gives the very bytes back. A name that is valid text is left as it is."""

from __future__ import annotations

import os
import re

_ESCAPE = re.compile(r"\\(x[0-9a-f]{2}|\\)")


def _bad(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def shown(name: str) -> str:
    """``name`` for messages and progress: undecodable bytes as U+FFFD."""
    if not _bad(name):
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace").encode("utf-8", "replace").decode("utf-8")


def stored(name: str) -> str:
    """``name`` as text any driver takes, losslessly (see ``original``)."""
    if not _bad(name):
        return name
    raw = name.encode("utf-8", "surrogateescape")
    out = []
    for ch in raw.replace(b"\\", b"\\\\").decode("utf-8", "surrogateescape"):
        out.append(f"\\x{ord(ch) - 0xDC00:02x}" if "\udc80" <= ch <= "\udcff" else ch)
    return "".join(out)


def original(name: str) -> str:
    """The OS name back from ``stored`` (for a stored name that had undecodable bytes)."""
    if "\\x" not in name:
        return name
    raw = _ESCAPE.sub(lambda m: "\\" if m.group(1) == "\\" else chr(0xDC00 + int(m.group(1)[1:], 16)), name)
    return os.fsdecode(raw.encode("utf-8", "surrogateescape"))
