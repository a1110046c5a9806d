"""graphstep.exercises.worksheet: gs.exercise and the Worksheet's files."""

import os

import numpy as np
import pytest

import graphstep as gs
from graphstep.exercises.worksheet import SHEET_SUFFIXES, Worksheet, exercise
from graphstep.export import files


def test_exercise_from_a_graph_or_a_stepper():
    g = gs.parse("x*y + y", x=2.0, y=3.0)
    ws = gs.exercise(g, hide="paths")
    assert isinstance(ws, Worksheet) and gs.Worksheet is Worksheet and gs.exercise is exercise
    assert ws.graph is g and len(ws) == len(ws.questions)
    only_y = gs.exercise(gs.steps(g, "paths", wrt="y"), hide="paths")
    assert {q.slot[1] for q in only_y.questions} == {"y"}
    assert only_y.questions[-1].answer == pytest.approx(gs.grad(g, "y"))


def test_the_heading_names_the_output_and_the_given_values():
    ws = gs.exercise(gs.parse("x*y", x=1.5, y=np.array([1.0, 2.0])), hide="values")
    assert ws.heading() == "f = x·y"
    assert ws.given_text() == "Given: x = 1.5, y = [1, 2]"
    assert repr(ws).splitlines()[2:] == [f"{q.number:>3}. {q.text}" for q in ws.questions]


def test_tolerance_and_style_are_checked():
    g = gs.parse("sin(x)", x=0.5)
    assert gs.exercise(g, "values", tolerance=0.01).questions[0].tolerance == 0.01
    with pytest.raises(gs.InputError, match="style must be a gs.Style"):
        gs.exercise(g, "values", style="dark")


@pytest.mark.backend
@pytest.mark.parametrize("suffix", SHEET_SUFFIXES)
def test_save_by_suffix_writes_atomically(tmp_path, monkeypatch, suffix, dot_backend):
    replaced = []
    real_replace = os.replace

    def spy(source, target):
        replaced.append(os.fspath(target))
        return real_replace(source, target)

    monkeypatch.setattr(files.os, "replace", spy)
    ws = gs.exercise(gs.parse("x * exp(x^2)", x=1.5), hide="adjoints")
    written = ws.save(tmp_path / f"sheet{suffix}") + ws.answer_key(tmp_path / f"key{suffix}")
    assert written and all(os.fspath(p) in replaced for p in written)  # each through a temporary file
    assert sorted(os.listdir(tmp_path)) == sorted(p.name for p in written)  # no temporary left


def test_save_refuses_another_suffix(tmp_path):
    ws = gs.exercise(gs.parse("sin(x)", x=0.5), hide="values")
    with pytest.raises(gs.InputError, match="a worksheet is written as .html, .svg, .png, .pdf"):
        ws.save(tmp_path / "sheet.docx")


@pytest.mark.backend
def test_a_failed_write_leaves_the_old_file(tmp_path, dot_backend):
    target = tmp_path / "sheet.html"
    target.write_text("old")
    ws = gs.exercise(gs.parse("sin(x)", x=0.5), hide="values")
    with pytest.raises(gs.WriteError):
        ws.to_html(tmp_path / "sheet.html" / "inside.html")
    assert target.read_text() == "old"


@pytest.mark.backend
def test_the_picture_is_made_once(dot_backend):
    ws = gs.exercise(gs.parse("sin(x)", x=0.5), hide="values")
    assert ws.picture() is ws.picture() and ws.picture(key=True) != ws.picture()
