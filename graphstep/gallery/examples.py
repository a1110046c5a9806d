"""The seed gallery: every worked example of the source material, with its closed form.

Each :class:`Example` names the seed document it comes from, the expression and the
values to evaluate it at, and the derivative the document derives by hand (as a
function of the values). ``graphstep demo``, the docs, ``examples/`` and the tests
all read this one list.

>>> example = EXAMPLES["x-exp-x2"]
>>> g = example.graph()
>>> import graphstep as gs
>>> bool(abs(gs.grad(g, "x") - example.expected(g)["x"]) < 1e-9)
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graphstep.build.parse import parse
from graphstep.graph import Graph

__all__ = ["Example", "EXAMPLES", "SEEDS"]

#: The seed documents, by the number their file name starts with.
SEEDS = {
    "000": "A trick to calculating partial derivatives in machine learning (blog)",
    "001": "How to derive gradients in backprop without knowing matrix calculus (blog)",
    "002": "Matrix Calculus Demystified (blog)",
    "003": "The Core of Backprop: deriving dL/dM to update matrix M (blog)",
    "004": "Deep Learning Foundations: matrix calculus and backpropagation (lecture slides)",
}


@dataclass(frozen=True)
class Example:
    """One worked example: expression, values, the hand-derived result, a note.

    Parameters
    ----------
    name : str
        The example's key in :data:`EXAMPLES`.
    seed : str
        The seed (lecture note) it comes from.
    title : str
    expression : str
        The expression, as ``graphstep`` reads it: a program (``z = w*x + b`` then
        ``a = max(0, z)``) where the seed names its steps, so the pictures use its names.
    values : callable
        ``() -> {input: value}``: the inputs (random ones drawn from a fixed seed).
    expected : callable
        ``(graph) -> {input: derivative}``: the hand-derived result (a closed form).
    note : str
        What the example shows.
    kind : {"grad", "jacobian"}
        A scalar output (``gs.grad``) or a vector output (``gs.jacobian``).
    mode : str
        The stepper mode the gallery shows.
    wrt : str, optional
        The input that mode differentiates by.
    tags : tuple of str

    Examples
    --------
    >>> example = EXAMPLES["sigmoid"]
    >>> example.seed, example.expression, example.kind
    ('004', 'sigmoid(x)', 'grad')
    """

    name: str
    seed: str
    title: str
    expression: str
    values: Callable[[], dict[str, Any]]
    expected: Callable[[Graph], dict[str, Any]]
    note: str = ""
    kind: str = "grad"  # "grad" for a scalar output, "jacobian" for a vector output
    mode: str = "paths"  # the stepper mode the gallery shows
    wrt: str | None = None
    tags: tuple[str, ...] = field(default=())

    def graph(self) -> Graph:
        """The example's graph at its values.

        Returns
        -------
        Graph

        Examples
        --------
        >>> EXAMPLES["sigmoid"].graph().inputs
        ['x']
        """
        return parse(self.expression, **self.values())


def _v(g: Graph, name: str) -> Any:
    return g.value_of(g.input_node(name))


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def _two_layer_tanh(g):
    X, Wh, bh, Wo, bo, Y = (_v(g, k) for k in ("X", "Wh", "bh", "Wo", "bo", "Y"))
    Ah = np.tanh(X @ Wh.T + bh)
    Ao = np.tanh(Ah @ Wo.T + bo)
    G_out = 2 * (Ao - Y) / Y.size * (1 - Ao**2)  # dL/dZ_out
    G_h = (G_out @ Wo) * (1 - Ah**2)  # dL/dZ_h
    return {"Wo": G_out.T @ Ah, "bo": G_out.sum(0), "Wh": G_h.T @ X, "bh": G_h.sum(0),
            "X": G_h @ Wh, "Y": -2 * (Ao - Y) / Y.size}


def _mlp_000(g):
    X, W1, W2, Y = (_v(g, k) for k in ("X", "W1", "W2", "Y"))
    Z1 = _sigmoid(X @ W1)
    Z2 = _sigmoid(Z1 @ W2)
    G2 = Z2 - Y  # dJ/dZ2 for J = sum((Z2 - Y)^2)/2
    G1 = (G2 * Z2 * (1 - Z2)) @ W2.T  # the G^l recursion of seed 000
    return {"W2": Z1.T @ (G2 * Z2 * (1 - Z2)), "W1": X.T @ (G1 * Z1 * (1 - Z1)),
            "X": (G1 * Z1 * (1 - Z1)) @ W1.T, "Y": -G2}


def _sigmoid_net_ce(g):
    x, w1, b1, w2, b2, y = (_v(g, k) for k in ("x", "w1", "b1", "w2", "b2", "y"))
    u2 = _sigmoid(w1 * x + b1)
    u4 = _sigmoid(w2 * u2 + b2)
    dcost_du4 = -y / u4
    du3 = dcost_du4 * u4 * (1 - u4)
    du1 = du3 * w2 * u2 * (1 - u2)
    return {"w2": du3 * u2, "b2": du3, "w1": du1 * x, "b1": du1, "x": du1 * w1,
            "y": -np.log(u4)}


def _examples() -> list[Example]:
    return [
        Example(
            "chain-rule", "004", "Chain rule through intermediate variables",
            "u1 = x^3\nu2 = sin(u1)\nu3 = u2^2\ny = ln(u3)", lambda: {"x": 0.7},
            lambda g: {"x": 6 * _v(g, "x") ** 2 * np.cos(_v(g, "x") ** 3) / np.sin(_v(g, "x") ** 3)},
            "u₁ = x³, u₂ = sin(u₁), u₃ = u₂², y = ln(u₃): one path, dy/dx = 6x²·cos(x³)/sin(x³).",
            mode="paths",
        ),
        Example(
            "x-exp-x2", "004", "Two paths from x: the slide's path sum, corrected",
            "u1 = x^2\nu2 = exp(u1)\ny = x*u2", lambda: {"x": 1.5},
            lambda g: {"x": np.exp(_v(g, "x") ** 2) * (2 * _v(g, "x") ** 2 + 1)},
            "The slides list three terms, x·exp(x²)·x twice and exp(x²), and conclude that "
            "the sum is exp(x²). There are exactly two paths: x → u₁ → u₂ → y with factors 2x, "
            "exp(x²), x (product 2x²·exp(x²)) and x → y with factor u₂ = exp(x²). Their "
            "sum is exp(x²)·(2x² + 1), as the slides' own product-rule sanity check gives; "
            "'= exp(x²)' drops the 2x²·exp(x²) term.",
            mode="paths", tags=("wrong-slide",),
        ),
        Example(
            "partial-derivatives", "004", "Partial derivatives and the gradient",
            "f = 3*x^2*(2*y + 7)", lambda: {"x": 1.0, "y": 2.0},
            lambda g: {"x": 6 * _v(g, "x") * (2 * _v(g, "y") + 7), "y": 6 * _v(g, "x") ** 2},
            "∇f(x, y) = [6x(2y + 7), 6x²].", mode="reverse",
        ),
        Example(
            "jacobian-fg", "004", "The Jacobian of [f, g]",
            "f = 3*x^2*(2*y + 7)\ng = 4*x + y^2\n[f, g]", lambda: {"x": 1.0, "y": 2.0},
            lambda g: {"x": np.array([[6 * _v(g, "x") * (2 * _v(g, "y") + 7)], [4.0]]),
                       "y": np.array([[6 * _v(g, "x") ** 2], [2 * _v(g, "y")]])},
            "J = [[6x(2y + 7), 6x²], [4, 2y]]: each row is one function's gradient.",
            kind="jacobian", mode="forward-mode", wrt="x",
        ),
        Example(
            "vector-chain-rule", "004", "Vector chain rule",
            "[ln(x^2), sin(3*x)]", lambda: {"x": 1.2},
            lambda g: {"x": np.array([[2 / _v(g, "x")], [3 * np.cos(3 * _v(g, "x"))]])},
            "dy/dx = [2/x, 3·cos(3x)]: the Jacobian of f times the Jacobian of g.",
            kind="jacobian", mode="forward-mode", wrt="x",
        ),
        Example(
            "power-chain", "004", "Chain rule on 2(x² + 9)³",
            "u = x^2 + 9\nf = 2*u^3", lambda: {"x": 0.5},
            lambda g: {"x": 6 * (_v(g, "x") ** 2 + 9) ** 2 * 2 * _v(g, "x")},
            "df/du = 6u² and du/dx = 2x, so df/dx = 6(x² + 9)²·2x.", mode="paths",
        ),
        Example(
            "sigmoid", "004", "The derivative of the sigmoid",
            "sigmoid(x)", lambda: {"x": 0.3},
            lambda g: {"x": _sigmoid(_v(g, "x")) * (1 - _sigmoid(_v(g, "x")))},
            "dσ/dx = σ(x)·(1 - σ(x)).", mode="local",
        ),
        Example(
            "dot-product", "004", "The dot product as sum(w ⊗ x)",
            "u = w * x\ny = sum(u)",
            lambda: {"w": np.array([0.5, -1.0, 2.0]), "x": np.array([1.0, 2.0, 3.0])},
            lambda g: {"w": _v(g, "x"), "x": _v(g, "w")},
            "u = w ⊗ x has Jacobian diag(x); y = sum(u) has 1ᵀ; so dy/dw = 1ᵀ·diag(x) = xᵀ.",
            mode="reverse",
        ),
        Example(
            "neuron-active", "004", "A ReLU neuron, active (w·x + b > 0)",
            "z = dot(w, x) + b\nactivation = max(0, z)",
            lambda: {"w": np.array([0.5, -0.25, 1.0]), "x": np.array([1.0, 2.0, 0.5]), "b": 0.1},
            lambda g: {"w": _v(g, "x"), "x": _v(g, "w"), "b": 1.0},
            "For z = w·x + b > 0 the max disappears: d/dw = xᵀ, d/db = 1.", mode="reverse",
        ),
        Example(
            "neuron-inactive", "004", "A ReLU neuron, clipped (w·x + b <= 0)",
            "z = dot(w, x) + b\nactivation = max(0, z)",
            lambda: {"w": np.array([0.5, -0.25, 1.0]), "x": np.array([1.0, 2.0, 0.5]), "b": -1.0},
            lambda g: {"w": np.zeros(3), "x": np.zeros(3), "b": 0.0},
            "For z <= 0 the activation is clipped to 0 and every derivative is 0.", mode="reverse",
        ),
        Example(
            "neuron-cost", "004", "The neuron's mean squared cost over a batch",
            "z = X @ w + b\nu = max(0, z)\nv = y - u\nC = mean(v^2)",
            lambda: {"y": np.array([1.0, 0.0, 2.0, 0.5]),
                     "X": _rng(4).normal(size=(4, 3)), "w": np.array([0.5, -0.3, 0.8]), "b": 0.2},
            lambda g: _neuron_cost(g),
            "C = 1/N Σᵢ (yᵢ - max(0, w·xᵢ + b))²; dC/dw = -2/N Σᵢ (yᵢ - uᵢ)·[zᵢ > 0]·xᵢᵀ.",
            mode="reverse",
        ),
        Example(
            "sigmoid-network-ce", "004", "Sigmoid network with cross entropy (elementwise weights)",
            "u1 = w1 * x + b1\nu2 = sigmoid(u1)\nu3 = w2 * u2 + b2\nu4 = sigmoid(u3)\n"
            "cost = -sum(y * log(u4))",
            lambda: {"y": np.array([0.0, 1.0, 0.0]), "w2": np.array([0.7, -1.2, 0.4]),
                     "w1": np.array([0.3, 0.8, -0.5]), "x": np.array([1.0, -0.5, 2.0]),
                     "b1": np.array([0.1, 0.0, -0.1]), "b2": np.array([0.2, 0.1, 0.0])},
            _sigmoid_net_ce,
            "u₁ = w₁ ⊗ x + b₁, u₂ = σ(u₁), u₃ = w₂ ⊗ u₂ + b₂, u₄ = σ(u₃), cost = -sum(y ⊙ log u₄): "
            "every Jacobian on the way is diagonal, as the slides show.",
            mode="reverse",
        ),
        Example(
            "outer-product", "003", "dL/dM for y = Mx: an outer product",
            "y = M @ x\nL = sum((t - y)^2)",
            lambda: {"t": np.array([1.0, 0.0, -1.0]), "M": _rng(3).normal(size=(3, 2)),
                     "x": np.array([1.0, 2.0])},
            lambda g: {"M": -2 * np.outer(_v(g, "t") - _v(g, "M") @ _v(g, "x"), _v(g, "x")),
                       "x": -2 * _v(g, "M").T @ (_v(g, "t") - _v(g, "M") @ _v(g, "x")),
                       "t": 2 * (_v(g, "t") - _v(g, "M") @ _v(g, "x"))},
            "dy/dvec(M) = xᵀ ⊗ Iₘ; dL/dM = -2(g - Mx)·xᵀ (the seed names the target g; "
            "here it is t).",
            mode="paths", wrt="M",
        ),
        Example(
            "affine-broadcast-bias", "001", "score = XW + b with a broadcast bias",
            "score = X @ W + b\nL = 0.5 * sum((score - Y)^2)",
            lambda: {"X": _rng(1).normal(size=(4, 3)), "W": _rng(2).normal(size=(3, 2)),
                     "b": np.array([0.1, -0.2]), "Y": _rng(5).normal(size=(4, 2))},
            lambda g: _affine(g),
            "dL/dW = Xᵀ·dL/dscore (D×C) and dL/db = the column sums of dL/dscore: "
            "the broadcast of b is its own node, whose backward sums over the N rows.",
            mode="reverse",
        ),
        Example(
            "two-layer-tanh", "002", "A two-layer tanh network with MSE",
            "Z_h = X @ Wh.T + bh\nA_h = tanh(Z_h)\nZ_out = A_h @ Wo.T + bo\nA_out = tanh(Z_out)\n"
            "L = mean((A_out - Y)^2)",
            lambda: {"X": _rng(6).normal(size=(4, 3)), "Wh": _rng(7).normal(size=(5, 3)) * 0.5,
                     "bh": _rng(8).normal(size=5) * 0.1, "Wo": _rng(9).normal(size=(3, 5)) * 0.5,
                     "bo": _rng(10).normal(size=3) * 0.1, "Y": _rng(11).normal(size=(4, 3))},
            _two_layer_tanh,
            "Zₕ = X·Wₕᵀ + bₕ, Aₕ = tanh(Zₕ), Zₒ = Aₕ·Wₒᵀ + bₒ, Aₒ = tanh(Zₒ), "
            "L = 1/(3n) Σ (Aₒ - Y)²; the tanh Jacobians are diag(sech² z) = diag(1 - a²).",
            mode="reverse",
        ),
        Example(
            "mlp-matrix-backprop", "000", "Backprop in matrix form: the Gˡ recursion",
            "Z1 = sigmoid(X @ W1)\nZ2 = sigmoid(Z1 @ W2)\nJ = sum((Z2 - Y)^2) / 2",
            lambda: {"X": _rng(12).normal(size=(5, 3)), "W1": _rng(13).normal(size=(3, 4)),
                     "W2": _rng(14).normal(size=(4, 2)), "Y": _rng(15).uniform(size=(5, 2))},
            _mlp_000,
            "Gˡ = (Gˡ⁺¹ ⊙ s'(Zˡ⁺¹))·(Wˡ⁺¹)ᵀ and dJ/dWˡ = (Zˡ⁻¹)ᵀ·(Gˡ ⊙ s'(Zˡ)): "
            "treat them as scalars, then make the shapes match.",
            mode="reverse",
        ),
        Example(
            "linear-regression", "000", "Linear regression: Xᵀ(Xθ - y)/m",
            "J = sum((X @ th - y)^2) / (2*4)",
            lambda: {"X": np.column_stack([np.ones(4), _rng(16).normal(size=(4, 2))]),
                     "th": np.array([0.5, -1.0, 2.0]), "y": np.array([1.0, 2.0, 0.0, -1.0])},
            lambda g: {"th": _v(g, "X").T @ (_v(g, "X") @ _v(g, "th") - _v(g, "y")) / 4,
                       "X": np.outer(_v(g, "X") @ _v(g, "th") - _v(g, "y"), _v(g, "th")) / 4,
                       "y": -(_v(g, "X") @ _v(g, "th") - _v(g, "y")) / 4},
            "J = 1/(2m)·|Xθ - y|² with m = 4; the trick gives 1/m·Xᵀ(Xθ - y).",
            mode="reverse",
        ),
    ]


def _neuron_cost(g):
    y, X, w, b = (_v(g, k) for k in ("y", "X", "w", "b"))
    z = X @ w + b
    u = np.maximum(z, 0)
    r = (y - u) * (z > 0)
    n = len(y)
    return {"w": -2 / n * X.T @ r, "b": -2 / n * r.sum(), "X": -2 / n * np.outer(r, w),
            "y": 2 / n * (y - u)}


def _affine(g):
    X, W, b, Y = (_v(g, k) for k in ("X", "W", "b", "Y"))
    d = X @ W + b - Y
    return {"W": X.T @ d, "b": d.sum(axis=0), "X": d @ W.T, "Y": -d}


#: Every seed example by name, in the order the gallery shows them.
EXAMPLES: dict[str, Example] = {e.name: e for e in _examples()}
