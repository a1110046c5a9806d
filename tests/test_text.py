"""graphstep.text: the one set of formatters, each output pinned."""

from __future__ import annotations

import numpy as np
import pytest

from graphstep.gallery.examples import EXAMPLES
from graphstep.ops.jacobians import Diagonal
from graphstep.text import (
    describe_value,
    ellipsize,
    format_local,
    format_value,
    inline_value,
    jacobian_text,
    number,
    overline,
    pretty,
    print_value,
    repr_value,
    shape_paren,
    shape_text,
    subscript,
    superscript,
)


@pytest.mark.parametrize(("x", "precision", "text"), [
    (0.0, 4, "0"), (-0.0, 4, "0"), (float("nan"), 4, "nan"), (float("inf"), 4, "inf"),
    (-float("inf"), 2, "-inf"), (52.18251, 4, "52.18"), (1 / 3, 2, "0.33"), (1e-9, 4, "1e-09"),
    (np.float64(2.5), 4, "2.5"), (np.array(3.0), 4, "3"),
])
def test_number(x, precision, text):
    assert number(x, precision) == text


def test_shape_text_both_times_signs():
    assert [shape_text(s) for s in [(), (3,), (3, 2), (2, 3, 4)]] == ["scalar", "(3,)", "3×2", "2×3×4"]
    assert shape_text((4, 3), times="x") == "4x3"  # error messages stay ASCII
    assert shape_text((5,), times="x") == "(5,)"
    assert [shape_paren(s) for s in [(), (3,), (3, 2)]] == ["(scalar)", "(3,)", "(3×2)"]
    assert shape_paren((3, 2), "x") == "(3x2)"


def test_unicode_math():
    assert subscript("u12") == "u₁₂" and superscript("-10") == "⁻¹⁰"
    assert pretty("u12 * x^2 + exp(u1)") == "u₁₂·x² + exp(u₁)"
    assert pretty("x^0.5 + f(2) + a1.5") == "x^0.5 + f(2) + a1.5"  # not powers, not indices
    assert overline("x") == "x\u0304" and overline("u") == "ū" and len(overline("u")) == 1  # NFC
    assert overline("W1") == "W̄1" and overline("bo") == "b\u0305o\u0305"
    assert ellipsize("a" * 50, 40) == "a" * 39 + "…" and ellipsize("abc", 3) == "abc"


def test_picture_values():
    assert format_value(None) == ""
    assert format_value(9.487735836358526) == "9.488"
    assert format_value(np.array([1.0, -2.0])) == "[1, -2]"
    assert format_value(np.arange(12.0).reshape(4, 3)) == "4×3 in [0, 11]"
    assert format_value(np.arange(7.0)) == "(7,) in [0, 6]"
    assert format_value(np.zeros((0, 2))) == "[]" and format_value(np.zeros((0, 2, 2))) == "0×2×2 (empty)"
    assert format_value(np.full((3, 3), np.nan)) == "3×3, no finite entries"
    assert format_value(np.array([np.nan, 1, 2, 3, 4, 5, 6])) == "(7,) in [1, 6], 1 nan/inf"
    assert format_value(np.ones((2, 2, 1))) == "2×2×1 in [1, 1]"  # 3-d arrays are never inlined
    assert format_value(1 / 3, precision=2) == "0.33"
    d = Diagonal(np.ones(3), "diag(x)")
    assert format_value(d) == format_local(d) == "3×3 diagonal"
    assert format_local(-0.5) == "-0.5"


def test_sentence_values():
    assert describe_value(None) == "—"
    assert describe_value(52.18251) == "52.18"
    assert describe_value(np.array([1.0, 2.5])) == "(2,) [1, 2.5]"
    assert describe_value(np.ones(4), compact=True) == "(4,) = 1"
    assert describe_value(np.ones(4)) == "(4,) [1, 1, 1, 1]"
    assert describe_value(np.ones(7)) == "(7,) array, every entry 1"
    assert describe_value(np.arange(12.0).reshape(4, 3)) == "4×3 array, entries from 0 to 11"
    assert describe_value(np.array([np.inf, 1, 2, 3]), compact=True) == "(4,) in [1, 3], 1 not finite"
    assert describe_value(np.zeros(0)) == "(0,) (empty)"
    assert describe_value(Diagonal(np.ones(3), "diag(x)")) == "diag(x) ((3,) ← (3,))"


def test_report_values():
    assert print_value(None) == inline_value(None) == "-"
    assert print_value(52.18251) == "52.1825"
    assert print_value(np.arange(4.0).reshape(2, 2), indent=2) == "[[0. 1.]\n   [2. 3.]]"
    assert inline_value(np.array([[1.0, 2.5]])) == "[[1, 2.5]]"
    assert inline_value(np.ones((3, 3))) == "3×3 array, |·| = 3"
    d = Diagonal(np.ones(3), "diag(x)")
    assert print_value(d) == jacobian_text(d) == "diag(x) ((3,) ← (3,))"
    assert inline_value(d) == jacobian_text(d, formula=False) == "[(3,)←(3,)]"


def test_repr_values():
    assert repr_value(1 / 3) == "0.333333"
    assert repr_value(np.array([1.0, 2.5])) == "[1. , 2.5]"
    assert repr_value(np.ones((3, 3))) == "array 3×3"


def test_text_imports_nothing_from_graphstep_but_errors():
    import ast
    import pathlib

    import graphstep.text

    tree = ast.parse(pathlib.Path(graphstep.text.__file__).read_text())
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    modules |= {a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names}
    assert {m for m in modules if m and m.startswith("graphstep")} <= {"graphstep.errors"}


def test_format_value_and_local():
    assert format_value(52.1825470999719) == "52.18"
    assert format_value(-0.0) == "0" and format_value(float("nan")) == "nan"
    assert format_value(1e-7) == "1e-07"
    assert format_value(np.array([0.5, -1.0, 2.0])) == "[0.5, -1, 2]"
    assert format_value(np.array([[1.0, 2.0], [3.0, 4.0]])) == "[[1, 2], [3, 4]]"
    big = np.linspace(-1.5, 2.25, 12).reshape(4, 3)
    assert format_value(big) == "4×3 in [-1.5, 2.25]"
    assert format_value(np.array([1.0, np.nan] * 5)) == "(10,) in [1, 1], 5 nan/inf"
    assert format_local(2.0) == "2"
    g = EXAMPLES["two-layer-tanh"].graph()
    assert format_local(g.local(g.output, 0)) == "1×12 reduction"  # the mean


def test_pretty():
    assert pretty("u12 + x^2") == "u₁₂ + x²"
    assert pretty("x * exp(u1)") == "x·exp(u₁)"
    assert pretty("x^2.5") == "x^2.5" and pretty("W1.T") == "W₁ᵀ"
    assert pretty("u12 = u11^2.") == "u₁₂ = u₁₁²."
    assert pretty("log2(x)") == "log2(x)"  # a function name keeps its digits


def test_pretty_one_notation_for_every_name():
    # a name before a full stop, an index group after an underscore, identities and the
    # all-ones vector get the same subscripts as u12 (issue 10)
    assert pretty("u7 = u5 + u6. 4×2 like u5") == "u₇ = u₅ + u₆. 4×2 like u₅"
    assert pretty("b10 + w10_0 * w1_0_2") == "b₁₀ + w₁₀,₀·w₁,₀,₂"
    assert pretty("I_4 ⊗ X, K_5,3 and 1_4ᵀ G_u2") == "I₄ ⊗ X, K₅,₃ and 1₄ᵀ G_u2"
    assert pretty("(u1 + u2).T") == "(u₁ + u₂)ᵀ" and pretty("A.T.") == "Aᵀ."
    assert pretty("np.x1 + a1.5 + [x1, 2]") == "np.x1 + a1.5 + [x₁, 2]"
