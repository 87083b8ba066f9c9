"""Two OCR settings compared page by page, interleaved in one process: CPU and texts.

    .venv/bin/python benchmarks/ocr_ab.py [--dpi 200] [--rounds 1] A B FILE.pdf|FILE.png ...

``A`` and ``B`` set module constants of ``gongkai.read.ocr`` (``REC_SQUEEZE=0.6``, several
joined by commas; ``-`` for the tree's own), or ``ocr_models.REWRITE_VERSION=2`` for the
models of an older rewrite still in the cache. Every page is recognised under A and under
B one after the other, the order alternating, so a machine whose speed wanders from one
minute to the next (this one does by ±30 %) slows both alike: the ratio B/A is what to
read. Printed: CPU seconds per page of each, B/A, and the texts each read that the other
did not, page by page.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ocr_stages import page_images  # noqa: E402  (this folder is on sys.path when a script of it runs)

from gongkai.normalize import canonical  # noqa: E402
from gongkai.read import ocr, ocr_models  # noqa: E402


def settings(spec: str) -> dict[tuple[Any, str], Any]:
    """``NAME=VALUE,...`` -> {(module, NAME): value of NAME's own type}."""
    out: dict[tuple[Any, str], Any] = {}
    for item in filter(None, spec.split(",") if spec != "-" else []):
        name, value = item.split("=", 1)
        module, name = (ocr_models, name.split(".", 1)[1]) if name.startswith("ocr_models.") else (ocr, name)
        out[(module, name)] = type(getattr(module, name))(value)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=1)
    args = ap.parse_args()
    sides = [settings(args.a), settings(args.b)]
    own = {key: getattr(*key) for side in sides for key in side}
    engines = []
    for side in sides:  # an engine each: a rewrite version is read when the engine is made
        for (module, name), value in {**own, **side}.items():
            setattr(module, name, value)
        ocr._engine.cache_clear()
        engines.append(ocr._engine())
    make_engine = ocr._engine
    todo = page_images(args.files, args.dpi)
    spent = [0.0, 0.0]
    read: dict[tuple[str, int], Counter[str]] = {}
    try:
        for r in range(args.rounds):
            for i, (name, img, k) in enumerate(todo):
                for w in (0, 1) if (i + r) % 2 == 0 else (1, 0):
                    for (module, key), value in {**own, **sides[w]}.items():
                        setattr(module, key, value)
                    ocr._engine = lambda w=w: engines[w]  # type: ignore[assignment]
                    c = time.process_time()
                    glyphs, _ = ocr.recognise(img, k)
                    spent[w] += time.process_time() - c
                    read[(name, w)] = Counter(canonical(g.text).replace(" ", "") for g in glyphs)
    finally:
        ocr._engine = make_engine  # type: ignore[assignment]
    n = len(todo) * args.rounds
    print(
        f"{len(todo)} pages x {args.rounds}: A ({args.a}) {spent[0] / n:.3f} s CPU/page, B ({args.b}) {spent[1] / n:.3f}, B/A {spent[1] / spent[0]:.3f}"
    )
    differ = 0
    for name, *_ in todo:
        a, b = read[(name, 0)], read[(name, 1)]
        if a != b:
            differ += 1
            print(f"  {name}: A only {sorted((a - b).elements())}, B only {sorted((b - a).elements())}")
    print(f"pages whose texts differ: {differ}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
