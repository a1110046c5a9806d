"""graphstep.steps.phrases: the pieces of step sentences."""

from __future__ import annotations

import numpy as np
import pytest

import graphstep as gs
from graphstep.ops.jacobians import Diagonal
from graphstep.steps.phrases import (
    apply_op,
    count_word,
    factor,
    full_stop,
    is_scalar,
    parenthesize,
    prime,
    shape_of,
    unique,
    use_note,
    verdict,
)


def test_numbers_as_factors_and_counts_in_words():
    assert [factor(v) for v in (-2.0, 1.5, 0.0, -0.0, 52.18254)] == ["(-2)", "1.5", "0", "0", "52.18"]
    assert [count_word(k) for k in (0, 1, 10, 11)] == ["no", "one", "ten", "11"]


@pytest.mark.parametrize(("formula", "written"), [
    ("u2", "u2"), ("2·x", "2·x"), ("exp(u1)", "exp(u1)"), ("1 - u2²", "(1 - u2²)"), ("-1", "(-1)"),
    ("(a + b)", "(a + b)"), ("(a) + (b)", "((a) + (b))"), ("[1, 2]", "[1, 2]"),
    ("diag(u4·(1 - u4))", "diag(u4·(1 - u4))"), ("Wᵀ ⊗ I_4", "(Wᵀ ⊗ I_4)"), ("a−b", "(a−b)"),
])
def test_a_formula_is_parenthesised_only_when_it_is_not_one_factor(formula, written):
    assert parenthesize(formula) == written


def test_small_words():
    assert prime("u1") == "u1'"
    assert full_stop(" it sums ") == "it sums." and full_stop("really?") == "really?"
    assert unique([3, 1, 3, 2, 1]) == (3, 1, 2)
    assert verdict(True, 0.0) == "they agree"
    assert verdict(False, 0.000123456) == "they DIFFER (largest difference 0.000123)"
    assert is_scalar(np.float64(2.0)) and not is_scalar(None) and not is_scalar(np.ones(1))
    assert not is_scalar(Diagonal(np.ones(2), "diag(v)"))


def test_pieces_that_read_the_graph():
    g = gs.parse("x * x", x=2.0)
    assert apply_op(g, 1, ["x", "x"]) == "x*x"
    assert apply_op(g, 1, ["-2", "3"]) == "-2*3"
    assert apply_op(gs.parse("x^2", x=-1.5), 2, ["-1.5", "2"]) == "(-1.5)^2"  # a negative base
    assert use_note(g, 0, 1, 0) == " (use 1 of 2 of x in u1: each use is its own edge)"
    assert use_note(gs.parse("x * y", x=1.0, y=2.0), 0, 2, 0) == ""
    assert shape_of(gs.parse("sum(M)", M=np.ones((3, 2))), 0) == "3×2"
