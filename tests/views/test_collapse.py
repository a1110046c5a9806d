"""Collapse is the chain rule grouped: over the collapsed graph, the path sum, reverse
accumulation and forward mode give the original graph's gradient, for random graphs and
random choices of blocks (scalar and tensor), and the block edges carry the closed-form
total derivatives."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import assert_close

import graphstep as gs
from graphstep.build.trace import const
from graphstep.ops.composite import COMPOSITE
from graphstep.ops.jacobians import to_dense
from graphstep.views.collapse import collapse, collapse_keys

BLOCKS = ["a", "b", "a.inner", "c"]

UNARY = {"sin": gs.sin, "tanh": gs.tanh, "sq": lambda v: v * v, "exp": lambda v: gs.exp(0.3 * v)}
BINARY = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b, "sub": lambda a, b: a - 2.0 * b}


def _program(draw, n_inputs, n_ops):
    """A random program: each step an op on earlier values, traced in a random block."""
    steps = []
    for i in range(n_ops):
        block = draw(st.sampled_from([None] + BLOCKS))
        if draw(st.booleans()):
            op = draw(st.sampled_from(sorted(UNARY)))
            args = (draw(st.integers(0, n_inputs + i - 1)),)
        else:
            op = draw(st.sampled_from(sorted(BINARY)))
            args = (draw(st.integers(0, n_inputs + i - 1)), draw(st.integers(0, n_inputs + i - 1)))
        steps.append((block, op, args))
    return steps


def _trace(steps, leaves):
    values = list(leaves)
    for block, op, args in steps:
        fn = UNARY.get(op) or BINARY[op]
        if block is None:
            values.append(fn(*(values[a] for a in args)))
        else:
            with gs.block(block):
                values.append(fn(*(values[a] for a in args)))
    total = values[len(leaves)]
    for v in values[len(leaves) + 1:]:
        total = total + v  # every value reaches the output
    return total


@st.composite
def scalar_case(draw):
    n_inputs = draw(st.integers(1, 3))
    steps = _program(draw, n_inputs, draw(st.integers(1, 9)))
    values = [draw(st.floats(-1.5, 1.5)) for _ in range(n_inputs)]
    choice = draw(st.sampled_from(["blocks", 2, ["a"], ["b", "c"], ["a.inner"], "expand"]))
    return steps, values, choice


def _choose(g, choice):
    names = gs.views.blocks.block_names(g.scope(n) for n in range(len(g)))
    if choice == "expand":
        return collapse(g, "blocks", expand=[n for n in names if "." not in n][:1])
    if isinstance(choice, list):
        choice = [c for c in choice if c in names]
        if not choice:
            return collapse(g, "blocks") if names else None
    if not names:
        return None
    return collapse(g, choice)


def _check_same_gradient(g, v):
    original = gs.grad(g)
    for name in g.inputs:
        assert_close(gs.grad(v, name), original[name], 1e-9, 1e-12)
        assert_close(gs.path_sum(v, name), original[name], 1e-9, 1e-12)
        assert_close(gs.forward_grad(v, name), original[name], 1e-9, 1e-12)


@settings(max_examples=60)
@given(scalar_case())
def test_collapsed_scalar_graph_has_the_original_gradient(case):
    steps, values, choice = case
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = gs.graph(_trace(steps, [gs.var(f"x{i}", x) for i, x in enumerate(values)]))
        v = _choose(g, choice)
        if v is None:
            return
        assert v.inputs == g.inputs
        assert_close(v.value, g.value, 1e-12, 1e-12)
        _check_same_gradient(g, v)


@st.composite
def tensor_case(draw):
    steps = []
    for i in range(draw(st.integers(1, 6))):
        block = draw(st.sampled_from([None] + BLOCKS))
        op = draw(st.sampled_from(["tanh", "matmul", "mul", "add"]))
        args = (draw(st.integers(0, 2 + i)), draw(st.integers(0, 2 + i)))
        steps.append((block, op, args))
    choice = draw(st.sampled_from(["blocks", 2, ["a"], ["b", "c"]]))
    seed = draw(st.integers(0, 1000))
    return steps, choice, seed


@settings(max_examples=40)
@given(tensor_case())
def test_collapsed_tensor_graph_has_the_original_gradient(case):
    steps, choice, seed = case
    rng = np.random.default_rng(seed)
    values = [gs.var("v", rng.normal(size=3)), gs.var("M", rng.normal(size=(3, 3)) / 2),
              gs.var("w", rng.normal(size=3))]
    ops = {"tanh": lambda a, b: gs.tanh(a), "matmul": lambda a, b: a @ b,
           "mul": lambda a, b: a * b, "add": lambda a, b: a + b}
    for block, op, (i, j) in steps:
        a, b = values[i], values[j]
        if op == "matmul":  # a 3x3 matrix times whatever is a vector
            a, b = values[1], (b if b.shape == (3,) else values[0])
        elif a.shape != b.shape:
            a, b = a, a
        if block is None:
            values.append(ops[op](a, b))
        else:
            with gs.block(block):
                values.append(ops[op](a, b))
    out = gs.sum(values[-1] * values[-1]) + gs.sum(values[0])
    g = gs.graph(out)
    v = _choose(g, choice)
    if v is None:
        return
    _check_same_gradient(g, v)


def test_a_block_edge_carries_the_path_sum_inside_the_block():
    # y = exp(x) * sin(x) inside f: df/dx = exp(x) (sin(x) + cos(x)) over 2 paths
    x = gs.var("x", 0.7)
    with gs.block("f"):
        y = gs.exp(x) * gs.sin(x)
    v = collapse(gs.graph(3 * y))
    f = v.labels.index("f")
    assert v.op(f) == COMPOSITE
    assert v.local(f, 0) == pytest.approx(math.exp(0.7) * (math.sin(0.7) + math.cos(0.7)))
    assert v.edge_formula(f, 0) == "Σ 2 paths in f"
    assert gs.grad(v, "x") == pytest.approx(3 * math.exp(0.7) * (math.sin(0.7) + math.cos(0.7)))


def test_a_block_used_through_two_values_is_one_node_holding_both():
    x, y = gs.var("x", 0.5), gs.var("y", 2.0)
    with gs.block("pair"):
        p, q = x * y, gs.sin(x)
    g = gs.graph(p * q + q)
    v = collapse(g, "pair")
    pair = v.labels.index("pair")
    assert_close(v.value_of(pair), [1.0, math.sin(0.5)])
    # its Jacobian w.r.t. x: the column (y, cos x)
    assert_close(to_dense(v.local(pair, 0)), [[2.0], [math.cos(0.5)]])
    # the nodes drawn as themselves read their entry through a pick node labelled like the original
    picks = [n for n in range(len(v)) if v.op(n) == COMPOSITE and v.params(n)["title"] == "pick"]
    assert sorted(v.label(n) for n in picks) == ["u1", "u2"] == [g.label(2), g.label(3)]
    assert [v.value_of(n) for n in sorted(picks)] == [1.0, math.sin(0.5)]
    _check_same_gradient(g, v)
    assert gs.gradcheck(v).ok


def test_a_block_that_leaves_and_reenters_itself_is_drawn_in_parts():
    x = gs.var("x", 0.3)
    with gs.block("a"):
        u = gs.sin(x)
    w = u * 2.0  # outside a
    with gs.block("a"):
        z = gs.tanh(w + u)
    g = gs.graph(z)
    v = collapse(g, "a")
    assert {"a", "a'"} <= set(v.labels)
    _check_same_gradient(g, v)


def test_expand_opens_a_block_one_level():
    x = gs.var("x", 1.2)
    with gs.block("net"):
        with gs.block("l1"):
            h = gs.tanh(2 * x)
        with gs.block("l2"):
            y = gs.sigmoid(h * h)
    g = gs.graph(y)
    assert "net" in collapse(g).labels and len(collapse(g)) == 2
    opened = collapse(g, expand="net")
    assert {"net.l1", "net.l2"} <= set(opened.labels)
    assert "net" in collapse(g, "net").labels
    _check_same_gradient(g, opened)


def test_unknown_block_names_the_blocks():
    x = gs.var("x", 1.0)
    with gs.block("layer1"):
        y = gs.sin(x)
    with pytest.raises(gs.InputError, match="no block named 'layer9'; the blocks are: layer1"):
        collapse(gs.graph(y), "layer9")


def test_a_block_without_active_inputs_becomes_a_folded_constant():
    x = gs.var("x", 1.0)
    with gs.block("c"):
        k = gs.exp(const(2.0)) + 1.0
    g = gs.graph(x * k)
    v = collapse_keys(g, [("c",) if g.scope(n) else None for n in range(len(g))])
    assert gs.grad(v, "x") == pytest.approx(math.exp(2.0) + 1.0)
    assert any(v.params(n).get("folded") for n in range(len(v)))


def test_the_note_names_the_collapsed_blocks():
    x = gs.var("x", 1.0)
    with gs.block("layer1"):
        y = gs.sin(x) * x
    assert collapse(gs.graph(y)).note == "collapsed: layer1 (2 nodes)"


def test_the_output_inside_a_block_used_elsewhere_too():
    x = gs.var("x", 0.9)
    with gs.block("f"):
        a = gs.sin(x)
    b = a * 3.0
    with gs.block("f"):
        out = a * b + gs.exp(a)
    g = gs.graph(out)
    v = collapse(g, "f")
    assert v.value == pytest.approx(g.value)
    _check_same_gradient(g, v)
    assert gs.gradcheck(v).ok


def test_a_whole_graph_in_one_block():
    x, y = gs.var("x", 0.3), gs.var("y", -0.8)
    with gs.block("all"):
        out = gs.tanh(x * y) + x * x
    g = gs.graph(out)
    v = collapse(g)
    assert [v.label(n) for n in range(len(v))] == ["x", "y", "all"]
    assert gs.grad(v, "x") == pytest.approx(y.value * (1 - math.tanh(0.3 * -0.8) ** 2) + 0.6)
    assert gs.count_paths(v, "x") == 1 and gs.count_paths(g, "x") == 3
