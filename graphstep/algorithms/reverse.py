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

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from graphstep.errors import ShapeError, SizeLimitError
from graphstep.graph import Graph
from graphstep.ops import jacobians as jac
from graphstep.ops.table import OPS

__all__ = ["adjoints", "grad", "jacobian"]


def _zeros_like(value: Any) -> Any:
    return 0.0 if np.ndim(value) == 0 else np.zeros(np.shape(value))


def adjoints(g: Graph, seed: Any = 1.0, wrt: Iterable[str] | None = None) -> list[Any]:
    """Every node's adjoint (``d output / d node``, weighted by ``seed``), by node id.

    Constants get ``None`` (they take no gradient). ``seed`` has
    the output's shape (``1.0`` for a scalar output). With ``wrt`` (input names), a
    tensor graph skips the edges that cannot lead to those inputs (their nodes get
    ``None``): a network's data ``X`` then costs no gradient.

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
    result = _adjoints(g, seed, wrt)
    wanted = [g.node(name) for name in (g.inputs if wrt is None else wrt)]
    _check(g, wanted, [result[node] for node in wanted])
    return result


def _adjoints(g: Graph, seed: Any, wrt: Iterable[str] | None = None) -> list[Any]:
    if g.is_scalar and np.ndim(seed) == 0:
        result = _scalar_adjoints(g, float(seed)).tolist()
        for node in g.edge_arrays.groups.get("const", np.empty(0, int)).tolist():
            result[node] = None
        return result
    return _tensor_adjoints(g, seed, wrt, release=False)


def _finite(value: Any) -> bool:
    """True when ``value`` (None, a float or an array) has no nan/inf: one pass, no temporary."""
    if value is None:
        return True
    with np.errstate(all="ignore"):
        return math.isfinite(np.sum(value)) or bool(np.isfinite(value).all())


def _check(g: Graph, wanted: list[int], results: Iterable[Any]) -> None:
    """Warn (or raise) when a derivative about to be returned is nan/inf or passes a bad value.

    The usual case costs one pass over the results; the search for the cause runs only
    when there is one.
    """
    finite = all(_finite(value) for value in results)
    if not finite or g.domain_problems:
        g.check_derivatives(wanted, finite)


def _tensor_adjoints(g: Graph, seed: Any, wrt: Iterable[str] | None, release: bool) -> list[Any]:
    """Reverse accumulation node by node, applying each local derivative as a vjp.

    With ``release`` (what :func:`grad` asks for) only the inputs' adjoints are kept:
    every other adjoint is dropped once it has been passed on, and local derivatives are
    not cached on the graph, so large intermediate arrays are freed as early as numpy's
    own hand-written backprop frees them.
    """
    ops = g._ops
    skip = [op == "const" for op in ops]
    if wrt is not None:  # skip every node no wanted input flows into
        wanted = {g.node(name) for name in wrt}
        for node in range(len(g)):
            skip[node] = node not in wanted and all(skip[a] for a in g.args(node))
    result: list[Any] = [None] * len(g)
    result[g.output] = seed if np.ndim(seed) else float(seed)
    with np.errstate(all="ignore"):  # nan/inf are reported once, by _check
        _tensor_pass(g, result, skip, release)
    return result


def _tensor_pass(g: Graph, result: list[Any], skip: list[bool], release: bool) -> None:
    ops = g._ops
    cached = g._locals
    for head in range(g.output, -1, -1):
        upstream = result[head]
        if upstream is None:
            continue
        for pos, tail in enumerate(g.args(head)):
            if skip[tail]:
                continue
            if release:
                local = cached.get((head, pos))
                local = g._compute_local(head, pos) if local is None else local
            else:
                local = g.local(head, pos)
            contribution = jac.vjp(local, upstream)
            result[tail] = contribution if result[tail] is None else result[tail] + contribution
        if release and ops[head] != "input":
            result[head] = None


def scalar_locals(g: Graph) -> np.ndarray:
    """The local derivative of every edge of a scalar graph, computed op by op with numpy.

    Indexed like ``g.edge_arrays`` (edge ``offsets[n] + k`` is argument ``k`` of node ``n``).
    """
    edges = g.edge_arrays
    values = g.value_array
    local = np.zeros(len(edges.tails))
    with np.errstate(all="ignore"):
        for op_name, heads in edges.groups.items():
            if op_name in ("input", "const"):
                continue
            op = OPS[op_name]
            first = edges.offsets[heads]
            if not op.elementwise or op.arity == -1:  # structural ops on scalars: edge by edge
                for node in heads.tolist():
                    for pos in range(len(g._args[node])):
                        local[edges.offsets[node] + pos] = g.local(node, pos)
                continue
            arg_values = tuple(values[edges.tails[first + k]] for k in range(op.arity))
            for pos in range(op.arity):
                if op.constant_local:
                    local[first + pos] = op.constant_local[pos]
                else:
                    local[first + pos] = op.local[pos](arg_values, values[heads], {})
    return local


def _scalar_adjoints(g: Graph, seed: float) -> np.ndarray:
    """Reverse accumulation on a scalar graph, one depth level at a time (an array by node)."""
    edges = g.edge_arrays
    local = scalar_locals(g)[edges.by_depth]
    tails, heads = edges.tails_by_depth, edges.heads_by_depth
    adjoint = np.zeros(len(g))
    adjoint[g.output] = seed
    with np.errstate(all="ignore"):  # nan/inf are reported once, by _check
        return _scalar_pass(edges, local, tails, heads, adjoint)


def _scalar_pass(edges, local, tails, heads, adjoint):
    """Pass adjoints down the edges; an exact 0 (the local derivative or the adjoint)
    passes exactly 0, even when the other side is nan or inf (see ``jacobians._times``)."""
    if len(edges.levels) * 32 > len(tails):  # deep and narrow (a chain): a plain loop is faster
        result = adjoint.tolist()
        for tail, head, factor in zip(tails.tolist(), heads.tolist(), local.tolist()):
            upstream = result[head]
            if factor != 0.0 and upstream != 0.0:
                result[tail] += upstream * factor
        return np.array(result)
    passes = local != 0.0
    for start, stop in edges.levels:
        upstream = adjoint[heads[start:stop]]
        part = np.zeros(stop - start)
        np.multiply(upstream, local[start:stop], out=part, where=passes[start:stop] & (upstream != 0.0))
        np.add.at(adjoint, tails[start:stop], part)
    return adjoint


def grad(g: Graph, wrt: str | Iterable[str] | None = None) -> Any:
    """Gradient of a scalar output by reverse accumulation.

    ``grad(g)`` is ``{name: gradient}`` over ``g.inputs``; ``grad(g, "x")`` is one
    gradient; ``grad(g, ["W", "b"])`` is a dict over those inputs only (and skips the
    work only the others need). Each gradient has its input's shape (a float for a
    scalar input).

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
    single = isinstance(wrt, str)
    names = [wrt] if single else (list(wrt) if wrt is not None else g.inputs)
    nodes = [g.node(name) for name in names]
    if g.is_scalar:
        array = _scalar_adjoints(g, 1.0)
        grads = {name: float(array[node]) for name, node in zip(names, nodes)}
        if g.domain_problems or not all(map(math.isfinite, grads.values())):
            g.check_derivatives(nodes, all(map(math.isfinite, grads.values())))
        return grads[wrt] if single else grads
    result = _tensor_adjoints(g, 1.0, names if wrt is not None else None, release=True)
    _check(g, nodes, [result[node] for node in nodes])
    grads = {}
    handed_out: set[int] = set()
    for name, node in zip(names, nodes):
        value = result[node]
        if value is None:
            value = _zeros_like(g.value_of(node))
        if np.ndim(value) == 0:
            grads[name] = float(value)
            continue
        # an array of its own for the caller: copied only if it is a view, read-only or shared
        if id(value) in handed_out:
            value = np.array(value, dtype=float)
        grads[name] = np.require(value, dtype=float, requirements=["O", "W"])
        handed_out.add(id(grads[name]))
    return grads[wrt] if single else grads


def jacobian(g: Graph, wrt: str | None = None, layout: str = "numerator") -> Any:
    """The Jacobian of the output with respect to an input, in numerator layout.

    Shape ``(output.size, input.size)``, elements flattened in C order. Without
    ``wrt``, a dict over all inputs (``np.hstack`` of its values, in ``g.inputs``
    order, is the full Jacobian). ``layout="denominator"`` gives the transpose,
    ``(input.size, output.size)``, the convention in which a gradient has its
    input's shape (seed 003 discusses both).

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
            adjoint = _adjoints(g, seed.reshape(out_shape) if out_shape else 1.0)[node]
            if adjoint is not None:
                matrix[i] = np.ravel(adjoint)
        _check(g, [node], [matrix])
        return matrix
    from graphstep.algorithms.forward import _tangents

    matrix = np.zeros((rows, cols))
    in_shape = g.shape_of(node)
    for j in range(cols):
        direction = np.zeros(cols)
        direction[j] = 1.0
        tangent = _tangents(g, wrt, direction.reshape(in_shape) if in_shape else 1.0)[g.output]
        matrix[:, j] = np.ravel(tangent)
    _check(g, [node], [matrix])
    return matrix

