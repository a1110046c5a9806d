"""jacobian(): reverse passes per row or forward passes per column, against closed forms."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

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
