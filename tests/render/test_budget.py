"""graphstep.render.budget: the work dot would do, counted before it runs; the fast path; refusals."""

import pytest

import graphstep as gs
from graphstep.render import budget
from graphstep.render.budget import (
    DOT_WORK,
    MAX_DRAWN_NODES,
    LayoutPlan,
    check_drawable,
    layout_work,
    plan_layout,
)
from graphstep.render.direction import ranks


def shared_chain(steps: int) -> gs.Graph:
    """``u = sin(u*y + 0.1)`` ``steps`` times: ``y`` feeds every step (4 nodes a step, + u, y)."""
    y, u = gs.var("y", 0.5), gs.var("u", 0.3)
    for _ in range(steps):
        u = gs.sin(u * y + 0.1)
    return gs.graph(u)


def test_the_work_counts_nodes_and_every_rank_an_edge_spans():
    g = gs.parse("x * exp(x^2)", x=1.5)
    # ranks: x 0, 2 0, u1 1, u2 2, u3 3; the edge x -> u3 spans 3 ranks, the others 1
    assert ranks(g) == [0, 0, 1, 2, 3]
    assert layout_work(g) == 5 + (1 + 1 + 1 + 3 + 1)
    chain = gs.parse("sin(sin(sin(x)))", x=0.2)
    assert layout_work(chain) == 4 + 3  # a chain has no long edge


def test_the_shared_input_makes_the_work_quadratic():
    # step k's product sits at rank 3k + 1 and takes y (rank 0): its edge spans 3k + 1 ranks
    for steps in (10, 40):
        g = shared_chain(steps)
        assert len(g) == 4 * steps + 2
        expected = len(g) + sum(1 for _ in g.edges()) + sum(3 * k for k in range(steps))
        assert layout_work(g) == expected


def test_small_graphs_keep_dot_and_long_shared_chains_take_the_fast_path():
    small = plan_layout(gs.parse("x * exp(x^2)", x=1.5))
    assert small == LayoutPlan("dot", 5, 5, 12) and not small.fast
    big = plan_layout(shared_chain(300))
    assert big.fast and big.engine == "layered" and big.work > DOT_WORK
    assert (big.nodes, big.edges) == (1202, 1500)


def test_the_threshold_is_the_work_not_the_node_count():
    # a 400-node chain without shared inputs is cheap for dot; 25 shared steps are not
    long_chain = gs.var("x", 0.1)
    for _ in range(400):
        long_chain = gs.sin(long_chain)
    assert not plan_layout(gs.graph(long_chain)).fast
    assert layout_work(shared_chain(60)) > DOT_WORK >= layout_work(gs.graph(long_chain))


def test_too_many_nodes_are_refused_at_once_with_the_ways_out():
    with pytest.raises(gs.SizeLimitError) as info:
        check_drawable(34_138)
    message = str(info.value)
    for part in ("34,138 nodes", f"{MAX_DRAWN_NODES:,}", 'focus="x"', 'collapse="blocks"',
                 "collapse=2", "player"):
        assert part in message
    check_drawable(MAX_DRAWN_NODES)  # the limit itself is drawn


def test_render_refuses_before_any_process_starts(monkeypatch, tmp_path):
    monkeypatch.setattr(budget, "MAX_DRAWN_NODES", 100)

    def no_process(*args, **kwargs):
        raise AssertionError("Graphviz must not run")

    monkeypatch.setattr("graphstep.backend.run_dot", no_process)
    g = shared_chain(30)  # 122 nodes
    with pytest.raises(gs.SizeLimitError, match="the graph has 122 nodes: more than the 100"):
        gs.render(g, tmp_path / "g.svg")
    assert not (tmp_path / "g.svg").exists()
