"""graphstep.build.writing: a traced expression written back as text."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import graphstep as gs
from graphstep.build.writing import constant_text, describe, expression_text, precedence


@pytest.fixture
def xy():
    return gs.var("x", 2.0), gs.var("y", 3.0)


def test_parentheses_only_where_precedence_needs_them(xy):
    x, y = xy
    assert expression_text(-(x + 1) ** 2 / x) == "-(x + 1)^2/x"
    assert expression_text(x - (y - x)) == "x - (y - x)"
    assert expression_text((x - y) - x) == "x - y - x"
    assert expression_text(x / (y * x)) == "x/(y*x)"
    assert expression_text((x + 1) * gs.exp(-x) ** 2) == "(x + 1)*exp(-x)^2"
    assert expression_text(gs.sin(x * y) ** 0.5) == "sin(x*y)^0.5"


def test_written_text_parses_back_to_the_same_value(xy):
    x, y = xy
    for expr in [-(x + 1) ** 2 / x, x - (y - x), x / (y * x), (x + 1) * gs.exp(-x) ** 2,
                 gs.cos(x * y) ** 0.5 - y / (x - 1)]:
        text = expression_text(expr)
        names = set(re.findall(r"[a-z]+", text))
        inputs = {k: v for k, v in {"x": 2.0, "y": 3.0}.items() if k in names}
        assert math.isclose(gs.parse(text, **inputs).value, float(expr.value), rel_tol=1e-15), text
    assert math.isclose(gs.parse(expression_text(-(x + 1) ** 2 / x), x=2.0).value, -4.5)


def test_precedence_levels(xy):
    x, y = xy
    assert [precedence(x), precedence(x + y), precedence(x * y), precedence(-x), precedence(x ** 2),
            precedence(gs.exp(x))] == [6, 1, 2, 3, 4, 5]


def test_describe_uses_the_name_and_cuts_long_text(xy):
    x, y = xy
    assert describe(x) == "x" and describe(x * 2 + 1) == "x*2 + 1"
    long = x
    for _ in range(14):
        long = long + y
    short = describe(long, limit=20)
    assert short == "x + y + y + y + y +…" and len(short) == 20
    assert expression_text(long).count("y") == 14


def test_constant_text():
    assert constant_text(2.0) == "2" and constant_text(0.5) == "0.5"
    assert constant_text(np.array([1.0, 2.0])) == "[1, 2]"
    assert constant_text(np.zeros((3, 2))) == "0"  # a constant array shows its one value
    assert constant_text(np.arange(6.0).reshape(3, 2)) == "const 3×2"
