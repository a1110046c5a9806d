"""Parsing (graphstep.build.parse): function names, arity and keywords come from the op table;
the messages for wrong calls are the ones users have always seen."""

from __future__ import annotations

import numpy as np
import pytest

import graphstep as gs
from graphstep.build.parse import parse
from graphstep.ops.table import FUNCTIONS, OPS, overloads

V = np.array([0.3, 0.8, 1.4])


@pytest.mark.parametrize("name", sorted(n for n, op in FUNCTIONS.items()
                                        if OPS[op].elementwise and OPS[op].arity == 1))
def test_every_unary_function_parses_and_matches_tracing(name):
    parsed = parse(f"sum({name}(v))", v=V)
    traced = gs.graph(gs.sum(getattr(gs, name)(gs.var("v", V))))
    assert parsed.value == pytest.approx(traced.value, rel=1e-15)
    np.testing.assert_allclose(gs.grad(parsed, "v"), gs.grad(traced, "v"), rtol=1e-15)
    assert parsed.op(parsed.args(parsed.output)[0]) == FUNCTIONS[name]


@pytest.mark.parametrize("text, message", [
    ("sin(x, x)", "sin() takes 1 argument, got 2, at column 1"),
    ("sum(x, keepdims=1)",
     "sum() takes no keyword 'keepdims', at column 1; sum, mean, softmax, max and min take axis="),
    ("exp(v, axis=0)", "exp() takes no keyword 'axis'"),
    ("max(x, x, x)", "max() takes one argument (and axis=) or two, got 3, at column 1"),
    ("max(x, x, axis=0)", "max() takes one argument (and axis=) or two, got 2, at column 1"),
    ("sum(x, 0, 1)", "sum() takes one argument and an optional axis, got 3, at column 1"),
    ("softmax(v, 0, 1)", "softmax() takes one argument and an optional axis, got 3"),
    ("reshape(x)", "reshape() takes 2 argument(s), got 1, at column 1"),
    ("dot(x)", "dot() takes 2 argument(s), got 1, at column 1"),
    ("transpose(x, x)", "transpose() takes 1 argument(s), got 2, at column 1"),
    ("stack(x, x)", "stack() takes 1 argument(s), got 2, at column 1"),
    ("stack(x)", "stack() takes a list [a, b, ...], at column 1"),
    ("foo(x)", "unknown function 'foo' at column 1; the functions are: abs, cos, dot, exp, ln"),
])
def test_wrong_calls_are_refused_with_the_usual_messages(text, message):
    with pytest.raises(gs.ParseError) as error:
        parse(text, x=1.0, v=V)
    assert message in str(error.value)


def test_keywords_and_positional_parameters_from_the_entries():
    A = np.arange(6.0).reshape(2, 3)
    assert parse("sum(A, 0)", A=A).value.tolist() == [3.0, 5.0, 7.0]
    assert parse("sum(A, axis=(0, 1))", A=A).value == 15.0
    assert parse("softmax(A)", A=A).params(1) == {"axis": -1}
    assert parse("max(A, axis=1)", A=A).value.tolist() == [2.0, 5.0]
    assert parse("reshape(A, (3, 2))", A=A).shape_of(1) == (3, 2)
    assert parse("reshape(A, 6)", A=A).shape_of(1) == (6,)
    assert [op.name for op in overloads("min")] == ["minimum", "amin"]
    g = parse("min(A, 1)", A=A)
    assert g.op(g.output) == "minimum"
    g = parse("max(0, x)", x=2.0)
    assert g.op(g.output) == "relu"
    with pytest.raises(gs.ParseError, match="axis must be a whole number written out"):
        parse("sum(A, axis=y)", A=A)


def test_texts_are_the_users_own():
    g = parse("transpose(A) @ [v, v]", A=np.ones((2, 3)), v=np.ones(2))
    assert g.expr(g.output) == "transpose(A) @ [v, v]"
    assert parse("transpose(v)", v=V).expr(0) == "v"  # a vector's transpose is itself
    assert parse("ln(x)", x=1.0).op(1) == "log"
