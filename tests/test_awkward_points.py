"""Issue 8, section 2: exact derivatives at awkward points, checked against HIPS autograd;
nan/inf derivatives are reported; op shape rules raise named errors (section 3)."""

from __future__ import annotations

import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

import graphstep as gs
from graphstep.cli import main


def quiet_grad(g, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning of any kind at these points
        return gs.grad(g, *args)


# --- power rule at base 0 ----------------------------------------------------------------
@pytest.mark.parametrize("x, y", [(0.0, 0.0), (0.0, 2.0), (0.0, 1.0), (0.0, 3.5), (2.0, 0.0), (2.0, -1.0)])
def test_power_at_base_zero_matches_autograd(x, y):
    g = gs.parse("x^y", x=x, y=y)
    expected = autograd.grad(lambda a, b: a ** b, argnum=(0, 1))(x, y)
    assert quiet_grad(g) == {"x": pytest.approx(expected[0]), "y": pytest.approx(expected[1])}


def test_constant_exponent_zero_has_derivative_exactly_zero():
    assert quiet_grad(gs.parse("x^0", x=0.0)) == {"x": 0.0}
    assert quiet_grad(gs.parse("relu(x)^0 + x", x=-1.0)) == {"x": 1.0}
    assert autograd.grad(lambda x: anp.maximum(x, 0.0) ** 0 + x)(-1.0) == 1.0
    g = gs.parse("relu(v)^0", v=[-1.0, 2.0])
    assert np.array_equal(gs.jacobian(g, "v"), np.zeros((2, 2)))
    assert g.formula(g.output, 0) == "0"


def test_a_nan_in_the_untaken_branch_no_longer_poisons_max():
    g = gs.parse("max(u^0, x/sin(1))", u=0.0, x=2.0)
    expected = autograd.grad(lambda u, x: anp.maximum(u ** 0, x / anp.sin(1.0)), argnum=(0, 1))(0.0, 2.0)
    assert quiet_grad(g) == {"u": expected[0], "x": pytest.approx(expected[1])}
    g = gs.parse("max(x^0, x/sin(1))", x=0.0)
    assert quiet_grad(g) == {"x": 0.0}


def test_tensor_power_with_zero_exponents_matches_autograd():
    v, w = np.array([0.0, 0.0, 2.0]), np.array([0.0, 2.0, 0.0])
    g = gs.parse("sum(v^w)", v=v, w=w)
    got = quiet_grad(g)
    expected = autograd.grad(lambda a, b: anp.sum(a ** b), argnum=(0, 1))(v, w)
    np.testing.assert_array_equal(got["v"], expected[0])
    np.testing.assert_array_equal(got["w"], expected[1])
    formulas = gs.backprop_formulas(g)
    assert formulas["v"].check().ok and formulas["w"].check().ok


# --- ties -----------------------------------------------------------------------------------
@pytest.mark.parametrize("fn, reference", [("max", anp.maximum), ("min", anp.minimum)])
def test_a_tie_between_two_arguments_splits_evenly(fn, reference):
    g = gs.parse(f"{fn}(x, y)", x=1.0, y=1.0)
    expected = autograd.grad(lambda a, b: reference(a, b), argnum=(0, 1))(1.0, 1.0)
    assert quiet_grad(g) == {"x": expected[0], "y": expected[1]} == {"x": 0.5, "y": 0.5}
    assert g.edge_formula(g.output, 0) == "½ (tie: split evenly)"
    assert "tie" not in gs.parse(f"{fn}(x, y)", x=1.0, y=2.0).edge_formula(2, 0)
    assert quiet_grad(gs.parse(f"{fn}(x, y) - {fn}(y, x)", x=0.0, y=0.0)) == {"x": 0.0, "y": 0.0}


def test_elementwise_ties_of_tensors_split_evenly_and_say_so():
    a, b = np.array([1.0, 2.0, 3.0]), np.array([1.0, 5.0, 3.0])
    g = gs.parse("sum(max(a, b))", a=a, b=b)
    expected = autograd.grad(lambda p, q: anp.sum(anp.maximum(p, q)), argnum=(0, 1))(a, b)
    got = quiet_grad(g)
    np.testing.assert_array_equal(got["a"], expected[0])
    np.testing.assert_array_equal(got["b"], expected[1])
    assert "tie: split evenly" in g.edge_formula(2, 0)
    assert gs.backprop_formulas(g)["a"].check().ok


@pytest.mark.parametrize("fn, reference", [("max", anp.max), ("min", anp.min)])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_reductions_with_k_tied_entries_give_each_one_kth(fn, reference, axis):
    A = np.array([[3.0, 1.0, 3.0], [3.0, 3.0, 3.0]]) * (1 if fn == "max" else -1)
    text = f"sum({fn}(A))" if axis is None else f"sum({fn}(A, axis={axis}))"
    g = gs.parse(text, A=A)
    expected = autograd.grad(lambda m: anp.sum(reference(m, axis=axis)))(A)
    np.testing.assert_allclose(quiet_grad(g, "A"), expected, rtol=0, atol=1e-15)
    assert "tie: split evenly" in g.edge_formula(1, 0)
    v = gs.var("v", [1.0, 3.0, 3.0])
    assert quiet_grad(gs.graph(gs.max(v)), "v").tolist() == [0.0, 0.5, 0.5]


def test_relu_and_abs_at_zero_keep_derivative_zero():
    assert quiet_grad(gs.parse("relu(x)", x=0.0)) == {"x": 0.0}
    assert quiet_grad(gs.parse("max(0, x)", x=0.0)) == {"x": 0.0}
    assert quiet_grad(gs.parse("abs(x)", x=0.0)) == {"x": 0.0} == {"x": autograd.grad(anp.abs)(0.0)}


# --- derivatives out of their domain --------------------------------------------------------
@pytest.mark.parametrize("text", ["sqrt(x)", "x^0.5"])
def test_an_infinite_derivative_warns_naming_node_and_edge_or_raises_when_strict(text):
    g = gs.parse(text, x=0.0)
    with pytest.warns(gs.DomainWarning, match=r"\(u1\) with respect to x on edge x → u1 is inf"):
        assert gs.grad(g) == {"x": np.inf}  # d sqrt(x)/dx = 1/(2 sqrt(x)) -> inf at 0
    with pytest.warns(gs.DomainWarning, match="edge x → u1"):
        gs.forward_derivative(g, "x")
    strict = gs.parse(text, x=0.0, strict=True)
    with pytest.raises(gs.DomainError, match=r"edge x → u1 is inf for x = 0"):
        gs.grad(strict)
    with pytest.raises(gs.DomainError):
        gs.jacobian(strict, "x")


def test_a_finite_gradient_through_a_nan_value_warns_too():
    with pytest.warns(gs.DomainWarning):
        g = gs.parse("log(x)", x=-1.0)
    with pytest.warns(gs.DomainWarning, match=r"log\(x\) \(u1\) is nan for x = -1.*derivative on x → u1"):
        assert gs.grad(g) == {"x": -1.0}


def test_tensor_derivative_warning_and_quiet_numpy():
    g = gs.parse("sum(sqrt(v))", v=[0.0, 4.0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gradient = gs.grad(g, "v")
    assert gradient[0] == np.inf and gradient[1] == 0.25
    assert [type(w.message) for w in caught] == [gs.DomainWarning]
    assert "on edge v → u1 is inf" in str(caught[0].message)


def test_an_overflowing_literal_warns_and_strict_raises(capsys):
    with pytest.warns(gs.DomainWarning, match=r"the constant 1e999 is inf"):
        gs.parse("x*1e999", x=1.0)
    with pytest.raises(gs.DomainError, match="1e999"):
        gs.parse("x*1e999", x=1.0, strict=True)
    assert main(["grad", "x*1e999", "--at", "x=1", "--strict"]) == 2
    assert "1e999" in capsys.readouterr().err


def test_no_numpy_runtime_warning_leaks_only_domain_warnings():
    cases = [("exp(x)*0", dict(x=1000.0)), ("x*1e308*10", dict(x=1.0)), ("mean(v)", dict(v=np.zeros(0))),
             ("sum(exp(v))", dict(v=np.array([1000.0, 1.0]))), ("sum(sqrt(v)*2)", dict(v=np.zeros(3))),
             ("x^y", dict(x=0.0, y=-1.0))]
    for text, values in cases:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            g = gs.parse(text, **values)
            gs.grad(g)
            gs.gradcheck(g)
            for name in g.inputs:
                gs.path_sum(g, name)
                gs.forward_grad(g, name)
        assert caught and {type(w.message) for w in caught} == {gs.DomainWarning}, text


def test_ordinary_points_stay_silent():
    for text in ("x^2 + x^0", "(x - 3)^2", "max(x, y)", "log(x)*sqrt(x)"):
        g = gs.parse(text, **{n: 2.0 for n in ("x", "y") if n in text})
        quiet_grad(g)
    quiet_grad(gs.parse("x^2", x=-1.0))  # d/d(exponent) is nan there, but the exponent is a constant


# --- shape rules ---------------------------------------------------------------------------
SHAPE_CASES = [
    ("max(v)", dict(v=np.zeros(0)), lambda v: gs.max(v), r"max: v has shape \(0,\)"),
    ("min(v)", dict(v=np.zeros(0)), lambda v: gs.min(v), r"min: v has shape \(0,\)"),
    ("softmax(v)", dict(v=np.zeros(0)), lambda v: gs.softmax(v), r"softmax: v has shape \(0,\)"),
    ("sum(v, axis=(0,0))", dict(v=np.zeros(3)), lambda v: gs.sum(v, axis=(0, 0)), "axis 0 is named twice"),
    ("mean(A, axis=(1,-1))", dict(A=np.zeros((2, 3))), None, "axis 1 is named twice"),
    ("reshape(v, (-2,-2))", dict(v=np.zeros(4)), lambda v: gs.reshape(v, (-2, -2)), "-2 is not a length"),
    ("reshape(v, (-1,-1))", dict(v=np.zeros(4)), lambda v: gs.reshape(v, (-1, -1)), "-1 may stand"),
    ("reshape(v, (3,))", dict(v=np.zeros(4)), lambda v: gs.reshape(v, 3), "do not match"),
    ("stack([])", dict(), None, r"stack: \[\] has no values"),
]


@pytest.mark.parametrize("text, values, traced, message", SHAPE_CASES)
def test_shape_rules_raise_shape_errors_naming_the_expression(text, values, traced, message):
    with pytest.raises(gs.ShapeError, match=message):
        gs.parse(text, **values)
    if traced is not None:
        with pytest.raises(gs.ShapeError, match=message):
            traced(gs.var(*next(iter(values.items()))))


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
