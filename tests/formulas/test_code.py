"""The derived gradients as numpy code (graphstep.formulas.code): written to a file, imported,
run at new inputs, and compared with gs.grad and HIPS autograd."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
import uuid
import warnings
from pathlib import Path

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad as autograd_grad

import graphstep as gs
from graphstep.formulas.code import CodeError, python_name, to_python
from graphstep.gallery.examples import EXAMPLES

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "fuzz"))

import differential  # noqa: E402

MATRIX_EXAMPLES = sorted(
    name for name, e in EXAMPLES.items()
    if e.kind == "grad" and any(np.ndim(v) == 2 for v in e.values().values()))


def load(source: str, folder: Path):
    """Write the generated source to a file and import that file as a fresh module."""
    path = folder / f"generated_{uuid.uuid4().hex}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_ANP = {
    "add": lambda a, p: a[0] + a[1], "sub": lambda a, p: a[0] - a[1],
    "mul": lambda a, p: a[0] * a[1], "div": lambda a, p: a[0] / a[1],
    "pow": lambda a, p: a[0] ** a[1], "neg": lambda a, p: -a[0],
    "exp": lambda a, p: anp.exp(a[0]), "log": lambda a, p: anp.log(a[0]),
    "log1p": lambda a, p: anp.log1p(a[0]), "sin": lambda a, p: anp.sin(a[0]),
    "cos": lambda a, p: anp.cos(a[0]), "tan": lambda a, p: anp.tan(a[0]),
    "tanh": lambda a, p: anp.tanh(a[0]), "sigmoid": lambda a, p: 1 / (1 + anp.exp(-a[0])),
    "relu": lambda a, p: anp.maximum(a[0], 0.0), "sqrt": lambda a, p: anp.sqrt(a[0]),
    "abs": lambda a, p: anp.abs(a[0]), "square": lambda a, p: a[0] ** 2,
    "maximum": lambda a, p: anp.maximum(a[0], a[1]), "minimum": lambda a, p: anp.minimum(a[0], a[1]),
    "matmul": lambda a, p: anp.matmul(a[0], a[1]), "dot": lambda a, p: anp.matmul(a[0], a[1]),
    "transpose": lambda a, p: anp.transpose(a[0]),
    "sum": lambda a, p: anp.sum(a[0], axis=p.get("axis")),
    "mean": lambda a, p: anp.mean(a[0], axis=p.get("axis")),
    "amax": lambda a, p: anp.max(a[0], axis=p.get("axis")),
    "amin": lambda a, p: anp.min(a[0], axis=p.get("axis")),
    "broadcast": lambda a, p: a[0] + anp.zeros(p["shape"]),
}


def autograd_grads(g: gs.Graph) -> dict:
    """Every input's gradient by HIPS autograd, from the graph's ops written with autograd.numpy."""
    def loss(values):
        computed = {}
        for n in range(len(g)):
            op = str(g.op(n))
            if op == "input":
                computed[n] = values[g.label(n)]
            elif op == "const":
                computed[n] = g.value_of(n)
            else:
                computed[n] = _ANP[op]([computed[a] for a in g.args(n)], g.params(n))
        return computed[g.output]

    values = {name: g.value_of(g.input_node(name)) for name in g.inputs}
    return autograd_grad(loss)(values)


def random_inputs(g: gs.Graph, rng: np.random.Generator) -> dict:
    return {name: (float(rng.uniform(0.5, 1.5)) if np.ndim(g.value_of(g.input_node(name))) == 0
                   else rng.uniform(0.5, 1.5, np.shape(g.value_of(g.input_node(name)))))
            for name in g.inputs}


@pytest.mark.parametrize("name", MATRIX_EXAMPLES)
def test_every_gallery_example_with_matrices_runs_as_numpy_code(name, tmp_path):
    example = EXAMPLES[name]
    g = example.graph()
    module = load(gs.backprop_formulas(g).to_python(), tmp_path)
    tree = ast.parse(Path(module.__file__).read_text())
    assert [alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names] == ["numpy"]
    # at the graph's own values: the closed form, gs.grad and autograd
    loss, grads = module.loss_and_grads(**{n: g.value_of(g.input_node(n)) for n in g.inputs})
    assert loss == pytest.approx(float(g.value), rel=1e-12)
    expected, reference = example.expected(g), autograd_grads(g)
    for input_name in g.inputs:
        np.testing.assert_allclose(grads[input_name], expected[input_name], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(grads[input_name], reference[input_name], rtol=1e-9, atol=1e-12)
        assert np.shape(grads[input_name]) == np.shape(g.value_of(g.input_node(input_name)))
    # at new random inputs of the same shapes: a new graph gives the reference
    rng = np.random.default_rng(len(name))
    for _ in range(2):
        values = random_inputs(g, rng)
        loss, grads = module.loss_and_grads(**values)
        fresh = gs.parse(example.expression, **values)
        assert loss == pytest.approx(float(fresh.value), rel=1e-10)
        reference, by_autograd = gs.grad(fresh), autograd_grads(fresh)
        for input_name in g.inputs:
            np.testing.assert_allclose(grads[input_name], reference[input_name], rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(grads[input_name], by_autograd[input_name], rtol=1e-9, atol=1e-12)
    errors = module.check_grads()
    assert set(errors) == set(g.inputs) and max(errors.values()) < 1e-5


def test_random_tensor_expressions_run_as_numpy_code(tmp_path):
    compared = 0
    for tree, values, total in differential.cases(0, 60, seed=13):
        text = differential.text(tree)
        text = f"sum({text})" if total else text
        values = {k: v for k, v in values.items() if k in differential.leaves(tree)}
        if not values:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            g = gs.parse(text, **values)
            if differential.at_kink(tree, values):
                continue
            reference = gs.grad(g)
        if not all(np.all(np.isfinite(v)) for v in reference.values()) or not np.isfinite(g.value):
            continue

        def total_of(env, tree=tree):
            return anp.sum(differential.evaluate(tree, env))

        by_autograd = autograd_grad(total_of)({k: values[k] for k in values})
        module = load(gs.backprop_formulas(g).to_python(), tmp_path)
        with np.errstate(all="ignore"):
            loss, grads = module.loss_and_grads(**{n: values[n] for n in g.inputs})
        assert loss == pytest.approx(float(g.value), rel=1e-9, abs=1e-12), text
        for name in g.inputs:
            np.testing.assert_allclose(grads[name], reference[name], rtol=1e-8, atol=1e-10, err_msg=text)
            np.testing.assert_allclose(grads[name], by_autograd[name], rtol=1e-7, atol=1e-9, err_msg=text)
        compared += 1
    assert compared >= 30


def test_the_mlp_module_reads_as_the_derived_formulas(tmp_path):
    rng = np.random.default_rng(0)
    g = gs.parse("sum((sigmoid(sigmoid(X @ W1) @ W2) - Y)^2) / 2", X=rng.normal(size=(5, 3)),
                 W1=rng.normal(size=(3, 4)), W2=rng.normal(size=(4, 2)), Y=rng.normal(size=(5, 2)))
    source = gs.backprop_formulas(g).to_python()
    assert "def loss_and_grads(X, W1, W2, Y):" in source
    assert "    dL_dW1 = X.T @ (G_u2 * (u2 * (1 - u2)))" in source
    assert "    G_u2 = (G_u4 * (u4 * (1 - u4))) @ W2.T" in source
    assert "    u1 = X @ W1" in source and "def sigmoid(z):" in source
    # as a script it checks itself against central differences
    path = tmp_path / "mlp_grads.py"
    path.write_text(source)
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, check=True)
    assert done.stdout.count("largest difference from central differences") == 4


def test_check_grads_catches_a_wrong_gradient(tmp_path):
    g = gs.parse("sum(sin(v) * w)", v=np.array([0.3, 0.7]), w=np.array([1.0, 2.0]))
    source = gs.backprop_formulas(g).to_python().replace("np.cos(v)", "np.sin(v)")
    module = load(source, tmp_path)
    with pytest.raises(AssertionError, match="dL/dv differs"):
        module.check_grads()


def test_scalar_inputs_give_float_gradients_and_constants_are_inlined(tmp_path):
    g = gs.parse("x * exp(x^2) + 3", x=1.5)
    module = load(to_python(gs.backprop_formulas(g)), tmp_path)
    loss, grads = module.loss_and_grads(x=1.5)
    assert isinstance(grads["x"], float)
    assert grads["x"] == pytest.approx(np.exp(2.25) * (1 + 2 * 2.25), rel=1e-12)
    assert loss == pytest.approx(1.5 * np.exp(2.25) + 3, rel=1e-12)


def test_max_and_softmax_and_broadcasting(tmp_path):
    values = {"A": np.array([[1.0, 3.0, 3.0], [2.0, -1.0, 0.5]]), "b": np.array([0.1, 0.2, 0.3])}
    g = gs.parse("sum(max(A, axis=1)) + sum(softmax(A + b) * A) + mean(A * b)", **values)
    module = load(to_python(gs.backprop_formulas(g)), tmp_path)
    _, grads = module.loss_and_grads(**values)
    reference = gs.grad(g)
    for name in values:
        np.testing.assert_allclose(grads[name], reference[name], rtol=1e-10, atol=1e-12)
    assert grads["A"][0, 1] != grads["A"][0, 0]  # the tie at the max shares its derivative


def test_names_that_are_not_python_identifiers_are_renamed():
    taken = {"np"}
    assert [python_name(label, taken) for label in ("np", "class", "2x", "a-b", "a-b")] == \
        ["np_", "class_", "v2x", "a_b", "a_b_2"]


def test_to_python_needs_formulas():
    with pytest.raises(gs.GraphstepError, match="at least one formula"):
        to_python({})
    assert issubclass(CodeError, gs.GraphstepError)


def test_the_cli_prints_or_writes_the_code(tmp_path, capsys):
    from graphstep.cli import main

    assert main(["grad", "sum(tanh(W @ v))", "--at", "W=[[1,2],[3,4]]", "--at", "v=[0.5,-1]",
                 "--code"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith('"""The loss L = sum(tanh(W @ v))') and "dL_dW = np.outer(" in printed
    target = tmp_path / "grads.py"
    assert main(["grad", "x * exp(x^2)", "--at", "x=1.5", "--code", "-o", str(target)]) == 0
    module = load(target.read_text(), tmp_path)
    assert module.loss_and_grads(1.5)[1]["x"] == pytest.approx(52.1825470999719, rel=1e-12)
    assert main(["grad", "x * exp(x^2)", "--at", "x=1.5", "-o", str(target)]) == 2
    assert "add --code" in capsys.readouterr().err
