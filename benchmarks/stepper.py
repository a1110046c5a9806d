"""Stepper benchmark: memory, frame files and the HTML player of big scalar graphs.

The graphs are micrograd-style scalar MLPs (2-16-16-1) traced with ``gs.var``: one
sample gives 1,016 nodes, five samples 3,720 nodes; fifteen give 10,480. It prints, in
one run, with the layout program ``GRAPHSTEP_DOT`` names (default: system ``dot``,
else graphviz-pure):

- the memory a 3,720-node reverse stepper (3,554 steps) and its shared layout hold
  above the graph (resident memory after, minus before; goal <= 300 MB), and the peak;
- what ``save_all`` writes for the 1,016-node reverse stepper (982 frames), as SVG and
  as SVGZ (goal <= 200 MB), and how long it takes;
- ``to_html`` of that stepper: size (goal <= 10 MB) and time (goal <= 30 s);
- ``to_html`` of the 10,480-node stepper: refused at once with ``SizeLimitError``;
- 100 step frames of the 1,016-node graph against one static render (goal <= 3x).

Run: ``.venv/bin/python benchmarks/stepper.py`` (about five minutes).
"""

from __future__ import annotations

import gc
import os
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

import graphstep as gs
from graphstep.export import svg as export
from graphstep.export.files import svg_file_data
from graphstep.export.stepper import Stepper


def scalar_mlp(samples: int, sizes=(2, 16, 16, 1)) -> gs.Graph:
    """The mean squared error of a scalar MLP over ``samples`` samples: 1,016 + 676 (samples - 1) nodes."""
    rng = random.Random(0)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers.append([([gs.var(f"w{len(layers)}_{j}_{i}", rng.uniform(-1, 1)) for i in range(n_in)],
                        gs.var(f"b{len(layers)}_{j}", 0.1)) for j in range(n_out)])
    data = random.Random(1)
    loss = 0.0
    for _ in range(samples):
        acts = [data.uniform(-2, 2) for _ in range(sizes[0])]
        target = data.choice([-1.0, 1.0])
        for k, layer in enumerate(layers):
            outs = []
            for weights, bias in layer:
                total = bias
                for w, a in zip(weights, acts):
                    total = total + w * a
                outs.append(gs.relu(total) if k < len(layers) - 1 else total)
            acts = outs
        diff = acts[0] - target
        loss = diff * diff + loss
    return gs.graph(loss / samples)


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def memory() -> None:
    g = scalar_mlp(5)
    gc.collect()
    before = resident_mb()
    s, built = timed(lambda: gs.steps(g, "reverse", collapse=False))
    shared, laid = timed(lambda: export.layout(s))
    gc.collect()
    held = resident_mb() - before
    print(f"{len(g):,}-node reverse stepper, {len(s):,} steps: built in {built:.1f} s, layout + states "
          f"in {laid:.1f} s")
    print(f"  memory above the graph: {held:8.0f} MB   (goal <= 300 MB; before: 4.7 GB)")
    print(f"  peak resident memory:   {peak_mb():8.0f} MB")
    print(f"  frame SVG: {len(shared.frame(0)) / 1e6:.2f} MB")


def files() -> None:
    g = scalar_mlp(1)
    s = gs.steps(g, "reverse")
    out = Path(tempfile.mkdtemp())
    try:
        (_, laid) = timed(lambda: export.layout(s))
        svg_bytes, svg_time = timed(lambda: sum(len(svg_file_data(export.layout(s).frame(k), "svg"))
                                                for k in range(len(s))))
        written, svgz_time = timed(lambda: export.save_all(s, out / "svgz", fmt="svgz"))
        svgz_bytes = sum(p.stat().st_size for p in written)
        print(f"{len(g):,}-node reverse stepper, {len(s):,} steps (layout {laid:.1f} s)")
        print(f"  save_all svg:  {svg_bytes / 1e6:8.0f} MB, frames made in {svg_time:.1f} s "
              f"(before: 2,070 MB)")
        print(f"  save_all svgz: {svgz_bytes / 1e6:8.0f} MB, written in {svgz_time:.1f} s (goal <= 200 MB)")
        fresh = gs.steps(g, "reverse")
        page, took = timed(lambda: fresh.to_html(out / "player.html"))
        print(f"  to_html:       {page.stat().st_size / 1e6:8.2f} MB in {took:.1f} s, layout included "
              f"(goals <= 10 MB, <= 30 s)")
        first100 = Stepper(g, "reverse", None, list(s.steps)[:100])
        static, one = timed(lambda: gs.render(g, out / "static.svg"))
        frames, hundred = timed(lambda: export.frames(first100))
        assert len(frames) == 100
        print(f"  one static render: {one:.2f} s; 100 step frames, layout included: {hundred:.2f} s "
              f"= {hundred / one:.2f}x (goal <= 3x)")
    finally:
        shutil.rmtree(out, ignore_errors=True)


def refusal() -> None:
    g = scalar_mlp(15)
    s = gs.steps(g, "reverse", collapse=False)
    out = Path(tempfile.mkdtemp())
    start = time.perf_counter()
    try:
        s.to_html(out / "player.html")
        print(f"{len(g):,}-node to_html: written in {time.perf_counter() - start:.1f} s")
    except gs.SizeLimitError as error:
        print(f"{len(g):,}-node to_html, {len(s):,} steps: refused in {time.perf_counter() - start:.3f} s:")
        print(f"  {error}")
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> int:
    refusal()
    files()
    memory()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
