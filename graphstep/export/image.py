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
import textwrap
from pathlib import Path
from typing import Any

from graphstep.errors import InputError, RenderError
from graphstep.export.files import atomic_write, output_path, render_dot, write_dot_beside, write_svg
from graphstep.export.svg import frame_svg
from graphstep.graph import Graph
from graphstep.render.backward import backward_dot, saved_dot
from graphstep.render.budget import MAX_DRAWN_NODES
from graphstep.render.dot import to_digraph, to_dot
from graphstep.render.style import Style, with_direction
from graphstep.steps.model import Step
from graphstep.views.choose import choose_view

__all__ = ["render", "graph_dot", "FORMATS"]

#: Picture formats by file suffix.
FORMATS = {".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot", ".pdf": "pdf",
           ".tex": "tex", ".tikz": "tikz"}


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


def graph_dot(g: Graph, step: Step | None = None, style: Style | None = None) -> str:
    """The DOT source of :func:`~graphstep.render.dot.to_dot`; a view's note (what was
    focused or collapsed, :class:`graphstep.View`) is the caption of its plain picture.

    Parameters
    ----------
    g : Graph
    step : Step, optional
    style : Style, optional

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> 'label="focus on x' in graph_dot(gs.focus(gs.parse("x * sin(y)", x=1.0, y=2.0), "x"))
    True
    """
    style = style or Style()
    note = getattr(g, "note", "")
    if step is not None or not note:
        return to_dot(g, step, style)
    digraph = to_digraph(g, None, style)
    text = "\n".join(textwrap.wrap(note, 110))
    digraph.attr(label=text.replace("\\", "\\\\") + "\n", labelloc="b", labeljust="c")
    return digraph.source


def _backward_picture(g: Graph, step: Step | None, path: Path, fmt: str, style: Style,
                      backward: bool | str, saved: bool, scale: float | None) -> Path:
    """``render(..., backward=..., saved=...)``: the pictures of :mod:`graphstep.render.backward`."""
    if step is not None:
        raise InputError("backward= and saved= draw a graph, not a step: render the Graph")
    if backward:
        wrt = backward if isinstance(backward, str) else None
        source = backward_dot(g, wrt, style, saved_badges=bool(saved))
    else:
        source = saved_dot(g, style)
    if fmt == "dot":
        return atomic_write(path, source)
    return render_dot(source, path, fmt, scale=scale)


def render(target: Any, path: str | os.PathLike, style: Style | None = None,
           scale: float | None = None, direction: str | None = None, *, focus: Any = None,
           collapse: Any = None, expand: Any = None, hide_constants: bool = False,
           backward: bool | str = False, saved: bool = False) -> Path:
    """Draw a graph, a stepper's current step or a ``(Graph, Step)`` pair to ``path``.

    The format comes from the suffix: ``.svg``, ``.png``, ``.dot``/``.gv``, and
    ``.pdf`` where the backend can (system Graphviz); ``.tex`` writes a standalone LaTeX
    document with a TikZ picture and ``.tikz`` the bare picture to include (see
    :mod:`graphstep.export.tikz`). A stepper's picture is its
    frame of the shared layout (see :func:`graphstep.export.svg.frames`). The file is
    replaced only once complete (see :mod:`graphstep.export.files`).

    A graph can be drawn smaller with the mathematics kept (see :doc:`/collapsing`):
    ``focus`` keeps the paths from some inputs, ``collapse`` draws blocks as single
    nodes whose edges carry total derivatives. A graph of more than
    :data:`~graphstep.render.budget.MAX_DRAWN_NODES` nodes is collapsed automatically
    unless ``collapse=False``, and the caption says so.

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
    focus : str or list of str, optional
        Draw only the paths from these inputs to the output (:func:`graphstep.focus`).
    collapse : "blocks", int, str or list of str, optional
        Draw these blocks as single nodes (:func:`graphstep.collapse`); ``False``: never.
    expand : str or list of str, optional
        Blocks opened one level.
    hide_constants : bool, optional
        Write constants inline instead of drawing them.
    backward : bool or str, optional
        Draw the forward graph beside its backward pass (the adjoint graph of
        :func:`graphstep.backward_graph`); a string names the input (needed when there
        are several).
    saved : bool, optional
        Mark the forward values the backward pass caches (:func:`graphstep.saved`): a
        thick violet outline and a "saved" badge with the byte size.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    InputError
        For a target that is none of the above, an unknown direction, input or block,
        or view options with a stepper (give them to ``gs.steps``).
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
    if backward or saved:
        return _backward_picture(g, step, path, fmt, with_direction(style or Style(), direction),
                                 backward, saved, scale)
    options = (focus, collapse, expand)
    if any(option is not None for option in options) or hide_constants:
        if step is not None:
            raise InputError("focus, collapse, expand and hide_constants draw a graph: give them "
                             "to gs.steps(g, ...) to walk through a focused or collapsed graph")
    if step is None:
        g = choose_view(g, focus, collapse, expand, hide_constants, limit=MAX_DRAWN_NODES)
    style = with_direction(style or Style(), direction)
    if fmt in ("tex", "tikz"):  # a LaTeX document, or the bare picture to \input (export/tikz.py)
        from graphstep.export.tikz import to_tex, to_tikz  # LaTeX output: loaded when asked for

        write = to_tex if fmt == "tex" else to_tikz
        return atomic_write(path, write(stepper if stepper is not None else (g, step), style))
    if fmt == "dot":
        return atomic_write(path, graph_dot(g, step, style))
    if stepper is not None and fmt in ("svg", "png"):
        try:
            svg = frame_svg(stepper, style=style)
        except RenderError as error:
            beside = write_dot_beside(path, to_dot(g, step, style))
            raise RenderError(f"{error} (the DOT source is in {beside})") from None
        return write_svg(svg, path, fmt, scale=scale)
    return render_dot(graph_dot(g, step, style), path, fmt, scale=scale)
