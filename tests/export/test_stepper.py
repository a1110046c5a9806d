"""graphstep.export.stepper: gs.steps and the public Stepper with its file methods."""

from __future__ import annotations

import sys

import pytest

import graphstep as gs
from graphstep.errors import InputError, ShapeError
from graphstep.export import stepper as stepper_module
from graphstep.export.stepper import Stepper, steps
from graphstep.render.dot import to_dot
from graphstep.render.style import Style
from graphstep.steps.build import build_steps
from graphstep.steps.model import MODES, Mode, StepCursor


def test_gs_steps_is_this_function_and_returns_a_stepper():
    g = gs.parse("x * exp(x^2)", x=1.5)
    s = gs.steps(g, "reverse")
    assert gs.steps is steps and gs.Stepper is Stepper
    assert isinstance(s, Stepper) and isinstance(s, StepCursor)
    assert s.mode is Mode.REVERSE and s.graph is g and s.index == 0
    assert [step.text for step in s] == [step.text for step in build_steps(g, "reverse")]


def test_a_stepper_built_by_hand_takes_a_mode_string():
    g = gs.parse("sin(x)", x=0.0)
    s = Stepper(g, "forward", None, list(gs.steps(g, "forward").steps))
    assert s.mode is Mode.FORWARD and len(s) == 2 and s.goto(-1).title == "u1 = sin(x)"


def test_render_writes_the_current_step(tmp_path):
    g = gs.parse("x * exp(x^2)", x=1.5)
    s = steps(g, "paths")
    s.goto(1)
    out = s.render(tmp_path / "step.dot", direction="BT")
    assert out == tmp_path / "step.dot"
    assert out.read_text() == to_dot(g, s.steps[1], Style(direction="BT"))


def test_file_methods_hand_the_stepper_to_the_export_functions(monkeypatch, tmp_path):
    s = steps(gs.parse("sin(x)", x=0.5), "reverse")
    calls = []
    for name in ("save_all", "to_html", "to_gif", "to_apng"):
        monkeypatch.setattr(stepper_module.frames, name,
                            lambda stepper, *a, _n=name, **k: calls.append((_n, stepper, a, k)) or _n)
    assert s.save_all(tmp_path, fmt="png", scale=2) == "save_all"
    assert s.to_html(tmp_path / "p.html", title="t") == "to_html"
    assert s.to_gif(tmp_path / "a.gif") == "to_gif"
    assert s.to_apng(tmp_path / "a.png", duration=900) == "to_apng"
    assert [(c[0], c[1] is s) for c in calls] == [("save_all", True), ("to_html", True),
                                                  ("to_gif", True), ("to_apng", True)]
    assert calls[0][3] == {"fmt": "png", "scale": 2} and calls[3][3] == {"duration": 900}


steps_module = sys.modules["graphstep.export.stepper"]


X = 1.5


def test_bad_arguments(g):
    with pytest.raises(InputError, match="forward-mode"):
        gs.steps(g, "backward")
    with pytest.raises(InputError, match="the inputs are: x"):
        gs.steps(g, "paths", wrt="z")
    with pytest.raises(InputError, match="Graph"):
        gs.steps("x * x")
    with pytest.raises(InputError, match="direction="):
        gs.steps(g, "reverse", direction=1.0)
    with pytest.raises(InputError, match="seed="):
        gs.steps(g, "paths", seed=1.0)
    with pytest.raises(ShapeError, match="direction"):
        gs.steps(gs.parse("sum(v)", v=[1.0, 2.0]), "forward-mode", direction=[1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="seed= must be a number"):
        gs.steps(g, "reverse", seed="one")
    with pytest.raises(InputError, match="no inputs"):
        gs.steps(gs.parse("2*3"), "reverse")
    assert len(gs.steps(gs.parse("2*3"), "forward")) == 2
    assert set(MODES) == {"forward", "local", "paths", "reverse", "forward-mode", "adjoint-graph"}


def test_exports_delegate_to_the_export_module(g, monkeypatch, tmp_path):
    from graphstep.export import svg as export

    s = gs.steps(g, "paths")
    calls = []
    for name in ("save_all", "to_html", "to_gif", "to_apng"):
        monkeypatch.setattr(export, name, lambda stepper, *a, _n=name, **k: calls.append((_n, stepper, a, k)))
    s.save_all(tmp_path, fmt="png")
    s.to_html(tmp_path / "p.html")
    s.to_gif(tmp_path / "a.gif")
    s.to_apng(tmp_path / "a.png")
    assert [c[0] for c in calls] == ["save_all", "to_html", "to_gif", "to_apng"]
    assert all(c[1] is s for c in calls)
    assert calls[0][3] == {"fmt": "png"}


def test_mimebundle_delegates_to_render(g, monkeypatch):
    from graphstep import jupyter as render

    s = gs.steps(g, "paths")
    monkeypatch.setattr(render, "mimebundle", lambda obj, **options: {"text/plain": obj})
    assert s._repr_mimebundle_() == {"text/plain": s}
    assert steps_module.steps is steps and gs.steps is steps  # the public name is this function
