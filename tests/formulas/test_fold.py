"""graphstep.formulas.fold: numbers and like terms fold as expressions are built; values never change."""

from __future__ import annotations

import numpy as np
import pytest

import graphstep as gs
from graphstep.formulas import fold as f
from graphstep.formulas.expr import Const, Neg, Scale, Value
from graphstep.formulas.tree import Env

A_VALUE = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])
V_VALUE = np.array([0.5, -1.5, 2.0])


@pytest.fixture
def env():
    return Env(gs.parse("sum(A @ v) * u", A=A_VALUE, v=V_VALUE, u=1.25), {})  # A=0, v=1, u=4


U = Value((), 4, "u")
V = Value((3,), 1, "v")
A = Value((2, 3), 0, "A")


def test_numbers_fold(env):
    assert f.scale(2.0, f.scale(0.5, U)) == U
    assert f.scale(1.0, V) is V
    assert f.neg(f.neg(U)) == U
    assert isinstance(f.scale(-1.0, V), Neg) and f.scale(-1.0, V).text() == "-v"
    e = f.neg(f.scale(3.0, V))
    assert isinstance(e, Scale) and e.text() == "-3·v"
    np.testing.assert_allclose(e.evaluate(env), -3 * V_VALUE)


def test_like_terms_collect(env):
    assert f.add([Const((), 1.0), f.neg(U), U, U]).text() == "1 + u"
    assert f.add([U, f.neg(U)]).text() == "0"
    five = f.add([f.scale(2.0, U), f.scale(3.0, U)])
    assert five.text() == "5·u" and five.evaluate(env) == 5 * 1.25
    assert f.add([f.scale(2.0, f.scale(0.5, U)), U]).text() == "2·u"


def test_products_pull_numbers_out(env):
    e = f.matmul(f.scale(2.0, A), f.scale(3.0, V))
    assert e.text() == "6·(A v)" and e.shape == (2,)
    np.testing.assert_allclose(e.evaluate(env), 6 * A_VALUE @ V_VALUE)
    assert f.had(Const((), 2.0), V).text() == "2·v" and f.had(Const((), 1.0), V) == V
    assert f.outer(Value((2,), 0, "g"), V).text() == "g vᵀ"
    assert f.div(U, Const((), 4.0)).text() == "u/4" and f.div(V, Const((), 4.0)).evaluate(env).tolist() == [
        0.125, -0.375, 0.5]


def test_transpose_and_power(env):
    B = Value((3, 2), 4, "B")
    assert f.transpose(f.matmul(A, B)).text() == "Bᵀ Aᵀ"
    assert f.transpose(f.transpose(A)) == A
    np.testing.assert_allclose(f.transpose(A).evaluate(env), A_VALUE.T)
    assert f.power(U, 2).text() == "u²" and f.power(U, 1) == U
    assert f.power(U, 2).evaluate(env) == 1.25**2


def test_broadcast_helpers(env):
    assert f.fit(Const((), 2.0), (2,)).text() == "2·1_2" and f.fit(V, (3,)) is V
    np.testing.assert_allclose(f.fit(U, (3,)).evaluate(env), [1.25, 1.25, 1.25])
    assert f.expand(V, (0,), (2, 3)).text() == "1_2 vᵀ"
    np.testing.assert_allclose(f.expand(V, (0,), (2, 3)).evaluate(env), np.tile(V_VALUE, (2, 1)))
    assert f.sum_to(A, (3,)).text() == "1_2ᵀ A" and f.sum_to(A, ()).text() == "sum(A)"
    np.testing.assert_allclose(f.sum_to(A, (3,)).evaluate(env), A_VALUE.sum(axis=0))
    ones = f.sum_to(Const((4, 2), 1.0), (2,))  # four rows of ones sum to 4s
    assert isinstance(ones, Const) and ones.shape == (2,) and ones.c == 4.0
