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

from graphstep.domain import check_results
from graphstep.errors import ShapeError
from graphstep.graph import Graph
from graphstep.ops import jacobians as jac

__all__ = ["tangents", "forward_derivative", "forward_grad"]


def tangents(g: Graph, wrt: str, direction: Any = None, check: bool = True) -> list[Any]:
    """Every node's tangent along ``direction`` in input ``wrt`` (forward mode).

    Parameters
    ----------
    g : Graph
        The graph.
    wrt : str
        The input the tangents are taken with respect to.
    direction : float or numpy.ndarray, optional
        The input's tangent, of the input's shape; ``1.0`` for a scalar input.
    check : bool, optional
        Report a nan/inf tangent of the output (see
        :func:`graphstep.domain.check_results`); a caller that runs many passes checks
        once itself.

    Returns
    -------
    list
        The tangent ``d node / d wrt`` (along ``direction``) of each node, by node id;
        ``None`` where it is zero because no path leads from ``wrt`` to the node.

    Raises
    ------
    ShapeError
        When ``direction`` is missing for a tensor input or has the wrong shape.
    InputError
        When ``wrt`` is not an input.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sin(x) * y", x=0.0, y=2.0)
    >>> tangents(g, "x")
    [1.0, 1.0, None, 2.0]
    """
    result = _tangents(g, wrt, direction)
    if check:
        check_results(g, [g.input_node(wrt)], [result[g.output]])
    return result


def _tangents(g: Graph, wrt: str, direction: Any = None) -> list[Any]:
    source = g.input_node(wrt)
    shape = g.shape_of(source)
    if direction is None:
        if shape != ():
            raise ShapeError(
                f"input {wrt} has shape {jac.shape_text(shape, 'x')}: give a direction of that shape"
            )
        direction = 1.0
    if np.shape(direction) != shape:
        raise ShapeError(
            f"the direction for {wrt} has shape {jac.shape_text(np.shape(direction), 'x')}, "
            f"the input has shape {jac.shape_text(shape, 'x')}"
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
    local = g.scalar_locals().tolist()
    offsets = g.edge_arrays.offsets.tolist()
    for head in range(source + 1, len(g)):
        total = None
        offset = offsets[head]
        for pos, tail in enumerate(g.args(head)):
            tangent = result[tail]
            if tangent is not None:
                factor = local[offset + pos]
                part = factor * tangent if factor != 0.0 and tangent != 0.0 else 0.0  # never 0 * nan
                total = part if total is None else total + part
        result[head] = total
    return result


def forward_derivative(g: Graph, wrt: str, direction: Any = None) -> Any:
    """The output's directional derivative along ``direction`` in ``wrt`` (forward mode).

    Parameters
    ----------
    g : Graph
        The graph.
    wrt : str
        An input name.
    direction : float or numpy.ndarray, optional
        The input's tangent, of its shape; ``1.0`` for a scalar input.

    Returns
    -------
    float or numpy.ndarray
        The output's tangent, of the output's shape (zero when the output does not
        depend on ``wrt``).

    Raises
    ------
    ShapeError
        When ``direction`` is missing for a tensor input or has the wrong shape.

    Examples
    --------
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

    Parameters
    ----------
    g : Graph
        A graph with a scalar output.
    wrt : str
        An input name.

    Returns
    -------
    float or numpy.ndarray
        The gradient, of the input's shape.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sum(v**2)", v=[1.0, 2.0])
    >>> forward_grad(g, "v")
    array([2., 4.])
    """
    shape = g.shape_of(g.input_node(wrt))
    if shape == ():
        return forward_derivative(g, wrt)
    result = np.zeros(int(np.prod(shape)))
    for j in range(result.size):
        direction = np.zeros(result.size)
        direction[j] = 1.0
        result[j] = forward_derivative(g, wrt, direction.reshape(shape))
    return result.reshape(shape)
