"""``gs.exercise``: a worksheet from a graph or a stepper, and its files.

A :class:`Worksheet` holds the graph, the numbered :class:`~graphstep.exercises.model.Question`
list and what its picture shows. It writes the HTML sheet (checked in the browser,
or without answers), printable pages (SVG, PNG, PDF) and the answer key; in Jupyter it
displays as the HTML sheet.

>>> import graphstep as gs
>>> ws = gs.exercise(gs.parse("x * exp(x^2)", x=1.5), hide="locals")
>>> [q.text for q in ws.questions][:2], len(ws)
(['∂u₁/∂x = ?', '∂u₂/∂u₁ = ?'], 4)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from graphstep.errors import InputError
from graphstep.exercises import key as answer_key
from graphstep.exercises import printable, sheet_html
from graphstep.exercises.model import (
    DEFAULT_TOLERANCE,
    Question,
    hidden_items,
    questions,
    shown_categories,
    walks_for,
)
from graphstep.exercises.picture import sheet_picture
from graphstep.export.files import atomic_write, output_path
from graphstep.export.stepper import Stepper
from graphstep.graph import Graph
from graphstep.render.style import Style
from graphstep.text import format_value, pretty

__all__ = ["Worksheet", "exercise", "SHEET_SUFFIXES"]

#: What :meth:`Worksheet.save` writes, by suffix.
SHEET_SUFFIXES = (".html", ".svg", ".png", ".pdf")


class Worksheet:
    """A worksheet: a graph with hidden quantities as numbered blanks.

    Make one with :func:`exercise`.

    Attributes
    ----------
    graph : Graph
    questions : list of Question
        The blanks, numbered from 1, with their true values.
    shown : set of str
        The categories the picture shows.
    tolerance : float
        The relative tolerance of the checks.
    style : Style
        The look of the picture and the frames.
    walks : Walks
        The steppers the questions link to.

    Examples
    --------
    >>> import graphstep as gs
    >>> ws = gs.exercise(gs.parse("sin(x)", x=0.5), hide="values")
    >>> ws.questions[0].text, round(ws.questions[0].answer, 4)
    ('u₁ = ?', 0.4794)
    """

    def __init__(self, walks: Any, question_list: list[Question], tolerance: float, style: Style):
        self.walks = walks
        self.graph: Graph = walks.graph
        self.questions = question_list
        self.shown = shown_categories([q.kind for q in question_list])  # what is asked, not wished
        self.tolerance = float(tolerance)
        self.style = style
        self._pictures: dict[bool, str] = {}

    def __len__(self) -> int:
        return len(self.questions)

    def __repr__(self) -> str:
        lines = [f"Worksheet: {self.output_name} = {pretty(self.graph.expr(self.graph.output))}",
                 self.given_text()]
        lines += [f"{q.number:>3}. {q.text}" for q in self.questions]
        return "\n".join(lines)

    @property
    def output_name(self) -> str:
        """The output's name in the sheet's heading (``f`` for an unnamed ``u…`` output).

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> gs.exercise(gs.parse("sin(x)", x=0.5), hide="values").output_name
        'f'
        """
        label = self.graph.label(self.graph.output)
        return "f" if label[:1] == "u" and label[1:].isdigit() else pretty(label)

    def heading(self) -> str:
        """The sheet's heading: the output's name and the expression.

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> gs.exercise(gs.parse("sin(x)", x=0.5), hide="values").heading()
        'f = sin(x)'
        """
        return f"{self.output_name} = {pretty(self.graph.expr(self.graph.output))}"

    def given_text(self) -> str:
        """The inputs' values as the sheet states them.

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> gs.exercise(gs.parse("x*y", x=1.5, y=2.0), hide="values").given_text()
        'Given: x = 1.5, y = 2'
        """
        parts = [f"{pretty(name)} = {format_value(self.graph.value_of(self.graph.input_node(name)), 6, 12)}"
                 for name in self.graph.inputs]
        return "Given: " + ", ".join(parts) if parts else "No inputs: every value is a constant."

    def picture(self, key: bool = False, prefix: str = "sheet") -> str:
        """The SVG picture with numbered boxes (``key=True``: the answers in them).

        Parameters
        ----------
        key : bool
        prefix : str
            Starts every element id.

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> gs.exercise(gs.parse("sin(x)", x=0.5), hide="values").picture().count("gs-blank-label")
        1
        """
        if prefix != "sheet":
            return sheet_picture(self.graph, self.questions, self.shown, self.style, key, prefix)
        if key not in self._pictures:
            self._pictures[key] = sheet_picture(self.graph, self.questions, self.shown, self.style, key)
        return self._pictures[key]

    # -- files ------------------------------------------------------------------------------
    def to_html(self, path: str | os.PathLike, answers: bool = True) -> Path:
        """Write the HTML sheet: one self-contained file, no network.

        Parameters
        ----------
        path : path
        answers : bool
            True: each blank is checked in the browser and "show the step" reveals its
            step (for practice, not exams: the answers are in the file). False: no true
            value in the file; the teacher checks with :meth:`answer_key`.

        Returns
        -------
        Path

        Examples
        --------
        >>> import graphstep as gs, tempfile, os
        >>> ws = gs.exercise(gs.parse("sin(x)", x=0.5), hide="values")
        >>> ws.to_html(os.path.join(tempfile.mkdtemp(), "sheet.html")).suffix
        '.html'
        """
        path = output_path(path)
        return atomic_write(path, sheet_html.page(self, answers))

    def to_svg(self, path: str | os.PathLike) -> list[Path]:
        """Write the printable sheet as SVG pages (A4): ``sheet.svg``, then ``sheet-2.svg`` ...

        Parameters
        ----------
        path : path

        Returns
        -------
        list of Path
            The pages written.

        Examples
        --------
        >>> import graphstep as gs, tempfile, os
        >>> ws = gs.exercise(gs.parse("sin(x)", x=0.5), hide="values")
        >>> [p.name for p in ws.to_svg(os.path.join(tempfile.mkdtemp(), "sheet.svg"))]
        ['sheet.svg']
        """
        return printable.write_pages(printable.pages(self), path, "svg")

    def to_png(self, path: str | os.PathLike) -> list[Path]:
        """Write the printable sheet as PNG pages (A4 at 192 dpi).

        Parameters
        ----------
        path : path

        Returns
        -------
        list of Path

        Examples
        --------
        >>> import graphstep as gs, tempfile, os
        >>> ws = gs.exercise(gs.parse("sin(x)", x=0.5), hide="values")
        >>> ws.to_png(os.path.join(tempfile.mkdtemp(), "sheet.png"))[0].read_bytes()[:4]
        b'\\x89PNG'
        """
        return printable.write_pages(printable.pages(self), path, "png")

    def to_pdf(self, path: str | os.PathLike) -> Path:
        """Write the printable sheet as one PDF (A4 pages, rasterised at 192 dpi).

        Parameters
        ----------
        path : path

        Returns
        -------
        Path

        Examples
        --------
        >>> import graphstep as gs, tempfile, os
        >>> ws = gs.exercise(gs.parse("sin(x)", x=0.5), hide="values")
        >>> ws.to_pdf(os.path.join(tempfile.mkdtemp(), "sheet.pdf")).read_bytes()[:5]
        b'%PDF-'
        """
        return printable.write_pdf(printable.pages(self), path)

    def save(self, path: str | os.PathLike, answers: bool = True) -> list[Path]:
        """Write the sheet in the format of the suffix: ``.html``, ``.svg``, ``.png``, ``.pdf``.

        Parameters
        ----------
        path : path
        answers : bool
            For ``.html``: embed the answers and check them (see :meth:`to_html`).

        Returns
        -------
        list of Path
            The files written.

        Raises
        ------
        InputError
            For another suffix.

        Examples
        --------
        >>> import graphstep as gs, tempfile, os
        >>> ws = gs.exercise(gs.parse("sin(x)", x=0.5), hide="values")
        >>> [p.suffix for p in ws.save(os.path.join(tempfile.mkdtemp(), "s.pdf"))]
        ['.pdf']
        """
        suffix = Path(path).suffix.lower()
        if suffix == ".html":
            return [self.to_html(path, answers)]
        if suffix == ".svg":
            return self.to_svg(path)
        if suffix == ".png":
            return self.to_png(path)
        if suffix == ".pdf":
            return [self.to_pdf(path)]
        raise InputError(f"a worksheet is written as {', '.join(SHEET_SUFFIXES)}; {str(path)!r} has "
                         f"the suffix {suffix or '(none)'!r}")

    def answer_key(self, path: str | os.PathLike) -> list[Path]:
        """Write the answer key: every answer with the stepper's worked sentence.

        ``.html`` (the picture with the answers in the boxes and a table), ``.txt``, or
        printable ``.svg``/``.png``/``.pdf`` pages.

        Parameters
        ----------
        path : path

        Returns
        -------
        list of Path

        Raises
        ------
        InputError
            For another suffix.

        Examples
        --------
        >>> import graphstep as gs, tempfile, os
        >>> ws = gs.exercise(gs.parse("sin(x)", x=0.5), hide="values")
        >>> print(ws.answer_key(os.path.join(tempfile.mkdtemp(), "key.txt"))[0].read_text().splitlines()[3])
          1. u₁ = 0.479426
        """
        return answer_key.write_key(self, path)

    def _repr_html_(self) -> str:
        return sheet_html.inline(self)


def exercise(graph_or_stepper: Graph | Stepper, hide: Any = "adjoints",
             tolerance: float = DEFAULT_TOLERANCE, style: Style | None = None) -> Worksheet:
    """A worksheet on ``graph_or_stepper`` whose ``hide`` quantities are numbered blanks.

    Parameters
    ----------
    graph_or_stepper : Graph or Stepper
        The graph (a ``paths`` stepper's ``wrt`` limits the paths asked).
    hide : str, int or list
        ``"values"``, ``"locals"``, ``"adjoints"``, ``"paths"`` (each path's product and
        each input's path sum); a level 1, 2, 3 (values; and local derivatives; and
        adjoints and paths); or a list of categories and items: a node's label (its
        value), ``("adjoint", "u2")``, ``("local", "u1", "u2")``, ``("path", "x", 1)``.
    tolerance : float
        The relative tolerance of each check (default 1e-3).
    style : Style, optional
        The look of the picture and of the frames "show the step" reveals.

    Returns
    -------
    Worksheet

    Raises
    ------
    InputError
        For an unknown category or item, a bad tolerance, or nothing to ask.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("x * exp(x^2)", x=1.5)
    >>> ws = gs.exercise(g, hide="paths")
    >>> [q.text for q in ws.questions][-1], round(ws.questions[-1].answer, 3)
    ('∂u₃/∂x as the sum over its paths = ?', 52.183)
    """
    if style is not None and not isinstance(style, Style):
        raise InputError(f"style must be a gs.Style, got {type(style).__name__}")
    walks = walks_for(graph_or_stepper)
    found = questions(graph_or_stepper, hidden_items(hide), tolerance, walks)
    return Worksheet(walks, found, tolerance, style or Style())
