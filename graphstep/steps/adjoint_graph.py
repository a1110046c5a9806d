"""Walks through the backward pass as a graph, and what each reverse step reads from the cache.

Mode ``"adjoint-graph"`` walks through the graph of
:func:`~graphstep.algorithms.backward_graph.backward_graph`: the forward values it reads
are given, then each node of the backward pass is computed, one per step, until the
gradient. :func:`cached_note` is the clause the ``"reverse"`` walk adds to each step:
the forward values that step's adjoint rules read (the values the backward pass must
keep, see :func:`graphstep.saved`).

>>> import graphstep as gs
>>> s = gs.steps(gs.parse("sin(x)^2", x=0.5), "adjoint-graph")
>>> [step.title for step in s]
['given', 'ū1 = 2*u1', 't1 = cos(x)', 'x̄ = ū1*t1', 'gradient']
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphstep.algorithms.agreement import agree
from graphstep.algorithms.backward_graph import ADJOINT, BackwardGraph, backward_graph, trace_backward
from graphstep.algorithms.memory import byte_text, nbytes
from graphstep.algorithms.reverse import grad
from graphstep.errors import GraphstepError, InputError
from graphstep.graph import Graph
from graphstep.ops.table import CONST
from graphstep.steps.model import Edge, GrowingDict, Mode, Step, StepKind
from graphstep.steps.phrases import apply_op, unique, verdict
from graphstep.text import describe_value, number

__all__ = ["AdjointGraphBuilder", "backward_reads", "cached_note"]


def backward_reads(g: Graph, seed: Any = None) -> dict[tuple[int, int], tuple[int, ...]]:
    """``{(head, pos): forward nodes}``: what each edge's adjoint rule reads; ``{}`` when the
    backward pass cannot be traced (a collapsed block has no adjoint rule).

    The values are the forward graph's cached values that :func:`cached_note` names.

    Parameters
    ----------
    g : Graph
    seed : float or numpy.ndarray, optional
        The output's adjoint (ones for a tensor output by default).

    Returns
    -------
    dict

    Examples
    --------
    >>> import graphstep as gs
    >>> backward_reads(gs.parse("exp(x) + x", x=0.0))
    {(2, 0): (), (2, 1): (), (1, 0): (1,)}
    """
    if seed is None and g.shape_of(g.output) != ():
        seed = np.ones(g.shape_of(g.output))
    try:
        return trace_backward(g, None, seed).reads
    except GraphstepError:
        return {}


def cached_note(text: str, g: Graph, reads: dict, edges: list[Edge]) -> str:
    """``text`` with a sentence naming the cached forward values the rules of ``edges`` read.

    Parameters
    ----------
    text : str
        A reverse step's sentence.
    g : Graph
    reads : dict
        From :func:`backward_reads`.
    edges : list of Edge
        The edges the step takes contributions from.

    Returns
    -------
    str
        ``text`` itself when the rules read nothing (a sum passes its adjoint on as it is).

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("exp(x)", x=0.0)
    >>> cached_note("x̄ = ū1 · exp(x) = 1", g, backward_reads(g), list(g.users[0]))
    'x̄ = ū1 · exp(x) = 1. It reads the cached u1 (8 B).'
    """
    nodes = sorted({k for _, head, pos in edges for k in reads.get((head, pos), ())})
    if not nodes:
        return text
    cached = ", ".join(f"{g.label(k)} ({byte_text(nbytes(g.value_of(k)))})" for k in nodes)
    return f"{text}{'' if text.endswith('.') else '.'} It reads the cached {cached}."


class AdjointGraphBuilder:
    """``adjoint-graph``: the forward values read are given, then one node of the backward
    pass per step, then the gradient checked against :func:`graphstep.grad`.

    The walk's graph is the backward graph (``builder.g`` after :meth:`build`).

    Parameters
    ----------
    g : Graph
        The forward graph.
    mode : Mode
    """

    def __init__(self, g: Graph, mode: Mode):
        self.g: Graph = g
        self.mode = mode
        self.steps: list[Step] = []

    def _add(self, text: str, title: str, kind: StepKind, **fields: Any) -> None:
        self.steps.append(Step(self.mode, len(self.steps), text, title, kind=kind,
                               graph=self.g, **fields))

    def build(self, wrt: str | None, *, direction: Any, seed: Any, path_limit: int) -> str:
        """Append the steps; return the input the gradient is taken by.

        Parameters
        ----------
        wrt : str or None
            The input (None: the first).
        direction, seed, path_limit
            Not used by this mode.

        Returns
        -------
        str
        """
        forward = self.g
        if wrt is None:  # the first input (name another with wrt=)
            if not forward.inputs:
                raise InputError(f"{forward.expr(forward.output)} has no inputs, so there is no "
                                 f"backward pass to build; use mode='forward' to see its values")
            wrt = forward.inputs[0]
        b = backward_graph(forward, wrt)
        self.g = b
        values = GrowingDict()
        given = [n for n in range(len(b)) if b.roles[n] != ADJOINT or b.op(n) == CONST]
        for n in given:
            values.add(n, b.value_of(n))
        shown = ", ".join(f"{b.label(n)} = {describe_value(b.value_of(n))}" for n in given
                          if b.op(n) != CONST)
        read = sorted({k for nodes in b.trace.reads.values() for k in nodes})
        reads = ", ".join(forward.label(k) for k in read) or "none of them"
        self._add(f"Given the forward values {shown or 'none'}; the backward pass reads {reads} "
                  f"(cached by the forward pass). Each step below is one node of the backward "
                  f"pass, built from the op table's adjoint rules.", "given", StepKind.INPUTS,
                  focus_nodes=tuple(given), values=values.view())
        contribution = self._contributions(b)
        adjoint_of = {node: f for f, node in b.adjoint_node.items()}
        for n in range(len(b)):
            if n in given:
                continue
            values.add(n, b.value_of(n))
            args = b.args(n)
            text = self._value_text(b, n)
            if n in adjoint_of:
                f = adjoint_of[n]
                text += (f": the adjoint of {forward.label(f)}, "
                         f"∂{forward.label(forward.output)}/∂{forward.label(f)}")
            elif n in contribution:
                head, pos = contribution[n]
                text += (f": what the edge {forward.label(forward.args(head)[pos])} → "
                         f"{forward.label(head)} passes back")
            self._add(text, f"{b.label(n)} = {apply_op(b, n, [b.label(a) for a in args])}",
                      StepKind.VALUE, focus_nodes=(n,) + unique(args),
                      focus_edges=tuple((a, n, p) for p, a in enumerate(args)),
                      values=values.view(), result=b.value_of(n))
        reference = grad(forward, wrt) if forward.shape_of(forward.output) == () else None
        if reference is None:
            text = f"gradient: {b.label(b.output)} = {describe_value(b.value)}"
        else:
            same, diff = agree(b.value, reference)
            text = (f"gradient: {b.label(b.output)} = ∂{forward.label(forward.output)}/∂{wrt} = "
                    f"{describe_value(b.value)}; gs.grad(g, {wrt!r}) gives "
                    f"{describe_value(reference)}: {verdict(same, diff)}")
        self._add(text, "gradient", StepKind.RESULT, focus_nodes=(b.output,), values=values.view(),
                  result=b.value, wrt=wrt)
        return wrt

    @staticmethod
    def _contributions(b: BackwardGraph) -> dict[int, tuple[int, int]]:
        by_id = {v.id: node for node, v in enumerate(b._vars)}
        return {by_id[v.id]: edge for edge, v in b.trace.contributions.items() if v.id in by_id}

    @staticmethod
    def _value_text(b: Graph, n: int) -> str:
        args = b.args(n)
        symbolic = apply_op(b, n, [b.label(a) for a in args])
        value = b.value_of(n)
        if all(np.ndim(b.value_of(a)) == 0 for a in args) and np.ndim(value) == 0:
            numeric = apply_op(b, n, [number(b.value_of(a)) for a in args])
            if numeric != symbolic:
                return f"{b.label(n)} = {symbolic} = {numeric} = {describe_value(value)}"
        return f"{b.label(n)} = {symbolic} = {describe_value(value)}"
