"""Rendering benchmark: one static picture against every frame of a 100-step stepper.

The graph is a 200-node ladder ``u_k = sin(u_{k-1}) * u_{k-2}`` (every value is used
twice, so the reverse stepper sums two contributions per node). It prints

- the time of one static render (Graphviz layout + SVG) of the graph,
- the time of all frames of 100 reverse steps on the shared layout (one Graphviz run,
  then string operations per frame), and their ratio (the goal is at most 3x),
- the size of the self-contained HTML player of 200 steps (the goal is under 1.5 MB),

for every Graphviz executable present (system ``dot`` and ``graphviz-pure``).

Run: ``.venv/bin/python benchmarks/render.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import graphstep as gs
from graphstep import backend
from graphstep.export import image as rendering
from graphstep.export import svg as export
from graphstep.export.stepper import Stepper


def ladder(rungs: int = 99) -> gs.Graph:
    """A 2*rungs + 2 node ladder: ``a, b``, then per rung ``u_k = sin(u_{k-1}) * u_{k-2}``."""
    previous, current = gs.var("a", 0.9), gs.var("b", 0.7)
    for _ in range(rungs):
        previous, current = current, gs.sin(current) * previous
    return gs.graph(current)


def best_of(repeat: int, action) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def run(kind: str, path: str) -> None:
    os.environ[backend.ENV_VAR] = path
    g = ladder()
    all_steps = gs.steps(g, "reverse")
    steps100 = Stepper(g, "reverse", None, list(all_steps.steps)[:100])
    steps200 = Stepper(g, "reverse", None, list(all_steps.steps)[:200])
    out = Path(tempfile.mkdtemp()) / "static.svg"

    static = best_of(5, lambda: rendering.render(g, out))
    step_picture = best_of(5, lambda: rendering.render((g, steps100.steps[-1]), out))

    def all_frames():
        steps100.layouts.clear()  # measure the layout too, not a cached one
        frames = export.frames(steps100)
        assert len(frames) == 100

    animated = best_of(5, all_frames)
    player = export.player_html(steps200)
    layout = export.layout(steps200)
    print(f"[{kind}] {path}")
    print(f"  graph: {len(g)} nodes, {sum(1 for _ in g.edges())} edges; "
          f"frame SVG {len(layout.frame(0)) / 1024:.0f} KiB")
    print(f"  one static render (layout + SVG):       {static * 1000:8.1f} ms")
    print(f"  one static render of step 100:          {step_picture * 1000:8.1f} ms")
    print(f"  all frames of 100 steps (SVG, shared):  {animated * 1000:8.1f} ms")
    print(f"  ratio frames / static:                  {animated / static:8.2f}x  (goal <= 3x)")
    print(f"  ratio frames / static step picture:     {animated / step_picture:8.2f}x")
    size = len(player.encode("utf-8"))
    print(f"  HTML player, {len(steps200)} steps:              {size / 1e6:8.3f} MB "
          f"(goal < 1.5 MB)")
    small = gs.steps(gs.parse("x * exp(x^2)", x=1.5), "paths")
    gif = Path(tempfile.mkdtemp()) / "paths.gif"
    animation = best_of(1, lambda: export.to_gif(small, gif))
    print(f"  GIF of x*exp(x^2), {len(small)} path steps:    {animation * 1000:8.1f} ms, "
          f"{gif.stat().st_size / 1024:.0f} KiB")


def main() -> int:
    found = backend.available_backends()
    if not found:
        print("no Graphviz executable found", file=sys.stderr)
        return 1
    saved = os.environ.get(backend.ENV_VAR)
    try:
        for kind, path in found:
            if kind != "env":
                run(kind, path)
    finally:
        if saved is None:
            os.environ.pop(backend.ENV_VAR, None)
        else:
            os.environ[backend.ENV_VAR] = saved
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
