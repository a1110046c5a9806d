"""graphstep.report: the text ``graphstep grad`` prints, for x*exp(x^2) at 1.5 (gradient 52.1825...)."""

from __future__ import annotations

import math
import re

import numpy as np

import graphstep as gs
from graphstep.report import check_report, grad_report, inputs_text, paths_report, table

X = 1.5
E = math.exp(X * X)
VALUE = X * E  # 14.2316
GRADIENT = E * (2 * X * X + 1)  # 52.1825
DIRECT, LONG = E, X * E * 2 * X  # the two path products


def test_grad_report_lines(xexp):
    lines = grad_report(xexp).splitlines()
    assert lines[0] == "f = x * exp(x^2)   at x = 1.5"
    assert lines[1] == f"value: {VALUE:.6g}" == "value: 14.2316"
    assert lines[3] == "gradient (reverse accumulation):"
    assert lines[4] == f"  ∂f/∂x = {GRADIENT:.6g}" == "  ∂f/∂x = 52.1825"
    assert "paths from the output back to x: 2" in lines
    assert lines[-1] == "gradient check (central differences, eps=1e-06): all agree"
    analytic = next(line for line in lines if line.startswith("x  "))
    assert float(analytic.split()[1]) == round(GRADIENT, 6) == 52.182547


def test_paths_report_products_sum_to_the_gradient(xexp):
    text = paths_report(xexp, "x")
    lines = text.splitlines()
    assert lines[0] == "paths from the output back to x: 2"
    assert re.fullmatch(rf"\s+2\s+u3 ← x\s+u2\s+{DIRECT:.6g}\s+{DIRECT:.6g}", lines[3])
    assert re.fullmatch(rf"\s+1\s+u3 ← u2 ← u1 ← x\s+x · exp\(u1\) · 2·x\s+1\.5 · {E:.6g} · 3\s+{LONG:.6g}",
                        lines[2])
    assert lines[4] == f"path sum {GRADIENT:.6g} = reverse accumulation {GRADIENT:.6g} (max difference 0)"
    assert math.isclose(DIRECT + LONG, gs.grad(xexp, "x"), rel_tol=1e-14)


def test_grad_report_without_check_and_for_two_inputs():
    text = grad_report(gs.parse("x*y", x=2.0, y=3.0), check=False)
    lines = text.splitlines()
    assert lines[:2] == ["f = x*y   at x = 2, y = 3", "value: 6"]
    assert "  ∂f/∂x = 3" in lines and "  ∂f/∂y = 2" in lines
    assert "gradient check" not in text
    only_y = grad_report(gs.parse("x*y", x=2.0, y=3.0), wrt=["y"], check=False)
    assert "  ∂f/∂y = 2" in only_y and "∂f/∂x" not in only_y


def test_inputs_text_writes_small_values_and_shapes_of_large_ones():
    assert inputs_text(gs.parse("x * sum(W)", x=2.0, W=np.ones((3, 3)))) == "x = 2, W (3×3)"
    assert inputs_text(gs.parse("sum(v) * x", v=[1.0, 2.5], x=-0.5)) == "v = [1, 2.5], x = -0.5"


def test_check_report_rows_and_summary():
    assert check_report(gs.parse("x * y", x=2.0, y=3.0)).splitlines()[-1] == (
        "gradient check (central differences, eps=1e-06): all agree")
    long = check_report(gs.parse("sum(v * v)", v=np.arange(1.0, 31.0)), max_rows=5).splitlines()
    assert re.fullmatch(r"gradient check \(central differences, eps=1e-06\): 30 entries compared, largest "
                        r"relative error \S+: all agree", long[0])
    assert long[1] == "the worst entries:" and len(long) == 2 + 1 + 5  # header + 5 worst rows
    rel = float(long[0].split("largest relative error ")[1].split(":")[0])
    assert rel < 1e-5  # sum(v*v) is quadratic: central differences are exact up to rounding


def test_table_left_aligns_columns_two_spaces_apart():
    lines = table([("1", "x"), ("10", "yy")], ("#", "name")).splitlines()
    assert lines == ["  #   name", "  1   x", "  10  yy"]
    assert table([("a", "b ")], ("x", "y"), indent="") == "x  y\na  b"  # no trailing spaces
