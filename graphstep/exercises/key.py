"""The answer key of a worksheet: every answer with the stepper's worked sentence.

As text (``.txt``), as an HTML page (``.html``: the picture with the answers in its
boxes, then a table of question, answer and worked step), or as printable pages
(``.svg``, ``.png``, ``.pdf``, see :mod:`graphstep.exercises.printable`).

>>> import graphstep as gs
>>> ws = gs.exercise(gs.parse("x * exp(x^2)", x=1.5), hide="adjoints")
>>> lines = key_text(ws).splitlines()
>>> for line in lines[:4]:
...     print(line)
Answer key: f = x·exp(x²)
Given: x = 1.5
Checked within 0.001 relative.
  1. ū₂ = ∂u₃/∂u₂ = 1.5
>>> lines[4].startswith("     ū₂ = ū₃ · x = 1 · 1.5 = 1.5"), lines[-2]
(True, '  3. x̄ = ∂u₃/∂x = 52.1825')
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import TYPE_CHECKING

from graphstep.errors import InputError
from graphstep.exercises import printable
from graphstep.export.files import atomic_write, output_path

if TYPE_CHECKING:  # pragma: no cover
    from graphstep.exercises.worksheet import Worksheet

__all__ = ["key_text", "key_html", "write_key", "KEY_SUFFIXES"]

#: What an answer key is written as, by suffix.
KEY_SUFFIXES = (".html", ".txt", ".svg", ".png", ".pdf")

_STYLE = """body{margin:0;background:#f8f9fa;color:#212529;font:15px/1.45 "DejaVu Sans",system-ui,sans-serif}
main{max-width:1100px;margin:0 auto;padding:18px 22px 40px;background:#fff}
h1{font-size:1.3em;margin:0 0 .3em}
figure{margin:0 0 1em;padding:8px;border:1px solid #dee2e6;border-radius:6px}
figure svg{display:block;margin:0 auto}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #dee2e6;padding:.3em .5em;text-align:left;vertical-align:top}
td.answer{font-weight:bold;color:#1864ab;white-space:nowrap}td.worked{color:#495057;font-size:.92em}"""


def key_text(ws: Worksheet) -> str:
    """The answer key as plain text (answers to 6 significant digits).

    Parameters
    ----------
    ws : Worksheet

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> key_text(gs.exercise(gs.parse("sin(x)", x=0.5), hide="values")).splitlines()[-1]
    '     u₁ = sin(x) = sin(0.5) = 0.4794'
    """
    lines = [f"Answer key: {ws.heading()}", ws.given_text(),
             f"Checked within {ws.tolerance:g} relative."]
    for q in ws.questions:
        lines.append(f"{q.number:>3}. {q.name} = {q.answer_text}")
        lines.append(f"     {q.worked}")
    return "\n".join(lines)


def key_html(ws: Worksheet) -> str:
    """The answer key as one HTML page: the picture with the answers in its boxes and a
    table of the questions, answers and worked steps.

    Parameters
    ----------
    ws : Worksheet

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> page = key_html(gs.exercise(gs.parse("sin(x)", x=0.5), hide="values"))
    >>> '<td class="answer">0.479426</td>' in page
    True
    """
    rows = "\n".join(
        f'<tr><td>{q.number}</td><td>{html.escape(q.name)}</td><td class="answer">{q.answer_text}</td>'
        f'<td class="worked">{html.escape(q.worked)}</td></tr>' for q in ws.questions)
    title = html.escape(f"Answer key: {ws.heading()}")
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
            f"<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n"
            f"<p>{html.escape(ws.given_text())}. Checked within {ws.tolerance:g} relative.</p>\n"
            f"<figure>{ws.picture(key=True, prefix='key')}</figure>\n"
            "<table>\n<tr><th>#</th><th>asked</th><th>answer</th><th>worked step</th></tr>\n"
            f"{rows}\n</table>\n</main>\n</body>\n</html>\n")


def write_key(ws: Worksheet, path: str | os.PathLike) -> list[Path]:
    """Write the answer key in the format of ``path``'s suffix.

    Parameters
    ----------
    ws : Worksheet
    path : path
        ``.html``, ``.txt``, ``.svg``, ``.png`` or ``.pdf``.

    Returns
    -------
    list of Path
        The files written (several for multi-page ``.svg``/``.png``).

    Raises
    ------
    InputError
        For another suffix.

    Examples
    --------
    >>> import graphstep as gs, tempfile, os
    >>> ws = gs.exercise(gs.parse("sin(x)", x=0.5), hide="values")
    >>> [p.name for p in write_key(ws, os.path.join(tempfile.mkdtemp(), "key.html"))]
    ['key.html']
    """
    suffix = Path(path).suffix.lower()
    if suffix not in KEY_SUFFIXES:
        raise InputError(f"an answer key is written as {', '.join(KEY_SUFFIXES)}; {str(path)!r} has the "
                         f"suffix {suffix or '(none)'!r}")
    if suffix == ".txt":
        return [atomic_write(output_path(path), key_text(ws) + "\n")]
    if suffix == ".html":
        return [atomic_write(output_path(path), key_html(ws))]
    svgs = printable.pages(ws, key=True)
    if suffix == ".pdf":
        return [printable.write_pdf(svgs, path)]
    return printable.write_pages(svgs, path, suffix[1:])
