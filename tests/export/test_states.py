"""graphstep.export.states: every step's texts stored as changes equal the step's annotations,
and what is stored grows with nodes + steps, not nodes x steps."""

from __future__ import annotations

import random

import numpy as np
import pytest
from support import ladder

import graphstep as gs
from graphstep.export import states as states_module
from graphstep.export.states import StepStates, changed_keys
from graphstep.render.annotate import annotations
from graphstep.render.style import Style
from graphstep.steps.model import MODES, GrowingDict


def _graphs() -> dict[str, gs.Graph]:
    x, y = gs.var("x", 0.3), gs.var("y", 2.0)
    shared = x
    for _ in range(6):  # one input feeds every step: adjoint texts that sum many contributions
        shared = gs.sin(shared * y + 0.5)
    return {
        "xexp": gs.parse("x * exp(x^2)", x=1.5),
        "two inputs": gs.parse("sin(x*y) + x/y + x*x", x=0.3, y=2.0),
        "tensor": gs.parse("sum((t - M @ v)**2)", M=np.arange(6.0).reshape(3, 2), v=np.array([1.0, 2.0]),
                           t=np.zeros(3)),
        "shared input": gs.graph(shared),
        "ladder": ladder(12),
    }


GRAPHS = _graphs()
WALKS = [("forward", None), ("local", None), ("paths", None), ("reverse", None), ("forward-mode", 0)]
WALKS += [(mode, None) for mode in MODES if mode not in {walk for walk, _ in WALKS}]  # modes added later
STYLES = {"default": Style(), "grad": Style(grad=True), "no values": Style(values=False),
          "three digits": Style(precision=3)}


@pytest.fixture(params=[64, 3], ids=["checkpoint 64", "checkpoint 3"])
def checkpoint(request, monkeypatch):
    monkeypatch.setattr(states_module, "CHECKPOINT", request.param)
    return request.param


@pytest.mark.parametrize("name", list(GRAPHS))
@pytest.mark.parametrize("mode, wrt", WALKS)
def test_every_steps_texts_are_its_annotations(name, mode, wrt, checkpoint):
    _check(name, mode, wrt, "default")


@pytest.mark.parametrize("mode, wrt", WALKS)
@pytest.mark.parametrize("style", [name for name in STYLES if name != "default"])
def test_every_steps_texts_are_its_annotations_in_every_style(mode, wrt, style, checkpoint):
    _check("two inputs", mode, wrt, style)


def _check(name: str, mode: str, wrt: int | None, style: str) -> None:
    g = GRAPHS[name]
    walk = gs.steps(g, mode, g.inputs[wrt] if wrt is not None else None)
    g = walk.graph  # a mode may walk another graph (the adjoint graph)
    stored = StepStates(g, walk.steps, STYLES[style])
    order = list(range(len(walk)))
    random.Random(0).shuffle(order)  # random access goes through the checkpoints
    for k in list(range(len(walk))) + order:
        expected = annotations(g, walk.steps[k], STYLES[style])
        got = stored.annotations(k)
        assert got.texts == {slot: text for slot, text in expected.texts.items() if text}, (name, mode, k)
        assert got.unknown == expected.unknown
        assert (got.focus_nodes, got.focus_edges, got.main_node) == (
            expected.focus_nodes, expected.focus_edges, expected.main_node)
    assert set(stored.reserved) >= {slot for k in range(len(walk)) for slot, text in
                                     annotations(g, walk.steps[k], STYLES[style]).texts.items()
                                     if text or slot[0] == "local"}


def test_the_reserved_text_of_a_slot_is_its_widest_over_all_steps():
    g = GRAPHS["shared input"]
    walk = gs.steps(g, "reverse")
    stored = StepStates(g, walk.steps)
    for slot, text in stored.reserved.items():
        widths = [len(annotations(g, step).texts.get(slot, "")) for step in walk.steps]
        assert len(text) == max(max(widths), 3 if slot[0] == "local" else 0)


@pytest.mark.parametrize("rungs", [20, 80])
def test_the_stored_changes_grow_with_nodes_plus_steps(rungs):
    g = ladder(rungs)
    walk = gs.steps(g, "reverse")
    stored = StepStates(g, walk.steps)
    changes = sum(len(stored.changes(k)[0]) for k in range(len(walk)))
    # a reverse step completes one adjoint; each node's adjoint is written once (the
    # checkpoints hold full copies, one per CHECKPOINT steps)
    assert changes <= 2 * len(g)
    assert len(stored.table) <= 4 * len(g) + 2
    assert len(stored._checkpoints) == -(-len(walk) // states_module.CHECKPOINT)


def test_changed_keys_of_prefix_views_are_the_added_entries_only():
    known = GrowingDict()
    for key in "abc":
        known.add(key, key.upper())
    first = known.view()
    for key in "de":
        known.add(key, key.upper())
    second = known.view()
    assert list(changed_keys(first, second)) == ["d", "e"]
    assert list(changed_keys(second, first)) == ["d", "e"]
    assert list(changed_keys(second, known.view())) == []
    one, other = [1.0], [1.0]
    assert changed_keys({"a": one, "b": 2}, {"a": other, "c": 3}) == {"a", "b", "c"}  # by identity
    assert changed_keys({"a": one}, {"a": one}) == set()
