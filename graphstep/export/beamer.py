r"""A stepper as Beamer slides (one frame, one overlay per step) or as one TikZ file per step.

:func:`beamer_document` draws the graph once, in the stepper's shared Graphviz layout
(:func:`graphstep.export.tikz.stepper_notes`), and lets Beamer overlay specifications
change what each slide highlights and shows: the picture never moves, as in the HTML
player. Under it, each slide has the step's title and sentence. :func:`to_tikz_frames`
writes one standalone ``tikzpicture`` per step (same layout, with the caption) for
users with a template of their own.

>>> import graphstep as gs
>>> doc = beamer_document(gs.steps(gs.parse("sin(x)", x=0.5), "reverse"))
>>> doc.startswith(r"\documentclass"), doc.count(r"\begin{frame}"), r"\only<3>" in doc
(True, 1, True)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from graphstep.errors import InputError
from graphstep.export.files import atomic_write, atomic_write_all, output_path
from graphstep.export.latex import escape, math_latex, text_latex
from graphstep.export.tikz import PREAMBLE, fit, picture, place, stepper_notes, tikz_styles
from graphstep.render.style import Style
from graphstep.text import ellipsize, pretty

__all__ = ["beamer_document", "to_beamer", "tikz_frames", "to_tikz_frames", "MODE_TITLES"]

#: The frame title of each step mode.
MODE_TITLES = {"forward": "Forward pass: the values", "local": "Local derivatives",
               "paths": "Sum over paths", "reverse": "Reverse accumulation (backprop)",
               "forward-mode": "Forward-mode differentiation"}

# \only<k> on a TikZ key: onslide=<2->{gs step} applies the style on those slides only
_ONSLIDE = r"\tikzset{onslide/.code args={<#1>#2}{\only<#1>{\pgfkeysalso{#2}}}}"


def _check(stepper: Any) -> None:
    if not all(hasattr(stepper, name) for name in ("graph", "steps", "mode")):
        raise InputError(f"Beamer slides need a stepper (gs.steps(...)), got {type(stepper).__name__}")
    if not stepper.steps:
        raise InputError("the stepper has no steps to put on slides")


def _caption(k: int, count: int, step: Any) -> str:
    title = text_latex(pretty(step.title)) if step.title else ""
    head = rf"\textbf{{Step {k + 1} of {count}}}" + (rf"\quad \textbf{{{title}}}" if title else "")
    text = text_latex(pretty(str(step.text)))
    size = r"\footnotesize" if len(str(step.text)) < 330 else r"\scriptsize"
    return rf"\only<{k + 1}>{{{size} {head}\par {text}}}"


def beamer_document(stepper: Any, style: Style | None = None, title: str | None = None,
                    aspect: str = "169") -> str:
    r"""A Beamer document with one frame whose slides are the steps of ``stepper``.

    Parameters
    ----------
    stepper : Stepper
    style : Style, optional
    title : str, optional
        The frame's title (default: the mode's, see :data:`MODE_TITLES`); the frame's
        subtitle is the graph's expression.
    aspect : str
        Beamer's ``aspectratio`` (``"169"``, ``"43"``...).

    Returns
    -------
    str

    Raises
    ------
    InputError
        When ``stepper`` is not a stepper or has no steps.

    Examples
    --------
    >>> import graphstep as gs
    >>> doc = beamer_document(gs.steps(gs.parse("x * exp(x^2)", x=1.5), "reverse"), title="Backprop")
    >>> r"\frametitle{Backprop}" in doc, r"onslide=<" in doc, doc.count(r"\only<") > 5
    (True, True, True)
    """
    _check(stepper)
    style = style or Style()
    g = stepper.graph
    notes, source = stepper_notes(stepper, style)
    placement = place(source, 10 / style.fontsize)
    drawing = picture(g, notes, placement, style, overlays=True)
    count = len(stepper.steps)
    heading = escape(title) if title is not None else MODE_TITLES.get(str(stepper.mode), str(stepper.mode))
    expression = math_latex(ellipsize(pretty(g.expr(g.output)), 90))
    captions = "\n".join(_caption(k, count, step) for k, step in enumerate(stepper.steps))
    fitted, text_box = _arrangement(placement, aspect)
    body = [r"\centering", fitted(drawing), r"\par\vfill",
            r"\begin{overlayarea}{\linewidth}{0.24\textheight}", r"\raggedright", captions,
            r"\end{overlayarea}"]
    if text_box is not None:  # a tall picture: the sentence beside it, not under it
        body = [r"\begin{columns}[T]", r"\begin{column}{0.57\textwidth}", r"\centering",
                fitted(drawing), r"\end{column}", r"\begin{column}{0.41\textwidth}",
                rf"\begin{{overlayarea}}{{\linewidth}}{{{text_box}}}", r"\raggedright", captions,
                r"\end{overlayarea}", r"\end{column}", r"\end{columns}"]
    return "\n".join([
        rf"\documentclass[aspectratio={aspect}]{{beamer}}", PREAMBLE.rstrip(),
        r"\setbeamertemplate{navigation symbols}{}", tikz_styles(style).rstrip(), _ONSLIDE,
        r"\begin{document}",
        r"\begin{frame}",
        rf"\frametitle{{{heading}}}",
        rf"\framesubtitle{{${expression}$}}",
        *body,
        r"\end{frame}",
        r"\end{document}", ""])


# the text area of a Beamer frame in points (about; by aspectratio), below the frame title
_TEXT_AREA = {"169": (398.0, 200.0), "1610": (398.0, 225.0), "43": (318.0, 215.0)}


def _arrangement(placement: Any, aspect: str) -> tuple[Any, str | None]:
    """How to fit the picture: under it the sentence (None) or beside it (the text box height).

    Whichever shows the picture larger wins.
    """
    width, height = _TEXT_AREA.get(aspect, (360.0, 210.0))
    w, h = max(placement.width, 1.0), max(placement.height, 1.0)
    under = min(width / w, 0.62 * height / h)
    beside = min(0.57 * width / w, 0.9 * height / h)
    if beside > 1.15 * under:
        return (lambda d: fit(d, r"\linewidth", r"0.8\textheight")), r"0.8\textheight"
    return (lambda d: fit(d, r"\linewidth", r"0.62\textheight")), None


def to_beamer(stepper: Any, path: str | os.PathLike, style: Style | None = None,
              title: str | None = None, aspect: str = "169") -> Path:
    r"""Write :func:`beamer_document` to ``path`` (a ``.tex`` file; compile with pdflatex).

    Parameters
    ----------
    stepper : Stepper
    path : str or os.PathLike
    style : Style, optional
    title : str, optional
    aspect : str
        Beamer's ``aspectratio``.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import graphstep as gs, tempfile, os
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "forward")
    >>> to_beamer(s, os.path.join(tempfile.mkdtemp(), "steps.tex")).read_text().count(r"\only<2>") > 0
    True
    """
    return atomic_write(output_path(path), beamer_document(stepper, style, title, aspect))


def tikz_frames(stepper: Any, style: Style | None = None, width: str | None = r"\linewidth",
                height: str | None = None) -> list[str]:
    r"""One ``\input``-able TikZ text per step, all in the stepper's shared layout.

    Parameters
    ----------
    stepper : Stepper
    style : Style, optional
    width, height : str, optional
        The largest size of each picture (TeX lengths).

    Returns
    -------
    list of str

    Examples
    --------
    >>> import graphstep as gs
    >>> frames = tikz_frames(gs.steps(gs.parse("sin(x)", x=0.5), "reverse"))
    >>> len(frames), all(r"\begin{tikzpicture}" in f for f in frames), r"\only" in frames[0]
    (3, True, False)
    """
    _check(stepper)
    style = style or Style()
    notes, source = stepper_notes(stepper, style)
    placement = place(source, 10 / style.fontsize)
    styles = tikz_styles(style)
    return [styles + fit(picture(stepper.graph, [a], placement, style, caption=True), width, height) + "\n"
            for a in notes]


def to_tikz_frames(stepper: Any, directory: str | os.PathLike, style: Style | None = None,
                   width: str | None = r"\linewidth", height: str | None = None) -> list[Path]:
    r"""Write ``step_001.tikz``, ``step_002.tikz``... into ``directory`` (all or nothing).

    Parameters
    ----------
    stepper : Stepper
    directory : str or os.PathLike
        The folder (made if missing).
    style : Style, optional
    width, height : str, optional
        The largest size of each picture (TeX lengths).

    Returns
    -------
    list of pathlib.Path
        The files written, in step order.

    Examples
    --------
    >>> import graphstep as gs, tempfile
    >>> s = gs.steps(gs.parse("sin(x)", x=0.5), "reverse")
    >>> [p.name for p in to_tikz_frames(s, tempfile.mkdtemp())]
    ['step_001.tikz', 'step_002.tikz', 'step_003.tikz']
    """
    folder = Path(directory)
    texts = tikz_frames(stepper, style, width, height)
    digits = max(3, len(str(len(texts))))
    return atomic_write_all((folder / f"step_{k + 1:0{digits}d}.tikz", text) for k, text in enumerate(texts))
