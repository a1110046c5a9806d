"""``direction="auto"``: the layout direction a graph reads best in, chosen without Graphviz.

The rule (:func:`auto_direction`): estimate the picture's size left to right and bottom to
top from the graph alone, then keep left to right while it fits a page column
(:data:`PAGE_WIDTH`) or is at most :data:`MAX_ASPECT` times as wide as it is high;
otherwise take whichever of the two directions is nearer to a page's shape
(:data:`PAGE_ASPECT`, in log ratio).

The estimate lays the nodes out in ranks as Graphviz does: a node one rank after its
latest argument, a leaf (input or constant) just before its first user. A rank is as
long (along the flow) as its longest label and as wide (across) as its labels side by
side; the edge labels into a rank form a rank of their own, as Graphviz draws them. The
label sizes come from the texts the picture shows (title, expression, value width, edge
formula), counted in characters and lines. It depends only on the graph and the style,
so every frame of a player or animation has the same direction.

>>> import graphstep as gs
>>> auto_direction(gs.parse("x * exp(x^2)", x=1.5), Style())
'LR'
"""

from __future__ import annotations

import math
import weakref

from graphstep.graph import Graph
from graphstep.ops.table import CONST, INPUT
from graphstep.render.annotate import edge_formula_text, expression_text, node_title
from graphstep.render.style import AUTO, Style

__all__ = ["MAX_ASPECT", "PAGE_WIDTH", "PAGE_ASPECT", "auto_direction", "estimate_size", "resolve_direction",
           "ranks", "node_box", "edge_box", "label_boxes"]

#: Left to right while the estimated picture is at most this many times as wide as high.
MAX_ASPECT = 3.0
#: Left to right while the estimated picture is at most this wide, in font sizes (about
#: 1000 px at 14 px: a page column shows it without shrinking the text much).
PAGE_WIDTH = 72.0
#: The shape a picture should come near to when left to right is too wide (width / height).
PAGE_ASPECT = 1.6

_CHAR = 0.58  # width of a character, in font sizes
_LINE = 1.35  # height of a text line, in font sizes
_NODE_PAD = (1.8, 0.9)  # a node's margins (width, height), in font sizes
_NODE_GAP = 1.5  # the gap between neighbours in a rank, in font sizes
_RANK_GAP = 2.5  # the gap between ranks, in font sizes
_MARGIN = 3.0  # the outer pad and the spread of ranks that do not line up, in font sizes


def ranks(g: Graph) -> list[int]:
    """Each node's rank: one after its latest argument; a leaf just before its first user.

    Parameters
    ----------
    g : Graph

    Returns
    -------
    list of int
        By node id; the inputs of a first operation have rank 0.

    Examples
    --------
    >>> import graphstep as gs
    >>> ranks(gs.parse("sin(x) * 2", x=0.5))
    [0, 1, 1, 2]
    """
    known = _RANKS.get(g)
    if known is None:  # a picture asks four times (budget, direction, layout, label room)
        known = _RANKS[g] = tuple(_ranks(g))
    return list(known)


#: Per graph (a Graph never changes): its ranks.
_RANKS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _ranks(g: Graph) -> list[int]:
    n = len(g)
    rank = [0] * n
    for node in range(n):
        args = g.args(node)
        if args:
            rank[node] = 1 + max(rank[a] for a in args)
    first_use = [math.inf] * n
    for t, h, _ in g.edges():
        first_use[t] = min(first_use[t], rank[h])
    for node in range(n):
        if not g.args(node) and first_use[node] != math.inf:
            rank[node] = max(0, int(first_use[node]) - 1)
    return rank


def node_box(g: Graph, node: int, style: Style) -> tuple[float, float]:
    """(width in characters, height in lines) of a node's label.

    Parameters
    ----------
    g : Graph
    node : int
    style : Style

    Returns
    -------
    (float, float)

    Examples
    --------
    >>> import graphstep as gs
    >>> node_box(gs.parse("exp(x)", x=0.5), 1, Style())
    (11.0, 3.0)
    """
    label, definition = node_title(g, node)
    texts = [f"{label} = {definition}" if definition else label]
    if style.expressions and g.op(node) not in (INPUT, CONST):
        texts.append(expression_text(g, node, definition))
    if style.values:
        texts.append("x" * (8 if g.is_scalar or g.shape_of(node) == () else 22))
    lines = len([t for t in texts if t]) + (1 if style.grad or style.adjoints else 0)
    return float(max(len(t) for t in texts)), float(lines)


def edge_box(g: Graph, tail: int, head: int, pos: int, style: Style) -> tuple[float, float] | None:
    """(width in characters, height in lines) of an edge's label, or None without one.

    Parameters
    ----------
    g : Graph
    tail, head, pos : int
        The edge: ``tail`` is argument ``pos`` of ``head``.
    style : Style

    Returns
    -------
    (float, float) or None

    Examples
    --------
    >>> import graphstep as gs
    >>> edge_box(gs.parse("exp(x)", x=0.5), 0, 1, 0, Style())
    (15.0, 2.0)
    """
    if not style.locals or not (g.active[tail] or style.constant_edges):
        return None
    scalar = g.is_scalar or g.shape_of(head) == ()
    return float(max(len(edge_formula_text(g, tail, head, pos, style)), 10 if scalar else 16)), 2.0


def label_boxes(g: Graph, style: Style) -> tuple[list, list]:
    """The label boxes :func:`estimate_size` measures: :func:`node_box` of every node, and
    ``(head, edge_box)`` of every edge with a label.

    Parameters
    ----------
    g : Graph
    style : Style

    Returns
    -------
    (list, list)

    Examples
    --------
    >>> import graphstep as gs
    >>> label_boxes(gs.parse("exp(x)", x=0.5), Style())
    ([(8.0, 3.0), (11.0, 3.0)], [(1, (15.0, 2.0))])
    """
    nodes = [node_box(g, node, style) for node in range(len(g))]
    edges = [(h, box) for t, h, q in g.edges() if (box := edge_box(g, t, h, q, style)) is not None]
    return nodes, edges


def estimate_size(g: Graph, style: Style, across: bool,
                  boxes: tuple[list, list] | None = None) -> tuple[float, float]:
    """The estimated (width, height) of the picture in font sizes.

    Parameters
    ----------
    g : Graph
    style : Style
        The texts shown (values, expressions, edge formulas) and the font.
    across : bool
        True for left to right (ranks are columns), False for top to bottom or bottom
        to top (ranks are rows).
    boxes : (list, list), optional
        :func:`label_boxes` of ``g``, when already measured.

    Returns
    -------
    tuple of float
        (width, height), in units of the font size.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sin(cos(tan(exp(x))))", x=0.1)
    >>> w, h = estimate_size(g, Style(), True)
    >>> w > 3 * h
    True
    """
    rank = ranks(g)
    levels = max(rank) + 1 if rank else 1
    along = [0.0] * levels  # a rank's extent along the flow
    side = [0.0] * levels  # its extent across the flow
    label_along = [0.0] * levels  # the rank of edge labels before rank k
    label_side = [0.0] * levels

    def sizes(width: float, lines: float) -> tuple[float, float]:
        w, h = width * _CHAR + _NODE_PAD[0], lines * _LINE + _NODE_PAD[1]
        return (w, h + _NODE_GAP) if across else (h, w + _NODE_GAP)

    node_boxes, edge_boxes = boxes or label_boxes(g, style)
    for node, box in enumerate(node_boxes):
        a, s = sizes(*box)
        along[rank[node]] = max(along[rank[node]], a)
        side[rank[node]] += s
    for h, box in edge_boxes:
        a, s = sizes(*box)
        label_along[rank[h]] = max(label_along[rank[h]], a)
        label_side[rank[h]] += s
    length = sum(along) + sum(label_along) + _RANK_GAP * (levels - 1)
    breadth = max(max(side), max(label_side)) + _MARGIN
    return (length, breadth) if across else (breadth, length)


def auto_direction(g: Graph, style: Style, boxes: tuple[list, list] | None = None) -> str:
    """The direction ``direction="auto"`` draws ``g`` in: ``"LR"`` or ``"BT"``.

    Left to right while the estimated picture (:func:`estimate_size`) is at most
    :data:`PAGE_WIDTH` font sizes wide or :data:`MAX_ASPECT` times as wide as high;
    otherwise bottom to top (inputs at the bottom) when that is nearer to :data:`PAGE_ASPECT` in log ratio.

    Parameters
    ----------
    g : Graph
    style : Style
    boxes : (list, list), optional
        :func:`label_boxes` of ``g``, when already measured.

    Returns
    -------
    str
        ``"LR"`` or ``"BT"``.

    Examples
    --------
    >>> import graphstep as gs
    >>> chain = gs.parse("sin(cos(tan(exp(sin(cos(tan(exp(x))))))))", x=0.1)
    >>> auto_direction(gs.parse("2*x", x=1.0), Style()), auto_direction(chain, Style())
    ('LR', 'BT')
    """
    boxes = boxes or label_boxes(g, style)
    width, height = estimate_size(g, style, True, boxes)
    if width <= PAGE_WIDTH or width <= MAX_ASPECT * height:
        return "LR"
    tall_w, tall_h = estimate_size(g, style, False, boxes)
    aim = math.log(PAGE_ASPECT)
    if abs(math.log(tall_w / tall_h) - aim) < abs(math.log(width / height) - aim):
        return "BT"
    return "LR"


def resolve_direction(g: Graph, style: Style, boxes: tuple[list, list] | None = None) -> str:
    """The Graphviz ``rankdir`` of a picture: the style's direction, or the automatic one.

    Parameters
    ----------
    g : Graph
    style : Style
    boxes : (list, list), optional
        :func:`label_boxes` of ``g``, when already measured.

    Returns
    -------
    str
        One of ``"LR"``, ``"RL"``, ``"TB"``, ``"BT"``.

    Examples
    --------
    >>> import graphstep as gs
    >>> resolve_direction(gs.parse("2*x", x=1.0), Style(direction="TB"))
    'TB'
    """
    return auto_direction(g, style, boxes) if style.direction == AUTO else style.direction
