"""Reverse accumulation (backprop): the sum over paths, factored at shared suffixes.

Each node's adjoint ``dL/du`` is the sum, over the edges leaving it, of the head's
adjoint times the edge's local derivative. Visiting nodes from the output back to
the inputs makes every adjoint complete before it is used.

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x**2)", x=1.5)
>>> round(gs.grad(g, "x"), 4)
52.1825
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import jacobian as jac
from .errors import ShapeError, SizeLimitError
from .graph import Graph
from .ops import OPS

__all__ = ["adjoints", "grad", "jacobian"]


def _zeros_like(value: Any) -> Any:
    return 0.0 if np.ndim(value) == 0 else np.zeros(np.shape(value))


def adjoints(g: Graph, seed: Any = 1.0) -> list[Any]:
    """Every node's adjoint (``d output / d node``, weighted by ``seed``), by node id.

    Nodes the output does not depend on, and constants, get ``None``. ``seed`` has
    the output's shape (``1.0`` for a scalar output).

    >>> import graphstep as gs
    >>> g = gs.parse("sin(x) * y", x=0.0, y=2.0)
    >>> [g.label(n) for n in range(len(g))], adjoints(g)
    (['x', 'u1', 'y', 'u2'], [2.0, 2.0, 0.0, 1.0])
    """
    if np.shape(seed) != g.shape_of(g.output):
        raise ShapeError(
            f"the seed for {g.expr(g.output)} has shape {jac.shape_text(np.shape(seed))}, "
            f"the output has shape {jac.shape_text(g.shape_of(g.output))}"
        )
    if g.is_scalar and np.ndim(seed) == 0:
        return _scalar_adjoints(g, float(seed))
    active = g.active
    result: list[Any] = [None] * len(g)
    result[g.output] = seed if np.ndim(seed) else float(seed)
    for head in range(g.output, -1, -1):
        upstream = result[head]
        if upstream is None:
            continue
        for pos, tail in enumerate(g.args(head)):
            if not active[tail]:
                continue
            contribution = jac.vjp(g.local(head, pos), upstream)
            result[tail] = contribution if result[tail] is None else result[tail] + contribution
    return result


def _edge_arrays(g: Graph) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """All edges of a scalar graph as arrays, local derivatives computed op by op.

    Edges are sorted by the depth of their head, deepest first, so that reverse
    accumulation can process one depth level at a time with numpy.
    """
    if g._edge_cache is not None:
        return g._edge_cache
    values = np.fromiter(g._values, dtype=float, count=len(g))
    by_op: dict[str, list[int]] = {}
    for node, op in enumerate(g._ops):
        if op not in ("input", "const"):
            by_op.setdefault(op, []).append(node)
    tails, heads, locals_ = [], [], []
    with np.errstate(all="ignore"):
        for op_name, nodes in by_op.items():
            op = OPS[op_name]
            head = np.array(nodes)
            arg_matrix = np.array([g._args[n] for n in nodes]).reshape(len(nodes), -1)
            arg_values = tuple(values[arg_matrix[:, k]] for k in range(arg_matrix.shape[1]))
            for pos in range(arg_matrix.shape[1]):
                if op.elementwise and op.constant_local:
                    local = np.full(len(nodes), op.constant_local[pos])
                elif op.elementwise:
                    local = np.broadcast_to(
                        np.asarray(op.local[pos](arg_values, values[head], {}), dtype=float),
                        (len(nodes),))
                else:  # a structural op between scalars: ask the graph, edge by edge
                    local = np.array([g.local(n, pos) for n in nodes], dtype=float)
                tails.append(arg_matrix[:, pos])
                heads.append(head)
                locals_.append(local)
    if not tails:
        result = (np.empty(0, int), np.empty(0, int), np.empty(0), [])
        g._edge_cache = result
        return result
    tail = np.concatenate(tails)
    head = np.concatenate(heads)
    local = np.concatenate(locals_)
    depth = np.asarray(g._depths)[head]
    order = np.argsort(-depth, kind="stable")
    tail, head, local, depth = tail[order], head[order], local[order], depth[order]
    cuts = np.flatnonzero(np.diff(depth)) + 1
    bounds = list(zip(np.concatenate(([0], cuts)).tolist(), np.concatenate((cuts, [len(depth)])).tolist()))
    g._edge_cache = (tail, head, local, bounds)
    return g._edge_cache


def _scalar_adjoints(g: Graph, seed: float) -> list[Any]:
    tail, head, local, bounds = _edge_arrays(g)
    adjoint = np.zeros(len(g))
    adjoint[g.output] = seed
    for start, stop in bounds:
        contribution = adjoint[head[start:stop]] * local[start:stop]
        np.add.at(adjoint, tail[start:stop], contribution)
    active = g.active
    return [float(a) if active[i] and g._ops[i] != "const" else None
            for i, a in enumerate(adjoint.tolist())]


def grad(g: Graph, wrt: str | None = None) -> Any:
    """Gradient of a scalar output by reverse accumulation.

    ``grad(g)`` is ``{name: gradient}`` over ``g.inputs``; ``grad(g, "x")`` is one
    gradient. Each gradient has its input's shape (a float for a scalar input).

    >>> import graphstep as gs
    >>> g = gs.parse("3*x^2*(2*y + 7)", x=1.0, y=2.0)
    >>> grad(g)
    {'x': 66.0, 'y': 6.0}
    """
    if g.shape_of(g.output) != ():
        raise ShapeError(
            f"grad needs a scalar output, but {g.expr(g.output)} has shape "
            f"{jac.shape_text(g.shape_of(g.output))}; use gs.jacobian(g, name) instead"
        )
    names = [wrt] if wrt is not None else g.inputs
    nodes = [g.node(name) for name in names]
    result = adjoints(g)
    grads = {}
    for name, node in zip(names, nodes):
        value = result[node]
        if value is None:
            value = _zeros_like(g.value_of(node))
        grads[name] = float(value) if np.ndim(value) == 0 else np.array(value, dtype=float)
    return grads[wrt] if wrt is not None else grads


def jacobian(g: Graph, wrt: str | None = None) -> Any:
    """The Jacobian of the output with respect to an input, in numerator layout.

    Shape ``(output.size, input.size)``, elements flattened in C order. Without
    ``wrt``, a dict over all inputs (``np.hstack`` of its values, in ``g.inputs``
    order, is the full Jacobian).

    >>> import graphstep as gs
    >>> g = gs.parse("[ln(x^2), sin(3*x)]", x=1.0)
    >>> jacobian(g, "x").round(4).tolist()
    [[2.0], [-2.97]]
    """
    if wrt is None:
        return {name: jacobian(g, name) for name in g.inputs}
    node = g.node(wrt)
    rows = int(np.prod(g.shape_of(g.output)))
    cols = int(np.prod(g.shape_of(node)))
    if rows * cols > jac.DENSE_LIMIT:
        raise SizeLimitError(
            f"the Jacobian of {g.expr(g.output)} with respect to {wrt} would be "
            f"{rows}x{cols}; more than {jac.DENSE_LIMIT:,} entries"
        )
    out_shape = g.shape_of(g.output)
    if rows <= cols:
        matrix = np.zeros((rows, cols))
        for i in range(rows):
            seed = np.zeros(rows)
            seed[i] = 1.0
            adjoint = adjoints(g, seed.reshape(out_shape) if out_shape else 1.0)[node]
            if adjoint is not None:
                matrix[i] = np.ravel(adjoint)
        return matrix
    from .forward import tangents

    matrix = np.zeros((rows, cols))
    in_shape = g.shape_of(node)
    for j in range(cols):
        direction = np.zeros(cols)
        direction[j] = 1.0
        tangent = tangents(g, wrt, direction.reshape(in_shape) if in_shape else 1.0)[g.output]
        matrix[:, j] = np.ravel(tangent)
    return matrix

