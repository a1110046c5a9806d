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

import graphstep as gs
from graphstep.algorithms.gradcheck import central_difference
from graphstep.build.trace import apply
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

ELEMENTWISE = sorted(name for name, spec in OPS.items() if spec.elementwise)
STRUCTURAL = sorted(name for name, spec in OPS.items() if not spec.elementwise)


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


@pytest.mark.parametrize("op_name", sorted(OPS))
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
    assert [name for name, spec in OPS.items() if spec.variadic] == ["stack"]


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
