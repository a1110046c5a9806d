"""Tensors: values of any shape, structured Jacobians, broadcasting, path sums over tensors.

Every check compares graphstep with numbers computed independently: the seeds' closed
forms, HIPS autograd, and central differences of the graph's own forward pass. Every
op of the table is exercised on arrays four ways (path sum, reverse accumulation,
forward mode, central differences).
"""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad as ag_grad
from autograd import jacobian as ag_jacobian
from hypothesis import given, settings
from hypothesis import strategies as st

import graphstep as gs
from graphstep.gallery.examples import EXAMPLES
from graphstep.ops import jacobians as jac
from graphstep.ops.table import OPS

RNG = np.random.default_rng(20240611)


def randn(*shape, scale=1.0):
    return RNG.normal(size=shape) * scale


# --------------------------------------------------------------------------------------
# independent references
# --------------------------------------------------------------------------------------


def numeric_jacobian(g, name, eps=1e-6):
    """Central differences of the graph's forward pass: ``(output.size, input.size)``."""
    x = np.array(g.value_of(g.node(name)), dtype=float)
    out_size = int(np.prod(g.shape_of(g.output)))
    columns = []
    for index in np.ndindex(x.shape):
        step = eps * max(1.0, abs(float(x[index])))
        plus, minus = x.copy(), x.copy()
        plus[index] += step
        minus[index] -= step
        f_plus = g.evaluate({name: plus if x.shape else float(plus)})
        f_minus = g.evaluate({name: minus if x.shape else float(minus)})
        columns.append(np.ravel((np.asarray(f_plus) - np.asarray(f_minus)) / (2 * step)))
    return np.array(columns).reshape(-1, out_size).T


def assert_close(actual, expected, rtol=1e-6, atol=1e-7):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=rtol, atol=atol)


def check_four_ways(g, rtol=1e-5, atol=1e-6):
    """Path sum = reverse = forward mode = central differences, for every input."""
    out_shape = g.shape_of(g.output)
    out_size = int(np.prod(out_shape))
    for name in g.inputs:
        in_shape = g.shape_of(g.node(name))
        numeric = numeric_jacobian(g, name)
        if out_shape == ():
            reverse = gs.grad(g, name)
            assert np.shape(reverse) == in_shape, name
            assert_close(np.ravel(reverse), numeric.ravel(), rtol, atol)
            assert_close(gs.path_sum(g, name), reverse, 1e-10, 1e-12)
            forward = gs.forward_grad(g, name)
            assert np.shape(forward) == in_shape
            assert_close(forward, reverse, 1e-10, 1e-12)
        else:
            J = gs.jacobian(g, name)
            assert J.shape == (out_size, int(np.prod(in_shape)))
            assert_close(J, numeric, rtol, atol)
            assert_close(gs.path_sum(g, name), J, 1e-10, 1e-12)
            # forward mode column by column, reverse mode row by row
            eye_in = np.eye(int(np.prod(in_shape)))
            forward = np.column_stack([
                np.ravel(gs.tangents(g, name, e.reshape(in_shape) if in_shape else float(e[0]))[g.output])
                for e in eye_in])
            assert_close(forward, J, 1e-10, 1e-12)
            eye_out = np.eye(out_size)
            node = g.node(name)
            rows = []
            for e in eye_out:
                adjoint = gs.adjoints(g, e.reshape(out_shape))[node]
                rows.append(np.zeros(eye_in.shape[0]) if adjoint is None else np.ravel(adjoint))
            assert_close(np.array(rows), J, 1e-10, 1e-12)


# --------------------------------------------------------------------------------------
# the seeds' matrix examples: closed form, autograd, central differences
# --------------------------------------------------------------------------------------


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
    names = list(values)
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


def test_seed_001_affine_layer_with_broadcast_bias():
    N, D, C = 5, 4, 3
    X, W, b, Y = randn(N, D), randn(D, C), randn(C), randn(N, C)
    g = gs.parse("0.5 * sum((X @ W + b - Y)^2)", X=X, W=W, b=b, Y=Y)
    score_grad = X @ W + b - Y  # dL/dscore, N x C
    result = gs.grad(g)
    assert_close(result["W"], X.T @ score_grad, 1e-12, 1e-12)  # D x C
    assert_close(result["b"], score_grad.sum(axis=0), 1e-12, 1e-12)  # column sums
    assert_close(result["X"], score_grad @ W.T, 1e-12, 1e-12)
    ops = [g.op(n) for n in range(len(g))]
    assert ops.count("broadcast") == 1  # b is broadcast in its own node
    bcast = ops.index("broadcast")
    assert g.shape_of(bcast) == (N, C) and g.args(bcast) == (g.node("b"),)
    local = g.local(bcast, 0)
    assert local.kind == "broadcast" and local.formula == "bcast (3,)→5x3"
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


# --------------------------------------------------------------------------------------
# every op of the table on arrays, four ways
# --------------------------------------------------------------------------------------

A34, B42, C34 = randn(3, 4), randn(4, 2), randn(3, 4)
V4, U4, W3 = randn(4), randn(4), randn(3)
POS34 = RNG.uniform(0.5, 2.0, size=(3, 4))

OP_CASES = [
    # elementwise ops on arrays (the weights keep every output depending on every entry)
    ("add", "sum((A + C) * K)", dict(A=A34, C=C34, K=randn(3, 4))),
    ("sub", "sum((A - C) * K)", dict(A=A34, C=C34, K=randn(3, 4))),
    ("mul", "sum(A * C)", dict(A=A34, C=C34)),
    ("div", "sum(A / P)", dict(A=A34, P=POS34)),
    ("pow-const", "sum(A^3)", dict(A=A34)),
    ("pow-tensor", "sum(P^A)", dict(A=A34, P=POS34)),
    ("pow-square", "sum((A - C)^2)", dict(A=A34, C=C34)),
    ("neg", "sum(-A * C)", dict(A=A34, C=C34)),
    ("exp", "sum(exp(A) * C)", dict(A=A34, C=C34)),
    ("log", "sum(log(P) * C)", dict(P=POS34, C=C34)),
    ("ln", "sum(ln(P))", dict(P=POS34)),
    ("log1p", "sum(log1p(P) * C)", dict(P=POS34, C=C34)),
    ("sin", "sum(sin(A) * C)", dict(A=A34, C=C34)),
    ("cos", "sum(cos(A) * C)", dict(A=A34, C=C34)),
    ("tan", "sum(tan(A / 3) * C)", dict(A=A34, C=C34)),
    ("tanh", "sum(tanh(A) * C)", dict(A=A34, C=C34)),
    ("sigmoid", "sum(sigmoid(A) * C)", dict(A=A34, C=C34)),
    ("relu", "sum(relu(A) * C)", dict(A=A34, C=C34)),
    ("max0", "sum(max(0, A) * C)", dict(A=A34, C=C34)),
    ("sqrt", "sum(sqrt(P) * C)", dict(P=POS34, C=C34)),
    ("abs", "sum(abs(A) * C)", dict(A=A34, C=C34)),
    ("square", "sum(square(A) * C)", dict(A=A34, C=C34)),
    ("maximum", "sum(max(A, C) * K)", dict(A=A34, C=C34, K=randn(3, 4))),
    ("minimum", "sum(min(A, C) * K)", dict(A=A34, C=C34, K=randn(3, 4))),
    # matmul in all four vector/matrix combinations, and dot
    ("matmul-mm", "sum(sin(A @ B))", dict(A=A34, B=B42)),
    ("matmul-mv", "sum(sin(A @ v))", dict(A=A34, v=V4)),
    ("matmul-vm", "sum(sin(w @ A))", dict(A=A34, w=W3)),
    ("matmul-vv", "sin(v @ u)", dict(v=V4, u=U4)),
    ("dot-vv", "dot(v, u)^2", dict(v=V4, u=U4)),
    ("dot-mm", "sum(dot(A, B)^2)", dict(A=A34, B=B42)),
    ("dot-mv", "sum(tanh(dot(A, v)))", dict(A=A34, v=V4)),
    # transpose
    ("transpose", "sum(A.T @ w * v)", dict(A=A34, w=W3, v=V4)),
    ("transpose-fn", "sum(transpose(A) * C.T)", dict(A=A34, C=C34)),
    # reductions with every kind of axis
    ("sum-all", "sum(A^2)", dict(A=A34)),
    ("sum-0", "sum(sum(A^2, axis=0) * v)", dict(A=A34, v=V4)),
    ("sum-1", "sum(sum(A^2, axis=1) * w)", dict(A=A34, w=W3)),
    ("sum-neg", "sum(sum(A^2, axis=-1) * w)", dict(A=A34, w=W3)),
    ("sum-tuple", "sum(A^2, axis=(0, 1)) * 2", dict(A=A34)),
    ("mean-all", "mean(A^3)", dict(A=A34)),
    ("mean-0", "sum(mean(A^3, axis=0) * v)", dict(A=A34, v=V4)),
    ("mean-1", "sum(mean(A^3, axis=1) * w)", dict(A=A34, w=W3)),
    ("mean-tuple", "mean(A^3, axis=(0, 1))", dict(A=A34)),
    ("max-all", "max(A * C)", dict(A=A34, C=C34)),
    ("max-0", "sum(max(A * C, axis=0) * v)", dict(A=A34, C=C34, v=V4)),
    ("max-1", "sum(max(A * C, axis=1) * w)", dict(A=A34, C=C34, w=W3)),
    ("max-tuple", "max(A * C, axis=(0, 1))", dict(A=A34, C=C34)),
    ("min-all", "min(A * C)", dict(A=A34, C=C34)),
    ("min-0", "sum(min(A * C, axis=0) * v)", dict(A=A34, C=C34, v=V4)),
    ("min-1", "sum(min(A * C, axis=1) * w)", dict(A=A34, C=C34, w=W3)),
    # softmax along both axes, and of a vector
    ("softmax-last", "sum(softmax(A) * C)", dict(A=A34, C=C34)),
    ("softmax-0", "sum(softmax(A, axis=0) * C)", dict(A=A34, C=C34)),
    ("softmax-neg2", "sum(softmax(A, axis=-2) * C)", dict(A=A34, C=C34)),
    ("softmax-vector", "sum(softmax(v) * u)", dict(v=V4, u=U4)),
    # stack and list literals
    ("list-literal", "sum([v, u * 2] * K)", dict(v=V4, u=U4, K=randn(2, 4))),
    ("stack", "sum(stack([v, u, v * u]) ** 2)", dict(v=V4, u=U4)),
    ("list-of-scalars", "sum([x, x * y, y] * v3)", dict(x=0.7, y=-1.3, v3=W3)),
    ("list-of-matrices", "sum([A, C] ** 2)", dict(A=A34, C=C34)),
    # reshape
    ("reshape", "sum(reshape(A, (4, 3)) @ w)", dict(A=A34, w=W3)),
    ("reshape-flat", "sum(reshape(A, -1) * reshape(C, (12,)))", dict(A=A34, C=C34)),
    ("reshape-method", "sum(sin(reshape(v, (2, 2))))", dict(v=V4)),
    # broadcasting of scalars, rows and columns
    ("bcast-scalar", "sum((A * s + s) ** 2)", dict(A=A34, s=1.7)),
    ("bcast-row", "sum((A + r) ** 2)", dict(A=A34, r=V4)),
    ("bcast-row-2d", "sum((A + r) ** 2)", dict(A=A34, r=randn(1, 4))),
    ("bcast-column", "sum((A * c) ** 2)", dict(A=A34, c=randn(3, 1))),
    ("bcast-outer", "sum(sin(c + r))", dict(c=randn(3, 1), r=randn(1, 4))),
    ("bcast-scalar-minus", "sum((s - A) ** 2)", dict(A=A34, s=-0.4)),
    ("bcast-scalar-div", "sum(s / P)", dict(P=POS34, s=2.5)),
    # vector outputs (Jacobians)
    ("jac-affine", "tanh(A @ v + w)", dict(A=A34, v=V4, w=W3)),
    ("jac-softmax", "softmax(v)", dict(v=V4)),
    ("jac-matrix-out", "A @ B", dict(A=A34, B=B42)),
    ("jac-transpose-out", "A.T * 2", dict(A=A34)),
    ("jac-sum-axis", "sum(A * A, axis=0)", dict(A=A34)),
    ("jac-max-axis", "max(A, axis=1)", dict(A=A34)),
    ("jac-stack", "[x * y, x + y, sin(x)]", dict(x=0.3, y=1.1)),
    ("jac-bcast", "v * s", dict(v=V4, s=0.5)),
]


@pytest.mark.parametrize("case, expression, values", OP_CASES, ids=[c[0] for c in OP_CASES])
def test_op_on_arrays_four_ways(case, expression, values):
    g = gs.parse(expression, **values)
    check_four_ways(g)


def test_the_op_cases_cover_every_op_in_the_table():
    used = set()
    for _, expression, values in OP_CASES:
        g = gs.parse(expression, **values)
        used.update(g.op(n) for n in range(len(g)))
    assert set(OPS) <= used, set(OPS) - used


def test_max_over_a_tuple_of_axes_of_a_3d_tensor():
    T = randn(2, 3, 4)
    x = gs.var("T", T)
    g = gs.graph(gs.sum(gs.max(x, axis=(0, 2)) * np.array([1.0, -2.0, 0.5])))
    assert g.value == pytest.approx(np.sum(T.max(axis=(0, 2)) * [1.0, -2.0, 0.5]))
    loss = lambda T: anp.sum(anp.max(T, axis=(0, 2)) * anp.array([1.0, -2.0, 0.5]))  # noqa: E731
    assert_close(gs.grad(g, "T"), ag_grad(loss)(T), 0, 0)
    check_four_ways(g)


def test_tracing_matches_parsing_for_tensor_ops():
    A, v = gs.var("A", A34), gs.var("v", V4)
    traced = gs.graph(gs.sum(gs.softmax(A @ v) * gs.sum(A, axis=1)) + gs.mean(A.T) + (v * 2).sum())
    parsed = gs.parse("sum(softmax(A @ v) * sum(A, axis=1)) + mean(A.T) + sum(v * 2)", A=A34, v=V4)
    assert traced.value == pytest.approx(parsed.value, rel=1e-14)
    for k in ("A", "v"):
        assert_close(gs.grad(traced, k), gs.grad(parsed, k), 1e-14, 1e-14)


# --------------------------------------------------------------------------------------
# structured Jacobians
# --------------------------------------------------------------------------------------


def _local_cases():
    """(graph, head) pairs covering every kind of Jacobian object on an edge."""
    expressions = [
        ("A @ B", dict(A=randn(3, 4), B=randn(4, 2))),
        ("A @ v", dict(A=randn(3, 4), v=randn(4))),
        ("w @ A", dict(A=randn(3, 4), w=randn(3))),
        ("dot(v, u)", dict(v=randn(4), u=randn(4))),
        ("tanh(A)", dict(A=randn(3, 2))),
        ("A * C", dict(A=randn(2, 3), C=randn(2, 3))),
        ("A - C", dict(A=randn(2, 3), C=randn(2, 3))),
        ("-A", dict(A=randn(2, 3))),
        ("A.T", dict(A=randn(2, 3))),
        ("sum(A, axis=0)", dict(A=randn(2, 3))),
        ("mean(A, axis=(0, 1))", dict(A=randn(2, 3))),
        ("max(A, axis=1)", dict(A=randn(2, 3))),
        ("softmax(A, axis=0)", dict(A=randn(3, 2))),
        ("reshape(A, (3, 2))", dict(A=randn(2, 3))),
        ("[v, u]", dict(v=randn(3), u=randn(3))),
        ("A + r", dict(A=randn(2, 3), r=randn(3))),
        ("A + c", dict(A=randn(2, 3), c=randn(2, 1))),
        ("A * s", dict(A=randn(2, 3), s=0.5)),
    ]
    for expression, values in expressions:
        g = gs.parse(expression, **values)
        for head in range(len(g)):
            for pos, tail in enumerate(g.args(head)):
                if g.op(tail) != "const" and isinstance(g.local(head, pos), jac.Jacobian):
                    yield pytest.param(g, head, pos, id=f"{expression}:{g.label(head)}[{pos}]")


def _op_jacobian_by_differences(g, head, pos, eps=1e-6):
    """d head / d argument pos, by central differences of the op's forward alone."""
    op = OPS[g.op(head)]
    args = [np.array(g.value_of(a), dtype=float) for a in g.args(head)]
    x = args[pos]
    columns = []
    for index in np.ndindex(x.shape):
        outs = []
        for sign in (1, -1):
            shifted = [a.copy() for a in args]
            shifted[pos][index] += sign * eps
            outs.append(np.ravel(op.forward(tuple(shifted), g.params(head))))
        columns.append((outs[0] - outs[1]) / (2 * eps))
    return np.array(columns).T


@pytest.mark.parametrize("g, head, pos", list(_local_cases()))
def test_local_jacobian_dense_vjp_jvp_and_transpose(g, head, pos):
    J = g.local(head, pos)
    tail = g.args(head)[pos]
    assert J.in_shape == g.shape_of(tail) and J.out_shape == g.shape_of(head)
    dense = J.dense()
    assert dense.shape == J.shape == (int(np.prod(J.out_shape)), int(np.prod(J.in_shape)))
    assert_close(dense, _op_jacobian_by_differences(g, head, pos), 1e-6, 1e-8)
    gy, tx = randn(*J.out_shape), randn(*J.in_shape)
    assert_close(np.ravel(J.vjp(gy)), np.ravel(gy) @ dense, 1e-12, 1e-12)
    assert np.shape(J.vjp(gy)) == J.in_shape
    assert_close(np.ravel(J.jvp(tx)), dense @ np.ravel(tx), 1e-12, 1e-12)
    # the transpose: denominator layout
    assert_close(J.T.dense(), dense.T, 0, 0)
    assert_close(J.dense(layout="denominator"), dense.T, 0, 0)
    assert J.T.T is J and J.T.formula == J.formula_t and J.T.formula_t == J.formula
    assert J.layout_formula("denominator") == J.formula_t
    # order="F" is the same matrix with rows and columns in column-stacking order
    rows = np.arange(dense.shape[0]).reshape(J.out_shape or (1,)).ravel(order="F")
    cols = np.arange(dense.shape[1]).reshape(J.in_shape or (1,)).ravel(order="F")
    assert_close(J.dense(order="F"), dense[np.ix_(rows, cols)], 0, 0)


def test_matmul_jacobians_in_vec_form_are_kronecker_products():
    A, B = randn(3, 4), randn(4, 2)
    g = gs.parse("A @ B", A=A, B=B)
    JA, JB = g.local(2, 0), g.local(2, 1)
    assert (JA.formula, JB.formula) == ("Bᵀ ⊗ I_3", "I_2 ⊗ A")
    assert (JA.formula_t, JB.formula_t) == ("B ⊗ I_3", "I_2 ⊗ Aᵀ")
    assert np.array_equal(JA.dense(order="F"), np.kron(B.T, np.eye(3)))  # vec(AB) = (Bᵀ ⊗ I) vec A
    assert np.array_equal(JB.dense(order="F"), np.kron(np.eye(2), A))  # vec(AB) = (I ⊗ A) vec B
    M, x = randn(3, 2), randn(2)
    g = gs.parse("M @ x", M=M, x=x)
    assert np.array_equal(g.local(2, 0).dense(order="F"), np.kron(x[None, :], np.eye(3)))
    assert g.local(2, 1).formula == "M" and np.array_equal(g.local(2, 1).dense(), M)


def test_jacobian_formulas_name_their_structure():
    g = gs.parse("sum(tanh(W @ x + b))", W=randn(3, 2), x=randn(2), b=randn(3))
    formulas = {(g.label(h), g.label(g.args(h)[p])): g.edge_formula(h, p) for _, h, p in g.edges()}
    assert formulas[("u1", "W")] == "xᵀ ⊗ I_3"
    assert formulas[("u1", "x")] == "W"
    assert formulas[("u2", "b")] == "I_3"
    assert formulas[("u3", "u2")] == "diag(1 - u3²)"
    assert formulas[("u4", "u3")] == "1ᵀ"
    kinds = {g.local(h, p).kind for _, h, p in g.edges()}
    assert kinds == {"kronecker", "identity", "diagonal", "reduction"}


def test_dense_form_refuses_past_the_size_limit():
    big = gs.parse("A * 2", A=np.ones((2100, 1000)))
    J = big.local(big.output, 0)
    with pytest.raises(gs.SizeLimitError, match="dense limit"):
        J.dense()
    pulled = J.vjp(np.ones((2100, 1000)))  # vjp never builds it
    assert pulled.shape == (2100, 1000) and np.all(pulled == 2.0)  # d(2A)/dA = 2 everywhere
    with pytest.raises(gs.SizeLimitError, match="more than"):
        gs.jacobian(big, "A")


def test_compose_keeps_structure():
    d1 = jac.Diagonal(np.array([1.0, 2.0, 3.0]), "diag(a)")
    d2 = jac.Diagonal(np.array([2.0, 2.0, 2.0]), "diag(b)")
    merged = jac.compose(d1, d2)
    assert merged.kind == "diagonal" and np.array_equal(merged.d, [2.0, 4.0, 6.0])
    identity = jac.Scale(1.0, (3,))
    assert jac.compose(identity, d1) is d1 and jac.compose(d1, identity) is d1
    W = randn(3, 3)
    right = jac.MatmulRight(W, (3,), (3,), "W", "x")
    chain = jac.compose(jac.Reduction((3,), None), jac.compose(d1, right))
    assert chain.kind == "chain" and chain.formula == "1ᵀ · diag(a) · W"
    assert chain.formula_t == "Wᵀ · diag(a) · 1"
    expected = np.ones(3) @ np.diag([1.0, 2.0, 3.0]) @ W
    assert_close(chain.dense(), expected[None, :], 1e-14, 1e-14)
    assert_close(chain.T.dense(), expected[:, None], 1e-14, 1e-14)
    with pytest.raises(gs.InputError, match="layout"):
        chain.dense(layout="rows")


# --------------------------------------------------------------------------------------
# path sums over tensors, gs.jacobian and its layouts
# --------------------------------------------------------------------------------------


def test_path_sum_equals_reverse_for_tensor_graphs_with_shared_nodes():
    W, x = randn(3, 3), randn(3)
    # x reaches the output along several paths (through u = W x twice and directly)
    g = gs.parse("sum(tanh(W @ x) * (W @ x) + x * x)", W=W, x=x)
    assert gs.count_paths(g, "x") == 4
    paths = list(gs.paths(g, "x"))
    assert len(paths) == 4
    total = sum(p.contribution() for p in paths)
    assert_close(total, gs.grad(g, "x"), 1e-12, 1e-12)
    for p in paths:  # a path's product is the chain of its Jacobians, composed structurally
        product = p.product
        assert isinstance(product, jac.Jacobian)
        assert product.shape == (1, 3)
        assert_close(np.ravel(product.dense()), np.ravel(p.contribution()), 1e-12, 1e-12)
    loss = lambda W, x: anp.sum(anp.tanh(anp.dot(W, x)) * anp.dot(W, x) + x * x)  # noqa: E731
    assert_close(gs.path_sum(g, "x"), ag_grad(loss, 1)(W, x), 1e-12, 1e-12)
    assert_close(gs.path_sum(g, "W"), ag_grad(loss, 0)(W, x), 1e-12, 1e-12)


def test_jacobian_is_numerator_layout_and_transposes_for_denominator():
    A, v = randn(3, 4), randn(4)
    g = gs.parse("tanh(A @ v)", A=A, v=v)
    J = gs.jacobian(g, "v")
    expected = ag_jacobian(lambda v: anp.tanh(anp.dot(A, v)))(v)
    assert J.shape == (3, 4)
    assert_close(J, expected, 1e-12, 1e-12)
    assert_close(gs.jacobian(g, "v", layout="denominator"), expected.T, 1e-12, 1e-12)
    JA = gs.jacobian(g, "A")
    assert JA.shape == (3, 12)
    assert_close(JA, ag_jacobian(lambda A: anp.tanh(anp.dot(A, v)))(A).reshape(3, 12), 1e-12, 1e-12)
    both = gs.jacobian(g, layout="denominator")
    assert set(both) == {"A", "v"} and both["A"].shape == (12, 3)
    with pytest.raises(gs.InputError, match="layout must be"):
        gs.jacobian(g, "v", layout="columns")


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


# --------------------------------------------------------------------------------------
# shape errors name the sub-expression and both shapes
# --------------------------------------------------------------------------------------


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


def test_grad_of_a_tensor_output_is_a_shape_error():
    g = gs.parse("A @ v", A=np.ones((3, 2)), v=np.ones(2))
    with pytest.raises(gs.ShapeError, match=r"grad needs a scalar output, but A @ v has shape \(3,\)"):
        gs.grad(g)


# --------------------------------------------------------------------------------------
# random shapes and values
# --------------------------------------------------------------------------------------

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


def test_dense_jacobian_applies_its_matrix_both_ways_and_composes():
    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(6, 4))
    J = jac.Dense(matrix, (2, 2), (2, 3), "A")
    assert J.kind == "dense" and J.shape == (6, 4)
    g, t = rng.normal(size=(2, 3)), rng.normal(size=(2, 2))
    np.testing.assert_allclose(J.vjp(g), (g.ravel() @ matrix).reshape(2, 2))
    np.testing.assert_allclose(J.jvp(t), (matrix @ t.ravel()).reshape(2, 3))
    np.testing.assert_array_equal(J.dense(), matrix)
    d = rng.normal(size=(2, 2))
    chained = jac.compose(J, jac.Diagonal(d, "diag(d)"))
    np.testing.assert_allclose(chained.dense(), matrix @ np.diag(d.ravel()))
    np.testing.assert_allclose(jac.to_dense(chained, layout="denominator"),
                               (matrix @ np.diag(d.ravel())).T)
