"""Benchmark: reading a real JAX model with gs.from_jax and differentiating it, against JAX.

The model is ``examples/frameworks/jax_mlp.py``: a 4-8-3 relu MLP, softmax cross entropy over a batch of
16, parameters in a dict pytree. Timed in one run, interleaved:

- **graphstep**: ``gs.from_jax`` (``jax.make_jaxpr``, then one node per equation and the
  forward pass in numpy) and ``gs.grad`` for the four parameters;
- **graphstep grad alone**: ``gs.grad`` on the imported graph (the import done once);
- **jax.grad, un-jitted** (the baseline, 1.00x): ``jax.grad(loss)`` called op by op;
- **jax.jit(jax.grad)**: compiled once before timing, then called (the compile time is printed).

All compute in float64 and are first checked to agree (rel 1e-10).

Run: ``python benchmarks/jax_model.py [--repeat 30] [--batch 16]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import jax
import numpy as np

import graphstep as gs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples" / "frameworks"))
import jax_mlp  # noqa: E402

NAMES = ["params.W1", "params.b1", "params.W2", "params.b2"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed runs of each (default 30)")
    parser.add_argument("--batch", type=int, default=jax_mlp.BATCH)
    args = parser.parse_args()
    params, x, labels = jax_mlp.make_data(batch=args.batch)

    def graphstep_import_and_grad():
        g = gs.from_jax(jax_mlp.loss, params, x, labels)
        return gs.grad(g, NAMES)

    imported = gs.from_jax(jax_mlp.loss, params, x, labels)
    with jax.enable_x64(True):
        eager = jax.grad(jax_mlp.loss)
        jitted = jax.jit(jax.grad(jax_mlp.loss))
        start = time.perf_counter()
        reference = jax.block_until_ready(jitted(params, x, labels))
        compile_time = time.perf_counter() - start
        for key in params:
            ours = graphstep_import_and_grad()[f"params.{key}"]
            if not np.allclose(ours, reference[key], rtol=1e-10, atol=1e-14):
                raise SystemExit(f"graphstep's gradient of {key} differs from jax.grad's")
            if not np.allclose(eager(params, x, labels)[key], reference[key], rtol=1e-10):
                raise SystemExit(f"jax.grad un-jitted differs from jitted for {key}")

        runs: dict[str, Callable[[], object]] = {
            "jax.grad, un-jitted": lambda: jax.block_until_ready(eager(params, x, labels)),
            "graphstep from_jax + grad": graphstep_import_and_grad,
            "graphstep grad alone": lambda: gs.grad(imported, NAMES),
            "jax.jit(jax.grad), compiled": lambda: jax.block_until_ready(jitted(params, x, labels)),
        }
        times = {name: [] for name in runs}
        for run in runs.values():
            run()
        for _ in range(args.repeat):
            for name, run in runs.items():
                start = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - start)

    sizes = "-".join(str(n) for n in jax_mlp.SIZES)
    print(f"{sizes} relu MLP, softmax cross entropy, batch {args.batch}; {len(imported)} nodes; "
          f"jax {jax.__version__}; {args.repeat} interleaved runs each")
    print(f"jax.jit compile (first call): {compile_time * 1e3:.1f} ms")
    baseline = "jax.grad, un-jitted"
    jit_name = "jax.jit(jax.grad), compiled"
    width = max(len(name) for name in times)
    print(f"{'':{width}}  {'best ms':>8}  {'median ms':>9}  {'/ un-jitted':>11}  {'/ jitted':>9}")
    for name, values in times.items():
        best, median = min(values), statistics.median(values)
        print(f"{name:{width}}  {best * 1e3:8.3f}  {median * 1e3:9.3f}  "
              f"{best / min(times[baseline]):10.2f}x  {best / min(times[jit_name]):8.1f}x")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(f"note: the load average is {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
              "other processes disturb these timings")


if __name__ == "__main__":
    main()
