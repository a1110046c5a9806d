"""Parsing (graphstep.build.parse): function names, arity and keywords come from the op table;
the messages for wrong calls are the ones users have always seen."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings

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


@pytest.mark.parametrize("text, message", [
    ("__import__('os').system('echo hi')", r"attribute access '\.system' is not allowed"),
    ("__import__('os')", "unknown function '__import__'"),
    ("x.__class__", r"attribute access '\.__class__' is not allowed"),
    ("(lambda: 1)()", "a lambda is not allowed"),
    ("[i for i in x]", "a comprehension is not allowed"),
    ("x if x else 1", "an if-expression is not allowed"),
    ("x[0]", "indexing is not allowed"),
    ("x < 1", "a comparison is not allowed"),
    ("import os", "invalid syntax"),
    ("x = 1", "x is an input .it was given a value. and is assigned at column 1"),
    ("'text'", "is not a real number"),
    ("x % 2", "operator Mod is not supported"),
    ("open('f')", "unknown function 'open'"),
    ("f(x)", "unknown function 'f'"),
    ("sin(x, x)", r"sin\(\) takes 1 argument, got 2"),
    ("sin", "sin is a function"),
    ("z + 1", "unknown name 'z' at column 1; the inputs given are: x"),
    ("x +", "invalid syntax"),
    ("", "empty"),
    ("sum(x, axis=x)", "axis must be a whole number"),
    ("sum(x, keepdims=1)", "takes no keyword 'keepdims'"),
])
def test_parser_refuses_what_is_not_arithmetic(text, message):
    with pytest.raises(gs.ParseError, match=message):
        gs.parse(text, x=1.0)


def test_parse_errors_name_the_column_in_the_users_text():
    with pytest.raises(gs.ParseError, match="unknown name 'zz' at column 9"):
        gs.parse("x^2 + x^zz", x=1.0)


def test_caret_is_power_with_power_precedence():
    g = gs.parse("2*x^3 - -x^2", x=2.0)
    assert g.value == 2 * 8 + 4
    assert gs.parse("x^2^3", x=2.0).value == 2.0 ** 8  # right associative, like **


def test_constants_and_builtin_names():
    g = gs.parse("2*x + 7 + pi - e", x=1.0)
    assert g.value == pytest.approx(9 + math.pi - math.e)
    for text in ("max(0, z)", "max(z, 0)", "relu(z)"):
        g = gs.parse(text, z=2.0)
        assert g.op(g.output) == "relu" and len(g) == 2
    assert gs.parse("ln(x)", x=1.0).op(1) == "log"


def test_limits_on_length_depth_and_size():
    with pytest.raises(gs.ParseError, match="limit is 10,000"):
        gs.parse("x+" * 5000 + "x", x=1.0)
    with pytest.raises(gs.ParseError, match="nesting deeper than 200"):
        gs.parse("(" * 201 + "x" + ")" * 201, x=1.0)
    long_chain = "+".join(["x"] * 4000)  # 7,999 characters, no nesting: fine
    assert gs.grad(gs.parse(long_chain, x=1.0), "x") == 4000.0
    assert gs.parse("(" * 150 + "x" + ")" * 150, x=1.0).value == 1.0


def test_unused_and_reserved_input_names():
    with pytest.raises(gs.InputError, match="y was given a value but does not appear"):
        gs.parse("x + 1", x=1.0, y=2.0)
    with pytest.raises(gs.InputError, match="'exp' is a function or constant name"):
        gs.parse("x", x=1.0, exp=2.0)


@pytest.mark.parametrize("text, values, error, message", [
    ("1" + "0" * 309, {}, gs.ParseError, r"310 digits\) is too large for a float"),
    ("x + 1" + "0" * 400, {"x": 1.0}, gs.ParseError, "at column 5"),
    ("x", {"x": 10**400}, gs.InputError, r"input x: an integer of about 10\^400 is too large"),
    ("[" * 33 + "x" + "]" * 33 + "+1", {"x": 1.0}, gs.ShapeError, "33 dimensions.*at most 32"),
    ("[" * 65 + "x" + "]" * 65, {"x": 1.0}, gs.ShapeError, "33 dimensions.*at most 32"),
    ("-" * 9999 + "x", {"x": 1.0}, gs.ParseError, "nesting deeper than 200 levels"),
    ("(x + # hi\n x)", {"x": 1.0}, gs.ParseError, r"line 1, column 6: a comment \('#'\) is not allowed"),
    ("#\r1", {}, gs.ParseError, "a comment"),
    ("x,", {"x": 1.0}, gs.ParseError, r"trailing comma makes a tuple; write \[a, b\] for a vector"),
    ("x, x", {"x": 1.0}, gs.ParseError, "write \\[a, b\\] for a vector"),
    ("4if", {}, gs.ParseError, "a number followed by a name"),
    ("2x", {"x": 1.0}, gs.ParseError, r"write 2\*x for a product"),
    ("'\\d'", {}, gs.ParseError, "is not a real number"),
    ("(x", {"x": 1.0}, gs.ParseError, r"column 1: this '\(' is never closed"),
    ("x $ x", {"x": 1.0}, gs.ParseError, r"the character '\$' \(U\+0024\) is not allowed"),
])
def test_bad_input_is_a_named_error_without_warnings(text, values, error, message):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(error, match=message):
            gs.parse(text, **values)


def test_a_carriage_return_is_a_line_break_with_the_right_columns():
    g = gs.parse("(x\r+x)", x=1.0)
    assert g.value == 2.0 and gs.grad(g, "x") == 2.0
    assert gs.parse("(x\r\n*x)", x=3.0).value == 9.0
    with pytest.raises(gs.ParseError, match="unknown name 'zz' at line 2, column 2"):
        gs.parse("(x +\r zz)", x=1.0)


def test_a_long_flat_chain_parses_and_deep_nesting_is_refused():
    assert gs.grad(gs.parse("+".join(["x"] * 4000), x=1.0), "x") == 4000.0
    assert gs.parse("^".join(["x"] * 3000), x=1.0).value == 1.0
    assert gs.parse("-" * 200 + "x", x=1.0).value == 1.0


def test_parsing_in_a_thread_with_a_small_stack_does_not_crash():
    code = (
        "import threading, graphstep as gs\n"
        "threading.stack_size(262144)\n"
        "out = []\n"
        "def work():\n"
        "    out.append(gs.grad(gs.parse('+'.join(['x'] * 3300), x=1.0), 'x'))\n"
        "    try:\n"
        "        gs.parse('-' * 9999 + 'x', x=1.0)\n"
        "    except gs.ParseError:\n"
        "        out.append('refused')\n"
        "t = threading.Thread(target=work)\n"
        "t.start(); t.join()\n"
        "print(out)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[3300.0, 'refused']"
