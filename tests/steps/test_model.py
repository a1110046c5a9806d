"""graphstep.steps.model: the Mode and StepKind enums, Step, the step cursor, prefix views."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import graphstep as gs
from graphstep.errors import InputError
from graphstep.steps.model import (
    EMPTY,
    MODES,
    GrowingDict,
    Mode,
    Step,
    StepCursor,
    StepKind,
)


def test_modes_are_one_enum_whose_values_are_the_public_strings():
    assert MODES == ("forward", "local", "paths", "reverse", "forward-mode", "adjoint-graph")
    assert [mode.value for mode in Mode] == list(MODES)
    assert Mode.parse("forward-mode") is Mode.FORWARD_MODE
    assert Mode.parse(Mode.PATHS) is Mode.PATHS
    assert Mode.REVERSE == "reverse" and "reverse" == Mode.REVERSE
    assert str(Mode.FORWARD_MODE) == "forward-mode"
    assert f"{Mode.FORWARD_MODE} steps" == "forward-mode steps"
    assert f"[{Mode.LOCAL:>7}]" == "[  local]"


@pytest.mark.parametrize("bad", ["backward", "", "Paths", None, 3, ["paths"]])
def test_an_unknown_mode_names_the_modes(bad):
    with pytest.raises(InputError, match="the modes are: forward, local, paths, reverse, forward-mode"):
        Mode.parse(bad)


def test_step_kinds_and_the_one_node_they_compute():
    assert {kind.value for kind in StepKind} == {
        "inputs", "value", "local", "path", "seed", "adjoint", "tangent", "result"}
    single = {kind for kind in StepKind if kind.single_node}
    assert single == {StepKind.VALUE, StepKind.LOCAL, StepKind.SEED, StepKind.ADJOINT, StepKind.TANGENT}
    assert Step("reverse", 0, "t", focus_nodes=(3, 1), kind="adjoint").main_node == 3
    assert Step("paths", 0, "t", focus_nodes=(3, 1), kind="path").main_node is None
    assert Step("paths", 0, "t", focus_nodes=(), kind="seed").main_node is None
    assert Step("forward", 0, "t", focus_nodes=(2,)).main_node is None  # no kind


def test_a_step_takes_strings_and_holds_enums():
    step = Step("forward-mode", 4, "text", kind="tangent")
    assert step.mode is Mode.FORWARD_MODE and step.kind is StepKind.TANGENT
    assert step.kind == "tangent"
    with pytest.raises(InputError, match="unknown step mode 'sideways'"):
        Step("sideways", 0, "text")
    with pytest.raises(ValueError):
        Step("paths", 0, "text", kind="wander")


def test_local_derivatives_and_the_read_only_locals_alias():
    known = {(0, 1, 0): 2.5}
    step = Step("local", 0, "t", local_derivatives=known)
    assert step.locals is step.local_derivatives is known
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.local_derivatives = {}
    with pytest.raises(AttributeError):
        step.locals = {}


def test_a_step_without_a_graph_prints_its_text_and_with_one_its_table():
    assert str(Step("paths", 0, "just the sentence")) == "just the sentence"
    g = gs.parse("sin(x)", x=0.0)
    step = Step("reverse", 1, "x̄ = 1", values={0: 0.0, 1: 0.0}, adjoints={1: 1.0, 0: 1.0},
                focus_nodes=(0, 1), kind="adjoint", graph=g)
    assert str(step) == ("x̄ = 1\n"
                         "node  expr    value  adjoint\n"
                         "▶ x   x       0      1\n"
                         "· u₁  sin(x)  0      1\n"
                         "(▶ the node this step is about, · the other nodes it uses)")
    tangent = dataclasses.replace(step, mode="forward-mode", tangents={0: 1.0})
    assert str(tangent).splitlines()[1:3] == ["node  expr    value  tangent", "▶ x   x       0      1"]


def _cursor(n: int) -> StepCursor:
    g = gs.parse("x^2", x=3.0)
    return StepCursor(g, "paths", "x", [Step("paths", k, f"step {k}") for k in range(n)])


def test_the_cursor_moves_and_stays_inside():
    s = _cursor(3)
    assert s.mode is Mode.PATHS and len(s) == 3 and s.index == 0
    assert s.prev().text == "step 0" and s.index == 0
    assert [s.next().text for _ in range(4)] == ["step 1", "step 2", "step 2", "step 2"]
    assert s.goto(-3).text == "step 0" and s.index == 0
    assert s.goto(np.int64(1)).text == "step 1" and s.index == 1
    assert s[2].text == "step 2" and s.index == 1  # indexing does not move the cursor
    assert [step.text for step in s] == ["step 0", "step 1", "step 2"] and s.index == 1


@pytest.mark.parametrize("bad", [3, -4, True, 1.0, "1"])
def test_the_cursor_refuses_other_indices(bad):
    s = _cursor(3)
    with pytest.raises(InputError, match="0 to 2"):
        s.goto(bad)
    assert s.index == 0


def test_the_cursor_prints_where_it_is():
    s = _cursor(2)
    s.next()
    assert str(s) == "paths steps of x^2, wrt x: step 2 of 2 (index 1)\nstep 1"


def test_prefix_views_see_what_was_known_when_they_were_made():
    known = GrowingDict()
    views = []
    for key, value in [("a", 1), ("b", 2), ("c", 3)]:
        known.add(key, value)
        views.append(known.view())
    assert [dict(v) for v in views] == [{"a": 1}, {"a": 1, "b": 2}, {"a": 1, "b": 2, "c": 3}]
    assert "c" not in views[1] and "b" in views[1] and len(views[1]) == 2
    with pytest.raises(KeyError):
        views[0]["b"]
    assert repr(views[1]) == "{'a': 1, 'b': 2}"
    assert len(EMPTY) == 0 and dict(EMPTY) == {}


X = 1.5


def test_navigation(g):
    s = gs.steps(g, "reverse")
    assert (len(s), s.index, s.current) == (5, 0, s.steps[0])
    assert s.next() is s.steps[1] and s.index == 1
    assert s.prev() is s.steps[0] and s.prev() is s.steps[0] and s.index == 0  # stays at the start
    assert s.goto(4) is s.steps[4]
    assert s.next() is s.steps[4] and s.index == 4  # next at the end stays at the end
    assert s.goto(-2) is s.steps[3] and s.index == 3
    assert s[0] is s.steps[0]
    assert list(s) == s.steps and s.index == 3  # iterating does not move the cursor
    with pytest.raises(InputError, match="from 0 to 4"):
        s.goto(5)
    with pytest.raises(InputError, match="from 0 to 4"):
        s.goto(-6)
    with pytest.raises(InputError, match="integer"):
        s.goto("2")
    assert s.index == 3
    assert [step.index for step in s] == list(range(5))


def test_steps_are_frozen_and_what_is_known_is_read_only(g):
    step = gs.steps(g, "forward").steps[1]
    with pytest.raises(dataclasses.FrozenInstanceError):
        step.text = "changed"
    with pytest.raises(TypeError):
        step.values[4] = 0.0
    assert 4 not in step.values and 2 in step.values
    with pytest.raises(KeyError):
        step.values[4]
    assert isinstance(step, Step)
