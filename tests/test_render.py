"""DOT-level tests of graphstep.render.dot: no Graphviz executable needed."""

from __future__ import annotations

import re

import graphviz
import numpy as np
import pytest

import graphstep as gs
from graphstep.export import image as rendering
from graphstep.gallery.examples import EXAMPLES
from graphstep.render.annotate import annotations
from graphstep.render.dot import to_digraph, to_dot
from graphstep.render.style import Look, Style
from graphstep.steps.model import Step
from graphstep.text import format_local, format_value, pretty

NBSP = "\u00a0"


@pytest.fixture
def xexp():
    return gs.parse("x * exp(x^2)", x=1.5)


def node_line(dot: str, node: int) -> str:
    (line,) = [ln for ln in dot.splitlines() if ln.strip().startswith(f"n{node} [")]
    return line


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
    step = s.goto(1)
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
    assert "42.69" in label and "sum so far 52.18" in label.replace("\n", " ")


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
    inner = re.search(r"label=<(.*)>\s", line).group(1)
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
    assert "diag(1 - u₅²)" in tanh_edge and "= 20×20 diagonal" in tanh_edge
    matmul = edge_line(dot, 0, 3, 0)
    assert "u₁ᵀ ⊗ I_4" in matmul and "20×12 kronecker" in matmul
    # tensors: shape and range; small vectors inline
    assert "4×5 in [" in node_line(dot, 3)
    assert "= [" in node_line(dot, 4)  # bh has 5 entries: written out


def test_style_options():
    g = gs.parse("sin(x)", x=0.5)
    assert "rankdir=BT" in to_dot(g, style=Style(direction="BT"))
    bare = to_dot(g, style=Style(values=False, locals=False, expressions=False))
    assert "0.4794" not in bare and "cos" not in bare
    custom = Style(looks={"input": Look(fill="#123456")})
    assert "#123456" in node_line(to_dot(g, style=custom), 0)
    assert to_dot(g, style=Style(edge_names=False)).count("∂") == 0
    with pytest.raises(gs.InputError, match="direction"):
        Style(direction="up")
    with pytest.raises(gs.InputError, match="look kind"):
        Style(looks={"nodes": Look()})
    with pytest.raises(gs.InputError, match="precision"):
        Style(precision=0)
    assert "0.479426" in to_dot(g, style=Style(precision=6))


def test_format_value_and_local():
    assert format_value(52.1825470999719) == "52.18"
    assert format_value(-0.0) == "0" and format_value(float("nan")) == "nan"
    assert format_value(1e-7) == "1e-07"
    assert format_value(np.array([0.5, -1.0, 2.0])) == "[0.5, -1, 2]"
    assert format_value(np.array([[1.0, 2.0], [3.0, 4.0]])) == "[[1, 2], [3, 4]]"
    big = np.linspace(-1.5, 2.25, 12).reshape(4, 3)
    assert format_value(big) == "4×3 in [-1.5, 2.25]"
    assert format_value(np.array([1.0, np.nan] * 5)) == "(10,) in [1, 1], 5 nan/inf"
    assert format_local(2.0) == "2"
    g = EXAMPLES["two-layer-tanh"].graph()
    assert format_local(g.local(19, 0)) == "1×12 reduction"


def test_pretty():
    assert pretty("u12 + x^2") == "u₁₂ + x²"
    assert pretty("x * exp(u1)") == "x·exp(u₁)"
    assert pretty("x^2.5") == "x^2.5" and pretty("W1.T") == "W1.T"
    assert pretty("u12 = u11^2.") == "u₁₂ = u₁₁²."
    assert pretty("log2(x)") == "log2(x)"  # a function name keeps its digits


def test_render_writes_dot_without_any_executable(tmp_path, xexp, monkeypatch):
    monkeypatch.setattr("graphstep.backend.run_dot", _no_process)
    out = rendering.render(xexp, tmp_path / "g.dot")
    assert out.read_text(encoding="utf-8") == to_dot(xexp)
    gv = rendering.render((xexp, gs.steps(xexp).current), tmp_path / "g.gv")
    assert "path 1 of 2" in gv.read_text(encoding="utf-8")


def _no_process(*args, **kwargs):
    raise AssertionError("a DOT export must not run Graphviz")


def test_render_rejects_unknown_targets_and_suffixes(tmp_path, xexp):
    with pytest.raises(gs.RenderError, match=r"\.svg"):
        rendering.render(xexp, tmp_path / "g.jpeg")
    with pytest.raises(gs.InputError, match="Graph, a stepper"):
        rendering.render("x^2", tmp_path / "g.svg")
    with pytest.raises(gs.InputError, match="Graph"):
        to_digraph("x^2")


def test_gs_render_is_the_render_function(tmp_path, xexp):
    assert "render" in gs.__all__
    assert gs.render is rendering.render
    out = gs.render(xexp, tmp_path / "g.dot")
    assert out.read_text(encoding="utf-8") == to_dot(xexp)
    import inspect

    assert list(inspect.signature(gs.render).parameters)[:2] == ["target", "path"]
