"""Per-edge adjoint rules (graphstep.formulas.rules) read from the op table: for every op,
the rule evaluated with numpy equals the edge Jacobian's vjp."""

from __future__ import annotations

import numpy as np
import pytest

import graphstep as gs
from graphstep.build.trace import apply
from graphstep.formulas import backprop as mx
from graphstep.formulas.expr import Env, Pullback
from graphstep.formulas.rules import adjoint_rule, definition, forward_latex, leaf
from graphstep.ops import jacobians as jac
from graphstep.ops.table import CONST, OPS

RNG = np.random.default_rng(11)


def _check_every_edge(g):
    for tail, head, pos in g.edges():
        if g.op(tail) == CONST:
            continue
        upstream = RNG.normal(size=g.shape_of(head))
        upstream = float(upstream) if np.ndim(upstream) == 0 else upstream
        rule = adjoint_rule(g, head, pos)
        assert not isinstance(rule, Pullback), rule.text()
        env = Env(g, {})
        env.memo[head] = upstream
        value = np.broadcast_to(rule.evaluate(env), g.shape_of(tail))
        np.testing.assert_allclose(value, jac.vjp(g.local(head, pos), upstream), rtol=1e-12,
                                   atol=1e-12, err_msg=f"{g.op(head)}: {rule.text()}")


@pytest.mark.parametrize("op_name", sorted(n for n, s in OPS.items() if s.elementwise))
def test_every_elementwise_rule_is_the_vjp_on_vectors(op_name):
    arguments = [gs.var(name, RNG.uniform(0.5, 1.5, size=3)) for name in "xy"[:OPS[op_name].arity]]
    g = gs.graph(apply(op_name, *arguments))
    _check_every_edge(g)


@pytest.mark.parametrize("text, values", [
    ("A @ B", dict(A=RNG.normal(size=(2, 3)), B=RNG.normal(size=(3, 2)))),
    ("A.T @ v", dict(A=RNG.normal(size=(3, 2)), v=RNG.normal(size=3))),
    ("dot(v, w)", dict(v=RNG.normal(size=3), w=RNG.normal(size=3))),
    ("[v, w] + A", dict(v=RNG.normal(size=2), w=RNG.normal(size=2), A=RNG.normal(size=(2, 2)))),
    ("sum(A, axis=0) + mean(A, axis=1).T @ A", dict(A=RNG.normal(size=(2, 2)))),
    ("softmax(A, axis=0) * max(A, axis=1) - min(A)", dict(A=RNG.normal(size=(2, 2)))),
    ("reshape(A, (4,)) + v", dict(A=RNG.normal(size=(2, 2)), v=RNG.normal(size=4))),
])
def test_every_structural_rule_is_the_vjp(text, values):
    _check_every_edge(gs.parse(text, **values))


def test_matmul_reads_through_a_transpose_node():
    g = gs.parse("sum(W.T @ x)", W=np.ones((3, 2)), x=np.ones(3))
    assert adjoint_rule(g, 3, 1).text() == "W G_u2"  # (Wᵀ)ᵀ is W, not a double transpose
    assert adjoint_rule(g, 1, 0).text() == "G_u1ᵀ"


def test_leaves_definitions_and_latex():
    g = gs.parse("sum(2 * v + b)", v=np.ones(3), b=np.ones(2).reshape(2, 1) * 0 + 1)
    assert leaf(g, 0).text() == "2" and leaf(g, 1).text() == "v"  # the 2 stays a scalar
    assert definition(g, 2) == "u1 = 2 broadcast to (3,)"  # its broadcast is a node
    assert any(definition(g, n).endswith("broadcast to 2×3") for n in range(len(g)))
    h = gs.parse("sum(softmax(A, axis=0))", A=np.ones((2, 2)))
    assert forward_latex(h, 1) == r"\operatorname{softmax}\left(A\right)\ \text{(axis 0)}"
    assert forward_latex(gs.parse("[x, y]", x=1.0, y=2.0), 2) == r"\left[x, y\right]"


def randn(*shape):
    return RNG.normal(size=shape)


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
    table = set(OPS) - {"composite"}  # the composite op carries its own derivatives, no rule
    assert table <= used, table - used
