"""The paths table lives with the paths: PathList's repr, the CLI's table and paths_report agree."""

from __future__ import annotations

import numpy as np

import graphstep as gs
from graphstep.algorithms.paths import MAX_TABLE_PATHS, paths_report
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
