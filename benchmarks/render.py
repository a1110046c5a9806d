"""Rendering benchmark: big graphs against micrograd's ``draw_dot``, import time, and the
frames of a stepper against one static render.

Part 1, pictures at scale (issue 11), each ratio against micrograd's ``draw_dot`` with
system ``dot`` on the same graph in the same run:

- a micrograd-style scalar MLP 2-16-16-1 (squared error over 1, 5 and 11 samples: 1,014,
  3,718 and 7,774 nodes), traced with ``gs.var`` and drawn to SVG by ``gs.render``
  (goal: <= 0.1x draw_dot at 3,718 and 7,774 nodes); at 1,014 and 3,718 nodes both sides
  are the median of three fresh builds, because draw_dot's time depends on the order of
  micrograd's node set (memory addresses) and moves by half from build to build;
- the 1,002-node shared-input chain ``u = sin(u*y + c)`` (goal: <= 2 s);
- small graphs (the 2-4-4-1 MLP on one sample, 104 and 144 nodes; goal <= 1.0x);
- peak memory of drawing a 9,998-node graph in a fresh process (goal <= 500 MB);
- ``import graphstep`` in a fresh process (goal <= 0.15 s), then a first gradient and a
  first picture.

Times are wall clock and CPU (this process plus the Graphviz processes it started): on a
shared machine the CPU time is the steadier figure. ``draw_dot`` is stopped after
:data:`COMPETITOR_TIMEOUT` seconds; its time is then a lower bound, and the ratio an
upper bound.

Part 2, frames (``--frames``): a 200-node ladder ``u_k = sin(u_{k-1}) * u_{k-2}``, one
static render against all frames of 100 reverse steps on the shared layout (goal <= 3x),
and the size of the 200-step HTML player (goal < 1.5 MB).

Run: ``.venv/bin/python benchmarks/render.py [--frames] [--quick]`` (``--quick`` skips
the 7,774-node graph).
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import graphviz

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


def run_frames(kind: str, path: str) -> None:
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




# --- the competitor: micrograd's Value and draw_dot (Karpathy's micrograd, engine.py and the
# --- trace_graph notebook), written out here because micrograd has no reliable PyPI name

class Value:
    """micrograd's scalar: data, grad, the values it was made from and the op."""

    def __init__(self, data, _children=(), _op=""):
        self.data, self.grad, self._prev, self._op = data, 0.0, set(_children), _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), "+")

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), "*")

    def relu(self):
        return Value(0 if self.data < 0 else self.data, (self,), "ReLU")

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)


def trace(root):
    """micrograd's trace: every value and edge reachable from root."""
    nodes, edges, todo = set(), set(), [root]
    while todo:  # the notebook recurses; a loop draws the same graph without a depth limit
        v = todo.pop()
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                todo.append(child)
    return nodes, edges


def draw_dot(root, rankdir="LR"):
    """micrograd's draw_dot: record nodes with data and grad, one op node per operation."""
    nodes, edges = trace(root)
    dot = graphviz.Digraph(format="svg", graph_attr={"rankdir": rankdir})
    for n in nodes:
        uid = str(id(n))
        dot.node(name=uid, label=f"{{ data {n.data:.4f} | grad {n.grad:.4f} }}", shape="record")
        if n._op:
            dot.node(name=uid + n._op, label=n._op)
            dot.edge(uid + n._op, uid)
    for n1, n2 in edges:
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)
    return dot


# --- the same scalar MLP for both -----------------------------------------------------------

#: Seconds draw_dot may take before it is stopped (its time is then a lower bound).
COMPETITOR_TIMEOUT = 900


def mlp_loss(make, relu, samples: int, sizes=(2, 16, 16, 1)):
    """Squared error of a scalar ReLU MLP over ``samples`` samples, neuron by neuron."""
    rng = random.Random(0)
    layers = []
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append([([make(rng.uniform(-1, 1), f"w{k}_{j}_{i}") for i in range(n_in)],
                        make(0.0, f"b{k}_{j}")) for j in range(n_out)])
    data_rng = random.Random(1)
    loss = 0.0
    for _ in range(samples):
        acts = [data_rng.uniform(-2, 2) for _ in range(sizes[0])]
        target = data_rng.choice([-1.0, 1.0])
        for k, layer in enumerate(layers):
            outs = []
            for weights, bias in layer:
                total = bias
                for w, a in zip(weights, acts):
                    total = total + w * a
                outs.append(relu(total) if k < len(layers) - 1 else total)
            acts = outs
        diff = acts[0] - target
        loss = diff * diff + loss
    return loss


def graphstep_mlp(samples: int, sizes=(2, 16, 16, 1)) -> gs.Graph:
    return gs.graph(mlp_loss(lambda v, name: gs.var(name, v), gs.relu, samples, sizes))


def micrograd_mlp(samples: int, sizes=(2, 16, 16, 1)) -> Value:
    return mlp_loss(lambda v, name: Value(v), lambda v: v.relu(), samples, sizes)


def shared_chain(steps: int) -> gs.Graph:
    """``u = sin(u*y + 0.1)`` ``steps`` times: one input feeds every step."""
    y, u = gs.var("y", 0.5), gs.var("u", 0.3)
    for _ in range(steps):
        u = gs.sin(u * y + 0.1)
    return gs.graph(u)


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(action, repeat: int = 1) -> tuple[float, float]:
    """(wall, cpu) seconds of the fastest of ``repeat`` runs."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), _cpu()
        action()
        best = min(best, (time.perf_counter() - wall, _cpu() - cpu))
    return best


def time_draw_dot(root: Value, repeat: int) -> tuple[float, float, bool]:
    """(wall, cpu, finished) of draw_dot to SVG with system dot, stopped at the timeout."""
    best = (float("inf"), float("inf"), False)
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), _cpu()
        source = draw_dot(root).source
        try:
            subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True,
                           timeout=COMPETITOR_TIMEOUT, check=True)
            finished = True
        except subprocess.TimeoutExpired:
            finished = False
        best = min(best, (time.perf_counter() - wall, _cpu() - cpu, finished))
        if not finished:
            break
    return best


def _ratio(mine: float, theirs: float, finished: bool) -> str:
    return f"{'<= ' if not finished else ''}{mine / theirs:.3f}x"


def run_scale(quick: bool) -> None:
    found = {kind: path for kind, path in backend.available_backends() if kind != "env"}
    out = Path(tempfile.mkdtemp()) / "g.svg"
    # (name, ours, theirs, repeat, builds, goal): ``builds`` fresh graphs are timed once each
    # and the median is compared. draw_dot's time moves by half between builds of the same
    # MLP (micrograd collects its nodes in a set, so their order depends on memory
    # addresses, and dot's work on their order), so one build is not a fair baseline.
    cases = [("MLP 2-4-4-1, 1 sample", lambda: graphstep_mlp(1, (2, 4, 4, 1)),
              lambda: micrograd_mlp(1, (2, 4, 4, 1)), 5, 1, "<= 1.0x"),
             ("MLP 2-5-5-1, 1 sample", lambda: graphstep_mlp(1, (2, 5, 5, 1)),
              lambda: micrograd_mlp(1, (2, 5, 5, 1)), 5, 1, "<= 1.0x"),
             ("MLP 2-16-16-1, 1 sample", lambda: graphstep_mlp(1), lambda: micrograd_mlp(1), 1, 3, ""),
             ("MLP 2-16-16-1, 5 samples", lambda: graphstep_mlp(5), lambda: micrograd_mlp(5), 1, 3,
              "<= 0.1x")]
    if not quick:
        cases.append(("MLP 2-16-16-1, 11 samples", lambda: graphstep_mlp(11),
                      lambda: micrograd_mlp(11), 1, 1, "<= 0.1x"))
    print("pictures to SVG: graphstep (gs.render) against micrograd's draw_dot with system dot")
    for name, ours, theirs, repeat, builds, goal in cases:
        graphs = [ours() for _ in range(builds)]
        g = graphs[0]
        print(f"  {name}: {len(g):,} nodes, {sum(1 for _ in g.edges()):,} edges"
              f"{f' (median of {builds} builds)' if builds > 1 else ''}")
        runs = [time_draw_dot(theirs(), repeat) for _ in range(builds)]
        base_wall, base_cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        finished = all(r[2] for r in runs)
        bound = "" if finished else f" (stopped at {COMPETITOR_TIMEOUT} s)"
        each = f"   (each: {', '.join(f'{r[0]:.2f}' for r in runs)} s)" if builds > 1 else ""
        print(f"    draw_dot, system dot:     {base_wall:8.2f} s wall {base_cpu:8.2f} s cpu{bound}{each}")
        for kind, path in found.items():
            os.environ[backend.ENV_VAR] = path
            mine = [timed(lambda g=g: gs.render(g, out), repeat) for g in graphs]
            wall, cpu = statistics.median(m[0] for m in mine), statistics.median(m[1] for m in mine)
            print(f"    graphstep, {kind:14s} {wall:8.2f} s wall {cpu:8.2f} s cpu   ratio "
                  f"{_ratio(wall, base_wall, finished)} wall, {_ratio(cpu, base_cpu, finished)} cpu"
                  f"{'   goal ' + goal if goal else ''}")
    g = shared_chain(250)
    print(f"  shared-input chain u = sin(u*y + 0.1): {len(g):,} nodes (goal <= 2 s)")
    for kind, path in found.items():
        os.environ[backend.ENV_VAR] = path
        wall, cpu = timed(lambda g=g: gs.render(g, out), 3)
        print(f"    graphstep, {kind:14s} {wall:8.2f} s wall {cpu:8.2f} s cpu")


_PEAK = """
import resource, sys, tempfile, os
sys.path.insert(0, {here!r})
import render as bench
import graphstep as gs
g = bench.shared_chain(2499)
gs.render(g, os.path.join(tempfile.mkdtemp(), "g.svg"))
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(len(g), me, child)
"""


def run_memory_and_import() -> None:
    here = str(Path(__file__).resolve().parent)
    for kind, path in backend.available_backends():
        if kind == "env":
            continue
        env = dict(os.environ, **{backend.ENV_VAR: path})
        done = subprocess.run([sys.executable, "-c", _PEAK.format(here=here)], capture_output=True,
                              text=True, env=env, check=True)
        nodes, me, child = done.stdout.split()
        print(f"peak memory drawing {int(nodes):,} nodes ({kind}): python {float(me):.0f} MB, "
              f"Graphviz {float(child):.0f} MB (goal <= 500 MB)")

    def fresh(code: str) -> float:
        """Best of 7 wall seconds of ``python -c code`` in a fresh process."""
        walls = []
        for _ in range(7):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            walls.append(time.perf_counter() - start)
        return min(walls)

    bare, numpy = fresh("pass"), fresh("import numpy")
    print(f"a bare interpreter: {bare:.3f} s; import numpy: {numpy:.3f} s")
    print(f"import graphstep in a fresh process: {fresh('import graphstep'):.3f} s wall "
          f"(best of 7) (goal <= 0.15 s)")
    first_grad = "import graphstep as gs; gs.grad(gs.parse('x * exp(x**2)', x=1.5), 'x')"
    print(f"  ... and a first parse and grad: {fresh(first_grad):.3f} s")
    first_svg = (first_grad + "; import tempfile, os; "
                 "gs.render(gs.parse('x * exp(x**2)', x=1.5), os.path.join(tempfile.mkdtemp(), 'g.svg'))")
    print(f"  ... and a first picture: {fresh(first_svg):.3f} s")


def main() -> int:
    found = backend.available_backends()
    if not found:
        print("no Graphviz executable found", file=sys.stderr)
        return 1
    saved = os.environ.get(backend.ENV_VAR)
    try:
        run_memory_and_import()
        run_scale("--quick" in sys.argv)
        if "--frames" in sys.argv:
            for kind, path in found:
                if kind != "env":
                    run_frames(kind, path)
    finally:
        if saved is None:
            os.environ.pop(backend.ENV_VAR, None)
        else:
            os.environ[backend.ENV_VAR] = saved
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
