"""The arithmetic of matrix-calculus expressions: build while folding numbers and like terms.

Part of the public builder (:mod:`graphstep.formulas.builder` re-exports every function):
``2·(0.5·u5)`` is built as ``u5``, ``h + h`` as ``2·h``, ``(A B)ᵀ`` as ``Bᵀ Aᵀ``, and every
result has the shape numpy broadcasting gives.

>>> from graphstep.formulas.expr import Value
>>> u = Value((), 0, "u")
>>> add([scale(2.0, scale(0.5, u)), u]).text()
'2·u'
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from graphstep.formulas.expr import (
    Add,
    BroadcastTo,
    Const,
    Div,
    Expand,
    Expr,
    Had,
    MatMul,
    Neg,
    Outer,
    Pow,
    Scale,
    SumTo,
    Transpose,
)

__all__ = ["fit", "scale", "neg", "had", "add", "div", "transpose", "matmul", "outer", "power",
           "expand", "sum_to"]


def fit(e: Expr, shape: tuple[int, ...]) -> Expr:
    """``e`` at ``shape``: itself, a constant of that shape, or ``e`` broadcast (invisibly).

    Parameters
    ----------
    e : Expr
    shape : tuple of int

    Returns
    -------
    Expr

    Examples
    --------
    >>> from graphstep.formulas.expr import Const, Value
    >>> fit(Const((), 2.0), (2,)).text()
    '2·1_2'
    """
    if e.shape == tuple(shape):
        return e
    if isinstance(e, Const):
        return Const(tuple(shape), e.c)
    return BroadcastTo(tuple(shape), e)


def _broadcast(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(np.broadcast_shapes(*shapes))


def scale(c: float, e: Expr) -> Expr:
    """``c·e``, folding numbers: ``1·e = e``, ``c·(d·e) = (cd)·e``, ``-1·e = -e``.

    Parameters
    ----------
    c : float
    e : Expr

    Returns
    -------
    Expr

    Examples
    --------
    >>> from graphstep.formulas.expr import Const, Value
    >>> scale(2.0, scale(0.5, Value((), 0, "u"))).text()
    'u'
    """
    c = float(c)
    if isinstance(e, Const):
        return Const(e.shape, c * e.c)
    if isinstance(e, Scale):
        return scale(c * e.c, e.a)
    if isinstance(e, Neg):
        return scale(-c, e.a)
    if c == 1:
        return e
    if c == -1:
        return Neg(e.shape, e)
    return Scale(e.shape, c, e)


def neg(e: Expr) -> Expr:
    """``-e``, folding numbers and double negation.

    Parameters
    ----------
    e : Expr

    Returns
    -------
    Expr

    Examples
    --------
    >>> from graphstep.formulas.expr import Const, Value
    >>> neg(neg(Value((), 0, "u"))).text()
    'u'
    """
    if isinstance(e, Neg):
        return e.a
    if isinstance(e, (Const, Scale)):
        return scale(-1.0, e)
    return Neg(e.shape, e)


def had(a: Expr, b: Expr) -> Expr:
    """``a ⊙ b`` (numpy broadcasting), turning a constant factor into a coefficient.

    Parameters
    ----------
    a, b : Expr

    Returns
    -------
    Expr

    Examples
    --------
    >>> from graphstep.formulas.expr import Const, Value
    >>> had(Const((), 2.0), Value((3,), 0, "x")).text()
    '2·x'
    """
    shape = _broadcast(a.shape, b.shape)
    if isinstance(a, Const) and isinstance(b, Const):
        return Const(shape, a.c * b.c)
    if isinstance(a, Const):
        return fit(scale(a.c, b), shape)
    if isinstance(b, Const):
        return fit(scale(b.c, a), shape)
    if isinstance(a, Scale):
        return scale(a.c, had(a.a, b))
    if isinstance(b, Scale):
        return scale(b.c, had(a, b.a))
    if isinstance(a, Div):
        return div(had(a.a, b), a.b)  # (1/u)·v = v / u
    if isinstance(b, Div):
        return div(had(a, b.a), b.b)
    return Had(shape, a, b)


def add(terms: Iterable[Expr]) -> Expr:
    """The sum of ``terms``, constants and like terms added up; one term is returned as it is.

    Parameters
    ----------
    terms : iterable of Expr

    Returns
    -------
    Expr

    Examples
    --------
    >>> from graphstep.formulas.expr import Const, Value
    >>> u = Value((), 0, "u")
    >>> add([Const((), 1.0), neg(u), u, u]).text()
    '1 + u'
    """
    terms = list(terms)
    shape = _broadcast(*(t.shape for t in terms))
    merged: list[list] = []  # [coefficient, term]: like terms added up (h + h = 2·h)
    constant = 0.0
    for term in terms:
        parts = term.terms if isinstance(term, Add) else (term,)
        for part in parts:
            if isinstance(part, Const):
                constant += part.c
                continue
            c, base = _pull(part)
            for entry in merged:
                if entry[1] == base:
                    entry[0] += c
                    break
            else:
                merged.append([c, base])
    flat = [scale(c, base) for c, base in merged if c != 0]
    if not flat:
        return Const(shape, constant)
    if constant > 0:
        flat.insert(0, Const((), constant))  # 1 - u²
    elif constant < 0:
        flat.append(Neg((), Const((), -constant)))  # A - 1
    result = flat[0] if len(flat) == 1 else Add(shape, tuple(flat))
    return fit(result, shape)


def div(a: Expr, b: Expr) -> Expr:
    """``a / b`` elementwise; a division by a number becomes a coefficient.

    Parameters
    ----------
    a, b : Expr

    Returns
    -------
    Expr

    Examples
    --------
    >>> from graphstep.formulas.expr import Const, Value
    >>> div(Value((), 0, "u"), Const((), 4.0)).text()
    'u/4'
    """
    if isinstance(b, Const) and b.c != 0:
        return fit(scale(1.0 / b.c, a), _broadcast(a.shape, b.shape))
    return Div(_broadcast(a.shape, b.shape), a, b)


def transpose(a: Expr) -> Expr:
    """``aᵀ``, simplified: ``(Aᵀ)ᵀ = A``, ``(A B)ᵀ = Bᵀ Aᵀ``; vectors and numbers unchanged.

    Parameters
    ----------
    a : Expr

    Returns
    -------
    Expr

    Examples
    --------
    >>> from graphstep.formulas.expr import Const, Value
    >>> A, B = Value((2, 3), 0, "A"), Value((3, 2), 1, "B")
    >>> transpose(matmul(A, B)).text()
    'Bᵀ Aᵀ'
    """
    if len(a.shape) < 2:
        return a
    if isinstance(a, Const):
        return Const(a.shape[::-1], a.c)
    if isinstance(a, Transpose):
        return a.a
    if isinstance(a, (Scale, Neg)):
        return scale(a.c if isinstance(a, Scale) else -1.0, transpose(a.a))
    if isinstance(a, MatMul) and len(a.a.shape) == 2 and len(a.b.shape) == 2:
        return matmul(transpose(a.b), transpose(a.a))  # (A B)ᵀ = Bᵀ Aᵀ
    if isinstance(a, Outer):
        return outer(a.b, a.a)  # (a bᵀ)ᵀ = b aᵀ
    return Transpose(a.shape[::-1], a)



def _pull(e: Expr) -> tuple[float, Expr]:
    """Split a number off an expression: ``-2·u`` -> ``(-2, u)``."""
    if isinstance(e, Scale):
        return e.c, e.a
    if isinstance(e, Neg):
        return -1.0, e.a
    if isinstance(e, Const) and e.shape and e.c not in (0.0, 1.0):
        return e.c, Const(e.shape, 1.0)  # 0.25·1_4: the number in front, the ones behind
    return 1.0, e


def matmul(a: Expr, b: Expr) -> Expr:
    """The matrix product ``a b`` (numpy's ``@``), numbers pulled in front.

    Parameters
    ----------
    a, b : Expr

    Returns
    -------
    Expr

    Examples
    --------
    >>> from graphstep.formulas.expr import Const, Value
    >>> matmul(scale(2.0, Value((2, 3), 0, "A")), Value((3,), 1, "x")).text()
    '2·(A x)'
    """
    ca, a = _pull(a)
    cb, b = _pull(b)
    shape = tuple(a.shape[:-1]) + tuple(b.shape[1:])  # vectors and matrices, as numpy's @
    return scale(ca * cb, MatMul(shape, a, b))


def outer(a: Expr, b: Expr) -> Expr:
    """The outer product ``a bᵀ`` of two vectors, numbers pulled in front.

    Parameters
    ----------
    a, b : Expr

    Returns
    -------
    Expr

    Examples
    --------
    >>> from graphstep.formulas.expr import Const, Value
    >>> outer(Value((2,), 0, "g"), Value((3,), 1, "x")).text()
    'g xᵀ'
    """
    ca, a = _pull(a)
    cb, b = _pull(b)
    return scale(ca * cb, Outer(a.shape + b.shape, a, b))


def power(a: Expr, e: float) -> Expr:
    """``a^e`` elementwise for a number ``e`` (``a`` itself for 1, ones for 0).

    Parameters
    ----------
    a : Expr
    e : float

    Returns
    -------
    Expr

    Examples
    --------
    >>> from graphstep.formulas.expr import Const, Value
    >>> power(Value((), 0, "u"), 2).text()
    'u²'
    """
    if e == 1:
        return a
    if e == 0:
        return Const(a.shape, 1.0)
    return Pow(a.shape, a, float(e))


def expand(a: Expr, axes: tuple[int, ...], shape: tuple[int, ...]) -> Expr:
    """Undo a reduction: ``a`` copied back along ``axes`` to ``shape``.

    Parameters
    ----------
    a : Expr
    axes : tuple of int
    shape : tuple of int

    Returns
    -------
    Expr

    Examples
    --------
    >>> from graphstep.formulas.expr import Const, Value
    >>> expand(Value((3,), 0, "g"), (0,), (2, 3)).text()
    '1_2 gᵀ'
    """
    if isinstance(a, Const):
        return Const(tuple(shape), a.c)
    if a.shape == tuple(shape):
        return a
    return Expand(tuple(shape), a, tuple(axes))


def sum_to(a: Expr, shape: tuple[int, ...]) -> Expr:
    """Undo a broadcast: ``a`` summed over the axes broadcasting added, down to ``shape``.

    Parameters
    ----------
    a : Expr
    shape : tuple of int

    Returns
    -------
    Expr

    Examples
    --------
    >>> from graphstep.formulas.expr import Const, Value
    >>> sum_to(Value((4, 2), 0, "G"), (2,)).text()
    '1_4ᵀ G'
    """
    if isinstance(a, Const):
        return Const(tuple(shape), a.c * math.prod(a.shape) / max(math.prod(shape), 1))
    return SumTo(tuple(shape), a)
