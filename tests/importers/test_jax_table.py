"""Every mapped JAX primitive: a small function using it, imported, differentiated three ways
(gs.grad, the path sum, forward mode) and compared with jax.grad / jax.jacfwd; its picture's
DOT source names every node."""

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")
from jax import lax  # noqa: E402
from jax.ad_checkpoint import checkpoint_name  # noqa: E402
from support import assert_close  # noqa: E402

import graphstep as gs  # noqa: E402
from graphstep.importers.jax_eval import float64  # noqa: E402
from graphstep.importers.jax_table import PRIMITIVES, inlined, mapped  # noqa: E402
from graphstep.render.dot import node_id, to_dot  # noqa: E402

V = np.array([0.3, -1.2, 0.8])
W = np.array([0.5, 0.9, -0.4])
M = np.array([[0.2, -0.7, 1.1], [0.4, 0.3, -0.5]])
N = np.array([[1.0, -0.3], [0.6, 0.2], [-0.8, 0.9]])
POS = np.array([0.7, 1.3, 2.1])

#: primitive -> (function, example arguments); each function returns a scalar
CASES = {
    "add": (lambda x, y: jnp.sum((x + y) * W), (V, POS)),
    "add_any": (lambda x: jnp.sum(jax.grad(lambda t: jnp.sum(jnp.sin(t) * t))(x) * x), (V,)),
    "sub": (lambda x, y: jnp.sum((x - y) * W), (V, POS)),
    "mul": (lambda x, y: jnp.sum(x * y), (V, POS)),
    "div": (lambda x, y: jnp.sum(x / y), (V, POS)),
    "pow": (lambda x, y: jnp.sum(x ** y), (POS, V)),
    "neg": (lambda x: jnp.sum(-x * W), (V,)),
    "exp": (lambda x: jnp.sum(jnp.exp(x)), (V,)),
    "log": (lambda x: jnp.sum(jnp.log(x)), (POS,)),
    "log1p": (lambda x: jnp.sum(jnp.log1p(x)), (POS,)),
    "sin": (lambda x: jnp.sum(jnp.sin(x)), (V,)),
    "cos": (lambda x: jnp.sum(jnp.cos(x)), (V,)),
    "tan": (lambda x: jnp.sum(jnp.tan(x)), (V,)),
    "tanh": (lambda x: jnp.sum(jnp.tanh(x)), (V,)),
    "logistic": (lambda x: jnp.sum(jax.nn.sigmoid(x) * W), (V,)),
    "sqrt": (lambda x: jnp.sum(jnp.sqrt(x)), (POS,)),
    "rsqrt": (lambda x: jnp.sum(lax.rsqrt(x)), (POS,)),
    "abs": (lambda x: jnp.sum(jnp.abs(x) * W), (V,)),
    "square": (lambda x: jnp.sum(lax.square(x) * W), (V,)),
    "integer_pow": (lambda x: jnp.sum(x ** 3 + x ** 2), (V,)),
    "max": (lambda x, y: jnp.sum(jnp.maximum(x, y) * W), (V, W)),
    "min": (lambda x, y: jnp.sum(jnp.minimum(x, y) * W), (V, W)),
    "dot_general": (lambda A, x: jnp.sum(jnp.tanh(A @ x)) + jnp.sum(A.T @ A) + x @ x
                    + jnp.sum(jnp.einsum("ij,ik->jk", A, A)), (M, V)),
    "reduce_sum": (lambda A: jnp.sum(jnp.sum(A, axis=0) ** 2) + jnp.sum(A), (M,)),
    "reduce_max": (lambda A: jnp.sum(jnp.max(A, axis=1)) + jnp.max(A), (M,)),
    "reduce_min": (lambda A: jnp.sum(jnp.min(A, axis=0)), (M,)),
    "broadcast_in_dim": (lambda A, x: jnp.sum(jnp.tanh(A + x) + A * jnp.sum(x)
                                              + A / jnp.sum(A, axis=1, keepdims=True)), (M, V)),
    "reshape": (lambda A: jnp.sum(A.reshape(3, 2) * N), (M,)),
    "squeeze": (lambda x: jnp.sum(jnp.squeeze(x[None, :]) * W), (V,)),
    "expand_dims": (lambda x: jnp.sum(lax.expand_dims(x, (0,)) @ N), (V,)),
    "transpose": (lambda A: jnp.sum(A.T * N), (M,)),
    "convert_element_type": (lambda x: jnp.sum(x.astype(jnp.float32).astype(jnp.float64) * W),
                             (V,)),
    "copy": (lambda x: jnp.sum(jnp.copy(x) * W), (V,)),
    "name": (lambda x: jnp.sum(checkpoint_name(x * 2.0, "h") * W), (V,)),
    "select_n": (lambda x: jnp.sum(jnp.where(x > 0, x, 0.1 * x) ** 2), (V,)),
    "stop_gradient": (lambda x: jnp.sum(lax.stop_gradient(x) * x), (V,)),
}

#: nested calls, read in place
INLINE_CASES = {
    "jit": (lambda x: jnp.sum(jax.jit(lambda t: jnp.sin(t) * t)(x)), (V,)),
    "pjit": (lambda x: jnp.sum(jax.jit(lambda t: t * t)(x)), (V,)),
    "closed_call": (lambda x: jnp.sum(jax.jit(jnp.cos)(x)), (V,)),
    "custom_jvp_call": (lambda x: jnp.sum(jax.nn.relu(x) * W), (V,)),
    "custom_vjp_call": (lambda x: jnp.sum(_custom_vjp_sin(x)), (V,)),
    "checkpoint": (lambda x: jnp.sum(jax.checkpoint(lambda t: jnp.sin(t) ** 2)(x)), (V,)),
    "remat2": (lambda x: jnp.sum(jax.checkpoint(jnp.tanh)(x)), (V,)),
    "cond": (lambda x: lax.cond(x[0] > 0, lambda t: jnp.sum(t * t), lambda t: jnp.sum(t), x),
             (V,)),
}


@jax.custom_vjp
def _custom_vjp_sin(x):
    return jnp.sin(x)


_custom_vjp_sin.defvjp(lambda x: (jnp.sin(x), x), lambda x, g: (g * jnp.cos(x),))


def primitives_of(f, args):
    """Every primitive name in f's jaxpr, nested calls included."""
    with float64():
        closed = jax.make_jaxpr(f)(*args)
    found, stack = set(), [closed.jaxpr]
    while stack:
        jaxpr = stack.pop()
        for eqn in jaxpr.eqns:
            found.add(eqn.primitive.name)
            for value in eqn.params.values():
                for sub in value if isinstance(value, tuple) else (value,):
                    inner = getattr(sub, "jaxpr", sub)
                    if hasattr(inner, "eqns"):
                        stack.append(inner)
    return found


def jax_gradients(f, args):
    with float64():
        grads = jax.grad(f, argnums=tuple(range(len(args))))(*args)
    return [np.asarray(g) for g in grads]


def check_against_jax(f, args, names):
    g = gs.from_jax(f, *args, argnames=names)
    with float64():
        assert_close(g.value, float(f(*args)), 1e-6, 1e-9)  # a float32 step rounds in JAX
    for name, expected in zip(names, jax_gradients(f, args)):
        assert_close(gs.grad(g, name), expected, 1e-6, 1e-9)
        assert_close(gs.path_sum(g, name), expected, 1e-6, 1e-9)
        assert_close(gs.forward_grad(g, name), expected, 1e-6, 1e-9)
    return g


def test_the_cases_cover_the_table():
    assert set(CASES) == set(mapped())
    assert set(INLINE_CASES) == set(inlined())
    assert set(PRIMITIVES) == set(mapped()) | set(inlined())


@pytest.mark.parametrize("primitive", sorted(CASES))
def test_a_mapped_primitive_matches_jax_three_ways(primitive):
    f, args = CASES[primitive]
    present = primitives_of(f, args)
    if primitive not in present:
        pytest.skip(f"this JAX version writes the case without {primitive}: {sorted(present)}")
    names = [f"a{k}" for k in range(len(args))]
    g = check_against_jax(f, args, names)
    opaque = [n for n in range(len(g)) if g.params(n).get("opaque")]
    assert not opaque, [g.expr(n) for n in opaque]  # the table's op, not JAX's derivative
    dot = to_dot(g)
    for node in range(len(g)):
        assert f"{node_id(node)} [" in dot


@pytest.mark.parametrize("primitive", sorted(INLINE_CASES))
def test_a_nested_call_is_read_in_place(primitive):
    f, args = INLINE_CASES[primitive]
    present = primitives_of(f, args)
    if primitive not in present:
        pytest.skip(f"this JAX version writes the case without {primitive}: {sorted(present)}")
    g = check_against_jax(f, args, ["x"])
    assert not any(g.params(n).get("opaque") for n in range(len(g)))


def test_jacobian_of_a_vector_function_matches_jacfwd():
    def f(A, x):
        return jnp.tanh(A @ x) * jax.nn.sigmoid(jnp.sum(A, axis=1))
    g = gs.from_jax(f, M, V, argnames=["A", "x"])
    with float64():
        J_A, J_x = jax.jacfwd(f, argnums=(0, 1))(M, V)
    assert_close(gs.jacobian(g, "A"), np.asarray(J_A).reshape(2, 6), 1e-10, 1e-12)
    assert_close(gs.jacobian(g, "x"), np.asarray(J_x), 1e-10, 1e-12)


def test_max_against_zero_is_relu_and_against_minus_infinity_is_the_value():
    g = gs.from_jax(lambda x: jnp.sum(jnp.maximum(x, 0.0) + jnp.maximum(-jnp.inf, x)), V)
    ops = [g.op(n) for n in range(len(g))]
    assert "relu" in ops and "maximum" not in ops
    assert_close(gs.grad(g, "x"), (V > 0) + 1.0)


def test_dot_general_with_batch_axes_is_an_opaque_node_with_jax_derivatives():
    def f(A):
        return jnp.sum(jnp.einsum("bij,bjk->bik", A, A))
    A = np.arange(8.0).reshape(2, 2, 2) / 10
    g = gs.from_jax(f, A)
    opaque = [n for n in range(len(g)) if g.params(n).get("opaque")]
    assert [g.params(n)["primitive"] for n in opaque] == ["dot_general"]
    assert_close(gs.grad(g, "A"), jax_gradients(f, [A])[0], 1e-10, 1e-12)
