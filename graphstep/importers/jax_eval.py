"""Running JAX itself: loading it lazily, 64-bit floats, one equation's value and Jacobian.

graphstep imports without JAX; :func:`load_jax` imports it when an importer needs it and
otherwise raises an :class:`~graphstep.errors.InputError` saying how to install it.

Everything here runs inside :func:`float64`, JAX's own ``jax.enable_x64(True)`` context
manager: JAX computes in 64-bit floats while graphstep reads a function, and the user's
setting (``jax_enable_x64``, off by default) is restored afterwards, also when an opaque
node is evaluated later (by ``gs.grad``, gradcheck or a picture).

>>> jax = load_jax()
>>> with float64():
...     bool(jax.numpy.ones(1).dtype == "float64")
True
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from graphstep.errors import InputError

__all__ = ["load_jax", "float64", "bind", "equation_jacobian", "to_numpy", "INSTALL_HINT"]

#: What to run when JAX is missing.
INSTALL_HINT = "pip install graphstep[jax]"


def load_jax() -> Any:
    """The ``jax`` module, imported now.

    Returns
    -------
    module

    Raises
    ------
    InputError
        When JAX is not installed; the message says ``pip install graphstep[jax]``.

    Examples
    --------
    >>> load_jax().__name__
    'jax'
    """
    try:
        return importlib.import_module("jax")
    except ImportError as error:
        raise InputError(
            f"reading a JAX function needs JAX ({error}); install it with: {INSTALL_HINT}"
        ) from None


@contextlib.contextmanager
def float64() -> Iterator[None]:
    """JAX computes in float64 inside the ``with`` block; the user's setting is restored after.

    Yields
    ------
    None

    Examples
    --------
    >>> jax = load_jax()
    >>> before = jax.config.jax_enable_x64
    >>> with float64():
    ...     pass
    >>> jax.config.jax_enable_x64 == before
    True
    """
    jax = load_jax()
    if hasattr(jax, "enable_x64"):
        context = jax.enable_x64(True)
    else:  # older JAX: the same context manager in jax.experimental
        context = importlib.import_module("jax.experimental").enable_x64()
    with context:
        yield


def to_numpy(value: Any) -> Any:
    """A JAX result as numpy: a float64 array, a float for a float scalar; other dtypes kept.

    Parameters
    ----------
    value : array_like

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> to_numpy(np.float32(2.5)), to_numpy(np.array([True])).dtype
    (2.5, dtype('bool'))
    """
    array = np.asarray(value)
    if np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
        return float(array) if array.ndim == 0 else array
    return array


def bind(eqn: Any, values: Sequence[Any]) -> list:
    """Evaluate one jaxpr equation on concrete values, the way ``jax.core.eval_jaxpr`` does.

    Parameters
    ----------
    eqn : jax.extend.core.JaxprEqn
    values : sequence of array_like
        The equation's inputs.

    Returns
    -------
    list
        Its outputs (JAX arrays).

    Examples
    --------
    >>> jax = load_jax()
    >>> eqn = jax.make_jaxpr(lambda x: x * 2.0)(1.0).jaxpr.eqns[0]
    >>> [float(v) for v in bind(eqn, [3.0, 2.0])]
    [6.0]
    """
    got = eqn.primitive.get_bind_params(eqn.params)  # (subfuns, params) before JAX 0.7
    subfuns, params = got if isinstance(got, tuple) else ((), got)
    out = eqn.primitive.bind(*subfuns, *values, **params)
    return list(out) if eqn.primitive.multiple_results else [out]


def equation_jacobian(eqn: Any, values: Sequence[Any], pos: int, output: int) -> np.ndarray:
    """The Jacobian of output ``output`` of ``eqn`` with respect to input ``pos``, by JAX.

    Reverse mode (``jax.jacrev``) first; forward mode (``jax.jacfwd``) for a primitive
    that has no transpose rule (a ``while`` loop).

    Parameters
    ----------
    eqn : jax.extend.core.JaxprEqn
    values : sequence of array_like
        The equation's inputs at which to differentiate.
    pos, output : int

    Returns
    -------
    numpy.ndarray
        ``(output size, input size)``, numerator layout.

    Examples
    --------
    >>> jax = load_jax()
    >>> eqn = jax.make_jaxpr(jax.lax.erf)(0.0).jaxpr.eqns[0]
    >>> with float64():
    ...     round(float(equation_jacobian(eqn, [0.0], 0, 0)[0, 0]), 6)   # 2/sqrt(pi)
    1.128379
    """
    jax = load_jax()
    values = list(values)

    def one(x: Any) -> Any:
        return bind(eqn, values[:pos] + [x] + values[pos + 1:])[output]

    at = jax.numpy.asarray(values[pos], dtype=float)
    try:
        matrix = jax.jacrev(one)(at)
    except (RuntimeError, ValueError, TypeError):  # (JAX's "not implemented" errors are RuntimeErrors)
        matrix = jax.jacfwd(one)(at)
    out_size = int(np.prod(eqn.outvars[output].aval.shape))
    return np.asarray(matrix, dtype=float).reshape(out_size, int(np.size(values[pos])))
