"""A view is an ordinary Graph made from another graph's nodes: copies keep op, value,
label, expression and scope; folded leaves hold a value and count what they stand for."""

import numpy as np

import graphstep as gs
from graphstep.views.view import View, copy_node, folded_leaf


def test_a_copied_graph_is_the_same_graph():
    x = gs.var("x", np.array([1.0, 2.0]))
    with gs.block("b"):
        y = gs.sum(gs.exp(x) * 3.0)
    g = gs.graph(y)
    made = {}
    for n in range(len(g)):
        made[n] = copy_node(g, n, tuple(made[a] for a in g.args(n)))
    v = View(made[g.output], g, note="copy", members={"x": ["x"]})
    assert v.labels == g.labels
    assert [v.expr(n) for n in range(len(v))] == [g.expr(n) for n in range(len(g))]
    assert [v.scope(n) for n in range(len(v))] == [g.scope(n) for n in range(len(g))]
    np.testing.assert_allclose(gs.grad(v, "x"), gs.grad(g, "x"))
    assert (v.note, v.members, v.source is g) == ("copy", {"x": ["x"]}, True)
    assert repr(v) == "<View of 6 nodes as 6: 'copy'>"


def test_a_folded_leaf_is_a_constant_that_counts_its_nodes():
    leaf = folded_leaf(2.5, "u7", 9)
    g = gs.graph(gs.var("x", 1.0) * leaf)
    assert g.op(0) == "const" and g.label(0) == "u7" and g.params(0)["folded"] == 9
    assert gs.grad(g, "x") == 2.5
    assert folded_leaf(1.0, "y", 1).params is None  # one node: nothing folded
