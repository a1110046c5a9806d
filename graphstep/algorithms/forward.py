"""Forward mode: tangents pushed from one input to the output.

A node's tangent ``d node / d x`` is the sum, over its arguments, of the local
derivative times the argument's tangent: the sum over paths, factored at shared
prefixes instead of shared suffixes.

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x**2)", x=1.5)
>>> round(forward_derivative(g, "x"), 4)
52.1825
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphstep.algorithms.reverse import _check, scalar_locals
from graphstep.errors import ShapeError
from graphstep.graph import Graph
from graphstep.ops import jacobians as jac

__all__ = ["tangents", "forward_derivative", "forward_grad"]


def tangents(g: Graph, wrt: str, direction: Any = None) -> list[Any]:
    """Every node's tangent along ``direction`` in input ``wrt`` (``None`` where zero).

    ``direction`` has the input's shape; it defaults to ``1.0`` for a scalar input.

    >>> import graphstep as gs
    >>> g = gs.parse("sin(x) * y", x=0.0, y=2.0)
    >>> tangents(g, "x")
    [1.0, 1.0, None, 2.0]
    """
    result = _tangents(g, wrt, direction)
    _check(g, [g.node(wrt)], [result[g.output]])
    return result


def _tangents(g: Graph, wrt: str, direction: Any = None) -> list[Any]:
    source = g.node(wrt)
    shape = g.shape_of(source)
    if direction is None:
        if shape != ():
            raise ShapeError(
                f"input {wrt} has shape {jac.shape_text(shape)}: give a direction of that shape"
            )
        direction = 1.0
    if np.shape(direction) != shape:
        raise ShapeError(
            f"the direction for {wrt} has shape {jac.shape_text(np.shape(direction))}, "
            f"the input has shape {jac.shape_text(shape)}"
        )
    result: list[Any] = [None] * len(g)
    result[source] = float(direction) if shape == () else np.asarray(direction, dtype=float)
    with np.errstate(all="ignore"):  # nan/inf are reported once, by the caller's check
        if g.is_scalar:
            return _scalar_tangents(g, result, source)
        for head in range(source + 1, len(g)):
            total = None
            for pos, tail in enumerate(g.args(head)):
                if result[tail] is None:
                    continue
                part = jac.jvp(g.local(head, pos), result[tail])
                total = part if total is None else total + part
            result[head] = total
    return result


def _scalar_tangents(g: Graph, result: list[Any], source: int) -> list[Any]:
    local = scalar_locals(g).tolist()
    offsets = g.edge_arrays.offsets.tolist()
    args = g._args
    for head in range(source + 1, len(g)):
        total = None
        offset = offsets[head]
        for pos, tail in enumerate(args[head]):
            tangent = result[tail]
            if tangent is not None:
                factor = local[offset + pos]
                part = factor * tangent if factor != 0.0 and tangent != 0.0 else 0.0  # never 0 * nan
                total = part if total is None else total + part
        result[head] = total
    return result


def forward_derivative(g: Graph, wrt: str, direction: Any = None) -> Any:
    """The output's directional derivative along ``direction`` in ``wrt`` (forward mode).

    >>> import graphstep as gs
    >>> forward_derivative(gs.parse("[ln(x^2), sin(3*x)]", x=1.0), "x").round(4).tolist()
    [2.0, -2.97]
    """
    tangent = tangents(g, wrt, direction)[g.output]
    if tangent is None:
        shape = g.shape_of(g.output)
        return 0.0 if shape == () else np.zeros(shape)
    return float(tangent) if np.ndim(tangent) == 0 else np.asarray(tangent)


def forward_grad(g: Graph, wrt: str) -> Any:
    """The gradient of a scalar output by forward mode: one pass per input element.

    It agrees with :func:`graphstep.grad`; it is here to show that it does.

    >>> import graphstep as gs
    >>> g = gs.parse("sum(v**2)", v=[1.0, 2.0])
    >>> forward_grad(g, "v")
    array([2., 4.])
    """
    shape = g.shape_of(g.node(wrt))
    if shape == ():
        return forward_derivative(g, wrt)
    result = np.zeros(int(np.prod(shape)))
    for j in range(result.size):
        direction = np.zeros(result.size)
        direction[j] = 1.0
        result[j] = forward_derivative(g, wrt, direction.reshape(shape))
    return result.reshape(shape)
