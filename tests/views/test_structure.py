"""Repeated structure: a scalar MLP traced number by number (no gs.block) shows its layers
and neurons; collapsing them keeps the gradient of every weight."""

import random

import numpy as np
import pytest
from support import assert_close

import graphstep as gs
from graphstep.views.blocks import block_keys
from graphstep.views.choose import auto_view
from graphstep.views.collapse import collapse
from graphstep.views.structure import band_scopes, structure_scopes


def scalar_mlp(sizes=(2, 3, 3, 1), samples=2, seed=0):
    """A micrograd-style MLP and squared-error loss over ``samples`` data points."""
    rnd = random.Random(seed)
    layers = []
    for k, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layers.append([([gs.var(f"w{k + 1}_{j}_{i}", rnd.uniform(-1, 1)) for i in range(n_in)],
                        gs.var(f"b{k + 1}_{j}", rnd.uniform(-0.5, 0.5))) for j in range(n_out)])
    loss = 0.0
    for _ in range(samples):
        h = [rnd.uniform(-1, 1) for _ in range(sizes[0])]
        target = rnd.uniform(-1, 1)
        for k, layer in enumerate(layers):
            out = []
            for weights, bias in layer:
                z = sum((w * x for w, x in zip(weights, h)), bias)
                out.append(z.tanh() if k < len(layers) - 1 else z)
            h = out
        loss = loss + (h[0] - target) ** 2
    return gs.graph(loss)


def test_neurons_and_layers_are_found():
    g = scalar_mlp()
    scopes = structure_scopes(g)
    layers = {s[0] for s in scopes if s}
    assert layers == {"layer1", "layer2", "output"}
    neurons = {s for s in scopes if len(s) == 2}
    assert len([s for s in neurons if s[0] == "layer1"]) == 3 * 2  # 3 neurons x 2 samples
    # a neuron is its activation and the products and sums only it uses
    tanh = next(n for n in range(len(g)) if g.op(n) == "tanh")
    members = [n for n in range(len(g)) if scopes[n] == scopes[tanh]]
    assert sorted(g.op(n) for n in members) == ["add", "add", "mul", "mul", "tanh"]
    assert all(scopes[n] == () for n in range(len(g)) if g.op(n) in ("input", "const"))


def test_layers_collapse_with_the_gradient_of_every_weight():
    g = scalar_mlp()
    v = collapse(g)
    assert [v.label(n) for n in range(len(v)) if v.op(n) == "composite"] == ["layer1", "layer2", "output"]
    original = gs.grad(g)
    for name, value in gs.grad(v).items():
        assert value == pytest.approx(original[name], rel=1e-10, abs=1e-12)


def test_expanding_a_layer_shows_its_neurons():
    g = scalar_mlp()
    v = collapse(g, expand="layer1")
    assert sum(label.startswith("layer1.neuron") for label in v.labels) == 6
    original = gs.grad(g)
    for name, value in gs.grad(v).items():
        assert value == pytest.approx(original[name], rel=1e-10, abs=1e-12)


def test_large_graph_collapses_by_itself_with_grouped_parameters():
    g = scalar_mlp(sizes=(2, 4, 4, 1), samples=6)
    v = auto_view(g, limit=100)
    assert len(v) == 6
    assert v.inputs == ["layer1_params", "layer2_params", "output_params"]
    assert v.note.startswith(f"{len(g):,} nodes are more than the 100 drawn one by one; "
                             "collapsed automatically")
    original, grads = gs.grad(g), gs.grad(v)
    for group, members in v.members.items():
        assert_close(grads[group], [original[m] for m in members], 1e-10, 1e-12)
    assert len(v.members["layer1_params"]) == 2 * 4 + 4


def test_a_graph_without_activations_is_cut_in_bands():
    u, y = gs.var("u", 0.3), gs.var("y", 0.5)
    for _ in range(60):
        u = gs.sin(u * y + 0.1)
    g = gs.graph(u)
    assert len(set(band_scopes(g, 6)) - {()}) == 6
    v = auto_view(g, limit=40)
    assert len(v) <= 40
    assert gs.grad(v, "y") == pytest.approx(gs.grad(g, "y"), rel=1e-10)
    assert gs.grad(v, "u") == pytest.approx(gs.grad(g, "u"), rel=1e-10)


def test_no_activation_means_no_structure():
    g = gs.parse("x * y + sin(x)", x=1.0, y=2.0)
    assert structure_scopes(g) == [()] * len(g)
    assert block_keys(g, "blocks") == [None] * len(g)


def test_structure_of_a_tensor_network():
    X = gs.var("X", np.ones((2, 3)))
    W = gs.var("W", np.full((3, 2), 0.1))
    g = gs.graph(gs.sum(gs.relu(X @ W)))
    assert structure_scopes(g)[3] == ("layer1", "neuron1")
