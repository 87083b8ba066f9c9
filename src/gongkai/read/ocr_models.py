"""Faster float copies of RapidOCR's PP-OCRv4 models, rewritten locally once and cached.

The models (exported by Paddle2ONNX) write two things in plain operators that ONNX Runtime
does not fuse: PP-LCNetV3's learnable affine blocks (``Mul(scalar) -> Add(scalar)``, after a
convolution and after an activation) and hardswish (``x * Clip(x + 3, 0, 6) / 6``). The
rewrite folds an affine block after a convolution into that convolution's weights and bias,
one before convolutions without padding into those convolutions' (exact: no padded border
sees the shift), and replaces hardswish by ONNX's ``HardSwish`` (opset 14): the same
function, in fewer and fused kernels (0.6-0.7x the CPU of the recogniser and of the
detector, the same readings: docs/performance.md). The affine blocks before a padded
(depthwise) convolution cannot be folded (the zero padding would see the shift); they
become 1x1 depthwise convolutions instead, which ONNX Runtime runs in its blocked
(NCHWc) layout, where a scalar ``Mul`` and ``Add`` made it convert every such tensor out
of that layout and back (0.85x the recogniser's CPU, 0.88x the detector's, the same
readings).

The rewritten model is made from the model the wheel ships (nothing is downloaded), written
atomically into the cache directory under the source model's hash and ``REWRITE_VERSION``,
and reused by later processes. Any failure (``onnx`` not installed, a model of another
shape, a corrupt cache file) gives the shipped model back: never worse than before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

REWRITE_VERSION = 3  # bump when the rewrite changes: old cache files are then ignored
OPSET = 14  # HardSwish
_log = logging.getLogger("gongkai.ocr")


def cache_dir() -> Path:
    """``$GONGKAI_CACHE_DIR``, else ``$XDG_CACHE_HOME/gongkai``, else ``~/.cache/gongkai``."""
    if d := os.environ.get("GONGKAI_CACHE_DIR"):
        return Path(d)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gongkai"


def fast_model(src: str | Path, cache: Path | None = None) -> Path:
    """The cached rewrite of model ``src`` (made now if missing), or ``src`` itself where it
    cannot be made or loaded."""
    src = Path(src)
    try:
        digest = hashlib.sha256(src.read_bytes()).hexdigest()[:16]
        out = (cache or cache_dir()) / "models" / f"{src.stem}.{digest}.r{REWRITE_VERSION}.onnx"
        if out.exists():
            if _loads(out):
                return out
            _log.warning("OCR model cache %s is unreadable; rebuilding it", out)
        data = rewrite(src.read_bytes())
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=out.name, suffix=".tmp")
        try:
            os.chmod(tmp, 0o644)  # a cache others may read
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            if not _loads(Path(tmp)):
                raise ValueError("rewritten model does not load")
            os.replace(tmp, out)  # atomic: a reader sees the old file or the whole new one
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return out
    except Exception as e:  # any failure keeps the shipped model
        _log.info("OCR model rewrite skipped for %s (%s: %s)", src.name, type(e).__name__, e)
        return src


def _loads(path: Path) -> bool:
    try:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.log_severity_level = 4
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        return True
    except Exception:  # a truncated or foreign file
        return False


def rewrite(model: bytes) -> bytes:
    """The serialised model with its affine blocks folded and hardswish as one operator."""
    import onnx
    from onnx import version_converter

    m = onnx.load_from_string(model)
    if m.opset_import and min(o.version for o in m.opset_import if o.domain in ("", "ai.onnx")) < OPSET:
        m = version_converter.convert_version(m, OPSET)
    g = m.graph
    for i, n in enumerate(g.node):  # the passes drop nodes by name
        n.name = n.name or f"_node{i}"
    if len({n.name for n in g.node}) != len(g.node):
        raise ValueError("node names are not unique")
    _constants_to_initializers(g)
    _fold_affine(g)
    _hardswish(g)
    _fold_affine_forward(g)
    _affine_as_conv(g)
    used = {i for n in g.node for i in n.input}
    kept = [t for t in g.initializer if t.name in used]
    del g.initializer[:]
    g.initializer.extend(kept)
    onnx.checker.check_model(m)
    return m.SerializeToString()


class _Graph:
    """Look-ups over a graph: initializer values and each tensor's single consumer."""

    def __init__(self, g: Any) -> None:
        from onnx import numpy_helper

        self.values = {t.name: numpy_helper.to_array(t) for t in g.initializer}
        self.consumers: dict[str, list[Any]] = {}
        self.producers = {o: n for n in g.node for o in n.output}
        for n in g.node:
            for i in n.input:
                self.consumers.setdefault(i, []).append(n)
        self.outputs = {o.name for o in g.output}

    def only(self, name: str, op: str) -> Any:
        c = self.consumers.get(name, [])
        return c[0] if len(c) == 1 and name not in self.outputs and c[0].op_type == op else None

    def affine(self, mul: Any) -> tuple[str, float, Any, float] | None:
        """The affine block ``x -> Mul(s) [-> Add(b)]`` that starts at node ``mul``, both
        constants scalars: ``(x, s, the Add or None, b or 0.0)``; None if it is none."""
        if mul.op_type != "Mul" or len(mul.input) != 2:
            return None
        x = next((i for i in mul.input if i not in self.values), None)
        s = self.scalar(mul, x) if x is not None else None
        if x is None or s is None:
            return None
        add = self.only(mul.output[0], "Add")
        b = self.scalar(add, mul.output[0])
        return (x, s, add, b) if b is not None else (x, s, None, 0.0)

    def scalar(self, node: Any, other: str) -> float | None:
        """The scalar constant ``node`` (two inputs) combines ``other`` with."""
        if node is None or len(node.input) != 2 or other not in node.input:
            return None
        const = node.input[1] if node.input[0] == other else node.input[0]
        v = self.values.get(const)
        return float(v.reshape(())) if v is not None and v.size == 1 else None


def _constants_to_initializers(g: Any) -> None:
    keep = []
    for n in g.node:
        if n.op_type == "Constant" and len(n.attribute) == 1 and n.attribute[0].name == "value":
            t = n.attribute[0].t
            t.name = n.output[0]
            g.initializer.append(t)
        else:
            keep.append(n)
    del g.node[:]
    g.node.extend(keep)


def _fold_affine(g: Any) -> int:
    """``Conv -> Mul(s) [-> Add(b)]`` becomes one Conv with weights ``W*s``, bias ``B*s+b``."""
    import numpy as np
    from onnx import numpy_helper

    look = _Graph(g)
    drop: set[str] = set()
    for n in g.node:
        if n.op_type != "Conv" or n.input[1] not in look.values:
            continue
        mul = look.only(n.output[0], "Mul")
        s = look.scalar(mul, n.output[0])
        if s is None:
            continue
        add = look.only(mul.output[0], "Add")
        b = look.scalar(add, mul.output[0])
        if b is None:
            add, b = None, 0.0
        w = look.values[n.input[1]]
        bias = look.values.get(n.input[2]) if len(n.input) > 2 else np.zeros(w.shape[0], np.float32)
        if bias is None:
            continue
        wn, bn = f"{n.name}_w_affine", f"{n.name}_b_affine"
        g.initializer.append(numpy_helper.from_array((w * s).astype(np.float32), wn))
        g.initializer.append(numpy_helper.from_array((bias * s + b).astype(np.float32), bn))
        x = n.input[0]
        del n.input[:]
        n.input.extend([x, wn, bn])
        n.output[0] = (add or mul).output[0]
        drop.update(k.name for k in (mul, add) if k is not None)
    kept = [n for n in g.node if n.name not in drop]
    del g.node[:]
    g.node.extend(kept)
    return len(drop)


def _fold_affine_forward(g: Any) -> int:
    """``x -> Mul(s) [-> Add(b)] -> Conv``s without padding become those Convs on ``x``, with
    weights ``W*s`` and bias ``B + b*sum(W)`` (each output sums its inputs' shift ``b``)."""
    import numpy as np
    from onnx import numpy_helper

    look = _Graph(g)
    drop: set[str] = set()
    for mul in list(g.node):
        block = look.affine(mul)
        if block is None or block[1] == 0.0:
            continue
        x, s, add, b = block
        last = (add or mul).output[0]
        convs = look.consumers.get(last, [])
        if not convs or last in look.outputs or (add is not None and len(look.consumers.get(mul.output[0], [])) != 1):
            continue
        if not all(_unpadded_conv(c, look) for c in convs):
            continue
        for c in convs:
            w = look.values[c.input[1]]
            bias = look.values[c.input[2]] if len(c.input) > 2 else np.zeros(w.shape[0], np.float32)
            shift = b * w.reshape(w.shape[0], -1).astype(np.float64).sum(axis=1)
            wn, bn = f"{c.name}_w_in_affine", f"{c.name}_b_in_affine"
            g.initializer.append(numpy_helper.from_array((w * s).astype(np.float32), wn))
            g.initializer.append(numpy_helper.from_array((bias + shift).astype(np.float32), bn))
            del c.input[:]
            c.input.extend([x, wn, bn])
        drop.update(k.name for k in (mul, add) if k is not None)
    kept = [n for n in g.node if n.name not in drop]
    del g.node[:]
    g.node.extend(kept)
    return len(drop)


def _affine_as_conv(g: Any) -> int:
    """The affine blocks left (``x -> Mul(s) [-> Add(b)]`` on a convolution's output, the
    ones before a padded convolution) become a 1x1 depthwise ``Conv`` (weights ``s``, bias
    ``b``): the same arithmetic, but in an operator ONNX Runtime runs in its blocked
    layout, where ``Mul`` and ``Add`` of a scalar made it convert the tensor out of that
    layout and back around them."""
    import numpy as np
    from onnx import helper, numpy_helper

    look = _Graph(g)
    made: dict[str, Any] = {}
    drop: set[str] = set()
    for mul in g.node:
        block = look.affine(mul)
        channels = _channels(block[0], look) if block is not None else None
        if block is None or channels is None:
            continue
        x, s, add, b = block
        wn, bn = f"{mul.name}_affine_w", f"{mul.name}_affine_b"
        g.initializer.append(numpy_helper.from_array(np.full((channels, 1, 1, 1), s, np.float32), wn))
        g.initializer.append(numpy_helper.from_array(np.full(channels, b, np.float32), bn))
        made[mul.name] = helper.make_node(
            "Conv", [x, wn, bn], [(add or mul).output[0]], name=f"{mul.name}_affine", group=channels, kernel_shape=[1, 1]
        )
        if add is not None:
            drop.add(add.name)
    kept = [made.get(n.name, n) for n in g.node if n.name not in drop]
    del g.node[:]
    g.node.extend(kept)
    return len(made)


def _channels(name: str, look: _Graph) -> int | None:
    """The channels of 4-d tensor ``name``: the output channels of the convolution it
    comes from, through activations."""
    node = look.producers.get(name)
    while node is not None and node.op_type in ("HardSwish", "Relu") and node.input:
        node = look.producers.get(node.input[0])
    if node is None or node.op_type != "Conv" or node.input[1] not in look.values:
        return None
    w = look.values[node.input[1]]
    return int(w.shape[0]) if w.ndim == 4 else None


def _unpadded_conv(node: Any, look: _Graph) -> bool:
    """A Conv with constant weights (and bias) that reads no padding."""
    from onnx import helper

    if node.op_type != "Conv" or node.input[1] not in look.values:
        return False
    if len(node.input) > 2 and node.input[2] not in look.values:
        return False
    attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    auto = attrs.get("auto_pad", b"NOTSET")
    return auto in (b"NOTSET", b"VALID") and not any(attrs.get("pads", [])) and look.values[node.input[1]].ndim == 4


def _hardswish(g: Any) -> int:
    """``Div(Mul(x, Clip(Add(x, 3), 0, 6)), 6)`` becomes ``HardSwish(x)``."""
    from onnx import helper

    look = _Graph(g)
    drop: set[str] = set()
    new: dict[str, Any] = {}
    for n in g.node:
        if n.op_type != "Add" or len(n.input) != 2:
            continue
        for x in n.input:
            if look.scalar(n, x) == 3.0 and x not in look.values:
                break
        else:
            continue
        clip = look.only(n.output[0], "Clip")
        if clip is None or len(clip.input) != 3 or [look.values.get(i) for i in clip.input[1:]] == [None, None]:
            continue
        lo, hi = (look.values.get(i) for i in clip.input[1:])
        if lo is None or hi is None or float(lo) != 0.0 or float(hi) != 6.0:
            continue
        mul = look.only(clip.output[0], "Mul")
        if mul is None or set(mul.input) != {x, clip.output[0]}:
            continue
        div = look.only(mul.output[0], "Div")
        if div is None or div.input[0] != mul.output[0] or look.scalar(div, mul.output[0]) != 6.0:
            continue
        drop.update((n.name, clip.name, mul.name))
        new[div.name] = helper.make_node("HardSwish", [x], [div.output[0]], name=f"{div.name}_hardswish")
    kept = [new.get(n.name, n) for n in g.node if n.name not in drop]
    del g.node[:]
    g.node.extend(kept)
    return len(new)
