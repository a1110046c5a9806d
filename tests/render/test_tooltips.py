"""Tooltips: every node and edge carries its full value and expression (issue 10), in a
static picture, in the frames and in the player; the player opens at the current step."""

from __future__ import annotations

import re

import numpy as np
import pytest

import graphstep as gs
from graphstep.render.dot import to_dot
from graphstep.render.style import Style
from graphstep.render.tooltips import TOOLTIP_SIZE, edge_tooltip, full_value, node_tooltip


def test_full_values_in_full_up_to_the_limit_then_a_summary():
    assert full_value(None) == "" and full_value(1 / 3) == "0.333333"
    small = np.arange(12.0).reshape(4, 3) / 8  # a picture writes "4×3 in [0, 1.375]"
    assert full_value(small) == ("4×3 array\n[[0, 0.125, 0.25],\n [0.375, 0.5, 0.625],\n"
                                 " [0.75, 0.875, 1],\n [1.125, 1.25, 1.375]]")
    big = np.linspace(-1.0, 1.0, TOOLTIP_SIZE + 1)
    assert full_value(big) == ("(65,) array, entries from -1 to 1, mean 0\n"
                               "first: -1, -0.96875, -0.9375, -0.90625, -0.875, -0.84375, -0.8125, "
                               "-0.78125, -0.75, -0.71875, …")
    assert full_value(np.array([np.inf, 1.0] * 40)).endswith("40 not finite\nfirst: inf, 1, inf, 1, "
                                                              "inf, 1, inf, 1, inf, 1, …")


def test_node_and_edge_tooltips_of_a_tensor_graph():
    W = np.arange(6.0).reshape(2, 3) / 5
    g = gs.parse("sum(tanh(W @ x))", W=W, x=np.ones(3))
    assert node_tooltip(g, 0) == "W (input)\nvalue: 2×3 array\n[[0, 0.2, 0.4],\n [0.6, 0.8, 1]]"
    u2 = np.tanh(W @ np.ones(3))
    assert node_tooltip(g, 3) == (f"u₂ = tanh(u₁)\n= tanh(W @ x)\nvalue: (2,) array\n"
                                  f"[{u2[0]:.6g}, {u2[1]:.6g}]")
    assert node_tooltip(g, 3, value=False) == "u₂ = tanh(u₁)\n= tanh(W @ x)"
    d = 1 - u2**2
    assert edge_tooltip(g, 2, 3, 0) == (f"∂u₂/∂u₁ = diag(1 - u₂²)\n= 2×2 diagonal Jacobian [(2,)←(2,)]\n"
                                        f"[[{d[0]:.6g}, 0],\n [0, {d[1]:.6g}]]")
    assert edge_tooltip(g, 2, 3, 0, value=False) == "∂u₂/∂u₁"


def titles(svg_text: str) -> list[str]:
    """The tooltips: Graphviz's link titles, or (frames, player) the groups' <title>s."""
    found = re.findall(r'xlink:title="([^"]*)"', svg_text)
    return found + [t.replace("\n", "&#10;") for t in re.findall(r"<title>([^<]*)</title>", svg_text)]


@pytest.mark.backend
def test_pictures_frames_and_the_player_carry_the_tooltips(tmp_path):
    g = gs.parse("x * exp(x^2)", x=1.5)
    picture = gs.render(g, tmp_path / "g.svg").read_text()
    nodes, edges = len(g), len(list(g.edges()))
    shown = titles(picture)
    assert "u₂ = exp(u₁)&#10;= exp(x²)&#10;value: 9.48774" in shown
    assert "∂u₂/∂u₁ = exp(u₁)&#10;= 9.48774" in shown
    assert len({t for t in shown if t.startswith("∂")}) == edges and len(shown) >= nodes + edges
    s = gs.steps(g, "reverse")
    frame = s.save_all(tmp_path / "frames")[-1].read_text()
    assert "u₃ = x·u₂&#10;= x·exp(x²)&#10;value: 14.2316" in titles(frame)
    assert "<a " not in frame  # the links are unwrapped: shapes are their group's children
    assert re.search(r'<g id="n4" class="[^"]*">\s*<title>u₃ = x·u₂\n', frame)
    s.goto(2)
    page = s.to_html(tmp_path / "p.html").read_text()
    assert "u₃ = x·u₂&#10;= x·exp(x²)&#10;value: 14.2316" in titles(page)
    assert "∂u₃/∂x = u₂&#10;= 9.48774" in titles(page)
    assert 'data-start="2"' in page  # s.goto(2) before to_html: the player opens at step 3
    assert f'<div class="gs-title">{s.current.title.replace("1", "₁")}</div>' in page


def test_hidden_or_unknown_values_stay_out_of_the_tooltips():
    g = gs.parse("x * exp(x^2)", x=1.5)
    assert "14.23" in to_dot(g) and "14.23" not in to_dot(g, style=Style(values=False))
    first = gs.steps(g, "forward")[0]  # only x is known at the first forward step
    dot = to_dot(g, first)
    assert 'tooltip="x (input)\\nvalue: 1.5"' in dot and "14.23" not in dot
    plain = to_dot(g, style=Style(edge_names=False))
    assert 'tooltip="u₂\\n= 9.48774"' in plain and "∂" not in plain
