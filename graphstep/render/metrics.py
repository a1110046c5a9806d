"""How wide a line of text is in DejaVu Sans, the font the pictures ask for, without a font
file or a process: the fast path for big graphs (:mod:`graphstep.render.pinned`) sizes its
boxes itself, so Graphviz only draws.

The advance widths of DejaVu Sans 2.37 and DejaVu Sans Bold (Bitstream Vera license) for
Latin, Greek, sub- and superscripts, arrows and the mathematical operators are in
``dejavu_widths.json`` beside this module. Like Graphviz's Pango, a character's advance is
rounded to whole pixels at 96 dpi (hinting), so a box is as wide as Graphviz would make it.
A character outside the table counts as a full em and a combining mark as nothing, so a
line is never measured shorter than it is drawn.

>>> round(text_width("x", 14), 2), round(text_width("x", 14, bold=True), 2)
(8.25, 9.0)
>>> text_width("∂u₁/∂x", 12) > text_width("du/dx", 12)
True
"""

from __future__ import annotations

import functools
import json
import math
import unicodedata
from importlib import resources

__all__ = ["text_width", "line_height", "UNKNOWN_EM"]

#: The width of a character the table does not know, in ems (generous on purpose).
UNKNOWN_EM = 1.0

_PX_PER_PT = 96 / 72


@functools.cache
def _advances(bold: bool) -> tuple[dict[int, float], int]:
    """Code point -> advance in ems, and the units per em, for one weight."""
    data = json.loads(resources.files(__package__).joinpath("dejavu_widths.json").read_text("utf-8"))
    per_em = data["units_per_em"]
    table = {}
    for start, widths in data["bold" if bold else "regular"]:
        for offset, width in enumerate(widths):
            if width:
                table[start + offset] = width / per_em
    return table, per_em


class _Pixels(dict):
    """Code point -> whole pixels at one size and weight, filled on first use."""

    def __init__(self, size: float, bold: bool):
        super().__init__()
        self.px, self.table = size * _PX_PER_PT, _advances(bold)[0]

    def __missing__(self, char: str) -> int:
        em = self.table.get(ord(char))
        if em is not None:
            width = round(em * self.px)
        else:
            width = 0 if unicodedata.combining(char) else math.ceil(UNKNOWN_EM * self.px)
        self[char] = width
        return width


@functools.cache
def _pixels(size: float, bold: bool) -> _Pixels:
    return _Pixels(size, bold)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of ``text`` in points, at ``size`` points.

    Parameters
    ----------
    text : str
        One line, as drawn (Unicode, not HTML-escaped).
    size : float
        The font size in points.
    bold : bool, optional
        DejaVu Sans Bold instead of Book.

    Returns
    -------
    float

    Examples
    --------
    >>> text_width("", 14), text_width("x\u0304", 14) == text_width("x", 14)
    (0.0, True)
    >>> text_width("中", 12)  # not in the table: a full em
    12.0
    """
    return sum(map(_pixels(size, bold).__getitem__, text)) / _PX_PER_PT


def line_height(size: float) -> float:
    """The height Graphviz gives one line of text at ``size`` points (Pango's line box of
    DejaVu Sans, in whole points: one more than the size from 11 to 14 points).

    Parameters
    ----------
    size : float

    Returns
    -------
    float

    Examples
    --------
    >>> line_height(14), line_height(11)
    (15.0, 12.0)
    """
    return float(math.ceil(size * 1.07))
