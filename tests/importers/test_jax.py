"""gs.from_jax: names, pytrees, constants, stop_gradient, errors, JAX's float64 setting, the seed
examples written in JAX against the parsed versions and their closed forms, and a real MLP."""

import subprocess
import sys

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")
from jax import lax  # noqa: E402
from jax.ad_checkpoint import checkpoint_name  # noqa: E402
from support import assert_close, check_four_ways  # noqa: E402

import graphstep as gs  # noqa: E402
from graphstep.gallery.examples import EXAMPLES  # noqa: E402
from graphstep.importers.jax import TraceError, input_names  # noqa: E402
from graphstep.importers.jax_eval import float64  # noqa: E402
from graphstep.render.dot import to_dot  # noqa: E402


def jax_grads(f, *args):
    with float64():
        return jax.grad(f, argnums=tuple(range(len(args))))(*args)


# --- names -----------------------------------------------------------------------------------


def test_inputs_are_named_from_the_signature_and_argnames_win():
    g = gs.from_jax(lambda weight, x: jnp.sum(weight * x), np.ones(2), np.ones(2))
    assert g.inputs == ["weight", "x"]
    g = gs.from_jax(lambda a, b: a * b, 2.0, 3.0, argnames=["p", "q"])
    assert g.inputs == ["p", "q"] and gs.grad(g) == {"p": 3.0, "q": 2.0}


def test_argnames_must_name_every_argument():
    with pytest.raises(gs.InputError, match="one identifier per example argument"):
        gs.from_jax(lambda a, b: a * b, 2.0, 3.0, argnames=["p"])


def test_star_args_and_builtins_get_numbered_names():
    assert input_names(lambda *xs: 0, 2) == ["xs0", "xs1"]
    g = gs.from_jax(lambda *xs: xs[0] * xs[1], 2.0, 5.0)
    assert g.inputs == ["xs0", "xs1"]


def test_pytree_leaves_are_named_by_their_path():
    params = {"W1": np.ones((2, 2)), "layers": [{"b": np.zeros(2)}]}

    def f(params, x):
        return jnp.sum(jnp.tanh(params["W1"] @ x + params["layers"][0]["b"]))
    g = gs.from_jax(f, params, np.array([0.5, -1.0]))
    assert g.inputs == ["params.W1", "params.layers.0.b", "x"]
    expected = jax_grads(f, params, np.array([0.5, -1.0]))
    assert_close(gs.grad(g, "params.W1"), expected[0]["W1"])
    assert_close(gs.grad(g, "params.layers.0.b"), expected[0]["layers"][0]["b"])


def test_checkpoint_name_names_an_intermediate():
    g = gs.from_jax(lambda x: jnp.sin(checkpoint_name(x * x, "h")), 1.5)
    assert [(g.op(n), g.label(n)) for n in range(len(g))] == [
        ("input", "x"), ("mul", "h"), ("sin", "u1")]


def test_integer_arguments_are_constants_not_inputs():
    def loss(logits, label):
        return -jax.nn.log_softmax(logits)[label]
    g = gs.from_jax(loss, np.array([1.0, 2.0, 0.5]), 1)
    assert g.inputs == ["logits"]
    with float64():
        expected = jax.grad(loss)(np.array([1.0, 2.0, 0.5]), 1)
    assert_close(gs.grad(g, "logits"), expected)


# --- constants, stop_gradient, opaque nodes ------------------------------------------------------


def test_captured_arrays_are_constant_nodes():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    g = gs.from_jax(lambda x: jnp.sum(A @ x), np.array([1.0, -1.0]))
    consts = [g.value_of(n) for n in range(len(g)) if g.op(n) == "const"]
    assert any(np.array_equal(c, A) for c in consts)
    assert_close(gs.grad(g, "x"), A.sum(axis=0))


def test_equations_on_constants_alone_are_computed_once():
    g = gs.from_jax(lambda x: x * jnp.sum(jnp.arange(4.0) ** 2), 2.0)
    assert [g.op(n) for n in range(len(g))] == ["input", "const", "mul"]
    assert g.value == 28.0


def test_stop_gradient_edges_carry_zero_and_are_drawn_with_zero():
    g = gs.from_jax(lambda x: lax.stop_gradient(x) * x + x, 3.0)
    sg = next(n for n in range(len(g)) if g.params(n).get("title") == "stop_gradient")
    assert [g.local(e.head, e.pos) for e in g.edges() if e.head == sg] == [0.0]
    assert gs.grad(g, "x") == 4.0  # not 7: the stopped path contributes 0
    products = sorted(p.product for p in gs.paths(g, "x"))
    assert products == [0.0, 1.0, 3.0]
    assert "= 0" in to_dot(g)


def test_an_unmapped_primitive_is_an_opaque_node_with_jax_derivatives():
    f = lambda x: jnp.sum(jax.scipy.special.erf(x) * jnp.cumsum(x))  # noqa: E731
    x = np.array([0.2, -0.4, 0.9])
    g = gs.from_jax(f, x)
    titles = sorted(g.params(n)["title"] for n in range(len(g)) if g.params(n).get("opaque"))
    assert titles == ["jax.cumsum[axis=0, reverse=False]", "jax.erf"]
    assert_close(gs.grad(g, "x"), jax_grads(f, x)[0], 1e-10, 1e-12)
    check_four_ways(g)  # path sum = reverse = forward = central differences
    assert all(s.text for s in gs.steps(g, mode="reverse"))


def test_a_cond_reads_the_branch_taken():
    f = lambda x: lax.cond(x > 0, jnp.sin, jnp.cos, x)  # noqa: E731
    assert gs.grad(gs.from_jax(f, 0.5), "x") == pytest.approx(np.cos(0.5))
    assert gs.grad(gs.from_jax(f, -0.5), "x") == pytest.approx(np.sin(0.5))


def test_jit_and_named_scopes_become_blocks():
    @jax.jit
    def layer(x):
        return jnp.tanh(x)

    def f(x):
        with jax.named_scope("net"):
            return jnp.sum(jax.nn.relu(layer(x)) + layer(2 * x))
    g = gs.from_jax(f, np.array([0.5, -0.5]))
    scopes = {g.scope(n) for n in range(len(g))}
    assert {("net", "layer"), ("net", "layer_2"), ("net", "relu")} <= scopes


# --- errors and JAX's settings -------------------------------------------------------------------


def test_python_control_flow_on_a_traced_value_gives_jax_reason():
    def f(x):
        return x if x > 0 else -x
    with pytest.raises(TraceError, match="JAX cannot trace f: TracerBoolConversionError"):
        gs.from_jax(f, 1.0)
    assert issubclass(TraceError, gs.GraphstepError)


def test_more_than_one_output_or_a_constant_output_is_refused():
    with pytest.raises(gs.InputError, match="returns 2 arrays"):
        gs.from_jax(lambda x: (x, x * 2), 1.0)
    with pytest.raises(gs.InputError, match="does not depend"):
        gs.from_jax(lambda x: jnp.ones(2), 1.0)


def test_the_users_float64_setting_is_left_as_it_was():
    before = jax.config.jax_enable_x64
    g = gs.from_jax(lambda x: jnp.sum(jnp.exp(x)), np.array([0.1, 0.2]))
    assert jax.config.jax_enable_x64 == before
    assert g.value_of(g.node("x")).dtype == np.float64


def test_without_jax_graphstep_imports_and_from_jax_says_how_to_install():
    code = ("import sys; sys.modules['jax'] = None\n"
            "import graphstep as gs\n"
            "try:\n    gs.from_jax(lambda x: x, 1.0)\n"
            "except gs.InputError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install graphstep[jax]" in out.stdout


# --- the seed examples in JAX ---------------------------------------------------------------------


def _sigmoid_net(y, w2, w1, x, b1, b2):
    u4 = jax.nn.sigmoid(w2 * jax.nn.sigmoid(w1 * x + b1) + b2)
    return -jnp.sum(y * jnp.log(u4))


SEEDS_IN_JAX = {
    "x-exp-x2": lambda x: x * jnp.exp(x ** 2),
    "neuron-active": lambda w, x, b: jax.nn.relu(jnp.dot(w, x) + b),
    "neuron-inactive": lambda w, x, b: jax.nn.relu(jnp.dot(w, x) + b),
    "neuron-cost": lambda y, X, w, b: jnp.mean((y - jax.nn.relu(X @ w + b)) ** 2),
    "outer-product": lambda t, M, x: jnp.sum((t - M @ x) ** 2),
    "affine-broadcast-bias": lambda X, W, b, Y: 0.5 * jnp.sum((X @ W + b - Y) ** 2),
    "two-layer-tanh": lambda X, Wh, bh, Wo, bo, Y: jnp.mean(
        (jnp.tanh(jnp.tanh(X @ Wh.T + bh) @ Wo.T + bo) - Y) ** 2),
    "sigmoid-network-ce": _sigmoid_net,
    "mlp-matrix-backprop": lambda X, W1, W2, Y: jnp.sum(
        (jax.nn.sigmoid(jax.nn.sigmoid(X @ W1) @ W2) - Y) ** 2) / 2,
}


@pytest.mark.parametrize("name", sorted(SEEDS_IN_JAX))
def test_a_seed_example_in_jax_has_the_parsed_gradients_and_the_closed_form(name):
    example = EXAMPLES[name]
    values = example.values()
    parsed = example.graph()
    g = gs.from_jax(SEEDS_IN_JAX[name], *values.values(), argnames=list(values))
    assert g.value == pytest.approx(parsed.value, rel=1e-12)
    closed = example.expected(parsed)
    ours, theirs = gs.grad(g), gs.grad(parsed)
    for key in values:
        assert_close(ours[key], theirs[key], 1e-10, 1e-12)
        assert_close(ours[key], closed[key], 1e-8, 1e-10)


def test_backprop_formulas_of_an_imported_model_evaluate_to_jax_grad():
    example = EXAMPLES["two-layer-tanh"]
    values = example.values()
    f = SEEDS_IN_JAX["two-layer-tanh"]
    g = gs.from_jax(f, *values.values(), argnames=list(values))
    formulas = gs.backprop_formulas(g)
    expected = jax_grads(f, *values.values())
    for key, grad in zip(values, expected):
        assert formulas[key].check()
        assert_close(formulas[key].evaluate(), grad, 1e-10, 1e-12)
    assert "def " in formulas.to_python()


# --- a real model ----------------------------------------------------------------------------------


def mlp_loss(params, x, labels):
    """Two layers, relu, softmax cross entropy over the batch (integer labels)."""
    with jax.named_scope("layer1"):
        h = jax.nn.relu(x @ params["W1"] + params["b1"])
    with jax.named_scope("layer2"):
        logits = h @ params["W2"] + params["b2"]
    with jax.named_scope("loss"):
        log_p = jax.nn.log_softmax(logits)
        return -jnp.mean(jnp.sum(jax.nn.one_hot(labels, 3) * log_p, axis=1))


def mlp_example(seed=0):
    rng = np.random.default_rng(seed)
    params = {"W1": rng.normal(size=(4, 5)) * 0.7, "b1": rng.normal(size=5) * 0.1,
              "W2": rng.normal(size=(5, 3)) * 0.7, "b2": np.zeros(3)}
    return params, rng.normal(size=(6, 4)), np.array([0, 2, 1, 1, 0, 2])


def test_a_real_mlp_imports_and_matches_jax_grad_for_every_parameter():
    params, x, labels = mlp_example()
    g = gs.from_jax(mlp_loss, params, x, labels)
    assert g.inputs == ["params.W1", "params.W2", "params.b1", "params.b2", "x"]
    with float64():
        assert g.value == pytest.approx(float(mlp_loss(params, x, labels)), rel=1e-12)
        expected = jax.grad(mlp_loss)(params, x, labels)
    ours = gs.grad(g)
    for key in params:
        assert_close(ours[f"params.{key}"], expected[key], 1e-10, 1e-12)
        assert_close(gs.path_sum(g, f"params.{key}"), expected[key], 1e-10, 1e-12)
        assert_close(gs.forward_grad(g, f"params.{key}"), expected[key], 1e-10, 1e-12)
    assert not any(g.params(n).get("opaque") for n in range(len(g)))
    blocks = {g.scope(n)[0] for n in range(len(g)) if g.scope(n)}
    assert blocks == {"layer1", "layer2", "loss"}


def test_the_real_mlp_steps_in_every_mode_and_draws():
    params, x, labels = mlp_example()
    g = gs.from_jax(mlp_loss, params, x, labels)
    for mode in ("forward", "local", "reverse"):
        s = gs.steps(g, mode=mode)
        assert len(s) > 10 and all(step.text for step in s)
    s = gs.steps(g, mode="forward-mode", wrt="params.b2")
    assert len(s) > 10 and all(step.text for step in s)
    s = gs.steps(g, mode="paths", wrt="params.b2")
    assert len(s) >= gs.count_paths(g, "params.b2")
    dot = to_dot(g)
    assert "params.W1" in dot and "log" in dot


@pytest.mark.backend
def test_the_example_script_checks_jax_grad_and_draws(tmp_path, capsys):
    import runpy
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "examples" / "frameworks" / "jax_mlp.py"
    module = runpy.run_path(str(script))
    module["main"](tmp_path)
    out = capsys.readouterr().out
    assert out.count("max difference from jax.grad") == 4
    assert "</svg>" in (tmp_path / "jax-mlp-blocks.svg").read_text(encoding="utf-8")
    assert (tmp_path / "jax-mlp-reverse.html").stat().st_size > 1000
