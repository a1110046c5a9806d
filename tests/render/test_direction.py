"""direction="auto": the estimate, the rule, the DOT it writes; labels tied to their lines."""

import re

import numpy as np
import pytest

import graphstep as gs
from graphstep import backend
from graphstep.gallery.examples import EXAMPLES
from graphstep.render.direction import (
    MAX_ASPECT,
    PAGE_WIDTH,
    auto_direction,
    estimate_size,
    resolve_direction,
)
from graphstep.render.dot import DENSE_NODES, to_dot
from graphstep.render.style import Style


def scalar_mlp(sizes=(2, 4, 4, 1)):
    """A scalar tanh network, neuron by neuron (2-4-4-1: 104 nodes)."""
    rng = np.random.default_rng(0)
    layer = [gs.var(f"x{i}", float(rng.normal())) for i in range(sizes[0])]
    for k, n in enumerate(sizes[1:], start=1):
        new = []
        for j in range(n):
            s = gs.var(f"b{k}{j}", 0.1 * float(rng.normal()))
            for i, a in enumerate(layer):
                s = s + gs.var(f"w{k}{j}{i}", 0.5 * float(rng.normal())) * a
            new.append(gs.tanh(s))
        layer = new
    return gs.graph(layer[0])


def rankdir(dot: str) -> str:
    return re.search(r"rankdir=(\w+)", dot).group(1)


def test_the_default_is_auto_and_explicit_directions_are_kept():
    assert Style().direction == "auto"
    chain = gs.parse("sin(cos(tan(exp(sin(cos(tan(exp(x))))))))", x=0.1)
    assert rankdir(to_dot(chain)) == "BT"  # a long chain would be a strip
    assert rankdir(to_dot(gs.parse("x * exp(x^2)", x=1.5))) == "LR"  # small: fits a column
    for d in ("LR", "RL", "TB", "BT"):
        assert rankdir(to_dot(chain, style=Style(direction=d))) == d
        assert resolve_direction(chain, Style(direction=d)) == d
    with pytest.raises(gs.InputError, match="auto, LR"):
        Style(direction="up")


def test_the_rule_follows_the_estimate():
    chain = gs.parse("sin(cos(tan(exp(sin(cos(tan(exp(x))))))))", x=0.1)
    width, height = estimate_size(chain, Style(), True)
    assert width > PAGE_WIDTH and width > MAX_ASPECT * height  # 9 ranks, 1 node each
    tall_w, tall_h = estimate_size(chain, Style(), False)
    assert tall_h > tall_w and (tall_w, tall_h) != (width, height)
    # the two-layer network (a strip of 9010x872 px left to right) and the scalar MLP go bottom to top
    assert auto_direction(EXAMPLES["two-layer-tanh"].graph(), Style()) == "BT"
    assert auto_direction(scalar_mlp(), Style()) == "BT"
    # a wide, shallow graph stays left to right: 12 inputs, 2 ranks of nodes
    wide = gs.graph(sum((gs.var(f"a{i}", 1.0) * gs.var(f"b{i}", 2.0) for i in range(12)), gs.var("c", 0.0)))
    w, h = estimate_size(wide, Style(), True)
    assert w <= MAX_ASPECT * h and auto_direction(wide, Style()) == "LR"


def test_every_frame_of_a_walk_has_the_direction_of_its_graph():
    g = EXAMPLES["two-layer-tanh"].graph()
    s = gs.steps(g, mode="reverse")
    assert {rankdir(to_dot(g, s[k])) for k in (0, len(s) // 2, len(s) - 1)} == {"BT"}


def test_edge_labels_have_no_background_and_dense_graphs_tie_them_to_their_edges():
    small = to_dot(gs.parse("x * exp(x^2)", x=1.5))
    edges = [line for line in small.splitlines() if "->" in line and "label=<" in line]
    assert len(edges) == 4 and all('bgcolor="transparent"' in line for line in edges)
    assert 'bgcolor="white"' not in small and "decorate" not in small
    mlp = scalar_mlp()
    assert len(mlp) == 104 >= DENSE_NODES
    dot = to_dot(mlp)
    labelled = [line for line in dot.splitlines() if "->" in line and "label=" in line]
    assert len(labelled) == len(list(mlp.edges())) == 121  # every edge: all come from inputs
    assert all("decorate=true" in line for line in labelled)


@pytest.mark.backend
def test_auto_pictures_are_not_strips(tmp_path):
    g = EXAMPLES["two-layer-tanh"].graph()
    sizes = {}
    for d in ("LR", "auto"):
        svg = backend.run_dot(to_dot(g, style=Style(direction=d)), "svg").decode()
        sizes[d] = backend.svg_size(svg)
    (w_lr, h_lr), (w, h) = sizes["LR"], sizes["auto"]
    assert w_lr > 8 * h_lr  # left to right: a strip
    assert w < h < 2 * w  # auto: bottom to top, about a page
    gs.render(scalar_mlp(), tmp_path / "mlp.svg")
    svg = (tmp_path / "mlp.svg").read_text()
    width, height = backend.svg_size(svg)
    assert width < 2 * height
