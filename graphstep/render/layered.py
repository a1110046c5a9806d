"""The fast path for big graphs: a layered layout computed here, drawn by Graphviz as is.

Graphviz's ``dot`` minimises crossings and straightens long edges with work that grows
about as the cube of the graph (a 3,700-node graph takes half a minute, a 1,000-step
chain sharing one input never finishes). Past the threshold of
:mod:`graphstep.render.budget`, the picture is laid out here instead, in time linear in
the graph (Sugiyama's scheme, kept simple):

1. layers: a node one rank after its latest argument, a leaf just before its first
   user (the ranks :func:`graphstep.render.direction.ranks` gives ``dot`` too);
2. order within a layer: the nodes in the order they were made, then a few
   barycentre sweeps (each node moves to the mean position of its neighbours in the
   layer before, then after), which undo most crossings of traced code;
3. coordinates: each layer is as long (along the flow) as its widest node, the gap
   before it as wide as the widest edge label into it; across the flow a node sits as
   near the mean of its arguments as the nodes before it in its layer allow.

Graphviz then draws the picture with every node pinned (``layout=nop2``, which is
``neato -n2``), the boxes, edges and labels placed by :mod:`graphstep.render.pinned`;
the node and edge ids, labels and classes are those of the ``dot`` picture, so the
frames of a stepper are built from it the same way.

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x^2)", x=1.5)
>>> at = positions(g, [(40.0, 30.0)] * len(g), [20.0] * len(g), "LR")
>>> at[0][0] < at[2][0] < at[3][0] < at[4][0]    # left to right, rank by rank
True
"""

from __future__ import annotations

from collections.abc import Sequence

from graphstep.graph import Graph
from graphstep.render.direction import ranks

__all__ = ["positions", "SWEEPS", "NODE_GAP", "RANK_GAP", "MARGIN"]

#: Barycentre sweeps (down and up) that order the nodes within a layer.
SWEEPS = 2
#: Points between neighbours in a layer.
NODE_GAP = 14.0
#: Points between layers, besides the room of the edge labels.
RANK_GAP = 28.0
#: Points around the picture.
MARGIN = 12.0


def _orders(layers: list[list[int]], args: list[list[int]], users: list[list[int]]) -> None:
    """Reorder each layer in place by barycentre sweeps (down over arguments, up over users)."""
    where = {}

    def index(layer: list[int]) -> None:
        scale = 1.0 / max(len(layer), 1)
        for i, node in enumerate(layer):
            where[node] = (i + 0.5) * scale

    for layer in layers:
        index(layer)
    for _ in range(SWEEPS):
        for sweep, neighbours in ((layers[1:], args), (layers[-2::-1], users)):
            for layer in sweep:
                def key(node: int, neighbours=neighbours) -> float:
                    near = [where[m] for m in neighbours[node]]
                    return sum(near) / len(near) if near else where[node]
                layer.sort(key=key)
                index(layer)


def positions(g: Graph, sizes: Sequence[tuple[float, float]], edge_room: Sequence[float],
              direction: str) -> list[tuple[float, float]]:
    """Each node's centre, in points, for a picture drawn with pinned positions.

    Parameters
    ----------
    g : Graph
    sizes : sequence of (float, float)
        Each node's (width, height) in points.
    edge_room : sequence of float
        For each node, the room (points along the flow) the labels of the edges into it
        need.
    direction : {"LR", "RL", "TB", "BT"}
        Where the flow goes, as Graphviz's ``rankdir``.

    Returns
    -------
    list of (float, float)
        ``(x, y)`` by node id, Graphviz's coordinates (y upwards), all at least
        :data:`MARGIN` from the picture's edge.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sin(x) + cos(x)", x=0.5)
    >>> at = positions(g, [(40.0, 20.0)] * len(g), [0.0] * len(g), "BT")
    >>> at[0][1] < at[1][1] < at[3][1]    # bottom to top
    True
    """
    n = len(g)
    rank = ranks(g)
    args = [list(g.args(node)) for node in range(n)]
    users: list[list[int]] = [[] for _ in range(n)]
    for node in range(n):
        for a in args[node]:
            users[a].append(node)
    levels = max(rank, default=0) + 1
    layers: list[list[int]] = [[] for _ in range(levels)]
    for node in range(n):
        layers[rank[node]].append(node)
    _orders(layers, args, users)

    across_flow = direction in ("LR", "RL")
    along_size = [w if across_flow else h for w, h in sizes]
    side_size = [h if across_flow else w for w, h in sizes]

    # along the flow: layer by layer, each as long as its longest node
    along = [0.0] * levels
    reach = MARGIN
    for k, layer in enumerate(layers):
        longest = max((along_size[m] for m in layer), default=0.0)
        room = max((edge_room[m] for m in layer), default=0.0)
        if k:
            reach += RANK_GAP + room
        along[k] = reach + longest / 2
        reach += longest

    # across the flow: near the mean of the arguments, in layer order, never overlapping
    side = [0.0] * n
    for layer in layers:
        wanted = []
        edge = None
        for node in layer:
            placed = [side[a] for a in args[node] if rank[a] < rank[node]]
            want = sum(placed) / len(placed) if placed else None
            wanted.append(want)
        fallback = 0.0
        for node, want in zip(layer, wanted):
            low = side_size[node] / 2
            target = want if want is not None else fallback
            at = target if edge is None else max(target, edge + NODE_GAP + low)
            side[node] = at
            edge = at + low
            fallback = edge + NODE_GAP
        # the layer leans forward (each node pushed on by the ones before it): centre it
        # back on the mean of what its nodes wanted
        asked = [w for w in wanted if w is not None]
        if asked:
            shift = sum(asked) / len(asked) - sum(side[m] for m in layer) / len(layer)
            for node in layer:
                side[node] += shift

    low = min((side[m] - side_size[m] / 2 for m in range(n)), default=0.0)
    high = max((side[m] + side_size[m] / 2 for m in range(n)), default=0.0)
    out = []
    for node in range(n):
        a = along[rank[node]]
        s = side[node] - low + MARGIN
        if direction == "LR":
            out.append((a, high - low + 2 * MARGIN - s))  # first in a layer at the top
        elif direction == "RL":
            out.append((reach + MARGIN - a, high - low + 2 * MARGIN - s))
        elif direction == "BT":
            out.append((s, a))
        else:
            out.append((s, reach + MARGIN - a))
    return out
