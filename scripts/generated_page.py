"""Write a generated docs page, or with ``--check`` say whether the page on disk is current."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def write_or_check(target: Path, text: str, argv: list[str], script: str, wrote: str = "") -> int:
    """0 when written or current, 1 when ``--check`` finds the page stale."""
    name = target.relative_to(ROOT)
    if "--check" in argv:
        current = target.exists() and target.read_text(encoding="utf-8") == text
        print(f"{name} is current" if current else f"{name} is stale: run python scripts/{script}")
        return 0 if current else 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {name}{wrote}")
    return 0
