"""graphstep.render.style: Style, Look, the kinds and directions."""

from __future__ import annotations

import pytest
from support import node_line

import graphstep as gs
from graphstep.render import style as rendering
from graphstep.render.dot import to_dot
from graphstep.render.style import (
    DEFAULT_LOOKS,
    DIRECTIONS,
    Direction,
    Look,
    LookKind,
    Style,
    with_direction,
)


def test_kinds_equal_their_public_strings():
    assert DIRECTIONS == ("LR", "RL", "TB", "BT") == tuple(Direction)
    assert set(DEFAULT_LOOKS) == {k.value for k in LookKind}
    assert f"gs-{LookKind.FOCUS_EDGE}" == "gs-focus-edge" and str(Direction.BT) == "BT"
    assert Style().look(LookKind.MAIN) == Style().look("main") == Look("#ffc9c9", "#c92a2a", 4.2)


def test_looks_override_only_what_they_name():
    style = Style(looks={LookKind.INPUT: Look(fill="#123456")})
    assert style.look("input").fill == "#123456"
    assert style.look("const") == DEFAULT_LOOKS["const"]
    assert style == Style(looks={"input": Look(fill="#123456")})
    with pytest.raises(gs.InputError, match=r"unknown look kind\(s\) \['nodes'\]"):
        Style(looks={"nodes": Look()})


@pytest.mark.parametrize("bad", [{"direction": "up"}, {"precision": 0}, {"precision": 2.5}])
def test_style_checks_its_options(bad):
    with pytest.raises(gs.InputError):
        Style(**bad)


def test_with_direction():
    bt = Style(direction="BT", precision=3)
    assert with_direction(bt, None) is bt and with_direction(bt, "auto") is bt
    tb = with_direction(bt, "TB")
    assert (tb.direction, tb.precision) == ("TB", 3)
    with pytest.raises(gs.InputError, match="one of auto, LR, RL, TB, BT, got 'up'"):
        with_direction(bt, "up")




def test_style_options():
    g = gs.parse("sin(x)", x=0.5)
    assert "rankdir=BT" in to_dot(g, style=Style(direction="BT"))
    bare = to_dot(g, style=Style(values=False, locals=False, expressions=False))
    assert "0.4794" not in bare and "cos" not in bare
    custom = Style(looks={"input": Look(fill="#123456")})
    assert "#123456" in node_line(to_dot(g, style=custom), 0)
    assert to_dot(g, style=Style(edge_names=False)).count("∂") == 0
    with pytest.raises(gs.InputError, match="direction"):
        Style(direction="up")
    with pytest.raises(gs.InputError, match="look kind"):
        Style(looks={"nodes": Look()})
    with pytest.raises(gs.InputError, match="precision"):
        Style(precision=0)
    assert "0.479426" in to_dot(g, style=Style(precision=6))


def test_style_is_exported():
    assert gs.Style is rendering.Style and "Style" in gs.__all__
    assert gs.Style(direction="BT", grad=True).direction == "BT"
