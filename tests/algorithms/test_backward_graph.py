"""gs.backward_graph: the traced backward pass is a Graph whose value is the gradient."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from support import assert_close

import graphstep as gs
from graphstep.algorithms.backward_graph import ADJOINT, FORWARD, ROLE, trace_backward
from graphstep.gallery.examples import EXAMPLES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "fuzz"))

import differential  # noqa: E402


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_gallery_example_gives_the_gradient_for_every_input(name):
    example = EXAMPLES[name]
    g = example.graph()
    rng = np.random.default_rng(3)
    seed = None if example.kind == "grad" else rng.normal(size=g.shape_of(g.output))
    for wrt in g.inputs:
        b = gs.backward_graph(g, wrt, seed=seed)
        if seed is None:
            expected = gs.grad(g, wrt)
        else:  # seedᵀ J, at the input's shape
            expected = (np.ravel(seed) @ gs.jacobian(g, wrt)).reshape(g.shape_of(g.node(wrt)))
        assert np.shape(b.value) == g.shape_of(g.node(wrt))
        assert_close(b.value, expected, 1e-10, 1e-12)
        assert b.inputs and set(b.inputs) <= set(g.inputs)


def test_the_slides_example_is_drawn_with_bars_and_reads_forward_values():
    g = gs.parse("x * exp(x^2)", x=1.5)
    b = gs.backward_graph(g, "x")
    assert b.inputs == ["x"] and b.label(b.output) == "x̄"
    # the adjoint of u1 = x² is x·u2 (u2 = exp(u1)); x̄ = u2 + 2·(ū1·x)
    u1bar = b.labels.index("ū1")
    assert b.op(u1bar) == "mul"
    assert sorted(b.label(a) for a in b.args(u1bar)) == ["u2", "x"]
    assert b.op(b.output) == "add"
    assert b.roles[b.labels.index("u2")] == FORWARD and b.roles[b.output] == ADJOINT
    assert b.nx.nodes[b.output][ROLE] == ADJOINT
    x = 1.5
    assert_close(b.value, (1 + 2 * x * x) * np.exp(x * x), 1e-12)
    # differentiating it again: (6x + 4x³)·exp(x²)
    assert_close(gs.grad(b, "x"), (6 * x + 4 * x**3) * np.exp(x * x), 1e-12)
    # it is an ordinary graph: paths and path sums work on it
    assert_close(gs.path_sum(b, "x"), gs.grad(b, "x"), 1e-12)
    assert gs.count_paths(b, "x") == len(gs.paths(b, "x"))


def test_the_reads_are_the_values_each_rule_needs():
    g = gs.parse("sin(x) * y + tanh(x) + exp(y)", x=0.3, y=0.7)
    reads = trace_backward(g).reads
    by_label = {(g.label(h), p): tuple(g.label(n) for n in r) for (h, p), r in reads.items()}
    sin, mul = g.labels.index("u1"), g.labels.index("u2")
    assert by_label[(g.label(mul), 0)] == ("y",)            # d(a·b)/da = b
    assert by_label[(g.label(mul), 1)] == (g.label(sin),)   # d(a·b)/db = a
    assert by_label[(g.label(sin), 0)] == ("x",)            # cos(x) reads x
    tanh = next(n for n in range(len(g)) if g.op(n) == "tanh")
    exp = next(n for n in range(len(g)) if g.op(n) == "exp")
    assert reads[(tanh, 0)] == (tanh,) and reads[(exp, 0)] == (exp,)   # 1 - y², and y
    adds = [n for n in range(len(g)) if g.op(n) == "add"]
    assert all(reads[(n, p)] == () for n in adds for p in (0, 1))      # a sum reads nothing


def test_tensor_rules_trace_matmul_broadcast_reductions_and_softmax():
    rng = np.random.default_rng(0)
    values = dict(W=rng.normal(size=(3, 2)), x=rng.normal(size=2), b=rng.normal(size=3),
                  A=rng.normal(size=(2, 3)))
    g = gs.parse("sum(softmax(W @ x + b) * max(A.T @ x, axis=0)) + mean(reshape(A, (3, 2)) @ x)",
                 **values)
    for wrt in g.inputs:
        assert_close(gs.backward_graph(g, wrt).value, gs.grad(g, wrt), 1e-10, 1e-12)
    b = gs.backward_graph(g, "W")
    ops = {b.op(n) for n in range(len(b)) if b.roles[n] == ADJOINT}
    assert {"matmul", "mul", "reshape", "broadcast"} <= ops


def test_piecewise_factors_are_nodes_with_derivative_zero():
    g = gs.parse("relu(x) * abs(y) + max(x, y)", x=0.5, y=-2.0)
    titles = set()
    for wrt in ("x", "y"):
        b = gs.backward_graph(g, wrt)
        composite = [n for n in range(len(b)) if b.op(n) == "composite"]
        titles |= {b.params(n)["title"] for n in composite}
        for n in composite:
            for pos in range(len(b.args(n))):
                assert b.local(n, pos) == 0.0
        assert_close(b.value, gs.grad(g, wrt))
        assert gs.grad(b, wrt) == 0.0  # piecewise linear in each input
    assert titles == {"indicator", "sign"}


def test_stack_and_amax_rules():
    g = gs.parse("sum([sin(x), x*y, y] * [1, 2, 3]) + max(v) * min(v)", x=0.4, y=1.1,
                 v=np.array([0.5, 2.0, -1.0]))
    for wrt in g.inputs:
        assert_close(gs.backward_graph(g, wrt).value, gs.grad(g, wrt), 1e-12)


def test_an_input_without_a_path_has_gradient_zero_and_errors_are_named():
    g = gs.parse("x * 2 + 0 * y", x=1.0, y=3.0)
    assert gs.backward_graph(g, "x").value == 2.0
    v = gs.var("v", np.ones(2))
    w = gs.var("w", 1.0)
    h = gs.graph(gs.sum(v * 2.0) + w)
    assert gs.backward_graph(h, "w").value == 1.0
    with pytest.raises(gs.InputError, match="name the input"):
        gs.backward_graph(g)
    with pytest.raises(gs.ShapeError, match="seed"):
        gs.backward_graph(gs.parse("v * 2", v=np.ones(2)), "v")
    with pytest.raises(gs.ShapeError, match="seed"):
        gs.backward_graph(gs.parse("v * 2", v=np.ones(2)), "v", seed=np.ones(3))


def test_scalar_gradient_of_an_input_that_is_used_directly():
    g = gs.parse("x * y", x=2.0, y=5.0)
    b = gs.backward_graph(g, "y")   # ȳ = x: the forward value itself
    assert b.value == 2.0 and b.op(b.output) == "input" and b.inputs == ["x"]


def _random_cases(scalar, tensor, seed):
    for tree, values, total in differential.cases(scalar, tensor, seed):
        source = f"sum({differential.text(tree)})" if total else differential.text(tree)
        values = {k: v for k, v in values.items() if k in differential.leaves(tree)}
        if not values:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                g = gs.parse(source, **values)
            except gs.GraphstepError:
                continue
            if not np.all(np.isfinite(g.value)):
                continue
            yield tree, values, g


def _locals_finite(g):
    """Every local derivative finite: where one is not (sqrt at 0), grad's "an exact 0 wins"
    convention may give 0 where the traced ops compute 0/0."""
    for _tail, head, pos in g.edges():
        local = g.local(head, pos)
        dense = local.dense() if isinstance(local, gs.Jacobian) else np.asarray(local)
        if not np.all(np.isfinite(dense)):
            return False
    return True


def test_random_scalar_and_tensor_expressions_value_equals_grad():
    checked = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _, _, g in _random_cases(150, 60, seed=15):
            for wrt in g.inputs:
                expected = gs.grad(g, wrt)
                got = gs.backward_graph(g, wrt).value
                finite = np.isfinite(expected)
                if not _locals_finite(g):
                    continue
                assert np.array_equal(np.isfinite(got), finite), g.expr(g.output)
                np.testing.assert_allclose(np.where(finite, got, 0), np.where(finite, expected, 0),
                                           rtol=1e-9, atol=1e-11, err_msg=g.expr(g.output))
                checked += 1
    assert checked >= 150
