"""Second derivatives by differentiating the backward pass: :func:`hessian` and :func:`hvp`.

The gradient is the output of :func:`~graphstep.algorithms.backward_graph.backward_graph`,
an ordinary graph of the same inputs, so its Jacobian is the Hessian and its tangent
along ``v`` (forward over reverse) or its adjoint seeded with ``v`` (reverse over
reverse) is the Hessian-vector product. Every second derivative comes from the op
table's local derivatives, applied to the traced adjoint rules.

>>> import graphstep as gs
>>> g = gs.parse("x^2 * y + sin(y)", x=1.0, y=0.5)
>>> hessian(g).round(4).tolist()            # [[2y, 2x], [2x, -sin(y)]]
[[1.0, 2.0], [2.0, -0.4794]]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from graphstep.algorithms.backward_graph import backward_graph
from graphstep.algorithms.forward import tangents
from graphstep.algorithms.jacobian import jacobian
from graphstep.algorithms.reverse import adjoints
from graphstep.errors import InputError, ShapeError, SizeLimitError
from graphstep.graph import Graph
from graphstep.ops import jacobians as jac

__all__ = ["hessian", "hvp", "HVP_METHODS"]

#: The ways :func:`hvp` differentiates the gradient.
HVP_METHODS = ("forward-over-reverse", "reverse-over-reverse")


def _names(g: Graph, wrt: str | Iterable[str] | None) -> list[str]:
    names = [wrt] if isinstance(wrt, str) else list(g.inputs if wrt is None else wrt)
    for name in names:
        g.input_node(name)  # an InputError naming the inputs
    return names


def _scalar_output(g: Graph, what: str) -> None:
    if g.shape_of(g.output) != ():
        raise ShapeError(
            f"{what} needs a scalar output, but {g.expr(g.output)} has shape "
            f"{jac.shape_text(g.shape_of(g.output), 'x')}")


def hessian(g: Graph, wrt: str | Iterable[str] | None = None) -> np.ndarray:
    """The dense Hessian of a scalar output, the Jacobian of its backward graph.

    Parameters
    ----------
    g : Graph
        A graph with a scalar output.
    wrt : str or iterable of str, optional
        One input, or several (all by default): the rows and columns run over their
        entries in that order, each flattened in C order.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, n)`` where ``n`` is the number of entries of the inputs named.

    Raises
    ------
    ShapeError
        When the output is not a scalar.
    SizeLimitError
        When the Hessian would have more than ``jacobians.DENSE_LIMIT`` entries (the
        guard of :func:`graphstep.jacobian`).
    InputError
        When a name is not an input.

    Examples
    --------
    >>> import graphstep as gs
    >>> hessian(gs.parse("x * exp(x^2)", x=0.5), "x").round(4).tolist()   # (6x + 4x³) e^(x²)
    [[4.4941]]
    """
    _scalar_output(g, "hessian")
    names = _names(g, wrt)
    sizes = [int(np.prod(g.shape_of(g.input_node(name)))) for name in names]
    n = sum(sizes)
    if n * n > jac.DENSE_LIMIT:
        raise SizeLimitError(
            f"the Hessian of {g.expr(g.output)} with respect to {', '.join(names)} would be "
            f"{n}x{n}; more than {jac.DENSE_LIMIT:,} entries (use gs.hvp)")
    rows = []
    for name, size in zip(names, sizes):
        b = backward_graph(g, name)
        row = []
        for other, other_size in zip(names, sizes):
            if other in b.inputs:
                row.append(jacobian(b, other).reshape(size, other_size))
            else:  # the gradient does not depend on it
                row.append(np.zeros((size, other_size)))
        rows.append(row)
    return np.block(rows) if rows else np.zeros((0, 0))


def hvp(g: Graph, wrt: str | None, v: Any, method: str = "forward-over-reverse") -> Any:
    """The Hessian-vector product ``H v`` without forming ``H``.

    Parameters
    ----------
    g : Graph
        A graph with a scalar output.
    wrt : str or None
        The input (may be None when there is only one); ``H`` is the Hessian in it.
    v : float or numpy.ndarray
        A direction of the input's shape.
    method : {"forward-over-reverse", "reverse-over-reverse"}
        Forward mode along ``v`` through the backward graph, or its reverse pass seeded
        with ``v`` (``vᵀH = (Hv)ᵀ``: the Hessian is symmetric).

    Returns
    -------
    float or numpy.ndarray
        ``H v``, of the input's shape.

    Raises
    ------
    ShapeError
        When the output is not a scalar or ``v`` does not have the input's shape.
    InputError
        When ``wrt`` is not an input, or ``method`` is unknown.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("sum(x^3)", x=np.array([1.0, 2.0]))
    >>> hvp(g, "x", np.array([1.0, 1.0])).tolist()         # 6x ⊙ v
    [6.0, 12.0]
    """
    if method not in HVP_METHODS:
        raise InputError(f"hvp: unknown method {method!r}; use one of {', '.join(HVP_METHODS)}")
    _scalar_output(g, "hvp")
    if wrt is None:
        if len(g.inputs) != 1:
            raise InputError(f"hvp: name the input (one of {', '.join(g.inputs)})")
        wrt = g.inputs[0]
    shape = g.shape_of(g.input_node(wrt))
    if np.shape(v) != shape:
        raise ShapeError(f"hvp: v has shape {jac.shape_text(np.shape(v), 'x')}, the input {wrt} "
                         f"has shape {jac.shape_text(shape, 'x')}")
    v = float(v) if shape == () else np.asarray(v, dtype=float)
    b = backward_graph(g, wrt)
    if wrt not in b.inputs:
        result = None
    elif method == "forward-over-reverse":
        result = tangents(b, wrt, v)[b.output]
    else:
        result = adjoints(b, v, wrt=[wrt])[b.input_node(wrt)]
    if result is None:
        return 0.0 if shape == () else np.zeros(shape)
    return float(result) if shape == () else np.asarray(result, dtype=float)
