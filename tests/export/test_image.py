"""graphstep.export.image: gs.render to a file."""

from __future__ import annotations

import pytest

import graphstep as gs
from graphstep.export import image
from graphstep.export import image as rendering
from graphstep.render.dot import to_digraph, to_dot
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
    assert sorted(image.FORMATS) == [".dot", ".gv", ".pdf", ".png", ".svg", ".tex", ".tikz"]


def test_render_writes_dot_without_any_executable(tmp_path, xexp, monkeypatch):
    monkeypatch.setattr("graphstep.backend.run_dot", _no_process)
    out = rendering.render(xexp, tmp_path / "g.dot")
    assert out.read_text(encoding="utf-8") == to_dot(xexp)
    gv = rendering.render((xexp, gs.steps(xexp).current), tmp_path / "g.gv")
    assert "path 1 of 2" in gv.read_text(encoding="utf-8")


def _no_process(*args, **kwargs):
    raise AssertionError("a DOT export must not run Graphviz")


def test_render_rejects_unknown_targets_and_suffixes(tmp_path, xexp):
    with pytest.raises(gs.RenderError, match=r"\.svg"):
        rendering.render(xexp, tmp_path / "g.jpeg")
    with pytest.raises(gs.InputError, match="Graph, a stepper"):
        rendering.render("x^2", tmp_path / "g.svg")
    with pytest.raises(gs.InputError, match="Graph"):
        to_digraph("x^2")


def test_gs_render_is_the_render_function(tmp_path, xexp):
    assert "render" in gs.__all__
    assert gs.render is rendering.render
    out = gs.render(xexp, tmp_path / "g.dot")
    assert out.read_text(encoding="utf-8") == to_dot(xexp)
    import inspect

    assert list(inspect.signature(gs.render).parameters)[:2] == ["target", "path"]


@pytest.mark.parametrize("direction", ["LR", "RL", "TB", "BT"])
def test_render_takes_the_layout_direction(tmp_path, direction):
    g = gs.parse("x * exp(x^2)", x=1.5)
    text = gs.render(g, tmp_path / "g.dot", direction=direction).read_text()
    assert f"rankdir={direction}" in text
    s = gs.steps(g, "reverse")
    assert f"rankdir={direction}" in s.render(tmp_path / "s.dot", direction=direction).read_text()


def test_render_direction_overrides_the_style_and_auto_keeps_it(tmp_path):
    g = gs.parse("2*x", x=1.0)
    bottom_up = gs.Style(direction="BT")
    assert "rankdir=TB" in gs.render(g, tmp_path / "a.dot", bottom_up, direction="TB").read_text()
    assert "rankdir=BT" in gs.render(g, tmp_path / "b.dot", bottom_up, direction="auto").read_text()
    assert "rankdir=LR" in gs.render(g, tmp_path / "c.dot").read_text()


@pytest.mark.parametrize("bad", ["sideways", "lr", 3, ""])
def test_a_bad_direction_is_an_input_error_like_styles(tmp_path, bad):
    g = gs.parse("2*x", x=1.0)
    with pytest.raises(gs.InputError, match="direction must be one of"):
        gs.render(g, tmp_path / "g.dot", direction=bad)
    with pytest.raises(gs.InputError, match="direction must be one of"):
        gs.Style(direction=bad)
    assert list(tmp_path.iterdir()) == []
