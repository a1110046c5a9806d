"""The public stepper: :func:`steps` (``gs.steps``) and :class:`Stepper` (``gs.Stepper``).

A :class:`Stepper` is a :class:`~graphstep.steps.model.StepCursor` (the steps of a walk
and a cursor) that can also write itself: one picture of the current step
(:meth:`~Stepper.render`), a numbered picture per step (:meth:`~Stepper.save_all`), the
self-contained HTML player (:meth:`~Stepper.to_html`), animations
(:meth:`~Stepper.to_gif`, :meth:`~Stepper.to_apng`) and Beamer slides or TikZ pictures
(:meth:`~Stepper.to_beamer`, :meth:`~Stepper.to_tikz_frames`). The steps themselves are built by
:mod:`graphstep.steps.build`, which knows nothing of files.

>>> import graphstep as gs
>>> s = steps(gs.parse("x * exp(x^2)", x=1.5), "paths")
>>> len(s), s.current.title, s.goto(1).text
(3, 'path 1 of 2', 'u3 ← x: 1 · u2 = 1 · 9.488 = 9.488; sum so far 52.18')
>>> print(s.goto(-1).text)  # doctest: +NORMALIZE_WHITESPACE
∂u3/∂x = sum over its 2 paths = 42.69 + 9.488 = 52.18; gs.grad(g, 'x') gives 52.18
by reverse accumulation: they agree
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graphstep.export import image
from graphstep.export import svg as frames
from graphstep.graph import Graph
from graphstep.steps.build import build_steps
from graphstep.steps.model import STEP_PATH_LIMIT, Mode, StepCursor
from graphstep.views.choose import choose_view

__all__ = ["Stepper", "steps"]


class Stepper(StepCursor):
    """The steps of a walk through a graph, a cursor, and ways to draw them; build one with :func:`steps`.

    Navigation (``len``, :meth:`next`, :meth:`prev`, :meth:`goto`, ``index``,
    ``current``, iteration) is :class:`~graphstep.steps.model.StepCursor`'s; this class
    adds the pictures and files. Printing a stepper shows the current step's sentence
    and node table; in Jupyter it shows the step player.

    Parameters
    ----------
    graph : Graph
        The graph walked.
    mode : Mode or str
        The mode the steps were built in.
    wrt : str or None
        The input the walk differentiates by, if it names one.
    step_list : list of Step
        The steps, in order.

    Examples
    --------
    >>> import graphstep as gs
    >>> s = gs.steps(gs.parse("sin(x)", x=0.0), "reverse")
    >>> [step.title for step in s]
    ['seed ū1', 'x̄', 'gradient']
    >>> s.next().title, s.next().title, s.next().title, s.index
    ('x̄', 'gradient', 'gradient', 2)
    """

    def __init__(self, graph: Graph, mode: Mode | str, wrt: str | None, step_list: list):
        super().__init__(graph, mode, wrt, step_list)
        #: The shared layouts of this stepper's pictures, by style (see graphstep.export.svg.layout).
        self.layouts: dict = {}

    def render(self, path: str | Path, style: Any = None, direction: str | None = None) -> Path:
        """Render the current step to ``path`` (format from the suffix); see ``gs.render``.

        Parameters
        ----------
        path : str or Path
            ``.svg``, ``.png``, ``.dot``/``.gv`` or ``.pdf``.
        style : Style, optional
        direction : {"auto", "LR", "RL", "TB", "BT"}, optional

        Returns
        -------
        Path
            The file written.

        Raises
        ------
        RenderError
            For an unknown suffix, or when no layout program is found.

        Examples
        --------
        >>> import graphstep as gs, tempfile, os
        >>> s = gs.steps(gs.parse("sin(x)", x=0.0), "reverse")
        >>> s.render(os.path.join(tempfile.mkdtemp(), "step.dot")).read_text().startswith("digraph")
        True
        """
        return image.render(self, path, style, direction=direction)

    def save_all(self, directory: str | Path, fmt: str = "svg", **options: Any) -> list[Path]:
        """Write one numbered picture per step into ``directory``; see ``graphstep.export.svg.save_all``.

        Parameters
        ----------
        directory : str or Path
            The folder (made if missing).
        fmt : {"svg", "svgz", "png"}
            The pictures' format (``svgz``: gzip-compressed SVG, a tenth of the size).
        **options
            ``style``, ``scale``: as for ``graphstep.export.svg.save_all``.

        Returns
        -------
        list of Path
            The files written, in step order.

        Raises
        ------
        InputError
            For an unknown format or option.
        WriteError
            When a file cannot be written.

        Examples
        --------
        >>> import graphstep as gs, tempfile, os
        >>> s = gs.steps(gs.parse("sin(x)", x=0.0), "reverse")
        >>> [p.name for p in s.save_all(tempfile.mkdtemp())]
        ['step_001.svg', 'step_002.svg', 'step_003.svg']
        """
        return frames.save_all(self, directory, fmt=fmt, **options)

    def to_html(self, path: str | Path, **options: Any) -> Path:
        """Write the self-contained HTML step player; see ``graphstep.export.svg.to_html``.

        Parameters
        ----------
        path : str or Path
            The file to write.
        **options
            ``style``, ``title``...: as for ``graphstep.export.svg.to_html``.

        Returns
        -------
        Path
            The file written.

        Raises
        ------
        InputError
            For a bad path or option.
        WriteError
            When the file cannot be written.

        Examples
        --------
        >>> import graphstep as gs, tempfile, os
        >>> s = gs.steps(gs.parse("sin(x)", x=0.0), "reverse")
        >>> page = s.to_html(os.path.join(tempfile.mkdtemp(), "steps.html")).read_text()
        >>> page.startswith("<!DOCTYPE html>")
        True
        """
        return frames.to_html(self, path, **options)

    def to_gif(self, path: str | Path, **options: Any) -> Path:
        """Write an animated GIF with one frame per step; see ``graphstep.export.svg.to_gif``.

        Parameters
        ----------
        path : str or Path
            The file to write.
        **options
            ``duration``, ``loop``, ``style``, ``scale``: as for ``graphstep.export.svg.to_gif``.

        Returns
        -------
        Path
            The file written.

        Raises
        ------
        InputError
            For a bad duration, loop or path.
        SizeLimitError
            When the graph is too large to animate.

        Examples
        --------
        >>> import graphstep as gs, tempfile, os
        >>> s = gs.steps(gs.parse("sin(x)", x=0.0), "reverse")
        >>> from PIL import Image
        >>> Image.open(s.to_gif(os.path.join(tempfile.mkdtemp(), "a.gif"))).n_frames
        3
        """
        return frames.to_gif(self, path, **options)

    def to_apng(self, path: str | Path, **options: Any) -> Path:
        """Write an animated PNG with one frame per step; see ``graphstep.export.svg.to_apng``.

        Parameters
        ----------
        path : str or Path
            The file to write.
        **options
            ``duration``, ``loop``, ``style``, ``scale``: as for ``graphstep.export.svg.to_apng``.

        Returns
        -------
        Path
            The file written.

        Raises
        ------
        InputError
            For a bad duration, loop or path.
        SizeLimitError
            When the graph is too large to animate.

        Examples
        --------
        >>> import graphstep as gs, tempfile, os
        >>> s = gs.steps(gs.parse("sin(x)", x=0.0), "reverse")
        >>> from PIL import Image
        >>> Image.open(s.to_apng(os.path.join(tempfile.mkdtemp(), "a.png"))).n_frames
        3
        """
        return frames.to_apng(self, path, **options)

    def to_beamer(self, path: str | Path, **options: Any) -> Path:
        r"""Write Beamer slides: one frame, one overlay per step; see ``graphstep.export.beamer.to_beamer``.

        Parameters
        ----------
        path : str or Path
            The ``.tex`` file to write (compile it with pdflatex).
        **options
            ``style``, ``title``, ``aspect``.

        Returns
        -------
        Path
            The file written.

        Examples
        --------
        >>> import graphstep as gs, tempfile, os
        >>> s = gs.steps(gs.parse("sin(x)", x=0.0), "reverse")
        >>> r"\only<3>" in s.to_beamer(os.path.join(tempfile.mkdtemp(), "steps.tex")).read_text()
        True
        """
        from graphstep.export import beamer  # LaTeX output: loaded when asked for

        return beamer.to_beamer(self, path, **options)

    def to_tikz_frames(self, directory: str | Path, **options: Any) -> list[Path]:
        """Write one TikZ picture per step (``step_001.tikz``...); see ``export.beamer.to_tikz_frames``.

        Parameters
        ----------
        directory : str or Path
            The folder (made if missing).
        **options
            ``style``, ``width``, ``height``.

        Returns
        -------
        list of Path
            The files written, in step order.

        Examples
        --------
        >>> import graphstep as gs, tempfile
        >>> s = gs.steps(gs.parse("sin(x)", x=0.0), "reverse")
        >>> [p.name for p in s.to_tikz_frames(tempfile.mkdtemp())]
        ['step_001.tikz', 'step_002.tikz', 'step_003.tikz']
        """
        from graphstep.export import beamer

        return beamer.to_tikz_frames(self, directory, **options)


def steps(
    g: Graph,
    mode: Mode | str = "paths",
    wrt: str | None = None,
    *,
    direction: Any = None,
    seed: Any = None,
    path_limit: int = STEP_PATH_LIMIT,
    focus: Any = None,
    collapse: Any = None,
    expand: Any = None,
    hide_constants: bool = False,
) -> Stepper:
    """A :class:`Stepper` walking through ``g`` in ``mode`` (see :mod:`graphstep.steps.model`).

    Parameters
    ----------
    g : Graph
        The graph to walk through.
    mode : {"forward", "local", "paths", "reverse", "forward-mode"}
        ``forward``: values node by node; ``local``: one edge's local derivative per
        step; ``paths``: one path per step and the running sum; ``reverse``: reverse
        accumulation node by node; ``forward-mode``: tangents node by node.
    wrt : str, optional
        The input to differentiate by. ``paths``: that input only (default: every input
        in turn). ``forward-mode``: required when ``g`` has more than one input.
        ``reverse``: the final step reports that input only. Checked but not used by
        ``forward`` and ``local``.
    direction : array, optional
        ``forward-mode`` only: push this direction (shape of ``wrt``) instead of the
        whole identity.
    seed : float or array, optional
        ``reverse`` only: the output's adjoint; required (output-shaped) when the output
        is not a scalar, ``1.0`` otherwise.
    path_limit : int
        ``paths`` only: more paths than this to one input raise ``PathLimitError``.
    focus, collapse, expand, hide_constants : optional
        Walk through a smaller graph with the same derivatives (see ``gs.render`` and
        :doc:`/collapsing`): only the paths from the ``focus`` inputs, blocks collapsed
        into single nodes (a reverse step over a block multiplies by its total
        derivative), constants written inline. (Unlike ``gs.render``, a walk never
        collapses a large graph by itself: its steps are those of the graph given.)

    Returns
    -------
    Stepper
        The steps, with the cursor on the first.

    Raises
    ------
    InputError
        For an unknown mode or input, or an option the mode does not take.
    ShapeError
        For a seed or direction of the wrong shape, or a reverse walk of a non-scalar
        output without a seed.
    PathLimitError
        In ``paths`` mode, when an input has more than ``path_limit`` paths (the message
        gives the exact count and points to ``mode="reverse"``).
    SizeLimitError
        In ``forward-mode`` without a direction, when the tangents would be too large.

    Examples
    --------
    >>> import graphstep as gs
    >>> s = gs.steps(gs.parse("x * exp(x^2)", x=1.5), "reverse")
    >>> for step in s:  # doctest: +NORMALIZE_WHITESPACE
    ...     print(step.text)
    ū3 = 1: the output's adjoint is ∂u3/∂u3 = 1; reverse accumulation starts here and visits the
    nodes in reverse topological order
    ū2 = ū3 · x = 1 · 1.5 = 1.5. It reads the cached x (8 B).
    ū1 = ū2 · exp(u1) = 1.5 · 9.488 = 14.23. It reads the cached u2 (8 B).
    x̄ = ū1 · 2·x + ū3 · u2 = 14.23 · 3 + 1 · 9.488 = 52.18 (two edges leave x, so two
    contributions; ū1 and ū3 are complete already because both come after x in topological order).
    It reads the cached x (8 B), u2 (8 B).
    gradient: x̄ = ∂u3/∂x = 52.18; gs.grad(g) gives 52.18: they agree
    """
    if isinstance(g, Graph):
        g = choose_view(g, focus, collapse, expand, hide_constants)
    walk = build_steps(g, mode, wrt, direction=direction, seed=seed, path_limit=path_limit)
    return Stepper(walk.graph, walk.mode, walk.wrt, walk.steps)
