"""The composite op: value and local derivatives carried by the node, checked against closed forms."""

import numpy as np

import graphstep as gs
from graphstep.build.trace import apply
from graphstep.ops import jacobians as jac
from graphstep.ops.composite import COMPOSITE, composite_params


def _cube_of(x):
    params = composite_params(lambda a: a[0] ** 3, lambda pos, a, out: 3 * a[0] ** 2, "cube")
    return apply(COMPOSITE, x, text="cube(x)", **params)


def test_a_scalar_composite_node_takes_part_in_every_derivative():
    x = gs.var("x", 1.5)
    g = gs.graph(gs.sin(_cube_of(x)))
    exact = np.cos(1.5**3) * 3 * 1.5**2
    assert np.isclose(gs.grad(g, "x"), exact)
    assert np.isclose(gs.path_sum(g, "x"), exact)
    assert np.isclose(gs.forward_derivative(g, "x"), exact)
    assert g.local(1, 0) == 3 * 1.5**2


def test_a_tensor_composite_node_reads_an_array_as_a_dense_jacobian():
    A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    params = composite_params(lambda a: A @ a[0], lambda pos, a, out: A, "A_times")
    v = gs.var("v", [1.0, -1.0])
    y = apply(COMPOSITE, v, text="A_times(v)", **params)
    g = gs.graph(gs.sum(y * y))
    local = g.local(1, 0)
    assert isinstance(local, jac.Dense) and local.formula == "∂u1/∂v"
    assert np.allclose(gs.grad(g, "v"), 2 * A.T @ (A @ np.array([1.0, -1.0])))
