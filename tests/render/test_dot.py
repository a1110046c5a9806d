"""graphstep.render.dot: pure (Graph, Step, Style) -> DOT."""

from __future__ import annotations

import ast
import importlib
import pathlib

import pytest

import graphstep as gs
from graphstep.render.dot import build_digraph, edge_id, node_id, to_digraph, to_dot
from graphstep.render.style import Style
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
    assert "VALUE" in d.source and "0.4794" not in d.source


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
