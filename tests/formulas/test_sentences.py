"""Dimension-analysis sentences (graphstep.formulas.sentences): every op's sentence, from its entry."""

from __future__ import annotations

import numpy as np
import pytest

import graphstep as gs
from graphstep.formulas import backprop as mx
from graphstep.formulas.sentences import adjoint_sentence, adjoint_sentences
from graphstep.gallery.examples import EXAMPLES
from graphstep.ops import jacobians as jac
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
    structural = {n for n, s in OPS.items() if not s.elementwise} - {"reshape", "stack", "composite"}
    assert structural <= seen, structural - seen


def test_reshape_and_stack_sentences():
    g = gs.parse("sum(reshape([v, w], (4,)))", v=np.ones(2), w=np.ones(2))
    sentences = adjoint_sentences(g)
    assert sentences[(2, 1)] == "u1 = [v, w]. w is entry 1 of u1 (2×2): G_w = G_u1[1], (2,) like w."
    assert sentences[(3, 0)] == (
        "u2 = reshape(u1, (4,)). The same numbers in another shape: G_u1 = reshape(G_u2, 2×2), "
        "2×2 like u1.")


@pytest.mark.parametrize("text, values", CASES[:3])
def test_bar_notation_everywhere(text, values):
    g = gs.parse(text, **values)
    for (head, pos), sentence in adjoint_sentences(g, notation="bar").items():
        assert "G_" not in sentence
        assert sentence.replace("ū", "").replace("̄", "") != ""
        assert adjoint_sentence(g, head, pos).count("G_") >= 1 or g.op(g.args(head)[pos]) == CONST


def randn(*shape):
    return RNG.normal(size=shape)


def node_named(g, label):
    return next(n for n in range(len(g)) if g.label(n) == label)


def edge(g, head_label, tail_label):
    head = node_named(g, head_label)
    return head, [g.label(a) for a in g.args(head)].index(tail_label)


def test_seed_001_score_equals_XW_plus_b_in_words():
    N, D, C = 4, 3, 2
    g = gs.parse("sum((X @ W + b - Y)^2)", X=randn(N, D), W=randn(D, C), b=randn(C), Y=randn(N, C))
    assert mx.adjoint_sentence(g, *edge(g, "u1", "W")) == (
        "u1 = X @ W. As scalars ∂u1/∂W = X; G_u1 is 4×2 and X is 4×3, "
        "so G_W = Xᵀ G_u1 (3×4 times 4×2), 3×2 like W.")
    assert mx.adjoint_sentence(g, *edge(g, "u1", "X")) == (
        "u1 = X @ W. As scalars ∂u1/∂X = W; G_u1 is 4×2 and W is 3×2, "
        "so G_X = G_u1 Wᵀ (4×2 times 2×3), 4×3 like X.")
    assert mx.adjoint_sentence(g, *edge(g, "u2", "b")) == (
        "b (2,) is broadcast to 4×2, so each entry of b is used 4 times; as scalars ∂u2/∂b = 1, "
        "and the uses add up: G_b = 1_4ᵀ G_u2 (1×4 times 4×2), (2,) like b.")


def test_seed_003_outer_product_in_words():
    g = gs.parse("sum((t - M @ x)^2)", t=randn(3), M=randn(3, 2), x=randn(2))
    assert mx.adjoint_sentence(g, *edge(g, "u1", "M")) == (
        "u1 = M @ x. As scalars ∂u1/∂M = x; G_u1 is (3,) and x is (2,), "
        "so G_M = G_u1 xᵀ, an outer product, 3×2 like M.")
    assert mx.adjoint_sentence(g, *edge(g, "u1", "x")) == (
        "u1 = M @ x. As scalars ∂u1/∂x = M; G_u1 is (3,) and M is 3×2, so G_x = Mᵀ G_u1, (2,) like x.")


def test_seed_000_activation_and_reduction_sentences():
    g = EXAMPLES["mlp-matrix-backprop"].graph()
    # the gallery names the seed's steps: Z1 = sigmoid(X @ W1), Z2 = sigmoid(Z1 @ W2), J = ...
    assert mx.adjoint_sentence(g, *edge(g, "Z1", "u1")) == (
        "Z1 = sigmoid(u1). It acts entry by entry, so its Jacobian diag(Z1·(1 - Z1)) is diagonal: "
        "as scalars ∂Z1/∂u1 = Z1·(1 - Z1), and G_u1 = G_Z1 ⊙ Z1 ⊙ (1 - Z1) is an elementwise "
        "product, 5×4 like u1.")
    assert mx.adjoint_sentence(g, *edge(g, "u6", "u5")) == (  # u4 = broadcast(2), the scalar exponent's
        "u6 = sum(u5). It adds up all 10 entries of u5: as scalars ∂u6/∂u5 = 1 for each entry, "
        "so G_u5 = G_u6: G_u6 (scalar) copied back to every entry it came from, 5×2 like u5.")
    assert mx.adjoint_sentence(g, *edge(g, "u3", "Y")) == (
        "u3 = Z2 - Y. As scalars ∂u3/∂Y = -1, the same for every entry, so G_Y = -G_u3, 5×2 like Y.")


@pytest.mark.parametrize("expression, values, head, tail, expected", [
    ("sum(mean(A, axis=0) * v)", dict(A=np.ones((3, 4)), v=np.ones(4)), "u1", "A",
     "u1 = mean(A, axis=0). It averages A along axis 0 (3 entries each time): as scalars "
     "∂u1/∂A = 1/3 for each entry, so G_A = (1_3 G_u1ᵀ)/3: G_u1 (4,) copied back to every "
     "entry it came from, 3×4 like A."),
    ("sum(A.T @ v)", dict(A=np.ones((3, 4)), v=np.ones(3)), "u1", "A",
     "u1 = A.T. The entries only move: G_A = G_u1ᵀ, 3×4 like A."),
    ("sum(reshape(v, (2, 2)))", dict(v=np.ones(4)), "u1", "v",
     "u1 = reshape(v, (2, 2)). The same numbers in another shape: G_v = reshape(G_u1, (4,)), (4,) like v."),
    ("sum([v, u] * K)", dict(v=np.ones(2), u=np.ones(2), K=np.ones((2, 2))), "u1", "u",
     "u1 = [v, u]. u is entry 1 of u1 (2×2): G_u = G_u1[1], (2,) like u."),
    ("sum(softmax(z) * t)", dict(z=np.arange(3.0), t=np.ones(3)), "u1", "z",
     "u1 = softmax(z, axis=-1). Softmax couples the entries along axis -1: its Jacobian "
     "diag(u1) - u1·u1ᵀ is not diagonal, so G_z = u1 ⊙ (G_u1 - sum(G_u1 ⊙ u1, axis=-1)), (3,) like z."),
    ("max(v)", dict(v=np.arange(3.0)), "u1", "v",
     "u1 = max(v). Only the largest entry counts: as scalars ∂u1/∂v = 1 there and 0 elsewhere, "
     "so G_v = G_u1·onehot(argmax v), (3,) like v."),
    ("dot(w, x)", dict(w=np.ones(3), x=np.ones(3)), "u1", "w",
     "u1 = dot(w, x). As scalars ∂u1/∂w = x; G_u1 is a scalar and x is (3,), so G_w = G_u1·x, (3,) like w."),
    ("sum(w @ A)", dict(w=np.ones(3), A=np.ones((3, 2))), "u1", "A",
     "u1 = w @ A. As scalars ∂u1/∂A = w; G_u1 is (2,) and w is (3,), so G_A = w G_u1ᵀ, an outer "
     "product, 3×2 like A."),
])
def test_sentences_for_structural_ops(expression, values, head, tail, expected):
    g = gs.parse(expression, **values)
    assert mx.adjoint_sentence(g, *edge(g, head, tail)) == expected


def test_scalar_edges_get_a_plain_sentence():
    g = gs.parse("x * exp(x^2)", x=1.5)
    sentences = mx.adjoint_sentences(g)
    assert list(sentences) == [(4, 0), (4, 1), (3, 0), (2, 0)]  # output side first; no constant edges
    assert sentences[(4, 0)] == ("u3 = x*u2: ∂u3/∂x = u2 = 9.488, so G_x gets G_u3·u2; "
                                 "x has 2 uses and G_x adds up their contributions.")
    assert sentences[(2, 0)] == ("u1 = x^2: ∂u1/∂x = 2·x = 3, so G_x gets G_u1·2·x; "
                                 "x has 2 uses and G_x adds up their contributions.")


def test_every_tensor_edge_gets_a_sentence_with_its_shapes():
    for name, example in EXAMPLES.items():
        g = example.graph()
        sentences = mx.adjoint_sentences(g)
        for (head, pos), sentence in sentences.items():
            tail = g.args(head)[pos]
            assert g.op(tail) != "const"
            if g.is_scalar:
                assert f"G_{g.label(tail)} gets G_{g.label(head)}" in sentence, (name, sentence)
            elif g.shape_of(head) != () or g.shape_of(tail) != ():
                assert f"G_{g.label(tail)} = " in sentence, (name, sentence)
                assert f"{jac.shape_text(g.shape_of(tail))} like {g.label(tail)}." in sentence


def test_sentence_for_a_constant_and_a_bad_position():
    g = gs.parse("sum(v * 2)", v=np.ones(3))
    assert mx.adjoint_sentence(g, 2, 0) == "2 is a constant: it takes no gradient."  # 2 -> broadcast(2)
    with pytest.raises(gs.InputError, match="has no argument 5"):
        mx.adjoint_sentence(g, 2, 5)
