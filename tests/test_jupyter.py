"""graphstep.jupyter: _repr_mimebundle_ honouring include/exclude, svg_only per stepper."""

from __future__ import annotations

import pytest

import graphstep as gs
from graphstep import jupyter
from graphstep.export import svg as export
from graphstep.jupyter import mimebundle, player_hidden


@pytest.fixture
def stepper():
    return gs.steps(gs.parse("x * exp(x^2)", x=1.5), "reverse")


def test_player_hidden_is_a_choice_of_each_stepper(stepper, monkeypatch):
    monkeypatch.delenv(jupyter.SVG_ONLY_VARIABLE, raising=False)
    other = gs.steps(stepper.graph, "forward")
    assert not player_hidden(stepper) and not player_hidden(other)
    stepper.svg_only = True
    assert player_hidden(stepper) and not player_hidden(other)  # no process-wide flag
    assert not player_hidden(stepper, choice=False)
    monkeypatch.setenv(jupyter.SVG_ONLY_VARIABLE, "yes")
    assert player_hidden(other) and not player_hidden(other, choice=False)


def test_include_and_exclude_draw_only_what_is_asked(stepper, monkeypatch):
    monkeypatch.delenv(jupyter.SVG_ONLY_VARIABLE, raising=False)
    assert mimebundle(stepper, include=["text/plain"]) == {"text/plain": str(stepper)}
    assert mimebundle(stepper.graph, include=["text/plain"]) == {"text/plain": repr(stepper.graph)}
    assert mimebundle(stepper.graph, include=["text/html"]) == {}  # no player for a graph
    assert mimebundle(stepper, exclude=list(jupyter.MIMETYPES)) == {}
    stepper.svg_only = True
    assert set(mimebundle(stepper, exclude=["image/svg+xml"])) == {"text/plain"}


def test_a_failing_picture_leaves_the_text_saying_why(stepper, monkeypatch):
    def fail(*args, **kwargs):
        raise gs.RenderError("no Graphviz here")

    monkeypatch.setattr(jupyter, "frame_svg", fail)
    bundle = mimebundle(stepper, svg_only=True)
    assert bundle == {"text/plain": f"{stepper}\n(no picture: no Graphviz here)"}
    assert mimebundle(stepper, svg_only=True, exclude=["text/plain"]) == {}


def test_repr_mimebundle_is_the_method(stepper):
    assert jupyter.repr_mimebundle(stepper.graph, include=["text/plain"]) == {
        "text/plain": repr(stepper.graph)}
    with pytest.raises(gs.InputError, match="a Graph, a Step or a stepper, got int"):
        mimebundle(42)


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


@pytest.mark.backend
def test_mimebundle_of_a_graph_and_a_stepper(xexp, monkeypatch):
    bundle = xexp._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert bundle["image/svg+xml"].startswith("<svg") and "9.488" in bundle["image/svg+xml"]
    assert bundle["text/plain"] == repr(xexp)
    s = gs.steps(xexp, "reverse")
    s.goto(2)
    bundle = s._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/svg+xml", "text/plain"}
    assert "gs-player" in bundle["text/html"] and "<script>" in bundle["text/html"]
    assert bundle["image/svg+xml"] == export.frame_svg(s, 2)
    assert bundle["text/plain"] == str(s)
    assert "text/html" not in mimebundle(s, svg_only=True)
    monkeypatch.setattr(s, "svg_only", True, raising=False)
    assert "text/html" not in s._repr_mimebundle_()
    monkeypatch.setattr(s, "svg_only", False, raising=False)
    monkeypatch.setenv("GRAPHSTEP_SVG_ONLY", "1")
    assert set(s._repr_mimebundle_()) == {"image/svg+xml", "text/plain"}
    with pytest.raises(gs.InputError, match="a Graph, a Step or a stepper"):
        mimebundle(42)


@pytest.mark.backend
def test_mimebundle_of_one_step_shows_that_step(xexp):
    step = gs.steps(xexp, "reverse").steps[-1]  # every adjoint known: x̄ = 52.18
    bundle = step._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert "52.18" in bundle["image/svg+xml"] and bundle["text/plain"] == str(step)
    first = gs.steps(xexp, "reverse").steps[0]  # only the seed is known
    assert "52.18" not in first._repr_mimebundle_()["image/svg+xml"]
