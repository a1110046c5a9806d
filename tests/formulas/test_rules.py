"""Per-edge adjoint rules (graphstep.formulas.rules) read from the op table: for every op,
the rule evaluated with numpy equals the edge Jacobian's vjp."""

from __future__ import annotations

import numpy as np
import pytest

import graphstep as gs
from graphstep.build.trace import apply
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
    assert leaf(g, 1).text() == "2·1_3" and leaf(g, 0).text() == "v"  # the 2, copied to (3,)
    assert any(definition(g, n).endswith("broadcast to 2x3") for n in range(len(g)))
    h = gs.parse("sum(softmax(A, axis=0))", A=np.ones((2, 2)))
    assert forward_latex(h, 1) == r"\operatorname{softmax}\left(A\right)\ \text{(axis 0)}"
    assert forward_latex(gs.parse("[x, y]", x=1.0, y=2.0), 2) == r"\left[x, y\right]"
