"""graphstep.export.stepper: gs.steps and the public Stepper with its file methods."""

from __future__ import annotations

import graphstep as gs
from graphstep.export import stepper as stepper_module
from graphstep.export.stepper import Stepper, steps
from graphstep.render.dot import to_dot
from graphstep.render.style import Style
from graphstep.steps.build import build_steps
from graphstep.steps.model import Mode, StepCursor


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
