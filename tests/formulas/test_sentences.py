"""Dimension-analysis sentences (graphstep.formulas.sentences): every op's sentence, from its entry."""

from __future__ import annotations

import numpy as np
import pytest

import graphstep as gs
from graphstep.formulas.sentences import adjoint_sentence, adjoint_sentences
from graphstep.ops.table import CONST, OPS

RNG = np.random.default_rng(5)
CASES = [
    ("sum(A @ B)", dict(A=RNG.normal(size=(2, 3)), B=RNG.normal(size=(3, 2)))),
    ("dot(v, w) + sum(A.T)", dict(v=RNG.normal(size=3), w=RNG.normal(size=3), A=RNG.normal(size=(3, 2)))),
    ("sum(softmax(A, axis=0) * max(A, axis=1) + min(A) + mean(A, axis=0))", dict(A=RNG.normal(size=(2, 2)))),
    ("sum(tanh(A) * 2 - B)", dict(A=RNG.normal(size=(2, 2)), B=RNG.normal(size=2))),
]


def test_every_structural_op_has_its_own_sentence():
    seen = set()
    for text, values in CASES:
        g = gs.parse(text, **values)
        for (head, pos), sentence in adjoint_sentences(g).items():
            op = g.op(head)
            seen.add(op)
            tail = g.args(head)[pos]
            if g.shape_of(tail) != () or g.shape_of(head) != ():
                assert sentence.endswith(f"like {g.label(tail)}."), sentence
            if OPS[op].sentence is not None or not OPS[op].elementwise:
                assert "entry by entry" not in sentence
    structural = {n for n, s in OPS.items() if not s.elementwise} - {"reshape", "stack"}
    assert structural <= seen, structural - seen


def test_reshape_and_stack_sentences():
    g = gs.parse("sum(reshape([v, w], (4,)))", v=np.ones(2), w=np.ones(2))
    sentences = adjoint_sentences(g)
    assert sentences[(2, 1)] == "u1 = [v, w]. w is entry 1 of u1 (2x2): G_w = G_u1[1], (2,) like w."
    assert sentences[(3, 0)] == (
        "u2 = reshape(u1, (4,)). The same numbers in another shape: G_u1 = reshape(G_u2, 2x2), "
        "2x2 like u1.")


@pytest.mark.parametrize("text, values", CASES[:3])
def test_bar_notation_everywhere(text, values):
    g = gs.parse(text, **values)
    for (head, pos), sentence in adjoint_sentences(g, notation="bar").items():
        assert "G_" not in sentence
        assert sentence.replace("ū", "").replace("̄", "") != ""
        assert adjoint_sentence(g, head, pos).count("G_") >= 1 or g.op(g.args(head)[pos]) == CONST
