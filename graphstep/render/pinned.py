"""The geometry of the fast path for big graphs: every box, position, edge and label place
computed here, so Graphviz only draws (``layout=nop2``).

Graphviz routing edges and placing their labels among thousands of others is most of its
time once the nodes are pinned (1.5 s of a 3,700-node picture, against 0.9 s when it only
draws). So the picture is computed whole: each node's box from its label's lines
(:mod:`graphstep.render.metrics`, the sizes Graphviz would give them, drawn with
``fixedsize``), the positions by :func:`graphstep.render.layered.positions`, each edge a
straight line from box to box with its arrowhead on the head's outline, and each edge label
on its line, at the middle unless a box or another label is there.

>>> import graphstep as gs
>>> from graphstep.render.style import Style
>>> g = gs.parse("exp(x)", x=0.5)
>>> rows = [[("x", None, None, True), ("= 0.5", None, None, False)],
...         [("u₁ = exp(x)", None, None, True), ("1.649", None, None, False)]]
>>> p = pin(g, rows, Style(), "LR")
>>> p.sizes[0], p.node_attrs(0)["fixedsize"]
((59.0, 42.0), 'true')
>>> sorted(p.edge_attrs(0, 1, label=(60.0, 30.0)))
['lp', 'pos']
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

from graphstep.graph import Graph
from graphstep.render import layered, metrics
from graphstep.render.direction import label_boxes, ranks
from graphstep.render.style import Style

__all__ = ["Pinned", "pin", "node_size", "edge_label_size", "MIN_WIDTH", "MIN_HEIGHT", "ARROW", "LABEL_ROOM"]

#: Graphviz's smallest box (its default node size), in points.
MIN_WIDTH, MIN_HEIGHT = 54.0, 36.0
#: The label's margin inside a box (the node attribute ``margin="0.12,0.06"``) and the
#: table's cell padding, in points.
_MARGIN_X, _MARGIN_Y, _CELL_PAD = 0.12 * 72, 0.06 * 72, 1.0
#: Points per character of an edge label, in font sizes: the room its layer gap needs.
_CHAR_PT = 0.62
#: Points kept free between neighbours in a layer, besides layered.NODE_GAP, for edge labels.
LABEL_ROOM = 30.0
#: At most this many bands of edge labels in the gap before a layer.
_MAX_BANDS = 4
#: The length of an arrowhead in points (``arrowsize=0.8`` of Graphviz's 10).
ARROW = 8.0


def node_size(rows: Sequence[tuple], style: Style) -> tuple[float, float]:
    """(width, height) in points of a box holding the label lines ``rows``.

    Parameters
    ----------
    rows : sequence of (str, str or None, float or None, bool)
        The lines (:func:`graphstep.render.dot.node_rows`): text, colour, point size
        (None: the style's), bold.
    style : Style

    Returns
    -------
    (float, float)

    Examples
    --------
    >>> from graphstep.render.style import Style
    >>> node_size([("x" * 31, None, None, False)], Style())
    (276.0, 36.0)
    """
    width, height = 0.0, 0.0
    for text, _, size, bold in rows:
        size = size or style.fontsize
        width = max(width, metrics.text_width(text, size, bold))
        height += metrics.line_height(size) + 2 * _CELL_PAD
    width = math.ceil(width + 2 * _CELL_PAD + 2 * _MARGIN_X)
    height = math.floor(height + 2 * _MARGIN_Y)  # as Graphviz rounds: 2 lines at 14 pt, 42
    return max(float(width), MIN_WIDTH), max(float(height), MIN_HEIGHT)


def _clip(center: tuple[float, float], size: tuple[float, float], dx: float, dy: float) -> float:
    """How far along (dx, dy) from ``center`` the line leaves the box (a fraction of it)."""
    half_w, half_h = size[0] / 2, size[1] / 2
    return min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)


#: Where along its line a label may sit (fractions from tail to head), the middle first.
_STATIONS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85, 0.1, 0.9)


class _Occupied:
    """Rectangles already drawn (boxes, labels), found by a grid of :data:`CELL`-point cells."""

    CELL = 96.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = defaultdict(list)

    def free(self, box: tuple[float, float, float, float]) -> bool:
        left, low, right, high = box
        c, cells = self.CELL, self.cells
        for i in range(int(left // c), int(right // c) + 1):
            for j in range(int(low // c), int(high // c) + 1):
                for x0, y0, x1, y1 in cells.get((i, j), ()):
                    if left < x1 and x0 < right and low < y1 and y0 < high:
                        return False
        return True

    def add(self, box: tuple[float, float, float, float]) -> None:
        c = self.CELL
        for i in range(int(box[0] // c), int(box[2] // c) + 1):
            for j in range(int(box[1] // c), int(box[3] // c) + 1):
                self.cells[(i, j)].append(box)


class Pinned:
    """Where everything of a fast-path picture goes, in Graphviz's points (y upwards).

    Edge labels are placed in the order :meth:`edge_attrs` is asked for them, each at the
    first station along its line where it covers no box and no label placed before (at
    the middle when there is none), as Graphviz's own label placement would.

    Parameters
    ----------
    centers : list of (float, float)
        Each node's centre, by node id.
    sizes : list of (float, float)
        Each node's (width, height).
    """

    def __init__(self, centers: list[tuple[float, float]], sizes: list[tuple[float, float]]):
        self.centers, self.sizes = centers, sizes
        self._occupied = _Occupied()
        for (x, y), (w, h) in zip(centers, sizes):
            self._occupied.add((x - w / 2, y - h / 2, x + w / 2, y + h / 2))

    def node_attrs(self, node: int) -> dict[str, str]:
        """The DOT attributes that pin a node: ``pos``, ``width``, ``height``, ``fixedsize``.

        Parameters
        ----------
        node : int

        Returns
        -------
        dict of str to str
        """
        (x, y), (w, h) = self.centers[node], self.sizes[node]
        return {"pos": f"{x:.1f},{y:.1f}!", "width": f"{w / 72:.4f}", "height": f"{h / 72:.4f}",
                "fixedsize": "true"}

    def edge_attrs(self, tail: int, head: int, label: tuple[float, float] | None = None) -> dict[str, str]:
        """The DOT attributes of an edge drawn as computed: ``pos`` (a straight line from
        outline to outline, ``e,`` the arrow's tip) and, with a label of size ``label``
        (width, height in points), ``lp``, its centre on the line.
        Empty when the boxes touch (Graphviz then routes that edge itself).

        Parameters
        ----------
        tail, head : int
        label : (float, float), optional

        Returns
        -------
        dict of str to str
        """
        (x0, y0), (x1, y1) = self.centers[tail], self.centers[head]
        dx, dy = x1 - x0, y1 - y0
        start = _clip((x0, y0), self.sizes[tail], dx, dy)
        end = 1 - _clip((x1, y1), self.sizes[head], dx, dy)
        length = math.hypot(dx, dy) * (end - start)
        if length <= 2 * ARROW:
            return {}
        sx, sy = x0 + dx * start, y0 + dy * start
        tx, ty = x0 + dx * end, y0 + dy * end  # the arrow's tip, on the head's outline
        back = ARROW / length
        ex, ey = tx - (tx - sx) * back, ty - (ty - sy) * back  # where the line meets the arrow
        points = [(sx, sy), (sx + (ex - sx) / 3, sy + (ey - sy) / 3),
                  (sx + 2 * (ex - sx) / 3, sy + 2 * (ey - sy) / 3), (ex, ey)]
        attrs = {"pos": f"e,{tx:.1f},{ty:.1f} " + " ".join(f"{x:.1f},{y:.1f}" for x, y in points)}
        if label is not None:
            attrs["lp"] = "{:.1f},{:.1f}".format(*self._place(sx, sy, tx, ty, label))
        return attrs

    def _place(self, sx: float, sy: float, tx: float, ty: float,
               label: tuple[float, float]) -> tuple[float, float]:
        half_w, half_h = label[0] / 2, label[1] / 2
        # on the line; failing that, just above or below it
        shifts = [(0.0, 0.0), (0.0, half_h), (0.0, -half_h)]
        for shift_x, shift_y in shifts:
            for station in _STATIONS:
                x = sx + (tx - sx) * station + shift_x
                y = sy + (ty - sy) * station + shift_y
                box = (x - half_w, y - half_h, x + half_w, y + half_h)
                if self._occupied.free(box):
                    self._occupied.add(box)
                    return x, y
        return (sx + tx) / 2, (sy + ty) / 2


def edge_label_size(lines: Sequence[str], style: Style) -> tuple[float, float]:
    """(width, height) in points of an edge label with these lines (at the edge font size).

    Parameters
    ----------
    lines : sequence of str
    style : Style

    Returns
    -------
    (float, float)

    Examples
    --------
    >>> from graphstep.render.style import Style
    >>> w, h = edge_label_size(["∂u₁/∂x = exp(x)", "= 1.649"], Style())
    >>> h, 80 < w < 120
    (30.0, True)
    """
    size = style.fontsize - 2
    width = max((metrics.text_width(line, size) for line in lines), default=0.0)
    return width + 2 * _CELL_PAD, len(lines) * (metrics.line_height(size) + 2 * _CELL_PAD)


def pin(g: Graph, rows: Sequence[Sequence[tuple]], style: Style, direction: str,
        edge_boxes: Sequence[tuple[int, tuple[float, float]]] | None = None) -> Pinned:
    """The fast path's geometry of ``g``: box sizes from the label lines, positions by layer.

    Parameters
    ----------
    g : Graph
    rows : sequence of sequences of Row
        Each node's label lines (:func:`graphstep.render.dot.node_rows`).
    style : Style
    direction : {"LR", "RL", "TB", "BT"}
    edge_boxes : sequence of (int, (float, float)), optional
        ``(head, edge_box)`` of every labelled edge
        (:func:`graphstep.render.direction.label_boxes`), when already measured.

    Returns
    -------
    Pinned

    Examples
    --------
    >>> import graphstep as gs
    >>> from graphstep.render.style import Style
    >>> g = gs.parse("sin(cos(x))", x=0.3)
    >>> p = pin(g, [[("x", None, None, True)]] * 3, Style(), "LR")
    >>> [round(x) for x, _ in p.centers] == sorted(round(x) for x, _ in p.centers)
    True
    """
    sizes = [node_size(lines, style) for lines in rows]
    along_is_width = direction in ("LR", "RL")
    small = style.fontsize - 2
    if edge_boxes is None:
        edge_boxes = label_boxes(g, style)[1]
    # the gap before a layer holds its edges' labels: as many rows (columns, left to right)
    # of them as their total extent across the flow needs, given the layer's own extent
    rank = ranks(g)
    layer_across: dict[int, float] = defaultdict(float)
    for node, (w, h) in enumerate(sizes):
        layer_across[rank[node]] += (h if along_is_width else w) + layered.NODE_GAP
    load: dict[int, float] = defaultdict(float)
    longest: dict[int, float] = defaultdict(float)
    for h, (chars, lines) in edge_boxes:
        width, height = chars * _CHAR_PT * small, lines * (metrics.line_height(small) + 2 * _CELL_PAD)
        across, along = (height, width) if along_is_width else (width, height)
        load[rank[h]] += across
        longest[rank[h]] = max(longest[rank[h]], along)
    room = [0.0] * len(g)
    for node in range(len(g)):
        k = rank[node]
        if k in load:
            bands = min(1 + math.ceil(load[k] / max(layer_across[k], layer_across[k - 1], 1.0)), _MAX_BANDS)
            room[node] = bands * longest[k] + 8
    # a line of edge labels fits between neighbours in a layer
    spaced = [(w, h + LABEL_ROOM) if along_is_width else (w + LABEL_ROOM, h) for w, h in sizes]
    return Pinned(layered.positions(g, spaced, room, direction), sizes)
