"""Expression nodes (graphstep.formulas.expr) and the public builder (graphstep.formulas.builder):
text, LaTeX and value of every node, the notation passed explicitly, the folding of numbers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import graphstep as gs
from graphstep.formulas import builder as m
from graphstep.formulas import expr
from graphstep.formulas.expr import Env, Expr
from graphstep.formulas.names import adjoint_name, check_notation, latex_name

G = gs.parse("sum(A * B)", A=np.arange(6.0).reshape(2, 3), B=np.ones((2, 3)))
A = m.value((2, 3), 0, "A")
B = m.value((2, 3), 1, "B")


def _value(e: Expr):
    return e.evaluate(Env(G, {}))


@pytest.mark.parametrize("e, text, latex, value", [
    (m.transpose(A), "Aᵀ", r"A^{\top}", np.arange(6.0).reshape(2, 3).T),
    (m.fn("cos", A), "cos(A)", r"\cos\left(A\right)", np.cos(np.arange(6.0).reshape(2, 3))),
    (m.power(A, 2), "A²", "A^{2}", np.arange(6.0).reshape(2, 3) ** 2),
    (m.indicator(A, ">", m.const(2.0)), "[A > 2]", "[A > 2]", np.arange(6.0).reshape(2, 3) > 2),
    (m.sum_keep(A, -1), "sum(A, axis=-1)", r"\textstyle\sum_{\text{axis }-1} A", [[3.0], [12.0]]),
    (m.reshape(A, (3, 2)), "reshape(A, 3×2)", r"\operatorname{reshape}_{3\times 2}\left(A\right)",
     np.arange(6.0).reshape(3, 2)),
    (m.index(A, 1, (3,)), "A[1]", "A_{[1]}", [3.0, 4.0, 5.0]),
    (m.matmul(A, m.transpose(B)), "A Bᵀ", r"A\,B^{\top}", np.arange(6.0).reshape(2, 3) @ np.ones((3, 2))),
    (m.div(A, m.add([B, B])), "A / (2·B)", r"\frac{A}{2\,B}", np.arange(6.0).reshape(2, 3) / 2),
    (m.had(m.neg(A), B), "(-A) ⊙ B", r"\left(-A\right) \odot B", -np.arange(6.0).reshape(2, 3)),
    (m.scale(0.5, m.scale(2.0, A)), "A", "A", np.arange(6.0).reshape(2, 3)),
    (m.sum_to(A, (3,)), "1_2ᵀ A", r"\mathbf{1}_{2}^{\top} A", [3.0, 5.0, 7.0]),
    (m.expand(m.value((3,), 0, "r"), (0,), (2, 3)), "1_2 rᵀ", r"\mathbf{1}_{2} r^{\top}", None),
])
def test_nodes_print_and_evaluate(e, text, latex, value):
    assert e.text() == text and e.latex() == latex
    if value is not None:
        np.testing.assert_allclose(_value(e), value)


def test_the_generated_nodes_are_frozen_dataclasses_with_their_fields():
    node = expr.Index((3,), A, 2)
    assert dataclasses.is_dataclass(node) and node.index == 2 and node.a is A
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.index = 1  # type: ignore[misc]
    assert expr.Mask((2, 3), 4, "A").which == "max" and expr.Value((), 0).name == ""
    assert node.replace(lambda e: B if e is A else None).a is B
    assert expr.MatMul.prec == 2 and expr.MatMul.kind == "mm" and expr.Transpose.prec == 4


def test_the_notation_is_passed_explicitly():
    e = m.had(m.adjoint((2, 3), 5, "u1"), m.fn("sin", A))
    assert e.text() == "G_u1 ⊙ sin(A)" and e.text("bar") == "ū1 ⊙ sin(A)"
    assert e.text() == "G_u1 ⊙ sin(A)"  # nothing was left behind by the call above
    assert adjoint_name("W1") == "G_W1" and adjoint_name("W1", "bar") == "W̄1"
    with pytest.raises(gs.InputError, match="notation must be 'G'"):
        check_notation("dot")
    assert latex_name("theta2") == r"\theta_{2}"


def test_the_builder_folds_numbers_and_like_terms():
    assert m.add([A, A]).text() == "2·A"
    assert m.add([m.const(1.0), m.neg(m.power(A, 2))]).text() == "1 - A²"
    assert m.transpose(m.matmul(A, m.transpose(B))).text() == "B Aᵀ"
    assert m.uniform(m.const(3.0)) == 3.0 and m.uniform(A) is None
    assert m.fit(m.const(2.0), (2, 3)).text() == "2·1_2x3"
