"""Running JAX: float64 inside, the user's setting outside, one equation's value and Jacobian."""

import numpy as np
import pytest

jax = pytest.importorskip("jax")

from graphstep.importers.jax_eval import bind, equation_jacobian, float64, to_numpy  # noqa: E402


def test_float64_is_on_inside_and_restored_after_even_on_error():
    before = jax.config.jax_enable_x64
    with pytest.raises(RuntimeError), float64():
        assert jax.numpy.zeros(1).dtype == np.float64
        raise RuntimeError("boom")
    assert jax.config.jax_enable_x64 == before


def test_to_numpy_reads_floats_as_float64_and_keeps_integers():
    assert to_numpy(np.float32(0.5)) == 0.5 and isinstance(to_numpy(np.float32(0.5)), float)
    assert to_numpy(np.arange(3)).dtype.kind == "i"
    assert to_numpy(np.ones(2, dtype=np.float32)).dtype == np.float64


def test_bind_and_jacobian_of_one_equation():
    with float64():
        eqn = jax.make_jaxpr(lambda x: jax.numpy.cumsum(x))(np.ones(3)).jaxpr.eqns[0]
        assert [float(v) for v in np.ravel(bind(eqn, [np.array([1.0, 2.0, 3.0])])[0])] == \
            [1.0, 3.0, 6.0]
        J = equation_jacobian(eqn, [np.array([1.0, 2.0, 3.0])], 0, 0)
    assert J.tolist() == np.tril(np.ones((3, 3))).tolist()


def test_a_primitive_without_reverse_mode_falls_back_to_forward_mode():
    def loop(x):
        return jax.lax.while_loop(lambda c: c[1] < 3, lambda c: (c[0] * 1.5, c[1] + 1), (x, 0))[0]
    with float64():
        eqn = jax.make_jaxpr(loop)(2.0).jaxpr.eqns[0]
        values = [2.0, 0]
        J = equation_jacobian(eqn, values, 0, 0)
    assert J[0, 0] == pytest.approx(1.5 ** 3)
