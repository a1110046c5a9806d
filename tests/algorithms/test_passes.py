"""Reverse and forward passes: check=False leaves the reporting to the caller."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import graphstep as gs
from graphstep.algorithms.forward import tangents
from graphstep.algorithms.reverse import adjoints
from graphstep.errors import DomainWarning


def _warnings(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fn()
    return result, [w for w in caught if issubclass(w.category, DomainWarning)]


def test_check_false_returns_the_same_values_without_warning():
    g = gs.parse("sqrt(x) + x", x=0.0)
    checked, said = _warnings(lambda: adjoints(g))
    quiet, unsaid = _warnings(lambda: adjoints(g, check=False))
    assert checked == quiet and checked[0] == float("inf")
    assert len(said) == 1 and unsaid == []
    forward, said = _warnings(lambda: tangents(g, "x"))
    quiet, unsaid = _warnings(lambda: tangents(g, "x", check=False))
    assert forward == quiet and len(said) == 1 and unsaid == []


def test_reverse_and_forward_agree_with_the_closed_form():
    x, y = 0.4, -1.3
    g = gs.parse("sin(x*y) + x/y", x=x, y=y)
    adjoint = adjoints(g)
    assert adjoint[g.input_node("x")] == pytest.approx(y * np.cos(x * y) + 1 / y, rel=1e-14)
    assert adjoint[g.input_node("y")] == pytest.approx(x * np.cos(x * y) - x / y**2, rel=1e-14)
    assert tangents(g, "y")[g.output] == pytest.approx(adjoint[g.input_node("y")], rel=1e-14)


def test_tensor_adjoints_skip_what_no_wanted_input_needs():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    w = np.array([0.5, -0.5])
    g = gs.parse("sum(tanh(X @ w))", X=X, w=w)
    result = adjoints(g, wrt=["w"])
    assert result[g.input_node("X")] is None
    expected = X.T @ (1 - np.tanh(X @ w) ** 2)
    assert np.allclose(result[g.input_node("w")], expected, rtol=1e-14, atol=0)
    assert np.allclose(gs.grad(g, "w"), expected, rtol=1e-14, atol=0)
