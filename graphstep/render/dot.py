"""Pictures of a graph or of one step: (Graph, Step | None, Style) -> Graphviz DOT.

Building a picture is a pure function: :func:`to_digraph` returns a
``graphviz.Digraph`` and :func:`to_dot` its source text; neither runs a process nor
writes a file (:func:`graphstep.render` in :mod:`graphstep.export.image` does). What
the nodes and edges say comes from :mod:`graphstep.render.annotate`, how they look
from :mod:`graphstep.render.style`.

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x^2)", x=1.5)
>>> dot = to_dot(g)
>>> "u₂\u00a0=\u00a0exp(u₁)" in dot and "9.488" in dot
True
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from graphstep.errors import InputError
from graphstep.graph import Graph
from graphstep.render import pinned
from graphstep.render.annotate import (
    Slot,
    annotations,
    caption,
    edge_formula_text,
    expression_text,
    node_kind,
    node_title,
)
from graphstep.render.budget import plan_layout
from graphstep.render.direction import label_boxes, resolve_direction
from graphstep.render.style import (
    ADJOINT_COLOR,
    AUTO,
    EXPR_COLOR,
    TANGENT_COLOR,
    UNKNOWN_COLOR,
    Look,
    LookKind,
    Style,
)
from graphstep.render.tooltips import edge_tooltip, node_tooltip
from graphstep.steps.model import Step

if TYPE_CHECKING:
    import graphviz

__all__ = [
    "to_digraph",
    "to_dot",
    "build_digraph",
    "node_label",
    "edge_label",
    "node_id",
    "edge_id",
    "DENSE_NODES",
    "node_rows",
    "edge_lines",
]


#: From this many nodes on, each edge label is tied to its edge by a line (``decorate``):
#: among many edges a label beside several of them could belong to any.
DENSE_NODES = 40


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


#: One line of a node's label: (text, colour or None, point size or None, bold).
Row = tuple


def _row(text: str, color: str | None = None, size: float | None = None, bold: bool = False) -> str:
    body = _esc(text)
    if bold:
        body = f"<b>{body}</b>"
    attrs = ""
    if color:
        attrs += f' color="{color}"'
    if size:
        attrs += f' point-size="{size:g}"'
    if attrs:
        body = f"<font{attrs}>{body}</font>"
    return f"<tr><td>{body}</td></tr>"


_TABLE = '<table border="0" cellborder="0" cellspacing="0" cellpadding="1"{bg}>{rows}</table>'


def node_rows(g: Graph, node: int, texts: Mapping[Slot, str], style: Style,
              unknown: frozenset = frozenset()) -> list[Row]:
    """The lines of a node's label: its title (bold), its expression, then the given slot
    texts (a slot absent from ``texts`` has no line).

    Parameters
    ----------
    g : Graph
    node : int
    texts : mapping of Slot to str
        As :func:`~graphstep.render.annotate.annotations` makes them.
    style : Style
    unknown : frozenset, optional
        Slots drawn in the colour of unknown values.

    Returns
    -------
    list of (str, str or None, float or None, bool)
        Each line's text, colour, point size (None: the style's) and boldness.

    Examples
    --------
    >>> import graphstep as gs
    >>> node_rows(gs.parse("exp(x)", x=0.0), 1, {("value", 1): "1"}, Style(expressions=False))
    [('u₁\xa0=\xa0exp(x)', None, None, True), ('1', None, None, False)]
    """
    label, definition = node_title(g, node)
    rows: list[Row] = [(f"{label}\u00a0=\u00a0{definition}" if definition else label, None, None, True)]
    if style.expressions:
        expr = expression_text(g, node, definition)
        if expr:
            rows.append((expr, EXPR_COLOR, style.fontsize - 3, False))
    for kind, color in (("value", None), ("adjoint", ADJOINT_COLOR), ("tangent", TANGENT_COLOR)):
        slot = (kind, node)
        if slot in texts:
            rows.append((texts[slot], UNKNOWN_COLOR if slot in unknown else color, None, False))
    return rows


def node_label(g: Graph, node: int, texts: Mapping[Slot, str], style: Style,
               unknown: frozenset = frozenset(), rows: list[Row] | None = None) -> str:
    """The HTML-like label of a node: its :func:`node_rows`, one table row each.

    Parameters
    ----------
    g : Graph
    node : int
    texts : mapping of Slot to str
        As :func:`~graphstep.render.annotate.annotations` makes them.
    style : Style
    unknown : frozenset, optional
        Slots drawn in the colour of unknown values.
    rows : list of Row, optional
        :func:`node_rows` of the node, when already made.

    Returns
    -------
    str
        A Graphviz HTML-like label, ``<<table ...>>``.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("exp(x)", x=0.0)
    >>> label = node_label(g, 1, {("value", 1): "1"}, Style(expressions=False))
    >>> label.startswith("<<table"), label.count("<tr>"), label.endswith("<tr><td>1</td></tr></table>>")
    (True, 2, True)
    """
    if rows is None:
        rows = node_rows(g, node, texts, style, unknown)
    cells = "".join(_row(*row) for row in rows)
    return "<" + _TABLE.format(bg="", rows=cells) + ">"


def edge_label(g: Graph, tail: int, head: int, pos: int, texts: Mapping[Slot, str],
               style: Style, lines: list[str] | None = None) -> str | None:
    """The HTML-like label of an edge (formula, then value), or None for no label.

    Parameters
    ----------
    g : Graph
    tail, head, pos : int
        The edge: ``tail`` is argument ``pos`` of ``head``.
    texts : mapping of Slot to str
        The edge has a label only when ``("local", tail, head, pos)`` is a key.
    style : Style
    lines : list of str, optional
        :func:`edge_lines` of the edge, when already made.

    Returns
    -------
    str or None

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("exp(x)", x=0.0)
    >>> edge_label(g, 0, 1, 0, {}, Style()) is None
    True
    >>> "∂u₁/∂x = exp(x)" in edge_label(g, 0, 1, 0, {("local", 0, 1, 0): "= 1"}, Style())
    True
    """
    if lines is None:
        lines = edge_lines(g, tail, head, pos, texts, style)
    if lines is None:
        return None
    rows = "".join(_row(line, size=style.fontsize - 2) for line in lines)
    # a transparent box: the label never hides a line, and frames still find its centre
    return "<" + _TABLE.format(bg=' bgcolor="transparent"', rows=rows) + ">"


def edge_lines(g: Graph, tail: int, head: int, pos: int, texts: Mapping[Slot, str],
               style: Style) -> list[str] | None:
    """The lines of an edge's label (its formula, then its value), or None for no label.

    Parameters
    ----------
    g : Graph
    tail, head, pos : int
        The edge: ``tail`` is argument ``pos`` of ``head``.
    texts : mapping of Slot to str
        The edge has a label only when ``("local", tail, head, pos)`` is a key.
    style : Style

    Returns
    -------
    list of str or None

    Examples
    --------
    >>> import graphstep as gs
    >>> edge_lines(gs.parse("exp(x)", x=0.0), 0, 1, 0, {("local", 0, 1, 0): "= 1"}, Style())
    ['∂u₁/∂x = exp(x)', '= 1']
    """
    slot = ("local", tail, head, pos)
    if slot not in texts:
        return None
    return [edge_formula_text(g, tail, head, pos, style), texts[slot]]


def node_id(node: int) -> str:
    """The DOT (and SVG) id of a node.

    Parameters
    ----------
    node : int
        A node id.

    Returns
    -------
    str

    Examples
    --------
    >>> node_id(3)
    'n3'
    """
    return f"n{node}"


def edge_id(tail: int, head: int, pos: int) -> str:
    """The DOT (and SVG) id of the edge from ``tail`` to argument ``pos`` of ``head``.

    Parameters
    ----------
    tail, head, pos : int
        The edge: argument ``pos`` of ``head`` is ``tail``.

    Returns
    -------
    str

    Examples
    --------
    >>> edge_id(0, 2, 1)
    'e0_2_1'
    """
    return f"e{tail}_{head}_{pos}"


def _tip(text: str) -> str:
    """A tooltip as a DOT escString: backslashes doubled, lines joined by ``\\n``."""
    return text.replace("\\", "\\\\").replace("\n", "\\n")


_DOT_ID = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)")
_DOT_KEYWORDS = frozenset({"node", "edge", "graph", "digraph", "subgraph", "strict"})
_UNESCAPED_QUOTE = re.compile(r'((?:\\\\)*)\\?"')


def _quote(value: str) -> str:
    """A DOT attribute value as the ``graphviz`` package quotes it: an HTML-like label
    (``<...>``) and a plain ID as they are, anything else in double quotes."""
    if value[:1] == "<" and value[-1:] == ">":
        return value
    if _DOT_ID.fullmatch(value) and value.lower() not in _DOT_KEYWORDS:
        return value
    if '"' in value:
        value = _UNESCAPED_QUOTE.sub(r'\1\\"', value)
    return '"' + value + '"'


def _statement(subject: str, label: str | None, attrs: Mapping[str, str]) -> str:
    """One node or edge line of DOT, byte for byte what ``graphviz.Digraph.node`` and
    ``.edge`` write (the label first, then the attributes sorted), at a fraction of
    their cost: a picture has thousands of attributes.

    >>> _statement("n0", "<<b>x</b>>", {"tooltip": 'say "hi"', "color": "#fff"})
    '\\tn0 [label=<<b>x</b>> color="#fff" tooltip="say \\\\"hi\\\\""]\\n'
    """
    items = [f"label={_quote(label)}"] if label is not None else []
    for key, value in sorted(attrs.items()):
        item = _SHARED.get((key, value))  # colours, pen widths, sizes: the same again and again
        if item is None:
            item = f"{key}={_quote(value)}"
            if key in _SHARED_KEYS:
                if len(_SHARED) > 50_000:  # many pictures in one process: start afresh
                    _SHARED.clear()
                _SHARED[(key, value)] = item
        items.append(item)
    return f"\t{subject} [{' '.join(items)}]\n"


#: The attributes many nodes and edges share, each written once: (key, value) -> text.
_SHARED: dict[tuple[str, str], str] = {}
_SHARED_KEYS = frozenset({"color", "fillcolor", "fontcolor", "penwidth", "width", "height",
                          "fixedsize", "decorate"})


def _look_attrs(look: Look) -> dict[str, str]:
    return {"fillcolor": look.fill, "color": look.stroke, "penwidth": f"{look.penwidth:g}",
            "fontcolor": look.fontcolor}


def _edge_attrs(look: Look) -> dict[str, str]:
    return {"color": look.stroke, "penwidth": f"{look.penwidth:g}", "fontcolor": look.fontcolor}


def build_digraph(g: Graph, texts: Mapping[Slot, str], style: Style, unknown: frozenset = frozenset(),
                  focus_nodes: frozenset = frozenset(), focus_edges: frozenset = frozenset(),
                  lines: list[str] | None = None, main_node: int | None = None) -> graphviz.Digraph:
    """The Digraph of ``g`` with explicit slot texts and highlights (used by
    :func:`to_digraph` and by the frames of :mod:`graphstep.export.svg`).

    Parameters
    ----------
    g : Graph
    texts : mapping of Slot to str
        The annotation texts (see :func:`~graphstep.render.annotate.annotations`).
    style : Style
    unknown : frozenset, optional
        Slots drawn in the colour of unknown values.
    focus_nodes, focus_edges : frozenset, optional
        Highlighted nodes and ``(tail, head, pos)`` edges.
    lines : list of str, optional
        The caption, one line each.
    main_node : int, optional
        The node drawn most strongly (the one a step computes).

    Returns
    -------
    graphviz.Digraph
        Laid out by ``dot``, or, when :func:`graphstep.render.budget.plan_layout` predicts
        too much work for it, with every node and edge placed by
        :func:`graphstep.render.pinned.pin`.

    Raises
    ------
    SizeLimitError
        For a graph of more than :data:`graphstep.render.budget.MAX_DRAWN_NODES` nodes.

    Examples
    --------
    >>> import graphstep as gs
    >>> d = build_digraph(gs.parse("sin(x)", x=0.5), {}, Style(), main_node=1)
    >>> 'fillcolor="#ffc9c9"' in d.source
    True
    """
    import graphviz

    plan = plan_layout(g)
    boxes = label_boxes(g, style) if plan.fast or style.direction == AUTO else None
    direction = resolve_direction(g, style, boxes)
    dot = graphviz.Digraph("graphstep")
    dot.attr(rankdir=direction, bgcolor="white", nodesep="0.3", ranksep="0.45",
             fontname=style.fontname, fontsize=f"{style.fontsize:g}", pad="0.15")
    rows = [node_rows(g, n, texts, style, unknown) for n in range(len(g))]
    pins = None
    if plan.fast:  # Graphviz draws; the geometry is ours (see graphstep.render.pinned)
        dot.attr(layout="nop2", splines="line", outputorder="edgesfirst")
        pins = pinned.pin(g, rows, style, direction, boxes[1])
    dot.attr("node", shape="box", style="rounded,filled", fontname=style.fontname,
             fontsize=f"{style.fontsize:g}", margin="0.12,0.06")
    dot.attr("edge", fontname=style.fontname, fontsize=f"{style.fontsize - 2:g}", arrowsize="0.8")
    statements = []
    for n in range(len(g)):
        kind = (LookKind.MAIN if n == main_node else LookKind.FOCUS if n in focus_nodes
                else node_kind(g, n))
        attrs = _look_attrs(style.look(kind))
        if pins is not None:
            attrs.update(pins.node_attrs(n))
        attrs["id"] = node_id(n)
        attrs["tooltip"] = _tip(node_tooltip(g, n, ("value", n) in texts and ("value", n) not in unknown))
        statements.append(_statement(node_id(n), node_label(g, n, texts, style, unknown, rows[n]), attrs))
    # on the fast path a label sits on the middle of its (straight) edge: no line needed
    dense = len(g) >= DENSE_NODES and pins is None
    for t, h, q in g.edges():
        if (t, h, q) in focus_edges:
            kind = LookKind.FOCUS_EDGE
        else:
            kind = LookKind.EDGE if g.active[t] else LookKind.INACTIVE
        attrs = _edge_attrs(style.look(kind))
        label_lines = edge_lines(g, t, h, q, texts, style)
        if label_lines is None:
            label = None
        elif pins is not None:  # plain centred lines: no table for Graphviz to read and lay out
            label = _tip("\n".join(label_lines))
        else:
            label = edge_label(g, t, h, q, texts, style, label_lines)
        if label is not None:
            if dense:  # underline the label and draw a line to its edge
                attrs["decorate"] = "true"
        shown = ("local", t, h, q) in texts and ("local", t, h, q) not in unknown
        attrs["tooltip"] = _tip(edge_tooltip(g, t, h, q, shown, style.edge_names))
        if label is not None:
            attrs["labeltooltip"] = attrs["tooltip"]
        if pins is not None:
            attrs.update(pins.edge_attrs(t, h, label_lines and pinned.edge_label_size(label_lines, style)))
        attrs["id"] = edge_id(t, h, q)
        statements.append(_statement(f"{node_id(t)} -> {node_id(h)}", label, attrs))
    dot.body.extend(statements)
    if lines:
        dot.attr(label="\n".join(line.replace("\\", "\\\\") for line in lines) + "\n",
                 labelloc="b", labeljust="c")
    return dot


def to_digraph(g: Graph, step: Step | None = None, style: Style | None = None) -> graphviz.Digraph:
    """The picture of ``g`` (at ``step``, if given) as a ``graphviz.Digraph``; runs nothing.

    Highlighted nodes and edges get the ``focus`` looks; the caption is the step's
    title and sentence.

    Parameters
    ----------
    g : Graph
    step : Step, optional
    style : Style, optional

    Returns
    -------
    graphviz.Digraph

    Raises
    ------
    InputError
        When ``g`` is not a Graph.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sin(x)", x=0.5)
    >>> d = to_digraph(g, style=Style(direction="BT"))
    >>> "rankdir=BT" in d.source
    True
    """
    if not isinstance(g, Graph):
        raise InputError(f"to_digraph needs a Graph, got {type(g).__name__}")
    style = style or Style()
    a = annotations(g, step, style)
    lines = caption(a.title, a.text) if step is not None else None
    return build_digraph(g, a.texts, style, a.unknown, a.focus_nodes, a.focus_edges, lines,
                         a.main_node)


def to_dot(g: Graph, step: Step | None = None, style: Style | None = None) -> str:
    """The DOT source of :func:`to_digraph` (a pure function).

    Parameters
    ----------
    g : Graph
    step : Step, optional
    style : Style, optional

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> to_dot(gs.parse("2*x", x=1.0)).startswith("digraph")
    True
    """
    return to_digraph(g, step, style).source
