r"""The public builder of matrix-calculus expressions: the functions the op table's rules call.

An op's matrix-form adjoint rule (``OpSpec.adjoint`` in :mod:`graphstep.ops.table`) is
written with this module, passed in as ``m``: ``m.had(G, m.fn("cos", x))``. The functions
fold numbers and like terms as they build (:func:`scale`, :func:`neg`, :func:`had`,
:func:`add`), so ``2·(0.5·u5)`` is written ``u5``, and keep every shape right.

>>> x = value((3,), 0, "x")
>>> e = had(add([const(1.0), neg(x)]), scale(2.0, x))
>>> print(e.text())
2·((1 - x) ⊙ x)
>>> print(e.latex())
2\,\left(\left(1 - x\right) \odot x\right)
"""

from __future__ import annotations

from typing import Any

from graphstep.formulas.expr import (
    Adjoint,
    Const,
    Expr,
    Fn,
    Index,
    Indicator,
    Mask,
    PowerRule,
    Reshape,
    SumKeep,
    Value,
)
from graphstep.formulas.fold import (
    add,
    div,
    expand,
    fit,
    had,
    matmul,
    neg,
    outer,
    power,
    scale,
    sum_to,
    transpose,
)

__all__ = [
    "value", "const", "adjoint", "uniform", "fit", "scale", "neg", "had", "add", "div", "power",
    "power_rule", "fn", "indicator", "transpose", "matmul", "outer", "expand",
    "sum_to", "sum_keep", "reshape", "index", "mask",
]


def value(shape: tuple[int, ...], node: int, label: str) -> Expr:
    """The forward value of graph node ``node``, written ``label``.

    Parameters
    ----------
    shape : tuple of int
    node : int
    label : str

    Returns
    -------
    Expr

    Examples
    --------
    >>> value((3,), 0, "x").text()
    'x'
    """
    return Value(tuple(shape), node, label)


def const(c: float, shape: tuple[int, ...] = ()) -> Expr:
    """The number ``c``; a tensor filled with it for a non-empty ``shape``.

    Parameters
    ----------
    c : float
    shape : tuple of int

    Returns
    -------
    Expr

    Examples
    --------
    >>> const(2.0).text(), const(1.0, (4, 2)).text()
    ('2', '1_4x2')
    """
    return Const(tuple(shape), float(c))


def adjoint(shape: tuple[int, ...], node: int, label: str) -> Expr:
    """``G_label``: the adjoint of graph node ``node``.

    Parameters
    ----------
    shape : tuple of int
    node : int
    label : str

    Returns
    -------
    Expr

    Examples
    --------
    >>> adjoint((), 3, "u2").text(), adjoint((), 3, "u2").text("bar")
    ('G_u2', 'ū2')
    """
    return Adjoint(tuple(shape), node, label)


def uniform(e: Expr) -> float | None:
    """The number ``e`` stands for when it is a constant filled with one number, else None.

    Parameters
    ----------
    e : Expr

    Returns
    -------
    float or None

    Examples
    --------
    >>> uniform(const(3.0)), uniform(value((), 0, "x"))
    (3.0, None)
    """
    return e.c if isinstance(e, Const) else None


def fn(name: str, x: Expr) -> Expr:
    """An elementwise function ``name(x)``: ``cos``, ``sin``, ``ln`` or ``sign``.

    Parameters
    ----------
    name : str
    x : Expr

    Returns
    -------
    Expr

    Examples
    --------
    >>> fn("cos", value((), 0, "u1")).text()
    'cos(u1)'
    """
    return Fn(x.shape, name, x)


def indicator(a: Expr, relation: str, b: Expr) -> Expr:
    """The Iverson bracket ``[a relation b]``: 1 where it holds, 0 elsewhere.

    Parameters
    ----------
    a, b : Expr
    relation : {">", "≥", "<", "≤", "="}

    Returns
    -------
    Expr

    Examples
    --------
    >>> indicator(value((), 0, "x"), ">", const(0.0)).text()
    '[x > 0]'
    """
    return Indicator(a.shape, a, relation, b)


def power_rule(a: Expr, exponent: Expr) -> Expr:
    """``e ⊙ a^(e - 1)``, exactly 0 where ``e = 0``: the derivative of ``a^e`` in ``a``.

    Parameters
    ----------
    a, exponent : Expr

    Returns
    -------
    Expr

    Examples
    --------
    >>> power_rule(value((2,), 0, "P"), value((2,), 1, "A")).text()
    'A ⊙ P^(A - 1)'
    """
    return PowerRule(a.shape, a, exponent)


def sum_keep(a: Expr, axis: int) -> Expr:
    """``sum(a, axis)`` keeping the summed axis (length 1), so it broadcasts back against ``a``.

    Parameters
    ----------
    a : Expr
    axis : int

    Returns
    -------
    Expr

    Examples
    --------
    >>> e = sum_keep(value((2, 3), 0, "S"), -1)
    >>> e.text(), e.shape
    ('sum(S, axis=-1)', (2, 1))
    """
    kept = axis % len(a.shape)
    return SumKeep(tuple(1 if i == kept else n for i, n in enumerate(a.shape)), a, axis)


def reshape(a: Expr, shape: tuple[int, ...]) -> Expr:
    """``a`` read at ``shape`` (``a`` itself when it has that shape already).

    Parameters
    ----------
    a : Expr
    shape : tuple of int

    Returns
    -------
    Expr

    Examples
    --------
    >>> reshape(value((2, 3), 0, "A"), (6,)).text()
    'reshape(A, (6,))'
    """
    shape = tuple(shape)
    if a.shape == shape:
        return a
    return Const(shape, a.c) if isinstance(a, Const) else Reshape(shape, a)


def index(a: Expr, k: int, shape: tuple[int, ...]) -> Expr:
    """Entry ``k`` of ``a`` along its first axis, of shape ``shape``.

    Parameters
    ----------
    a : Expr
    k : int
    shape : tuple of int

    Returns
    -------
    Expr

    Examples
    --------
    >>> index(value((2, 3), 0, "G"), 1, (3,)).text()
    'G[1]'
    """
    return Const(tuple(shape), a.c) if isinstance(a, Const) else Index(tuple(shape), a, k)


def mask(shape: tuple[int, ...], node: int, label: str, which: str, axis: Any) -> Expr:
    """Where ``max``/``min`` (graph node ``node``, of ``label``) took its value, one-hot.

    Parameters
    ----------
    shape : tuple of int
    node : int
    label : str
    which : {"max", "min"}
    axis : int or tuple of int or None

    Returns
    -------
    Expr

    Examples
    --------
    >>> mask((3,), 1, "v", "max", None).text()
    'onehot(argmax v)'
    """
    return Mask(tuple(shape), node, label, which, axis)
