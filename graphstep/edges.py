"""The edges of a graph: the :class:`Edge` tuple and every edge as numpy arrays.

An edge is an :class:`Edge` ``(tail, head, pos)``: argument ``pos`` of node ``head``
is node ``tail``, and data flows from tail to head. ``head`` and ``pos`` alone identify
an edge (``tail`` follows from them), so the methods of :class:`graphstep.graph.Graph`
that look one edge up take ``(head, pos)``; everything that lists edges gives
:class:`Edge` tuples.

>>> Edge(0, 1, 0).head
1
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["Edge", "EdgeArrays"]


class Edge(NamedTuple):
    """One edge of a :class:`Graph`: argument ``pos`` of node ``head`` is node ``tail``.

    Data flows from ``tail`` to ``head``; the edge carries ``d head / d tail``
    (:meth:`Graph.local`). ``x * x`` has two edges from ``x``, at positions 0 and 1.

    Parameters
    ----------
    tail : int
        The argument's node.
    head : int
        The node that uses it.
    pos : int
        Which argument of ``head`` it is.

    Examples
    --------
    >>> import graphstep as gs
    >>> tail, head, pos = gs.parse("sin(x)", x=0.0).users[0][0]
    >>> tail, head, pos
    (0, 1, 0)
    """

    tail: int
    head: int
    pos: int


class EdgeArrays:
    """Every edge of a graph as numpy arrays, built once with the graph.

    Edge ``e`` runs from ``tails[e]`` into ``heads[e]``; edges are numbered node by
    node, so argument ``k`` of node ``n`` is edge ``offsets[n] + k``. ``by_depth`` lists
    the edges deepest head first (the order reverse accumulation needs),
    ``tails_by_depth``/``heads_by_depth`` are the edges' ends in that order, ``levels``
    the ``(start, stop)`` slices of equal head depth, and ``groups`` the node ids of
    each op, in node order.

    Parameters
    ----------
    tails : list of int
        The arguments of every node, node after node.
    arity : list of int
        How many arguments each node has.
    depths : list of int
        Each node's depth (longest path from a leaf).
    ops : list of str
        Each node's op.

    Examples
    --------
    >>> edges = EdgeArrays([0, 0, 1], [0, 2, 1], [0, 1, 2], ["input", "mul", "sin"])
    >>> edges.tails.tolist(), edges.heads.tolist(), edges.offsets.tolist()
    ([0, 0, 1], [1, 1, 2], [0, 0, 2])
    >>> edges.by_depth.tolist(), edges.levels, edges.groups["mul"].tolist()
    ([2, 0, 1], [(0, 1), (1, 3)], [1])
    """

    def __init__(self, tails: list[int], arity: list[int], depths: list[int], ops: list[str]):
        count = len(tails)
        arity_array = np.array(arity, dtype=np.int64)
        self.offsets = np.concatenate(([0], np.cumsum(arity_array)[:-1])) if len(arity) else arity_array
        self.tails = np.array(tails, dtype=np.int64)
        self.heads = np.repeat(np.arange(len(arity)), arity_array)
        # negated depths in the narrowest integer type, so the stable sort is a radix sort
        negated = -np.array(depths, dtype=np.int64)
        small = np.int16 if len(depths) and negated.min() > -(2**15) else np.int64
        head_depth = negated.astype(small)[self.heads]
        self.by_depth = np.argsort(head_depth, kind="stable")
        self.tails_by_depth = self.tails[self.by_depth]
        self.heads_by_depth = self.heads[self.by_depth]
        sorted_depth = head_depth[self.by_depth]  # ascending negated depth: deepest first
        cuts = (np.flatnonzero(np.diff(sorted_depth)) + 1).tolist()
        self.levels: list[tuple[int, int]] = list(zip([0] + cuts, cuts + [count]))
        names = sorted(set(ops))
        code = {name: k for k, name in enumerate(names)}
        codes = np.fromiter(map(code.__getitem__, ops), dtype=np.int64, count=len(ops))
        by_code = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[by_code], np.arange(len(names) + 1)).tolist()
        self.groups: dict[str, np.ndarray] = {
            name: by_code[bounds[k]:bounds[k + 1]] for k, name in enumerate(names)}
