"""Small printing and saving helpers shared by the example scripts.

Every example builds its graph, prints the value and the derivatives found three
ways (sum over paths, reverse accumulation, forward mode), prints the closed form
its seed document derives by hand and whether they agree, and writes an SVG of the
graph and an HTML step player into the directory given as the first argument
(``./out`` when none is given).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import graphstep as gs

__all__ = ["output_dir", "number", "show", "print_paths", "three_ways", "agree", "save_pictures"]


def output_dir() -> Path:
    """The directory named on the command line, or ``./out``; created if missing."""
    directory = Path(sys.argv[1] if len(sys.argv) > 1 else "out")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def number(value) -> str:
    """A float or an array on one line, with enough digits to check it."""
    if np.ndim(value) == 0:
        return f"{float(value):.10g}"
    return np.array2string(np.asarray(value, dtype=float), separator=", ", precision=10,
                           max_line_width=10**6, threshold=10**6, floatmode="maxprec")


def show(label: str, value) -> None:
    """Print ``label = value`` (a float or an array, on one line)."""
    print(f"{label} = {number(value)}")


def print_paths(g: gs.Graph, wrt: str, limit: int = 12) -> None:
    """Print the table of paths from the output back to ``wrt``: route, factors, product."""
    total = gs.count_paths(g, wrt)
    print(f"\npaths from the output back to {wrt}: {total}")
    for k, path in enumerate(gs.paths(g, wrt)):
        if k == limit:
            print(f"  ... and {total - limit} more")
            break
        print(f"  {k + 1:>2}. {path.describe(g)}")


def three_ways(g: gs.Graph) -> None:
    """For every input: the paths table, then the derivative as a path sum, by reverse
    accumulation and by forward mode (a scalar output's gradient)."""
    for name in g.inputs:
        print_paths(g, name)
        show(f"path sum {name}", gs.path_sum(g, name))
        show(f"gradient {name}", gs.grad(g, name))
        show(f"forward mode {name}", gs.forward_grad(g, name))


def agree(label: str, computed, closed_form, tol: float = 1e-8) -> bool:
    """Print whether graphstep's result matches the seed's closed form; fail loudly if not."""
    computed, closed_form = np.asarray(computed, dtype=float), np.asarray(closed_form, dtype=float)
    ok = computed.shape == closed_form.shape and np.allclose(computed, closed_form, rtol=tol, atol=tol)
    print(f"{label}: graphstep and the closed form {'agree' if ok else 'DISAGREE'}")
    if not ok:
        raise SystemExit(f"{label}: {number(computed)} != {number(closed_form)}")
    return ok


def save_pictures(g: gs.Graph, stem: str, mode: str = "paths", wrt: str | None = None) -> None:
    """Write ``stem.svg`` (the graph, last step of the walk) and ``stem-player.html``."""
    directory = output_dir()
    stepper = gs.steps(g, mode=mode, wrt=wrt)
    stepper.goto(len(stepper) - 1)
    svg = gs.render(stepper, directory / f"{stem}.svg")
    player = stepper.to_html(directory / f"{stem}-player.html")
    print(f"\nwrote {svg} ({mode} mode, last of {len(stepper)} steps) and {player}")
