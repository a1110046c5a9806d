"""graphstep.steps.build: one builder per mode, built on the algorithms' own results."""

from __future__ import annotations

import math

import numpy as np
import pytest

import graphstep as gs
from graphstep.algorithms.forward import tangents
from graphstep.algorithms.reverse import adjoints
from graphstep.errors import InputError, PathLimitError, ShapeError, SizeLimitError
from graphstep.export.stepper import Stepper
from graphstep.gallery.examples import EXAMPLES
from graphstep.steps.build import build_steps
from graphstep.steps.model import MODES, STEP_PATH_LIMIT, Mode, StepCursor, StepKind

X = 1.5
E = math.exp(X**2)


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
        Mode.ADJOINT_GRAPH: ["inputs", "value", "value", "value", "value", "result"],
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
    # from x up, edge by edge: via u1 first, as x̄ = ū1 · 2·x + ū3 · u2 adds them
    assert products == pytest.approx([2 * X * X * E, E], rel=1e-12)
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


def texts(s: Stepper) -> list[str]:
    return [step.text for step in s]


def close(a, b, tol=1e-9) -> bool:
    return bool(np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=tol,
                            atol=1e-12))


def scalar_examples():
    return [e for e in EXAMPLES.values() if e.kind == "grad"]


def test_paths_of_x_exp_x2(g):
    s = gs.steps(g, "paths")
    assert [step.kind for step in s] == ["path", "path", "result"]
    first, second, last = s.steps
    assert first.product == pytest.approx(2 * X**2 * E)
    assert second.product == pytest.approx(E)
    assert first.result == pytest.approx(2 * X**2 * E)
    # the caption does not repeat the title, and sums in the order of x's adjoint
    assert first.title == "path 1 of 2" and first.text.startswith("u3 ← u2 ← u1 ← x: 1 · x · exp(u1)")
    assert second.text.startswith("u3 ← x: 1 · u2") and "path" not in second.text
    assert "= 42.69 + 9.488 = 52.18" in last.text
    assert "= 14.23 · 3 + 1 · 9.488 = 52.18" in gs.steps(g, "reverse").steps[-2].text
    assert last.result == pytest.approx(E * (2 * X**2 + 1))  # 52.18, not the slide's e^{x^2}
    assert last.result == pytest.approx(gs.grad(g, "x"), rel=1e-12)
    assert first.text == ("u3 ← u2 ← u1 ← x: 1 · x · exp(u1) · 2·x = "
                          "1 · 1.5 · 9.488 · 3 = 42.69; sum so far 42.69")
    assert second.text == "u3 ← x: 1 · u2 = 1 · 9.488 = 9.488; sum so far 52.18"
    assert "gs.grad" in last.text and "agree" in last.text
    # the highlight is exactly the path
    assert first.focus_nodes == (4, 3, 2, 0)
    assert set(first.focus_edges) == {(0, 2, 0), (2, 3, 0), (3, 4, 1)}
    assert second.focus_edges == ((0, 4, 0),)
    assert all(step.wrt == "x" for step in s)


def test_paths_every_input_in_turn_and_one_input():
    g = gs.parse("3*x^2*(2*y + 7)", x=1.0, y=2.0)
    s = gs.steps(g)  # the default mode is paths
    assert s.mode == "paths"
    results = [step for step in s if step.kind == "result"]
    assert [step.wrt for step in results] == ["x", "y"]
    assert results[0].result == pytest.approx(6 * 1.0 * (2 * 2.0 + 7))
    assert results[1].result == pytest.approx(6 * 1.0**2)
    assert len(s) == gs.count_paths(g, "x") + gs.count_paths(g, "y") + 2
    assert s.current.title == "∂u5/∂x, path 1 of 1"
    assert s.current.text.startswith("u5 ← u2 ← u1 ← x: 1 · u4 · 3 · 2·x")  # not the title again
    only_y = gs.steps(g, "paths", wrt="y")
    assert [step.wrt for step in only_y] == ["y", "y"]
    assert only_y.steps[-1].result == pytest.approx(6.0)


def test_paths_repeated_argument_has_two_paths():
    g = gs.parse("x*x", x=3.0)
    s = gs.steps(g, "paths")
    assert len(s) == 3
    assert [step.product for step in s.steps[:2]] == [3.0, 3.0]
    assert s.steps[0].focus_edges == ((0, 1, 0),) and s.steps[1].focus_edges == ((0, 1, 1),)
    assert s.steps[-1].result == 6.0


def test_paths_running_sum_equals_path_sum_on_gallery():
    for example in EXAMPLES.values():
        g = example.graph()
        for name in g.inputs:
            s = gs.steps(g, "paths", wrt=name)
            path_steps = [step for step in s if step.kind == "path"]
            assert len(path_steps) == gs.count_paths(g, name)
            total = s.steps[-1].result
            assert close(total, gs.path_sum(g, name)), (example.name, name)
            expected = example.expected(g)[name]
            if example.kind == "grad":
                assert close(total, expected, 1e-8), (example.name, name)
            else:  # numerator-layout Jacobian column(s)
                assert close(np.reshape(total, np.shape(expected)), expected, 1e-8)
            assert "agree" in s.steps[-1].text


def test_output_that_is_its_input():
    scalar = gs.parse("x", x=2.0)
    assert [len(gs.steps(scalar, m)) for m in MODES] == [1, 1, 2, 2, 2, 2]
    assert gs.steps(scalar, "paths").steps[-1].result == 1.0
    vector = gs.parse("v", v=[1.0, 2.0])
    s = gs.steps(vector, "paths")
    assert close(s.steps[-1].result, np.eye(2)) and close(gs.path_sum(vector, "v"), np.eye(2))
    assert "agree" in s.steps[-1].text


def test_path_limit_gives_the_count_and_an_alternative():
    x = gs.var("x", 0.3)
    u = x
    for _ in range(12):
        u = gs.sin(u) + gs.cos(u)
    g = gs.graph(u)
    assert gs.count_paths(g, "x") == 4096 > STEP_PATH_LIMIT
    with pytest.raises(PathLimitError, match="4,096 paths") as info:
        gs.steps(g, "paths")
    assert "mode='reverse'" in str(info.value)
    s = gs.steps(g, "paths", path_limit=5000)
    assert len(s) == 4097
    assert s.steps[-1].result == pytest.approx(gs.grad(g, "x"), rel=1e-9)
    # the other modes handle the same graph node by node
    assert len(gs.steps(g, "reverse")) == 1 + 36 + 1


def test_forward_values(g):
    s = gs.steps(g, "forward")
    assert len(s) == 4  # the given values, then u1, u2, u3
    assert texts(s) == [
        "Given inputs: x = 1.5; constants: 2",
        "u1 = x^2 = 1.5^2 = 2.25",
        "u2 = exp(u1) = exp(2.25) = 9.488",
        "u3 = x*u2 = 1.5*9.488 = 14.23",
    ]
    assert [dict(step.values) for step in s] == [
        {0: X, 1: 2.0},
        {0: X, 1: 2.0, 2: X**2},
        {0: X, 1: 2.0, 2: X**2, 3: E},
        {0: X, 1: 2.0, 2: X**2, 3: E, 4: X * E},
    ]
    assert s.steps[2].focus_nodes == (3, 2) and s.steps[2].focus_edges == ((2, 3, 0),)
    assert s.steps[3].focus_edges == ((0, 4, 0), (3, 4, 1))
    assert s.steps[3].result == pytest.approx(X * E)
    assert not s.steps[1].adjoints and not s.steps[1].tangents and not s.steps[1].locals


def test_forward_negative_numbers_and_constant_ops():
    s = gs.steps(gs.parse("(x - 3)^2 + 2*3", x=1.0), "forward")
    assert "u2 = u1^2 = (-2)^2 = 4" in texts(s)
    assert "u3 = 2*3 = 6" in texts(s)  # a constant sub-expression is a step like any other


def test_local_derivatives(g):
    s = gs.steps(g, "local")
    # the edge from the constant 2 carries no gradient and is skipped
    assert [step.focus_edges for step in s] == [((0, 2, 0),), ((2, 3, 0),), ((0, 4, 0),), ((3, 4, 1),)]
    assert [step.result for step in s] == pytest.approx([2 * X, E, E, X])
    assert s.steps[2].text == "∂u3/∂x = u2 = 9.488, since u3 = x*u2"
    assert s.steps[0].text.startswith("∂u1/∂x = 2·x = 3")
    assert [len(step.locals) for step in s] == [1, 2, 3, 4]
    assert (1, 2, 1) not in s.steps[-1].locals


def test_local_repeated_argument_is_two_edges():
    s = gs.steps(gs.parse("x*x", x=3.0), "local")
    assert len(s) == 2
    assert [step.focus_edges for step in s] == [((0, 1, 0),), ((0, 1, 1),)]
    assert "use 1 of 2 of x in u1" in s.steps[0].text and "use 2 of 2" in s.steps[1].text


def test_local_without_edges_is_one_step():
    s = gs.steps(gs.parse("x", x=2.0), "local")
    assert len(s) == 1 and "nothing to differentiate" in s.current.text


def test_reverse_sentences(g):
    s = gs.steps(g, "reverse")
    assert [step.kind for step in s] == ["seed", "adjoint", "adjoint", "adjoint", "result"]
    assert [step.focus_nodes[0] for step in s.steps[:4]] == [4, 3, 2, 0]
    assert s.steps[1].text == "ū2 = ū3 · x = 1 · 1.5 = 1.5. It reads the cached x (8 B)."
    assert s.steps[2].text == "ū1 = ū2 · exp(u1) = 1.5 · 9.488 = 14.23. It reads the cached u2 (8 B)."
    xbar = s.steps[3]
    assert xbar.text.startswith("x̄ = ū1 · 2·x + ū3 · u2 = 14.23 · 3 + 1 · 9.488 = 52.18")
    assert "two edges leave x, so two contributions" in xbar.text
    assert set(xbar.focus_edges) == {(0, 2, 0), (0, 4, 0)}
    assert xbar.result == pytest.approx(E * (2 * X**2 + 1))
    # adjoints become known one node at a time, output first
    assert [sorted(step.adjoints) for step in s] == [[4], [3, 4], [2, 3, 4], [0, 2, 3, 4], [0, 2, 3, 4]]
    assert "52.18" in s.steps[-1].text and "agree" in s.steps[-1].text


def test_reverse_repeated_argument():
    s = gs.steps(gs.parse("x*x", x=3.0), "reverse")
    assert len(s) == 3
    assert s.steps[1].text.startswith("x̄ = ū1 · x + ū1 · x = 1 · 3 + 1 · 3 = 6")
    assert s.steps[1].focus_edges == ((0, 1, 0), (0, 1, 1))


@pytest.mark.parametrize("name", [e.name for e in scalar_examples()])
def test_reverse_final_adjoints_equal_grad(name):
    example = EXAMPLES[name]
    g = example.graph()
    s = gs.steps(g, "reverse")
    reference = gs.adjoints(g)
    for step in s:
        if step.kind == "adjoint":
            assert close(step.result, reference[step.focus_nodes[0]]), (name, step.title)
    final = s.steps[-1]
    expected = example.expected(g)
    grads = gs.grad(g)
    found = final.result if len(g.inputs) > 1 else {g.inputs[0]: final.result}
    for input_name in g.inputs:
        assert close(found[input_name], grads[input_name])
        assert close(found[input_name], expected[input_name], 1e-8)
    assert "agree" in final.text
    active = [n for n in range(len(g)) if g.active[n]]
    assert len(s) == len(active) + 1  # the seed is the output's step; then the result


def test_reverse_non_scalar_output_needs_a_seed():
    g = EXAMPLES["jacobian-fg"].graph()
    with pytest.raises(ShapeError, match="seed="):
        gs.steps(g, "reverse")
    s = gs.steps(g, "reverse", seed=np.array([1.0, 0.0]))
    assert close(s.steps[-1].result["x"], gs.jacobian(g, "x")[0])  # row 0: the gradient of f
    assert close(s.steps[-1].result["y"], gs.jacobian(g, "y")[0])
    with pytest.raises(ShapeError, match="shape"):
        gs.steps(g, "reverse", seed=np.ones(3))


def test_forward_mode_sentences(g):
    s = gs.steps(g, "forward-mode")  # one input: wrt may be omitted
    assert s.wrt == "x"
    assert texts(s)[1:4] == [
        "u1' = 2·x · x' = 3 · 1 = 3",
        "u2' = exp(u1) · u1' = 9.488 · 3 = 28.46",
        "u3' = u2 · x' + x · u2' = 9.488 · 1 + 1.5 · 28.46 = 52.18",
    ]
    assert [sorted(step.tangents) for step in s] == [[0], [0, 2], [0, 2, 3], [0, 2, 3, 4], [0, 2, 3, 4]]
    assert s.steps[3].focus_edges == ((0, 4, 0), (3, 4, 1))
    assert s.steps[-1].result == pytest.approx(E * (2 * X**2 + 1))


@pytest.mark.parametrize("name", ["chain-rule", "power-chain", "sigmoid", "partial-derivatives"])
def test_forward_mode_equals_closed_form(name):
    example = EXAMPLES[name]
    g = example.graph()
    for wrt in g.inputs:
        s = gs.steps(g, "forward-mode", wrt=wrt)
        assert s.steps[-1].result == pytest.approx(example.expected(g)[wrt], rel=1e-10)
        assert "agree" in s.steps[-1].text


def test_forward_mode_vector_output_and_tensor_inputs():
    g = EXAMPLES["jacobian-fg"].graph()
    s = gs.steps(g, "forward-mode", wrt="y")
    assert close(s.steps[-1].result, EXAMPLES["jacobian-fg"].expected(g)["y"].ravel())
    outer = EXAMPLES["outer-product"]
    g = outer.graph()
    s = gs.steps(g, "forward-mode", wrt="M")  # the whole ∂u/∂M, seeded with the identity
    assert s.steps[-1].result.shape == (3, 2)
    assert close(s.steps[-1].result, outer.expected(g)["M"])
    direction = np.arange(6.0).reshape(3, 2)
    s = gs.steps(g, "forward-mode", wrt="M", direction=direction)
    assert s.steps[-1].result == pytest.approx(float(np.sum(outer.expected(g)["M"] * direction)))


def test_forward_mode_needs_wrt_with_several_inputs():
    g = gs.parse("x*y + sin(x)", x=0.5, y=2.0)
    with pytest.raises(InputError, match="x, y"):
        gs.steps(g, "forward-mode")
    s = gs.steps(g, "forward-mode", wrt="y")
    assert [step.focus_nodes[0] for step in s] == [1, 2, 4, 4]  # y, u1, u3, then the result
    assert s.steps[-1].result == pytest.approx(0.5)


OP_EXPRESSIONS = [
    "x + y", "x - y", "x * y", "x / y", "x ^ y", "-x * y", "exp(x) * y", "log(x) + y",
    "sin(x) * cos(y)", "tan(x) + tanh(y)", "sigmoid(x * y)", "relu(x - y)", "sqrt(x) * y",
    "abs(x - y)", "square(x) + y", "max(x, y)", "min(x, y)", "x*x*y + x",
]


@pytest.mark.parametrize("expression", OP_EXPRESSIONS)
def test_every_scalar_op_agrees_in_every_mode(expression):
    g = gs.parse(expression, x=0.7, y=1.3)
    grads = gs.grad(g)
    reverse = gs.steps(g, "reverse").steps[-1].result
    for name in g.inputs:
        assert reverse[name] == pytest.approx(grads[name], rel=1e-12)
        assert gs.steps(g, "paths", name).steps[-1].result == pytest.approx(grads[name], rel=1e-12)
        assert gs.steps(g, "forward-mode", name).steps[-1].result == pytest.approx(grads[name],
                                                                                   rel=1e-12)
    forward = gs.steps(g, "forward")
    assert forward.steps[-1].result == pytest.approx(g.value)
    assert len(forward) == 1 + sum(g.op(n) not in ("input", "const") for n in range(len(g)))


def test_tensor_steps_show_shapes():
    example = EXAMPLES["affine-broadcast-bias"]
    g = example.graph()
    forward = gs.steps(g, "forward")
    assert forward.steps[0].text.startswith("Given inputs: X = 4×3 array")
    assert forward.steps[0].text.endswith("constants: 0.5, 2")  # the scalar 2 stays a scalar
    assert "u1 = X @ W, where X is 4×3, W is 3×2: 4×2 array" in texts(forward)[1]
    assert "u2 = b broadcast from (2,) to 4×2" in texts(forward)[2]
    local = gs.steps(g, "local")
    by_edge = {step.focus_edges[0]: step.text for step in local}
    matmul_w = by_edge[(1, 2, 1)]  # the program: score = X @ W + b; L = 0.5 * sum((score - Y)^2)
    assert "∂u1/∂W = I_2 ⊗ X" in matmul_w and "4×2 ← 3×2" in matmul_w and "8×6" in matmul_w
    assert "4×2 ← (2,)" in by_edge[(3, 4, 0)]
    assert "W̄ = Xᵀ ū1 (3×4 times 4×2), 3×2 like W" in matmul_w  # the dimension analysis
    assert all(g.op(edge[0]) != "const" for edge in by_edge)
    reverse = gs.steps(g, "reverse")
    by_node = {step.focus_nodes[0]: step for step in reverse if step.kind == "adjoint"}
    w_step = by_node[g.node("W")]
    assert w_step.text.startswith("W̄ = ū1 · (I_2 ⊗ X) = 3×2 [[")
    assert "3×2" in w_step.text and "4×2" in w_step.text and "W̄ = Xᵀ ū1" in w_step.text
    b_step = by_node[g.node("b")]
    assert b_step.result.shape == (2,)
    assert close(b_step.result, example.expected(g)["b"])  # the column sums of dL/dscore
    assert close(w_step.result, example.expected(g)["W"])
    paths = gs.steps(g, "paths", wrt="W")
    assert "Jacobians along scalar ← scalar ← 4×2 ← 4×2 ← 4×2 ← 4×2 ← 3×2" in paths.steps[0].text


def test_tensor_reverse_on_matrix_examples():
    for name in ("outer-product", "two-layer-tanh", "mlp-matrix-backprop", "neuron-cost"):
        example = EXAMPLES[name]
        g = example.graph()
        s = gs.steps(g, "reverse")
        final = s.steps[-1].result
        for input_name, expected in example.expected(g).items():
            assert close(final[input_name], expected, 1e-8), (name, input_name)
        assert any(isinstance(step.result, np.ndarray) and step.result.ndim == 2 for step in s)


def test_two_hundred_node_graphs_step_in_every_mode():
    x = gs.var("x", 0.3)
    y = gs.var("y", 0.2)
    u = x
    for _ in range(50):
        u = gs.sin(u) * y + gs.cos(u)
    g = gs.graph(u)
    assert len(g) > 200
    ops = sum(g.op(n) not in ("input", "const") for n in range(len(g)))
    assert len(gs.steps(g, "forward")) == 1 + ops
    assert len(gs.steps(g, "local")) == sum(1 for t, _, _ in g.edges() if g.active[t])
    reverse = gs.steps(g, "reverse")
    assert reverse.steps[-1].result["y"] == pytest.approx(gs.grad(g, "y"), rel=1e-9)
    forward_mode = gs.steps(g, "forward-mode", wrt="y")
    assert forward_mode.steps[-1].result == pytest.approx(gs.grad(g, "y"), rel=1e-9)
    with pytest.raises(PathLimitError, match=f"{2**50:,} paths back to x"):
        gs.steps(g, "paths")
