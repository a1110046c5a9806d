"""Reverse accumulation (graphstep.algorithms.reverse): gs.grad and gs.adjoints against closed forms."""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad as ag_grad
from hypothesis import given, settings
from hypothesis import strategies as st
from support import assert_close, check_four_ways

import graphstep as gs
from graphstep.algorithms.reverse import adjoints

# --- the seed examples -------------------------------------------------------------------


def test_partial_derivatives_3x2_2y_plus_7():
    for x, y in [(1.0, 2.0), (-0.5, 3.0), (2.0, -4.0)]:
        g = gs.parse("3*x^2*(2*y+7)", x=x, y=y)
        expected = {"x": 6 * x * (2 * y + 7), "y": 6 * x * x}
        assert gs.grad(g) == pytest.approx(expected)
        assert {k: gs.path_sum(g, k) for k in "xy"} == pytest.approx(expected)


# --- micrograd's two test expressions, written exactly as in test/test_engine.py ---------


def test_micrograd_sanity_check():
    x = gs.var("x", -4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    g = gs.graph(y)
    assert y.value == -20.0  # PyTorch: -20.0
    assert gs.grad(g, "x") == 46.0  # PyTorch: 46.0
    assert gs.path_sum(g, "x") == pytest.approx(46.0)
    assert gs.forward_grad(g, "x") == pytest.approx(46.0)


def test_micrograd_more_ops():
    a = gs.var("a", -4.0)
    b = gs.var("b", 2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    graph = gs.graph(g)
    tol = 1e-6  # micrograd's own tolerance against PyTorch
    assert abs(g.value - 24.70408163265306) < tol
    grads = gs.grad(graph)
    assert abs(grads["a"] - 138.83381924198252) < tol
    assert abs(grads["b"] - 645.5772594752186) < tol
    for name, expected in (("a", 138.83381924198252), ("b", 645.5772594752186)):
        assert abs(gs.path_sum(graph, name) - expected) < tol
        assert abs(gs.forward_grad(graph, name) - expected) < tol


def test_hundred_thousand_op_chain_differentiates_without_recursion():
    x = gs.var("x", 0.5)
    y = x
    for _ in range(100_000):
        y = y * 0.99999 + 0.00001
    g = gs.graph(y)
    assert gs.grad(g, "x") == pytest.approx(0.99999**100_000, rel=1e-9)
    assert gs.count_paths(g, "x") == 1
    assert gs.forward_grad(g, "x") == pytest.approx(0.99999**100_000, rel=1e-9)


RNG = np.random.default_rng(20240611)


def randn(*shape, scale=1.0):
    return RNG.normal(size=shape) * scale








def _sigmoid(z):
    return 1.0 / (1.0 + anp.exp(-z))


def test_seed_001_affine_layer_with_broadcast_bias():
    N, D, C = 5, 4, 3
    X, W, b, Y = randn(N, D), randn(D, C), randn(C), randn(N, C)
    g = gs.parse("0.5 * sum((X @ W + b - Y)^2)", X=X, W=W, b=b, Y=Y)
    score_grad = X @ W + b - Y  # dL/dscore, N x C
    result = gs.grad(g)
    assert_close(result["W"], X.T @ score_grad, 1e-12, 1e-12)  # D x C
    assert_close(result["b"], score_grad.sum(axis=0), 1e-12, 1e-12)  # column sums
    assert_close(result["X"], score_grad @ W.T, 1e-12, 1e-12)
    ops = [g.op(n) if g.active[n] else "" for n in range(len(g))]  # (the constant 2 has its own)
    assert ops.count("broadcast") == 1  # b is broadcast in its own node
    bcast = ops.index("broadcast")
    assert g.shape_of(bcast) == (N, C) and g.args(bcast) == (g.node("b"),)
    local = g.local(bcast, 0)
    assert local.kind == "broadcast" and local.formula == "bcast (3,)→5×3"
    assert_close(local.dense(), np.tile(np.eye(C), (N, 1)), 0, 0)  # 1_N ⊗ I_C
    loss = lambda X, W, b, Y: 0.5 * anp.sum((anp.dot(X, W) + b - Y) ** 2)  # noqa: E731
    for i, k in enumerate("XWbY"):
        assert_close(result[k], ag_grad(loss, i)(X, W, b, Y), 1e-12, 1e-12)
    check_four_ways(g)


def test_seed_003_sum_of_squares_of_t_minus_Mv_is_an_outer_product():
    m, n = 4, 3
    M, v, t = randn(m, n), randn(n), randn(m)
    g = gs.parse("sum((t - M @ v)^2)", M=M, v=v, t=t)
    expected = -2 * np.outer(t - M @ v, v)  # -2 (t - Mv) v^T
    assert_close(gs.grad(g, "M"), expected, 1e-12, 1e-12)
    assert_close(gs.grad(g, "M"), ag_grad(lambda M: anp.sum((t - anp.dot(M, v)) ** 2))(M), 1e-12, 1e-12)
    assert_close(gs.grad(g, "v"), -2 * M.T @ (t - M @ v), 1e-12, 1e-12)
    check_four_ways(g)
    # the seed's vec form: d(Mv)/dvec(M) = v^T (x) I_m, with vec stacking columns
    matmul = next(n for n in range(len(g)) if g.op(n) == "matmul")
    local = g.local(matmul, 0)
    assert local.formula == "vᵀ ⊗ I_4" and local.kind == "kronecker"
    assert np.array_equal(local.dense(order="F"), np.kron(v[None, :], np.eye(m)))
    assert np.array_equal(local.dense(order="F", layout="denominator"), np.kron(v[None, :], np.eye(m)).T)


def test_seed_000_linear_regression_gradient():
    m = 6
    X = np.column_stack([np.ones(m), randn(m, 2)])
    th, y = randn(3), randn(m)
    g = gs.parse(f"sum((X @ th - y)^2) / (2*{m})", X=X, th=th, y=y)
    assert_close(gs.grad(g, "th"), X.T @ (X @ th - y) / m, 1e-12, 1e-12)
    loss = lambda th: anp.sum((anp.dot(X, th) - y) ** 2) / (2 * m)  # noqa: E731
    assert_close(gs.grad(g, "th"), ag_grad(loss)(th), 1e-12, 1e-12)
    check_four_ways(g)


@pytest.mark.parametrize("b, active", [(0.3, True), (-2.0, False)])
def test_seed_004_relu_neuron_on_both_sides_of_zero(b, active):
    w, x = np.array([0.5, -0.25, 1.0]), np.array([1.0, 2.0, 0.5])
    g = gs.parse("max(0, dot(w, x) + b)", w=w, x=x, b=b)
    z = w @ x + b
    assert (z > 0) == active
    assert g.value == pytest.approx(max(0.0, z))
    expected = {"w": x * active, "x": w * active, "b": float(active)}
    result = gs.grad(g)
    reference = {k: ag_grad(lambda w, x, b: anp.maximum(0.0, anp.dot(w, x) + b), i)(w, x, b)
                 for i, k in enumerate("wxb")}
    for k in "wxb":
        assert_close(result[k], expected[k], 0, 0)
        assert_close(result[k], reference[k], 0, 0)
    check_four_ways(g)


def test_seed_002_two_layer_tanh_network_with_mse():
    n = 6
    X, Y = randn(n, 3), randn(n, 3)
    Wh, bh, Wo, bo = randn(5, 3, scale=0.5), randn(5, scale=0.1), randn(3, 5, scale=0.5), randn(3, scale=0.1)
    g = gs.parse("mean((tanh(tanh(X @ Wh.T + bh) @ Wo.T + bo) - Y)^2)",
                 X=X, Y=Y, Wh=Wh, bh=bh, Wo=Wo, bo=bo)
    Ah = np.tanh(X @ Wh.T + bh)
    Ao = np.tanh(Ah @ Wo.T + bo)
    dZo = 2 * (Ao - Y) / (3 * n) * (1 - Ao**2)  # L = 1/(3n) sum (A_out - Y)^2
    dZh = dZo @ Wo * (1 - Ah**2)
    result = gs.grad(g)
    assert_close(result["Wo"], dZo.T @ Ah, 1e-12, 1e-12)
    assert_close(result["bo"], dZo.sum(0), 1e-12, 1e-12)
    assert_close(result["Wh"], dZh.T @ X, 1e-12, 1e-12)
    assert_close(result["bh"], dZh.sum(0), 1e-12, 1e-12)
    loss = lambda Wh, bh, Wo, bo: anp.mean(  # noqa: E731
        (anp.tanh(anp.dot(anp.tanh(anp.dot(X, Wh.T) + bh), Wo.T) + bo) - Y) ** 2)
    for i, k in enumerate(["Wh", "bh", "Wo", "bo"]):
        assert_close(result[k], ag_grad(loss, i)(Wh, bh, Wo, bo), 1e-12, 1e-12)
    check_four_ways(g)


def test_seed_004_sigmoid_network_with_cross_entropy():
    # elementwise weights, as in the slides: every Jacobian on the way is diagonal
    y = np.array([0.0, 1.0, 0.0, 0.0])
    x, w1, b1, w2, b2 = randn(4), randn(4), randn(4), randn(4), randn(4)
    expression = "-sum(y * log(sigmoid(w2 * sigmoid(w1 * x + b1) + b2)))"
    g = gs.parse(expression, y=y, x=x, w1=w1, b1=b1, w2=w2, b2=b2)
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    u2 = sig(w1 * x + b1)
    u4 = sig(w2 * u2 + b2)
    du3 = -y / u4 * u4 * (1 - u4)
    du1 = du3 * w2 * u2 * (1 - u2)
    result = gs.grad(g)
    for k, v in {"w2": du3 * u2, "b2": du3, "w1": du1 * x, "b1": du1}.items():
        assert_close(result[k], v, 1e-12, 1e-12)
    loss = lambda w1, b1, w2, b2: -anp.sum(y * anp.log(_sigmoid(w2 * _sigmoid(w1 * x + b1) + b2)))  # noqa: E731
    for i, k in enumerate(["w1", "b1", "w2", "b2"]):
        assert_close(result[k], ag_grad(loss, i)(w1, b1, w2, b2), 1e-12, 1e-12)
    for head in range(len(g)):
        for pos, tail in enumerate(g.args(head)):
            local = g.local(head, pos)
            if g.op(head) in ("mul", "sigmoid", "log") and g.op(tail) != "const":
                assert local.kind == "diagonal", (g.label(head), local)
    check_four_ways(g)
    # and the same network with weight matrices, batched, cross entropy over classes
    X, Y = randn(5, 3), np.eye(4)[[0, 2, 1, 3, 0]]
    W1, c1, W2, c2 = randn(3, 6), randn(6), randn(6, 4), randn(4)
    g = gs.parse("-sum(Y * log(sigmoid(sigmoid(X @ W1 + c1) @ W2 + c2)))",
                 X=X, Y=Y, W1=W1, c1=c1, W2=W2, c2=c2)
    loss = lambda W1, c1, W2, c2: -anp.sum(  # noqa: E731
        Y * anp.log(_sigmoid(anp.dot(_sigmoid(anp.dot(X, W1) + c1), W2) + c2)))
    result = gs.grad(g)
    for i, k in enumerate(["W1", "c1", "W2", "c2"]):
        assert_close(result[k], ag_grad(loss, i)(W1, c1, W2, c2), 1e-11, 1e-12)
    check_four_ways(g)


def test_seed_000_mlp_matrix_backprop_recursion():
    X, W1, W2, Y = randn(5, 3), randn(3, 4), randn(4, 2), RNG.uniform(size=(5, 2))
    g = gs.parse("sum((sigmoid(sigmoid(X @ W1) @ W2) - Y)^2) / 2", X=X, W1=W1, W2=W2, Y=Y)
    s = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    Z1 = s(X @ W1)
    Z2 = s(Z1 @ W2)
    G2 = Z2 - Y
    G1 = (G2 * Z2 * (1 - Z2)) @ W2.T  # G^l = (G^{l+1} ⊙ s'(Z^{l+1})) (W^{l+1})^T
    result = gs.grad(g)
    assert_close(result["W2"], Z1.T @ (G2 * Z2 * (1 - Z2)), 1e-12, 1e-12)  # (Z^{l-1})^T (G^l ⊙ s'(Z^l))
    assert_close(result["W1"], X.T @ (G1 * Z1 * (1 - Z1)), 1e-12, 1e-12)
    adj = gs.adjoints(g)
    sigmoids = [n for n in range(len(g)) if g.op(n) == "sigmoid"]
    assert_close(adj[sigmoids[1]], G2, 1e-12, 1e-12)  # G^2
    assert_close(adj[sigmoids[0]], G1, 1e-12, 1e-12)  # G^1
    check_four_ways(g)


A34, B42, C34 = randn(3, 4), randn(4, 2), randn(3, 4)


def test_gradients_come_back_in_the_input_shape():
    values = dict(s=0.5, v=randn(3), M=randn(3, 2), T=randn(2, 3, 2))
    g = gs.parse("sum(T * s) + sum(v @ M) * s", **values)
    result = gs.grad(g)
    for k, value in values.items():
        assert np.shape(result[k]) == np.shape(value)
    assert isinstance(result["s"], float)
    s, v, M, T = (values[k] for k in "svMT")
    assert_close(result["s"], T.sum() + (v @ M).sum(), 1e-12, 1e-12)
    assert_close(result["T"], np.full(T.shape, s), 0, 0)
    assert_close(result["v"], s * M.sum(axis=1), 1e-12, 1e-12)  # sum(v @ M) = v · (M 1)
    assert_close(result["M"], s * np.outer(v, np.ones(2)), 1e-12, 1e-12)


def test_grad_for_a_list_of_inputs_skips_the_others():
    X, W, b = randn(6, 4), randn(4, 3), randn(3)
    g = gs.parse("sum(tanh(X @ W + b))", X=X, W=W, b=b)
    some = gs.grad(g, ["W", "b"])
    assert list(some) == ["W", "b"]
    full = gs.grad(g)
    for k in some:
        assert_close(some[k], full[k], 0, 0)
    adj = gs.adjoints(g, wrt=["W"])
    assert adj[g.node("X")] is None and adj[g.node("b")] is None
    assert_close(adj[g.node("W")], full["W"], 0, 0)


def test_returned_gradients_are_independent_arrays():
    g = gs.parse("sum(A.T * C.T)", A=A34, C=C34)
    result = gs.grad(g)
    result["A"][0, 0] = 1e9
    assert gs.grad(g, "A")[0, 0] != 1e9
    assert result["A"].flags.writeable


def test_grad_of_a_tensor_output_is_a_shape_error():
    g = gs.parse("A @ v", A=np.ones((3, 2)), v=np.ones(2))
    with pytest.raises(gs.ShapeError, match=r"grad needs a scalar output, but A @ v has shape \(3,\)"):
        gs.grad(g)


dims = st.integers(min_value=1, max_value=4)


finite = st.floats(min_value=-2.0, max_value=2.0, allow_nan=False, allow_infinity=False)


def _array(draw, shape):
    return np.array(draw(st.lists(finite, min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
                    ).reshape(shape)


@settings(max_examples=25, deadline=None)
@given(data=st.data(), n=dims, d=dims, c=dims, bias=st.sampled_from(["row", "column", "scalar", "full"]))
def test_random_affine_tanh_layer_against_autograd(data, n, d, c, bias):
    X, W, Y = _array(data.draw, (n, d)), _array(data.draw, (d, c)), _array(data.draw, (n, c))
    b_shape = {"row": (c,), "column": (n, 1), "scalar": (), "full": (n, c)}[bias]
    b = _array(data.draw, b_shape) if b_shape else data.draw(finite)
    g = gs.parse("mean((tanh(X @ W + b) - Y)^2)", X=X, W=W, b=b, Y=Y)
    loss = lambda X, W, b: anp.mean((anp.tanh(anp.dot(X, W) + b) - Y) ** 2)  # noqa: E731
    result = gs.grad(g)
    for i, k in enumerate("XWb"):
        assert np.shape(result[k]) == np.shape(g.value_of(g.node(k)))
        assert_close(result[k], ag_grad(loss, i)(X, W, b), 1e-10, 1e-12)
        assert_close(gs.path_sum(g, k), result[k], 1e-10, 1e-12)


@settings(max_examples=25, deadline=None)
@given(data=st.data(), shape=st.lists(dims, min_size=1, max_size=3).map(tuple),
       op=st.sampled_from(["sum", "mean", "max", "min"]))
def test_random_reductions_against_autograd(data, shape, op, ):
    A = _array(data.draw, shape) + RNG.normal(size=shape) * 1e-3  # break ties
    axes = data.draw(st.one_of(st.none(), st.sets(st.integers(0, len(shape) - 1), min_size=1).map(
        lambda s: tuple(sorted(s)))))
    axis_text = "" if axes is None else f", axis={axes if len(axes) > 1 else axes[0]}"
    g = gs.parse(f"sum(sin({op}(A{axis_text})))", A=A)
    fn = {"sum": anp.sum, "mean": anp.mean, "max": anp.max, "min": anp.min}[op]
    loss = lambda A: anp.sum(anp.sin(fn(A, axis=axes)))  # noqa: E731
    assert g.value == pytest.approx(float(loss(A)), rel=1e-12, abs=1e-12)
    assert_close(gs.grad(g, "A"), ag_grad(loss)(A), 1e-10, 1e-12)
    assert_close(gs.forward_grad(g, "A"), gs.grad(g, "A"), 1e-10, 1e-12)


@settings(max_examples=20, deadline=None)
@given(data=st.data(), m=dims, n=dims, kind=st.sampled_from(["mm", "mv", "vm", "vv"]))
def test_random_matmul_combinations_against_autograd(data, m, n, kind):
    shapes = {"mm": ((m, n), (n, 2)), "mv": ((m, n), (n,)), "vm": ((n,), (n, m)), "vv": ((n,), (n,))}[kind]
    a, b = _array(data.draw, shapes[0]), _array(data.draw, shapes[1])
    g = gs.parse("sum(sin(a @ b))", a=a, b=b)
    loss = lambda a, b: anp.sum(anp.sin(anp.dot(a, b)))  # noqa: E731
    for i, k in enumerate("ab"):
        assert_close(gs.grad(g, k), ag_grad(loss, i)(a, b), 1e-10, 1e-12)
        assert_close(gs.path_sum(g, k), gs.grad(g, k), 1e-10, 1e-12)


def test_tensor_adjoints_skip_what_no_wanted_input_needs():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    w = np.array([0.5, -0.5])
    g = gs.parse("sum(tanh(X @ w))", X=X, w=w)
    result = adjoints(g, wrt=["w"])
    assert result[g.input_node("X")] is None
    expected = X.T @ (1 - np.tanh(X @ w) ** 2)
    assert np.allclose(result[g.input_node("w")], expected, rtol=1e-14, atol=0)
    assert np.allclose(gs.grad(g, "w"), expected, rtol=1e-14, atol=0)
