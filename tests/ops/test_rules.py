"""The op table's rules (graphstep.ops.rules): derivatives at awkward points, shape rules and their errors."""

from __future__ import annotations

import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad as ag_grad
from support import assert_close, check_four_ways, quiet_grad

import graphstep as gs


def test_shape_errors_name_the_sub_expressions():
    with pytest.raises(gs.ShapeError, match=r"matmul: W \(3x2\) @ v \(3,\): inner dimensions 2 and 3 differ"):
        gs.parse("W @ v", W=np.ones((3, 2)), v=np.ones(3))
    with pytest.raises(gs.ShapeError, match=r"add: a \(3,\) and b \(4,\) cannot be broadcast"):
        gs.parse("sum(a + b)", a=np.ones(3), b=np.ones(4))


RNG = np.random.default_rng(20240611)


def randn(*shape, scale=1.0):
    return RNG.normal(size=shape) * scale








def test_max_over_a_tuple_of_axes_of_a_3d_tensor():
    T = randn(2, 3, 4)
    x = gs.var("T", T)
    g = gs.graph(gs.sum(gs.max(x, axis=(0, 2)) * np.array([1.0, -2.0, 0.5])))
    assert g.value == pytest.approx(np.sum(T.max(axis=(0, 2)) * [1.0, -2.0, 0.5]))
    loss = lambda T: anp.sum(anp.max(T, axis=(0, 2)) * anp.array([1.0, -2.0, 0.5]))  # noqa: E731
    assert_close(gs.grad(g, "T"), ag_grad(loss)(T), 0, 0)
    check_four_ways(g)


def test_matmul_shape_error_message_exactly_as_specified():
    W, v = gs.var("W", np.ones((3, 2))), gs.var("v", np.ones(3))
    with pytest.raises(gs.ShapeError) as info:
        W @ v
    assert str(info.value) == "matmul: W (3x2) @ v (3,): inner dimensions 2 and 3 differ"
    with pytest.raises(gs.ShapeError, match=r"matmul: W \(3x2\) @ v \(3,\): inner dimensions 2 and 3 differ"):
        gs.parse("W @ v", W=np.ones((3, 2)), v=np.ones(3))


@pytest.mark.parametrize("expression, values, message", [
    ("sin(W) @ (v * 2)", dict(W=np.ones((3, 2)), v=np.ones(3)),
     r"matmul: sin\(W\) \(3x2\) @ v \* 2 \(3,\): inner dimensions 2 and 3 differ"),
    ("A @ B", dict(A=np.ones((2, 3)), B=np.ones((2, 3))),
     r"matmul: A \(2x3\) @ B \(2x3\): inner dimensions 3 and 2"),
    ("x @ v", dict(x=1.0, v=np.ones(2)), r"matmul: x \(scalar\) @ v \(2,\): both sides must be vectors"),
    ("dot(v, u)", dict(v=np.ones(2), u=np.ones(3)), r"v \(2,\) @ u \(3,\): inner dimensions 2 and 3"),
    ("v + u", dict(v=np.ones(3), u=np.ones(4)), r"add: v \(3,\) and u \(4,\) cannot be broadcast together"),
    ("A * B", dict(A=np.ones((3, 4)), B=np.ones((4, 3))),
     r"mul: A \(3x4\) and B \(4x3\) cannot be broadcast"),
    ("sum(A, axis=2)", dict(A=np.ones((3, 4))), r"sum: A has shape 3x4: axis 2 is out of range"),
    ("mean(A, axis=(0, 5))", dict(A=np.ones((3, 4))), r"mean: A has shape 3x4: axis 5 is out of range"),
    ("max(A, axis=-3)", dict(A=np.ones((3, 4))), r"max: A has shape 3x4: axis -3 is out of range"),
    ("softmax(A, axis=2)", dict(A=np.ones((3, 4))), r"softmax: A has shape 3x4: axis 2 is out of range"),
    ("softmax(x)", dict(x=1.0), r"softmax: x is a scalar"),
    ("reshape(v, (3, 2))", dict(v=np.ones(4)),
     r"reshape: v \(4,\) holds 4 numbers and cannot be read as shape \(3, 2\)"),
    ("[v, u]", dict(v=np.ones(4), u=np.ones(3)), r"stack: v \(4,\) and u \(3,\) must have the same shape"),
])
def test_shape_errors_name_the_subexpression_and_shapes(expression, values, message):
    with pytest.raises(gs.ShapeError, match=message):
        gs.parse(expression, **values)




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
