"""graphstep.render.annotate: the texts, highlights and caption of a picture."""

from __future__ import annotations

import math

import numpy as np

import graphstep as gs
from graphstep.render.annotate import (
    LookKind,
    annotations,
    caption,
    edge_formula_text,
    expression_text,
    node_kind,
    node_title,
)
from graphstep.render.style import Style


def _xexp():
    return gs.parse("x * exp(x^2)", x=1.5)


def test_titles_and_kinds():
    g = _xexp()
    assert [node_title(g, n) for n in range(len(g))] == [
        ("x", ""), ("2", ""), ("u₁", "x²"), ("u₂", "exp(u₁)"), ("u₃", "x·u₂")]
    assert [node_kind(g, n) for n in range(len(g))] == [
        LookKind.INPUT, LookKind.CONST, LookKind.OP, LookKind.OP, LookKind.OUTPUT]
    assert [expression_text(g, n, node_title(g, n)[1]) for n in range(len(g))] == [
        "", "", "", "exp(x²)", "x·exp(x²)"]
    assert edge_formula_text(g, 3, 4, 1, Style()) == "∂u₃/∂u₂ = x"


def test_long_titles_are_cut():
    names = [f"v{i}" for i in range(1, 16)]
    g = gs.parse("sin(" + " + ".join(names) + ")", **{v: 1.0 for v in names})
    label, definition = node_title(g, g.output)
    assert len(definition) <= 40
    expr = expression_text(g, g.output, definition)
    assert len(expr) == 48 and expr.endswith("…")


def test_bare_graph_shows_values_and_locals():
    g = _xexp()
    a = annotations(g)
    x = 1.5
    assert a.texts[("value", 0)] == "= 1.5"
    assert a.texts[("value", 3)] == f"{math.exp(x * x):.4g}"
    assert a.texts[("local", 2, 3, 0)] == f"= {math.exp(x * x):.4g}"  # d exp(u1)/du1
    assert ("value", 1) not in a.texts  # the constant 2 is its own label
    assert not a.focus_nodes and a.main_node is None and a.title == ""


def test_grad_style_adds_adjoints_with_their_sum():
    g = _xexp()
    a = annotations(g, style=Style(grad=True))
    x = 1.5
    dx = math.exp(x * x) * (1 + 2 * x * x)
    assert a.texts[("adjoint", 0)].startswith("∂u₃/∂x = ")
    assert a.texts[("adjoint", 0)].endswith(f" = {dx:.4g}")  # two users: the terms, then the total


def test_a_step_highlights_its_node():
    g = _xexp()
    s = gs.steps(g, "reverse")
    step = s.steps[2]
    a = annotations(g, step)
    assert a.focus_nodes == frozenset(step.focus_nodes)
    assert a.main_node == step.focus_nodes[0]
    assert (a.title, a.text) == (step.title, step.text)
    assert np.isclose(float(a.texts[("adjoint", 2)].split("= ")[-1]), 1.5 * math.exp(2.25), rtol=1e-3)


def test_caption_wraps_and_prettifies():
    lines = caption("Step 1", "u1 " * 40)
    assert lines[0] == "Step 1" and all(len(line) <= 90 for line in lines[1:])
    assert lines[1].startswith("u₁ u₁")
