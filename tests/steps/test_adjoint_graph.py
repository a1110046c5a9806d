"""graphstep.steps.adjoint_graph: mode "adjoint-graph" and the reverse walk's cached values."""

from __future__ import annotations

import numpy as np
import pytest

import graphstep as gs
from graphstep.steps.adjoint_graph import backward_reads, cached_note


def test_the_walk_builds_the_backward_graph_node_by_node():
    g = gs.parse("x * exp(x^2)", x=1.5)
    s = gs.steps(g, "adjoint-graph")
    b = s.graph
    assert isinstance(b, gs.BackwardGraph) and s.wrt == "x"
    adjoint = [n for n in range(len(b)) if b.roles[n] == "adjoint" and b.op(n) != "const"]
    assert [step.focus_nodes[0] for step in s.steps[1:-1]] == adjoint
    # each step knows one more value, and that value is the node's
    for k, step in enumerate(s.steps[1:-1], start=1):
        n = step.focus_nodes[0]
        assert step.result == b.value_of(n) and n in step.values and step.kind == "value"
        assert n not in s.steps[k - 1].values
    assert s.steps[-1].result == pytest.approx(gs.grad(g, "x")) and "agree" in s.steps[-1].text
    texts = [step.text for step in s]
    assert any("the adjoint of u1, ∂u3/∂u1" in t for t in texts)
    assert any("what the edge x → u1 passes back" in t for t in texts)


def test_wrt_and_tensor_graphs():
    g = gs.parse("sum(tanh(W @ x))", W=np.ones((2, 2)) * 0.5, x=np.array([1.0, -2.0]))
    s = gs.steps(g, "adjoint-graph", wrt="x")
    assert s.wrt == "x"
    np.testing.assert_allclose(s.steps[-1].result, gs.grad(g, "x"))
    assert gs.steps(g, "adjoint-graph").wrt == "W"   # the first input by default
    with pytest.raises(gs.InputError, match="no inputs"):
        gs.steps(gs.parse("2*3"), "adjoint-graph")


def test_the_reverse_walk_says_which_cached_values_each_step_reads():
    g = gs.parse("sin(x) * y + exp(y)", x=0.3, y=2.0)
    s = gs.steps(g, "reverse")
    by_title = {step.title: step.text for step in s}
    assert by_title["ū1"].endswith("It reads the cached y (8 B).")           # d(u1·y)/du1 = y
    assert "It reads the cached x (8 B)" in by_title["x̄"]                    # cos(x)
    assert "cached" not in by_title.get("ū2", "")                            # a sum reads nothing
    reads = backward_reads(g)
    assert cached_note("t", g, reads, []) == "t"


def test_a_graph_without_adjoint_rules_reads_nothing():
    x = gs.var("x", 0.5)
    with gs.block("f"):
        y = gs.sin(x) * x
    collapsed = gs.collapse(gs.graph(y), "f") if hasattr(gs, "collapse") else None
    if collapsed is None or not any(collapsed.op(n) == "composite" for n in range(len(collapsed))):
        pytest.skip("no collapsed blocks in this build")
    assert backward_reads(collapsed) == {}
    assert len(gs.steps(collapsed, "reverse")) >= 2   # the walk itself still works
