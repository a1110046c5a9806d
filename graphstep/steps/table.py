"""The terminal table of a step: one row per node with its expression, value and adjoint or tangent.

Printing a :class:`~graphstep.steps.model.Step` shows its sentence and this table; a
graph with more than :data:`TABLE_ROWS` nodes shows only the step's focus and its
neighbours.

>>> import graphstep as gs
>>> g = gs.parse("sin(x)", x=0.0)
>>> print(node_table(g, {0: 0.0, 1: 0.0}, focus_nodes=(1, 0), extra=("adjoint", {1: 1.0})))
node  expr    value  adjoint
· x   x       0
▶ u₁  sin(x)  0      1
(▶ the node this step is about, · the other nodes it uses)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graphstep.graph import Graph
from graphstep.text import describe_value, ellipsize, pretty

__all__ = ["node_table", "TABLE_ROWS", "LEGEND"]

#: Graphs with at most this many nodes print every node in the step table.
TABLE_ROWS = 24
#: The line under a table that marks nodes, explaining the marks.
LEGEND = "(▶ the node this step is about, · the other nodes it uses)"


def _cell(v: Any, width: int = 30) -> str:
    return ellipsize(describe_value(v, compact=True), width)


def node_table(
    g: Graph,
    values: Mapping[int, Any],
    focus_nodes: Sequence[int] = (),
    focus_edges: Sequence[tuple[int, int, int]] = (),
    extra: tuple[str, Mapping[int, Any]] | None = None,
) -> str:
    """A compact table of the nodes: label, expression, value and one more column as known.

    Parameters
    ----------
    g : Graph
        The graph whose nodes are listed.
    values : Mapping
        The values known at this step, by node id (other nodes show an empty cell).
    focus_nodes : sequence of int
        The step's focus: its first node is marked ``▶``, the others ``·``; a table with
        marks ends with :data:`LEGEND`.
    focus_edges : sequence of (tail, head, pos)
        The step's edges; with more than :data:`TABLE_ROWS` nodes, their ends are shown.
    extra : (str, Mapping), optional
        A fourth column's title and its entries by node id (``("adjoint", adjoints)``).

    Returns
    -------
    str
        The table, one line per row, columns padded to their widest cell.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("x * y", x=2.0, y=3.0)
    >>> print(node_table(g, {0: 2.0, 1: 3.0}, focus_nodes=(0,)))
    node  expr  value
    ▶ x   x     2
      y   y     3
      u₁  x·y
    (▶ the node this step is about, · the other nodes it uses)
    """
    n = len(g)
    if n <= TABLE_ROWS:
        rows = list(range(n))
    else:
        near = set(focus_nodes[:TABLE_ROWS])
        for tail, head, _ in focus_edges[: TABLE_ROWS]:
            near.update((tail, head))
        near.add(g.output)
        rows = sorted(near)[: TABLE_ROWS]
    columns = ["node", "expr", "value"]
    if extra is not None:
        columns.append(extra[0])
    focus = set(focus_nodes)
    lines = []
    for node in rows:
        mark = "▶" if focus_nodes and node == focus_nodes[0] else ("·" if node in focus else " ")
        cells = [f"{mark} {pretty(g.label(node))}", ellipsize(pretty(g.expr(node)), 30),
                 _cell(values[node]) if node in values else ""]
        if extra is not None:
            known = extra[1]
            cells.append(_cell(known[node]) if node in known else "")
        lines.append(cells)
    widths = [max(len(columns[i]), *(len(r[i]) for r in lines)) for i in range(len(columns))]
    out = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in lines]
    if len(rows) < n:
        out.append(f"(showing {len(rows)} of {n} nodes: the focus and its neighbours)")
    if focus:
        out.append(LEGEND)
    return "\n".join(out)
