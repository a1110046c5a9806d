"""One picture to a file: :func:`render` (``gs.render``) of a graph, a stepper's current
step or a ``(Graph, Step)`` pair, as SVG, PNG, PDF or DOT.

The DOT text comes from :mod:`graphstep.render.dot` (pure); running the layout program
is :mod:`graphstep.backend`'s job, and writing the file :mod:`graphstep.export.files`'s.

>>> import graphstep as gs, tempfile, os
>>> out = render(gs.parse("sin(x)", x=0.5), os.path.join(tempfile.mkdtemp(), "g.gv"))
>>> out.suffix, out.read_text().startswith("digraph")
('.gv', True)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from graphstep.errors import InputError, RenderError
from graphstep.export.files import atomic_write, output_path, render_dot, write_dot_beside, write_svg
from graphstep.export.svg import frame_svg
from graphstep.graph import Graph
from graphstep.render.dot import to_dot
from graphstep.render.style import Style, with_direction
from graphstep.steps.model import Step

__all__ = ["render", "FORMATS"]

#: Picture formats by file suffix.
FORMATS = {".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot", ".pdf": "pdf"}


def _is_stepper(obj: Any) -> bool:
    return all(hasattr(obj, name) for name in ("graph", "steps", "current"))


def _target(target: Any) -> tuple[Graph, Step | None, Any]:
    """(graph, step, stepper or None) of a render target."""
    if isinstance(target, Graph):
        return target, None, None
    if isinstance(target, tuple) and len(target) == 2 and isinstance(target[0], Graph):
        if target[1] is not None and not isinstance(target[1], Step):
            raise InputError(f"a (Graph, Step) pair needs a Step, got {type(target[1]).__name__}")
        return target[0], target[1], None
    if _is_stepper(target):
        return target.graph, target.current, target
    raise InputError(
        f"render needs a Graph, a stepper or a (Graph, Step) pair, got {type(target).__name__}")


def render(target: Any, path: str | os.PathLike, style: Style | None = None,
           scale: float | None = None, direction: str | None = None) -> Path:
    """Draw a graph, a stepper's current step or a ``(Graph, Step)`` pair to ``path``.

    The format comes from the suffix: ``.svg``, ``.png``, ``.dot``/``.gv``, and
    ``.pdf`` where the backend can (system Graphviz). A stepper's picture is its
    frame of the shared layout (see :func:`graphstep.export.svg.frames`). The file is
    replaced only once complete (see :mod:`graphstep.export.files`).

    Parameters
    ----------
    target : Graph, stepper or (Graph, Step)
    path : str or os.PathLike
    style : Style, optional
    scale : float, optional
        PNG only: the raster scale.
    direction : {"auto", "LR", "RL", "TB", "BT"}, optional
        The layout direction, as :class:`~graphstep.render.style.Style`'s ``direction``
        and the CLI's ``--direction`` set it (None or ``"auto"``: the style's).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    InputError
        For a target that is none of the above, or an unknown direction.
    RenderError
        For an unknown suffix, or when no Graphviz executable is found (it says how to
        install one, and the DOT source is still written next to ``path``).

    Examples
    --------
    >>> import graphstep as gs, tempfile, os
    >>> out = render(gs.parse("x^2", x=3.0), os.path.join(tempfile.mkdtemp(), "g.dot"), direction="BT")
    >>> text = out.read_text()
    >>> text.startswith("digraph"), "rankdir=BT" in text
    (True, True)
    """
    path = output_path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise RenderError(
            f"cannot tell the picture format of {str(path)!r}: use one of "
            f"{', '.join(sorted(FORMATS))}")
    g, step, stepper = _target(target)
    style = with_direction(style or Style(), direction)
    if fmt == "dot":
        return atomic_write(path, to_dot(g, step, style))
    if stepper is not None and fmt in ("svg", "png"):
        try:
            svg = frame_svg(stepper, style=style)
        except RenderError as error:
            beside = write_dot_beside(path, to_dot(g, step, style))
            raise RenderError(f"{error} (the DOT source is in {beside})") from None
        return write_svg(svg, path, fmt, scale=scale)
    return render_dot(to_dot(g, step, style), path, fmt, scale=scale)
