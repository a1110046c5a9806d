"""Issue 8 section 5: gs.Style, gs.render(direction=...), _repr_mimebundle_(include, exclude)."""

from __future__ import annotations

import pytest

import graphstep as gs
from graphstep.render import style as rendering


def test_style_is_exported():
    assert gs.Style is rendering.Style and "Style" in gs.__all__
    assert gs.Style(direction="BT", grad=True).direction == "BT"


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


def _objects():
    g = gs.parse("sin(x) * x", x=0.5)
    s = gs.steps(g, "reverse")
    return {"graph": g, "step": s.current, "stepper": s}


@pytest.mark.backend
@pytest.mark.parametrize("which", ["graph", "step", "stepper"])
def test_mimebundle_include_and_exclude_as_graphviz_does(which):
    obj = _objects()[which]
    default = {"image/svg+xml", "text/plain"} | ({"text/html"} if which == "stepper" else set())
    assert set(obj._repr_mimebundle_()) == default
    assert set(obj._repr_mimebundle_(None, None)) == default
    assert obj._repr_mimebundle_(include=[]) == {}
    assert set(obj._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert set(obj._repr_mimebundle_(exclude=["image/svg+xml"])) == default - {"image/svg+xml"}
    # exclude wins over include; mimetypes graphstep cannot make are left out
    assert obj._repr_mimebundle_(include=["image/svg+xml", "image/jpeg"], exclude=["image/svg+xml"]) == {}
    png = obj._repr_mimebundle_(include=["image/png"])
    assert list(png) == ["image/png"] and png["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    text = obj._repr_mimebundle_(include={"text/plain"})["text/plain"]
    assert text == (str(obj) if which == "stepper" else repr(obj))


@pytest.mark.parametrize("which", ["graph", "step", "stepper"])
def test_a_text_only_bundle_draws_nothing(monkeypatch, which):
    from graphstep import backend
    from graphstep.export import svg as export

    def no_drawing(*args, **kwargs):
        raise AssertionError("drew a picture that was not asked for")

    monkeypatch.setattr(backend, "run_dot", no_drawing)
    monkeypatch.setattr(export, "layout", no_drawing)
    obj = _objects()[which]
    assert list(obj._repr_mimebundle_(include=["text/plain"])) == ["text/plain"]
    assert obj._repr_mimebundle_(exclude=["image/svg+xml", "text/html", "text/plain"]) == {}
