"""The options of gs.render and gs.steps (focus, collapse, expand, hide_constants) and the
automatic collapse of a large graph, through the public functions."""

import math

import pytest

import graphstep as gs
from graphstep.views.choose import choose_view, no_collapse


def two_blocks():
    x, w = gs.var("x", 0.4), gs.var("w", 1.5)
    with gs.block("layer1"):
        h = gs.tanh(w * x)
    with gs.block("layer2"):
        y = gs.sigmoid(h * w)
    return gs.graph((y - 1.0) ** 2)


def test_render_draws_the_collapsed_graph_with_its_note(tmp_path):
    g = two_blocks()
    dot = gs.render(g, tmp_path / "c.dot", collapse="blocks").read_text()
    assert "layer₁" in dot and "layer₂" in dot
    assert "Σ 1 path in layer₂" in dot  # the block's total derivative on its edge
    assert "collapsed: layer1 (2 nodes), layer2 (2 nodes)" in dot  # the caption
    assert dot.count("->") == 8  # x, w -> layer1; w, layer1 -> layer2; layer2, 1 -> u5; u5, 2 -> u6


def test_render_focus_and_hide_constants(tmp_path):
    g = gs.parse("x * sin(y) + 2 * exp(y)", x=2.0, y=0.5)
    dot = gs.render(g, tmp_path / "f.dot", focus="x", hide_constants=True).read_text()
    assert "⋯ 2 nodes folded" in dot and "focus on x" in dot
    assert "exp" not in dot.split("label=")[1]  # exp(y) is inside a folded leaf


def test_render_refuses_view_options_for_a_stepper(tmp_path):
    s = gs.steps(gs.parse("sin(x)", x=1.0), "reverse")
    with pytest.raises(gs.InputError, match="give them to gs.steps"):
        gs.render(s, tmp_path / "s.dot", focus="x")


def test_steps_walk_the_collapsed_graph():
    g = two_blocks()
    s = gs.steps(g, "reverse", collapse="blocks")
    assert "layer1" in s.graph.labels
    texts = [step.text for step in s]
    assert any("Σ 1 path in layer2" in text for text in texts)
    assert "they agree" in texts[-1]
    assert s.graph.value == pytest.approx(g.value)
    paths = gs.steps(g, "paths", wrt="w", collapse="blocks")
    assert len(paths) == gs.count_paths(paths.graph, "w") + 1 == 3


def test_steps_focus():
    g = gs.parse("x * sin(y) + exp(y)", x=2.0, y=0.5)
    s = gs.steps(g, "paths", focus="x")
    assert s.graph.inputs == ["x"]
    assert f"{math.sin(0.5):.4g}" in s.goto(-1).text


def test_choose_view_without_options_is_the_graph():
    g = two_blocks()
    assert choose_view(g) is g
    assert choose_view(g, collapse=False, limit=1) is g
    assert choose_view(g, expand="layer1").labels.count("layer2") == 1


def test_collapse_without_blocks_says_how_to_make_them():
    with pytest.raises(gs.InputError, match="no blocks"):
        choose_view(gs.parse("x * y", x=1.0, y=2.0), collapse="blocks")


def test_no_collapse_values():
    assert [no_collapse(v) for v in (False, 0, "none", "off", [], None, "blocks", 2)] == [
        True, True, True, True, True, False, False, False]


def test_cli_render_and_steps_take_the_view_flags(tmp_path, capsys):
    from graphstep.cli import main

    out = tmp_path / "g.dot"
    assert main(["render", "x * sin(y) + 2*exp(y)", "--at", "x=2", "y=0.5", "--focus", "x",
                 "--hide-constants", "-o", str(out)]) == 0
    assert "focus on x" in out.read_text()
    program = "layer1.h = tanh(w*x); layer2.y = sigmoid(w*layer1.h); L = (layer2.y - 1)^2"
    assert main(["steps", program, "--at", "w=1.5", "x=0.4", "--mode", "reverse",
                 "--collapse", "blocks"]) == 0
    assert "Σ 1 path in layer₂" in capsys.readouterr().out
    assert main(["render", program, "--at", "w=1.5", "x=0.4", "--collapse", "1", "--expand",
                 "layer1", "-o", str(out)]) == 0
    assert "collapsed: layer2 (2 nodes)" in out.read_text()
    assert main(["render", "x*y", "--at", "x=1", "y=2", "--collapse", "blocks", "-o", str(out)]) == 2
    assert "no blocks" in capsys.readouterr().err


def test_docs_figure_takes_the_view_options():
    from graphstep.docs.figure import Figure

    program = "layer1.h = tanh(w*x); L = (layer1.h - 1)^2"
    figure = Figure.from_options(program, {"at": "w=1.5, x=0.4", "mode": "reverse",
                                           "collapse": "blocks", "hide-constants": None})
    assert figure.hide_constants and figure.collapse == "blocks"
    stepper = figure.stepper()
    assert "layer1" in stepper.graph.labels
    assert all(stepper.graph.op(n) != "const" for n in range(len(stepper.graph)))
    plain = Figure.from_options(program, {"at": "w=1.5, x=0.4"})
    assert not plain.hide_constants and plain.key() != figure.key()


@pytest.mark.backend
def test_jupyter_shows_a_view_with_its_note():
    from graphstep.jupyter import mimebundle

    v = gs.focus(gs.parse("x * sin(y)", x=1.0, y=2.0), "x")
    bundle = mimebundle(v, include=["image/svg+xml", "text/plain"])
    assert "focus on x" in bundle["image/svg+xml"]
    assert bundle["text/plain"].startswith("<View of 4 nodes as 3")


def test_mkdocs_fence_reads_the_view_options():
    from graphstep.docs.fence import split_fence
    from graphstep.docs.figure import Figure

    options, expression = split_fence("collapse: blocks\nhide-constants: yes\nfocus: w\n"
                                      "layer1.h = tanh(w*x); L = layer1.h^2")
    figure = Figure.from_options(expression, {**options, "at": "w=1.5, x=0.4"})
    assert (figure.collapse, figure.focus, figure.hide_constants) == ("blocks", "w", True)
    assert figure.stepper().graph.inputs == ["w"]
