"""A fixed sample of the differential tester (fuzz/differential.py): zero mismatches."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "fuzz"))

import differential  # noqa: E402


def test_two_hundred_scalar_and_fifty_tensor_expressions_agree_five_ways():
    out = io.StringIO()
    counts = differential.run(200, 50, seed=8, out=out)
    assert counts["mismatched"] == 0, out.getvalue()
    assert counts["agreed"] >= 150, out.getvalue()  # most expressions are compared, not skipped
    assert counts["tensor"]["agreed"] >= 35, out.getvalue()


def test_the_tensor_sample_exercises_the_structural_ops():
    texts = differential.sample_texts(200, 50, seed=8)
    assert len(texts) == 250
    tensor = texts[200:]
    for needle in ("@", ".T", "softmax(", "reshape(", "stack([", "mean(", "axis=", "sum("):
        assert any(needle in t for t in tensor), needle
    assert any("max(" in t or "min(" in t for t in tensor)
    assert not any(name in t for t in texts[:200] for name in ("A", "B", "v", "w", "@"))


def test_the_reference_splits_max_ties_evenly_and_reads_max_of_zero_as_relu():
    tie = ("amax", ("leaf", "A"), 1)
    a = np.array([[1.0, 1.0, 0.0], [2.0, -1.0, 0.5]])
    grad = differential.autograd_grad(lambda x: differential.anp.sum(differential.evaluate(tie, {"A": x})))(a)
    assert np.array_equal(grad, [[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    assert differential.check(tie, {"A": a}, total=True) == ("agreed", "")
    relu = ("max", ("const", 0.0), ("leaf", "x"))
    assert differential.check(relu, {"x": 0.0}) == ("agreed", "")
