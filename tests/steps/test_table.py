"""graphstep.steps.table: the terminal table of a step."""

from __future__ import annotations

import numpy as np

import graphstep as gs
from graphstep.steps.table import LEGEND, TABLE_ROWS, node_table
from graphstep.text import pretty


def test_a_small_graph_lists_every_node_with_the_focus_marked():
    g = gs.parse("x * exp(x^2)", x=1.5)  # x, 2, u1, u2, u3
    values = {n: g.value_of(n) for n in range(len(g))}
    table = node_table(g, values, focus_nodes=(3, 2), extra=("adjoint", {4: 1.0, 3: 1.5}))
    assert table.splitlines() == [
        "node  expr       value  adjoint",
        "  x   x          1.5",
        "  2   2          2",
        "· u₁  x²         2.25",
        "▶ u₂  exp(x²)    9.488  1.5",
        "  u₃  x·exp(x²)  14.23  1",
        "(▶ the node this step is about, · the other nodes it uses)",
    ]
    assert LEGEND not in node_table(g, values)  # no marks, no legend


def test_arrays_are_shown_compactly_and_unknown_values_left_empty():
    g = gs.parse("sum(v * w)", v=np.arange(4.0), w=[1.0, 2.0, 3.0, 4.0])  # v, w, u1, u2
    table = node_table(g, {0: g.value_of(0), 2: g.value_of(2)}, focus_nodes=(2, 0))
    assert table.splitlines() == [
        "node  expr      value",
        "· v   v         (4,) in [0, 3]",
        "  w   w",
        "▶ u₁  v·w       (4,) in [0, 12]",
        "  u₂  sum(v·w)",
        LEGEND,
    ]


def test_a_large_graph_shows_the_focus_and_its_neighbours():
    n = 40
    g = gs.parse(" + ".join(f"sin({k}*x)" for k in range(1, n)), x=0.1)
    assert len(g) > TABLE_ROWS
    head = len(g) // 2
    table = node_table(g, {}, focus_nodes=(head,), focus_edges=((0, head, 1),)).splitlines()
    shown = [line[2:].split()[0] for line in table[1:-2]]
    assert shown == [pretty(g.label(n)) for n in (0, head, g.output)]
    assert table[-2:] == [f"(showing 3 of {len(g)} nodes: the focus and its neighbours)", LEGEND]


X = 1.5


def test_printing(g):
    s = gs.steps(g, "reverse")
    s.goto(2)
    text = str(s)
    assert text.startswith("reverse steps of x * exp(x^2): step 3 of 5 (index 2)")
    assert "ū₁ = ū₂ · exp(u₁) = 1.5 · 9.488 = 14.23" in text
    lines = text.splitlines()
    assert lines[2].split() == ["node", "expr", "value", "adjoint"]
    row = {line[2:].split()[0].translate(str.maketrans("₀₁₂₃", "0123")): line for line in lines[3:-1]}
    assert row["u1"].startswith("▶") and "14.23" in row["u1"]
    assert row["u2"].split()[-2:] == ["9.488", "1.5"]  # value and adjoint
    assert row["x"].split()[-2:] == ["x", "1.5"]  # x's value; its adjoint is not known yet
    assert row["u2"].startswith("·") and row["u3"].startswith(" ")  # ū1 reads ū2 only
    assert repr(s) == text and repr(s.current) == str(s.current)
    assert str(s.current).startswith(pretty(s.current.text))
    forward_mode = str(gs.steps(g, "forward-mode").goto(-1))
    assert "tangent" in forward_mode.splitlines()[1]


def test_printing_a_large_graph_shows_the_neighbourhood():
    x = gs.var("x", 0.3)
    u = x
    for _ in range(100):
        u = gs.tanh(u * 0.9 + 0.1)
    g = gs.graph(u)
    assert len(g) == 501
    s = gs.steps(g, "reverse")
    s.goto(50)
    text = str(s)
    assert "(showing" in text and "of 501 nodes" in text
    assert len(text.splitlines()) < 40
