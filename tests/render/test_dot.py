"""graphstep.render.dot: pure (Graph, Step, Style) -> DOT."""

from __future__ import annotations

import ast
import importlib
import pathlib
import re

import graphviz
import numpy as np
import pytest
from support import node_line

import graphstep as gs
from graphstep.export.stepper import steps
from graphstep.gallery.examples import EXAMPLES
from graphstep.render import dot as render_dot
from graphstep.render.annotate import annotations
from graphstep.render.dot import build_digraph, edge_id, node_id, to_digraph, to_dot
from graphstep.render.style import Style
from graphstep.steps.model import Step
from graphstep.text import pretty


def test_dot_has_every_node_and_edge_with_its_look():
    g = gs.parse("x * exp(x^2)", x=1.5)
    dot = to_dot(g, style=Style(direction="BT"))
    assert "rankdir=BT" in dot
    for n in range(len(g)):
        assert f"{node_id(n)} [" in dot
    for t, h, q in g.edges():
        assert f'id={edge_id(t, h, q)}' in dot
    assert 'fillcolor="#fff3bf"' in dot  # the output's look


def test_a_step_is_highlighted_and_captioned():
    g = gs.parse("x * exp(x^2)", x=1.5)
    step = gs.steps(g, "reverse").steps[1]
    dot = to_dot(g, step)
    assert 'fillcolor="#ffc9c9"' in dot  # the main node
    assert "labelloc=b" in dot and f'label="{pretty(step.title)}\n{pretty(step.text)}\n"' in dot


def test_build_digraph_takes_explicit_texts():
    g = gs.parse("sin(x)", x=0.5)
    d = build_digraph(g, {("value", 1): "VALUE"}, Style())
    label = re.search(r"n1 \[label=<(.*?)>\s", d.source).group(1)  # the tooltip has the full value
    assert "VALUE" in label and "0.4794" not in label


def test_to_digraph_needs_a_graph():
    with pytest.raises(gs.InputError, match="needs a Graph"):
        to_digraph("x^2")


def test_render_package_runs_nothing_and_writes_nothing():
    """No process, no file, no export or backend import anywhere under render/."""
    for path in pathlib.Path(importlib.import_module("graphstep.render.dot").__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        names = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        names |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
        names.discard(None)
        assert not {n for n in names if n.split(".")[0] in ("subprocess", "os", "shutil", "tempfile")}, path
        assert not {n for n in names if n.startswith(("graphstep.export", "graphstep.backend",
                                                      "graphstep.jupyter"))}, path


X = 1.5


def test_the_last_paths_step_puts_the_gradient_on_the_input():
    g = gs.parse("x * exp(x**2)", x=1.5)
    last = steps(g, "paths").steps[-1]
    x = g.node("x")
    assert last.kind == "result" and dict(last.adjoints) == {x: pytest.approx(52.18254709997189)}
    assert "∂u₃/∂x = 52.18" in render_dot.to_dot(g, last)


NBSP = "\u00a0"




def edge_line(dot: str, tail: int, head: int, pos: int) -> str:
    (line,) = [ln for ln in dot.splitlines() if f"id=e{tail}_{head}_{pos}" in ln]
    return line


def test_to_digraph_is_a_digraph_with_every_node_and_edge(xexp):
    d = to_digraph(xexp)
    assert isinstance(d, graphviz.Digraph)
    dot = d.source
    for n in range(len(xexp)):
        assert f'id=n{n}' in node_line(dot, n)
    for t, h, p in xexp.edges():
        assert f"n{t} -> n{h}" in edge_line(dot, t, h, p)
    assert "rankdir=LR" in dot


def test_node_labels_show_definition_expression_and_value(xexp):
    dot = to_dot(xexp)
    u2 = node_line(dot, 3)
    assert f"u₂{NBSP}={NBSP}exp(u₁)" in u2
    assert "exp(x²)" in u2  # the sub-expression, in Unicode math
    assert f">{np.exp(2.25):.4g}<" in u2.replace("</font>", "<")
    assert "= 1.5" in node_line(dot, 0)  # an input shows its value
    assert "u₃" in node_line(dot, 4) and "14.23" in node_line(dot, 4)


def test_edges_show_formula_and_value_and_constants_stay_unlabelled(xexp):
    dot = to_dot(xexp)
    direct = edge_line(dot, 0, 4, 0)
    assert "∂u₃/∂x = u₂" in direct and "= 9.488" in direct
    square = edge_line(dot, 0, 2, 0)
    assert "∂u₁/∂x = 2·x" in square and "= 3<" in square
    # the exponent 2 is a constant: its edge has no derivative label and a light colour
    const_edge = edge_line(dot, 1, 2, 1)
    assert "label" not in const_edge
    assert Style().look("inactive").stroke in const_edge
    assert "label" in edge_line(to_dot(xexp, style=Style(constant_edges=True)), 1, 2, 1)


def test_path_step_highlights_its_path_and_has_the_sentence_as_caption(xexp):
    s = gs.steps(xexp, "paths", "x")
    step = s.goto(0)  # path 1 goes through u1: x̄ adds ū1 · 2·x first
    dot = to_dot(xexp, step)
    focus, plain = Style().look("focus-edge"), Style().look("edge")
    for t, h, p in xexp.edges():
        line = edge_line(dot, t, h, p)
        if (t, h, p) in step.focus_edges:
            assert focus.stroke in line and f"penwidth={focus.penwidth:g}" in line
        elif xexp.active[t]:
            assert plain.stroke in line and focus.stroke not in line
    for n in step.focus_nodes:
        assert Style().look("focus").fill in node_line(dot, n)
    label = re.search(r'\blabel="(.*?)"\s*labeljust', dot, re.S).group(1)
    assert step.title in label
    assert "42.69" in label and "sum so far 42.69" in label.replace("\n", " ")


def test_caption_quotes_and_backslashes_survive(xexp):
    step = Step("forward", 0, 'a "quoted" \\ text <b>&', title="t<1>")
    dot = to_digraph(xexp, step)
    source = dot.source
    assert '\\"quoted\\"' in source and "\\\\" in source
    assert "t<1>" in source  # a quoted (not HTML) caption needs no entity escapes


def test_html_labels_escape_comparison_and_ampersand():
    g = gs.parse("max(0, x)", x=0.5)
    dot = to_dot(g)
    line = edge_line(dot, 0, 1, 0)
    assert "[x &gt; 0]" in line
    inner = re.search(r"label=<(.*?)>\s", line).group(1)
    text = re.sub(r"<[^<>]*>", "", inner)  # strip the HTML tags: no raw < or > remains
    assert "<" not in text and ">" not in text


def test_reverse_step_shows_adjoints_as_sums_of_contributions(xexp):
    s = gs.steps(xexp, "reverse")
    step = s.goto(3)  # x̄ = ū1·2x + ū3·u2
    a = annotations(xexp, step)
    contributions = [14.2316 * 3, 9.4877]
    assert a.texts[("adjoint", 0)] == (
        f"∂u₃/∂x = {contributions[0]:.4g} + {contributions[1]:.4g} = {sum(contributions):.4g}")
    assert a.texts[("adjoint", 4)] == "∂u₃/∂u₃ = 1"
    first = annotations(xexp, s.goto(0))
    assert ("adjoint", 0) not in first.texts and first.texts[("adjoint", 4)] == "∂u₃/∂u₃ = 1"
    dot = to_dot(xexp, step)
    assert "∂u₃/∂x = 42.69 + 9.488 = 52.18" in node_line(dot, 0)
    # the node the step computes is drawn strongest; the users it reads are highlighted
    assert a.main_node == 0 and Style().look("main").fill in node_line(dot, 0)
    assert Style().look("focus").fill in node_line(dot, 2)
    assert annotations(xexp, gs.steps(xexp, "paths").current).main_node is None


def test_forward_steps_show_unknown_values_as_question_marks(xexp):
    s = gs.steps(xexp, "forward")
    a = annotations(xexp, s.goto(0))
    assert a.texts[("value", 2)] == "?" and ("value", 2) in a.unknown
    assert a.texts[("value", 0)] == "= 1.5"
    last = annotations(xexp, s.goto(-1))
    assert last.texts[("value", 4)] == f"{1.5 * np.exp(2.25):.4g}" and not last.unknown
    assert "?" in node_line(to_dot(xexp, s.goto(0)), 3)


def test_forward_mode_tangents(xexp):
    s = gs.steps(xexp, "forward-mode", "x")
    a = annotations(xexp, s.goto(-1))
    assert a.texts[("tangent", 3)] == f"∂u₂/∂x = {2 * 1.5 * np.exp(2.25):.4g}"
    assert a.texts[("tangent", 4)] == f"∂u₃/∂x = {np.exp(2.25) * (2 * 1.5**2 + 1):.4g}"


def test_local_step_shows_only_the_edges_computed_so_far(xexp):
    s = gs.steps(xexp, "local")
    a = annotations(xexp, s.goto(0))
    assert a.texts[("local", 0, 2, 0)] == "= 3"
    assert a.texts[("local", 3, 4, 1)] == ""


def test_grad_style_shows_adjoints_without_a_step(xexp):
    a = annotations(xexp, style=Style(grad=True))
    assert a.texts[("adjoint", 3)] == "∂u₃/∂u₂ = 1.5"
    assert ("adjoint", 3) not in annotations(xexp).texts


def test_tensor_edges_show_jacobian_structure_and_size():
    g = EXAMPLES["two-layer-tanh"].graph()
    dot = to_dot(g)
    tanh_edge = edge_line(dot, 6, 7, 0)
    assert "diag(1 - A_h²)" in tanh_edge and "= 20×20 diagonal" in tanh_edge  # A_h = tanh(Z_h)
    matmul = edge_line(dot, 0, 3, 0)
    assert "u₁ᵀ ⊗ I₄" in matmul and "20×12 kronecker" in matmul
    # tensors: shape and range; small vectors inline
    assert "4×5 in [" in node_line(dot, 3)
    assert "= [" in node_line(dot, 4)  # bh has 5 entries: written out
