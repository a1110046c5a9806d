"""jacobian(): reverse passes per row or forward passes per column, against closed forms."""

from __future__ import annotations

import warnings

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import jacobian as ag_jacobian
from support import assert_close

import graphstep as gs
from graphstep.algorithms.jacobian import jacobian
from graphstep.errors import DomainError, DomainWarning


def test_more_columns_than_rows_uses_reverse_passes_and_matches_the_closed_form():
    A = np.array([[1.0, -2.0, 0.5], [0.3, 0.0, 2.0]])
    v = np.array([0.2, -0.1, 0.4])
    g = gs.parse("tanh(A @ v)", A=A, v=v)
    expected = (1 - np.tanh(A @ v) ** 2)[:, None] * A  # 2x3: rows <= cols
    assert np.allclose(jacobian(g, "v"), expected, rtol=1e-13, atol=1e-15)
    assert np.allclose(jacobian(g, "v", layout="denominator"), expected.T, rtol=1e-13, atol=1e-15)


def test_more_rows_than_columns_uses_forward_passes_and_matches_the_closed_form():
    x = 0.7
    g = gs.parse("[x**2, sin(x), exp(x)]", x=x)  # 3x1
    assert np.allclose(jacobian(g, "x"), [[2 * x], [np.cos(x)], [np.exp(x)]], rtol=1e-14)
    assert jacobian(g).keys() == {"x"}


def test_an_input_multiplied_by_zero_has_a_zero_jacobian():
    g = gs.parse("sum(y) * 0 + [x, 2*x]", x=1.0, y=np.ones(3))
    assert np.array_equal(jacobian(g, "y"), np.zeros((2, 3)))  # reverse passes
    assert np.array_equal(jacobian(g, "x"), [[1.0], [2.0]])  # forward passes


def test_a_nan_jacobian_warns_once_for_all_passes_or_raises_when_strict():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = jacobian(gs.parse("[sqrt(x), x, 2*x]", x=0.0), "x")
    assert np.isinf(result[0, 0]) and result[1:, 0].tolist() == [1.0, 2.0]
    derivative_warnings = [w for w in caught if issubclass(w.category, DomainWarning)]
    assert len(derivative_warnings) == 1 and "sqrt" in str(derivative_warnings[0].message)
    with pytest.raises(DomainError):
        jacobian(gs.parse("[sqrt(x), x, 2*x]", x=0.0, strict=True), "x")


def test_the_jacobian_agrees_with_one_forward_derivative_per_column():
    W = np.array([[0.5, -1.0], [2.0, 0.25], [1.5, 1.0]])
    b = np.array([0.1, -0.2, 0.3])
    h = np.array([0.3, -0.7])
    g = gs.parse("sigmoid(W @ h + b)", W=W, h=h, b=b)
    J = jacobian(g, "h")
    for j in range(2):
        direction = np.eye(2)[j]
        assert np.allclose(J[:, j], gs.forward_derivative(g, "h", direction), rtol=1e-14, atol=0)


def test_jacobian_of_f_and_g_from_the_slides():
    x, y = 1.5, -2.0
    g = gs.parse("[3*x^2*(2*y + 7), 4*x + y^2]", x=x, y=y)
    full = np.hstack([gs.jacobian(g)[name] for name in g.inputs])
    np.testing.assert_allclose(full, [[6 * x * (2 * y + 7), 6 * x * x], [4, 2 * y]])
    np.testing.assert_allclose(gs.path_sum(g, "x"), [[6 * x * (2 * y + 7)], [4]])
    with pytest.raises(gs.ShapeError, match="scalar output"):
        gs.grad(g)


RNG = np.random.default_rng(20240611)


def randn(*shape, scale=1.0):
    return RNG.normal(size=shape) * scale




def test_dense_form_refuses_past_the_size_limit():
    big = gs.parse("A * 2", A=np.ones((2100, 1000)))
    J = big.local(big.output, 0)
    with pytest.raises(gs.SizeLimitError, match="dense limit"):
        J.dense()
    pulled = J.vjp(np.ones((2100, 1000)))  # vjp never builds it
    assert pulled.shape == (2100, 1000) and np.all(pulled == 2.0)  # d(2A)/dA = 2 everywhere
    with pytest.raises(gs.SizeLimitError, match="more than"):
        gs.jacobian(big, "A")


def test_jacobian_is_numerator_layout_and_transposes_for_denominator():
    A, v = randn(3, 4), randn(4)
    g = gs.parse("tanh(A @ v)", A=A, v=v)
    J = gs.jacobian(g, "v")
    expected = ag_jacobian(lambda v: anp.tanh(anp.dot(A, v)))(v)
    assert J.shape == (3, 4)
    assert_close(J, expected, 1e-12, 1e-12)
    assert_close(gs.jacobian(g, "v", layout="denominator"), expected.T, 1e-12, 1e-12)
    JA = gs.jacobian(g, "A")
    assert JA.shape == (3, 12)
    assert_close(JA, ag_jacobian(lambda A: anp.tanh(anp.dot(A, v)))(A).reshape(3, 12), 1e-12, 1e-12)
    both = gs.jacobian(g, layout="denominator")
    assert set(both) == {"A", "v"} and both["A"].shape == (12, 3)
    with pytest.raises(gs.InputError, match="layout must be"):
        gs.jacobian(g, "v", layout="columns")
