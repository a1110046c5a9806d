"""gs.function: a numpy function read from its source, never run (graphstep/build/function.py).

The functions below are written as an engineer writes them, with ``np`` bound to
``autograd.numpy`` so that HIPS autograd differentiates the very same function;
graphstep only reads their source.
"""

from __future__ import annotations

import autograd.numpy as np
import numpy
import pytest
from autograd import grad as ag_grad
from support import assert_close

import graphstep as gs

SCALE = 0.5
NOT_A_NUMBER = "text"
CALLS = []


def two_layer(X, W1, b1, W2, b2, y):
    """Two layers, then the mean squared error."""
    z1 = X @ W1 + b1
    h1 = np.tanh(z1)
    z2 = np.dot(h1, W2.T) + b2
    out = np.maximum(0, z2)  # ReLU
    loss = np.mean((out - y) ** 2)
    CALLS.append("ran")  # never reached: graphstep does not run the function
    return loss


def many_ops(A, v):
    s = np.sum(np.exp(A) * SCALE, axis=0)
    t = np.sqrt(np.abs(s) + 1.0)
    r = np.transpose(A.T) @ t
    m = np.reshape(r, (3, 1)) / v.reshape(3, 1)
    q = np.log(m ** 2 + numpy.pi)
    return q.sum() + np.mean(q, axis=0).sum() - np.max(np.square(v))


def _values(seed=3):
    rng = numpy.random.default_rng(seed)
    return {"X": rng.normal(size=(4, 3)), "W1": rng.normal(size=(3, 5)), "b1": rng.normal(size=5) * 0.1,
            "W2": rng.normal(size=(2, 5)), "b2": numpy.array([0.3, 0.2]), "y": rng.normal(size=(4, 2))}


def _autograd(f, values):
    names = list(values)
    return {k: ag_grad(f, i)(*[values[n] for n in names]) for i, k in enumerate(names)}


def test_a_call_statement_is_refused_naming_its_line_and_the_function_never_runs():
    CALLS.clear()
    with pytest.raises(gs.ParseError, match=r"test_function.py, line 30, column 5\): a statement whose "
                                            r"value is not used"):
        gs.function(two_layer, **_values())
    assert CALLS == []


def _clean_two_layer(X, W1, b1, W2, b2, y):
    """Two layers, then the mean squared error."""
    z1 = X @ W1 + b1
    h1 = np.tanh(z1)
    z2 = np.dot(h1, W2.T) + b2
    out = np.maximum(0, z2)  # ReLU
    loss = np.mean((out - y) ** 2)
    return loss


def test_gradients_equal_hips_autograd_on_the_same_function_and_gradcheck_passes():
    values = _values()
    g = gs.function(_clean_two_layer, **values)
    labels = {g.label(n) for n in range(len(g))}
    assert {"z1", "h1", "z2", "out", "loss"} <= labels
    assert g.label(g.output) == "loss" and g.inputs == ["X", "W1", "b1", "W2", "b2", "y"]
    assert_close(g.value, _clean_two_layer(**values), 1e-13, 0)
    reference = _autograd(_clean_two_layer, values)
    gradients = gs.grad(g)
    for k in values:
        assert_close(gradients[k], reference[k], 1e-10, 1e-12)
    assert gs.gradcheck(g).ok


def test_the_function_steps_through_with_its_own_names():
    g = gs.function(_clean_two_layer, **_values())
    texts = [step.text for step in gs.steps(g, mode="reverse").steps]
    assert texts[0].startswith("loss̄ = 1") or "∂loss/∂loss = 1" in texts[0]
    assert any(text.startswith("h̄1 = ") or text.startswith("h̄1") for text in texts)


def test_every_numpy_spelling_maps_to_the_op_table():
    values = {"A": numpy.array([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]]), "v": numpy.array([1.5, -2.0, 0.7])}
    g = gs.function(many_ops, **values)
    assert_close(g.value, many_ops(**values), 1e-13, 0)
    reference = _autograd(many_ops, values)
    for k in values:
        assert_close(gs.grad(g, k), reference[k], 1e-10, 1e-12)
    assert "SCALE" in {g.label(n) for n in range(len(g))}  # a global number: a named constant
    assert gs.gradcheck(g).ok


def _loop(x):
    y = x
    for _ in range(3):
        y = y * 2
    return y


def _branch(x):
    if x > 0:
        return x
    return -x


def _update(x):
    y = x * 2
    y += 1
    return y


def _unknown_call(x):
    return numpy.linalg.norm(x)


def _helper(x):
    return _branch(x) * 2


def _bad_global(x):
    return x * NOT_A_NUMBER


def _indexing(x):
    return x[0] * 2


def _two_outputs(x):
    return x, x * 2


def _unknown_numpy(x):
    return np.cumsum(x)


@pytest.mark.parametrize("f, message", [
    (_loop, r"line \d+, column 5\): a for loop is not read"),
    (_branch, r"line \d+, column 5\): an if statement is not read"),
    (_update, r"an update \(\+=, \*=, ...\)"),
    (_unknown_call, r"numpy.linalg.norm\(...\) is not one of the calls graphstep reads"),
    (_helper, r"_branch\(...\) calls a function graphstep does not read"),
    (_bad_global, r"NOT_A_NUMBER is a str from outside the function"),
    (_indexing, r"indexing is not read"),
    (_two_outputs, r"return one value"),
    (_unknown_numpy, r"np.cumsum is not one of the functions graphstep reads"),
])
def test_what_is_outside_the_whitelist_is_a_parse_error_naming_the_line(f, message):
    with pytest.raises(gs.ParseError, match=message):
        gs.function(f, x=numpy.array([1.0, 2.0]))


def test_missing_and_extra_values_are_input_errors_naming_the_parameter():
    with pytest.raises(gs.InputError, match=r"_clean_two_layer needs a value for its parameters W2, b2"):
        gs.function(_clean_two_layer, X=1.0, W1=1.0, b1=1.0, y=1.0)
    with pytest.raises(gs.InputError, match=r"z is not a parameter of _loop; its parameters are: x"):
        gs.function(_loop, x=1.0, z=2.0)
    with pytest.raises(gs.InputError, match="needs a Python function"):
        gs.function(numpy.tanh, x=1.0)


def test_a_reassigned_parameter_is_a_parse_error():
    def rescale(x):
        x = x * 2
        return x
    with pytest.raises(gs.ParseError, match="x is an input"):
        gs.function(rescale, x=1.0)
