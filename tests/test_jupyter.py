"""graphstep.jupyter: _repr_mimebundle_ honouring include/exclude, svg_only per stepper."""

from __future__ import annotations

import pytest

import graphstep as gs
from graphstep import jupyter
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
