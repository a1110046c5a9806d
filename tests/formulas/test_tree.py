"""graphstep.formulas.tree: Expr, Env, node_class and the helpers every node shares."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

import graphstep as gs
from graphstep.formulas.expr import Const, Had, MatMul, Neg, Value
from graphstep.formulas.tree import (
    Env,
    Expr,
    atom_text,
    child_text,
    fit_value,
    node_class,
    quiet,
    shape_latex,
)


def test_env_evaluates_each_definition_once_at_the_node_shape():
    g = gs.parse("sum(v * v)", v=[1.0, 2.0])  # v = 0, u1 = 1, u2 = 2
    calls = []

    def counting(node, env):
        calls.append(node)
        return 4.0

    Counted = node_class("Counted", "Counts its evaluations.", "", lambda p: "c", lambda p: "c", counting)
    env = Env(g, {1: Counted((2,))})
    first = env.adjoint(1)
    np.testing.assert_array_equal(first, [4.0, 4.0])  # fitted to u1's shape (2,)
    assert env.adjoint(1) is first and len(calls) == 1
    assert Env(gs.parse("2 * x", x=1.0), {2: Const((), 3.0)}).adjoint(2) == 3.0


def test_fit_value():
    assert fit_value(np.float64(2.0), ()) == 2.0 and type(fit_value(np.array([[2.0]]), ())) is float
    np.testing.assert_array_equal(fit_value(1.0, (2, 2)), np.ones((2, 2)))
    np.testing.assert_array_equal(fit_value([1, 2], (3, 2)), [[1.0, 2.0]] * 3)


def test_node_class_builds_frozen_dataclasses_with_text_latex_value():
    Leaf = node_class("Leaf", "A named leaf.", "name:str", lambda p: p.name,
                      lambda p: rf"\mathrm{{{p.name}}}", lambda n, env: 2.0)
    Twice = node_class("Twice", "``2a``.", "a", lambda p: f"2{p.a.atom}", lambda p: f"2{p.a.atom}",
                       lambda n, env: 2 * n.a.evaluate(env), prec=2, kind="scale")
    x = Leaf((), "x")
    assert issubclass(Leaf, Expr) and dataclasses.is_dataclass(x)
    assert (x.text(), x.latex(), x.prec) == ("x", r"\mathrm{x}", 5)
    assert Leaf.__doc__.startswith("A named leaf.")
    nested = Twice((), Twice((), x))
    assert nested.text() == "2(2x)" and nested.evaluate(None) == 8.0
    assert nested.children() == (Twice((), x),) and x == Leaf((), "x") and hash(x) == hash(Leaf((), "x"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        x.name = "y"


def test_children_replace_and_parentheses():
    x, y = Value((2, 2), 0, "X"), Value((2, 2), 1, "Y")
    e = Had((2, 2), x, Neg((2, 2), x))
    assert (e.shape, e.prec, e.kind, str(e)) == ((2, 2), 2, "had", "X ⊙ (-X)")
    assert e.children() == (x, Neg((2, 2), x))
    assert e.replace(lambda n: y if n == x else None).text() == "Y ⊙ (-Y)"
    assert child_text(MatMul((2, 2), x, x), Had((2, 2), x, x)) == "(X ⊙ X)"
    assert child_text(Had((2, 2), x, x), MatMul((2, 2), x, x)) == "(X X)"
    assert (atom_text(x), atom_text(Neg((2, 2), x))) == ("X", "(-X)")
    g = gs.parse("sum(X @ Y)", X=[[1.0, 2.0], [3.0, 4.0]], Y=[[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(e.replace(lambda n: y if n == x else None).evaluate(Env(g, {})),
                               -np.array([[0.0, 1.0], [1.0, 0.0]]) ** 2)


def test_quiet_and_shape_latex():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert quiet(lambda node, env: np.log(0.0))(None, None) == -np.inf
        assert np.isnan(quiet(lambda node, env: np.sqrt(-1.0))(None, None))
    assert (shape_latex((4, 3)), shape_latex((3,)), shape_latex(())) == (r"4\times 3", "3", "")
