"""Scalar MLP: graphstep against micrograd, measured in the same run.

The network has 2 inputs, two hidden layers of 16 ReLU units and 1 output; the loss
is the squared error summed over 50 samples (about 34,000 nodes). Both libraries
build the same expression with Python operators and differentiate it. A third part
differentiates a chain of 100,000 ops, which micrograd's recursive topological sort
cannot do.

Run: ``python benchmarks/scalar_vs_micrograd.py`` (prints times and ratios).
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time

from micrograd.engine import Value

import graphstep as gs

SAMPLES = 50
SIZES = (2, 16, 16, 1)
REPEATS = 7


def make_params(make):
    rng = random.Random(0)
    layers = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
        layer = [([make(rng.uniform(-1, 1), f"w{len(layers)}_{j}_{i}") for i in range(n_in)],
                  make(0.0, f"b{len(layers)}_{j}")) for j in range(n_out)]
        layers.append(layer)
    return layers


def make_data():
    rng = random.Random(1)
    return [([rng.uniform(-2, 2), rng.uniform(-2, 2)], rng.choice([-1.0, 1.0])) for _ in range(SAMPLES)]


def forward(layers, data):
    loss = 0.0
    for xs, target in data:
        acts = xs
        for k, layer in enumerate(layers):
            outs = []
            for weights, bias in layer:
                total = bias
                for w, a in zip(weights, acts):
                    total = total + w * a
                outs.append(total.relu() if k < len(layers) - 1 else total)
            acts = outs
        diff = acts[0] - target
        loss = diff * diff + loss
    return loss


def time_best(fn, repeats=REPEATS):
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def run_micrograd(data):
    layers = make_params(lambda v, name: Value(v))
    start = time.perf_counter()
    loss = forward(layers, data)
    built = time.perf_counter()
    loss.backward()
    done = time.perf_counter()
    return built - start, done - built, loss


def run_graphstep(data):
    layers = make_params(lambda v, name: gs.var(name, v))
    start = time.perf_counter()
    loss = forward(layers, data)
    g = gs.graph(loss)
    built = time.perf_counter()
    grads = gs.grad(g)
    done = time.perf_counter()
    return built - start, done - built, g, grads


def best_of(fn, data):
    results = [fn(data) for _ in range(REPEATS)]
    build = min(r[0] for r in results)
    backward = min(r[1] for r in results)
    return build, backward, results[-1]


def chain(n):
    x = gs.var("x", 0.5)
    y = x
    for _ in range(n):
        y = y * 0.999999 + 0.000001
    return x, y


def main() -> None:
    sys.setrecursionlimit(10_000)  # micrograd's topological sort recurses once per node
    data = make_data()
    mg_build, mg_back, (_, _, mg_loss) = best_of(run_micrograd, data)
    gs_build, gs_back, (_, _, g, grads) = best_of(run_graphstep, data)
    assert abs(mg_loss.data - g.value) < 1e-9 * max(1.0, abs(g.value))
    nodes = len(g)
    edges = sum(len(g.args(n)) for n in range(nodes))
    print(f"scalar MLP 2-16-16-1, squared error over {SAMPLES} samples: "
          f"{nodes:,} nodes, {edges:,} edges (best of {REPEATS})")
    print(f"  micrograd  build {mg_build * 1e3:8.2f} ms   backward {mg_back * 1e3:8.2f} ms   "
          f"total {(mg_build + mg_back) * 1e3:8.2f} ms")
    print(f"  graphstep  trace {gs_build * 1e3:8.2f} ms   grad     {gs_back * 1e3:8.2f} ms   "
          f"total {(gs_build + gs_back) * 1e3:8.2f} ms")
    print(f"  ratio trace+grad / build+backward = {(gs_build + gs_back) / (mg_build + mg_back):.2f}x"
          f"   (goal <= 1.0x)")
    print(f"  ratio grad / backward             = {gs_back / mg_back:.3f}x   (goal <= 0.1x)")
    print(f"  micrograd backward per node       = {mg_back / nodes * 1e6:.2f} us")

    n = 100_000
    start = time.perf_counter()
    x, y = chain(n)
    g = gs.graph(y)
    derivative = gs.grad(g, "x")
    elapsed = time.perf_counter() - start
    expected = 0.999999**n
    print(f"chain of {n:,} ops (multiply-add): graphstep trace + grad {elapsed * 1e3:.1f} ms, "
          f"dy/dx = {derivative:.9f} (closed form {expected:.9f})")
    sys.setrecursionlimit(1_000)
    value = Value(0.5)
    out = value
    for _ in range(n // 100):
        out = out * 0.999999 + 0.000001
    try:
        out.backward()
        print(f"micrograd: a chain of {n // 100:,} ops differentiated")
    except RecursionError:
        print(f"micrograd: RecursionError on a chain of {n // 100:,} ops "
              f"(default recursion limit 1,000)")


if __name__ == "__main__":
    main()
