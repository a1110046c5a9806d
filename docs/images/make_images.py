"""Regenerate the pictures the README shows, and one SVG of every seed example under
``gallery/`` (run from the repository root).

    .venv/bin/python docs/images/make_images.py

They are drawn with graphviz-pure (the executable installed with graphstep), whose
output is the same on every platform, so the committed files only change when
graphstep's pictures do.
"""

from __future__ import annotations

import os
from pathlib import Path

import graphstep as gs
from graphstep import backend
from graphstep.gallery.examples import EXAMPLES
from graphstep.render.style import Style

HERE = Path(__file__).resolve().parent


def main() -> None:
    os.environ[backend.ENV_VAR] = "graphviz-pure"
    written = []

    xexp = EXAMPLES["x-exp-x2"].graph()
    with_grad = Style(grad=True)
    for suffix in ("svg", "png"):
        written.append(gs.render(xexp, HERE / f"x-exp-x2.{suffix}", style=with_grad))

    tanh = EXAMPLES["two-layer-tanh"].graph()
    upright = Style(grad=True, direction="BT")
    for suffix in ("svg", "png"):
        written.append(gs.render(tanh, HERE / f"two-layer-tanh.{suffix}", style=upright))

    gallery = HERE / "gallery"
    gallery.mkdir(exist_ok=True)
    for name, example in EXAMPLES.items():  # every worked example of the seeds, with adjoints
        g = example.graph()
        style = Style(grad=g.shape_of(g.output) == (), direction="LR" if g.is_scalar else "BT")
        written.append(gs.render(g, gallery / f"{name}.svg", style=style))

    paths = gs.steps(xexp, "paths", "x")
    written.append(paths.to_gif(HERE / "x-exp-x2-paths.gif", duration=2500))
    reverse = gs.steps(xexp, "reverse")
    written.append(reverse.to_gif(HERE / "x-exp-x2-reverse.gif", duration=2500))

    for path in written:
        print(f"{path.relative_to(HERE.parent.parent)}  {path.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
