"""The backward pass as a graph: :func:`backward_graph` traces reverse accumulation.

Reverse accumulation visits the nodes from the output back to the inputs and passes
each node's adjoint down its edges through the op's adjoint rule. Here every rule is
applied to *traced* values (:mod:`graphstep.algorithms.traced_rules`), so the adjoints
come out as ordinary graph nodes: ``mul``, ``cos``, ``matmul``, ``sum`` ... with edges
from the forward values they read. The result is a :class:`~graphstep.graph.Graph`
whose inputs are the forward graph's inputs and whose output is the gradient, so
every tool works on it, and differentiating it again gives second derivatives.

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x^2)", x=1.5)
>>> b = backward_graph(g, "x")
>>> round(b.value, 4) == round(gs.grad(g, "x"), 4), b.label(b.output)
(True, 'x̄')
>>> round(gs.grad(b, "x"), 4)                       # d²/dx² x·exp(x²) = (6x + 4x³)·exp(x²)
213.4741
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from graphstep.algorithms import traced_rules as tr
from graphstep.build.trace import Var, const
from graphstep.errors import InputError, ShapeError
from graphstep.graph import Graph
from graphstep.ops import jacobians as jac
from graphstep.ops.composite import COMPOSITE
from graphstep.ops.table import CONST, INPUT, OPS
from graphstep.text import overline

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["BackwardGraph", "BackwardTrace", "backward_graph", "trace_backward", "ROLE",
           "FORWARD", "ADJOINT"]

#: Node attribute of a backward graph's networkx view: :data:`FORWARD` or :data:`ADJOINT`.
ROLE = "role"
#: The role of a re-traced forward value.
FORWARD = "forward"
#: The role of a node of the backward pass (an adjoint, a part of one, or its constants).
ADJOINT = "adjoint"


@dataclass
class BackwardTrace:
    """Reverse accumulation traced on a graph: what each step built and read.

    Attributes
    ----------
    graph : Graph
        The forward graph.
    values : list of Var
        The forward values re-traced, by forward node id.
    adjoints : dict
        ``{forward node: Var}``: each node's adjoint (the sum of its contributions).
    contributions : dict
        ``{(head, pos): Var}``: what edge ``(head, pos)`` passes to its tail.
    reads : dict
        ``{(head, pos): tuple of forward nodes}``: the forward values that edge's rule reads
        (the values the backward pass must keep, or recompute).
    order : list of int
        The heads in the order the backward pass visited them.
    """

    graph: Graph
    values: list[Var]
    adjoints: dict[int, Var] = field(default_factory=dict)
    contributions: dict[tuple[int, int], Var] = field(default_factory=dict)
    reads: dict[tuple[int, int], tuple[int, ...]] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)


def _retrace(g: Graph) -> list[Var]:
    """Every node of ``g`` as a new traced value (same ops, parameters and values)."""
    values: list[Var] = []
    for node in range(len(g)):
        op, value = g.op(node), g.value_of(node)
        if op == INPUT:
            values.append(Var(INPUT, (), value, name=g.label(node), text=g.label(node)))
        elif op == CONST:
            values.append(Var(CONST, (), value, text=g.label(node)))
        else:
            params = dict(g.params(node)) or None
            values.append(Var(op, tuple(values[a] for a in g.args(node)), value, params))
    return values


def _seed(g: Graph, seed: Any) -> Var:
    out_shape = g.shape_of(g.output)
    if seed is None:
        if out_shape != ():
            raise ShapeError(
                f"backward_graph needs a scalar output, but {g.expr(g.output)} has shape "
                f"{jac.shape_text(out_shape, 'x')}; pass seed= (the output's adjoint)")
        return tr.const(1.0)
    if np.shape(seed) != out_shape:
        raise ShapeError(
            f"the seed for {g.expr(g.output)} has shape {jac.shape_text(np.shape(seed), 'x')}, "
            f"the output has shape {jac.shape_text(out_shape, 'x')}")
    return tr.const(float(seed)) if out_shape == () else const(seed)


def _reads(contribution: Var, upstream: Var, forward: dict[int, int],
           stop: set[int]) -> tuple[int, ...]:
    """The forward nodes ``contribution`` was computed from, besides the ``upstream`` adjoint.

    The walk stops at ``upstream`` and at the parts of the backward pass built before
    (``stop``): what they read was read by earlier steps.
    """
    found, seen, stack = set(), {upstream.id}, [contribution]
    while stack:
        v = stack.pop()
        if v.id in seen:
            continue
        seen.add(v.id)
        if v.id in forward:
            if v.op != CONST:
                found.add(forward[v.id])
        elif v.id not in stop:
            stack.extend(v.args)
    return tuple(sorted(found))


def trace_backward(g: Graph, wrt: list[str] | None = None, seed: Any = None) -> BackwardTrace:
    """Trace reverse accumulation on ``g`` towards the inputs ``wrt`` (all by default).

    Parameters
    ----------
    g : Graph
    wrt : list of str, optional
        The inputs whose gradients are wanted: edges into nodes no such input flows into
        are skipped (as :func:`graphstep.grad` skips them).
    seed : float or numpy.ndarray, optional
        The output's adjoint; 1 for a scalar output (required for a tensor output).

    Returns
    -------
    BackwardTrace

    Raises
    ------
    ShapeError
        For a tensor output without a seed, or a seed of the wrong shape.
    InputError
        When a name in ``wrt`` is not an input, or a node on the way has no adjoint rule
        (a collapsed block or an imported primitive).

    Examples
    --------
    >>> import graphstep as gs
    >>> t = trace_backward(gs.parse("sin(x) * y", x=0.0, y=2.0))
    >>> t.reads                              # sin reads x; the product reads each other factor
    {(3, 0): (2,), (3, 1): (1,), (1, 0): (0,)}
    """
    names = g.inputs if wrt is None else list(wrt)
    sources = {g.input_node(name) for name in names}
    needed = [False] * len(g)
    for node in range(len(g)):
        needed[node] = node in sources or any(needed[a] for a in g.args(node))
    values = _retrace(g)
    trace = BackwardTrace(g, values)
    forward = {v.id: node for node, v in enumerate(values)}
    parts: dict[int, list[Var]] = {g.output: [_seed(g, seed)]}
    stop: set[int] = set()
    for head in range(g.output, -1, -1):
        if head not in parts:
            continue
        terms = parts.pop(head)
        G = trace.adjoints[head] = terms[0] if len(terms) == 1 else tr.add(terms)
        if G.id not in forward:
            stop.add(G.id)
        if g.op(head) in (INPUT, CONST) or not any(needed[a] for a in g.args(head)):
            continue
        trace.order.append(head)
        spec = OPS[g.op(head)]
        if not spec.adjoint:
            kind = g.params(head).get("title", g.op(head)) if g.op(head) == COMPOSITE else g.op(head)
            raise InputError(
                f"backward_graph: {g.label(head)} = {g.expr(head)} ({kind}) has no adjoint rule "
                f"in the op table, so its backward pass cannot be traced; expand it first")
        args = tuple(values[a] for a in g.args(head))
        labels = tuple(g.label(a) for a in g.args(head))
        for pos, tail in enumerate(g.args(head)):
            if not needed[tail]:
                continue
            edge = tr.TracedEdge(values[head], args, pos, head, labels)
            rule = spec.adjoint_rule(pos)(tr.with_mask(edge), G, edge)
            part = tr.fit(rule, g.shape_of(tail))
            trace.contributions[(head, pos)] = part
            trace.reads[(head, pos)] = _reads(part, G, forward, stop)
            if part.id not in forward:
                stop.add(part.id)
            parts.setdefault(tail, []).append(part)
    return trace


class BackwardGraph(Graph):
    """A forward graph's backward pass as a graph (see :func:`backward_graph`).

    It is an ordinary :class:`~graphstep.graph.Graph`; the forward values it reads keep
    their labels (``x``, ``u2``), each adjoint is labelled with a bar (``ū2``, ``x̄``) and the
    other nodes of the backward pass ``t1``, ``t2`` ...

    Attributes
    ----------
    forward : Graph
        The forward graph.
    wrt : str
        The input the output is the gradient of.
    roles : list of str
        By node: :data:`FORWARD` or :data:`ADJOINT`.
    forward_node : dict
        ``{node: forward node}`` for the re-traced forward values.
    adjoint_node : dict
        ``{forward node: node}``: where each adjoint is.
    trace : BackwardTrace
        What each step of the backward pass built and read.

    Examples
    --------
    >>> import graphstep as gs
    >>> b = backward_graph(gs.parse("sin(x)", x=0.0), "x")
    >>> b.labels, b.roles, b.value
    (['x', 'x̄'], ['forward', 'adjoint'], 1.0)
    """

    def __init__(self, output: Var, trace: BackwardTrace, wrt: str):
        self.forward, self.wrt, self.trace = trace.graph, wrt, trace
        super().__init__(output)

    @cached_property
    def forward_node(self) -> dict[int, int]:
        """``{node: forward node}`` for the re-traced forward values.

        Returns
        -------
        dict
        """
        by_id = {v.id: node for node, v in enumerate(self._vars)}
        return {by_id[v.id]: node for node, v in enumerate(self.trace.values) if v.id in by_id}

    @cached_property
    def adjoint_node(self) -> dict[int, int]:
        """``{forward node: node}``: where each adjoint is (a forward value may be one).

        Returns
        -------
        dict
        """
        by_id = {v.id: node for node, v in enumerate(self._vars)}
        return {node: by_id[v.id] for node, v in sorted(self.trace.adjoints.items(), reverse=True)
                if v.id in by_id}

    @cached_property
    def roles(self) -> list[str]:
        """By node: :data:`FORWARD` (a re-traced forward value) or :data:`ADJOINT`.

        Returns
        -------
        list of str
        """
        return [FORWARD if node in self.forward_node else ADJOINT for node in range(len(self))]

    @cached_property
    def labels(self) -> list[str]:
        """Forward labels for forward values, ``x̄``/``ū2`` for adjoints, ``t1``... for the rest.

        Returns
        -------
        list of str
        """
        g = self.forward
        labels: list[str | None] = [None] * len(self)
        for node, fnode in self.forward_node.items():
            labels[node] = g.label(fnode)
        wrt_node = g.input_node(self.wrt)
        for fnode, node in self.adjoint_node.items():
            if labels[node] is None or fnode == wrt_node and node == self.output:
                labels[node] = overline(g.label(fnode))
        taken = set(g.labels) | {label for label in labels if label}
        prefix = next(p for p in "tsrqp" if not any(re.fullmatch(p + r"\d+", t) for t in taken))
        k = 0
        for node, v in enumerate(self._vars):
            if labels[node] is None:
                if v.op == CONST:
                    labels[node] = v.text
                else:
                    k += 1
                    labels[node] = f"{prefix}{k}"
        return labels

    @cached_property
    def nx(self) -> nx.MultiDiGraph:
        """The networkx view; node attribute :data:`ROLE` says forward value or adjoint.

        Returns
        -------
        networkx.MultiDiGraph
        """
        G = Graph.nx.func(self)
        for node, role in enumerate(self.roles):
            G.nodes[node][ROLE] = role
        return G


def backward_graph(g: Graph, wrt: str | None = None, seed: Any = None) -> BackwardGraph:
    """The backward pass of ``g`` as a graph whose output is the gradient with respect to ``wrt``.

    Each adjoint rule of the op table is applied to traced values, so the adjoints are
    nodes built from ordinary ops, with edges from the forward values they read. The
    inputs are ``g``'s inputs: :func:`graphstep.grad` of the result is a second derivative.

    Parameters
    ----------
    g : Graph
        A graph with a scalar output (or any output with ``seed``).
    wrt : str, optional
        The input; may be omitted when ``g`` has one input.
    seed : float or numpy.ndarray, optional
        The output's adjoint (for a tensor output: the result is then ``seedᵀ J``).

    Returns
    -------
    BackwardGraph
        A :class:`~graphstep.graph.Graph`; its ``.value`` equals ``gs.grad(g, wrt)``.

    Raises
    ------
    InputError
        When ``wrt`` is not an input (or is omitted with several inputs), or a node has no
        adjoint rule (a collapsed block or an imported primitive).
    ShapeError
        For a tensor output without ``seed``.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("sum(tanh(W @ x))", W=np.eye(2), x=np.array([0.5, -1.0]))
    >>> b = backward_graph(g, "W")
    >>> bool(np.allclose(b.value, gs.grad(g, "W"))), b.shape_of(b.output)
    (True, (2, 2))
    """
    if wrt is None:
        if len(g.inputs) != 1:
            raise InputError(f"backward_graph: name the input (one of {', '.join(g.inputs)})")
        wrt = g.inputs[0]
    node = g.input_node(wrt)
    trace = trace_backward(g, [wrt], seed)
    result = trace.adjoints.get(node)
    if result is None:  # no path from wrt to the output: the gradient is 0
        result = tr.const(0.0, g.shape_of(node))
    return BackwardGraph(result, trace, wrt)
