"""Named traced values: v.named("h"), the labels of a graph (graphstep/build/naming.py)."""

from __future__ import annotations

import numpy as np
import pytest
from support import assert_close

import graphstep as gs


def test_named_returns_the_var_and_its_name_labels_the_node_and_the_formulas():
    x = gs.var("x", np.array([0.5, -1.0]))
    W = gs.var("W", np.array([[1.0, 2.0], [0.0, 1.0]]))
    h = gs.tanh(x @ W).named("h")
    assert isinstance(h, gs.Var) and h.name == "h"
    g = gs.graph(gs.sum(h * h))
    labels = [g.label(n) for n in range(len(g))]
    assert labels == ["x", "W", "u1", "h", "u2", "u3"]
    assert g.expr(4) == "h*h"  # users of a named value write its name
    M = np.array([[1.0, 2.0], [0.0, 1.0]])
    z = np.array([0.5, -1.0]) @ M
    assert_close(gs.grad(g, "x"), (2 * np.tanh(z) * (1 - np.tanh(z) ** 2)) @ M.T, 1e-14, 0)
    texts = [step.text for step in gs.steps(g, mode="reverse").steps]
    assert any(text.startswith("h̄ = ") for text in texts)


def test_a_name_taken_by_a_value_is_skipped_by_the_u_numbers_and_duplicates_get_a_suffix():
    x = gs.var("x", 1.0)
    a = (x * 2).named("u1")
    b = gs.sin(a).named("h")
    c = (b * 3).named("h")
    g = gs.graph(c + x)
    assert g.labels == ["x", "2", "u1", "h", "3", "h_2", "u2"]
    assert_close(gs.grad(g, "x"), 6 * np.cos(2.0) + 1, 1e-15, 0)


def test_a_dotted_name_puts_the_value_in_a_block_once():
    x = gs.var("x", 1.0)
    h = (x * 2).named("layer1.h")
    assert h.scope == ("layer1",) and h.name == "layer1.h"
    with gs.block("layer1"):
        k = gs.exp(x)
    assert k.named("layer1.k").scope == ("layer1",)


@pytest.mark.parametrize("name, message", [
    ("2h", "is an identifier"), ("a b", "is an identifier"), ("", "is an identifier"),
    (3, "is an identifier"),
    ("exp", "function or constant name"), ("pi", "function or constant name"), ("lambda", "is an identifier"),
    ("layer1.T", "function or constant name"),
])
def test_bad_names_are_input_errors(name, message):
    with pytest.raises(gs.InputError, match=message):
        (gs.var("x", 1.0) * 2).named(name)


def test_an_input_keeps_its_name():
    x = gs.var("x", 1.0)
    assert x.named("x") is x
    with pytest.raises(gs.InputError, match="x is an input and keeps its name"):
        x.named("h")


def test_a_value_named_like_an_input_gets_a_suffix_and_the_input_keeps_its_name():
    x = gs.var("x", 2.0)
    y = (x * 3).named("x")
    g = gs.graph(y + 1)
    assert g.labels == ["x", "3", "x_2", "1", "u1"] and g.inputs == ["x"]
    assert gs.grad(g) == {"x": 3.0}
