"""Adjoint names (graphstep.formulas.names): LaTeX names and the bar notation."""

from __future__ import annotations

import numpy as np
import pytest

import graphstep as gs
from graphstep.formulas import backprop as mx


def test_latex_names():
    assert mx.latex_name("W1") == "W_{1}"
    assert mx.latex_name("u12") == "u_{12}"
    assert mx.latex_name("theta") == "\\theta"
    assert mx.latex_name("Wh") == "\\mathit{Wh}"
    assert mx.latex_name("b_1") == "b_{1}"
    assert mx.latex_name("0.5") == "0.5"


def test_bar_notation_for_the_stepper():
    g = gs.parse("sum(X @ W)", X=np.ones((4, 3)), W=np.ones((3, 2)))
    assert mx.adjoint_sentence(g, 2, 1, notation="bar") == (
        "u1 = X @ W. As scalars ∂u1/∂W = X; ū1 is 4×2 and X is 4×3, "
        "so W̄ = Xᵀ ū1 (3×4 times 4×2), 3×2 like W.")
    assert all("G_" not in s for s in mx.adjoint_sentences(g, notation="bar").values())
    assert mx.adjoint_name("u1") == "G_u1"  # the default outside such a call
    assert mx.adjoint_sentence(g, 2, 1).count("G_") == 3
    with pytest.raises(gs.InputError, match="notation must be"):
        mx.adjoint_sentence(g, 2, 1, notation="dot")
