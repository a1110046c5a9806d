"""Draw the pictures of ``docs/collapsing.rst`` that a page's directive cannot: a scalar MLP
traced number by number (micrograd style), 2-16-16-1 over 50 samples, drawn by
``gs.render`` with no options (it collapses itself), and the same network with layer 1
opened into its neurons for one sample.

Run from anywhere; it prints how long each part took::

    .venv/bin/python docs/images/make_collapsing.py    # writes docs/_static/collapsing/
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

import graphstep as gs  # noqa: E402

OUT = HERE.parent / "_static" / "collapsing"  # not docs/images: README code draws those


def scalar_mlp(sizes=(2, 16, 16, 1), samples=50, seed=0):
    """A micrograd-style MLP (tanh hidden layers, linear output) and its squared-error loss."""
    rnd = random.Random(seed)
    layers = []
    for k, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        layers.append([([gs.var(f"w{k + 1}_{j}_{i}", rnd.uniform(-1, 1)) for i in range(n_in)],
                        gs.var(f"b{k + 1}_{j}", 0.0)) for j in range(n_out)])
    loss = 0
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


def main() -> None:
    OUT.mkdir(exist_ok=True)
    start = time.perf_counter()
    g = scalar_mlp()
    traced = time.perf_counter()
    gs.render(g, OUT / "mlp-50-samples.svg")
    drawn = time.perf_counter()
    print(f"{len(g):,} nodes: traced in {traced - start:.1f} s, drawn (collapsed by itself) "
          f"in {drawn - traced:.1f} s")
    small = scalar_mlp(samples=1)
    gs.render(small, OUT / "mlp-1-sample-layer1.svg", expand="layer1")
    print(f"one sample, layer 1 opened: {time.perf_counter() - drawn:.1f} s")


if __name__ == "__main__":
    main()
