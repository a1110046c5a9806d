"""Do two results agree? The one comparison behind every "they agree" graphstep prints.

The path sum against reverse accumulation, a stepper's running total against
``gs.grad``, a derived formula against ``gs.grad``, an example against its closed
form and an analytic derivative against central differences all ask :func:`agree`.

>>> agree(52.1825, 52.1825)
Agreement(ok=True, max_difference=0.0)
>>> agree(52.1825, 52.1826).ok
False
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

__all__ = ["Agreement", "agree"]


class Agreement(NamedTuple):
    """The verdict of :func:`agree`: ``ok``, and the largest difference found.

    It unpacks as ``ok, max_difference = agree(a, b)``.

    Attributes
    ----------
    ok : bool
        Every entry agrees.
    max_difference : float
        The largest difference over the entries that are not equal.

    Examples
    --------
    >>> ok, max_difference = agree([1.0, 2.0], [1.0, 2.5])
    >>> ok, max_difference
    (False, 0.5)
    """

    ok: bool
    max_difference: float


def agree(a: Any, b: Any, rtol: float = 1e-9, atol: float = 1e-12,
          equal_nan: bool = True) -> Agreement:
    """Compare two results element by element, as :func:`numpy.allclose` does.

    Entry ``a[i]`` agrees with ``b[i]`` when they are equal (equal infinities too, and two
    nans when ``equal_nan``) or when ``|a[i] - b[i]| <= atol + rtol * |b[i]|``. Arrays of
    the same size but different shapes are compared in C order; different sizes never
    agree.

    Parameters
    ----------
    a, b : float or array_like
        The two results; ``b`` is the reference the relative tolerance scales with.
    rtol, atol : float, optional
        Relative and absolute tolerance.
    equal_nan : bool, optional
        Whether a nan agrees with a nan.

    Returns
    -------
    Agreement
        ``ok``: every entry agrees. ``max_difference``: the largest ``|a[i] - b[i]|``
        over the entries that are not equal (0 when all are; nan when a nan meets a
        number; inf when the sizes differ).

    Examples
    --------
    >>> agree([1.0, 2.0], [1.0, 2.0 + 1e-10])
    Agreement(ok=True, max_difference=1.000000082740371e-10)
    >>> agree(np.ones((2, 2)), np.ones(4)).ok, agree(np.ones(3), np.ones(4))
    (True, Agreement(ok=False, max_difference=inf))
    >>> agree(float("inf"), float("inf")), agree(float("inf"), -float("inf")).ok
    (Agreement(ok=True, max_difference=0.0), False)
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        if a.size != b.size:
            return Agreement(False, float("inf"))
        a = a.reshape(b.shape)
    with np.errstate(invalid="ignore"):
        difference = np.abs(a - b)
        equal = a == b
        if equal_nan:
            equal |= np.isnan(a) & np.isnan(b)
        close = equal | (np.isfinite(difference) & (difference <= atol + rtol * np.abs(b)))
    largest = float(np.max(np.where(equal, 0.0, difference), initial=0.0))
    return Agreement(bool(close.all()), largest)
