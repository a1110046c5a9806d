"""The op table's adjoint rules applied to traced values: the backward pass as traced ops.

Every op entry states how the adjoint of its output reaches each argument
(``OpSpec.adjoint``), written against a builder ``m`` (``m.had(G, m.fn("cos", x))``).
The formulas pass :mod:`graphstep.formulas.builder`, which writes text; this module is
the same interface on :class:`~graphstep.build.trace.Var`\\ s, so the same rule *computes*
the adjoint as ordinary traced ops (``mul``, ``cos``, ``matmul``, ``sum``, ...) whose
own local derivatives come from the table again. That is what makes the backward pass
a graph that can be differentiated: no second derivative is written anywhere.

Three builder functions have no op of their own: the Iverson bracket ``[x > 0]``
(``relu``, ``max(a, b)``, ``min(a, b)``), ``sign(x)`` (``abs``) and the one-hot mask of an
arg-max (``max(v)``, ``min(v)``). They are piecewise constant, so each is a
:mod:`composite <graphstep.ops.composite>` node that reads its arguments (the edges stay
visible) with local derivative exactly 0.

>>> from graphstep.build.trace import apply, var
>>> x = var("x", 0.5)
>>> out = apply("tanh", x)
>>> edge = TracedEdge(out, (x,), 0)
>>> from graphstep.ops.table import OPS
>>> G = const(1.0)
>>> d = OPS["tanh"].adjoint_rule(0)(BUILDER, G, edge)   # 1 - tanh(x)^2, traced
>>> d.op, round(d.value, 6)
('sub', 0.786448)
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy as np

from graphstep.build.trace import Var, apply
from graphstep.build.trace import const as _const
from graphstep.ops import jacobians as jac
from graphstep.ops.composite import COMPOSITE, composite_params
from graphstep.ops.table import INPUT, OPERATORS

__all__ = ["BUILDER", "TracedEdge", "const", "is_constant", "PIECEWISE"]

#: The ``title`` of the piecewise-constant composite nodes (their derivative is 0).
PIECEWISE = ("indicator", "sign", "mask")

_RELATIONS = {">": np.greater, "≥": np.greater_equal, "<": np.less, "≤": np.less_equal,
              "=": np.equal}


def const(c: float, shape: tuple[int, ...] = ()) -> Var:
    """The number ``c`` as a constant node; an array filled with it for a non-empty ``shape``.

    Parameters
    ----------
    c : float
    shape : tuple of int

    Returns
    -------
    Var

    Examples
    --------
    >>> const(2.0).value, const(0.0, (2,)).value.tolist()
    (2.0, [0.0, 0.0])
    """
    return _const(float(c) if not shape else np.full(tuple(shape), float(c)))


def is_constant(v: Var) -> bool:
    """Whether ``v`` is a constant or computed from constants only (it takes no gradient).

    Parameters
    ----------
    v : Var

    Returns
    -------
    bool

    Examples
    --------
    >>> from graphstep.build.trace import var
    >>> is_constant(const(2.0) * 3.0), is_constant(var("x", 1.0) * 3.0)
    (True, False)
    """
    stack, seen = [v], set()
    while stack:
        u = stack.pop()
        if u.op == INPUT:
            return False
        if u.id not in seen:
            seen.add(u.id)
            stack.extend(u.args)
    return True


def _uniform(v: Var) -> float | None:
    """The one number a constant ``v`` holds everywhere, else None."""
    if not isinstance(v, Var) or not is_constant(v):
        return None
    value = np.asarray(v.value)
    if value.size and np.all(value == value.flat[0]):
        return float(value.flat[0])
    return None


class TracedEdge:
    """Edge ``pos`` of a traced node, as an op's adjoint rule reads it (``OpSpec.adjoint``).

    Parameters
    ----------
    out : Var
        The head (the op's output), traced.
    args : tuple of Var
        Its arguments, traced.
    pos : int
        The argument the edge comes from.
    node : int, optional
        The head's node id in the forward graph.
    labels : tuple of str, optional
        The arguments' labels.

    Examples
    --------
    >>> from graphstep.build.trace import var
    >>> W, x = var("W", np.ones((2, 3))), var("x", np.ones(3))
    >>> e = TracedEdge(W @ x, (W, x), 1)
    >>> e.shapes, e.out_shape, e.transposed(0).shape
    (((2, 3), (3,)), (2,), (3, 2))
    """

    def __init__(self, out: Var, args: tuple, pos: int, node: int = -1,
                 labels: tuple[str, ...] | None = None):
        self.out, self.args, self.pos, self.node = out, tuple(args), pos, node
        self.shapes = tuple(a.shape for a in self.args)
        self.out_shape = out.shape
        self.params = dict(out.params or {})
        self.labels = labels or tuple(a.name or a.text or "" for a in self.args)

    def transposed(self, k: int) -> Var:
        """Argument ``k`` transposed; ``(Wᵀ)ᵀ`` reads through a transpose node to ``W``.

        Parameters
        ----------
        k : int

        Returns
        -------
        Var
        """
        a = self.args[k]
        if a.op == OPERATORS[".T"] and len(a.shape) == 2:
            return a.args[0]
        return transpose(a)


# --- the builder functions, in the order of graphstep.formulas.builder -------------------


def uniform(e: Var) -> float | None:
    """The number a constant stands for, when it is filled with one number (see the builder)."""
    return _uniform(e)


def fit(e: Var, shape: tuple[int, ...]) -> Var:
    """``e`` at ``shape``: itself, or broadcast to it."""
    shape = tuple(shape)
    if e.shape == shape:
        return e
    c = _uniform(e)
    if c is not None:
        return const(c, shape)
    return apply("broadcast", e, shape=shape)


def scale(c: float, e: Var) -> Var:
    """``c·e``: ``1·e = e``, ``-1·e = -e``, ``0·e`` is a zero constant."""
    c = float(c)
    if c == 1:
        return e
    if c == 0:
        return const(0.0, e.shape)
    if c == -1:
        return neg(e)
    d = _uniform(e)
    if d is not None:
        return const(c * d, e.shape)
    return apply("mul", const(c), e)


def neg(e: Var) -> Var:
    """``-e``; ``-(-e) = e``."""
    if e.op == OPERATORS["neg"]:
        return e.args[0]
    d = _uniform(e)
    if d is not None:
        return const(-d, e.shape)
    return apply("neg", e)


def had(a: Var, b: Var) -> Var:
    """The elementwise product; a factor 1 is dropped."""
    if _uniform(a) == 1 and a.shape in ((), b.shape):
        return b
    if _uniform(b) == 1 and b.shape in ((), a.shape):
        return a
    return apply("mul", a, b)


def add(terms) -> Var:
    """The sum of ``terms``, zero constants dropped; ``a + (-b)`` is written ``a - b``."""
    terms = [t for t in terms if _uniform(t) != 0]
    if not terms:
        return const(0.0)
    total = terms[0]
    for term in terms[1:]:
        if term.op == OPERATORS["neg"]:
            total = apply("sub", total, term.args[0])
        else:
            total = apply("add", total, term)
    return total


def div(a: Var, b: Var) -> Var:
    """``a / b``."""
    return apply("div", a, b)


def power(a: Var, e: float) -> Var:
    """``a`` to the number ``e``; ``a¹ = a``."""
    if e == 1:
        return a
    return apply("pow", a, float(e))


def power_rule(a: Var, exponent: Var) -> Var:
    """``e ⊙ a^(e - 1)``: the derivative of ``a^e`` in ``a``."""
    return apply("mul", exponent, apply("pow", a, apply("sub", exponent, 1.0)))


def _piecewise(title: str, text: str, values, args: tuple) -> Var:
    """A piecewise-constant node: ``values(args' values)``, local derivative exactly 0."""

    def jacobian(pos, arg_values, out):
        shape = np.shape(arg_values[pos])
        if shape == () and np.shape(out) == ():
            return 0.0
        if shape == np.shape(out):
            return jac.Scale(0.0, shape, "0")
        return np.zeros((int(np.size(out)), int(np.prod(shape))))

    params = composite_params(lambda a: values(*a), jacobian, title)
    return apply(COMPOSITE, *args, text=text, **params)


def _written(v: Var) -> str:
    return v.name or v.text or "u"


def fn(name: str, x: Var) -> Var:
    """``cos``, ``sin``, ``ln`` as their ops; ``sign`` as a piecewise-constant node."""
    if name == "sign":
        return _piecewise("sign", f"sign({_written(x)})", lambda v: np.sign(v) * 1.0, (x,))
    return apply({"ln": "log"}.get(name, name), x)


def indicator(a: Var, relation: str, b: Var) -> Var:
    """The Iverson bracket ``[a relation b]`` (1 where it holds), piecewise constant."""
    test = _RELATIONS[relation]
    text = f"[{_written(a)} {relation} {_written(b)}]"
    if is_constant(b):
        fixed = b.value
        return _piecewise("indicator", text, lambda v: test(v, fixed) * 1.0, (a,))
    return _piecewise("indicator", text, lambda v, w: test(v, w) * 1.0, (a, b))


def transpose(a: Var) -> Var:
    """``aᵀ`` (a vector or a number is itself)."""
    if len(a.shape) < 2:
        return a
    return apply("transpose", a)


def matmul(a: Var, b: Var) -> Var:
    """``a @ b``."""
    return apply("matmul", a, b)


def outer(a: Var, b: Var) -> Var:
    """``a bᵀ`` of two vectors: a column times a row."""
    column = apply("reshape", a, shape=(a.shape[0], 1))
    row = apply("reshape", b, shape=(1, b.shape[0]))
    return apply("matmul", column, row)


def expand(a: Var, axes: tuple[int, ...], shape: tuple[int, ...]) -> Var:
    """Undo a reduction over ``axes``: ``a`` read with those axes of length 1, broadcast."""
    shape = tuple(shape)
    c = _uniform(a)
    if c is not None:
        return const(c, shape)
    if a.shape == shape:
        return a
    kept = tuple(1 if i in set(axes) else n for i, n in enumerate(shape))
    if a.shape != kept:
        a = apply("reshape", a, shape=kept)
    return apply("broadcast", a, shape=shape)


def sum_to(a: Var, shape: tuple[int, ...]) -> Var:
    """``a`` summed over the axes a broadcast to ``a.shape`` added (autograd's unbroadcast)."""
    shape = tuple(shape)
    if a.shape == shape:
        return a
    lead = len(a.shape) - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and a.shape[lead + i] != 1)
    total = apply("sum", a, axis=axes if len(axes) != len(a.shape) else None)
    if total.shape != shape:
        total = apply("reshape", total, shape=shape)
    return total


def sum_keep(a: Var, axis: int) -> Var:
    """``sum(a, axis)`` keeping the summed axis with length 1."""
    kept = axis % len(a.shape)
    total = apply("sum", a, axis=axis)
    return apply("reshape", total, shape=tuple(1 if i == kept else n for i, n in enumerate(a.shape)))


def reshape(a: Var, shape: tuple[int, ...]) -> Var:
    """``a`` read at ``shape``."""
    shape = tuple(shape)
    if a.shape == shape:
        return a
    c = _uniform(a)
    return const(c, shape) if c is not None else apply("reshape", a, shape=shape)


def index(a: Var, k: int, shape: tuple[int, ...]) -> Var:
    """Entry ``k`` of ``a`` along its first axis: a one-hot row times ``a`` read as a matrix."""
    shape = tuple(shape)
    c = _uniform(a)
    if c is not None:
        return const(c, shape)
    n = a.shape[0]
    pick = _const(np.eye(n)[k])
    rows = a if len(a.shape) == 1 else apply("reshape", a, shape=(n, math.prod(a.shape[1:])))
    return reshape(apply("matmul", pick, rows), shape)


def _mask_values(which: str, axis: Any):
    """The one-hot mask of ``max(v, axis)`` (ties share the entry)."""
    reduce = np.max if which == "max" else np.min

    def values(v):
        v = np.asarray(v, dtype=float)
        hit = (v == reduce(v, axis=axis, keepdims=True)) * 1.0
        return hit / np.sum(hit, axis=axis, keepdims=True)

    return values


#: The builder interface of :mod:`graphstep.formulas.builder`, computing on traced values
#: (``mask`` needs the edge: see :func:`with_mask`).
BUILDER = SimpleNamespace(
    const=const, uniform=uniform, fit=fit, scale=scale, neg=neg, had=had, add=add, div=div,
    power=power, power_rule=power_rule, fn=fn, indicator=indicator, transpose=transpose,
    matmul=matmul, outer=outer, expand=expand, sum_to=sum_to, sum_keep=sum_keep,
    reshape=reshape, index=index,
)


def with_mask(edge: TracedEdge) -> SimpleNamespace:
    """The builder for one edge: ``mask(shape, node, label, which, axis)`` reads its argument.

    Parameters
    ----------
    edge : TracedEdge

    Returns
    -------
    SimpleNamespace
        :data:`BUILDER` plus a ``mask`` that makes the one-hot node of ``edge.args[0]``.

    Examples
    --------
    >>> from graphstep.build.trace import var
    >>> v = var("v", np.array([1.0, 3.0, 2.0]))
    >>> m = with_mask(TracedEdge(apply("amax", v), (v,), 0))
    >>> m.mask((3,), 0, "v", "max", None).value.tolist()
    [0.0, 1.0, 0.0]
    """

    def mask(shape, node, label, which, axis):
        x = edge.args[0]
        return _piecewise("mask", f"onehot(arg{which} {_written(x)})", _mask_values(which, axis), (x,))

    return SimpleNamespace(**vars(BUILDER), mask=mask)


__all__ += ["with_mask", "uniform", "fit", "scale", "neg", "had", "add", "div", "power",
            "power_rule", "fn", "indicator", "transpose", "matmul", "outer", "expand", "sum_to",
            "sum_keep", "reshape", "index"]
