"""The Jacobian of a tensor output: one reverse pass per output element, or one forward
pass per input element, whichever is fewer.

>>> import graphstep as gs
>>> g = gs.parse("[ln(x^2), sin(3*x)]", x=1.0)
>>> jacobian(g, "x").round(4).tolist()
[[2.0], [-2.97]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphstep.algorithms.forward import tangents
from graphstep.algorithms.reverse import adjoints
from graphstep.domain import check_results
from graphstep.errors import SizeLimitError
from graphstep.graph import Graph
from graphstep.ops import jacobians as jac

__all__ = ["jacobian"]


def jacobian(g: Graph, wrt: str | None = None, layout: str = "numerator") -> Any:
    """The Jacobian of the output with respect to an input, in numerator layout.

    Parameters
    ----------
    g : Graph
        The graph; its output may have any shape.
    wrt : str, optional
        An input name. Without it, a dict over all inputs (``np.hstack`` of its values,
        in ``g.inputs`` order, is the full Jacobian).
    layout : {"numerator", "denominator"}, optional
        ``"numerator"``: shape ``(output.size, input.size)``, elements flattened in C
        order. ``"denominator"``: the transpose, ``(input.size, output.size)``, the
        convention in which a gradient has its input's shape (seed 003 discusses both).

    Returns
    -------
    numpy.ndarray or dict
        The dense Jacobian, or ``{name: Jacobian}`` without ``wrt``.

    Raises
    ------
    SizeLimitError
        When the Jacobian would have more than ``jacobians.DENSE_LIMIT`` entries.
    InputError
        When ``wrt`` is not an input.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("[ln(x^2), sin(3*x)]", x=1.0)
    >>> jacobian(g, "x").round(4).tolist()
    [[2.0], [-2.97]]
    >>> jacobian(g, "x", layout="denominator").round(4).tolist()
    [[2.0, -2.97]]
    """
    if jac.check_layout(layout) == "denominator":
        result = jacobian(g, wrt)
        return {k: v.T for k, v in result.items()} if wrt is None else result.T
    if wrt is None:
        return {name: jacobian(g, name) for name in g.inputs}
    node = g.input_node(wrt)
    rows = int(np.prod(g.shape_of(g.output)))
    cols = int(np.prod(g.shape_of(node)))
    if rows * cols > jac.DENSE_LIMIT:
        raise SizeLimitError(
            f"the Jacobian of {g.expr(g.output)} with respect to {wrt} would be "
            f"{rows}x{cols}; more than {jac.DENSE_LIMIT:,} entries"
        )
    matrix = np.zeros((rows, cols))
    if rows <= cols:  # one reverse pass per row
        out_shape = g.shape_of(g.output)
        for i in range(rows):
            seed = np.zeros(rows)
            seed[i] = 1.0
            adjoint = adjoints(g, seed.reshape(out_shape) if out_shape else 1.0, check=False)[node]
            if adjoint is not None:
                matrix[i] = np.ravel(adjoint)
    else:  # one forward pass per column
        in_shape = g.shape_of(node)
        for j in range(cols):
            direction = np.zeros(cols)
            direction[j] = 1.0
            tangent = tangents(g, wrt, direction.reshape(in_shape) if in_shape else 1.0,
                               check=False)[g.output]
            matrix[:, j] = np.ravel(tangent)
    check_results(g, [node], [matrix])
    return matrix
