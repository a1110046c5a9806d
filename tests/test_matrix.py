"""Dimension analysis in words and matrix-form backprop formulas (graphstep.formulas.backprop).

The sentences are compared with the seeds' own derivations; the formulas are evaluated
with numpy and compared with reverse accumulation, the seeds' closed forms and HIPS
autograd; every edge's adjoint rule is compared with its Jacobian's vjp.
"""

from __future__ import annotations

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad as ag_grad
from hypothesis import given, settings
from hypothesis import strategies as st

import graphstep as gs
from graphstep.formulas import backprop as mx
from graphstep.formulas.expr import Adjoint
from graphstep.gallery.examples import EXAMPLES
from graphstep.ops import jacobians as jac

RNG = np.random.default_rng(7)


def randn(*shape):
    return RNG.normal(size=shape)


def node_named(g, label):
    return next(n for n in range(len(g)) if g.label(n) == label)


def edge(g, head_label, tail_label):
    head = node_named(g, head_label)
    return head, [g.label(a) for a in g.args(head)].index(tail_label)


# --------------------------------------------------------------------------------------
# dimension analysis, shown (seeds 000 and 001)
# --------------------------------------------------------------------------------------


def test_seed_001_score_equals_XW_plus_b_in_words():
    N, D, C = 4, 3, 2
    g = gs.parse("sum((X @ W + b - Y)^2)", X=randn(N, D), W=randn(D, C), b=randn(C), Y=randn(N, C))
    assert mx.adjoint_sentence(g, *edge(g, "u1", "W")) == (
        "u1 = X @ W. As scalars ∂u1/∂W = X; G_u1 is 4x2 and X is 4x3, "
        "so G_W = Xᵀ G_u1 (3x4 times 4x2), 3x2 like W.")
    assert mx.adjoint_sentence(g, *edge(g, "u1", "X")) == (
        "u1 = X @ W. As scalars ∂u1/∂X = W; G_u1 is 4x2 and W is 3x2, "
        "so G_X = G_u1 Wᵀ (4x2 times 2x3), 4x3 like X.")
    assert mx.adjoint_sentence(g, *edge(g, "u2", "b")) == (
        "b (2,) is broadcast to 4x2, so each entry of b is used 4 times; as scalars ∂u2/∂b = 1, "
        "and the uses add up: G_b = 1_4ᵀ G_u2 (1x4 times 4x2), (2,) like b.")


def test_seed_003_outer_product_in_words():
    g = gs.parse("sum((t - M @ x)^2)", t=randn(3), M=randn(3, 2), x=randn(2))
    assert mx.adjoint_sentence(g, *edge(g, "u1", "M")) == (
        "u1 = M @ x. As scalars ∂u1/∂M = x; G_u1 is (3,) and x is (2,), "
        "so G_M = G_u1 xᵀ, an outer product, 3x2 like M.")
    assert mx.adjoint_sentence(g, *edge(g, "u1", "x")) == (
        "u1 = M @ x. As scalars ∂u1/∂x = M; G_u1 is (3,) and M is 3x2, so G_x = Mᵀ G_u1, (2,) like x.")


def test_seed_000_activation_and_reduction_sentences():
    g = EXAMPLES["mlp-matrix-backprop"].graph()
    assert mx.adjoint_sentence(g, *edge(g, "u2", "u1")) == (
        "u2 = sigmoid(u1). It acts entry by entry, so its Jacobian diag(u2·(1 - u2)) is diagonal: "
        "as scalars ∂u2/∂u1 = u2·(1 - u2), and G_u1 = G_u2 ⊙ u2 ⊙ (1 - u2) is an elementwise "
        "product, 5x4 like u1.")
    assert mx.adjoint_sentence(g, *edge(g, "u7", "u6")) == (
        "u7 = sum(u6). It adds up all 10 entries of u6: as scalars ∂u7/∂u6 = 1 for each entry, "
        "so G_u6 = G_u7: G_u7 (scalar) copied back to every entry it came from, 5x2 like u6.")
    assert mx.adjoint_sentence(g, *edge(g, "u5", "Y")) == (
        "u5 = u4 - Y. As scalars ∂u5/∂Y = -1, the same for every entry, so G_Y = -G_u5, 5x2 like Y.")


@pytest.mark.parametrize("expression, values, head, tail, expected", [
    ("sum(mean(A, axis=0) * v)", dict(A=np.ones((3, 4)), v=np.ones(4)), "u1", "A",
     "u1 = mean(A, axis=0). It averages A along axis 0 (3 entries each time): as scalars "
     "∂u1/∂A = 1/3 for each entry, so G_A = (1_3 G_u1ᵀ)/3: G_u1 (4,) copied back to every "
     "entry it came from, 3x4 like A."),
    ("sum(A.T @ v)", dict(A=np.ones((3, 4)), v=np.ones(3)), "u1", "A",
     "u1 = A.T. The entries only move: G_A = G_u1ᵀ, 3x4 like A."),
    ("sum(reshape(v, (2, 2)))", dict(v=np.ones(4)), "u1", "v",
     "u1 = reshape(v, (2, 2)). The same numbers in another shape: G_v = reshape(G_u1, (4,)), (4,) like v."),
    ("sum([v, u] * K)", dict(v=np.ones(2), u=np.ones(2), K=np.ones((2, 2))), "u1", "u",
     "u1 = [v, u]. u is entry 1 of u1 (2x2): G_u = G_u1[1], (2,) like u."),
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
     "product, 3x2 like A."),
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
    assert mx.adjoint_sentence(g, 2, 1) == "2 is a constant: it takes no gradient."
    with pytest.raises(gs.InputError, match="has no argument 5"):
        mx.adjoint_sentence(g, 2, 5)


# --------------------------------------------------------------------------------------
# every edge's rule against its Jacobian
# --------------------------------------------------------------------------------------

RULE_CASES = [
    ("sum(sin(A) * cos(C) + tan(A / 3) - exp(C) / sqrt(P))", dict(A=randn(2, 3), C=randn(2, 3),
                                                                  P=RNG.uniform(1, 2, (2, 3)))),
    ("sum(tanh(A) * sigmoid(C) + relu(A) * abs(C) + square(A) - log(P) + P^A + A^3)",
     dict(A=randn(2, 3), C=randn(2, 3), P=RNG.uniform(1, 2, (2, 3)))),
    ("sum(max(A, C) + min(A, C) + max(0, A) - -C)", dict(A=randn(2, 3), C=randn(2, 3))),
    ("sum(sin(A @ B) + (A @ v) @ w.T)", dict(A=randn(3, 4), B=randn(4, 2), v=randn(4), w=randn(3))),
    ("sum(w @ A) + dot(v, u)", dict(A=randn(3, 4), w=randn(3), v=randn(4), u=randn(4))),
    ("sum(A.T * B) + mean(A, axis=1) @ w", dict(A=randn(3, 4), B=randn(4, 3), w=randn(3))),
    ("sum(max(A, axis=0) * v) + min(A) + max(A, axis=(0, 1))", dict(A=randn(3, 4), v=randn(4))),
    ("sum(softmax(A, axis=0) * C) + sum(softmax(v) * u)",
     dict(A=randn(3, 4), C=randn(3, 4), v=randn(4), u=randn(4))),
    ("sum(reshape(A, (4, 3)) @ w) + sum([v, u] * K)",
     dict(A=randn(3, 4), w=randn(3), v=randn(4), u=randn(4), K=randn(2, 4))),
    ("sum((A + r + c + s) ** 2) / s", dict(A=randn(3, 4), r=randn(4), c=randn(3, 1), s=1.3)),
    ("sum(sum(A * A, axis=-1) * w) + mean(A, axis=(0, 1)) * 3", dict(A=randn(3, 4), w=randn(3))),
    ("sum(log1p(P) * A)", dict(P=np.linspace(-0.5, 2.0, 6).reshape(2, 3),
                               A=np.linspace(-1.0, 1.0, 6).reshape(2, 3))),
]


@pytest.mark.parametrize("expression, values", RULE_CASES, ids=[c[0][:40] for c in RULE_CASES])
def test_every_adjoint_rule_equals_the_edge_vjp(expression, values):
    g = gs.parse(expression, **values)
    ops_seen = set()
    for tail, head, pos in g.edges():
        if g.op(tail) == "const":
            continue
        upstream = RNG.normal(size=g.shape_of(head))
        upstream = float(upstream) if np.ndim(upstream) == 0 else upstream
        rule = mx.adjoint_rule(g, head, pos)
        env = mx.Env(g, {})
        env.memo[head] = upstream
        value = rule.evaluate(env)
        expected = jac.vjp(g.local(head, pos), upstream)
        assert np.shape(np.broadcast_to(value, g.shape_of(tail))) == g.shape_of(tail)
        np.testing.assert_allclose(np.broadcast_to(value, g.shape_of(tail)), expected,
                                   rtol=1e-12, atol=1e-12, err_msg=f"{g.op(head)}: {rule.text()}")
        assert not isinstance(rule, mx.Pullback), rule.text()  # every op has a matrix form
        ops_seen.add(g.op(head))
    assert ops_seen


def test_the_rule_cases_cover_every_op():
    from graphstep.ops.table import OPS

    used = set()
    for expression, values in RULE_CASES:
        g = gs.parse(expression, **values)
        used.update(g.op(n) for n in range(len(g)))
    assert set(OPS) - {"stack"} <= used | {"stack"} and "stack" in used
    assert set(OPS) <= used, set(OPS) - used


# --------------------------------------------------------------------------------------
# matrix-form backprop formulas (seed 000)
# --------------------------------------------------------------------------------------


def test_seed_000_mlp_formulas_text_latex_and_check():
    g = EXAMPLES["mlp-matrix-backprop"].graph()
    formulas = mx.backprop_formulas(g)
    assert list(formulas) == g.inputs == ["X", "W1", "W2", "Y"]
    w1, w2 = formulas["W1"], formulas["W2"]
    forward = "  where u1 = X @ W1, u2 = sigmoid(u1), u3 = u2 @ W2, u4 = sigmoid(u3), u5 = u4 - Y"
    # dJ/dW^l = (Z^{l-1})^T (G^l ⊙ s'(Z^l)) and G^l = (G^{l+1} ⊙ s'(Z^{l+1})) (W^{l+1})^T
    assert w1.text == "\n".join([
        "∂L/∂W1 = Xᵀ (G_u2 ⊙ u2 ⊙ (1 - u2))",
        "  G_u2 = (G_u4 ⊙ u4 ⊙ (1 - u4)) W2ᵀ",
        "  G_u4 = u5",
        forward])
    assert w2.text.splitlines()[:2] == ["∂L/∂W2 = u2ᵀ (G_u4 ⊙ u4 ⊙ (1 - u4))", "  G_u4 = u5"]
    assert formulas["X"].text.splitlines()[0] == "∂L/∂X = (G_u2 ⊙ u2 ⊙ (1 - u2)) W1ᵀ"
    assert formulas["Y"].text.splitlines()[0] == "∂L/∂Y = -u5"
    assert _inline(w1).text() == "Xᵀ (((u5 ⊙ u4 ⊙ (1 - u4)) W2ᵀ) ⊙ u2 ⊙ (1 - u2))"
    latex = w1.latex
    assert latex.startswith("\\begin{aligned}\n\\frac{\\partial L}{\\partial W_{1}} &= X^{\\top}")
    assert ("G_{u_{2}} &= \\left(G_{u_{4}} \\odot u_{4} \\odot \\left(1 - u_{4}\\right)\\right)"
            "\\,W_{2}^{\\top}") in latex
    assert "u_{2} &= \\sigma\\left(u_{1}\\right)" in latex
    assert latex.count("{") == latex.count("}") and latex.count("\\left") == latex.count("\\right")
    expected = EXAMPLES["mlp-matrix-backprop"].expected(g)
    for name, formula in formulas.items():
        check = formula.check()
        assert check.ok and check.max_abs_error < 1e-12, (name, str(check))
        np.testing.assert_allclose(formula.evaluate(), expected[name], rtol=1e-12, atol=1e-12)
        assert "agrees with" in str(check)


def _inline(formula):
    """The gradient as one expression: every named adjoint replaced by its formula."""
    table = dict(formula.definitions)

    def substitute(e):
        if isinstance(e, Adjoint) and e.node in table:
            return table[e.node].replace(substitute)
        return None

    return formula.expr.replace(substitute)


@pytest.mark.parametrize("named", ["auto", "all", "none"])
@pytest.mark.parametrize("name", sorted(n for n, e in EXAMPLES.items() if e.kind == "grad"))
def test_every_gallery_formula_checks_against_grad_and_the_closed_form(name, named):
    example = EXAMPLES[name]
    g = example.graph()
    expected = example.expected(g)
    for input_name, formula in mx.backprop_formulas(g, named=named).items():
        assert formula.check().ok, (name, input_name, formula.text)
        np.testing.assert_allclose(formula.evaluate(), expected[input_name], rtol=1e-9, atol=1e-12)
        inline = mx.Formula(g, input_name, formula.node, _inline(formula), ())
        np.testing.assert_allclose(inline.evaluate(), expected[input_name], rtol=1e-9, atol=1e-12)
        text, latex = formula.text, formula.latex
        assert text.startswith(f"∂L/∂{input_name} = ")
        assert latex.count("{") == latex.count("}")
        if named == "none":
            assert all(g.users[n] and len(g.users[n]) > 1 for n, _ in formula.definitions)


@pytest.mark.parametrize("name, input_name, text", [
    ("affine-broadcast-bias", "W", "∂L/∂W = Xᵀ u4"),
    ("affine-broadcast-bias", "b", "∂L/∂b = 1_4ᵀ u4"),  # seed 001: dL/db is the column sums
    ("outer-product", "M", "∂L/∂M = -2·(u2 xᵀ)"),  # seed 003: -2 (t - Mx) xᵀ
    ("linear-regression", "th", "∂L/∂th = (Xᵀ u2)/4"),  # seed 000: X^T (X th - y) / m
    ("two-layer-tanh", "Wh", "∂L/∂Wh = (G_u5 ⊙ (1 - u5²))ᵀ X"),  # seed 002: dZ_hᵀ X
    ("two-layer-tanh", "X", "∂L/∂X = (G_u5 ⊙ (1 - u5²)) Wh"),
    ("neuron-cost", "w", "∂L/∂w = Xᵀ (G_u4 ⊙ [u3 > 0])"),
    ("sigmoid-network-ce", "b2", "∂L/∂b2 = G_u6 ⊙ u6 ⊙ (1 - u6)"),
    ("chain-rule", "x", "∂L/∂x = 3·(G_u2·cos(u1)·x²)"),
])
def test_gallery_formula_first_lines(name, input_name, text):
    formula = mx.backprop_formulas(EXAMPLES[name].graph())[input_name]
    assert formula.text.splitlines()[0] == text


def test_named_adjoints_can_be_chosen():
    g = EXAMPLES["mlp-matrix-backprop"].graph()
    f = mx.backprop_formulas(g, named=["u3"])["W1"]
    assert f.text.splitlines()[:2] == ["∂L/∂W1 = Xᵀ ((G_u3 W2ᵀ) ⊙ u2 ⊙ (1 - u2))",
                                       "  G_u3 = u5 ⊙ u4 ⊙ (1 - u4)"]
    assert f.check().ok
    full = mx.backprop_formulas(g, named="all")["W1"]
    assert [g.label(n) for n, _ in full.definitions] == ["u1", "u2", "u3", "u4", "u5", "u6", "u7"]
    assert full.text.splitlines()[0] == "∂L/∂W1 = Xᵀ G_u1" and full.check().ok
    with pytest.raises(gs.InputError, match="no node 'u99'"):
        mx.backprop_formulas(g, named=["u99"])
    with pytest.raises(gs.InputError, match="named must be"):
        mx.backprop_formulas(g, named="some")


def test_shared_nodes_are_named_and_their_contributions_add():
    g = gs.parse("sum(tanh(W @ x) * (W @ x))", W=randn(3, 3), x=randn(3))
    f = mx.backprop_formulas(g, named="none")["x"]
    assert f.check().ok
    g = gs.parse("sum(h * h)", h=randn(4))
    assert mx.backprop_formulas(g)["h"].text == "∂L/∂h = 2·h"
    g = gs.parse("sum(u * sin(u))", u=randn(4))
    f = mx.backprop_formulas(g)["u"]
    assert f.text.splitlines()[:2] == ["∂L/∂u = G_u1 ⊙ cos(u) + u1", "  G_u1 = u"]  # u1 = sin(u)
    assert f.check().ok


def test_formulas_need_a_scalar_output():
    with pytest.raises(gs.ShapeError, match=r"backprop formulas need a scalar output, but A @ v has shape"):
        mx.backprop_formulas(gs.parse("A @ v", A=np.ones((2, 2)), v=np.ones(2)))


def test_formula_check_reports_a_mismatch():
    g = EXAMPLES["affine-broadcast-bias"].graph()
    f = mx.backprop_formulas(g)["W"]
    wrong = mx.Formula(g, "W", f.node, mx.scale(2.0, f.expr), f.definitions)
    check = wrong.check()
    assert not check.ok and not check and check.max_abs_error > 0.1
    assert "DIFFERS from" in str(check)


@settings(max_examples=15, deadline=None)
@given(layers=st.lists(st.tuples(st.integers(1, 4), st.sampled_from(["tanh", "sigmoid", "relu"])),
                       min_size=1, max_size=3),
       batch=st.integers(1, 4), n_in=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_random_mlp_formulas_match_autograd(layers, batch, n_in, seed):
    rng = np.random.default_rng(seed)
    values = {"X": rng.normal(size=(batch, n_in))}
    expression, width = "X", n_in
    for k, (n_out, activation) in enumerate(layers, start=1):
        values[f"W{k}"] = rng.normal(size=(width, n_out))
        values[f"b{k}"] = rng.normal(size=n_out)
        expression = f"{activation}({expression} @ W{k} + b{k})"
        width = n_out
    values["Y"] = rng.normal(size=(batch, width))
    g = gs.parse(f"mean(({expression} - Y)^2)", **values)
    fns = {"tanh": anp.tanh, "sigmoid": lambda z: 1 / (1 + anp.exp(-z)), "relu": lambda z: anp.maximum(z, 0)}

    def loss(params):
        h = values["X"]
        for k, (_, activation) in enumerate(layers, start=1):
            h = fns[activation](anp.dot(h, params[f"W{k}"]) + params[f"b{k}"])
        return anp.mean((h - values["Y"]) ** 2)

    params = {k: v for k, v in values.items() if k[0] in "Wb"}
    reference = ag_grad(loss)(params)
    formulas = mx.backprop_formulas(g)
    for k in params:
        assert formulas[k].check().ok
        np.testing.assert_allclose(formulas[k].evaluate(), reference[k], rtol=1e-9, atol=1e-12)
    last = len(layers)
    assert formulas[f"W{last}"].text.splitlines()[0].startswith(
        f"∂L/∂W{last} = {'X' if last == 1 else 'u'}")


# --------------------------------------------------------------------------------------
# numerator and denominator layout (seed 003)
# --------------------------------------------------------------------------------------


def edge_formula(g, head, pos, layout="numerator"):
    """An edge's local derivative written in ``layout`` (was graphstep's test-only edge_formula)."""
    local = g.local(head, pos)
    if isinstance(local, jac.Jacobian):
        return local.layout_formula(layout)
    jac.check_layout(layout)
    return g.formula(head, pos)


def path_formula(g, path, layout="numerator"):
    """A path's product in ``layout``: output first (numerator) or input first."""
    factors = [edge_formula(g, edge.head, edge.pos, layout) for edge in path.edges]
    if layout == "denominator":
        factors.reverse()
    body = " · ".join(f"({f})" if " " in f and not f.startswith("diag(") else f for f in factors) or "1"
    return f"∂{g.label(path.nodes[0])}/∂{g.label(path.nodes[-1])} = {body}"


def test_edge_and_path_formulas_in_both_layouts():
    g = gs.parse("sum(tanh(M @ x))", M=randn(3, 2), x=randn(2))
    matmul = next(n for n in range(len(g)) if g.op(n) == "matmul")
    assert edge_formula(g, matmul, 0) == "xᵀ ⊗ I_3"
    assert edge_formula(g, matmul, 0, "denominator") == "x ⊗ I_3"
    assert edge_formula(g, matmul, 1, "denominator") == "Mᵀ"
    (path,) = list(gs.paths(g, "M"))
    assert path_formula(g, path) == "∂u3/∂M = 1ᵀ · diag(1 - u2²) · (xᵀ ⊗ I_3)"
    assert path_formula(g, path, "denominator") == "∂u3/∂M = (x ⊗ I_3) · diag(1 - u2²) · 1"
    # the product of the transposed factors, in the reversed order, is the transposed product
    product = path.product
    assert product.formula_t == "(x ⊗ I_3) · diag(1 - u2²) · 1"
    np.testing.assert_allclose(product.dense(layout="denominator"), product.dense().T)
    np.testing.assert_allclose(product.dense(layout="denominator").reshape(3, 2),
                               gs.grad(g, "M"), rtol=1e-12)
    scalar = gs.parse("sin(x) * 2", x=0.3)
    assert edge_formula(scalar, 1, 0, "denominator") == "cos(x)"
    with pytest.raises(gs.InputError, match="layout must be 'numerator' or 'denominator'"):
        edge_formula(g, matmul, 0, "rows")


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
        "u1 = X @ W. As scalars ∂u1/∂W = X; ū1 is 4x2 and X is 4x3, "
        "so W̄ = Xᵀ ū1 (3x4 times 4x2), 3x2 like W.")
    assert all("G_" not in s for s in mx.adjoint_sentences(g, notation="bar").values())
    assert mx.adjoint_name("u1") == "G_u1"  # the default outside such a call
    assert mx.adjoint_sentence(g, 2, 1).count("G_") == 3
    with pytest.raises(gs.InputError, match="notation must be"):
        mx.adjoint_sentence(g, 2, 1, notation="dot")
