"""Whole system: every gallery example agrees with its closed form, autograd and finite differences."""

from __future__ import annotations

import inspect

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad as ag_grad
from support import assert_close, check_four_ways

import graphstep as gs
from graphstep.gallery.examples import EXAMPLES


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_gallery_example_matches_its_closed_form_three_ways(name):
    example = EXAMPLES[name]
    g = example.graph()
    expected = example.expected(g)
    for input_name, value in expected.items():
        if example.kind == "grad":
            np.testing.assert_allclose(gs.grad(g, input_name), value, rtol=1e-9, atol=1e-12)
        else:
            np.testing.assert_allclose(gs.jacobian(g, input_name), value, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(gs.path_sum(g, input_name), value, rtol=1e-9, atol=1e-12)
    assert gs.gradcheck(g).ok








def _sigmoid(z):
    return 1.0 / (1.0 + anp.exp(-z))


#: The gallery's tensor examples written with autograd.numpy, argument names as in the graph.
AUTOGRAD_LOSSES = {
    "dot-product": lambda w, x: anp.sum(w * x),
    "neuron-active": lambda w, x, b: anp.maximum(0.0, anp.dot(w, x) + b),
    "neuron-inactive": lambda w, x, b: anp.maximum(0.0, anp.dot(w, x) + b),
    "neuron-cost": lambda y, X, w, b: anp.mean((y - anp.maximum(0.0, anp.dot(X, w) + b)) ** 2),
    "sigmoid-network-ce": lambda y, w2, w1, x, b1, b2: -anp.sum(
        y * anp.log(_sigmoid(w2 * _sigmoid(w1 * x + b1) + b2))),
    "outer-product": lambda t, M, x: anp.sum((t - anp.dot(M, x)) ** 2),
    "affine-broadcast-bias": lambda X, W, b, Y: 0.5 * anp.sum((anp.dot(X, W) + b - Y) ** 2),
    "two-layer-tanh": lambda X, Wh, bh, Wo, bo, Y: anp.mean(
        (anp.tanh(anp.dot(anp.tanh(anp.dot(X, Wh.T) + bh), Wo.T) + bo) - Y) ** 2),
    "mlp-matrix-backprop": lambda X, W1, W2, Y: anp.sum(
        (_sigmoid(anp.dot(_sigmoid(anp.dot(X, W1)), W2)) - Y) ** 2) / 2,
    "linear-regression": lambda X, th, y: anp.sum((anp.dot(X, th) - y) ** 2) / (2 * 4),
}


def _autograd_gradients(name, values):
    loss = AUTOGRAD_LOSSES[name]
    names = list(inspect.signature(loss).parameters)  # the lambda's order, not the graph's
    args = [values[k] for k in names]
    return {k: ag_grad(loss, i)(*args) for i, k in enumerate(names)}


@pytest.mark.parametrize("name", sorted(AUTOGRAD_LOSSES))
def test_gallery_tensor_example_closed_form_autograd_and_differences(name):
    example = EXAMPLES[name]
    g = example.graph()
    values = {k: g.value_of(g.node(k)) for k in g.inputs}
    expected = example.expected(g)
    gradients = gs.grad(g)
    reference = _autograd_gradients(name, values)
    assert set(gradients) == set(expected) == set(values)
    for k in g.inputs:
        assert np.shape(gradients[k]) == np.shape(values[k]), k
        assert_close(gradients[k], expected[k], 1e-10, 1e-12)  # the seed's closed form
        assert_close(gradients[k], reference[k], 1e-10, 1e-12)  # HIPS autograd
    assert_close(g.value, AUTOGRAD_LOSSES[name](**values), 1e-12, 0)
    check_four_ways(g)


def test_every_tensor_gallery_example_is_checked_against_autograd():
    tensor_grads = {n for n, e in EXAMPLES.items() if e.kind == "grad" and not e.graph().is_scalar}
    assert tensor_grads <= set(AUTOGRAD_LOSSES)


@pytest.mark.parametrize("name", ["jacobian-fg", "vector-chain-rule"])
def test_gallery_vector_outputs(name):
    example = EXAMPLES[name]
    g = example.graph()
    expected = example.expected(g)
    for k in g.inputs:
        assert_close(gs.jacobian(g, k), expected[k], 1e-10, 1e-12)
    check_four_ways(g)
