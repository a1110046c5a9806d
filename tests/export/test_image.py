"""graphstep.export.image: gs.render to a file."""

from __future__ import annotations

import pytest

import graphstep as gs
from graphstep.export import image
from graphstep.render.dot import to_dot
from graphstep.render.style import Style


def test_dot_files_hold_the_pure_dot(tmp_path):
    g = gs.parse("x * exp(x^2)", x=1.5)
    out = image.render(g, tmp_path / "g.gv", direction="TB")
    assert out.read_text() == to_dot(g, style=Style(direction="TB"))
    step = gs.steps(g, "reverse").steps[-1]
    pair = image.render((g, step), tmp_path / "s.dot", style=Style(precision=2))
    assert pair.read_text() == to_dot(g, step, Style(precision=2))
    assert gs.render is image.render


def test_bad_targets_and_suffixes(tmp_path):
    g = gs.parse("x^2", x=3.0)
    with pytest.raises(gs.RenderError, match="cannot tell the picture format"):
        image.render(g, tmp_path / "g.jpeg")
    with pytest.raises(gs.InputError, match="needs a Step"):
        image.render((g, 3), tmp_path / "g.dot")
    with pytest.raises(gs.InputError, match="a Graph, a stepper or a"):
        image.render("x^2", tmp_path / "g.dot")
    with pytest.raises(gs.InputError, match="direction must be one of auto"):
        image.render(g, tmp_path / "g.dot", direction="up")
    assert sorted(image.FORMATS) == [".dot", ".gv", ".pdf", ".png", ".svg"]
