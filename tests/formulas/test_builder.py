"""graphstep.formulas.builder: the public builder writes the documented text and LaTeX and evaluates right."""

from __future__ import annotations

import numpy as np
import pytest

import graphstep as gs
from graphstep.formulas import builder as m
from graphstep.formulas.tree import Env

X = np.arange(6.0).reshape(2, 3) + 1
W = np.arange(6.0).reshape(3, 2) / 3 - 0.5
V = np.array([0.5, -1.0, 2.0])


@pytest.fixture
def env():
    g = gs.parse("sum(X @ W) + sum(v)", X=X, W=W, v=V)  # X = node 0, W = node 1, v = node 4
    return Env(g, {})


@pytest.fixture
def leaves():
    return m.value((2, 3), 0, "X"), m.value((3, 2), 1, "W"), m.value((3,), 4, "v")


def check(e, env, text, latex, shape, value):
    assert e.text() == text
    assert e.latex() == latex
    assert e.shape == shape
    np.testing.assert_allclose(e.evaluate(env), value, rtol=1e-14)


def test_products_and_transposes(env, leaves):
    Xe, We, ve = leaves
    check(m.matmul(Xe, We), env, "X W", r"X\,W", (2, 2), X @ W)
    check(m.transpose(m.matmul(Xe, We)), env, "Wᵀ Xᵀ", r"W^{\top}\,X^{\top}", (2, 2), (X @ W).T)
    check(m.outer(ve, ve), env, "v vᵀ", r"v\,v^{\top}", (3, 3), np.outer(V, V))


def test_elementwise_builders_fold_and_evaluate(env, leaves):
    _, _, ve = leaves
    check(m.had(m.add([m.const(1.0), m.neg(ve)]), m.scale(2.0, ve)), env, "2·((1 - v) ⊙ v)",
          r"2\,\left(\left(1 - v\right) \odot v\right)", (3,), 2 * (1 - V) * V)
    check(m.power(ve, 2), env, "v²", "v^{2}", (3,), V**2)
    check(m.div(ve, m.const(4.0)), env, "v/4", r"\frac{1}{4}\,v", (3,), V / 4)
    check(m.fn("cos", ve), env, "cos(v)", r"\cos\left(v\right)", (3,), np.cos(V))
    check(m.indicator(ve, ">", m.const(0.0)), env, "[v > 0]", "[v > 0]", (3,), [1.0, 0.0, 1.0])
    check(m.add([m.scale(2.0, m.scale(0.5, ve)), ve]), env, "2·v", r"2\,v", (3,), 2 * V)


def test_power_rule_is_exactly_zero_where_the_exponent_is():
    g = gs.parse("sum(p ** a)", p=[0.0, 2.0, 3.0], a=[0.0, 1.0, 2.0])  # p = node 0, a = node 1
    e = m.power_rule(m.value((3,), 0, "p"), m.value((3,), 1, "a"))
    assert e.text() == "a ⊙ p^(a - 1)" and e.latex() == r"a \odot p^{a - 1}"
    value = e.evaluate(Env(g, {}))
    np.testing.assert_array_equal(value, [0.0, 1.0, 6.0])  # a·p^(a-1); 0·0^(-1) is 0, not nan
    np.testing.assert_allclose(value, gs.grad(g, "p"), rtol=1e-14)


def test_broadcast_and_reshape_builders(env, leaves):
    Xe, _, ve = leaves
    check(m.sum_to(Xe, (3,)), env, "1_2ᵀ X", r"\mathbf{1}_{2}^{\top} X", (3,), X.sum(axis=0))
    check(m.sum_keep(Xe, -1), env, "sum(X, axis=-1)", r"\textstyle\sum_{\text{axis }-1} X", (2, 1),
          X.sum(axis=-1, keepdims=True))
    check(m.expand(ve, (0,), (2, 3)), env, "1_2 vᵀ", r"\mathbf{1}_{2} v^{\top}", (2, 3), np.tile(V, (2, 1)))
    check(m.reshape(Xe, (6,)), env, "reshape(X, (6,))", r"\operatorname{reshape}_{6}\left(X\right)", (6,),
          X.ravel())
    assert m.reshape(Xe, (2, 3)) is Xe
    check(m.index(Xe, 1, (3,)), env, "X[1]", "X_{[1]}", (3,), X[1])


def test_constants_and_adjoints():
    assert m.const(2.0).text() == "2" and m.const(1.0, (4, 2)).text() == "1_4x2"
    assert m.uniform(m.const(3.0)) == 3.0 and m.uniform(m.value((), 0, "x")) is None
    G = m.adjoint((), 3, "u2")
    assert (G.text(), G.text("bar"), G.latex()) == ("G_u2", "ū2", "G_{u_{2}}")
    g = gs.parse("2 * x", x=1.0)
    assert m.scale(5.0, m.adjoint((), 2, "u1")).evaluate(Env(g, {2: m.const(3.0)})) == 15.0
