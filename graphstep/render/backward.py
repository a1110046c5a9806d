"""Pictures of the backward pass: the forward graph beside its adjoint graph, and the
forward graph with the values the backward pass caches marked "saved".

Both compose on the functions of :mod:`graphstep.render.dot` (node labels, ids, looks)
and, like them, build DOT text without running a process.

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x^2)", x=1.5)
>>> dot = backward_dot(g, "x")
>>> "cluster_forward" in dot and "cluster_backward" in dot and "x̄" in dot
True
>>> "saved · 8 B" in saved_dot(g)
True
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from graphstep.algorithms.backward_graph import ADJOINT, BackwardGraph, backward_graph
from graphstep.algorithms.memory import byte_text, saved
from graphstep.errors import InputError
from graphstep.graph import Graph
from graphstep.ops.table import CONST
from graphstep.render.annotate import annotations, node_kind
from graphstep.render.direction import resolve_direction
from graphstep.render.dot import edge_id, edge_label, node_id, node_label, to_digraph
from graphstep.render.style import Look, Style
from graphstep.text import pretty

if TYPE_CHECKING:
    import graphviz

__all__ = ["backward_digraph", "backward_dot", "saved_digraph", "saved_dot", "ADJOINT_LOOK",
           "READ_EDGE", "SAVED_LOOK", "adjoint_id"]

#: How an adjoint node is drawn (the second colour of the combined picture).
ADJOINT_LOOK = Look(fill="#fff4e6", stroke="#d9480f", penwidth=1.4, fontcolor="#212529")
#: An edge from a forward value into a node of the backward pass (a value it reads).
READ_EDGE = Look(stroke="#7048e8", penwidth=1.3, fontcolor="#5f3dc4")
#: The outline of a value the backward pass caches, and the colour of its badge.
SAVED_LOOK = Look(fill="#f3f0ff", stroke="#7048e8", penwidth=2.6, fontcolor="#5f3dc4")

_LEGEND = ("grey frame: the forward pass · orange: the backward pass, each adjoint built from the op "
           "table's rules · violet dashed: a forward value the backward pass reads")


def adjoint_id(node: int) -> str:
    """The DOT id of node ``node`` of the backward graph in the combined picture.

    Parameters
    ----------
    node : int

    Returns
    -------
    str

    Examples
    --------
    >>> adjoint_id(4)
    'b4'
    """
    return f"b{node}"


def _attrs(look: Look, **more: str) -> dict[str, str]:
    return {"fillcolor": look.fill, "color": look.stroke, "penwidth": f"{look.penwidth:g}",
            "fontcolor": look.fontcolor, **more}


def _badge(label: str, text: str) -> str:
    """``label`` (an HTML-like ``<<table ...>>``) with one more row: ``text`` in the saved colour."""
    row = (f'<tr><td><font color="{SAVED_LOOK.fontcolor}"><b>{html.escape(text)}</b>'
           f"</font></td></tr>")
    return label[: -len("</table>>")] + row + "</table>>"


def backward_digraph(g: Graph, wrt: str | None = None, style: Style | None = None,
                     saved_badges: bool = False) -> graphviz.Digraph:
    """The forward graph and its adjoint graph in one picture.

    The forward graph is drawn as usual on one side; the nodes of
    :func:`~graphstep.algorithms.backward_graph.backward_graph` on the other, in a second
    colour, with violet dashed edges from the forward values they read.

    Parameters
    ----------
    g : Graph
        The forward graph (a :class:`BackwardGraph` is drawn beside its own forward graph).
    wrt : str, optional
        The input (may be omitted when ``g`` has one input).
    style : Style, optional
    saved_badges : bool, optional
        Also mark the cached forward values (see :func:`saved_digraph`).

    Returns
    -------
    graphviz.Digraph

    Raises
    ------
    InputError
        For a target that is not a graph, or an input that is not named.

    Examples
    --------
    >>> import graphstep as gs
    >>> d = backward_digraph(gs.parse("sin(x)", x=0.5))
    >>> 'b1 [' in d.source and 'n0 -> b1' in d.source
    True
    """
    import graphviz

    if not isinstance(g, Graph):
        raise InputError(f"a backward picture needs a Graph, got {type(g).__name__}")
    b = g if isinstance(g, BackwardGraph) else backward_graph(g, wrt)
    g = b.forward
    style = style or Style()
    forward_texts = annotations(g, None, style).texts
    backward_texts = annotations(b, None, style).texts
    cached = {s.node: s for s in saved(g, b.wrt)} if saved_badges else {}
    dot = graphviz.Digraph("graphstep")
    dot.attr(rankdir=resolve_direction(g, style), bgcolor="white", nodesep="0.3",
             ranksep="0.45", fontname=style.fontname, fontsize=f"{style.fontsize:g}", pad="0.15",
             newrank="true", compound="true")
    dot.attr("node", shape="box", style="rounded,filled", fontname=style.fontname,
             fontsize=f"{style.fontsize:g}", margin="0.12,0.06")
    dot.attr("edge", fontname=style.fontname, fontsize=f"{style.fontsize - 2:g}", arrowsize="0.8")
    with dot.subgraph(name="cluster_forward") as side:
        side.attr(label="forward pass", style="rounded", color="#ced4da", fontcolor="#495057")
        for n in range(len(g)):
            attrs = _attrs(style.look(node_kind(g, n)))
            label = node_label(g, n, forward_texts, style)
            if n in cached:
                attrs.update(_attrs(SAVED_LOOK, fillcolor=attrs["fillcolor"]))
                label = _badge(label, f"saved · {byte_text(cached[n].nbytes)}")
            side.node(node_id(n), label=label, id=node_id(n), **attrs)
    with dot.subgraph(name="cluster_backward") as side:
        side.attr(label=f"backward pass: {pretty(b.label(b.output))} = "
                        f"∂{pretty(g.label(g.output))}/∂{pretty(b.wrt)}",
                  style="rounded", color="#ffc078", fontcolor="#d9480f")
        for n in range(len(b)):
            if b.roles[n] != ADJOINT:
                continue
            look = style.look("const") if b.op(n) == CONST else ADJOINT_LOOK
            extra = {"penwidth": "2.6"} if n == b.output else {}
            side.node(adjoint_id(n), label=node_label(b, n, backward_texts, style),
                      id=adjoint_id(n), **_attrs(look, **extra))
    for t, h, q in g.edges():
        look = style.look("edge" if g.active[t] else "inactive")
        attrs = {"color": look.stroke, "penwidth": f"{look.penwidth:g}", "fontcolor": look.fontcolor}
        label = edge_label(g, t, h, q, forward_texts, style)
        if label is not None:
            attrs["label"] = label
        dot.edge(node_id(t), node_id(h), id=edge_id(t, h, q), **attrs)
    for t, h, q in b.edges():
        if b.roles[h] != ADJOINT:  # a forward edge: drawn above
            continue
        if t in b.forward_node:
            tail, look, dash = node_id(b.forward_node[t]), READ_EDGE, "dashed"
        else:
            tail, look, dash = adjoint_id(t), ADJOINT_LOOK, "solid"
        dot.edge(tail, adjoint_id(h), id="b" + edge_id(t, h, q), style=dash, color=look.stroke,
                 penwidth=f"{look.penwidth:g}")
    dot.attr(label=_LEGEND + "\n", labelloc="b", labeljust="c")
    return dot


def backward_dot(g: Graph, wrt: str | None = None, style: Style | None = None,
                 saved_badges: bool = False) -> str:
    """The DOT source of :func:`backward_digraph`.

    Parameters
    ----------
    g : Graph
    wrt : str, optional
    style : Style, optional
    saved_badges : bool, optional

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> backward_dot(gs.parse("x^3", x=2.0)).startswith("digraph")
    True
    """
    return backward_digraph(g, wrt, style, saved_badges).source


def saved_digraph(g: Graph, style: Style | None = None, wrt: str | None = None) -> graphviz.Digraph:
    """The forward graph with each value the backward pass reads outlined and badged.

    The outline is thick and violet (solid: graphviz-pure misplaces the label of a dashed
    node with an HTML-like label), the badge says "saved" and the value's size.

    Parameters
    ----------
    g : Graph
    style : Style, optional
    wrt : str, optional
        Only the gradient of this input is wanted (all inputs by default).

    Returns
    -------
    graphviz.Digraph

    Examples
    --------
    >>> import graphstep as gs
    >>> d = saved_digraph(gs.parse("exp(x) + x", x=0.0))
    >>> d.source.count("saved · 8 B")                 # exp reads its own output; + reads nothing
    1
    """
    style = style or Style()
    dot = to_digraph(g, style=style)
    badges = {f"\t{node_id(s.node)} [": f"saved · {byte_text(s.nbytes)}" for s in saved(g, wrt)}
    for i, line in enumerate(dot.body):  # each node's one statement, badge and outline added
        start = line[: line.find("[") + 1]
        if start in badges:
            end = line.index("</table>>") + len("</table>>")
            rest = re.sub(r' color="?[^" ]*"?', f' color="{SAVED_LOOK.stroke}"', line[end:], count=1)
            rest = re.sub(r" penwidth=\"?[0-9.]+\"?", f" penwidth={SAVED_LOOK.penwidth:g}", rest, count=1)
            dot.body[i] = _badge(line[:end], badges[start]) + rest
    return dot


def saved_dot(g: Graph, style: Style | None = None, wrt: str | None = None) -> str:
    """The DOT source of :func:`saved_digraph`.

    Parameters
    ----------
    g : Graph
    style : Style, optional
    wrt : str, optional

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> "saved" in saved_dot(gs.parse("sin(x)", x=1.0))
    True
    """
    return saved_digraph(g, style, wrt).source
