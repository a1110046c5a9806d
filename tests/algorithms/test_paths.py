"""The paths table lives with the paths: PathList's repr, the CLI's table and paths_report agree."""

from __future__ import annotations

import math

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad as ag_grad
from support import assert_close

import graphstep as gs
from graphstep.algorithms.paths import MAX_TABLE_PATHS, edge_matrix, paths_report, total_derivatives
from graphstep.ops import jacobians as jac
from graphstep.report import paths_report as reported


def test_the_repr_of_a_path_list_is_the_paths_table():
    g = gs.parse("x * exp(x^2)", x=1.5)
    assert repr(gs.paths(g, "x")) == paths_report(g, "x")
    assert reported is paths_report  # the CLI's report prints the same table
    lines = paths_report(g, "x").splitlines()
    assert lines[0] == "paths from the output back to x: 2"
    # the last line compares the path sum with reverse accumulation: 52.1825 both ways
    assert lines[-1].startswith("path sum 52.1825 = reverse accumulation 52.1825")


def test_too_many_paths_are_counted_not_listed():
    g = gs.parse("((x*x)*(x*x))*((x*x)*(x*x))", x=1.1)  # 8 paths
    text = paths_report(g, "x", max_paths=4)
    assert "8 paths are more than 4: not listed" in text
    assert round(8 * 1.1**7, 4) == 15.5897  # x^8: its derivative 8 x^7, one factor per path
    assert text.splitlines()[-1].startswith("path sum 15.5897 = reverse accumulation 15.5897")
    assert MAX_TABLE_PATHS == 50


def test_a_tensor_output_compares_with_the_jacobian():
    g = gs.parse("A @ v", A=np.array([[1.0, 2.0], [3.0, 4.0]]), v=np.array([1.0, -1.0]))
    text = paths_report(g, "v")
    assert "path sum = the Jacobian by reverse accumulation (max difference 0):" in text


def test_x_exp_x2_has_two_paths_and_the_slides_sum_is_wrong():
    x = 1.5
    g = gs.parse("x * exp(x**2)", x=x)
    paths = list(gs.paths(g, "x"))
    assert len(paths) == 2 == gs.count_paths(g, "x")
    long, direct = paths  # from x up: via u1 first, as x̄ = ū1 · 2·x + ū3 · u2 adds them
    assert [g.label(n) for n in direct.nodes] == ["u3", "x"]
    assert [g.label(n) for n in long.nodes] == ["u3", "u2", "u1", "x"]
    assert direct.product == pytest.approx(math.exp(x * x))
    assert long.factors == pytest.approx((x, math.exp(x * x), 2 * x))
    assert long.product == pytest.approx(2 * x * x * math.exp(x * x))
    closed_form = math.exp(x * x) * (2 * x * x + 1)  # 52.1825..., the product rule
    assert gs.path_sum(g, "x") == pytest.approx(closed_form)
    assert gs.grad(g, "x") == pytest.approx(closed_form)
    assert gs.forward_grad(g, "x") == pytest.approx(closed_form)
    # The slide lists three terms, x·e^{x²}·x twice and e^{x²}, and concludes "= e^{x²}".
    # There are two paths, not three; the long one's factor on x -> u1 is 2x, not x; and
    # the conclusion drops the whole 2x²e^{x²} term:
    slide_term = x * math.exp(x * x) * x
    assert len(paths) != 3
    assert long.product != pytest.approx(slide_term)
    assert gs.path_sum(g, "x") != pytest.approx(math.exp(x * x))


def test_chain_rule_example_has_one_path_with_the_slides_factors():
    x = 0.7
    g = gs.parse("ln(sin(x^3)^2)", x=x)
    (path,) = gs.paths(g, "x")
    u1, u2 = x**3, math.sin(x**3)
    assert path.factors == pytest.approx((1 / u2**2, 2 * u2, math.cos(u1), 3 * x * x))
    assert gs.grad(g, "x") == pytest.approx(6 * x * x * math.cos(x**3) / math.sin(x**3))


def diamonds(n):
    x = gs.var("x", 0.1)
    u = x
    for _ in range(n):
        u = gs.sin(u) + gs.cos(u)
    return x, gs.graph(u)


def test_sixty_diamonds_have_two_to_the_sixty_paths_counted_exactly():
    x, g = diamonds(60)
    count = gs.count_paths(g, "x")  # dynamic programming: no path is enumerated
    assert count == 2**60 and isinstance(count, int)
    assert gs.count_paths(diamonds(70)[1], "x") == 2**70  # past 2**64: Python integers
    with pytest.raises(gs.PathLimitError, match="1,152,921,504,606,846,976 paths"):
        gs.paths(g, "x")


def test_path_sum_equals_reverse_on_small_diamonds():
    x, g = diamonds(8)
    assert gs.count_paths(g, "x") == 256
    assert len(list(gs.paths(g, "x"))) == 256
    assert gs.path_sum(g, "x") == pytest.approx(gs.grad(g, "x"), rel=1e-12)


def test_path_limit_can_be_raised():
    x, g = diamonds(5)
    with pytest.raises(gs.PathLimitError, match="32 paths"):
        gs.paths(g, "x", limit=31)
    assert len(list(gs.paths(g, "x", limit=32))) == 32


def test_edge_matrix_powers_count_paths_of_each_length_and_inverse_sums_them():
    x = 0.9
    g = gs.parse("x * exp(x^2)", x=x)
    D = edge_matrix(g)
    out, source = g.output, g.node("x")
    # one path of length 1 (x -> u3) and one of length 3 (x -> u1 -> u2 -> u3)
    assert D[out, source] == pytest.approx(math.exp(x * x))
    assert np.linalg.matrix_power(D, 2)[out, source] == 0.0
    assert np.linalg.matrix_power(D, 3)[out, source] == pytest.approx(2 * x * x * math.exp(x * x))
    assert not np.linalg.matrix_power(D, len(g)).any()  # nilpotent
    T = total_derivatives(g)
    assert T[out, source] == pytest.approx(gs.grad(g, "x"))


RNG = np.random.default_rng(20240611)


def randn(*shape, scale=1.0):
    return RNG.normal(size=shape) * scale




def test_path_sum_equals_reverse_for_tensor_graphs_with_shared_nodes():
    W, x = randn(3, 3), randn(3)
    # x reaches the output along several paths (through u = W x twice and directly)
    g = gs.parse("sum(tanh(W @ x) * (W @ x) + x * x)", W=W, x=x)
    assert gs.count_paths(g, "x") == 4
    paths = list(gs.paths(g, "x"))
    assert len(paths) == 4
    total = sum(p.contribution() for p in paths)
    assert_close(total, gs.grad(g, "x"), 1e-12, 1e-12)
    for p in paths:  # a path's product is the chain of its Jacobians, composed structurally
        product = p.product
        assert isinstance(product, jac.Jacobian)
        assert product.shape == (1, 3)
        assert_close(np.ravel(product.dense()), np.ravel(p.contribution()), 1e-12, 1e-12)
    loss = lambda W, x: anp.sum(anp.tanh(anp.dot(W, x)) * anp.dot(W, x) + x * x)  # noqa: E731
    assert_close(gs.path_sum(g, "x"), ag_grad(loss, 1)(W, x), 1e-12, 1e-12)
    assert_close(gs.path_sum(g, "W"), ag_grad(loss, 0)(W, x), 1e-12, 1e-12)


def test_paths_is_a_list_like_pathlist_whose_repr_is_the_table():
    g = gs.parse("x * exp(x^2)", x=1.5)
    found = gs.paths(g, "x")
    assert isinstance(found, gs.PathList)
    assert len(found) == 2 and bool(found)
    assert found[0].labels == ("u3", "u2", "u1", "x") and found[-1].labels == ("u3", "x")
    assert [p.labels for p in found[::-1]] == [found[1].labels, found[0].labels]
    assert [p.product for p in found] == pytest.approx([42.69481126361337, 9.487735836358526])
    assert repr(found) == paths_report(g, "x") == str(found)
    assert "u3 ← u2 ← u1 ← x" in repr(found) and "path sum 52.1825" in repr(found)
    with pytest.raises(IndexError):
        found[2]


def test_pathlist_of_an_input_the_output_ignores_is_empty():
    g = gs.parse("x + 2*y", x=1.0, y=2.0)
    assert len(gs.paths(g, "x")) == 1 and not gs.paths(gs.parse("3 + 0*y", y=1.0), "y") == []


def test_path_limit_is_checked_before_any_path_is_built(monkeypatch):
    from graphstep.algorithms import paths as pathsum

    monkeypatch.setattr(pathsum, "_enumerate", lambda *a: pytest.fail("paths were built"))
    g = gs.parse("*".join(["(x + x)"] * 15), x=1.0)  # 15 factors, two paths through each
    with pytest.raises(gs.PathLimitError, match="30 paths"):
        gs.paths(g, "x", limit=29)
