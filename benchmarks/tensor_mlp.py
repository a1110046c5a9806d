"""Benchmark: a 784-256-10 tanh network, batch 512, mean squared error.

The same loss and gradients computed three ways in one run:

- **numpy**: hand-written forward pass and backprop (the baseline, 1.00x);
- **graphstep**: ``gs.parse`` (which builds the graph and runs the forward pass) and
  ``gs.grad`` for the four parameters (reverse accumulation over Jacobian objects);
- **autograd**: HIPS autograd's ``grad`` of the same loss written with ``autograd.numpy``.

All three are first checked to agree. Each is then timed ``--repeat`` times,
interleaved so that machine noise hits them alike; the table shows the best and the
median time and their ratio to numpy. Goal: graphstep <= 1.2x numpy (autograd is
about 1.65x).

Run: ``python benchmarks/tensor_mlp.py [--repeat 30] [--threads N]``. OpenBLAS
settings in the environment (``OPENBLAS_CORETYPE``, ``OPENBLAS_L2_SIZE``,
``OPENBLAS_NUM_THREADS``) change every column alike; they are printed with the
results.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import numpy as np

import graphstep as gs

EXPRESSION = "mean((tanh(tanh(X @ W1 + b1) @ W2 + b2) - Y)^2)"
PARAMS = ("W1", "b1", "W2", "b2")


def make_data(seed: int = 0, batch: int = 512, sizes: tuple[int, int, int] = (784, 256, 10)):
    """Inputs, targets and parameters of the network, reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    n_in, n_hidden, n_out = sizes
    return {
        "X": rng.normal(size=(batch, n_in)),
        "Y": rng.normal(size=(batch, n_out)),
        "W1": rng.normal(size=(n_in, n_hidden)) / np.sqrt(n_in),
        "b1": rng.normal(size=n_hidden) * 0.1,
        "W2": rng.normal(size=(n_hidden, n_out)) / np.sqrt(n_hidden),
        "b2": rng.normal(size=n_out) * 0.1,
    }


def numpy_backprop(X, Y, W1, b1, W2, b2):
    """Forward pass and hand-written backprop; returns the loss and the four gradients."""
    A1 = np.tanh(X @ W1 + b1)
    A2 = np.tanh(A1 @ W2 + b2)
    R = A2 - Y
    loss = float(np.mean(R * R))
    G2 = (2.0 / R.size) * R * (1.0 - A2 * A2)  # dL/dZ2
    G1 = (G2 @ W2.T) * (1.0 - A1 * A1)  # dL/dZ1
    return loss, {"W1": X.T @ G1, "b1": G1.sum(axis=0), "W2": A1.T @ G2, "b2": G2.sum(axis=0)}


def graphstep_backprop(data):
    """``gs.parse`` (graph + forward pass) and ``gs.grad`` for the parameters."""
    g = gs.parse(EXPRESSION, **data)
    return g.value, gs.grad(g, list(PARAMS))


def graphstep_all_inputs(data):
    """The same, but gradients for every input (including the data X and Y)."""
    g = gs.parse(EXPRESSION, **data)
    return g.value, gs.grad(g)


def autograd_backprop_factory():
    """HIPS autograd's value and gradient of the same loss, or None if not installed."""
    try:
        import autograd.numpy as anp
        from autograd import value_and_grad
    except ImportError:
        return None

    def loss(params, X, Y):
        W1, b1, W2, b2 = params
        A1 = anp.tanh(anp.dot(X, W1) + b1)
        A2 = anp.tanh(anp.dot(A1, W2) + b2)
        return anp.mean((A2 - Y) ** 2)

    value_and_gradient = value_and_grad(loss)

    def run(data):
        value, grads = value_and_gradient(tuple(data[k] for k in PARAMS), data["X"], data["Y"])
        return value, dict(zip(PARAMS, grads))

    return run


def check_agreement(reference, others: dict[str, tuple]) -> None:
    ref_loss, ref_grads = reference
    for name, (loss, grads) in others.items():
        if not np.isclose(loss, ref_loss, rtol=1e-10):
            raise SystemExit(f"{name}: loss {loss} differs from numpy's {ref_loss}")
        for key in PARAMS:
            if not np.allclose(grads[key], ref_grads[key], rtol=1e-8, atol=1e-12):
                raise SystemExit(f"{name}: gradient of {key} differs from numpy's")


def time_interleaved(runs: dict[str, Callable[[], object]], repeat: int
                     ) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall-clock and CPU (process) times of each run, ``repeat`` times, interleaved."""
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for run in runs.values():  # warm up (imports, allocator, BLAS threads)
        run()
    for _ in range(repeat):
        for name, run in runs.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            cpu[name].append(time.process_time() - start_cpu)
            wall[name].append(time.perf_counter() - start)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed runs of each (default 30)")
    parser.add_argument("--batch", type=int, default=512)
    args = parser.parse_args()

    data = make_data(batch=args.batch)
    reference = numpy_backprop(**data)
    autograd_run = autograd_backprop_factory()
    results = {"graphstep": graphstep_backprop(data), "graphstep, all inputs": graphstep_all_inputs(data)}
    if autograd_run is not None:
        results["autograd"] = autograd_run(data)
    check_agreement(reference, results)

    runs: dict[str, Callable[[], object]] = {
        "numpy (hand-written backprop)": lambda: numpy_backprop(**data),
        "graphstep parse + grad(params)": lambda: graphstep_backprop(data),
    }
    if autograd_run is not None:
        runs["autograd value_and_grad"] = lambda: autograd_run(data)
    runs["graphstep parse + grad(all, incl. dX)"] = lambda: graphstep_all_inputs(data)
    times, cpu_times = time_interleaved(runs, args.repeat)

    blas = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                       "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS") if k in os.environ}
    print(f"784-256-10 tanh network, batch {args.batch}, MSE: {EXPRESSION}")
    print(f"{args.repeat} interleaved runs each; numpy {np.__version__}; "
          f"BLAS environment: {blas or 'default'}")
    baseline = "numpy (hand-written backprop)"
    base_best, base_median = min(times[baseline]), statistics.median(times[baseline])
    base_cpu = min(cpu_times[baseline])
    width = max(len(name) for name in times)
    print(f"{'':{width}}  {'best ms':>8}  {'median ms':>9}  {'best CPU ms':>11}  "
          f"{'ratio (best)':>12}  {'(median)':>8}  {'(CPU)':>6}")
    for name, values in times.items():
        best, median, cpu = min(values), statistics.median(values), min(cpu_times[name])
        print(f"{name:{width}}  {best * 1e3:8.2f}  {median * 1e3:9.2f}  {cpu * 1e3:11.2f}  "
              f"{best / base_best:11.2f}x  {median / base_median:7.2f}x  {cpu / base_cpu:5.2f}x")
    ratio = min(times["graphstep parse + grad(params)"]) / base_best
    print(f"graphstep / numpy (best wall time): {ratio:.2f}x (goal <= 1.2x)")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(f"note: the load average is {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
              "other processes disturb these timings")


if __name__ == "__main__":
    main()
