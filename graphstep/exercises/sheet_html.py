"""The HTML worksheet: one self-contained page (no network) where each blank is checked.

The page shows the picture with numbered boxes and the list of questions with an
input each. With answers, a small script reads what the student types as a number
(digits, a point or a comma, an exponent: never ``eval``), compares it with the true
value within the sheet's relative tolerance, marks the input and the box right or
wrong, and "show the step" reveals the frame of the stepper step that computes it
(each frame is stored once, as an SVG data URI). Without answers the page holds no
true value, no frame and no check: the teacher checks with the answer key.

The markup, style sheet and script are package data (``graphstep/exercises/sheet/``).

>>> import graphstep as gs
>>> ws = gs.exercise(gs.parse("x * exp(x^2)", x=1.5), hide="adjoints")
>>> text = page(ws, answers=False)
>>> text.startswith("<!DOCTYPE html>"), "52.18" in text, "52.1825" in page(ws)
(True, False, True)
"""

from __future__ import annotations

import base64
import html
import json
from importlib import resources
from string import Template
from typing import TYPE_CHECKING

from graphstep.export.svg import frame_svg

if TYPE_CHECKING:  # pragma: no cover
    from graphstep.exercises.worksheet import Worksheet

__all__ = ["page", "inline", "PRACTICE_NOTE"]

#: What every sheet with answers says about itself.
PRACTICE_NOTE = "This sheet checks your answers itself: it is for practice, not for exams."


def _resource(name: str) -> str:
    return resources.files(__package__).joinpath("sheet", name).read_text(encoding="utf-8")


def _frame_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _frames(ws: Worksheet) -> tuple[dict[str, str], dict[int, str]]:
    """The frames the questions reveal, each once, and each question's frame key."""
    frames: dict[str, str] = {}
    chosen: dict[int, str] = {}
    for q in ws.questions:
        key = f"{q.mode}:{q.step}"
        if key not in frames:
            frames[key] = _frame_uri(frame_svg(ws.walks(q.mode), q.step, ws.style))
        chosen[q.number] = key
    return frames, chosen


def _question_item(q, answers: bool) -> str:
    text = html.escape(q.text)
    label = f"answer {q.number}"
    parts = [f'<li id="gs-q{q.number}" data-n="{q.number}"><span class="gs-num">{q.number}.</span>',
             f'<label class="gs-q" for="gs-in{q.number}">{text}</label>',
             f'<input id="gs-in{q.number}" type="text" inputmode="decimal" autocomplete="off" '
             f'aria-label="{label}">']
    if answers:
        parts.append('<span class="gs-feedback" aria-live="polite"></span>'
                     '<button type="button" class="gs-show">show the step</button>'
                     f'<div class="gs-step"><img alt="the step that computes {text}"></div>')
    parts.append("</li>")
    return "".join(parts)


def page(ws: Worksheet, answers: bool = True, title: str | None = None) -> str:
    """The worksheet as one HTML page.

    Parameters
    ----------
    ws : Worksheet
    answers : bool
        Embed the true values, check each blank and offer "show the step" (for
        practice); False: no true value is in the page.
    title : str, optional
        The page title.

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> ws = gs.exercise(gs.parse("sin(x)", x=0.5), hide="values")
    >>> 'id="gs-q1"' in page(ws), 'class="gs-show"' in page(ws, answers=False)
    (True, False)
    """
    if answers:
        frames, chosen = _frames(ws)
        data = {"answers": True, "frames": frames,
                "questions": [{"n": q.number, "answer": q.answer, "tolerance": q.tolerance,
                               "frame": chosen[q.number]} for q in ws.questions]}
        how = (f"Type each number and press Enter: it is checked within {ws.tolerance:g} relative "
               f"(4 significant digits are enough). {PRACTICE_NOTE}")
        summary = ('<p><button type="button" class="gs-check-all">check all</button></p>'
                   '<p class="gs-summary" aria-live="polite"></p>')
    else:
        data = {"answers": False, "frames": {}, "questions": [{"n": q.number} for q in ws.questions]}
        how = "Write each number in its box (4 significant digits); your teacher checks the answers."
        summary = ""
    fields = {
        "title": html.escape(title or f"Worksheet: {ws.heading()}"),
        "heading": html.escape(ws.heading()),
        "given": html.escape(ws.given_text()),
        "how": html.escape(how),
        "picture": ws.picture(),
        "questions": "\n".join(_question_item(q, answers) for q in ws.questions),
        "summary": summary,
        "answers": "true" if answers else "false",
        "data": json.dumps(data, separators=(",", ":")).replace("</", "<\\/"),
        "css": _resource("sheet.css"),
        "js": _resource("sheet.js"),
    }
    return Template(_resource("sheet.html")).substitute(fields)


def inline(ws: Worksheet, answers: bool = True, height: int = 720) -> str:
    """The worksheet for a notebook cell: the page in an ``<iframe srcdoc>``, so its
    style and script stay apart from the notebook's.

    Parameters
    ----------
    ws : Worksheet
    answers : bool
    height : int
        The frame's height in CSS pixels.

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> inline(gs.exercise(gs.parse("sin(x)", x=0.5), hide="values"))[:15]
    '<iframe srcdoc='
    """
    return (f'<iframe srcdoc="{html.escape(page(ws, answers), quote=True)}" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #dee2e6;border-radius:6px" '
            'title="graphstep worksheet"></iframe>')
