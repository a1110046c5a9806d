"""A fixed sample of the JAX differential tester (fuzz/jax_differential.py): 500 random JAX
functions, graphstep's reverse, path-sum and forward-mode gradients equal to jax.grad."""

import io
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("jax")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "fuzz"))

import jax_differential  # noqa: E402


def test_five_hundred_random_jax_functions_match_jax_grad():
    out = io.StringIO()
    counts = jax_differential.run(500, seed=14, out=out, max_depth=2)
    assert counts["mismatched"] == 0, out.getvalue()
    assert counts["agreed"] >= 480, out.getvalue()  # compared, not skipped


def test_the_sample_uses_every_kind_of_node():
    """The graphs of a smaller sample hold every op the tester means to exercise."""
    import graphstep as gs

    rng = np.random.default_rng(14)
    ops = set()
    for _ in range(400):
        f = jax_differential.random_function(rng, 2)
        g = gs.from_jax(f, rng.normal(size=3), 0.3, rng.normal(size=(2, 3)), argnames=["x", "s", "A"])
        ops |= {g.op(n) for n in range(len(g))}
        ops |= {g.params(n).get("title") for n in range(len(g)) if g.op(n) == "composite"}
    expected = {"exp", "log", "log1p", "sqrt", "pow", "sin", "cos", "tan", "tanh", "sigmoid",
                "abs", "square", "neg", "relu", "add", "sub", "mul", "div", "maximum", "minimum",
                "matmul", "transpose", "reshape", "sum", "amax", "amin", "broadcast", "where",
                "stop_gradient"}
    assert expected <= ops, expected - ops
