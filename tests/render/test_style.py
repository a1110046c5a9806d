"""graphstep.render.style: Style, Look, the kinds and directions."""

from __future__ import annotations

import pytest

import graphstep as gs
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
