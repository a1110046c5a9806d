"""Tracing (graphstep.build.trace): Var's operators and gs.<name> come from the op table."""

from __future__ import annotations

import math

import numpy as np
import pytest
from support import assert_close

import graphstep as gs
from graphstep.build import trace
from graphstep.build.trace import TRACED, Var, apply, precedence
from graphstep.errors import InputError
from graphstep.gallery.examples import EXAMPLES
from graphstep.ops.table import FUNCTIONS, OPERATORS, OPS


def test_every_function_of_the_table_is_traced_and_public():
    assert set(TRACED) == set(FUNCTIONS)
    for name, fn in TRACED.items():
        assert getattr(trace, name) is fn and getattr(gs, name) is fn
        assert name in gs.__all__ and name in trace.__all__


@pytest.mark.parametrize("symbol, method", [
    ("+", "__add__"), ("-", "__sub__"), ("*", "__mul__"), ("/", "__truediv__"), ("**", "__pow__"),
    ("@", "__matmul__"), ("neg", "__neg__")])
def test_operators_build_the_op_the_table_names(symbol, method):
    a, b = gs.var("a", np.array([1.0, 2.0])), gs.var("b", np.array([3.0, 0.5]))
    result = getattr(a, method)(b) if symbol != "neg" else -a
    assert result.op == OPERATORS[symbol]
    spec = OPS[OPERATORS[symbol]]
    args = (a.value, b.value) if spec.arity == 2 else (a.value,)
    np.testing.assert_array_equal(result.value, spec.forward(args, {}))


def test_reflected_and_in_place_operators_on_floats_take_the_short_path():
    x = gs.var("x", 2.0)
    y = 3 - x
    assert y.op == "sub" and y.value == 1.0 and y.args[0].op == "const"
    z = 10.0 / x
    assert z.op == "div" and z.value == 5.0
    c = x
    c += 1
    assert c.op == "add" and c.value == 3.0 and c is not x
    assert (x * x).relu().value == 4.0 and (-x).relu().value == 0.0


@pytest.mark.parametrize("name", sorted(n for n, s in OPS.items() if s.elementwise and s.arity == 1
                                        and s.names))
def test_unary_functions_are_also_methods(name):
    x = gs.var("x", 0.4)
    for function_name in OPS[name].names:
        assert getattr(x, function_name)().value == pytest.approx(TRACED[function_name](x).value)
        assert getattr(x, function_name)().op == name


def test_parameters_are_read_from_the_entries():
    A = gs.var("A", np.arange(6.0).reshape(2, 3))
    assert gs.sum(A, 0).params == {"axis": 0} and gs.sum(A).params == {"axis": None}
    assert gs.softmax(A).params == {"axis": -1}
    assert gs.mean(A, axis=1).value.tolist() == [1.0, 4.0]
    with pytest.raises(InputError, match=r"sum\(\) takes no keyword 'keepdims'"):
        gs.sum(A, keepdims=True)
    with pytest.raises(InputError, match="exp takes 1 argument"):
        gs.exp(A, 1)
    with pytest.raises(InputError, match="stack takes|add takes 2 argument"):
        apply("add", A)


def test_max_min_transpose_reshape_stack_read_their_arguments_their_own_way():
    z, v = gs.var("z", -2.0), gs.var("v", [1.0, 3.0])
    assert gs.max(0, z).op == "relu" and gs.max(z, 1.0).op == "maximum"
    assert gs.max(v).op == "amax" and gs.min(v).value == 1.0 and gs.min(v, 2.0).op == "minimum"
    assert gs.transpose(v) is v and gs.reshape(v, 2).shape == (2,)
    assert gs.stack([z, z]).op == "stack" and gs.stack([z, z]).shape == (2,)


def test_precedence_and_expression_text():
    x = gs.var("x", 1.0)
    assert precedence(x) == 6 and precedence(trace.const(-2.0)) == 3 and precedence(x + 1) == 1
    y = (x + 1) * gs.exp(-x) ** 2
    assert trace.expression_text(y) == "(x + 1)*exp(-x)^2"
    assert isinstance(y, Var)


def test_inputs_in_order_of_first_appearance():
    g = gs.parse("sum((t - M @ v)**2)", M=np.ones((3, 2)), v=np.array([1.0, 2.0]), t=np.zeros(3))
    assert g.inputs == ["t", "M", "v"]
    x, y = gs.var("y", 1.0), gs.var("x", 2.0)
    assert gs.graph(y * x).inputs == ["y", "x"]


def test_reflected_and_in_place_forms():
    x = gs.var("x", 2.0)
    y = 10.0 / x - 1 + 3 * x + 2**x
    y += 1
    y *= x
    g = gs.graph(y)
    value = (10 / 2 - 1 + 6 + 4 + 1) * 2
    assert g.value == pytest.approx(value)
    derivative = (-10 / 4 + 3 + 4 * math.log(2)) * 2 + (10 / 2 - 1 + 6 + 4 + 1)
    assert gs.grad(g, "x") == pytest.approx(derivative)


def test_traced_functions_match_parsed_ones():
    x = gs.var("x", 0.4)
    traced = gs.graph(gs.log(gs.sin(x**3) ** 2))
    parsed = gs.parse("ln(sin(x^3)^2)", x=0.4)
    assert gs.grad(traced, "x") == pytest.approx(gs.grad(parsed, "x"))
    assert [traced.op(n) for n in range(len(traced))] == [parsed.op(n) for n in range(len(parsed))]


def test_numpy_arrays_on_the_left_defer_to_vars():
    v = gs.var("v", [1.0, 2.0])
    y = gs.sum(np.array([3.0, 4.0]) * v)
    assert gs.grad(gs.graph(y), "v").tolist() == [3.0, 4.0]


def test_duplicate_input_names_are_refused():
    with pytest.raises(gs.InputError, match="two different inputs are named 'x'"):
        gs.graph(gs.var("x", 1.0) + gs.var("x", 2.0))


RNG = np.random.default_rng(20240611)


def randn(*shape, scale=1.0):
    return RNG.normal(size=shape) * scale




A34, B42, C34 = randn(3, 4), randn(4, 2), randn(3, 4)


V4, U4, W3 = randn(4), randn(4), randn(3)


def test_tracing_matches_parsing_for_tensor_ops():
    A, v = gs.var("A", A34), gs.var("v", V4)
    traced = gs.graph(gs.sum(gs.softmax(A @ v) * gs.sum(A, axis=1)) + gs.mean(A.T) + (v * 2).sum())
    parsed = gs.parse("sum(softmax(A @ v) * sum(A, axis=1)) + mean(A.T) + sum(v * 2)", A=A34, v=V4)
    assert traced.value == pytest.approx(parsed.value, rel=1e-14)
    for k in ("A", "v"):
        assert_close(gs.grad(traced, k), gs.grad(parsed, k), 1e-14, 1e-14)


def test_a_scalar_constant_stays_scalar_and_its_broadcast_is_a_node():
    x = np.arange(12.0).reshape(4, 3)
    for g in (gs.parse("x^2", x=x), gs.graph(gs.var("x", x) ** 2)):
        const = g.labels.index("2")
        assert g.op(const) == "const" and g.shape_of(const) == ()
        assert g.nx.nodes[const]["value"] == 2.0 and g.nx.nodes[const]["shape"] == ()
        (user,) = [h for t, h, _ in g.edges() if t == const]
        assert g.op(user) == "broadcast" and g.shape_of(user) == (4, 3)
        np.testing.assert_array_equal(g.value_of(g.output), x**2)
        np.testing.assert_array_equal(gs.jacobian(g, "x"), np.diag(2 * x.ravel()))
        assert g.formula(g.output, 0) == "2·x"  # the formula reads the constant through its broadcast
    g = EXAMPLES["outer-product"].graph()  # seed 003: sum((t - M @ x)^2)
    assert "2" in g.labels and g.shape_of(g.labels.index("2")) == ()
