"""Tooltips: the full value and expression of every node and edge, for SVG ``<title>``.

A picture writes a large array as ``4×3 in [-1.3, 0.91]`` and cuts long expressions;
hovering a node or an edge shows what was left out: the node's definition, its whole
sub-expression and its value in full (arrays up to :data:`TOOLTIP_SIZE` entries, then a
summary); an edge's local derivative as a formula and as a value. Graphviz writes the
text as the ``xlink:title`` of the node's or edge's link, which browsers show on hover.

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x^2)", x=1.5)
>>> print(node_tooltip(g, 3))
u₂ = exp(u₁)
= exp(x²)
value: 9.48774
>>> print(edge_tooltip(g, 2, 3, 0))
∂u₂/∂u₁ = exp(u₁)
= 9.48774
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphstep.graph import Graph
from graphstep.ops.table import CONST, INPUT
from graphstep.render.annotate import node_title
from graphstep.text import ellipsize, jacobian_text, number, pretty, shape_text

__all__ = ["TOOLTIP_SIZE", "EXPR_TOOLTIP_LIMIT", "full_value", "node_tooltip", "edge_tooltip", "unwrap_links"]

#: Arrays with at most this many entries are written out in full in a tooltip.
TOOLTIP_SIZE = 64
#: Longest expression written in a tooltip (a 100-node network's is thousands long).
EXPR_TOOLTIP_LIMIT = 600


def _is_jacobian(value: Any) -> bool:
    return not isinstance(value, (float, int, np.ndarray)) and hasattr(value, "in_shape")


def full_value(value: Any, limit: int = TOOLTIP_SIZE) -> str:
    """A value in full for a tooltip: a number to 6 digits, an array of at most ``limit``
    entries written out (rows on lines), a larger one summarised by its shape, range,
    mean and first entries; a structured Jacobian by its size, kind and shapes, and its
    matrix when that is small.

    Parameters
    ----------
    value : float, array, JacobianLike or None
    limit : int
        The most entries written out.

    Returns
    -------
    str
        ``""`` for None.

    Examples
    --------
    >>> full_value(9.487735836358526)
    '9.48774'
    >>> print(full_value(np.arange(6.0).reshape(2, 3) / 4))
    2×3 array
    [[0, 0.25, 0.5],
     [0.75, 1, 1.25]]
    >>> print(full_value(np.arange(100.0), limit=10))
    (100,) array, entries from 0 to 99, mean 49.5
    first: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, …
    >>> from graphstep.ops.jacobians import Diagonal
    >>> print(full_value(Diagonal(np.array([1.0, 2.0]), "diag(x)")))
    2×2 diagonal Jacobian [(2,)←(2,)]
    [[1, 0],
     [0, 2]]
    """
    if value is None:
        return ""
    if type(value) is float:  # most values of most graphs: no numpy call
        return number(value, 6)
    if _is_jacobian(value):
        rows, cols = value.shape
        text = f"{rows}×{cols} {value.kind} Jacobian {jacobian_text(value, formula=False)}"
        if rows * cols <= limit and hasattr(value, "dense"):
            text += "\n" + full_value(value.dense(), limit).split("\n", 1)[-1]
        return text
    if np.ndim(value) == 0:
        return number(value, 6)
    array = np.asarray(value, dtype=float)
    head = f"{shape_text(array.shape)} array"
    if array.size == 0:
        return f"{head} (empty)"
    if array.size <= limit:
        body = np.array2string(array, separator=", ", max_line_width=72, threshold=limit + 1,
                               formatter={"float_kind": lambda v: number(v, 6)})
        return f"{head}\n{body}"
    finite = array[np.isfinite(array)]
    bad = "" if finite.size == array.size else f", {array.size - finite.size} not finite"
    if finite.size == 0:
        return f"{head}, no finite entry"
    first = ", ".join(number(v, 6) for v in array.ravel()[:10])
    return (f"{head}, entries from {number(finite.min(), 6)} to {number(finite.max(), 6)}, "
            f"mean {number(finite.mean(), 6)}{bad}\nfirst: {first}, …")


def node_tooltip(g: Graph, node: int, value: bool = True) -> str:
    """A node's tooltip: its definition, its whole expression and its value in full.

    Parameters
    ----------
    g : Graph
    node : int
    value : bool, optional
        Whether to write the value (not when the picture hides it or the step has not
        computed it yet).

    Returns
    -------
    str
        Lines separated by ``\\n``.

    Examples
    --------
    >>> import graphstep as gs
    >>> print(node_tooltip(gs.parse("sum(W)", W=np.eye(2)), 0))
    W (input)
    value: 2×2 array
    [[1, 0],
     [0, 1]]
    """
    label, definition = node_title(g, node)
    op = g.op(node)
    if op == INPUT:
        lines = [f"{label} (input)"]
    elif op == CONST:
        lines = [f"{label} (constant)"]
    else:
        lines = [f"{label} = {definition}"]
        expr = ellipsize(pretty(g.expr(node)), EXPR_TOOLTIP_LIMIT)
        if expr != definition:
            lines.append(f"= {expr}")
    if value:
        lines.append(f"value: {full_value(g.value_of(node))}")
    return "\n".join(lines)


def edge_tooltip(g: Graph, tail: int, head: int, pos: int, value: bool = True,
                 named: bool = True) -> str:
    """An edge's tooltip: its local derivative as a named formula and as a value.

    Parameters
    ----------
    g : Graph
    tail, head, pos : int
        The edge: ``tail`` is argument ``pos`` of ``head``.
    value : bool, optional
        Whether to write the local derivative (not when the picture hides it).
    named : bool, optional
        Whether to name it ``∂u₁/∂x`` (``Style.edge_names``).

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> print(edge_tooltip(gs.parse("x * y", x=2.0, y=3.0), 0, 2, 0))
    ∂u₁/∂x = y
    = 3
    """
    name = f"∂{pretty(g.label(head))}/∂{pretty(g.label(tail))}"
    if not value:
        return name if named else f"{pretty(g.label(tail))} → {pretty(g.label(head))}"
    formula = ellipsize(pretty(g.edge_formula(head, pos)), EXPR_TOOLTIP_LIMIT)
    return f"{name + ' = ' if named else ''}{formula}\n= {full_value(g.local(head, pos))}"


def unwrap_links(root: Any) -> Any:
    """Move each tooltip Graphviz wrote as a link (``<g id="a_n0"><a xlink:title=...>``)
    into its node's or edge's ``<title>`` and put the link's children in its place.

    The shapes are then direct children of their node's group again (a style sheet may
    select ``.gs-n>.gs-shape``), and browsers show the ``<title>`` on hover.

    Parameters
    ----------
    root : xml.etree.ElementTree.Element
        Graphviz's SVG with plain tag names (``g``, ``a``, ``title``) and ``xlink:title``.

    Returns
    -------
    Element
        ``root``, changed in place.

    Examples
    --------
    >>> import xml.etree.ElementTree as ET
    >>> root = ET.fromstring('<svg><g id="n0"><title>n0</title><g id="a_n0">'
    ...                      '<a xlink:title="x = 1"><path/><text>x</text></a></g></g></svg>'
    ...                      .replace("xlink:", ""))
    >>> for a in root.iter("a"):
    ...     a.attrib = {"xlink:title": a.attrib.pop("title")}
    >>> ET.tostring(unwrap_links(root), encoding="unicode")
    '<svg><g id="n0"><title>x = 1</title><path /><text>x</text></g></svg>'
    >>> bare = ET.fromstring('<svg><g id="e0"><g id="a_e0"><a><path/></a></g></g></svg>')
    >>> bare.find("g/g/a").attrib["xlink:title"] = "∂u₁/∂x = 3"
    >>> ET.tostring(unwrap_links(bare), encoding="unicode")
    '<svg><g id="e0"><title>∂u₁/∂x = 3</title><path /></g></svg>'
    """
    for group in list(root.iter("g")):
        for wrapper in [c for c in group if c.tag == "g" and c.get("id", "").startswith("a_")]:
            link = next((c for c in wrapper if c.tag == "a"), None)
            if link is None:
                continue
            at = list(group).index(wrapper)
            group.remove(wrapper)
            for k, child in enumerate(list(link)):
                group.insert(at + k, child)
            tip = link.get("xlink:title")
            if not tip:
                continue
            title = next((c for c in group if c.tag == "title"), None)
            if title is None:  # clean_svg drops Graphviz's own titles (the ids n0, n1...)
                title = root.makeelement("title", {})
                group.insert(0, title)
            title.text = tip
    return root
