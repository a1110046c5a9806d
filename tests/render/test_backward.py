"""graphstep.render.backward: the combined forward/backward picture and the saved badges,
through gs.render and the CLI (render --backward/--saved, hessian, memory)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import graphstep as gs
from graphstep.cli import main
from graphstep.render.backward import (
    ADJOINT_LOOK,
    READ_EDGE,
    SAVED_LOOK,
    adjoint_id,
    backward_dot,
    saved_dot,
)


def _node_line(dot, name):
    (line,) = [ln for ln in dot.splitlines() if ln.strip().startswith(f"{name} [")]
    return line


def test_every_adjoint_node_and_every_read_edge_is_drawn():
    g = gs.parse("x * exp(x^2)", x=1.5)
    b = gs.backward_graph(g, "x")
    dot = backward_dot(g, "x")
    for n in range(len(g)):                              # the whole forward graph
        assert f"\tn{n} [" in dot
    adjoint = [n for n in range(len(b)) if b.roles[n] == "adjoint"]
    for n in adjoint:
        assert f"\t\t{adjoint_id(n)} [" in dot
    reads = [(t, h) for t, h, _ in b.edges() if b.roles[h] == "adjoint" and b.roles[t] == "forward"]
    assert reads
    for t, h in reads:
        line = next(ln for ln in dot.splitlines()
                    if ln.strip().startswith(f"n{b.forward_node[t]} -> {adjoint_id(h)}"))
        assert "dashed" in line and READ_EDGE.stroke in line
    assert ADJOINT_LOOK.fill in _node_line(dot, adjoint_id(b.output))
    assert "x̄" in _node_line(dot, adjoint_id(b.output)) and "52.18" in _node_line(dot, adjoint_id(b.output))
    assert "cluster_forward" in dot and "cluster_backward" in dot


def test_saved_badges_carry_the_byte_sizes():
    g = gs.parse("sum(tanh(W @ x))", W=np.ones((3, 2)), x=np.ones(2))
    dot = saved_dot(g)
    badges = dict(re.findall(r"(n\d+) \[.*?saved · (\d+ B)", dot))
    assert badges == {"n0": "48 B", "n1": "16 B", "n3": "24 B"}     # W, x, tanh's output
    restyled = [ln for ln in dot.splitlines() if ln.strip().startswith("n3 [")][-1]  # the last wins
    assert SAVED_LOOK.stroke in restyled and f"penwidth={SAVED_LOOK.penwidth:g}" in restyled
    both = backward_dot(g, "W", saved_badges=True)
    assert "saved · 24 B" in both and "saved · 48 B" not in both   # W's gradient does not read W


def test_gs_render_writes_dot_for_backward_and_saved(tmp_path):
    g = gs.parse("sin(x) * y", x=0.5, y=2.0)
    out = gs.render(g, tmp_path / "both.dot", backward="y")
    text = out.read_text()
    assert "cluster_backward" in text and "ȳ" in text
    saved_only = gs.render(g, tmp_path / "saved.dot", saved=True).read_text()
    assert saved_only.count("saved · 8 B") == 3
    with pytest.raises(gs.InputError, match="name the input"):
        gs.render(g, tmp_path / "x.dot", backward=True)
    s = gs.steps(g, mode="forward")
    with pytest.raises(gs.InputError, match="not a step"):
        gs.render((g, s.current), tmp_path / "x.dot", saved=True)


@pytest.mark.backend
def test_gs_render_draws_the_combined_picture(tmp_path, dot_backend):
    g = gs.parse("x * exp(x^2)", x=1.5)
    svg = gs.render(g, tmp_path / "both.svg", backward=True, saved=True).read_text()
    assert "<svg" in svg and "x̄" in svg and "saved" in svg


def test_cli_render_backward_and_saved(tmp_path, capsys):
    out = tmp_path / "b.dot"
    assert main(["render", "x*y", "--at", "x=1", "--at", "y=2", "-o", str(out), "--backward",
                 "--wrt", "y"]) == 0
    assert "cluster_backward" in out.read_text()
    assert main(["render", "exp(x)", "--at", "x=0", "-o", str(out), "--saved"]) == 0
    assert "saved · 8 B" in out.read_text()
    assert main(["render", "x*y", "--at", "x=1", "--at", "y=2", "-o", str(out), "--backward"]) == 2
    assert "name the input" in capsys.readouterr().err
    assert main(["render", "x", "--at", "x=1", "-o", str(out), "--saved", "--mode", "forward"]) == 2


def test_cli_hessian_and_memory(capsys):
    assert main(["hessian", "x^2 * y", "--at", "x=3", "--at", "y=2"]) == 0
    text = capsys.readouterr().out
    assert "(2x2)" in text and re.search(r"\[\[\s*4\.?\s+6\.?\s*\]\s*\[\s*6\.?\s+0\.?\s*\]\]", text)
    assert main(["memory", "sin(sin(sin(sin(x))))", "--at", "x=0.5", "--recompute", "u2"]) == 0
    text = capsys.readouterr().out
    assert "peak 40 B -> 32 B, 1 extra forward op" in text and "u2 → u1" in text
    assert main(["memory", "sin(x)", "--at", "x=1", "--recompute", "x"]) == 2
    assert "cannot be recomputed" in capsys.readouterr().err
    assert main(["hessian", "[x, x]", "--at", "x=1"]) == 2
    assert "scalar output" in capsys.readouterr().err
