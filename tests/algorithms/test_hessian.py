"""gs.hessian and gs.hvp: second derivatives from the traced backward pass, checked against
HIPS autograd and central differences of gs.grad, op by op and on random expressions."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad as autograd_grad
from autograd import hessian as autograd_hessian
from support import assert_close

import graphstep as gs
from graphstep.build.trace import apply
from graphstep.ops.table import OPS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "fuzz"))

import differential  # noqa: E402

#: Every elementwise op of the table: its autograd twin and a point away from kinks.
UNARY = {
    "neg": (anp.negative, 0.7), "exp": (anp.exp, 0.7), "log": (anp.log, 0.7),
    "log1p": (anp.log1p, 0.7), "sin": (anp.sin, 0.7), "cos": (anp.cos, 0.7),
    "tan": (anp.tan, 0.7), "tanh": (anp.tanh, 0.7),
    "sigmoid": (lambda a: 1 / (1 + anp.exp(-a)), 0.7), "relu": (lambda a: anp.where(a > 0, a, 0.0), 0.7),
    "sqrt": (anp.sqrt, 0.7), "abs": (anp.abs, -0.7), "square": (anp.square, 0.7),
}
BINARY = {
    "add": anp.add, "sub": anp.subtract, "mul": anp.multiply, "div": anp.divide,
    "pow": anp.power, "maximum": anp.maximum, "minimum": anp.minimum,
}


pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


def test_the_lists_cover_every_elementwise_op_of_the_table():
    elementwise = {name for name, op in OPS.items() if op.elementwise}
    assert elementwise == set(UNARY) | set(BINARY)


def _grad_differences(build, values, eps=1e-5):
    """Central differences of gs.grad, the expression rebuilt at moved points."""
    names = list(values)
    rows = []
    for a in names:
        plus = gs.grad(build(**dict(values, **{a: values[a] + eps})))
        minus = gs.grad(build(**dict(values, **{a: values[a] - eps})))
        rows.append([(plus[b] - minus[b]) / (2 * eps) for b in names])
    return np.array(rows)


def _unary_builder(op):
    def build(x):
        return gs.graph(apply(op, gs.var("x", x)))
    return build


def _binary_builder(op):
    def build(x, y):
        return gs.graph(apply(op, gs.var("x", x), gs.var("y", y)))
    return build


def _four_ways(build, values, reference):
    g = build(**values)
    names = g.inputs
    auto = np.atleast_2d(autograd_hessian(reference)(np.array(list(values.values()), dtype=float)))
    H = gs.hessian(g)                                        # 1. Jacobian of the backward graph
    rr = np.array([[_grad_of_grad(g, a, b) for b in names] for a in names])  # 2. reverse over reverse
    fr = np.array([[gs.hvp(g, a, 1.0)] for a in names])       # 3. forward over reverse (diagonal)
    fd = _grad_differences(build, values)                    # 4. differences of gs.grad
    assert_close(H, auto, 1e-10, 1e-12)
    assert_close(rr, auto, 1e-10, 1e-12)
    assert_close(fr.ravel(), np.diag(auto), 1e-10, 1e-12)
    assert_close(fd, auto, 1e-5, 1e-6)


def _grad_of_grad(g, a, b):
    backward = gs.backward_graph(g, a)
    return gs.grad(backward, b) if b in backward.inputs else 0.0


@pytest.mark.parametrize("op", sorted(UNARY))
def test_second_derivative_of_every_unary_op_four_ways(op):
    fn, x = UNARY[op]
    _four_ways(_unary_builder(op), {"x": x}, lambda p: fn(p[0]))


@pytest.mark.parametrize("op", sorted(BINARY))
def test_second_derivatives_of_every_binary_op_four_ways(op):
    fn = BINARY[op]
    _four_ways(_binary_builder(op), {"x": 1.3, "y": 0.7}, lambda p: fn(p[0], p[1]))


def test_the_two_input_example_of_the_docs():
    g = gs.parse("x^2 * y + sin(x * y)", x=0.8, y=-0.4)
    x, y = 0.8, -0.4
    s, c = np.sin(x * y), np.cos(x * y)
    expected = [[2 * y - y * y * s, 2 * x + c - x * y * s],
                [2 * x + c - x * y * s, -x * x * s]]
    assert_close(gs.hessian(g), expected, 1e-12)
    assert_close(gs.hessian(g, ["y", "x"]), np.array(expected)[::-1, ::-1], 1e-12)
    assert_close(gs.hessian(g, "x"), [[expected[0][0]]], 1e-12)


def _tanh_network(seed=0):
    rng = np.random.default_rng(seed)
    values = dict(X=rng.normal(size=(4, 3)), W1=rng.normal(size=(5, 3)) * 0.5,
                  b1=rng.normal(size=5) * 0.1, W2=rng.normal(size=(2, 5)) * 0.5,
                  Y=rng.normal(size=(4, 2)))
    g = gs.parse("mean((tanh(tanh(X @ W1.T + b1) @ W2.T) - Y)^2)", **values)

    def loss(W1, W2=values["W2"], b1=values["b1"]):
        h = anp.tanh(values["X"] @ W1.T + b1)
        return anp.mean((anp.tanh(h @ W2.T) - values["Y"]) ** 2)

    return g, values, loss


def test_tanh_network_hvp_matches_autograd_both_ways():
    g, values, loss = _tanh_network()
    v = np.random.default_rng(1).normal(size=values["W1"].shape)
    expected = autograd_grad(lambda W: anp.sum(autograd_grad(loss)(W) * v))(values["W1"])
    for method in ("forward-over-reverse", "reverse-over-reverse"):
        got = gs.hvp(g, "W1", v, method=method)
        assert got.shape == (5, 3)
        assert_close(got, expected, 1e-9, 1e-12)
    H = gs.hessian(g, "W1")
    assert H.shape == (15, 15)
    assert_close(H, autograd_hessian(loss)(values["W1"]).reshape(15, 15), 1e-9, 1e-12)
    assert_close(H @ v.ravel(), expected.ravel(), 1e-9, 1e-12)
    assert_close(H, H.T, 1e-12, 1e-14)


def test_mixed_blocks_of_the_network_hessian():
    g, values, _ = _tanh_network()

    def loss(b1, W2):
        h = anp.tanh(values["X"] @ values["W1"].T + b1)
        return anp.mean((anp.tanh(h @ W2.T) - values["Y"]) ** 2)

    H = gs.hessian(g, ["b1", "W2"])
    assert H.shape == (15, 15)
    flat = lambda p: loss(p[:5], p[5:].reshape(2, 5))  # noqa: E731
    point = np.concatenate([values["b1"], values["W2"].ravel()])
    assert_close(H, autograd_hessian(flat)(point), 1e-9, 1e-12)


def test_size_guard_and_errors():
    big = gs.parse("sum(v^2)", v=np.ones(2001))
    with pytest.raises(gs.SizeLimitError, match="2001x2001"):
        gs.hessian(big)
    assert_close(gs.hvp(big, "v", np.ones(2001)), 2 * np.ones(2001))  # hvp needs no matrix
    with pytest.raises(gs.ShapeError, match="scalar output"):
        gs.hessian(gs.parse("v * 2", v=np.ones(2)))
    with pytest.raises(gs.ShapeError, match="shape"):
        gs.hvp(big, "v", np.ones(3))
    with pytest.raises(gs.InputError, match="no input named"):
        gs.hessian(big, "w")
    with pytest.raises(gs.InputError, match="unknown method"):
        gs.hvp(big, "v", np.ones(2001), method="sideways")


def test_an_input_the_gradient_does_not_depend_on_has_zero_blocks():
    g = gs.parse("3*x + y^2", x=1.0, y=2.0)
    assert_close(gs.hessian(g), [[0.0, 0.0], [0.0, 2.0]])
    assert gs.hvp(g, "x", 1.0) == 0.0


def _smooth_cases(scalar, tensor, seed):
    for tree, values, total in differential.cases(scalar, tensor, seed):
        names = sorted(n for n in values if n in differential.leaves(tree))
        if not names or differential.at_kink(tree, values):
            continue
        source = f"sum({differential.text(tree)})" if total else differential.text(tree)
        kept = {n: values[n] for n in names}
        try:
            g = gs.parse(source, **kept)
        except gs.GraphstepError:
            continue
        if not np.all(np.isfinite(g.value)) or g.inputs != names and set(g.inputs) != set(names):
            continue
        yield tree, kept, total, g


def test_random_expressions_hessians_match_autograd():
    compared = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for tree, values, total, g in _smooth_cases(150, 60, seed=21):
            for name in g.inputs:
                point = np.asarray(values[name], dtype=float)

                def f(x, name=name, tree=tree, values=values, total=total):
                    out = differential.evaluate(tree, dict(values, **{name: x}))
                    return anp.sum(out) if total else out

                auto = np.asarray(autograd_hessian(f)(point), dtype=float).reshape(point.size, point.size)
                if not np.all(np.isfinite(auto)):
                    continue
                got = gs.hessian(g, name)
                if not np.all(np.isfinite(got)):
                    continue  # a singular point of a rule (sqrt at 0): autograd has its own
                np.testing.assert_allclose(got, auto, rtol=1e-7, atol=1e-9, err_msg=g.expr(g.output))
                compared += 1
    assert compared >= 100
