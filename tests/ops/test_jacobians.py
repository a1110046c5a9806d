"""Jacobian classes (graphstep.ops.jacobians): structure, dense form, compose, vjp and jvp."""

from __future__ import annotations

import numpy as np
import pytest
from support import assert_close

import graphstep as gs
from graphstep.ops import jacobians as jac
from graphstep.ops.table import OPS

RNG = np.random.default_rng(20240611)


def randn(*shape, scale=1.0):
    return RNG.normal(size=shape) * scale


# --------------------------------------------------------------------------------------
# independent references
# --------------------------------------------------------------------------------------




# --------------------------------------------------------------------------------------
# structured Jacobians
# --------------------------------------------------------------------------------------


def _local_cases():
    """(graph, head) pairs covering every kind of Jacobian object on an edge."""
    expressions = [
        ("A @ B", dict(A=randn(3, 4), B=randn(4, 2))),
        ("A @ v", dict(A=randn(3, 4), v=randn(4))),
        ("w @ A", dict(A=randn(3, 4), w=randn(3))),
        ("dot(v, u)", dict(v=randn(4), u=randn(4))),
        ("tanh(A)", dict(A=randn(3, 2))),
        ("A * C", dict(A=randn(2, 3), C=randn(2, 3))),
        ("A - C", dict(A=randn(2, 3), C=randn(2, 3))),
        ("-A", dict(A=randn(2, 3))),
        ("A.T", dict(A=randn(2, 3))),
        ("sum(A, axis=0)", dict(A=randn(2, 3))),
        ("mean(A, axis=(0, 1))", dict(A=randn(2, 3))),
        ("max(A, axis=1)", dict(A=randn(2, 3))),
        ("softmax(A, axis=0)", dict(A=randn(3, 2))),
        ("reshape(A, (3, 2))", dict(A=randn(2, 3))),
        ("[v, u]", dict(v=randn(3), u=randn(3))),
        ("A + r", dict(A=randn(2, 3), r=randn(3))),
        ("A + c", dict(A=randn(2, 3), c=randn(2, 1))),
        ("A * s", dict(A=randn(2, 3), s=0.5)),
    ]
    for expression, values in expressions:
        g = gs.parse(expression, **values)
        for head in range(len(g)):
            for pos, tail in enumerate(g.args(head)):
                if g.op(tail) != "const" and isinstance(g.local(head, pos), jac.Jacobian):
                    yield pytest.param(g, head, pos, id=f"{expression}:{g.label(head)}[{pos}]")


def _op_jacobian_by_differences(g, head, pos, eps=1e-6):
    """d head / d argument pos, by central differences of the op's forward alone."""
    op = OPS[g.op(head)]
    args = [np.array(g.value_of(a), dtype=float) for a in g.args(head)]
    x = args[pos]
    columns = []
    for index in np.ndindex(x.shape):
        outs = []
        for sign in (1, -1):
            shifted = [a.copy() for a in args]
            shifted[pos][index] += sign * eps
            outs.append(np.ravel(op.forward(tuple(shifted), g.params(head))))
        columns.append((outs[0] - outs[1]) / (2 * eps))
    return np.array(columns).T


@pytest.mark.parametrize("g, head, pos", list(_local_cases()))
def test_local_jacobian_dense_vjp_jvp_and_transpose(g, head, pos):
    J = g.local(head, pos)
    tail = g.args(head)[pos]
    assert J.in_shape == g.shape_of(tail) and J.out_shape == g.shape_of(head)
    dense = J.dense()
    assert dense.shape == J.shape == (int(np.prod(J.out_shape)), int(np.prod(J.in_shape)))
    assert_close(dense, _op_jacobian_by_differences(g, head, pos), 1e-6, 1e-8)
    gy, tx = randn(*J.out_shape), randn(*J.in_shape)
    assert_close(np.ravel(J.vjp(gy)), np.ravel(gy) @ dense, 1e-12, 1e-12)
    assert np.shape(J.vjp(gy)) == J.in_shape
    assert_close(np.ravel(J.jvp(tx)), dense @ np.ravel(tx), 1e-12, 1e-12)
    # the transpose: denominator layout
    assert_close(J.T.dense(), dense.T, 0, 0)
    assert_close(J.dense(layout="denominator"), dense.T, 0, 0)
    assert J.T.T is J and J.T.formula == J.formula_t and J.T.formula_t == J.formula
    assert J.layout_formula("denominator") == J.formula_t
    # order="F" is the same matrix with rows and columns in column-stacking order
    rows = np.arange(dense.shape[0]).reshape(J.out_shape or (1,)).ravel(order="F")
    cols = np.arange(dense.shape[1]).reshape(J.in_shape or (1,)).ravel(order="F")
    assert_close(J.dense(order="F"), dense[np.ix_(rows, cols)], 0, 0)


def test_matmul_jacobians_in_vec_form_are_kronecker_products():
    A, B = randn(3, 4), randn(4, 2)
    g = gs.parse("A @ B", A=A, B=B)
    JA, JB = g.local(2, 0), g.local(2, 1)
    assert (JA.formula, JB.formula) == ("Bᵀ ⊗ I_3", "I_2 ⊗ A")
    assert (JA.formula_t, JB.formula_t) == ("B ⊗ I_3", "I_2 ⊗ Aᵀ")
    assert np.array_equal(JA.dense(order="F"), np.kron(B.T, np.eye(3)))  # vec(AB) = (Bᵀ ⊗ I) vec A
    assert np.array_equal(JB.dense(order="F"), np.kron(np.eye(2), A))  # vec(AB) = (I ⊗ A) vec B
    M, x = randn(3, 2), randn(2)
    g = gs.parse("M @ x", M=M, x=x)
    assert np.array_equal(g.local(2, 0).dense(order="F"), np.kron(x[None, :], np.eye(3)))
    assert g.local(2, 1).formula == "M" and np.array_equal(g.local(2, 1).dense(), M)


def test_jacobian_formulas_name_their_structure():
    g = gs.parse("sum(tanh(W @ x + b))", W=randn(3, 2), x=randn(2), b=randn(3))
    formulas = {(g.label(h), g.label(g.args(h)[p])): g.edge_formula(h, p) for _, h, p in g.edges()}
    assert formulas[("u1", "W")] == "xᵀ ⊗ I_3"
    assert formulas[("u1", "x")] == "W"
    assert formulas[("u2", "b")] == "I_3"
    assert formulas[("u3", "u2")] == "diag(1 - u3²)"
    assert formulas[("u4", "u3")] == "1ᵀ"
    kinds = {g.local(h, p).kind for _, h, p in g.edges()}
    assert kinds == {"kronecker", "identity", "diagonal", "reduction"}


def test_compose_keeps_structure():
    d1 = jac.Diagonal(np.array([1.0, 2.0, 3.0]), "diag(a)")
    d2 = jac.Diagonal(np.array([2.0, 2.0, 2.0]), "diag(b)")
    merged = jac.compose(d1, d2)
    assert merged.kind == "diagonal" and np.array_equal(merged.d, [2.0, 4.0, 6.0])
    identity = jac.Scale(1.0, (3,))
    assert jac.compose(identity, d1) is d1 and jac.compose(d1, identity) is d1
    W = randn(3, 3)
    right = jac.MatmulRight(W, (3,), (3,), "W", "x")
    chain = jac.compose(jac.Reduction((3,), None), jac.compose(d1, right))
    assert chain.kind == "chain" and chain.formula == "1ᵀ · diag(a) · W"
    assert chain.formula_t == "Wᵀ · diag(a) · 1"
    expected = np.ones(3) @ np.diag([1.0, 2.0, 3.0]) @ W
    assert_close(chain.dense(), expected[None, :], 1e-14, 1e-14)
    assert_close(chain.T.dense(), expected[:, None], 1e-14, 1e-14)
    with pytest.raises(gs.InputError, match="layout"):
        chain.dense(layout="rows")


# --------------------------------------------------------------------------------------
# random shapes and values
# --------------------------------------------------------------------------------------


def test_dense_jacobian_applies_its_matrix_both_ways_and_composes():
    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(6, 4))
    J = jac.Dense(matrix, (2, 2), (2, 3), "A")
    assert J.kind == "dense" and J.shape == (6, 4)
    g, t = rng.normal(size=(2, 3)), rng.normal(size=(2, 2))
    np.testing.assert_allclose(J.vjp(g), (g.ravel() @ matrix).reshape(2, 2))
    np.testing.assert_allclose(J.jvp(t), (matrix @ t.ravel()).reshape(2, 3))
    np.testing.assert_array_equal(J.dense(), matrix)
    d = rng.normal(size=(2, 2))
    chained = jac.compose(J, jac.Diagonal(d, "diag(d)"))
    np.testing.assert_allclose(chained.dense(), matrix @ np.diag(d.ravel()))
    np.testing.assert_allclose(jac.to_dense(chained, layout="denominator"),
                               (matrix @ np.diag(d.ravel())).T)
