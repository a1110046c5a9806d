"""User data to values: floats and read-only float64 arrays, with messages that say what is wrong.

>>> coerce_number(True, "input x")
Traceback (most recent call last):
    ...
graphstep.errors.InputError: input x: True is not a real number
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from graphstep.build.writing import describe
from graphstep.errors import InputError, ShapeError
from graphstep.ops.spec import OpSpec
from graphstep.text import shape_text

if TYPE_CHECKING:
    from graphstep.build.trace import Var

__all__ = ["MAX_NDIM", "coerce_number", "check_ndim"]

#: Most dimensions a value may have: numpy 1's limit, half of numpy 2's, so that no op's
#: intermediate results (a broadcast, a Jacobian) reach numpy's own limit.
MAX_NDIM = 32


def coerce_number(value: Any, what: str) -> Any:
    """A float or a read-only float64 array from user data, or an InputError that says why not.

    A float64 array is not copied (copying a batch of data can cost as much as the forward
    pass it feeds): the result is a read-only view, so graphstep never writes into it.

    Parameters
    ----------
    value : float or array_like
    what : str
        What the value is, for the message (``input x``).

    Returns
    -------
    float or numpy.ndarray

    Raises
    ------
    InputError
        Not real numbers, ragged, too many dimensions, or beyond a float's range.

    Examples
    --------
    >>> coerce_number(2, "input x"), coerce_number(np.array([1.0, 2.0]), "input v").flags.writeable
    (2.0, False)
    """
    if isinstance(value, bool) or isinstance(value, complex):
        raise InputError(f"{what}: {value!r} is not a real number")
    if isinstance(value, numbers.Real):
        return _to_float(lambda: float(value), value, what)
    try:
        array = np.asarray(value)
    except Exception as error:  # ragged nested lists, for instance
        raise InputError(f"{what}: cannot read {_clip(value)} as an array ({error})") from None
    if array.ndim > MAX_NDIM:
        raise InputError(f"{what}: the array has {array.ndim} dimensions; graphstep allows at most "
                         f"{MAX_NDIM}")
    if array.dtype.kind == "O" and all(
            isinstance(x, numbers.Real) and not isinstance(x, bool) for x in array.flat):
        array = _to_float(lambda: array.astype(float), value, what)  # Python ints beyond int64
    if array.dtype.kind not in "biuf" or array.dtype.kind == "b":
        raise InputError(f"{what}: {_clip(value)} is not an array of real numbers")
    if array.ndim == 0:
        return _to_float(lambda: float(array), value, what)
    # A private copy: the graph's values must not change when the caller later updates
    # their array in place (an SGD step, say). Read-only, so nothing writes into it either.
    if array.dtype == np.float64:
        # Not copied (copying a batch of data can cost as much as the forward pass it feeds):
        # a read-only view, so graphstep never writes into the caller's array. A graph is a
        # snapshot: after changing the array in place, build a new graph.
        view = array.view()
        view.flags.writeable = False
        return view
    return _to_float(lambda: array.astype(float), value, what)


def _to_float(convert: Any, value: Any, what: str) -> Any:
    """``convert()``, or an InputError when the number is beyond a float's range."""
    try:
        with np.errstate(over="raise"):
            return convert()
    except (OverflowError, FloatingPointError):
        if isinstance(value, numbers.Integral) and not isinstance(value, np.integer):
            size = f"an integer of about 10^{int(int(value).bit_length() * math.log10(2))}"
        else:
            size = "a number"
        raise InputError(f"{what}: {size} is too large for a float (the largest is about 1.8e308)"
                         ) from None


def _clip(value: Any, limit: int = 60) -> str:
    """A short repr of user data for a message (never the whole of a large value)."""
    if isinstance(value, np.ndarray) and value.size > 6:
        return f"an array {shape_text(value.shape, 'x')}"
    try:
        text = repr(value)
    except ValueError:  # an int too long to print
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_ndim(op: OpSpec, args: Sequence[Var], params: dict) -> None:
    """Refuse a stack or reshape whose result would have more than :data:`MAX_NDIM` axes.

    Parameters
    ----------
    op : OpSpec
        A variadic op (``stack``), or an op with a ``shape`` parameter (``reshape``).
    args : sequence of Var
        Its arguments (at least one).
    params : dict
        Its parameters.

    Raises
    ------
    ShapeError
        When the result would have more than :data:`MAX_NDIM` axes.

    Examples
    --------
    >>> from graphstep.build.trace import var
    >>> from graphstep.ops.table import OPS
    >>> check_ndim(OPS["reshape"], [var("v", [1.0, 2.0])], {"shape": (2, 1)})
    >>> check_ndim(OPS["reshape"], [var("v", [1.0])], {"shape": (1,) * 40})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graphstep.errors.ShapeError: reshape: v to (1, 1, ...) would have 40 dimensions ...
    """
    op_name = op.name
    if op.variadic:
        ndim, what = len(args[0].shape) + 1, f"[{describe(args[0])}, ...]"
    else:
        shape = params.get("shape")
        ndim = len(shape) if isinstance(shape, tuple) else 1
        what = f"{describe(args[0])} to {shape}"
    if ndim > MAX_NDIM:
        raise ShapeError(f"{op_name}: {what} would have {ndim} dimensions (lists or axes nested "
                         f"{ndim} deep); graphstep allows at most {MAX_NDIM}")
