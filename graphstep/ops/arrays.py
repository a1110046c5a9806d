"""Array arithmetic every derivative shares: an exact zero wins, broadcasting undone once.

:func:`times` and :func:`exact_zeros` multiply so that ``0 · nan = 0``: a local
derivative that is exactly 0 (relu below 0, the branch max did not take) passes nothing
on, the way autograd's and JAX's ``where`` do; and a path whose product has an
exact-zero factor contributes exactly 0 in every mode (path sum, reverse and forward),
so the three agree. :func:`unbroadcast` sums a gradient back to an argument's shape
(autograd's ``unbroadcast``); no rule reduces shapes itself.

>>> times(0.0, float("nan")), unbroadcast(np.ones((2, 3)), (3,)).tolist()
(0.0, [2.0, 2.0, 2.0])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["times", "exact_zeros", "unbroadcast"]


def times(factor: float, x: Any) -> Any:
    """``factor * x``, exactly 0 when either side is exactly 0, even if the other is nan or inf.

    A local derivative that is exactly 0 (relu below 0, the branch max did not take)
    passes nothing on, the way autograd's and JAX's ``where`` do; and a path whose
    product has an exact-zero factor contributes exactly 0 in every mode (path sum,
    reverse and forward), so the three agree.

    Parameters
    ----------
    factor : float
        A scalar (a local derivative).
    x : float or numpy.ndarray
        What it multiplies.

    Returns
    -------
    float or numpy.ndarray
        The product, of ``x``'s shape.

    Examples
    --------
    >>> times(0.0, float("nan")), times(float("inf"), 0.0), times(2.0, 3.0)
    (0.0, 0.0, 6.0)
    """
    if factor == 0:
        return 0.0 if np.ndim(x) == 0 else np.zeros(np.shape(x))
    if np.ndim(x) == 0:
        return 0.0 if x == 0 else factor * x
    return exact_zeros(factor * x, x)


def exact_zeros(product: Any, *factors: Any) -> Any:
    """``product`` with 0 wherever one of its ``factors`` is exactly 0 (see :func:`times`).

    The usual, finite case costs one sum; only a nan or inf in ``product`` costs the mask.

    Parameters
    ----------
    product : float or numpy.ndarray
        The product already computed.
    *factors : float or numpy.ndarray
        The factors it was computed from (broadcasting to its shape).

    Returns
    -------
    float or numpy.ndarray
        ``product`` itself when it is finite, else a copy with the zeros put back.

    Examples
    --------
    >>> exact_zeros(np.array([np.nan, 2.0]), np.array([0.0, 1.0]), np.array([np.inf, 2.0]))
    array([0., 2.])
    """
    with np.errstate(all="ignore"):
        if math.isfinite(np.sum(product)):
            return product
        zero = np.zeros(np.shape(product), dtype=bool)
        for factor in factors:
            zero |= np.asarray(factor) == 0
        return np.where(zero, 0.0, product)


def unbroadcast(g: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``g`` over the axes that broadcasting added or stretched to reach its shape.

    This is the one place where broadcasting is undone (autograd's ``unbroadcast``).

    Parameters
    ----------
    g : float or array_like
        A gradient of the broadcast result's shape.
    shape : tuple of int
        The argument's shape before broadcasting.

    Returns
    -------
    float or numpy.ndarray
        ``g`` summed down to ``shape`` (a float for ``()``).

    Examples
    --------
    >>> unbroadcast(np.ones((4, 3)), (3,))
    array([4., 4., 4.])
    >>> unbroadcast(np.ones((4, 3)), (4, 1))
    array([[3.],
           [3.],
           [3.],
           [3.]])
    """
    g = np.asarray(g)
    while g.ndim > len(shape):
        g = g.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and g.shape[axis] != 1:
            g = g.sum(axis=axis, keepdims=True)
    if shape == ():
        return float(g)
    return g
