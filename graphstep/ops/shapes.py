"""The shape rules of the structural ops: an entry's ``shape`` in :mod:`graphstep.ops.table`.

Each rule takes the arguments' shapes, the op's parameters and the arguments as the
user wrote them (for messages), and returns the output's shape or raises
:class:`~graphstep.errors.ShapeError` naming the expression.

>>> matmul_shape(((2, 3), (3, 4)), {}, ("A", "B")), reduce_shape("sum")(((2, 3),), {"axis": 1}, ("X",))
((2, 4), (2,))
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from graphstep.errors import ShapeError
from graphstep.ops import jacobians as jac
from graphstep.text import shape_paren, shape_text

__all__ = [
    "reduced_axes", "matmul_shape", "reduce_shape", "reshape_shape", "stack_shape",
    "softmax_shape", "transpose_shape", "broadcast_shape",
]


def matmul_shape(shapes, params, texts):
    """The shape of ``a @ b`` for vectors and matrices.

    Parameters
    ----------
    shapes : tuple of tuple of int
        The arguments' shapes.
    params : dict
        The op's parameters (none).
    texts : tuple of str
        The arguments as the user wrote them, for the message.

    Returns
    -------
    tuple of int
        The output's shape.

    Raises
    ------
    ShapeError
        When a side is a scalar or has more than two axes, or the inner lengths differ.

    Examples
    --------
    >>> matmul_shape(((2, 3), (3,)), {}, ("A", "x"))
    (2,)
    >>> matmul_shape(((2, 3), (2,)), {}, ("A", "x"))
    Traceback (most recent call last):
    ...
    graphstep.errors.ShapeError: matmul: A (2x3) @ x (2,): inner dimensions 3 and 2 differ
    """
    (sa, sb), (ta, tb) = shapes, texts
    if len(sa) == 0 or len(sb) == 0 or len(sa) > 2 or len(sb) > 2:
        raise ShapeError(
            f"matmul: {ta} {shape_paren(sa, 'x')} @ {tb} {shape_paren(sb, 'x')}: "
            "both sides must be vectors or matrices; use * for scalars"
        )
    inner_a, inner_b = sa[-1], sb[0]
    if inner_a != inner_b:
        raise ShapeError(
            f"matmul: {ta} {shape_paren(sa, 'x')} @ {tb} {shape_paren(sb, 'x')}: "
            f"inner dimensions {inner_a} and {inner_b} differ"
        )
    return sa[:-1] + sb[1:]


def _axis_check(name, shape, axis, text):
    """Every axis a whole number in range, none named twice (``-1`` and ``1`` of a matrix are one)."""
    if axis is None:
        return
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    seen = set()
    for a in axes:
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)):
            raise ShapeError(f"{name}: the axis {a!r} for {text} is not a whole number")
        if not -len(shape) <= a < len(shape):
            raise ShapeError(
                f"{name}: {text} has shape {shape_text(shape, 'x')}: axis {a} is out of range"
            )
        if a % len(shape) in seen:
            raise ShapeError(
                f"{name}: {text} has shape {shape_text(shape, 'x')}: axis {a % len(shape)} is "
                f"named twice in axis={axis}"
            )
        seen.add(a % len(shape))


def reduced_axes(shape: tuple[int, ...], axis: Any) -> tuple[int, ...]:
    """The axes a reduction over ``axis`` removes, in order (all of them for ``None``).

    Parameters
    ----------
    shape : tuple of int
        The reduced array's shape.
    axis : int, tuple of int or None
        The reduction's ``axis`` (negative counts from the end).

    Returns
    -------
    tuple of int
        Non-negative axes, ascending.

    Examples
    --------
    >>> reduced_axes((2, 3), None), reduced_axes((2, 3), -1)
    ((0, 1), (1,))
    """
    return tuple(range(len(shape))) if axis is None else jac.normal_axes(axis, len(shape))


def reduce_shape(name):
    """The shape rule of a reduction (``sum``, ``mean``, ``max``, ``min``).

    Parameters
    ----------
    name : str
        The op's name in messages; ``max`` and ``min`` refuse to reduce no numbers.

    Returns
    -------
    callable
        ``(shapes, params, texts) -> shape``: the argument's shape without the reduced axes.

    Raises
    ------
    ShapeError
        Raised by the returned rule, for a bad axis or for a ``max`` or ``min`` of no numbers.

    Examples
    --------
    >>> reduce_shape("sum")(((2, 3),), {"axis": 0}, ("X",)), reduce_shape("sum")(((2, 3),), {}, ("X",))
    ((3,), ())
    >>> reduce_shape("max")(((0, 3),), {"axis": 0}, ("X",))
    Traceback (most recent call last):
    ...
    graphstep.errors.ShapeError: max: X has shape 0x3: the max of no numbers along axis 0 is not defined
    """
    def rule(shapes, params, texts):
        axis = params.get("axis")
        _axis_check(name, shapes[0], axis, texts[0])
        axes = reduced_axes(shapes[0], axis)
        if name in ("max", "min") and any(shapes[0][a] == 0 for a in axes):
            where = "" if axis is None else f" along axis {axis}"
            raise ShapeError(
                f"{name}: {texts[0]} has shape {shape_text(shapes[0], 'x')}: the {name} of no "
                f"numbers{where} is not defined"
            )
        return tuple(n for i, n in enumerate(shapes[0]) if i not in axes)

    return rule


def reshape_shape(shapes, params, texts):
    """The shape of ``reshape(x, shape)``; one ``-1`` stands for the length that fits.

    Parameters
    ----------
    shapes : tuple of tuple of int
        The arguments' shapes.
    params : dict
        The op's parameters (``shape``).
    texts : tuple of str
        The arguments as the user wrote them, for the message.

    Returns
    -------
    tuple of int
        The target shape with ``-1`` worked out.

    Raises
    ------
    ShapeError
        When the sizes do not match, a length is below -1, or -1 appears twice.

    Examples
    --------
    >>> reshape_shape(((2, 3),), {"shape": (3, -1)}, ("X",))
    (3, 2)
    >>> reshape_shape(((2, 3),), {"shape": (4, -1)}, ("X",))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graphstep.errors.ShapeError: reshape: X (2x3) holds 6 numbers and cannot be read as shape (4, -1): ...
    """
    target = tuple(params["shape"])
    size = math.prod(shapes[0])
    known = math.prod(n for n in target if n != -1)
    bad = [n for n in target if n < -1]
    if bad or target.count(-1) > 1 or (target.count(-1) == 0 and known != size) or (
        target.count(-1) == 1 and (known == 0 or size % known)
    ):
        why = (f"{bad[0]} is not a length (use -1 for the one length to work out)" if bad else
               "-1 may stand for one length only" if target.count(-1) > 1 else
               "the sizes do not match")
        raise ShapeError(
            f"reshape: {texts[0]} {shape_paren(shapes[0], 'x')} holds {size} numbers and "
            f"cannot be read as shape {target}: {why}"
        )
    return tuple(size // known if n == -1 else n for n in target)


def stack_shape(shapes, params, texts):
    """The shape of ``stack([a, b, ...])``: a new first axis over equal shapes.

    Parameters
    ----------
    shapes : tuple of tuple of int
        The arguments' shapes.
    params : dict
        The op's parameters (none).
    texts : tuple of str
        The arguments as the user wrote them, for the message.

    Returns
    -------
    tuple of int
        ``(len(shapes),) + shapes[0]``.

    Raises
    ------
    ShapeError
        When there is no argument or the shapes differ.

    Examples
    --------
    >>> stack_shape(((3,), (3,)), {}, ("a", "b"))
    (2, 3)
    >>> stack_shape(((3,), (2,)), {}, ("a", "b"))
    Traceback (most recent call last):
    ...
    graphstep.errors.ShapeError: stack: a (3,) and b (2,) must have the same shape
    """
    if not shapes:
        raise ShapeError("stack: [] has no values; stack needs at least one")
    for shape, text in zip(shapes[1:], texts[1:]):
        if shape != shapes[0]:
            raise ShapeError(
                f"stack: {texts[0]} {shape_paren(shapes[0], 'x')} and {text} "
                f"{shape_paren(shape, 'x')} must have the same shape"
            )
    return (len(shapes),) + shapes[0]


def softmax_shape(shapes, params, texts):
    """The shape of ``softmax(x, axis)``: the argument's, checked.

    Parameters
    ----------
    shapes : tuple of tuple of int
        The arguments' shapes.
    params : dict
        The op's parameters (``axis``, default -1).
    texts : tuple of str
        The arguments as the user wrote them, for the message.

    Returns
    -------
    tuple of int
        ``shapes[0]``.

    Raises
    ------
    ShapeError
        For a scalar, a bad axis, or an axis of length 0.

    Examples
    --------
    >>> softmax_shape(((2, 3),), {}, ("X",))
    (2, 3)
    >>> softmax_shape(((),), {}, ("x",))
    Traceback (most recent call last):
    ...
    graphstep.errors.ShapeError: softmax: x is a scalar; softmax needs a vector or matrix
    """
    if shapes[0] == ():
        raise ShapeError(f"softmax: {texts[0]} is a scalar; softmax needs a vector or matrix")
    axis = params.get("axis", -1)
    _axis_check("softmax", shapes[0], axis, texts[0])
    if any(shapes[0][a] == 0 for a in reduced_axes(shapes[0], axis)):
        raise ShapeError(
            f"softmax: {texts[0]} has shape {shape_text(shapes[0], 'x')}: softmax along axis "
            f"{axis} of no numbers is not defined"
        )
    return shapes[0]


def transpose_shape(shapes, params, texts):
    """The shape of ``x.T``: the axes reversed.

    Parameters
    ----------
    shapes : tuple of tuple of int
        The arguments' shapes.
    params : dict
        The op's parameters (none).
    texts : tuple of str
        The arguments as the user wrote them, for the message.

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> transpose_shape(((2, 3),), {}, ("X",))
    (3, 2)
    """
    return shapes[0][::-1]


def broadcast_shape(shapes, params, texts):
    """The shape of a broadcast node: the target ``shape`` parameter.

    Parameters
    ----------
    shapes : tuple of tuple of int
        The arguments' shapes.
    params : dict
        The op's parameters (``shape``).
    texts : tuple of str
        The arguments as the user wrote them, for the message.

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> broadcast_shape(((3,),), {"shape": (2, 3)}, ("v",))
    (2, 3)
    """
    return tuple(params["shape"])
