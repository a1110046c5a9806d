"""The op table (graphstep.ops.table): every entry complete, and every elementwise op's
derivative checked three ways (path sum, reverse accumulation, central differences) and
against HIPS autograd, at points inside its domain. The op list comes from the table:
an op added there without a reference below fails ``test_every_elementwise_op_has_a_reference``.
"""

from __future__ import annotations

import math

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad as ag_grad
from hypothesis import given, settings
from hypothesis import strategies as st
from support import check_four_ways

import graphstep as gs
from graphstep.algorithms.gradcheck import central_difference
from graphstep.build.trace import apply
from graphstep.ops.composite import COMPOSITE
from graphstep.ops.table import (
    CONST,
    FUNCTIONS,
    INPUT,
    OPERATORS,
    OPS,
    Kind,
    Leaf,
    OpSpec,
    format_op,
    overloads,
)

#: Each elementwise op written with autograd.numpy, and points (one tuple of arguments
#: each) inside its domain and away from kinks.
REFERENCE = {
    "add": (lambda x, y: x + y, [(0.7, 1.3), (-2.0, 0.5)]),
    "sub": (lambda x, y: x - y, [(0.7, 1.3), (-2.0, 0.5)]),
    "mul": (lambda x, y: x * y, [(0.7, 1.3), (-2.0, 0.5)]),
    "div": (lambda x, y: x / y, [(0.7, 1.3), (-2.0, 0.5)]),
    "pow": (lambda x, y: x**y, [(0.7, 1.3), (2.0, -0.5)]),
    "neg": (lambda x: -x, [(0.7,), (-2.0,)]),
    "exp": (anp.exp, [(0.7,), (-2.0,)]),
    "log": (anp.log, [(0.7,), (2.0,)]),
    "log1p": (anp.log1p, [(0.7,), (-0.5,)]),
    "sin": (anp.sin, [(0.7,), (-2.0,)]),
    "cos": (anp.cos, [(0.7,), (-2.0,)]),
    "tan": (anp.tan, [(0.7,), (-1.2,)]),
    "tanh": (anp.tanh, [(0.7,), (-2.0,)]),
    "sigmoid": (lambda x: 1 / (1 + anp.exp(-x)), [(0.7,), (-2.0,)]),
    "relu": (lambda x: anp.maximum(x, 0.0), [(0.7,), (-2.0,)]),
    "sqrt": (anp.sqrt, [(0.7,), (2.0,)]),
    "abs": (anp.abs, [(0.7,), (-2.0,)]),
    "square": (anp.square, [(0.7,), (-2.0,)]),
    "maximum": (anp.maximum, [(0.7, 1.3), (2.0, 0.5)]),
    "minimum": (anp.minimum, [(0.7, 1.3), (2.0, 0.5)]),
}

#: The op table's math ops (the composite op carries its own derivatives: tests/ops/test_composite.py)
TABLE = {name: spec for name, spec in OPS.items() if name != COMPOSITE}
ELEMENTWISE = sorted(name for name, spec in TABLE.items() if spec.elementwise)
STRUCTURAL = sorted(name for name, spec in TABLE.items() if not spec.elementwise)


def _traced(op_name, point):
    names = "xyz"[:len(point)]
    return apply(op_name, *(gs.var(n, v) for n, v in zip(names, point))), names


def test_every_elementwise_op_has_a_reference():
    assert set(ELEMENTWISE) == set(REFERENCE)


@pytest.mark.parametrize("op_name, point", [
    (name, point) for name in ELEMENTWISE for point in REFERENCE.get(name, (None, []))[1]])
def test_elementwise_op_three_ways_and_autograd(op_name, point):
    traced, names = _traced(op_name, point)
    g = gs.graph(traced)
    assert g.op(g.output) == op_name
    reference, _ = REFERENCE[op_name]
    assert g.value == pytest.approx(float(reference(*point)), rel=1e-12)
    for k, name in enumerate(names):
        expected = ag_grad(reference, k)(*point)
        path_sum, reverse = gs.path_sum(g, name), gs.grad(g, name)
        numeric = float(central_difference(g, name, (), 1e-6))
        assert path_sum == pytest.approx(expected, rel=1e-12, abs=1e-12)
        assert reverse == pytest.approx(expected, rel=1e-12, abs=1e-12)
        assert numeric == pytest.approx(expected, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("op_name", ELEMENTWISE)
def test_elementwise_op_on_vectors_agrees_with_autograd(op_name):
    reference, points = REFERENCE[op_name]
    columns = np.array(points, dtype=float).T  # argument k at every point
    traced, names = _traced(op_name, tuple(columns))
    total = gs.graph(gs.sum(traced))
    for k, name in enumerate(names):
        expected = ag_grad(lambda *a: anp.sum(reference(*a)), k)(*columns)
        np.testing.assert_allclose(gs.grad(total, name), expected, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(gs.path_sum(total, name), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("op_name", sorted(TABLE))
def test_every_entry_is_complete(op_name):
    spec = OPS[op_name]
    assert isinstance(spec, OpSpec) and spec.name == op_name
    assert isinstance(spec.kind, Kind) and spec.arity >= 1
    assert spec.text and "{0}" in spec.text
    rules = 1 if spec.variadic else spec.arity
    assert len(spec.adjoint) == rules  # every op has a matrix-form adjoint rule
    if spec.elementwise:
        assert len(spec.formula) == spec.arity and spec.jacobian is None
        assert len(spec.local) == spec.arity or len(spec.constant_local) == spec.arity
        assert spec.latex
    else:
        assert callable(spec.jacobian) and callable(spec.shape) and not spec.local
        assert spec.transparent or spec.sentence is not None  # a broadcast names no function
    for param in spec.params:
        assert param.keyword or param.positional


def test_leaves_are_str_enums_equal_to_the_public_strings():
    assert INPUT is Leaf.INPUT and CONST is Leaf.CONST
    assert INPUT == "input" and CONST == "const" and f"{INPUT}/{CONST}" == "input/const"
    g = gs.parse("2 * x", x=1.0)
    assert [g.nx.nodes[n]["op"] for n in range(2)] == ["const", "input"]
    assert set(OPS).isdisjoint({"input", "const"})


def test_function_names_and_operators_come_from_the_entries():
    assert FUNCTIONS == {name: overloads(name)[0].name for spec in OPS.values() for name in spec.names}
    assert FUNCTIONS["ln"] == "log" and FUNCTIONS["dot"] == "dot"
    assert [spec.name for spec in overloads("max")] == ["maximum", "amax"]
    assert OPERATORS == {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow", "neg": "neg",
                         "@": "matmul", ".T": "transpose"}
    assert [name for name, spec in TABLE.items() if spec.variadic] == ["stack"]


@pytest.mark.parametrize("op_name, texts, precs, params, expected", [
    ("sub", ["a", "b - c"], [6, 1], None, "a - (b - c)"),
    ("sub", ["a - b", "c"], [1, 6], None, "a - b - c"),
    ("pow", ["x^2", "3"], [4, 6], None, "(x^2)^3"),
    ("pow", ["x", "y^2"], [6, 4], None, "x^y^2"),
    ("mul", ["a + b", "-c"], [1, 3], None, "(a + b)*-c"),
    ("neg", ["x*y"], [2], None, "-(x*y)"),
    ("sum", ["A"], [6], {"axis": 1}, "sum(A, axis=1)"),
    ("softmax", ["z"], [6], {"axis": -1}, "softmax(z, axis=-1)"),
    ("reshape", ["v"], [6], {"shape": [2, 3]}, "reshape(v, (2, 3))"),
    ("stack", ["a", "b", "c"], [6, 6, 6], None, "[a, b, c]"),
    ("transpose", ["A @ B"], [2], None, "(A @ B).T"),
    ("matmul", ["A", "B @ C"], [6, 2], None, "A @ (B @ C)"),
])
def test_format_op_parenthesises_from_the_entries(op_name, texts, precs, params, expected):
    assert format_op(op_name, texts, precs, params) == expected


@pytest.mark.parametrize("op_name", STRUCTURAL)
def test_structural_jacobians_match_finite_differences_of_the_forward(op_name):
    rng = np.random.default_rng(3)
    samples = {
        "matmul": ([rng.normal(size=(2, 3)), rng.normal(size=(3, 2))], {}),
        "dot": ([rng.normal(size=3), rng.normal(size=3)], {}),
        "transpose": ([rng.normal(size=(2, 3))], {}),
        "sum": ([rng.normal(size=(2, 3))], {"axis": 0}),
        "mean": ([rng.normal(size=(2, 3))], {"axis": 1}),
        "softmax": ([rng.normal(size=(2, 3))], {"axis": -1}),
        "amax": ([rng.normal(size=(2, 3))], {"axis": 1}),
        "amin": ([rng.normal(size=(2, 3))], {"axis": None}),
        "reshape": ([rng.normal(size=(2, 3))], {"shape": (3, 2)}),
        "broadcast": ([rng.normal(size=3)], {"shape": (2, 3)}),
        "stack": ([rng.normal(size=2), rng.normal(size=2), rng.normal(size=2)], {}),
    }
    assert set(samples) == set(STRUCTURAL)
    spec = OPS[op_name]
    args, params = samples[op_name]
    out = np.asarray(spec.forward(tuple(args), params), dtype=float)
    assert spec.shape(tuple(np.shape(a) for a in args), params,
                      tuple(f"a{k}" for k in range(len(args)))) == out.shape
    labels = tuple(f"a{k}" for k in range(len(args))) + ("y",)
    for pos, x in enumerate(args):
        jacobian = spec.jacobian(pos, tuple(args), out, params, labels)
        columns = []
        for index in np.ndindex(x.shape):
            step = np.zeros_like(x)
            step[index] = 1e-6
            shifted = [a + step if k == pos else a for k, a in enumerate(args)]
            back = [a - step if k == pos else a for k, a in enumerate(args)]
            columns.append((np.asarray(spec.forward(tuple(shifted), params))
                            - np.asarray(spec.forward(tuple(back), params))).ravel() / 2e-6)
        np.testing.assert_allclose(jacobian.dense(), np.array(columns).T, rtol=1e-6, atol=1e-8)


def test_a_tie_in_max_splits_the_derivative_evenly_as_autograd():
    g = gs.parse("max(a, b) + min(a, b)", a=1.5, b=1.5)
    assert gs.grad(g) == {"a": 1.0, "b": 1.0}
    assert math.isclose(ag_grad(lambda a: anp.maximum(a, 1.5))(1.5), 0.5)


RNG = np.random.default_rng(20240611)


def randn(*shape, scale=1.0):
    return RNG.normal(size=shape) * scale








A34, B42, C34 = randn(3, 4), randn(4, 2), randn(3, 4)


V4, U4, W3 = randn(4), randn(4), randn(3)


POS34 = RNG.uniform(0.5, 2.0, size=(3, 4))


OP_CASES = [
    # elementwise ops on arrays (the weights keep every output depending on every entry)
    ("add", "sum((A + C) * K)", dict(A=A34, C=C34, K=randn(3, 4))),
    ("sub", "sum((A - C) * K)", dict(A=A34, C=C34, K=randn(3, 4))),
    ("mul", "sum(A * C)", dict(A=A34, C=C34)),
    ("div", "sum(A / P)", dict(A=A34, P=POS34)),
    ("pow-const", "sum(A^3)", dict(A=A34)),
    ("pow-tensor", "sum(P^A)", dict(A=A34, P=POS34)),
    ("pow-square", "sum((A - C)^2)", dict(A=A34, C=C34)),
    ("neg", "sum(-A * C)", dict(A=A34, C=C34)),
    ("exp", "sum(exp(A) * C)", dict(A=A34, C=C34)),
    ("log", "sum(log(P) * C)", dict(P=POS34, C=C34)),
    ("ln", "sum(ln(P))", dict(P=POS34)),
    ("log1p", "sum(log1p(P) * C)", dict(P=POS34, C=C34)),
    ("sin", "sum(sin(A) * C)", dict(A=A34, C=C34)),
    ("cos", "sum(cos(A) * C)", dict(A=A34, C=C34)),
    ("tan", "sum(tan(A / 3) * C)", dict(A=A34, C=C34)),
    ("tanh", "sum(tanh(A) * C)", dict(A=A34, C=C34)),
    ("sigmoid", "sum(sigmoid(A) * C)", dict(A=A34, C=C34)),
    ("relu", "sum(relu(A) * C)", dict(A=A34, C=C34)),
    ("max0", "sum(max(0, A) * C)", dict(A=A34, C=C34)),
    ("sqrt", "sum(sqrt(P) * C)", dict(P=POS34, C=C34)),
    ("abs", "sum(abs(A) * C)", dict(A=A34, C=C34)),
    ("square", "sum(square(A) * C)", dict(A=A34, C=C34)),
    ("maximum", "sum(max(A, C) * K)", dict(A=A34, C=C34, K=randn(3, 4))),
    ("minimum", "sum(min(A, C) * K)", dict(A=A34, C=C34, K=randn(3, 4))),
    # matmul in all four vector/matrix combinations, and dot
    ("matmul-mm", "sum(sin(A @ B))", dict(A=A34, B=B42)),
    ("matmul-mv", "sum(sin(A @ v))", dict(A=A34, v=V4)),
    ("matmul-vm", "sum(sin(w @ A))", dict(A=A34, w=W3)),
    ("matmul-vv", "sin(v @ u)", dict(v=V4, u=U4)),
    ("dot-vv", "dot(v, u)^2", dict(v=V4, u=U4)),
    ("dot-mm", "sum(dot(A, B)^2)", dict(A=A34, B=B42)),
    ("dot-mv", "sum(tanh(dot(A, v)))", dict(A=A34, v=V4)),
    # transpose
    ("transpose", "sum(A.T @ w * v)", dict(A=A34, w=W3, v=V4)),
    ("transpose-fn", "sum(transpose(A) * C.T)", dict(A=A34, C=C34)),
    # reductions with every kind of axis
    ("sum-all", "sum(A^2)", dict(A=A34)),
    ("sum-0", "sum(sum(A^2, axis=0) * v)", dict(A=A34, v=V4)),
    ("sum-1", "sum(sum(A^2, axis=1) * w)", dict(A=A34, w=W3)),
    ("sum-neg", "sum(sum(A^2, axis=-1) * w)", dict(A=A34, w=W3)),
    ("sum-tuple", "sum(A^2, axis=(0, 1)) * 2", dict(A=A34)),
    ("mean-all", "mean(A^3)", dict(A=A34)),
    ("mean-0", "sum(mean(A^3, axis=0) * v)", dict(A=A34, v=V4)),
    ("mean-1", "sum(mean(A^3, axis=1) * w)", dict(A=A34, w=W3)),
    ("mean-tuple", "mean(A^3, axis=(0, 1))", dict(A=A34)),
    ("max-all", "max(A * C)", dict(A=A34, C=C34)),
    ("max-0", "sum(max(A * C, axis=0) * v)", dict(A=A34, C=C34, v=V4)),
    ("max-1", "sum(max(A * C, axis=1) * w)", dict(A=A34, C=C34, w=W3)),
    ("max-tuple", "max(A * C, axis=(0, 1))", dict(A=A34, C=C34)),
    ("min-all", "min(A * C)", dict(A=A34, C=C34)),
    ("min-0", "sum(min(A * C, axis=0) * v)", dict(A=A34, C=C34, v=V4)),
    ("min-1", "sum(min(A * C, axis=1) * w)", dict(A=A34, C=C34, w=W3)),
    # softmax along both axes, and of a vector
    ("softmax-last", "sum(softmax(A) * C)", dict(A=A34, C=C34)),
    ("softmax-0", "sum(softmax(A, axis=0) * C)", dict(A=A34, C=C34)),
    ("softmax-neg2", "sum(softmax(A, axis=-2) * C)", dict(A=A34, C=C34)),
    ("softmax-vector", "sum(softmax(v) * u)", dict(v=V4, u=U4)),
    # stack and list literals
    ("list-literal", "sum([v, u * 2] * K)", dict(v=V4, u=U4, K=randn(2, 4))),
    ("stack", "sum(stack([v, u, v * u]) ** 2)", dict(v=V4, u=U4)),
    ("list-of-scalars", "sum([x, x * y, y] * v3)", dict(x=0.7, y=-1.3, v3=W3)),
    ("list-of-matrices", "sum([A, C] ** 2)", dict(A=A34, C=C34)),
    # reshape
    ("reshape", "sum(reshape(A, (4, 3)) @ w)", dict(A=A34, w=W3)),
    ("reshape-flat", "sum(reshape(A, -1) * reshape(C, (12,)))", dict(A=A34, C=C34)),
    ("reshape-method", "sum(sin(reshape(v, (2, 2))))", dict(v=V4)),
    # broadcasting of scalars, rows and columns
    ("bcast-scalar", "sum((A * s + s) ** 2)", dict(A=A34, s=1.7)),
    ("bcast-row", "sum((A + r) ** 2)", dict(A=A34, r=V4)),
    ("bcast-row-2d", "sum((A + r) ** 2)", dict(A=A34, r=randn(1, 4))),
    ("bcast-column", "sum((A * c) ** 2)", dict(A=A34, c=randn(3, 1))),
    ("bcast-outer", "sum(sin(c + r))", dict(c=randn(3, 1), r=randn(1, 4))),
    ("bcast-scalar-minus", "sum((s - A) ** 2)", dict(A=A34, s=-0.4)),
    ("bcast-scalar-div", "sum(s / P)", dict(P=POS34, s=2.5)),
    # vector outputs (Jacobians)
    ("jac-affine", "tanh(A @ v + w)", dict(A=A34, v=V4, w=W3)),
    ("jac-softmax", "softmax(v)", dict(v=V4)),
    ("jac-matrix-out", "A @ B", dict(A=A34, B=B42)),
    ("jac-transpose-out", "A.T * 2", dict(A=A34)),
    ("jac-sum-axis", "sum(A * A, axis=0)", dict(A=A34)),
    ("jac-max-axis", "max(A, axis=1)", dict(A=A34)),
    ("jac-stack", "[x * y, x + y, sin(x)]", dict(x=0.3, y=1.1)),
    ("jac-bcast", "v * s", dict(v=V4, s=0.5)),
]


@pytest.mark.parametrize("case, expression, values", OP_CASES, ids=[c[0] for c in OP_CASES])
def test_op_on_arrays_four_ways(case, expression, values):
    g = gs.parse(expression, **values)
    check_four_ways(g)


def test_the_op_cases_cover_every_op_in_the_table():
    used = set()
    for _, expression, values in OP_CASES:
        g = gs.parse(expression, **values)
        used.update(g.op(n) for n in range(len(g)))
    assert set(TABLE) <= used, set(TABLE) - used


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
