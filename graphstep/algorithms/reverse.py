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

from graphstep.domain import check_derivatives, check_results
from graphstep.errors import ShapeError
from graphstep.graph import Graph
from graphstep.ops import jacobians as jac
from graphstep.ops.table import CONST, INPUT

__all__ = ["adjoints", "grad"]


def _zeros_like(value: Any) -> Any:
    return 0.0 if np.ndim(value) == 0 else np.zeros(np.shape(value))


def adjoints(g: Graph, seed: Any = 1.0, wrt: Iterable[str] | None = None,
             check: bool = True) -> list[Any]:
    """Every node's adjoint (``d output / d node``, weighted by ``seed``), by node id.

    Parameters
    ----------
    g : Graph
        The graph.
    seed : float or numpy.ndarray, optional
        The output's adjoint, of the output's shape (``1.0`` for a scalar output).
    wrt : iterable of str, optional
        Input names: a tensor graph then skips the edges that cannot lead to those
        inputs (their nodes get ``None``), so a network's data ``X`` costs no gradient.
    check : bool, optional
        Report nan/inf adjoints of the inputs (see :func:`graphstep.domain.check_results`);
        a caller that runs many passes checks once itself.

    Returns
    -------
    list
        The adjoint of each node, by node id; ``None`` for constants (they take no
        gradient) and for skipped nodes.

    Raises
    ------
    ShapeError
        When ``seed`` does not have the output's shape.
    InputError
        When a name in ``wrt`` is not an input.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sin(x) * y", x=0.0, y=2.0)
    >>> [g.label(n) for n in range(len(g))], adjoints(g)
    (['x', 'u1', 'y', 'u2'], [2.0, 2.0, 0.0, 1.0])
    """
    if np.shape(seed) != g.shape_of(g.output):
        raise ShapeError(
            f"the seed for {g.expr(g.output)} has shape {jac.shape_text(np.shape(seed), 'x')}, "
            f"the output has shape {jac.shape_text(g.shape_of(g.output), 'x')}"
        )
    result = _adjoints(g, seed, wrt)
    if check:
        wanted = [g.input_node(name) for name in (g.inputs if wrt is None else wrt)]
        check_results(g, wanted, [result[node] for node in wanted])
    return result


def _adjoints(g: Graph, seed: Any, wrt: Iterable[str] | None = None) -> list[Any]:
    if g.is_scalar and np.ndim(seed) == 0:
        result = _scalar_adjoints(g, float(seed)).tolist()
        for node in g.edge_arrays.groups.get(CONST, np.empty(0, int)).tolist():
            result[node] = None
        return result
    return _tensor_adjoints(g, seed, wrt, release=False)


def _tensor_adjoints(g: Graph, seed: Any, wrt: Iterable[str] | None, release: bool) -> list[Any]:
    """Reverse accumulation node by node, applying each local derivative as a vjp.

    With ``release`` (what :func:`grad` asks for) only the inputs' adjoints are kept:
    every other adjoint is dropped once it has been passed on, and local derivatives are
    not cached on the graph, so large intermediate arrays are freed as early as numpy's
    own hand-written backprop frees them.
    """
    # skip every node no wanted input flows into: constants, and what is computed from
    # constants alone (a scalar constant broadcast to an array takes no gradient either)
    wanted = {g.input_node(name) for name in (g.inputs if wrt is None else wrt)}
    skip = [False] * len(g)
    for node in range(len(g)):
        skip[node] = node not in wanted and all(skip[a] for a in g.args(node))
    result: list[Any] = [None] * len(g)
    result[g.output] = seed if np.ndim(seed) else float(seed)
    with np.errstate(all="ignore"):  # nan/inf are reported once, by check_results
        _tensor_pass(g, result, skip, release)
    return result


def _tensor_pass(g: Graph, result: list[Any], skip: list[bool], release: bool) -> None:
    for head in range(g.output, -1, -1):
        upstream = result[head]
        if upstream is None:
            continue
        for pos, tail in enumerate(g.args(head)):
            if skip[tail]:
                continue
            local = g.local(head, pos, cache=not release)
            contribution = jac.vjp(local, upstream)
            result[tail] = contribution if result[tail] is None else result[tail] + contribution
        if release and g.op(head) != INPUT:
            result[head] = None


def _scalar_adjoints(g: Graph, seed: float) -> np.ndarray:
    """Reverse accumulation on a scalar graph, one depth level at a time (an array by node)."""
    edges = g.edge_arrays
    local = g.scalar_locals()[edges.by_depth]
    tails, heads = edges.tails_by_depth, edges.heads_by_depth
    adjoint = np.zeros(len(g))
    adjoint[g.output] = seed
    with np.errstate(all="ignore"):  # nan/inf are reported once, by check_results
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

    Parameters
    ----------
    g : Graph
        A graph with a scalar output.
    wrt : str or iterable of str, optional
        One input name (the result is then that gradient), or several (a dict over
        those inputs only; the work only the others need is skipped). All inputs by default.

    Returns
    -------
    float, numpy.ndarray or dict
        Each gradient has its input's shape (a float for a scalar input); a dict
        ``{name: gradient}`` unless ``wrt`` is one name.

    Raises
    ------
    ShapeError
        When the output is not a scalar (use :func:`graphstep.jacobian`).
    InputError
        When a name in ``wrt`` is not an input.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("3*x^2*(2*y + 7)", x=1.0, y=2.0)
    >>> grad(g)
    {'x': 66.0, 'y': 6.0}
    >>> grad(g, "y")
    6.0
    """
    if g.shape_of(g.output) != ():
        raise ShapeError(
            f"grad needs a scalar output, but {g.expr(g.output)} has shape "
            f"{jac.shape_text(g.shape_of(g.output), 'x')}; use gs.jacobian(g, name) instead"
        )
    single = isinstance(wrt, str)
    names = [wrt] if single else (list(wrt) if wrt is not None else g.inputs)
    nodes = [g.input_node(name) for name in names]
    if g.is_scalar:
        array = _scalar_adjoints(g, 1.0)
        grads = {name: float(array[node]) for name, node in zip(names, nodes)}
        if g.domain_problems or not all(map(math.isfinite, grads.values())):
            check_derivatives(g, nodes, all(map(math.isfinite, grads.values())))
        return grads[wrt] if single else grads
    result = _tensor_adjoints(g, 1.0, names if wrt is not None else None, release=True)
    check_results(g, nodes, [result[node] for node in nodes])
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
