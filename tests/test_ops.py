"""Every op of the table, checked four ways on scalars: path sum, reverse, forward mode,
central differences, plus the closed-form derivative."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import graphstep as gs
from graphstep.algorithms.gradcheck import central_difference
from graphstep.ops.table import OPS

# (expression in x and y, points, closed-form partial derivatives)
UNARY = {
    "exp": ("exp(x)", lambda x: math.exp(x)),
    "log": ("log(x)", lambda x: 1 / x),
    "log1p": ("log1p(x)", lambda x: 1 / (1 + x)),
    "sin": ("sin(x)", lambda x: math.cos(x)),
    "cos": ("cos(x)", lambda x: -math.sin(x)),
    "tan": ("tan(x)", lambda x: 1 / math.cos(x) ** 2),
    "tanh": ("tanh(x)", lambda x: 1 - math.tanh(x) ** 2),
    "sigmoid": ("sigmoid(x)", lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2),
    "relu": ("relu(x)", lambda x: 1.0 if x > 0 else 0.0),
    "sqrt": ("sqrt(x)", lambda x: 0.5 / math.sqrt(x)),
    "abs": ("abs(x)", lambda x: math.copysign(1.0, x)),
    "square": ("square(x)", lambda x: 2 * x),
    "neg": ("-x", lambda x: -1.0),
}
VALUES = {  # the unary ops themselves, independently of graphstep
    "exp": math.exp, "log": math.log, "log1p": math.log1p, "sin": math.sin, "cos": math.cos, "tan": math.tan,
    "tanh": math.tanh, "sigmoid": lambda x: 1 / (1 + math.exp(-x)), "relu": lambda x: max(x, 0.0),
    "sqrt": math.sqrt, "abs": math.fabs, "square": lambda x: x * x, "neg": lambda x: -x,
}
BINARY = {
    "add": ("x + y", lambda x, y: (1.0, 1.0)),
    "sub": ("x - y", lambda x, y: (1.0, -1.0)),
    "mul": ("x * y", lambda x, y: (y, x)),
    "div": ("x / y", lambda x, y: (1 / y, -x / y**2)),
    "pow": ("x ** y", lambda x, y: (y * x ** (y - 1), x**y * math.log(x))),
    "maximum": ("max(x, y)", lambda x, y: (float(x >= y), float(x < y))),
    "minimum": ("min(x, y)", lambda x, y: (float(x <= y), float(x > y))),
}
POINTS = [0.3, 0.9, 1.7, 2.6]


def four_ways(g, name):
    """Path sum, reverse accumulation, forward mode and central differences for one input."""
    return (
        gs.path_sum(g, name),
        gs.grad(g, name),
        gs.forward_grad(g, name),
        float(central_difference(g, name, (), 1e-6)),
    )


def test_the_tables_here_cover_every_scalar_op():
    scalar_ops = {name for name, op in OPS.items() if op.elementwise}
    assert scalar_ops == set(UNARY) | set(BINARY)
    assert set(VALUES) == set(UNARY)


@pytest.mark.parametrize("name, point", [
    (name, point) for name in sorted(UNARY)
    for point in POINTS + ([] if name in ("log", "sqrt") else [-0.8])])
def test_unary_op_four_ways(name, point):
    expression, derivative = UNARY[name]
    g = gs.parse(expression, x=point)
    assert g.op(g.output) == name
    expected = derivative(point)
    for got in four_ways(g, "x"):
        assert got == pytest.approx(expected, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("x, y", [(0.3, 1.7), (1.7, 0.3), (2.6, 0.9), (0.9, 2.6)])
def test_binary_op_four_ways(name, x, y):
    expression, derivatives = BINARY[name]
    g = gs.parse(expression, x=x, y=y)
    assert g.op(g.output) == name
    for input_name, expected in zip("xy", derivatives(x, y)):
        for got in four_ways(g, input_name):
            assert got == pytest.approx(expected, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_op_composed_with_itself_and_a_product(name):
    """Ops inside a larger graph: two paths from x, chain rule through the op."""
    expression, derivative = UNARY[name]
    inner = expression.replace("(x)", "(0.5*x)") if "(x)" in expression else "(-(0.5*x))"
    g = gs.parse(f"x * {inner}", x=1.3)
    value_inner = VALUES[name](0.65)  # computed with math, not with graphstep
    assert g.value == pytest.approx(1.3 * value_inner, rel=1e-12)
    expected = value_inner + 1.3 * derivative(0.65) * 0.5
    assert gs.count_paths(g, "x") == 2
    for got in four_ways(g, "x"):
        assert got == pytest.approx(expected, rel=1e-6)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.1, 3.0), st.floats(0.1, 3.0))
def test_random_composite_expression_agrees_four_ways(x, y):
    g = gs.parse("tanh(x*y) + exp(-x)/y + sqrt(x + y)^3 - log(1 + x^2)*sin(y)", x=x, y=y)
    for name in ("x", "y"):
        path_sum, reverse, forward, numeric = four_ways(g, name)
        assert path_sum == pytest.approx(reverse, rel=1e-10, abs=1e-12)
        assert forward == pytest.approx(reverse, rel=1e-10, abs=1e-12)
        assert numeric == pytest.approx(reverse, rel=1e-5, abs=1e-7)


def test_relu_at_zero_and_max_ties_follow_the_documented_convention():
    # d/dz max(0, z) is 0 at z = 0 (seed 004: "when z <= 0 the derivative is 0")
    assert gs.grad(gs.parse("max(0, z)", z=0.0), "z") == 0.0
    # a tie in max(a, b) is split evenly, as HIPS autograd, JAX and PyTorch do (issue 8)
    g = gs.parse("max(a, b)", a=1.0, b=1.0)
    assert gs.grad(g) == {"a": 0.5, "b": 0.5}


def test_local_derivative_formulas_read_like_the_slides():
    g = gs.parse("ln(sin(x^3)^2)", x=0.7)
    formulas = {g.label(head): g.formula(head, pos) for tail, head, pos in g.edges()
                if g.op(tail) != "const"}
    assert formulas == {"u1": "3·x²", "u2": "cos(u1)", "u3": "2·u2", "u4": "1/u3"}
    g = gs.parse("x * exp(x^2)", x=1.5)
    assert [g.edge_formula(h, p) for t, h, p in g.edges() if g.op(t) != "const"] == [
        "2·x", "exp(u1)", "u2", "x"]


def test_tanh_and_sigmoid_formulas_use_the_output():
    g = gs.parse("tanh(sigmoid(x))", x=0.2)
    assert g.formula(1, 0) == "u1·(1 - u1)"
    assert g.formula(2, 0) == "1 - u2²"


def test_numpy_values_work_with_every_unary_op_elementwise():
    values = np.array([0.3, 0.9, 1.7])
    for name, (expression, derivative) in UNARY.items():
        g = gs.parse(f"sum({expression})", x=values)
        expected = np.array([derivative(v) for v in values])
        np.testing.assert_allclose(gs.grad(g, "x"), expected, rtol=1e-7)
        np.testing.assert_allclose(gs.path_sum(g, "x"), expected, rtol=1e-7)
        np.testing.assert_allclose(gs.forward_grad(g, "x"), expected, rtol=1e-7)
        assert gs.gradcheck(g).ok, name


# Random expressions built from the whole table (kept inside every op's domain).
_LEAVES = st.sampled_from(["x", "y", "0.7", "1.3"])
_UNARY_SAFE = ["exp(0.3*{0})", "log(1 + ({0})^2)", "sin({0})", "cos({0})", "tan(0.2*{0})",
               "tanh({0})", "sigmoid({0})", "relu({0})", "sqrt(1 + ({0})^2)", "abs({0})",
               "square({0})", "-{0}"]
_BINARY_SAFE = ["({0} + {1})", "({0} - {1})", "({0} * {1})", "({0} / (1 + ({1})^2))",
                "(1 + ({0})^2)^(0.5*{1})", "max({0}, {1})", "min({0}, {1})"]


def _expressions():
    return st.recursive(
        _LEAVES,
        lambda inner: st.one_of(
            st.tuples(st.sampled_from(_UNARY_SAFE), inner).map(lambda t: t[0].format(t[1])),
            st.tuples(st.sampled_from(_BINARY_SAFE), inner, inner).map(
                lambda t: t[0].format(t[1], t[2])),
        ),
        max_leaves=8,
    )


@settings(max_examples=150, deadline=None)
@given(_expressions(), st.floats(-1.5, 1.5), st.floats(-1.5, 1.5))
def test_random_expressions_from_the_table_agree_four_ways(text, x, y):
    g = gs.parse(f"{text} + 0*x + 0*y", x=x, y=y)
    for name in ("x", "y"):
        reverse = gs.grad(g, name)
        assert gs.path_sum(g, name) == pytest.approx(reverse, rel=1e-9, abs=1e-9)
        assert gs.forward_grad(g, name) == pytest.approx(reverse, rel=1e-9, abs=1e-9)
        # finite differences are meaningless right at a kink of relu/abs/max/min:
        # compare one-sided slopes and only check where they agree
        here = x if name == "x" else y
        h = 1e-5 * max(1.0, abs(here))
        f = [g.evaluate({name: here + d}) for d in (-h, 0.0, h)]
        left, right = (f[1] - f[0]) / h, (f[2] - f[1]) / h
        if abs(left - right) <= 1e-3 * max(1.0, abs(left)):
            numeric = float(central_difference(g, name, (), 1e-6))
            assert numeric == pytest.approx(reverse, rel=1e-4, abs=1e-5)
