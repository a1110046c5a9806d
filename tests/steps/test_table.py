"""graphstep.steps.table: the terminal table of a step."""

from __future__ import annotations

import numpy as np

import graphstep as gs
from graphstep.steps.table import TABLE_ROWS, node_table


def test_a_small_graph_lists_every_node_with_the_focus_marked():
    g = gs.parse("x * exp(x^2)", x=1.5)  # x, 2, u1, u2, u3
    values = {n: g.value_of(n) for n in range(len(g))}
    table = node_table(g, values, focus_nodes=(3, 2), extra=("adjoint", {4: 1.0, 3: 1.5}))
    assert table.splitlines() == [
        "node  expr          value  adjoint",
        "  x   x             1.5",
        "  2   2             2",
        "· u1  x^2           2.25",
        "▶ u2  exp(x^2)      9.488  1.5",
        "  u3  x * exp(x^2)  14.23  1",
    ]


def test_arrays_are_shown_compactly_and_unknown_values_left_empty():
    g = gs.parse("sum(v * w)", v=np.arange(4.0), w=[1.0, 2.0, 3.0, 4.0])  # v, w, u1, u2
    table = node_table(g, {0: g.value_of(0), 2: g.value_of(2)}, focus_nodes=(2, 0))
    assert table.splitlines() == [
        "node  expr        value",
        "· v   v           (4,) in [0, 3]",
        "  w   w",
        "▶ u1  v * w       (4,) in [0, 12]",
        "  u2  sum(v * w)",
    ]


def test_a_large_graph_shows_the_focus_and_its_neighbours():
    n = 40
    g = gs.parse(" + ".join(f"sin({k}*x)" for k in range(1, n)), x=0.1)
    assert len(g) > TABLE_ROWS
    head = len(g) // 2
    table = node_table(g, {}, focus_nodes=(head,), focus_edges=((0, head, 1),)).splitlines()
    shown = [line[2:].split()[0] for line in table[1:-1]]
    assert shown == [g.label(0), g.label(head), g.label(g.output)]
    assert table[-1] == f"(showing 3 of {len(g)} nodes: the focus and its neighbours)"
