"""graphstep.edge_locals: local derivatives and formulas of a graph's edges."""

from __future__ import annotations

import math

import numpy as np

import graphstep as gs
from graphstep.edge_locals import EdgeLocals
from graphstep.ops.jacobians import Jacobian

X = 1.5
E = math.exp(X * X)


def test_locals_of_x_times_exp_x_squared_against_closed_forms():
    g = gs.parse("x * exp(x^2)", x=X)  # x=0, 2=1, u1=2, u2=3, u3=4
    assert isinstance(g, EdgeLocals)
    expected = {(2, 0): 2 * X, (2, 1): X * X * math.log(X), (3, 0): E, (4, 0): E, (4, 1): X}
    for (head, pos), value in expected.items():
        assert math.isclose(g.local(head, pos), value, rel_tol=1e-14), (head, pos)
    # the chain rule over the two paths gives the gradient
    assert math.isclose(g.local(4, 0) + g.local(4, 1) * g.local(3, 0) * g.local(2, 0), E * (2 * X * X + 1))


def test_scalar_locals_are_indexed_like_the_edge_arrays():
    g = gs.parse("x * exp(x^2)", x=X)
    np.testing.assert_allclose(g.scalar_locals(), [2 * X, X * X * math.log(X), E, E, X], rtol=1e-14)
    edges = g.edge_arrays
    for k in range(len(edges.tails)):
        head = int(edges.heads[k])
        assert g.scalar_locals()[k] == g.local(head, k - int(edges.offsets[head]))


def test_scalar_locals_against_finite_differences():
    g = gs.parse("sin(x*y) + x/y", x=0.7, y=-1.3)
    x, y = 0.7, -1.3
    # u1 = x*y, u2 = sin(u1), u3 = x/y, u4 = u2 + u3
    expected = [y, x, math.cos(x * y), 1 / y, -x / y**2, 1.0, 1.0]
    np.testing.assert_allclose(g.scalar_locals(), expected, rtol=1e-12)


def test_formulas_written_on_the_edges():
    g = gs.parse("x * exp(x^2)", x=X)
    assert [g.formula(2, 0), g.formula(2, 1), g.formula(3, 0), g.formula(4, 0), g.formula(4, 1)] == [
        "2·x", "u1·ln x", "exp(u1)", "u2", "x"]
    h = gs.parse("sin(x) * y", x=0.0, y=2.0)
    assert (h.formula(1, 0), h.formula(3, 0)) == ("cos(x)", "y")


def test_tensor_edge_is_a_jacobian_with_its_formula():
    v = np.array([0.0, 1.0])
    g = gs.parse("sum(sin(v))", v=v)
    local = g.local(1, 0)
    assert isinstance(local, Jacobian)
    np.testing.assert_allclose(local.dense(), np.diag(np.cos(v)))
    assert g.edge_formula(1, 0) == "diag(cos(v))"
    np.testing.assert_allclose(g.local(2, 0).dense(), [[1.0, 1.0]])
    assert g.local(1, 0) is g.local(1, 0)  # cached
