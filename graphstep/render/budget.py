"""Predict before waiting: how a graph's picture is laid out, chosen from its size and shape.

Graphviz's ``dot`` spends its time on the *long* edges: an edge that spans k ranks becomes
a chain of k - 1 virtual nodes, and every rank's order is then optimised among all the
nodes and virtual nodes that cross it. A value used far away (a weight shared by every
sample, the ``y`` of ``u = sin(u*y + c)`` used by every step) makes that work grow as the
square of the graph. :func:`plan_layout` counts it before anything runs:

- the **work** of a graph is its nodes, its edges and its virtual nodes (the sum over
  edges of the ranks spanned beyond one), with the ranks ``dot`` would give it
  (:func:`graphstep.render.direction.ranks`);
- up to :data:`DOT_WORK` the picture is laid out by ``dot`` (the best pictures);
- past it, by :mod:`graphstep.render.layered` (linear time; Graphviz only draws);
- past :data:`MAX_DRAWN_NODES` nodes no picture is drawn node by node:
  :class:`~graphstep.errors.SizeLimitError` says so at once, with the ways out.

>>> import graphstep as gs
>>> plan = plan_layout(gs.parse("x * exp(x^2)", x=1.5))
>>> plan.engine, plan.nodes, plan.edges
('dot', 5, 5)
"""

from __future__ import annotations

from dataclasses import dataclass

from graphstep.errors import SizeLimitError
from graphstep.graph import Graph
from graphstep.render.direction import ranks

__all__ = ["MAX_DRAWN_NODES", "DOT_WORK", "LayoutPlan", "layout_work", "plan_layout", "check_drawable"]

#: The largest graph drawn node by node (bigger ones: focus on an input, or collapse blocks).
MAX_DRAWN_NODES = 10_000
#: The largest :func:`layout_work` laid out by ``dot``; bigger graphs take the fast path.
DOT_WORK = 1_000


@dataclass(frozen=True)
class LayoutPlan:
    """How a picture will be laid out, decided before Graphviz runs.

    Parameters
    ----------
    engine : {"dot", "layered"}
        ``"dot"``: Graphviz's own layout; ``"layered"``: positions from
        :mod:`graphstep.render.layered`, drawn by Graphviz as they are.
    nodes, edges : int
        The graph's size.
    work : int
        :func:`layout_work`: nodes + edges + the virtual nodes of long edges.

    Examples
    --------
    >>> LayoutPlan("layered", 4000, 6000, 90000).fast
    True
    """

    engine: str
    nodes: int
    edges: int
    work: int

    @property
    def fast(self) -> bool:
        """True when the picture takes the fast path (its own layered layout)."""
        return self.engine == "layered"


def layout_work(g: Graph, rank: list[int] | None = None) -> int:
    """The size of ``dot``'s problem: nodes + edges + virtual nodes of the long edges.

    Parameters
    ----------
    g : Graph
    rank : list of int, optional
        The ranks, if already computed (:func:`graphstep.render.direction.ranks`).

    Returns
    -------
    int

    Examples
    --------
    >>> import graphstep as gs
    >>> layout_work(gs.parse("x * exp(x^2)", x=1.5))    # 5 nodes, 5 edges, x -> u3 spans 3 ranks
    12
    """
    rank = ranks(g) if rank is None else rank
    work = len(g)
    for t, h, _ in g.edges():
        work += max(rank[h] - rank[t], 1)
    return work


def check_drawable(nodes: int, what: str = "the graph") -> None:
    """Refuse at once, with the ways out, to draw more than :data:`MAX_DRAWN_NODES` nodes.

    Parameters
    ----------
    nodes : int
        How many nodes the picture would have.
    what : str
        What is drawn, for the message.

    Raises
    ------
    SizeLimitError
        When ``nodes`` is over the limit.

    Examples
    --------
    >>> check_drawable(12)
    >>> try:
    ...     check_drawable(34_138)
    ... except SizeLimitError as error:
    ...     print(str(error)[:59])
    the graph has 34,138 nodes: more than the 10,000 drawn node
    """
    if nodes > MAX_DRAWN_NODES:
        raise SizeLimitError(
            f"{what} has {nodes:,} nodes: more than the {MAX_DRAWN_NODES:,} drawn node by node "
            f"(such a picture takes long and reads as a grey wall); draw less: focus=\"x\" "
            f"(only the paths from input x to the output), collapse=\"blocks\" or collapse=2 "
            f"(a block of nodes drawn as one, its edges carrying the block's total derivative), "
            f"or step through a focused or collapsed graph in the zoomable player (to_html)")


def plan_layout(g: Graph) -> LayoutPlan:
    """Decide, from the graph alone and before any process runs, how to lay it out.

    Parameters
    ----------
    g : Graph

    Returns
    -------
    LayoutPlan

    Raises
    ------
    SizeLimitError
        For more than :data:`MAX_DRAWN_NODES` nodes (see :func:`check_drawable`).

    Examples
    --------
    >>> import graphstep as gs
    >>> y, u = gs.var("y", 0.5), gs.var("u", 0.3)
    >>> for _ in range(300):
    ...     u = gs.sin(u * y + 0.1)
    >>> plan = plan_layout(gs.graph(u))
    >>> plan.engine, plan.nodes, plan.work > DOT_WORK
    ('layered', 1202, True)
    """
    check_drawable(len(g))
    rank = ranks(g)
    work = layout_work(g, rank)
    edges = sum(1 for _ in g.edges())
    return LayoutPlan("dot" if work <= DOT_WORK else "layered", len(g), edges, work)
