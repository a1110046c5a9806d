"""A real model in JAX: a two-layer MLP with softmax cross entropy, read by graphstep.

The model is ordinary JAX code: parameters in a dict pytree, ``jax.numpy`` and ``jax.nn``,
``jax.named_scope`` for the layers. ``gs.from_jax`` reads it through ``jax.make_jaxpr``;
graphstep's gradients are checked against ``jax.grad`` for every parameter, then the
backward pass is drawn with each layer collapsed.

Run:  python examples/frameworks/jax_mlp.py [OUTDIR]
From the command line (the flat version of the loss, one array per argument):

    graphstep grad examples/frameworks/jax_mlp.py:flat_loss --at W1='randn(4,8)' b1='zeros(8)' \\
        W2='randn(8,3)' b2='zeros(3)' x='randn(16,4)' labels='[0,1,2,0,1,2,0,1,2,0,1,2,0,1,2,0]'
"""

import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

import graphstep as gs

SIZES = (4, 8, 3)  # inputs, hidden units, classes
BATCH = 16


def loss(params, x, labels):
    """Mean softmax cross entropy of a relu MLP over a batch (labels are class numbers)."""
    with jax.named_scope("layer1"):
        h = jax.nn.relu(x @ params["W1"] + params["b1"])
    with jax.named_scope("layer2"):
        logits = h @ params["W2"] + params["b2"]
    with jax.named_scope("loss"):
        log_p = jax.nn.log_softmax(logits)
        return -jnp.mean(jnp.sum(jax.nn.one_hot(labels, SIZES[2]) * log_p, axis=1))


def flat_loss(W1, b1, W2, b2, x, labels):
    """The same loss with one array per argument (for ``graphstep grad file.py:flat_loss``)."""
    return loss({"W1": W1, "b1": b1, "W2": W2, "b2": b2}, x, labels.astype(int))


def make_data(seed=0, batch=BATCH, sizes=SIZES):
    """Parameters, a batch of inputs and their labels, reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    n_in, n_hidden, n_out = sizes
    params = {"W1": rng.normal(size=(n_in, n_hidden)) / np.sqrt(n_in),
              "b1": rng.normal(size=n_hidden) * 0.1,
              "W2": rng.normal(size=(n_hidden, n_out)) / np.sqrt(n_hidden),
              "b2": np.zeros(n_out)}
    return params, rng.normal(size=(batch, n_in)), rng.integers(0, n_out, size=batch)


def main(outdir="."):
    params, x, labels = make_data()
    g = gs.from_jax(loss, params, x, labels)
    print(f"loss {g.value:.6f}; {len(g)} nodes; inputs {g.inputs}")
    with jax.enable_x64(True):
        expected = jax.grad(loss)(params, x, labels)
    grads = gs.grad(g)
    for key in params:
        difference = float(np.max(np.abs(grads[f"params.{key}"] - np.asarray(expected[key]))))
        print(f"d loss / d params.{key}: max difference from jax.grad {difference:.1e}")
        assert difference < 1e-10
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    gs.render(g, out / "jax-mlp-blocks.svg", collapse="blocks")
    gs.steps(g, mode="reverse", collapse="blocks").to_html(out / "jax-mlp-reverse.html")
    print(f"wrote {out / 'jax-mlp-blocks.svg'} and {out / 'jax-mlp-reverse.html'}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
