"""graphstep.ops.structural: the structural ops' forwards and Jacobians against finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

import graphstep as gs
from graphstep.formulas.rules import adjoint_rule
from graphstep.formulas.sentences import adjoint_sentence
from graphstep.ops.structural import (
    extreme_jacobian,
    matmul_jacobian,
    mean_forward,
    mean_scale,
    reduce_forward,
    softmax_forward,
)
from graphstep.ops.table import OPS

RNG = np.random.default_rng(11)


def numeric_jacobian(forward, args, pos, eps=1e-6):
    """Central differences of ``forward(args)`` in argument ``pos``: ``(out.size, in.size)``."""
    x = np.array(args[pos], dtype=float)
    columns = []
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        hi = forward(args[:pos] + (plus,) + args[pos + 1:])
        lo = forward(args[:pos] + (minus,) + args[pos + 1:])
        columns.append(np.ravel((np.asarray(hi) - np.asarray(lo)) / (2 * eps)))
    return np.array(columns).T


CASES = [  # op, args, params
    ("matmul", (RNG.normal(size=(2, 3)), RNG.normal(size=(3, 4))), {}),
    ("matmul", (RNG.normal(size=(2, 3)), RNG.normal(size=3)), {}),
    ("matmul", (RNG.normal(size=3), RNG.normal(size=(3, 2))), {}),
    ("sum", (RNG.normal(size=(2, 3)),), {"axis": 0}),
    ("mean", (RNG.normal(size=(2, 3)),), {"axis": 1}),
    ("mean", (RNG.normal(size=(2, 3)),), {}),
    ("softmax", (RNG.normal(size=(2, 3)),), {}),
    ("softmax", (RNG.normal(size=(3, 2)),), {"axis": 0}),
    ("amax", (np.array([0.3, -1.0, 2.0, 0.5]),), {}),
    ("amin", (np.array([[0.3, -1.0], [2.0, 0.5]]),), {"axis": 1}),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_structural_jacobian_matches_finite_differences(case):
    name, args, params = CASES[case]
    op = OPS[name]
    out = op.forward(args, params)
    labels = tuple(f"a{k}" for k in range(len(args))) + ("u",)
    for pos in range(len(args)):
        J = op.jacobian(pos, args, out, params, labels)
        numeric = numeric_jacobian(lambda a: op.forward(a, params), args, pos)
        np.testing.assert_allclose(J.dense(), numeric.reshape(J.shape), rtol=1e-6, atol=1e-8)


def test_forwards_against_numpy():
    x = RNG.normal(size=(2, 3))
    np.testing.assert_allclose(reduce_forward(np.sum)((x,), {"axis": 0}), x.sum(axis=0))
    np.testing.assert_allclose(mean_forward((x,), {"axis": 1}), x.mean(axis=1))
    assert mean_forward((np.array([1.0, 2.0, 6.0]),), {}) == 3.0
    with np.errstate(all="raise"):
        assert math.isnan(mean_forward((np.zeros(0),), {}))  # no RuntimeWarning from numpy
    s = softmax_forward((x,), {})
    np.testing.assert_allclose(s, np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True), rtol=1e-14)
    np.testing.assert_allclose(softmax_forward((np.array([0.0, np.log(3.0)]),), {}), [0.25, 0.75])
    big = softmax_forward((np.array([1000.0, 1000.0]),), {})  # the max is subtracted: no overflow
    np.testing.assert_allclose(big, [0.5, 0.5])
    assert mean_scale((2, 3), None) == 1 / 6 and mean_scale((2, 4), 1) == 0.25
    assert mean_scale((0,), None) == 1.0  # the mean of no entries: no division by zero


def test_extreme_jacobian_splits_ties_evenly():
    J = extreme_jacobian("max")(0, (np.array([1.0, 3.0, 3.0]),), 3.0, {}, ("v",))
    assert J.formula == "1ᵀ · diag(1/k at the k tied argmax) (tie: split evenly)"
    np.testing.assert_allclose(J.dense(), [[0.0, 0.5, 0.5]])
    K = extreme_jacobian("min")(0, (np.array([4.0, -2.0, 3.0]),), -2.0, {}, ("v",))
    assert K.formula == "1ᵀ · diag(onehot(argmin))"
    np.testing.assert_allclose(K.dense(), [[0.0, 1.0, 0.0]])


def test_matmul_jacobian_kinds_and_formulas():
    W, x = RNG.normal(size=(2, 3)), RNG.normal(size=3)
    right = matmul_jacobian(1, (W, x), W @ x, {}, ("W", "x", "u"))
    assert type(right).__name__ == "MatmulRight" and right.formula == "W"
    np.testing.assert_allclose(right.dense(), W)
    left = matmul_jacobian(0, (W, x), W @ x, {}, ("W", "x", "u"))
    np.testing.assert_allclose(left.dense(), np.kron(np.eye(2), x[None, :]))


def test_adjoint_rules_and_sentences_text():
    g = gs.parse("sum(X @ W)", X=np.ones((4, 3)), W=np.ones((3, 2)))
    assert (adjoint_rule(g, 2, 0).text(), adjoint_rule(g, 2, 1).text()) == ("G_u1 Wᵀ", "Xᵀ G_u1")
    assert adjoint_rule(gs.parse("mean(X)", X=np.ones((2, 3))), 1, 0).text() == "G_u1/6"
    assert adjoint_rule(gs.parse("max(v)", v=np.array([1.0, 3.0])), 1, 0).text() == "G_u1·onehot(argmax v)"
    assert (adjoint_rule(gs.parse("softmax(v)", v=np.array([1.0, 3.0])), 1, 0).text()
            == "u1 ⊙ (G_u1 - sum(G_u1 ⊙ u1, axis=-1))")
    sentence = " ".join(adjoint_sentence(g, 2, 1).split())
    assert sentence == ("u1 = X @ W. As scalars ∂u1/∂W = X; G_u1 is 4×2 and X is 4×3, so G_W = Xᵀ G_u1 "
                        "(3×4 times 4×2), 3×2 like W.")
