"""The gradient check (graphstep.algorithms.gradcheck): its table, its verdict, its sampling."""

from __future__ import annotations

import math

import numpy as np
import pytest

import graphstep as gs

# --- gradcheck ---------------------------------------------------------------------------


def test_gradcheck_table_and_verdict():
    report = gs.gradcheck(gs.parse("x * exp(x**2)", x=1.5))
    assert report.ok and len(report.rows) == 1
    row = report.rows[0]
    assert row.analytic == pytest.approx(math.exp(2.25) * 5.5)
    assert row.numeric == pytest.approx(row.analytic, rel=1e-7)
    text = str(report)
    assert "analytic" in text and "52.18" in text and "all agree" in text


def test_gradcheck_catches_a_wrong_derivative(monkeypatch):
    from graphstep.ops import table as ops

    wrong = ops.OPS["sin"].__class__(**{**ops.OPS["sin"].__dict__,
                                        "local": (lambda a, out, p: np.sin(a[0]),)})
    monkeypatch.setitem(ops.OPS, "sin", wrong)
    report = gs.gradcheck(gs.parse("sin(x)", x=0.3))
    assert not report.ok and "MISMATCH" in str(report)
    (row,) = report.rows
    assert row.analytic == pytest.approx(math.sin(0.3), rel=1e-12)  # the wrong local derivative
    assert row.numeric == pytest.approx(math.cos(0.3), rel=1e-7)  # differences still see cos


def test_gradcheck_samples_large_inputs():
    report = gs.gradcheck(gs.parse("sum(v**2)", v=np.arange(100.0)), max_elements=10)
    assert report.ok and len(report.rows) == 10 and report.skipped == {"v": 90}
    assert len({row.index for row in report.rows}) == 10  # ten different entries
    for row in report.rows:  # d/dv_i sum(v²) = 2 v_i, and v_i = i
        assert row.input == "v" and row.analytic == pytest.approx(2.0 * row.index[0], abs=1e-12)
        # rounding in a sum of size ~3e5, divided by a step of 1e-6: about 1e-4 at most
        assert row.numeric == pytest.approx(2.0 * row.index[0], rel=1e-6, abs=1e-4)
