"""Printable worksheets and keys: A4 pages as SVG, PNG or PDF.

A page is an SVG of 595 × 842 pt: a heading, the given values, a line for the name,
the picture with its numbered boxes (scaled to the text width), then the questions,
each with an empty box to write in (on the key: the answer and the stepper's worked
sentence). Questions that do not fit go on further pages. PNG pages are rasterised
by :func:`graphstep.backend.svg_to_png` at 192 dpi; a PDF is those rasters, one per
page, written by Pillow (no extra dependency; the text is not selectable).

>>> import graphstep as gs
>>> ws = gs.exercise(gs.parse("x * exp(x^2)", x=1.5), hide="adjoints")
>>> first = pages(ws)[0]
>>> first.startswith("<svg"), first.count('class="gs-write"'), "52.18" in first
(True, 3, False)
"""

from __future__ import annotations

import io
import os
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from graphstep import backend
from graphstep.exercises.picture import BLANK_STROKE, fixed_size
from graphstep.export.files import atomic_file, atomic_write_all, output_path, svg_file_data

if TYPE_CHECKING:  # pragma: no cover
    from graphstep.exercises.worksheet import Worksheet

__all__ = ["pages", "write_pages", "write_pdf", "page_paths", "PAGE_WIDTH", "PAGE_HEIGHT", "DPI"]

#: An A4 page in points.
PAGE_WIDTH, PAGE_HEIGHT = 595.0, 842.0
#: Dots per inch of PNG pages and of the PDF's rasters.
DPI = 192
_MARGIN = 40.0
_FONT = backend.FONT_FAMILY
_ROW = 24.0  # a question's line on a sheet
_PICTURE_SHARE = 0.45  # of the page's height, at most


def _text(x: float, y: float, text: str, size: float = 11, weight: str = "normal", fill: str = "#212529",
          anchor: str = "start") -> str:
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}"{bold} fill="{fill}" '
            f'text-anchor="{anchor}">{escape(text)}</text>')


def _wrap(text: str, width_pt: float, size: float) -> list[str]:
    return textwrap.wrap(text, max(20, int(width_pt / (0.56 * size)))) or [""]


def _picture(svg: str, top: float, room: float) -> tuple[str, float]:
    """The picture nested at ``top``, scaled to the text width and ``room``; its height."""
    sized, width, height = fixed_size(svg)
    if width <= 0 or height <= 0:
        return "", 0.0
    scale = min(1.0, (PAGE_WIDTH - 2 * _MARGIN) / width, room / height)
    w, h = width * scale, height * scale
    x = (PAGE_WIDTH - w) / 2
    head_end = sized.index(">")
    head = sized[:head_end].replace(f'width="{width:.2f}pt" height="{height:.2f}pt"',
                                    f'x="{x:.1f}" y="{top:.1f}" width="{w:.1f}" height="{h:.1f}"', 1)
    return head + sized[head_end:], h


def _question_rows(ws: Worksheet, key: bool) -> list[list[str]]:
    """Each question as its lines of SVG (positions relative to the row's top)."""
    rows = []
    text_width = PAGE_WIDTH - 2 * _MARGIN - (90 if key else 150)
    for q in ws.questions:
        lines = _wrap(f"{q.number}.  {q.name} =" if key else f"{q.number}.  {q.text}", text_width, 11)
        row = [_text(_MARGIN, 15 + 14 * i, line) for i, line in enumerate(lines)]
        if key:
            row.append(_text(PAGE_WIDTH - _MARGIN, 15, q.answer_text, 11, "bold", BLANK_STROKE, "end"))
            for i, line in enumerate(_wrap(q.worked, PAGE_WIDTH - 2 * _MARGIN - 20, 9)):
                row.append(_text(_MARGIN + 20, 15 + 14 * len(lines) + 12 * i, line, 9, fill="#495057"))
            height = 14 * len(lines) + 12 * len(row[len(lines) + 1:]) + 10
        else:
            row.append(f'<rect class="gs-write" x="{PAGE_WIDTH - _MARGIN - 140:.1f}" y="2" width="140" '
                       f'height="20" rx="3" fill="white" stroke="{BLANK_STROKE}" stroke-width="1"/>')
            height = max(_ROW, 14 * len(lines) + 10)
        rows.append([f"{height:.1f}", *row])
    return rows


def pages(ws: Worksheet, key: bool = False) -> list[str]:
    """The printable pages of a worksheet (``key=True``: of its answer key) as SVG text.

    Parameters
    ----------
    ws : Worksheet
    key : bool

    Returns
    -------
    list of str
        One SVG per A4 page.

    Examples
    --------
    >>> import graphstep as gs
    >>> ws = gs.exercise(gs.parse("sin(x)", x=0.5), hide="values")
    >>> "0.479426" in pages(ws, key=True)[0], len(pages(ws))
    (True, 1)
    """
    heading = ("Answer key: " if key else "Worksheet: ") + ws.heading()
    body: list[str] = [_text(_MARGIN, _MARGIN + 6, heading, 15, "bold")]
    y = _MARGIN + 26
    for line in _wrap(ws.given_text(), PAGE_WIDTH - 2 * _MARGIN, 11):
        body.append(_text(_MARGIN, y, line))
        y += 15
    if key:
        body.append(_text(_MARGIN, y, f"Checked within {ws.tolerance:g} relative.", 10, fill="#495057"))
    else:
        body.append(_text(_MARGIN, y + 4, "Name: " + "_" * 36, 11))
        body.append(_text(PAGE_WIDTH - _MARGIN, y + 4, "4 significant digits", 10, fill="#495057",
                          anchor="end"))
    y += 18
    picture, height = _picture(ws.picture(key=key, prefix="print"), y, PAGE_HEIGHT * _PICTURE_SHARE)
    body.append(picture)
    y += height + 16
    result: list[list[str]] = [body]
    for row in _question_rows(ws, key):
        height = float(row[0])
        if y + height > PAGE_HEIGHT - _MARGIN - 10 and len(result[-1]) > 0:
            result.append([])
            y = _MARGIN
        result[-1].append(f'<g transform="translate(0 {y:.1f})">' + "".join(row[1:]) + "</g>")
        y += height
    total = len(result)
    return [_page(content, k + 1, total) for k, content in enumerate(result)]


def _page(content: list[str], number: int, total: int) -> str:
    footer = _text(PAGE_WIDTH - _MARGIN, PAGE_HEIGHT - 20, f"page {number} of {total}", 9, fill="#868e96",
                   anchor="end")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_WIDTH:g}pt" height="{PAGE_HEIGHT:g}pt" '
            f'viewBox="0 0 {PAGE_WIDTH:g} {PAGE_HEIGHT:g}" font-family="{_FONT}">\n'
            f'<rect width="{PAGE_WIDTH:g}" height="{PAGE_HEIGHT:g}" fill="white"/>\n'
            + "\n".join(content) + "\n" + footer + "\n</svg>\n")


def page_paths(path: str | os.PathLike, count: int) -> list[Path]:
    """Where ``count`` pages go: ``path``, then ``stem-2.suffix``, ``stem-3.suffix`` ...

    Parameters
    ----------
    path : path
    count : int

    Returns
    -------
    list of Path

    Examples
    --------
    >>> [p.name for p in page_paths("out/sheet.png", 3)]
    ['sheet.png', 'sheet-2.png', 'sheet-3.png']
    """
    first = Path(path)
    return [first] + [first.with_name(f"{first.stem}-{k}{first.suffix}") for k in range(2, count + 1)]


def write_pages(svgs: list[str], path: str | os.PathLike, fmt: str) -> list[Path]:
    """Write pages as ``.svg`` or ``.png`` files (all or nothing; see :func:`page_paths`).

    Parameters
    ----------
    svgs : list of str
    path : path
    fmt : {"svg", "png"}

    Returns
    -------
    list of Path

    Examples
    --------
    >>> import tempfile, os
    >>> page = '<svg xmlns="http://www.w3.org/2000/svg" width="2pt" height="1pt"/>'
    >>> [p.name for p in write_pages([page, page], os.path.join(tempfile.mkdtemp(), "a.svg"), "svg")]
    ['a.svg', 'a-2.svg']
    """
    output_path(path)
    scale = DPI / 96
    return atomic_write_all((target, svg_file_data(svg, fmt, scale))
                            for target, svg in zip(page_paths(path, len(svgs)), svgs))


def write_pdf(svgs: list[str], path: str | os.PathLike) -> Path:
    """Write pages as one PDF: each page rasterised at :data:`DPI` (Pillow writes the PDF).

    Parameters
    ----------
    svgs : list of str
    path : path

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile, os
    >>> page = '<svg xmlns="http://www.w3.org/2000/svg" width="20pt" height="10pt"/>'
    >>> write_pdf([page], os.path.join(tempfile.mkdtemp(), "a.pdf")).read_bytes()[:5]
    b'%PDF-'
    """
    from PIL import Image

    target = output_path(path)
    images = [Image.open(io.BytesIO(backend.svg_to_png(svg, DPI / 96))).convert("RGB") for svg in svgs]
    with atomic_file(target) as handle:
        images[0].save(handle, "PDF", save_all=True, append_images=images[1:], resolution=DPI)
    return target
