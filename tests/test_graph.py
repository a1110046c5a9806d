"""The Graph's public read-only API: edges, inputs, local derivatives, the scalar fast path."""

from __future__ import annotations

import gc
import math
import warnings

import networkx as nx
import numpy as np
import pytest

import graphstep as gs
from graphstep.edges import Edge, EdgeArrays
from graphstep.errors import DomainError, DomainWarning, InputError
from graphstep.graph import EXPR, FORMULA, LABEL, LOCAL, OP, SHAPE, VALUE


def test_every_list_of_edges_uses_one_edge_tuple():
    g = gs.parse("x * sin(x) + y", x=0.5, y=2.0)
    edges = list(g.edges())
    assert all(type(e) is Edge for e in edges)
    # (tail, head, pos): argument pos of head is tail, and the nx view has the same edges
    assert all(g.args(e.head)[e.pos] == e.tail for e in edges)
    assert sorted(edges) == sorted(g.nx.edges(keys=True))
    # users: the same Edge objects grouped by tail
    assert sorted(e for users in g.users for e in users) == sorted(edges)
    assert all(e.tail == n for n, users in enumerate(g.users) for e in users)
    # a path's edges are Edges too, output side first, and their tails are the path's nodes
    for path in gs.paths(g, "x"):
        assert all(type(e) is Edge for e in path.edges)
        assert [e.tail for e in path.edges] == list(path.nodes[1:])
        assert [e.head for e in path.edges] == list(path.nodes[:-1])
        assert list(path.factors) == [g.local(e.head, e.pos) for e in path.edges]


def test_input_node_is_node_and_names_the_inputs_when_unknown():
    g = gs.parse("x * y", x=1.0, y=2.0)
    assert [g.input_node(name) for name in g.inputs] == [g.node(name) for name in g.inputs] == [0, 1]
    with pytest.raises(InputError, match="no input named 'z'; the inputs are: x, y"):
        g.input_node("z")


def test_local_without_cache_computes_the_same_value_and_keeps_nothing():
    g = gs.parse("sum(tanh(A @ v))", A=np.arange(6.0).reshape(2, 3) / 10, v=np.ones(3))
    head = g.output - 1  # tanh
    fresh = g.local(head, 0, cache=False)
    again = g.local(head, 0, cache=False)
    assert fresh is not again  # not kept
    cached = g.local(head, 0)
    assert g.local(head, 0) is cached
    assert g.local(head, 0, cache=False) is cached  # a cached one is used
    assert np.array_equal(fresh.d, cached.d)
    assert np.allclose(cached.d, 1 - np.tanh(g.value_of(head - 1)) ** 2)


def test_scalar_locals_match_the_edge_by_edge_local_derivatives():
    # elementwise ops, constants, a structural op on scalars (max of a stack) and a repeat
    g = gs.parse("x * exp(x) - max(x, y) / (y + 2) + sin(y)**2", x=0.3, y=-1.2)
    assert g.is_scalar
    edges = g.edge_arrays
    expected = np.zeros(len(edges.tails))
    for _, head, pos in g.edges():
        expected[edges.offsets[head] + pos] = g.local(head, pos)
    assert np.allclose(g.scalar_locals(), expected, rtol=1e-15, atol=0, equal_nan=True)
    # the closed form: d/dx = exp(x) + x exp(x) - 1/(y + 2), as max(x, y) = x here
    assert gs.grad(g, "x") == pytest.approx(np.exp(0.3) * 1.3 - 1 / 0.8, rel=1e-12)


def test_edge_arrays_by_depth_visit_deeper_heads_first():
    g = gs.parse("sin(cos(x) * x) + x", x=1.0)
    edges = g.edge_arrays
    depth = {}
    for n in range(len(g)):
        depth[n] = 0 if not g.args(n) else 1 + max(depth[a] for a in g.args(n))
    heads = edges.heads_by_depth.tolist()
    assert [depth[h] for h in heads] == sorted((depth[h] for h in heads), reverse=True)
    for start, stop in edges.levels:
        assert len({depth[h] for h in heads[start:stop]}) == 1
    assert edges.tails.tolist() == [t for t, _, _ in g.edges()]
    assert not hasattr(edges, "positions")


def test_edge_arrays_of_an_empty_argument_list():
    edges = EdgeArrays([], [0], [0], ["input"])
    assert edges.tails.tolist() == [] and edges.levels == [(0, 0)]
    assert edges.groups["input"].tolist() == [0]


def test_building_a_graph_leaves_the_garbage_collector_alone(monkeypatch):
    def refuse():
        raise AssertionError("graph construction must not switch the garbage collector off")

    monkeypatch.setattr(gc, "disable", refuse)
    x = gs.var("x", 0.5)
    y = x
    for _ in range(2000):
        y = y * 0.999 + 0.001
    g = gs.graph(y)
    assert gc.isenabled()
    assert gs.grad(g, "x") == pytest.approx(0.999**2000, rel=1e-12)


def test_a_sub_expression_graph_keeps_its_own_node_ids():
    x = gs.var("x", 2.0)
    inner = x * x
    outer = gs.sin(inner) + inner
    g_outer = gs.graph(outer)
    g_inner = gs.graph(inner)  # renumbers the shared Vars for itself
    assert g_outer.args(g_outer.output) == (2, 1)
    assert g_inner.args(g_inner.output) == (0, 0)
    assert gs.grad(g_outer, "x") == pytest.approx(4 * np.cos(4.0) + 4)


def test_value_problems_warn_once_per_origin_or_raise_when_strict():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g = gs.parse("log(x) + log(x) * 2", x=-1.0)
    assert [g.op(n) for n in g.domain_problems] == ["log", "log"]  # not the sums they feed
    assert all(issubclass(w.category, DomainWarning) for w in caught) and len(caught) == 2
    with pytest.raises(DomainError, match=r"log\(x\) \(u1\) is nan for x = -1"):
        gs.parse("log(x) + 1", x=-1.0, strict=True)


def test_evaluate_leaves_the_graph_unchanged():
    g = gs.parse("x**2 + y", x=1.0, y=0.5)
    assert g.evaluate({"x": 3.0}) == 9.5
    assert g.value == 1.5 and g.value_of(g.input_node("x")) == 1.0


def test_x_times_x_has_two_edges_and_two_paths():
    g = gs.parse("x*x", x=3.0)
    assert isinstance(g.nx, nx.MultiDiGraph)
    assert g.nx.number_of_edges(0, 1) == 2
    assert [p.product for p in gs.paths(g, "x")] == [3.0, 3.0]
    assert gs.grad(g, "x") == 6.0


def test_node_and_edge_attributes():
    g = gs.parse("x * exp(x**2)", x=1.5)
    G = g.nx
    out = G.nodes[g.output]
    assert out[OP] == "mul" and out[LABEL] == "u3" and out[EXPR] == "x * exp(x^2)"
    assert out[VALUE] == pytest.approx(1.5 * math.exp(2.25)) and out[SHAPE] == ()
    assert G.nodes[0][OP] == "input" and G.nodes[1][OP] == "const"
    exp_node = next(n for n, op in G.nodes(data=OP) if op == "exp")
    ((tail, head, key, data),) = [e for e in G.edges(keys=True, data=True) if e[1] == exp_node]
    assert data[FORMULA] == "exp(u1)" and data[LOCAL] == pytest.approx(math.exp(2.25))
    assert G.graph["output"] == g.output and g.inputs == ["x"]
    assert g.value == pytest.approx(1.5 * math.exp(2.25))


def test_same_expression_same_graph_every_time():
    def snapshot():
        g = gs.parse("tanh(a*b + c) * a - sum([a, b, c])", a=0.1, b=0.2, c=0.3)
        return (list(g.nx.nodes(data=LABEL)), list(g.nx.edges(keys=True, data=FORMULA)))

    assert snapshot() == snapshot()


def test_tensor_edges_carry_jacobians_scalar_edges_floats():
    g = gs.parse("sum(tanh(W @ v))", W=np.ones((3, 2)) * 0.1, v=np.array([1.0, 2.0]))
    kinds = {g.op(h): type(g.local(h, p)).__name__ for t, h, p in g.edges()}
    assert kinds == {"matmul": "MatmulRight", "tanh": "Diagonal", "sum": "Reduction"}
    assert g.edge_formula(3, 0) == "diag(1 - u2²)"
    assert isinstance(gs.parse("x*y", x=1.0, y=2.0).local(2, 0), float)
