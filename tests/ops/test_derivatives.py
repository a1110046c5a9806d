"""graphstep.ops.derivatives: Scale, Diagonal, Chain, Transposed, compose/vjp/jvp against dense matrices."""

from __future__ import annotations

import numpy as np
import pytest

from graphstep.errors import InputError
from graphstep.ops.derivatives import (
    Chain,
    Diagonal,
    Jacobian,
    Scale,
    Transposed,
    check_layout,
    compose,
    jvp,
    vjp,
)
from graphstep.ops.jacobians import MatmulRight, Reduction

RNG = np.random.default_rng(7)
D1 = RNG.normal(size=3)
D2 = RNG.normal(size=3)
W = RNG.normal(size=(2, 3))


def _kinds():
    """A few Jacobians, each with the dense matrix it must equal (numerator layout)."""
    return [
        (Scale(2.5, (3,)), 2.5 * np.eye(3)),
        (Scale(1, (3,)), np.eye(3)),
        (Diagonal(D1, "diag(a)"), np.diag(D1)),
        (MatmulRight(W, (3,), (2,), "W", "x"), W),
        (Reduction((3,), None), np.ones((1, 3))),
    ]


@pytest.mark.parametrize("k", range(5))
def test_vjp_jvp_and_dense_agree_with_the_matrix(k):
    J, M = _kinds()[k]
    assert J.shape == M.shape
    np.testing.assert_allclose(J.dense(), M, rtol=1e-15)
    g = RNG.normal(size=J.out_shape) if J.out_shape else 0.7
    t = RNG.normal(size=J.in_shape)
    np.testing.assert_allclose(np.ravel(vjp(J, g)), np.ravel(g) @ M, rtol=1e-13)
    np.testing.assert_allclose(np.ravel(jvp(J, t)), M @ t, rtol=1e-13)
    T = J.T
    assert isinstance(T, Transposed) and T.T is J and T.shape == M.T.shape
    np.testing.assert_allclose(T.dense(), M.T, rtol=1e-15)


def test_compose_is_the_matrix_product():
    A = MatmulRight(W, (3,), (2,), "W", "u")
    B = Diagonal(D1, "diag(a)")
    C = Diagonal(D2, "diag(b)")
    merged = compose(B, C)
    assert isinstance(merged, Diagonal) and merged.formula == "diag(a) · diag(b)"
    np.testing.assert_allclose(merged.d, D1 * D2)
    chain = compose(A, merged)
    assert isinstance(chain, Chain) and chain.shape == (2, 3)
    np.testing.assert_allclose(chain.dense(), W @ np.diag(D1 * D2), rtol=1e-14)
    longer = compose(Reduction((2,), None), chain)
    assert isinstance(longer, Chain) and len(longer.factors) == 3  # chains flatten
    np.testing.assert_allclose(longer.dense(), np.ones((1, 2)) @ W @ np.diag(D1 * D2), rtol=1e-14)
    t = RNG.normal(size=3)
    np.testing.assert_allclose(longer.jvp(t), np.sum(W @ (D1 * D2 * t)), rtol=1e-13)
    np.testing.assert_allclose(longer.vjp(1.0), np.ones(2) @ W @ np.diag(D1 * D2), rtol=1e-13)


def test_compose_drops_identities_and_multiplies_floats():
    B = Diagonal(D1, "diag(a)")
    assert compose(Scale(1, (3,)), B) is B and compose(B, Scale(1, (3,))) is B
    assert compose(2.0, 3.0) == 6.0 and vjp(2.0, 3.0) == 6.0 and jvp(3.0, 2.0) == 6.0
    scaled = compose(2.0, B)
    np.testing.assert_allclose(scaled.dense(), 2.0 * np.diag(D1))
    with pytest.raises(ValueError, match="cannot compose"):
        compose(MatmulRight(W, (3,), (2,), "W", "u"), Diagonal(np.ones(2), "diag(c)"))


def test_formulas():
    assert Scale(2.0, (3,)).formula == "2·I_3" and Scale(-1, (2, 2)).formula == "-I_4"
    assert Scale(1, ()).formula == "1"
    assert Scale(1, (2,)).kind == "identity" and Scale(3, (2,)).kind == "scale"
    J = MatmulRight(W, (3,), (2,), "W", "x")
    assert J.T.formula == "Wᵀ" and J.T.T.formula == "W"
    chain = Chain([Reduction((2,), None), J])
    assert chain.formula == "1ᵀ · W" and chain.formula_t == "Wᵀ · 1"
    assert isinstance(chain, Jacobian) and str(chain) == chain.formula


def test_check_layout():
    assert check_layout("numerator") == "numerator" and check_layout("denominator") == "denominator"
    with pytest.raises(InputError, match=r"^layout must be 'numerator' or 'denominator', got 'rows'$"):
        check_layout("rows")


def test_vjp_passes_nan_quietly():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = vjp(Diagonal(np.array([np.inf, 1.0]), "diag(a)"), np.array([0.0, 2.0]))
    assert out[1] == 2.0
