"""where, stop_gradient and opaque nodes: values, local derivatives, and the four-way check."""

import numpy as np
from support import assert_close, check_four_ways

import graphstep as gs
from graphstep.build.trace import var
from graphstep.importers.nodes import opaque, stop_gradient, title_of, where


def test_where_picks_entries_and_its_derivative_is_the_mask():
    x = var("x", [-1.0, 2.0, 3.0])
    y = var("y", [5.0, 6.0, 7.0])
    mask = np.array([True, False, True])
    out = where(mask, [x, y])  # select_n order: case 1 where true
    assert out.value.tolist() == [5.0, 2.0, 7.0]
    g = gs.graph(gs.sum(out * out))
    assert_close(gs.grad(g, "x"), [0.0, 4.0, 0.0])
    assert_close(gs.grad(g, "y"), [10.0, 0.0, 14.0])
    check_four_ways(g)


def test_where_with_a_constant_case_and_a_scalar_mask():
    x = var("x", 2.0)
    g = gs.graph(where(np.array(1), [0.0, x]) * 3.0)
    assert g.value == 6.0 and gs.grad(g, "x") == 3.0
    g = gs.graph(where(np.array(0), [0.0, x]) * 3.0 + x)
    assert g.value == 2.0 and gs.grad(g, "x") == 1.0


def test_stop_gradient_passes_the_value_and_zero_derivative():
    v = var("v", [1.0, -2.0])
    g = gs.graph(gs.sum(stop_gradient(v) * v))
    assert_close(gs.grad(g, "v"), [1.0, -2.0])
    assert_close(gs.path_sum(g, "v"), [1.0, -2.0])
    assert_close(gs.forward_grad(g, "v"), [1.0, -2.0])


def test_opaque_node_uses_the_given_jacobian_as_a_dense_matrix():
    A = np.array([[1.0, 2.0], [0.5, -1.0]])
    x = var("x", [0.3, 0.7])
    y = opaque([x], lambda a: np.sin(A @ a[0]),
               lambda pos, a, out: np.cos(A @ a[0])[:, None] * A, "sinA", primitive="sinA")
    g = gs.graph(gs.sum(y * y))
    expected = 2 * np.sin(A @ x.value) * np.cos(A @ x.value) @ A
    assert_close(gs.grad(g, "x"), expected, 1e-12, 1e-12)
    check_four_ways(g)
    assert y.params["opaque"] is True and y.params["primitive"] == "sinA"


def test_titles_show_simple_parameters_only():
    assert title_of("reduce_precision", {"exponent_bits": 5, "jaxpr": object()}) == \
        "reduce_precision[exponent_bits=5]"
    assert title_of("x", {"long": "y" * 40}) == "x"
