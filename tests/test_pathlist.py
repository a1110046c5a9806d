"""gs.paths returns a PathList: len, indexing, slices, iteration, and the paths table as repr."""

from __future__ import annotations

import pytest

import graphstep as gs
from graphstep.report import paths_report


def test_paths_is_a_list_like_pathlist_whose_repr_is_the_table():
    g = gs.parse("x * exp(x^2)", x=1.5)
    found = gs.paths(g, "x")
    assert isinstance(found, gs.PathList)
    assert len(found) == 2 and bool(found)
    assert found[0].labels == ("u3", "x") and found[-1].labels == ("u3", "u2", "u1", "x")
    assert [p.labels for p in found[::-1]] == [found[1].labels, found[0].labels]
    assert [p.product for p in found] == pytest.approx([9.487735836358526, 42.69481126361337])
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
