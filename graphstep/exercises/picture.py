"""The picture of a worksheet: the graph with its hidden quantities as numbered boxes.

The graph is drawn once with :class:`graphstep.export.layout.Layout` (the layout the
stepper's frames use), from a step that knows what the sheet shows. The layout also
reserves the width of a wide placeholder in every hidden slot, so a box has room and its
size says nothing about the answer. The SVG is then edited with
:mod:`xml.etree.ElementTree`: every hidden slot's text becomes its name (``∂u₃/∂x =``)
and a box holding the question's number (or, on the answer key, the answer); every
tooltip is removed, since tooltips hold values in full.

>>> import graphstep as gs
>>> from graphstep.exercises.model import questions
>>> g = gs.parse("x * exp(x^2)", x=1.5)
>>> svg = sheet_picture(g, questions(g, "adjoints"), {"values", "locals", "adjoints"})
>>> svg.count('class="gs-blank"'), "52.18" in svg, "<title>" in svg
(3, False, False)
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np

from graphstep.algorithms.reverse import adjoints as compute_adjoints
from graphstep.exercises.model import Question
from graphstep.export.layout import SVG_NS, XLINK_NS, Layout
from graphstep.graph import Graph
from graphstep.render.style import Style
from graphstep.steps.model import Step
from graphstep.text import format_value, pretty

__all__ = ["sheet_picture", "blank_label", "fixed_size", "BLANK_FILL", "BLANK_STROKE"]

#: The colours of a blank box.
BLANK_FILL, BLANK_STROKE = "#fff9db", "#1864ab"
_PLACEHOLDER = -8888.8  # formatted "-8889": room for a box numbered "12–15"
_KEY_PLACEHOLDER = -888888.8888  # "-8.889e+05": room for an answer
_S = f"{{{SVG_NS}}}"

ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


def blank_label(numbers: Sequence[int]) -> str:
    """The label of a box that holds questions ``numbers`` (consecutive).

    Parameters
    ----------
    numbers : sequence of int

    Returns
    -------
    str

    Examples
    --------
    >>> blank_label([3]), blank_label([4, 5, 6])
    ('3', '4–6')
    """
    return str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"


def _sheet_step(graph: Graph, shown: Collection[str], hidden: dict[tuple, list[Question]],
                placeholder: float | None) -> Step:
    """What the picture knows; with ``placeholder``, hidden quantities take that value
    (for the layout's widths only)."""
    def fill(value: Any) -> Any:
        return np.full(np.shape(value), placeholder) if isinstance(value, np.ndarray) else placeholder

    values = {n: graph.value_of(n) for n in range(len(graph))}
    locals_: dict = {}
    if "locals" in shown:
        locals_ = {edge: graph.local(edge[1], edge[2]) for edge in graph.edges() if graph.active[edge[0]]}
    adjoints_: dict = {}
    if "adjoints" in shown:
        adjoints_ = {n: a for n, a in enumerate(compute_adjoints(graph)) if a is not None}
    if placeholder is not None:
        for slot in hidden:
            table = {"value": values, "adjoint": adjoints_, "local": locals_}.get(slot[0])
            key = slot[1:] if slot[0] == "local" else slot[1]
            if table is not None and key in table:
                table[key] = fill(table[key])
    return Step("forward", 0, "", values=values, local_derivatives=locals_, adjoints=adjoints_)


def _prefix_text(graph: Graph, slot: tuple) -> str:
    """What stays written before a hidden slot's box."""
    if slot[0] == "adjoint":
        return f"∂{pretty(graph.label(graph.output))}/∂{pretty(graph.label(slot[1]))} ="
    if slot[0] == "local" or graph.op(slot[1]) == "input":
        return "="
    return ""


def _box(text: ET.Element, prefix: str, label: str, numbers: Sequence[int], key: bool) -> list[ET.Element]:
    """The elements that replace a slot's text: its prefix, a box and the label in it."""
    size = float(text.get("font-size", "14"))
    center, baseline = float(text.get("x", "0")), float(text.get("y", "0"))
    width = max(2.4 * size, (len(label) * 0.62 + 1.0) * size)
    prefix_width = len(prefix) * 0.55 * size
    gap = 0.35 * size if prefix else 0.0
    left = center - (prefix_width + gap + width) / 2
    box_left = left + prefix_width + gap
    made = []
    if prefix:
        made.append(ET.Element(f"{_S}text", {
            "x": f"{box_left - gap:.2f}", "y": f"{baseline:.2f}", "text-anchor": "end",
            "font-size": f"{size:g}", "fill": text.get("fill", "#212529")}))
        made[-1].text = prefix
    data = " ".join(map(str, numbers))
    made.append(ET.Element(f"{_S}rect", {
        "class": "gs-blank", "data-q": data, "x": f"{box_left:.2f}", "y": f"{baseline - 0.98 * size:.2f}",
        "width": f"{width:.2f}", "height": f"{1.3 * size:.2f}", "rx": "3", "fill": BLANK_FILL,
        "stroke": BLANK_STROKE, "stroke-width": "1.3"}))
    number = ET.Element(f"{_S}text", {
        "class": "gs-blank-label", "data-q": data, "x": f"{box_left + width / 2:.2f}",
        "y": f"{baseline:.2f}", "text-anchor": "middle", "font-size": f"{size * (0.85 if key else 0.9):g}",
        "font-weight": "bold", "fill": BLANK_STROKE})
    number.text = label
    made.append(number)
    return made


def sheet_picture(graph: Graph, questions: Sequence[Question], shown: Collection[str],
                  style: Style | None = None, key: bool = False, prefix: str = "sheet") -> str:
    """The SVG of a worksheet's graph with a numbered box in every hidden slot.

    Parameters
    ----------
    graph : Graph
    questions : sequence of Question
        The blanks; paths and sums have no slot on the picture and are listed only.
    shown : collection of str
        The categories the picture shows (``"values"``, ``"locals"``, ``"adjoints"``).
    style : Style, optional
        The look (its ``locals``/``adjoints``/``tangents`` switches are set from ``shown``).
    key : bool
        Write the answers in the boxes (``"3: 9.488"``) instead of the numbers.
    prefix : str
        Starts every element id (several pictures on one page).

    Returns
    -------
    str
        SVG markup whose root is sized to its column (``width:100%``) with a viewBox.

    Examples
    --------
    >>> import graphstep as gs
    >>> from graphstep.exercises.model import questions
    >>> g = gs.parse("sin(x)", x=0.5)
    >>> svg = sheet_picture(g, questions(g, "values"), {"values"}, key=True)
    >>> ">1: 0.4794</text>" in svg
    True
    """
    style = dataclasses.replace(style or Style(), locals="locals" in shown,
                                adjoints="adjoints" in shown, tangents=False, grad=False)
    hidden: dict[tuple, list[Question]] = {}
    for q in questions:
        if q.slot[0] in ("value", "local", "adjoint"):
            hidden.setdefault(q.slot, []).append(q)
    step = _sheet_step(graph, shown, hidden, None)
    wide = _sheet_step(graph, shown, hidden, _KEY_PLACEHOLDER if key else _PLACEHOLDER)
    shared = Layout(graph, [step, wide], style)
    root = ET.fromstring(shared.player_svg(prefix))
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag == f"{_S}title":
                parent.remove(child)
    slot_index = {slot: j for j, slot in enumerate(shared.slot_keys)}
    elements = {e.get("id"): (e, parent) for parent in root.iter() for e in parent if e.get("id")}
    adjoint_users = _hidden_users(graph, hidden)
    for slot, asked in hidden.items():
        found = elements.get(f"{prefix}s{slot_index.get(slot, -1)}")
        if found is None:
            continue
        text, parent = found
        numbers = [q.number for q in asked]
        label = blank_label(numbers)
        if key:
            label = f"{label}: " + ", ".join(format_value(q.answer, style.precision) for q in asked)
        position = list(parent).index(text)
        parent.remove(text)
        for offset, element in enumerate(_box(text, _prefix_text(graph, slot), label, numbers, key)):
            parent.insert(position + offset, element)
    for n in adjoint_users:  # a shown adjoint would sum hidden ones: write the total alone
        found = elements.get(f"{prefix}s{slot_index.get(('adjoint', n), -1)}")
        if found is not None and ("adjoint", n) not in hidden:
            text = found[0]
            total = format_value(compute_adjoints(graph)[n], style.precision)
            text.text = f"{_prefix_text(graph, ('adjoint', n))} {total}"
    return ET.tostring(root, encoding="unicode") + "\n"


def _hidden_users(graph: Graph, hidden: dict[tuple, list[Question]]) -> list[int]:
    """Nodes whose adjoint text would show a hidden adjoint as one of its terms."""
    return [n for n in range(len(graph)) if len(graph.users[n]) >= 2
            and any(("adjoint", head) in hidden for _, head, _ in graph.users[n])]


def fixed_size(svg: str) -> tuple[str, float, float]:
    """A picture from :func:`sheet_picture` with its natural size (in pt) instead of
    ``width:100%``, and that size.

    Parameters
    ----------
    svg : str

    Returns
    -------
    tuple of (str, float, float)
        The SVG, its width and its height.

    Examples
    --------
    >>> fixed_size('<svg style="width:100%" viewBox="0 0 20 10"></svg>')
    ('<svg width="20.00pt" height="10.00pt" viewBox="0 0 20 10"></svg>', 20.0, 10.0)
    """
    head_end = svg.index(">") + 1
    head = svg[:head_end]
    view = re.search(r'viewBox="([^"]*)"', head)
    width, height = (float(v) for v in (view.group(1).split()[2:] if view else (0, 0)))
    head = re.sub(r'\s(?:style|width|height)="[^"]*"', "", head)
    head = head.replace("<svg", f'<svg width="{width:.2f}pt" height="{height:.2f}pt"', 1)
    return head + svg[head_end:], width, height
