"""The rewritten OCR models: made once into the cache and reused, the same function as the
shipped model, and the shipped model back whenever the rewrite cannot be had."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from gongkai.read import ocr_models

HAS = all(importlib.util.find_spec(m) is not None for m in ("onnx", "onnxruntime", "rapidocr_onnxruntime", "numpy"))
pytestmark = pytest.mark.skipif(not HAS, reason="needs onnx, onnxruntime and rapidocr-onnxruntime")


def _models() -> Path:
    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "models"


def _run(path: Path, x: object) -> object:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    s = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    return s.run(None, {s.get_inputs()[0].name: x})[0]


def test_rewrite_is_built_once_and_reused(tmp_path: Path) -> None:
    src = _models() / "ch_PP-OCRv4_det_infer.onnx"
    out = ocr_models.fast_model(src, tmp_path)
    assert out != src and out.parent == tmp_path / "models" and out.exists()
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left
    stamp = out.stat().st_mtime_ns
    assert ocr_models.fast_model(src, tmp_path) == out and out.stat().st_mtime_ns == stamp


def test_rewrite_fuses_and_computes_the_same(tmp_path: Path) -> None:
    import numpy as np
    import onnx

    src = _models() / "ch_PP-OCRv4_rec_infer.onnx"
    out = ocr_models.fast_model(src, tmp_path)
    ops = [n.op_type for n in onnx.load(str(out)).graph.node]
    assert ops.count("HardSwish") > 20 and "Clip" not in ops and "Constant" not in ops
    assert (
        ops.count("Mul") < [n.op_type for n in onnx.load(str(src)).graph.node].count("Mul") - 50
    )  # affine blocks folded or made convolutions
    assert onnx.load(str(out)).metadata_props == onnx.load(str(src)).metadata_props  # the character list
    x = np.random.default_rng(0).uniform(-1, 1, (1, 3, 48, 160)).astype(np.float32)
    a, b = _run(src, x), _run(out, x)
    assert np.abs(a - b).max() < 1e-3 and (a.argmax(-1) == b.argmax(-1)).all()  # type: ignore[union-attr]


def test_corrupt_cache_file_is_rebuilt(tmp_path: Path) -> None:
    src = _models() / "ch_PP-OCRv4_det_infer.onnx"
    out = ocr_models.fast_model(src, tmp_path)
    out.write_bytes(b"not a model")
    assert ocr_models.fast_model(src, tmp_path) == out
    assert out.stat().st_size > 1_000_000


def test_shipped_model_when_the_rewrite_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _models() / "ch_PP-OCRv4_det_infer.onnx"

    def broken(_: bytes) -> bytes:
        raise ValueError("an unexpected graph")

    monkeypatch.setattr(ocr_models, "rewrite", broken)
    assert ocr_models.fast_model(src, tmp_path) == src
    assert not list((tmp_path / "models").glob("*.onnx"))
    bogus = tmp_path / "bogus.onnx"
    bogus.write_bytes(b"\x00" * 10)
    assert ocr_models.fast_model(bogus, tmp_path) == bogus  # not a model at all
    assert ocr_models.fast_model(tmp_path / "missing.onnx", tmp_path) == tmp_path / "missing.onnx"


def test_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "c"))
    assert ocr_models.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("GONGKAI_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert ocr_models.cache_dir() == tmp_path / "x" / "gongkai"
    assert os.fspath(ocr_models.cache_dir()).endswith("gongkai")


def _affine_then(conv_pads: list[int]) -> bytes:
    """x -> HardSwish -> Mul(0.7) -> Add(0.3) -> Conv (3x3 weights, ``conv_pads``)."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    w = np.random.default_rng(1).normal(size=(4, 3, 3, 3)).astype(np.float32)
    inits = [
        numpy_helper.from_array(np.array(0.7, np.float32), "s"),
        numpy_helper.from_array(np.array(0.3, np.float32), "b"),
        numpy_helper.from_array(w, "w"),
        numpy_helper.from_array(np.arange(4, dtype=np.float32), "bias"),
    ]
    nodes = [
        helper.make_node("HardSwish", ["x"], ["h"], name="hs"),
        helper.make_node("Mul", ["h", "s"], ["m"], name="mul"),
        helper.make_node("Add", ["m", "b"], ["a"], name="add"),
        helper.make_node("Conv", ["a", "w", "bias"], ["y"], name="conv", pads=conv_pads),
    ]
    g = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, None, None])],
        inits,
    )
    return onnx.helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)]).SerializeToString()


@pytest.mark.parametrize("pads,folded", [([0, 0, 0, 0], True), ([1, 1, 1, 1], False)])
def test_affine_before_a_convolution_is_folded_only_without_padding(tmp_path: Path, pads: list[int], folded: bool) -> None:
    import numpy as np
    import onnx

    src, out = tmp_path / "a.onnx", tmp_path / "b.onnx"
    src.write_bytes(_affine_then(pads))
    out.write_bytes(ocr_models.rewrite(src.read_bytes()))
    ops = [n.op_type for n in onnx.load(str(out)).graph.node]
    assert ops == (["HardSwish", "Conv"] if folded else ["HardSwish", "Mul", "Add", "Conv"])
    x = np.random.default_rng(2).uniform(-4, 4, (1, 3, 8, 8)).astype(np.float32)
    assert np.abs(_run(src, x) - _run(out, x)).max() < 1e-4  # type: ignore[operator]


def test_affine_before_a_padded_convolution_becomes_a_depthwise_one(tmp_path: Path) -> None:
    """Conv -> HardSwish -> Mul(0.7) -> Add(0.3) -> padded Conv: the affine block cannot be
    folded (the padding would see the shift), so it becomes a 1x1 depthwise Conv that
    computes the same."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(3)
    inits = [
        numpy_helper.from_array(rng.normal(size=(5, 3, 1, 1)).astype(np.float32), "w0"),
        numpy_helper.from_array(np.array(0.7, np.float32), "s"),
        numpy_helper.from_array(np.array(0.3, np.float32), "b"),
        numpy_helper.from_array(rng.normal(size=(5, 1, 3, 3)).astype(np.float32), "w1"),
    ]
    nodes = [
        helper.make_node("Conv", ["x", "w0"], ["c"], name="pointwise"),
        helper.make_node("HardSwish", ["c"], ["h"], name="hs"),
        helper.make_node("Mul", ["s", "h"], ["m"], name="mul"),
        helper.make_node("Add", ["m", "b"], ["a"], name="add"),
        helper.make_node("Conv", ["a", "w1"], ["y"], name="depthwise", pads=[1, 1, 1, 1], group=5),
    ]
    g = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, None, None])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 5, None, None])],
        inits,
    )
    src, out = tmp_path / "a.onnx", tmp_path / "b.onnx"
    src.write_bytes(helper.make_model(g, opset_imports=[helper.make_opsetid("", 14)]).SerializeToString())
    out.write_bytes(ocr_models.rewrite(src.read_bytes()))
    nodes_out = onnx.load(str(out)).graph.node
    assert [n.op_type for n in nodes_out] == ["Conv", "HardSwish", "Conv", "Conv"]
    assert {a.name: helper.get_attribute_value(a) for a in nodes_out[2].attribute}["group"] == 5
    x = rng.uniform(-4, 4, (1, 3, 7, 9)).astype(np.float32)
    assert np.abs(_run(src, x) - _run(out, x)).max() < 1e-5  # type: ignore[operator]


def test_a_scalar_product_of_no_convolution_is_left_alone(tmp_path: Path) -> None:
    """Without a convolution to tell the channels, Mul and Add stay as they are."""
    import onnx

    src = tmp_path / "a.onnx"
    src.write_bytes(_affine_then([1, 1, 1, 1]))
    ops = [n.op_type for n in onnx.load_from_string(ocr_models.rewrite(src.read_bytes())).graph.node]
    assert ops == ["HardSwish", "Mul", "Add", "Conv"]
