"""graphstep.exercises.random_expr: random expressions that parse, stay in domain and fit."""

import warnings

import numpy as np
import pytest

import graphstep as gs
from graphstep.exercises.random_expr import (
    MAX_DEPTH,
    MAX_NODES,
    allowed_ops,
    random_expression,
    random_graph,
)

OP_SETS = ["sin,exp,*,+", "log,sqrt,/,-", "tanh,sigmoid,^,*", "cos,tan,max,min,+", "ln,abs,square,/"]


@pytest.mark.parametrize("ops", OP_SETS)
@pytest.mark.parametrize("seed", range(6))
def test_random_expressions_parse_stay_in_domain_and_fit(ops, seed):
    text, values = random_expression(ops, depth=3, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a DomainWarning would fail the test
        g = gs.parse(text, strict=True, **values)
        gradient = gs.grad(g)
    assert 2 <= len(g) <= MAX_NODES
    assert all(0.2 <= v <= 2.0 for v in values.values())
    assert all(np.isfinite(v) for v in gradient.values())
    used = {g.op(n) for n in range(len(g))} - {"input", "const", "broadcast"}
    names = {"+": "add", "-": "sub", "*": "mul", "/": "div", "^": "pow", "max": "maximum", "min": "minimum",
             "ln": "log"}
    assert used <= {names.get(op, op) for op in ops.split(",")}


def test_the_same_seed_gives_the_same_expression():
    assert random_expression("sin,exp,*,+", 3, 7) == random_expression("sin,exp,*,+", 3, 7)
    drawn = {random_expression("sin,exp,*,+", 3, seed)[0] for seed in range(10)}
    assert len(drawn) >= 5
    assert random_graph("sin,*", 2, (7, 1))[0] == random_graph(["sin", "*"], 2, (7, 1))[0]


def test_depth_bounds_the_tree():
    for seed in range(5):
        _, g = random_graph("sin", depth=2, seed=seed)
        assert len(g) <= 3  # sin(sin(x)) at most: input and two ops


def test_allowed_ops_come_from_the_table():
    ops = allowed_ops()
    assert {"+", "-", "*", "/", "^", "exp", "log", "ln", "sin", "max"} <= set(ops)
    assert ops["max"] == 2 and ops["exp"] == 1 and "sum" not in ops and "softmax" not in ops


@pytest.mark.parametrize("ops, depth, message", [
    ("sin,foo", 3, "'foo' not in the op table"),
    ("", 3, "name at least one op"),
    ("sin", 0, "--depth must be a whole number from 1"),
    ("sin", MAX_DEPTH + 1, "--depth must be"),
])
def test_bad_requests(ops, depth, message):
    with pytest.raises(gs.InputError, match=message):
        random_expression(ops, depth=depth)


def test_a_bad_seed():
    with pytest.raises(gs.InputError, match="a seed is a whole number"):
        random_expression("sin", 2, seed=-1)
