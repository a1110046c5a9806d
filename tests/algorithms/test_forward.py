"""Forward accumulation (graphstep.algorithms.forward): derivatives along one input."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import graphstep as gs
from graphstep.algorithms.forward import tangents
from graphstep.algorithms.reverse import adjoints
from graphstep.errors import DomainWarning

# --- the seed examples -------------------------------------------------------------------


def test_vector_chain_rule_ln_x2_sin_3x():
    x = 0.8
    g = gs.parse("[ln(x^2), sin(3*x)]", x=x)
    np.testing.assert_allclose(gs.jacobian(g, "x"), [[2 / x], [3 * math.cos(3 * x)]])
    np.testing.assert_allclose(gs.path_sum(g, "x"), [[2 / x], [3 * math.cos(3 * x)]])
    np.testing.assert_allclose(gs.forward_derivative(g, "x"), [2 / x, 3 * math.cos(3 * x)])


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
