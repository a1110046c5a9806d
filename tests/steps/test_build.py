"""graphstep.steps.build: one builder per mode, built on the algorithms' own results."""

from __future__ import annotations

import math

import numpy as np
import pytest

import graphstep as gs
from graphstep.algorithms.forward import tangents
from graphstep.algorithms.reverse import adjoints
from graphstep.errors import InputError, ShapeError, SizeLimitError
from graphstep.steps.build import build_steps
from graphstep.steps.model import Mode, StepCursor, StepKind

X = 1.5
E = math.exp(X**2)


@pytest.fixture
def g():
    return gs.parse("x * exp(x^2)", x=X)  # x=0, 2=1, u1=2, u2=3, u3=4


def test_the_steps_layer_returns_a_plain_cursor(g):
    walk = build_steps(g, "paths")
    assert type(walk) is StepCursor and walk.mode is Mode.PATHS and walk.wrt is None
    assert all(step.mode is Mode.PATHS and step.graph is g for step in walk)
    assert [step.index for step in walk] == [0, 1, 2]


def test_every_mode_gives_its_kinds_of_step(g):
    kinds = {mode: [str(step.kind) for step in build_steps(g, mode)] for mode in Mode}
    assert kinds == {
        Mode.FORWARD: ["inputs", "value", "value", "value"],
        Mode.LOCAL: ["local"] * 4,
        Mode.PATHS: ["path", "path", "result"],
        Mode.REVERSE: ["seed", "adjoint", "adjoint", "adjoint", "result"],
        Mode.FORWARD_MODE: ["seed", "tangent", "tangent", "tangent", "result"],
    }
    assert all(isinstance(step.kind, StepKind) for mode in Mode for step in build_steps(g, mode))


def test_reverse_steps_show_exactly_the_adjoints_reverse_accumulation_computes():
    g = gs.parse("sin(x) * y + x * x", x=0.3, y=2.0)
    computed = adjoints(g)
    walk = build_steps(g, "reverse")
    by_node = {step.focus_nodes[0]: step.result for step in walk if step.kind is StepKind.ADJOINT}
    assert by_node and by_node == {n: computed[n] for n in by_node}
    x = g.node("x")
    assert by_node[x] == pytest.approx(2.0 * math.cos(0.3) + 2 * 0.3, rel=1e-12)
    assert walk.steps[-1].result == {"x": by_node[x], "y": by_node[g.node("y")]}


def test_a_seeded_reverse_walk_gives_one_row_of_the_jacobian():
    g = gs.parse("[ln(x^2), sin(3*x)]", x=1.0)
    seed = np.array([2.0, -1.0])
    walk = build_steps(g, "reverse", seed=seed)
    expected = 2.0 * 2.0 - 3 * math.cos(3.0)  # 2 · d ln(x²) - d sin(3x) at x = 1
    assert walk.steps[-1].result == pytest.approx(expected, rel=1e-12)
    assert walk.steps[-1].result == pytest.approx(adjoints(g, seed)[g.node("x")], rel=0)
    assert walk.steps[-1].text.endswith("they agree")
    with pytest.raises(ShapeError, match="give seed= of that shape"):
        build_steps(g, "reverse")


def test_forward_mode_steps_show_the_tangents_forward_mode_computes(g):
    computed = tangents(g, "x")
    walk = build_steps(g, "forward-mode")
    assert walk.wrt == "x"
    assert {step.focus_nodes[0]: step.result for step in walk if step.kind is not StepKind.RESULT} == {
        n: t for n, t in enumerate(computed) if t is not None}
    assert walk.steps[-1].result == pytest.approx(E + 2 * X * X * E, rel=1e-12)


def test_full_tangents_of_a_tensor_input_are_the_whole_jacobians():
    A = np.array([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]])
    v = np.array([0.2, -0.4])
    g = gs.parse("tanh(A @ v)", A=A, v=v)
    walk = build_steps(g, "forward-mode", "v")
    expected = (1 - np.tanh(A @ v) ** 2)[:, None] * A  # diag(1 - tanh²) · A
    np.testing.assert_allclose(walk.steps[-1].result, expected, rtol=1e-12)
    for step in walk:
        if step.kind is StepKind.TANGENT:
            node = step.focus_nodes[0]
            assert np.shape(step.result) == g.shape_of(node) + (2,)
    direction = np.array([1.0, 3.0])
    along = build_steps(g, "forward-mode", "v", direction=direction)
    np.testing.assert_allclose(along.steps[-1].result, expected @ direction, rtol=1e-12)


def test_paths_steps_sum_to_the_gradient(g):
    walk = build_steps(g, "paths")
    products = [step.product for step in walk if step.kind is StepKind.PATH]
    assert products == pytest.approx([E, 2 * X * X * E], rel=1e-12)
    assert walk.steps[-1].result == pytest.approx(sum(products), rel=1e-12)


def test_text_of_each_mode_is_unchanged(g):
    assert build_steps(g, "forward").steps[3].text == "u3 = x*u2 = 1.5*9.488 = 14.23"
    assert build_steps(g, "local").steps[0].text == "∂u1/∂x = 2·x = 3, since u1 = x^2"
    assert build_steps(g, "forward-mode").steps[2].text == "u2' = exp(u1) · u1' = 9.488 · 3 = 28.46"


def test_bad_arguments_are_refused_before_any_work(g):
    with pytest.raises(InputError, match="needs a Graph"):
        build_steps("x * x")
    with pytest.raises(InputError, match="unknown step mode 'up'"):
        build_steps(g, "up")
    with pytest.raises(InputError, match="direction= is for mode='forward-mode', not 'paths'"):
        build_steps(g, "paths", direction=1.0)
    with pytest.raises(InputError, match="seed= is for mode='reverse'"):
        build_steps(g, Mode.LOCAL, seed=1.0)
    with pytest.raises(InputError, match="no inputs, so there is no derivative .* in mode 'paths'"):
        build_steps(gs.parse("2*3"), "paths")
    with pytest.raises(InputError, match="choose one with wrt="):
        build_steps(gs.parse("x*y", x=1.0, y=2.0), "forward-mode")
    with pytest.raises(SizeLimitError, match="give direction= of shape"):
        build_steps(gs.parse("sum(v * v)", v=np.ones(3000)), "forward-mode")
