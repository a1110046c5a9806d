"""Array arithmetic every derivative shares (graphstep.ops.arrays): exact zeros, empty arrays."""

from __future__ import annotations

import warnings

import numpy as np

import graphstep as gs


def test_empty_arrays_work_where_the_result_is_defined():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = gs.parse("sum(v^2)", v=np.zeros(0))
        assert g.value == 0.0 and gs.grad(g, "v").shape == (0,)
        v = gs.var("v", np.zeros(0))
        assert gs.grad(gs.graph(gs.sum(v ** 2)), "v").shape == (0,)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gs.parse("mean(v)", v=np.zeros(0))
    assert [type(w.message) for w in caught] == [gs.DomainWarning]


def test_an_exact_zero_factor_is_never_poisoned_by_nan_or_inf():
    """A path with an exact-zero local derivative contributes exactly 0 in all four modes,
    as autograd's ``where`` gives: relu below 0 hides log of a negative number, sqrt'(0) = inf
    behind relu'(0) = 0, and a nan exponent derivative behind relu."""
    cases = [("y ^ relu(max(y, -0.5))", dict(y=-0.46), 0.0),
             ("relu(y) * log(y)", dict(y=-2.0), 0.0),
             ("relu(sqrt(x))", dict(x=0.0), 0.0),
             ("sqrt(relu(y))", dict(y=-1.0), 0.0)]
    for text, values, expected in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", gs.DomainWarning)
            g = gs.parse(text, **values)
            name = g.inputs[0]
            found = [gs.grad(g, name), gs.path_sum(g, name), gs.forward_grad(g, name),
                     gs.tangents(g, name)[g.output] or 0.0]
        assert found == [expected] * 4, text
    g = gs.parse("sum(w ^ relu(w + 0.5))", w=[-1.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gs.DomainWarning)
        expected = [0.0, 2.0 ** 2.5 * (np.log(2.0) + 1.25)]  # d w^(w+1/2) = w^(w+1/2) (ln w + (w+1/2)/w)
        for found in (gs.grad(g, "w"), gs.path_sum(g, "w"), gs.forward_grad(g, "w")):
            np.testing.assert_allclose(found, expected, rtol=1e-12)
            assert found[0] == 0.0
