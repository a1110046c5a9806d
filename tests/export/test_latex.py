"""Unicode math as LaTeX (graphstep.export.latex): formulas, sentences, escapes."""

from __future__ import annotations

import pytest

from graphstep.export.latex import escape, math_latex, text_latex


@pytest.mark.parametrize("text, latex", [
    ("u₃ = x·u₂", r"u_{3} = x\cdot u_{2}"),
    ("∂u₃/∂x = u₂ = 9.488", r"\partial u_{3}/\partial x = u_{2} = 9.488"),
    ("ū₁", r"\bar{u}_{1}"),
    ("W̄2", r"\bar{W}_{2}"),
    ("diag(1 - u₃²)", r"\mathrm{diag}(1 - u_{3}^{2})"),
    ("u₆ᵀ ⊗ I₄", r"u_{6}^{\top} \otimes I_{4}"),
    ("1ᵀ G", r"1^{\top} G"),
    ("1₄ₓ₂", r"\mathbf{1}_{4x2}"),
    ("exp(x²)", r"\exp(x^{2})"),
    ("x⁻¹", r"x^{-1}"),
    ("[u1 > 0]", "[u_{1} > 0]"),
    ("X @ W1", r"X \, W_{1}"),
    ("θ + w₁,₂", r"\theta + w_{1,2}"),
    ("a_b & {c}", r"a\_b \& \{c\}"),
])
def test_formulas(text, latex):
    assert math_latex(text) == latex


def test_sentences_set_their_formulas_as_math_and_their_words_as_text():
    sentence = "ū2 = ū3 · x = 1 · 1.5 = 1.5 (two edges leave x, 50% of them)."
    assert text_latex(sentence) == (r"$\bar{u}_{2} = \bar{u}_{3} \cdot x = 1 \cdot 1.5 = 1.5$ "
                                    r"(two edges leave x, 50\% of them).")
    assert text_latex("gradient: x̄ = 52.18; they agree") == r"gradient: $\bar{x} = 52.18$; they agree"


def test_every_character_is_safe_for_pdflatex():
    assert escape("a—b ‘c’ “d” ⊙ é") == "a---b `c' ``d'' $\\odot$ é"
    assert escape("\u2603") == "?"
    assert math_latex("\u2603") == r"\text{?}"
