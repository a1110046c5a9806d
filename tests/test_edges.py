"""graphstep.edges: the Edge tuple and a graph's edges as numpy arrays."""

from __future__ import annotations

import numpy as np

import graphstep as gs
from graphstep.edges import Edge, EdgeArrays


def test_edge_is_a_named_tuple():
    e = Edge(3, 5, 1)
    assert (e.tail, e.head, e.pos) == (3, 5, 1) and tuple(e) == (3, 5, 1)
    assert e == (3, 5, 1) and e._replace(pos=0) == Edge(3, 5, 0)


def test_users_of_x_times_exp_x_squared():
    g = gs.parse("x * exp(x^2)", x=1.5)  # x=0, 2=1, u1=x^2=2, u2=exp=3, u3=*=4
    assert g.users == [[Edge(0, 2, 0), Edge(0, 4, 0)], [Edge(1, 2, 1)], [Edge(2, 3, 0)], [Edge(3, 4, 1)], []]


def test_edge_arrays_of_x_times_exp_x_squared():
    edges = gs.parse("x * exp(x^2)", x=1.5).edge_arrays
    # node by node: pow(x, 2) has edges 0, 1; exp(u1) edge 2; mul(x, u2) edges 3, 4
    np.testing.assert_array_equal(edges.tails, [0, 1, 2, 0, 3])
    np.testing.assert_array_equal(edges.heads, [2, 2, 3, 4, 4])
    np.testing.assert_array_equal(edges.offsets, [0, 0, 0, 2, 3])
    # head depths 1, 1, 2, 3, 3: deepest head (mul) first, stable within a level
    np.testing.assert_array_equal(edges.by_depth, [3, 4, 2, 0, 1])
    np.testing.assert_array_equal(edges.tails_by_depth, [0, 3, 2, 0, 1])
    np.testing.assert_array_equal(edges.heads_by_depth, [4, 4, 3, 2, 2])
    assert edges.levels == [(0, 2), (2, 3), (3, 5)]
    assert {op: ids.tolist() for op, ids in edges.groups.items()} == {
        "input": [0], "const": [1], "pow": [2], "exp": [3], "mul": [4]}


def test_edge_arrays_built_by_hand():
    # x=0, y=1, a=mul(x, y)=2, b=sin(a)=3, c=add(a, x)=4
    ops = ["input", "input", "mul", "sin", "add"]
    edges = EdgeArrays([0, 1, 2, 2, 0], [0, 0, 2, 1, 2], [0, 0, 1, 2, 2], ops)
    assert edges.tails.tolist() == [0, 1, 2, 2, 0]
    assert edges.heads.tolist() == [2, 2, 3, 4, 4]
    assert edges.offsets.tolist() == [0, 0, 0, 2, 3]
    assert edges.by_depth.tolist() == [2, 3, 4, 0, 1]
    assert edges.levels == [(0, 3), (3, 5)]
    assert edges.groups["input"].tolist() == [0, 1] and edges.groups["add"].tolist() == [4]


def test_every_edge_index_matches_offsets_plus_pos():
    g = gs.parse("sin(x*y) + x*y*y", x=0.3, y=-1.2)
    edges = g.edge_arrays
    for user_list in g.users:
        for e in user_list:
            k = edges.offsets[e.head] + e.pos
            assert (edges.tails[k], edges.heads[k]) == (e.tail, e.head)
    assert len(edges.tails) == sum(len(u) for u in g.users)
