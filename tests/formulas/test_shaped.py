"""graphstep.formulas.shaped: Const, Scale, SumTo, Expand and BroadcastTo — text, LaTeX, precedence, value."""

from __future__ import annotations

import numpy as np
import pytest

import graphstep as gs
from graphstep.formulas.expr import Adjoint, Value
from graphstep.formulas.shaped import BroadcastTo, Const, Expand, Scale, SumTo
from graphstep.formulas.tree import Env

G_VALUE = np.arange(12.0).reshape(4, 3) - 5.0


@pytest.fixture
def env():
    """G_u1 (u1 = X * 2, node 2) defined as X itself, so its value is G_VALUE."""
    g = gs.parse("sum(X * 2)", X=G_VALUE)  # X = node 0, the constant 2 = node 1, u1 = node 2
    return Env(g, {2: Value((4, 3), 0, "X")})


def test_const_text_latex_and_value():
    texts = [Const((), 2.0).text(), Const((4, 2), 1.0).text(), Const((2,), 3.0).text()]
    assert texts == ["2", "1_4x2", "3·1_2"]
    assert Const((2,), 1.0).latex() == r"\mathbf{1}_{2}"
    assert (Const((2,), 3.0).prec, Const((2,), 1.0).prec) == (2, 5)
    assert (Const((2,), 3.0).kind, Const((), 3.0).kind) == ("scale", "atom")
    np.testing.assert_array_equal(Const((2, 2), 3.0).evaluate(None), np.full((2, 2), 3.0))


def test_scale_writes_halves_as_division():
    v = Value((2,), 0, "v")
    assert (Scale((2,), 0.5, v).text(), Scale((2,), 3.0, v).text()) == ("v/2", "3·v")
    assert (Scale((2,), 0.5, v).kind, Scale((2,), 3.0, v).kind) == ("div", "scale")
    g = gs.parse("sum(v)", v=[2.0, -4.0])
    np.testing.assert_allclose(Scale((2,), 0.5, v).evaluate(Env(g, {})), [1.0, -2.0])


def test_sum_to_forms(env):
    G = Adjoint((4, 3), 2, "u1")
    assert (SumTo((3,), G).text(), SumTo((), G).text(), SumTo((4, 1), G).text()) == (
        "1_4ᵀ G_u1", "sum(G_u1)", "G_u1 1_3")
    assert (SumTo((3,), G).prec, SumTo((), G).prec, SumTo((3,), G).kind) == (2, 5, "mm")
    np.testing.assert_allclose(SumTo((3,), G).evaluate(env), G_VALUE.sum(axis=0))
    np.testing.assert_allclose(SumTo((4, 1), G).evaluate(env), G_VALUE.sum(axis=1, keepdims=True))
    assert SumTo((), G).evaluate(env) == G_VALUE.sum()
    assert Scale((3,), 0.25, SumTo((3,), G)).text() == "(1_4ᵀ G_u1)/4"


def test_expand_and_broadcast_to():
    g = gs.parse("sum(r) * s", r=[1.0, 2.0, 3.0], s=2.0)  # r = node 0, s = node 2
    env = Env(g, {})
    row, number = Value((3,), 0, "r"), Value((), 2, "s")
    assert (Expand((4, 3), row, (0,)).text(), Expand((4, 3), number, (0, 1)).text()) == ("1_4 rᵀ", "s")
    assert (Expand((4, 3), row, (0,)).prec, Expand((4, 3), row, (0,)).kind) == (2, "mm")
    np.testing.assert_allclose(Expand((4, 3), row, (0,)).evaluate(env), np.tile([1.0, 2.0, 3.0], (4, 1)))
    np.testing.assert_allclose(Expand((4, 3), number, (0, 1)).evaluate(env), np.full((4, 3), 2.0))
    b = BroadcastTo((2,), Const((), 3.0))
    assert (b.text(), b.prec, b.kind) == ("3", 5, "atom")
    np.testing.assert_allclose(b.evaluate(env), [3.0, 3.0])
