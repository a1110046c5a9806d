"""A stepper's pictures on one shared layout: SVG frames, frame files, the HTML player,
GIF and APNG.

Graphviz runs once per stepper and style: :func:`layout` keeps the
:class:`~graphstep.export.layout.Layout` in the stepper's ``layouts`` dictionary, so
the frames, the player and a Jupyter picture of one stepper share one run. The
frames are made in :mod:`graphstep.export.layout`, the player in
:mod:`graphstep.export.player`, the animations in :mod:`graphstep.export.animation`;
this module is what callers use, with a stepper.

>>> import graphstep as gs
>>> s = gs.steps(gs.parse("x * exp(x^2)", x=1.5), "forward")
>>> first, *_, last = frames(s)
>>> ">?</text>" in first, ">9.488</text>" in first, ">9.488</text>" in last
(True, False, True)
"""

from __future__ import annotations

import errno
import gzip
import os
from pathlib import Path
from typing import Any

from graphstep import backend
from graphstep.errors import InputError, RenderError, WriteError
from graphstep.export import animation, player
from graphstep.export.files import atomic_write, atomic_write_all, output_path, progress, svg_file_data
from graphstep.export.layout import Layout, prefix_ids, style_sheet
from graphstep.graph import Graph
from graphstep.render.style import Style
from graphstep.steps.model import Step
from graphstep.text import pretty

__all__ = [
    "Layout",
    "layout",
    "frames",
    "frame_svg",
    "save_all",
    "player_html",
    "to_html",
    "to_gif",
    "to_apng",
    "PLAYER_LIMIT",
    "MAX_DURATION",
    "style_sheet",
    "prefix_ids",
]

#: Size the player of 200 frames of a 200-node graph stays under (bytes).
PLAYER_LIMIT = player.PLAYER_LIMIT
#: Longest time one frame of a GIF or APNG may show, in milliseconds (one minute).
MAX_DURATION = animation.MAX_DURATION


def _check_stepper(stepper: Any) -> tuple[Graph, list[Step]]:
    graph, steps = getattr(stepper, "graph", None), getattr(stepper, "steps", None)
    if not isinstance(graph, Graph) or steps is None:
        raise InputError(f"expected a stepper (gs.steps(...)), got {type(stepper).__name__}")
    steps = list(steps)
    if not steps:
        raise InputError("the stepper has no steps to draw")
    return graph, steps


def _check_player_size(stepper: Any) -> None:
    graph, steps = _check_stepper(stepper)
    player.check_size(len(graph), sum(1 for _ in graph.edges()), len(steps))


# --- the stepper's shared layout, and its pictures ----------------------------------------

def layout(stepper: Any, style: Style | None = None) -> Layout:
    """The shared :class:`Layout` of a stepper, computed once per style.

    The stepper keeps its layouts in its ``layouts`` dictionary (by style); a layout
    is reused while the stepper's graph and steps are the ones it was made for. An
    object without that dictionary gets a fresh layout every call.

    Parameters
    ----------
    stepper : Stepper
        What :func:`graphstep.steps` returns (anything with ``graph`` and ``steps``).
    style : Style, optional
        The look (default ``Style()``).

    Returns
    -------
    Layout

    Raises
    ------
    InputError
        When ``stepper`` is not a stepper or has no steps.

    Examples
    --------
    >>> import graphstep as gs
    >>> s = gs.steps(gs.parse("x * exp(x^2)", x=1.5), "paths")
    >>> layout(s) is layout(s), len(layout(s))
    (True, 3)
    """
    graph, steps = _check_stepper(stepper)
    style = style or Style()
    kept = getattr(stepper, "layouts", None)
    if not isinstance(kept, dict):
        return Layout(graph, steps, style)
    cached = kept.get(style)
    if (cached is not None and cached.graph is graph and len(cached.steps) == len(steps)
            and all(a is b for a, b in zip(cached.steps, steps))):
        return cached
    kept[style] = result = Layout(graph, steps, style)
    return result


def frame_svg(stepper: Any, index: int | None = None, style: Style | None = None) -> str:
    """The SVG of one step on the stepper's shared layout.

    Parameters
    ----------
    stepper : Stepper
        The steps.
    index : int, optional
        The step (default: the stepper's current step).
    style : Style, optional
        The look.

    Returns
    -------
    str
        SVG text with the step's caption.

    Raises
    ------
    InputError
        When ``index`` is out of range or ``stepper`` is not a stepper.

    Examples
    --------
    >>> import graphstep as gs
    >>> s = gs.steps(gs.parse("x * exp(x^2)", x=1.5), "paths")
    >>> "path 2 of 2" in frame_svg(s, 1)
    True
    """
    shared = layout(stepper, style)
    if index is None:
        index = int(getattr(stepper, "index", 0))
    return shared.frame(index)


def frames(stepper: Any, fmt: str = "svg", style: Style | None = None,
           scale: float | None = None) -> list[str] | list[bytes]:
    """Every step as a picture on one shared layout: SVG text, or PNG bytes.

    Parameters
    ----------
    stepper : Stepper
        The steps.
    fmt : {"svg", "png"}
        SVG text or PNG bytes.
    style : Style, optional
        The look.
    scale : float, optional
        PNG pixels per CSS pixel (see :func:`graphstep.backend.svg_to_png`).

    Returns
    -------
    list of str or list of bytes
        One picture per step; node positions are identical in every frame.

    Raises
    ------
    RenderError
        For another ``fmt``, or when Graphviz or the rasteriser fails.

    Examples
    --------
    >>> import graphstep as gs
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "reverse")
    >>> [png[:4] for png in frames(s, "png", scale=1)] == [b"\\x89PNG"] * len(s)
    True
    """
    if fmt not in ("svg", "png"):
        raise RenderError(f"frames can be svg or png, not {fmt!r}")
    shared = layout(stepper, style)
    svgs = (shared.frame(k) for k in range(len(shared)))
    if fmt == "svg":
        return list(svgs)
    return [backend.svg_to_png(svg, scale) for svg in progress(svgs, len(shared), "png frames")]


def save_all(stepper: Any, directory: str | os.PathLike, fmt: str = "svg",
             style: Style | None = None, scale: float | None = None) -> list[Path]:
    """Write every step as ``step_001.svg`` (or ``.svgz``, ``.png``) into ``directory``.

    All or nothing: every frame goes to a temporary file first, and all are moved
    into place once the last is complete. Every frame is a whole picture (it opens on
    its own, in slides too). For big graphs ``fmt="svgz"`` writes the same SVG
    gzip-compressed, about a tenth of the size (the frames of a 1,016-node graph's 982
    reverse steps: about 150 MB instead of 1.4 GB); Firefox, Inkscape and web servers
    show ``.svgz`` files, Chromium only when a server sends them.

    Parameters
    ----------
    stepper : Stepper
        The steps.
    directory : path
        The folder (made when missing).
    fmt : {"svg", "svgz", "png"}
        The file format.
    style : Style, optional
        The look.
    scale : float, optional
        PNG pixels per CSS pixel.

    Returns
    -------
    list of Path
        The files written, in step order.

    Raises
    ------
    RenderError
        For another ``fmt``.
    WriteError
        When ``directory`` is a file or cannot be written.

    Examples
    --------
    >>> import graphstep as gs, tempfile
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "reverse")
    >>> [p.name for p in save_all(s, tempfile.mkdtemp())]
    ['step_001.svg', 'step_002.svg', 'step_003.svg']
    """
    if fmt not in ("svg", "svgz", "png"):
        raise RenderError(f"save_all writes svg, svgz or png frames, not {fmt!r}")
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise WriteError(errno.ENOTDIR, "it is a file, and frames need a folder", str(directory))
    shared = layout(stepper, style)
    digits = max(3, len(str(len(shared))))
    def data(k: int) -> bytes:
        if fmt == "svgz":  # level 6: nearly level 9's size in half its time; no date, so reproducible
            return gzip.compress(svg_file_data(shared.frame(k), "svg"), compresslevel=6, mtime=0)
        return svg_file_data(shared.frame(k), fmt, scale)

    return atomic_write_all(
        (directory / f"step_{k + 1:0{digits}d}.{fmt}", data(k))
        for k in progress(range(len(shared)), len(shared), f"{fmt} frames"))


def player_html(stepper: Any, style: Style | None = None, prefix: str | None = None,
                delay: int = player.DEFAULT_DELAY) -> str:
    """A self-contained step player as an HTML fragment (for Jupyter, Sphinx, to_html).

    The SVG is stored once; each step stores only the classes and texts that change
    (see :mod:`graphstep.export.player`).

    Parameters
    ----------
    stepper : Stepper
        The steps.
    style : Style, optional
        The look.
    prefix : str, optional
        Starts every element id, so that several players work on one page (default:
        a fresh prefix per call).
    delay : int
        Milliseconds per step when playing.

    Returns
    -------
    str

    Raises
    ------
    InputError
        For a bad prefix or stepper.
    SizeLimitError
        When the player would take more than ``player.PLAYER_MAX_BYTES`` (checked at
        once, before Graphviz runs); the message names the sizes and the ways out.

    Examples
    --------
    >>> import graphstep as gs
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "reverse")
    >>> player_html(s, prefix="demo").startswith('<div id="demo" class="gs-player"')
    True
    """
    prefix = player.check_prefix(prefix)
    _check_player_size(stepper)
    return player.fragment(layout(stepper, style), prefix, delay, start=stepper.index)


def to_html(stepper: Any, path: str | os.PathLike, style: Style | None = None,
            title: str | None = None) -> Path:
    """Write the step player as one self-contained HTML file (no network, no server).

    The player opens at the stepper's current step (``s.goto(2)`` first opens it at
    the third); ``player.html#step=3`` in the address opens it at step 3.

    Parameters
    ----------
    stepper : Stepper
        The steps.
    path : path
        The file to write (atomically).
    style : Style, optional
        The look.
    title : str, optional
        The page title (default: ``graphstep:`` and the expression).

    Returns
    -------
    Path

    Raises
    ------
    InputError, WriteError
        For a bad stepper or path, or when the file cannot be written.
    SizeLimitError
        When the player would take more than ``player.PLAYER_MAX_BYTES`` (10 MB; checked
        at once, before Graphviz runs); the message names the sizes and the ways out
        (``focus=``, ``collapse=``, ``save_all``).

    Examples
    --------
    >>> import graphstep as gs, tempfile, os
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "reverse")
    >>> to_html(s, os.path.join(tempfile.mkdtemp(), "player.html")).read_text()[:15]
    '<!DOCTYPE html>'
    """
    graph, _ = _check_stepper(stepper)
    path = output_path(path)
    _check_player_size(stepper)
    page_title = title or f"graphstep: {pretty(graph.expr(graph.output))}"
    return atomic_write(path, player.page(layout(stepper, style), page_title, start=stepper.index))


def _animate(stepper: Any, path: str | os.PathLike, kind: animation.Animation, duration: Any,
             loop: Any, style: Style | None, scale: float | None) -> Path:
    animation.check_timing(duration, loop)  # the timing and the path are checked before Graphviz runs
    output_path(path)
    return animation.animate(layout(stepper, style), path, kind, duration, loop, scale)


def to_gif(stepper: Any, path: str | os.PathLike, duration: int = 1500, loop: int = 0,
           style: Style | None = None, scale: float | None = None) -> Path:
    """Write an animated GIF with one frame per step (``duration`` ms each).

    GIF stores 256 colours per frame; :func:`to_apng` writes full colour.

    Parameters
    ----------
    stepper : Stepper
        The steps.
    path : path
        The file to write (atomically).
    duration : int
        Milliseconds per frame, 1 to :data:`MAX_DURATION`.
    loop : int
        0 (for ever) or how many times to play, up to 65535.
    style : Style, optional
        The look.
    scale : float, optional
        Pixels per CSS pixel (default: as large as the memory budget allows, up to 1.25).

    Returns
    -------
    Path

    Raises
    ------
    InputError
        For a bad duration, loop, stepper or path.
    SizeLimitError
        When the graph is too large to animate (use :func:`to_html` or :func:`save_all`).

    Examples
    --------
    >>> import graphstep as gs, tempfile, os
    >>> from PIL import Image
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "reverse")
    >>> Image.open(to_gif(s, os.path.join(tempfile.mkdtemp(), "a.gif"))).n_frames
    3
    """
    return _animate(stepper, path, animation.Animation.GIF, duration, loop, style, scale)


def to_apng(stepper: Any, path: str | os.PathLike, duration: int = 1500, loop: int = 0,
            style: Style | None = None, scale: float | None = None) -> Path:
    """Write an animated PNG (full colour) with one frame per step.

    Parameters
    ----------
    stepper : Stepper
        The steps.
    path : path
        The file to write (atomically).
    duration : int
        Milliseconds per frame, 1 to :data:`MAX_DURATION`.
    loop : int
        0 (for ever) or how many times to play, up to 65535.
    style : Style, optional
        The look.
    scale : float, optional
        Pixels per CSS pixel (default: as large as the memory budget allows, up to 1.25).

    Returns
    -------
    Path

    Raises
    ------
    InputError
        For a bad duration, loop, stepper or path.
    SizeLimitError
        When the graph is too large to animate (use :func:`to_html` or :func:`save_all`).

    Examples
    --------
    >>> import graphstep as gs, tempfile, os
    >>> from PIL import Image
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "reverse")
    >>> Image.open(to_apng(s, os.path.join(tempfile.mkdtemp(), "a.png"))).n_frames
    3
    """
    return _animate(stepper, path, animation.Animation.APNG, duration, loop, style, scale)
