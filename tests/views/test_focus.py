"""Focus keeps the derivatives with respect to the chosen inputs: closed forms and the
original graph's gradient; folded leaves hold the values they stand for."""

import math

import numpy as np
import pytest
from support import assert_close

import graphstep as gs
from graphstep.views.focus import ancestor_counts, focus, input_names


def test_focus_on_x_keeps_the_x_derivative_and_folds_the_rest():
    # f = x*sin(y) + exp(y): df/dx = sin(y); sin(y) and exp(y) do not depend on x
    g = gs.parse("x * sin(y) + exp(y)", x=2.0, y=0.5)
    v = focus(g, "x")
    assert v.inputs == ["x"]
    assert gs.grad(v, "x") == pytest.approx(math.sin(0.5))
    assert gs.path_sum(v, "x") == pytest.approx(math.sin(0.5))
    assert v.value == pytest.approx(g.value)
    # sin(y) (2 nodes: y, sin) and exp(y) (2 nodes) become leaves holding their values
    leaves = {v.label(n): v.value_of(n) for n in range(len(v)) if v.op(n) == "const"}
    assert leaves == {"u1": pytest.approx(math.sin(0.5)), "u3": pytest.approx(math.exp(0.5))}
    assert [v.params(n).get("folded") for n in range(len(v)) if v.op(n) == "const"] == [2, 2]
    assert v.note == "focus on x: 4 nodes folded into 2 leaves"


def test_focus_on_y_keeps_every_path_from_y():
    g = gs.parse("x * sin(y) + exp(y)", x=2.0, y=0.5)
    v = focus(g, ["y"])
    assert gs.grad(v, "y") == pytest.approx(2.0 * math.cos(0.5) + math.exp(0.5))
    assert gs.count_paths(v, "y") == gs.count_paths(g, "y") == 2
    x = [n for n in range(len(v)) if v.label(n) == "x"]
    assert v.op(x[0]) == "const"  # an input not chosen is held fixed


def test_focus_on_several_inputs_matches_grad_of_the_original():
    g = gs.parse("a*b + sin(a*c) + exp(c) * d", a=0.3, b=-1.2, c=0.8, d=2.0)
    v = focus(g, "a, c")
    whole = gs.grad(g)
    assert v.inputs == ["a", "c"]
    for name in v.inputs:
        assert gs.grad(v, name) == pytest.approx(whole[name])
        assert gs.forward_grad(v, name) == pytest.approx(whole[name])


def test_hide_constants_writes_them_inline():
    g = gs.parse("3*x^2 + 7", x=1.5)
    v = focus(g, "x", hide_constants=True)
    assert all(v.op(n) != "const" for n in range(len(v)))
    assert gs.grad(v, "x") == pytest.approx(6 * 1.5)
    assert gs.gradcheck(v).ok
    assert v.value == pytest.approx(3 * 1.5**2 + 7)
    assert "3 constants written inline" in v.note


def test_hide_constants_on_tensors():
    A = np.array([[1.0, 2.0], [0.5, -1.0]])
    g = gs.parse("sum(tanh(A @ v) * 2)", A=A, v=np.array([0.3, -0.2]))
    v = focus(g, "v", hide_constants=True)
    assert_close(gs.grad(v, "v"), gs.grad(g, "v"), 1e-12, 1e-12)
    # the 2 broadcast to 2 entries is written inline: u4 = u2·2
    assert v.note == "focus on v: 1 constant written inline"
    assert "u2*2" in [v.params(n).get("definition") for n in range(len(v))]


def test_focus_errors_name_the_inputs():
    g = gs.parse("x * 2 + y", x=1.0, y=1.0)
    with pytest.raises(gs.InputError, match="no input named 'z'; the inputs are: x, y"):
        focus(g, "z")
    x, y = gs.var("x", 1.0), gs.var("y", 2.0)
    with pytest.raises(gs.InputError, match="at least one input"):
        input_names(gs.graph(x + y), " , ")


def test_ancestor_counts_count_each_node_once():
    g = gs.parse("sin(y) * exp(y) + y", y=1.0)
    within = [True] * len(g)
    assert ancestor_counts(g, [g.output], within) == {g.output: len(g)}
