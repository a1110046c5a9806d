"""The parser raises only GraphstepErrors, never a plain exception, a warning or a crash."""

import subprocess
import sys
import warnings

import numpy as np
import pytest

import graphstep as gs


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


def test_huge_values_given_to_var_are_input_errors():
    with pytest.raises(gs.InputError, match=r"10\^400 is too large for a float"):
        gs.var("x", 10**400)
    with pytest.raises(gs.InputError, match="too large for a float"):
        gs.var("v", [1, 10**400])
    assert gs.var("v", [1, 10**20]).value.tolist() == [1.0, 1e20]  # beyond int64 but a float
    with pytest.raises(gs.InputError, match="33 dimensions; graphstep allows at most 32"):
        gs.var("v", np.zeros((1,) * 33))


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
