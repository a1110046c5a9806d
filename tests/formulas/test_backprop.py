"""Backpropagation formulas (graphstep.formulas.backprop): text, LaTeX, checks against grad and autograd."""

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
# matrix-form backprop formulas (seed 000)
# --------------------------------------------------------------------------------------


def test_seed_000_mlp_formulas_text_latex_and_check():
    g = EXAMPLES["mlp-matrix-backprop"].graph()
    formulas = mx.backprop_formulas(g)
    assert list(formulas) == g.inputs == ["X", "W1", "W2", "Y"]
    w1, w2 = formulas["W1"], formulas["W2"]
    # the gallery's program names the seed's steps: Z1 = sigmoid(X @ W1), Z2 = sigmoid(Z1 @ W2)
    forward = "  where u1 = X @ W1, Z1 = sigmoid(u1), u2 = Z1 @ W2, Z2 = sigmoid(u2), u3 = Z2 - Y"
    # dJ/dW^l = (Z^{l-1})^T (G^l ⊙ s'(Z^l)) and G^l = (G^{l+1} ⊙ s'(Z^{l+1})) (W^{l+1})^T
    assert w1.text == "\n".join([
        "∂L/∂W1 = Xᵀ (G_Z1 ⊙ Z1 ⊙ (1 - Z1))",
        "  G_Z1 = (G_Z2 ⊙ Z2 ⊙ (1 - Z2)) W2ᵀ",
        "  G_Z2 = u3",
        forward])
    assert w2.text.splitlines()[:2] == ["∂L/∂W2 = Z1ᵀ (G_Z2 ⊙ Z2 ⊙ (1 - Z2))", "  G_Z2 = u3"]
    assert formulas["X"].text.splitlines()[0] == "∂L/∂X = (G_Z1 ⊙ Z1 ⊙ (1 - Z1)) W1ᵀ"
    assert formulas["Y"].text.splitlines()[0] == "∂L/∂Y = -u3"
    assert _inline(w1).text() == "Xᵀ (((u3 ⊙ Z2 ⊙ (1 - Z2)) W2ᵀ) ⊙ Z1 ⊙ (1 - Z1))"
    latex = w1.latex
    assert latex.startswith("\\begin{aligned}\n\\frac{\\partial L}{\\partial W_{1}} &= X^{\\top}")
    assert ("G_{Z_{1}} &= \\left(G_{Z_{2}} \\odot Z_{2} \\odot \\left(1 - Z_{2}\\right)\\right)"
            "\\,W_{2}^{\\top}") in latex
    assert "Z_{1} &= \\sigma\\left(u_{1}\\right)" in latex
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
    ("affine-broadcast-bias", "W", "∂L/∂W = Xᵀ u3"),  # u3 = score - Y
    ("affine-broadcast-bias", "b", "∂L/∂b = 1_4ᵀ u3"),  # seed 001: dL/db is the column sums
    ("outer-product", "M", "∂L/∂M = -2·(u1 xᵀ)"),  # seed 003: -2 (t - Mx) xᵀ, u1 = t - y
    ("linear-regression", "th", "∂L/∂th = (Xᵀ u2)/4"),  # seed 000: X^T (X th - y) / m
    ("two-layer-tanh", "Wh", "∂L/∂Wh = (G_A_h ⊙ (1 - A_h²))ᵀ X"),  # seed 002: dZ_hᵀ X
    ("two-layer-tanh", "X", "∂L/∂X = (G_A_h ⊙ (1 - A_h²)) Wh"),
    ("neuron-cost", "w", "∂L/∂w = Xᵀ (G_u ⊙ [z > 0])"),  # seed 004: u = max(0, z)
    ("sigmoid-network-ce", "b2", "∂L/∂b2 = G_u4 ⊙ u4 ⊙ (1 - u4)"),
    ("chain-rule", "x", "∂L/∂x = 3·(G_u2·cos(u1)·x²)"),
])
def test_gallery_formula_first_lines(name, input_name, text):
    formula = mx.backprop_formulas(EXAMPLES[name].graph())[input_name]
    assert formula.text.splitlines()[0] == text


def test_named_adjoints_can_be_chosen():
    g = EXAMPLES["mlp-matrix-backprop"].graph()
    f = mx.backprop_formulas(g, named=["u2"])["W1"]  # u2 = Z1 @ W2
    assert f.text.splitlines()[:2] == ["∂L/∂W1 = Xᵀ ((G_u2 W2ᵀ) ⊙ Z1 ⊙ (1 - Z1))",
                                       "  G_u2 = u3 ⊙ Z2 ⊙ (1 - Z2)"]
    assert f.check().ok
    full = mx.backprop_formulas(g, named="all")["W1"]
    # u4 = broadcast(2) is the constant's: it takes no gradient
    assert [g.label(n) for n, _ in full.definitions] == ["u1", "Z1", "u2", "Z2", "u3", "u5", "u6"]
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
