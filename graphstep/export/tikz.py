r"""TikZ pictures of a graph or of steps, placed by the same Graphviz layout as the SVG.

Graphviz lays the graph out once (``-Tjson``, which ``dot`` and graphviz-pure both
write); this module reads the node centres, the edges' Bézier control points and the
edge labels' positions, and writes a ``tikzpicture`` whose labels are LaTeX: each node's
definition from the op table's LaTeX template (``u_{2} = \exp\left(u_{1}\right)``),
each edge's local derivative (``\partial u_{1}/\partial x = 2\cdot x``), values,
adjoints and tangents. How things look is a set of named TikZ styles and colours
(:func:`tikz_styles`) that a document may redefine before the picture.

Why not dot2tex: it cannot read the HTML-like labels graphstep's DOT uses, it needs
Graphviz's own ``xdot`` output (graphviz-pure is enough here), and it would only turn
Graphviz's texts into TeX, where the op table already has the LaTeX of every label.

A picture of several steps (:func:`picture` with ``overlays=True``) changes its
highlights and texts with Beamer overlay specifications on one picture, so the layout
never moves; :mod:`graphstep.export.beamer` builds the slides from it.

>>> import graphstep as gs
>>> text = to_tikz(gs.parse("x * exp(x^2)", x=1.5))
>>> r"\begin{tikzpicture}" in text, r"u_{2} = \exp\left(u_{1}\right)" in text
(True, True)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graphstep import backend
from graphstep.errors import InputError, RenderError
from graphstep.export.latex import math_latex, text_latex
from graphstep.formulas.latex import forward_line
from graphstep.formulas.names import latex_name
from graphstep.graph import Graph
from graphstep.ops.table import CONST, INPUT
from graphstep.render.annotate import Annotations, annotations, expression_text, node_kind, node_title
from graphstep.render.dot import build_digraph, to_dot
from graphstep.render.style import (
    ADJOINT_COLOR,
    EXPR_COLOR,
    TANGENT_COLOR,
    UNKNOWN_COLOR,
    LookKind,
    Style,
)
from graphstep.steps.model import Step
from graphstep.text import pretty

__all__ = [
    "Placement",
    "place",
    "tikz_styles",
    "picture",
    "fit",
    "to_tikz",
    "to_tex",
    "stepper_notes",
    "NODE_STYLES",
    "EDGE_STYLES",
    "PREAMBLE",
]

#: The TikZ style of each kind of node (:class:`~graphstep.render.style.LookKind`).
NODE_STYLES = {LookKind.INPUT: "gs input", LookKind.CONST: "gs constant", LookKind.OP: "gs op",
               LookKind.OUTPUT: "gs output", LookKind.FOCUS: "gs highlighted",
               LookKind.MAIN: "gs step"}
#: The TikZ style of each kind of edge.
EDGE_STYLES = {LookKind.EDGE: "gs edge", LookKind.INACTIVE: "gs inactive edge",
               LookKind.FOCUS_EDGE: "gs highlighted edge"}
_COLOR_NAMES = {"input": "Input", "const": "Constant", "op": "Op", "output": "Output",
                "focus": "Highlighted", "main": "Step", "edge": "Edge", "inactive": "InactiveEdge",
                "focus-edge": "HighlightedEdge"}
_BREAK = r" \\ {}"  # a line break in a node ({}: a "[" after it is text, not an option)
_POINT = 0.5  # TikZ line widths per Graphviz pen width


@dataclass(frozen=True)
class Placement:
    """Where Graphviz put everything, in TeX points (Graphviz's points times ``scale``).

    Parameters
    ----------
    nodes : dict of int to (float, float)
        Each node's centre.
    edges : dict of (int, int, int) to list of (float, float)
        Each edge's Bézier points (``3k + 1`` of them, tail end first).
    labels : dict of (int, int, int) to (float, float)
        Each labelled edge's label centre.
    width, height : float
        The bounding box.

    Examples
    --------
    >>> import graphstep as gs
    >>> from graphstep.render.dot import to_dot
    >>> p = place(to_dot(gs.parse("sin(x)", x=0.5)))
    >>> sorted(p.nodes), list(p.edges), len(p.edges[(0, 1, 0)]) % 3
    ([0, 1], [(0, 1, 0)], 1)
    """

    nodes: dict[int, tuple[float, float]]
    edges: dict[tuple[int, int, int], list[tuple[float, float]]]
    labels: dict[tuple[int, int, int], tuple[float, float]]
    width: float
    height: float


def _pair(text: str, scale: float) -> tuple[float, float]:
    x, y = text.split(",")[:2]
    return float(x) * scale, float(y) * scale


def place(source: str, scale: float = 10 / 14, executable: tuple[str, str] | None = None) -> Placement:
    """Lay DOT ``source`` out with Graphviz (``-Tjson``) and read the positions.

    Parameters
    ----------
    source : str
        DOT text whose node ids are ``n<k>`` and edge ids ``e<tail>_<head>_<pos>``
        (as :mod:`graphstep.render.dot` writes them).
    scale : float
        TeX points per Graphviz point: the default sets 14-point Graphviz text at
        LaTeX's 10 points.
    executable : tuple of (str, Path), optional
        The Graphviz executable (default: :func:`graphstep.backend.find_executable`).

    Returns
    -------
    Placement

    Raises
    ------
    RenderError
        When Graphviz fails or its output lacks a position.

    Examples
    --------
    >>> p = place('digraph { n0 [id=n0]; n1 [id=n1]; n0 -> n1 [id=e0_1_0] }', scale=1.0)
    >>> p.nodes[0][1] > p.nodes[1][1]
    True
    """
    data = json.loads(backend.run_dot(source, "json", executable).decode("utf-8"))
    try:
        box = [float(v) * scale for v in data["bb"].split(",")]
        nodes = {}
        names = {}
        for k, obj in enumerate(data.get("objects", [])):
            ident = obj.get("id", obj.get("name", ""))
            if ident[:1] == "n" and ident[1:].isdigit():
                nodes[int(ident[1:])] = _pair(obj["pos"], scale)
                names[obj.get("_gvid", k)] = ident
        edges, labels = {}, {}
        for edge in data.get("edges", []):
            ident = edge.get("id", "")
            parts = ident[1:].split("_")
            if ident[:1] != "e" or len(parts) != 3 or not all(p.isdigit() for p in parts):
                continue
            key = (int(parts[0]), int(parts[1]), int(parts[2]))
            points = [p for p in edge["pos"].split() if not p.startswith(("e,", "s,"))]
            edges[key] = [_pair(p, scale) for p in points]
            if "lp" in edge:
                labels[key] = _pair(edge["lp"], scale)
    except (KeyError, ValueError, IndexError) as error:
        raise RenderError(f"Graphviz's JSON layout lacks a position ({error!r})") from None
    return Placement(nodes, edges, labels, box[2] - box[0], box[3] - box[1])


def _hex(color: str) -> str | None:
    """``#1864ab`` -> ``1864AB``; None for a named colour other than white."""
    if color == "white":
        return "FFFFFF"
    if color.startswith("#") and len(color) == 7:
        return color[1:].upper()
    return None


def tikz_styles(style: Style | None = None) -> str:
    r"""The colours, TikZ styles and macros of graphstep's pictures: the one place to restyle them.

    Every colour and style is defined only when not defined yet, so a document that sets
    ``\tikzset{gs output/.style={...}}`` or ``\definecolor{gsAdjoint}{HTML}{...}`` before
    the picture keeps its own. The styles: ``gs node`` (every node), ``gs input``,
    ``gs constant``, ``gs op``, ``gs output``, ``gs highlighted``, ``gs step`` (the node a
    step computes), ``gs edge``, ``gs inactive edge`` (from constants), ``gs highlighted
    edge``, ``gs edge label``, ``gs caption``; the text colours ``gsAdjoint``,
    ``gsTangent``, ``gsExpression``, ``gsUnknown``.

    Parameters
    ----------
    style : Style, optional
        Its looks give the colours.

    Returns
    -------
    str
        LaTeX, for the preamble or just before the picture (needs ``tikz``).

    Examples
    --------
    >>> text = tikz_styles()
    >>> r"\providecolor{gsInputFill}{HTML}{D0EBFF}" in text, "{gs step}" in text
    (True, True)
    """
    style = style or Style()
    lines = ["% graphstep's colours and TikZ styles; define your own before this to override them"]
    for kind, look in style.looks:
        name = _COLOR_NAMES[kind]
        for part, color in (("Fill", look.fill), ("Line", look.stroke), ("Text", look.fontcolor)):
            code = _hex(color)
            if code:
                lines.append(rf"\providecolor{{gs{name}{part}}}{{HTML}}{{{code}}}")
    for name, color in (("Adjoint", ADJOINT_COLOR), ("Tangent", TANGENT_COLOR),
                        ("Expression", EXPR_COLOR), ("Unknown", UNKNOWN_COLOR)):
        lines.append(rf"\providecolor{{gs{name}}}{{HTML}}{{{_hex(color)}}}")
    lines.append(r"\providecommand\gsstyle[2]{\pgfkeysifdefined{/tikz/#1/.@cmd}{}"
                 r"{\tikzset{#1/.style={#2}}}}")
    looks = dict(style.looks)
    lines.append(r"\gsstyle{gs node}{draw, rounded corners=2pt, align=center, inner sep=2.5pt,"
                 r" font=\normalsize}")
    for kind, name in NODE_STYLES.items():
        color, width = _COLOR_NAMES[kind], looks[kind].penwidth * _POINT
        lines.append(rf"\gsstyle{{{name}}}{{gs node, fill=gs{color}Fill, draw=gs{color}Line, "
                     rf"text=gs{color}Text, line width={width:.2f}pt}}")
    for kind, name in EDGE_STYLES.items():
        color, width = _COLOR_NAMES[kind], looks[kind].penwidth * _POINT
        lines.append(rf"\gsstyle{{{name}}}{{-stealth, draw=gs{color}Line, "
                     rf"line width={width:.2f}pt}}")
    lines.append(r"\gsstyle{gs edge label}{align=center, inner sep=1pt, font=\footnotesize}")
    lines.append(r"\gsstyle{gs caption}{align=left, inner sep=2pt, font=\small}")
    # a text (#1) as wide as the widest it ever gets (the rows #2), so a box never changes size
    lines.append(r"\providecommand\gsslot[2]{\ooalign{#2\cr\hfil#1\hfil\cr}}")
    return "\n".join(lines) + "\n"


def stepper_notes(stepper: Any, style: Style) -> tuple[list[Annotations], str]:
    """What each step of ``stepper`` shows, and the DOT source of their shared layout.

    The layout is the one the SVG frames use (:class:`graphstep.export.layout.Layout`):
    every text is laid out at its widest over all steps.

    Parameters
    ----------
    stepper : Stepper
    style : Style

    Returns
    -------
    tuple of (list of Annotations, str)

    Examples
    --------
    >>> import graphstep as gs
    >>> notes, source = stepper_notes(gs.steps(gs.parse("sin(x)", x=0.5), "reverse"), Style())
    >>> len(notes), source.startswith("digraph")
    (3, True)
    """
    g = stepper.graph
    cache: dict = {}
    notes = [annotations(g, s, style, cache) for s in stepper.steps]
    reserved: dict[Any, str] = {}
    for a in notes:
        for slot, text in a.texts.items():
            if text and len(text) > len(reserved.get(slot, "")):
                reserved[slot] = text
            if slot[0] == "local":
                reserved.setdefault(slot, "= ?")
    return notes, build_digraph(g, reserved, style).source


def _runs(values: Sequence[Any]) -> list[tuple[int, int, Any]]:
    """Consecutive equal values as (first, last, value), 0-based and inclusive."""
    runs: list[tuple[int, int, Any]] = []
    for k, value in enumerate(values):
        if runs and runs[-1][2] == value:
            runs[-1] = (runs[-1][0], k, value)
        else:
            runs.append((k, k, value))
    return runs


def _slides(first: int, last: int, count: int) -> str:
    """A Beamer overlay specification for steps ``first..last`` (0-based) of ``count``."""
    if first == last:
        return str(first + 1)
    return f"{first + 1}-" if last == count - 1 else f"{first + 1}-{last + 1}"


def _varying(texts: list[str], overlays: bool) -> str:
    """LaTeX showing ``texts[k]`` at step ``k``, at a constant width (only the first without overlays)."""
    if not overlays or len(set(texts)) == 1:
        return texts[0]
    shown = "".join(rf"\only<{_slides(a, b, len(texts))}>{{{t}}}"
                    for a, b, t in _runs(texts) if t)
    variants = [t for t in dict.fromkeys(texts) if t]
    tallest = rf"\vphantom{{{''.join(variants)}}}"  # the same height and depth on every slide
    rows = r"\cr".join(rf"\hfil\phantom{{{t}}}{tallest if k == 0 else ''}\hfil"
                        for k, t in enumerate(variants))
    return rf"\gsslot{{{shown}{tallest}}}{{{rows}}}"


def _slot_latex(a: Annotations, slot: tuple, color: str | None) -> str:
    text = a.texts.get(slot, "")
    if not text:
        return ""
    body = text_latex(pretty(text))
    if slot in a.unknown:
        return rf"\textcolor{{gsUnknown}}{{{body}}}"
    return rf"\textcolor{{{color}}}{{{body}}}" if color else body


def _styles(kinds: list[Any], table: dict, overlays: bool) -> str:
    if not overlays or len(set(kinds)) == 1:
        return table[kinds[0]]
    base = max(set(kinds), key=kinds.count)
    extra = [f"onslide=<{_slides(a, b, len(kinds))}>{{{table[k]}}}"
             for a, b, k in _runs(kinds) if k != base]
    return ", ".join([table[base], *extra])


def _title_latex(g: Graph, node: int) -> str:
    label = latex_name(g.label(node))
    if g.op(node) in (INPUT, CONST):
        return f"${label}$"
    right = forward_line(g, node)
    if g.shape_of(node) == ():
        right = right.replace(r"\odot", r"\cdot")
    return f"${label} = {right}$"


def _edge_name(g: Graph, tail: int, head: int, pos: int, style: Style) -> str:
    formula = math_latex(pretty(g.edge_formula(head, pos)))
    if not style.edge_names:
        return f"${formula}$"
    # ∂u/∂x inline: a fraction at the labels' small size would be hard to read
    name = rf"\partial {latex_name(g.label(head))}/\partial {latex_name(g.label(tail))}"
    return f"${name} = {formula}$"


def _xy(point: tuple[float, float]) -> str:
    return f"({point[0]:.1f}pt,{point[1]:.1f}pt)"


def picture(g: Graph, notes: Sequence[Annotations], placement: Placement, style: Style | None = None,
            overlays: bool = False, caption: bool = False) -> str:
    r"""The ``tikzpicture`` of ``g`` with what ``notes`` say, at ``placement``'s positions.

    Parameters
    ----------
    g : Graph
    notes : sequence of Annotations
        One per step (one for a single picture).
    placement : Placement
    style : Style, optional
    overlays : bool
        Show ``notes[k]`` on Beamer slide ``k + 1`` (``\only``, and the ``onslide`` key
        that :mod:`graphstep.export.beamer` defines); else only ``notes[0]`` is drawn.
    caption : bool
        Add the step's title and sentence under the graph (single pictures only).

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> from graphstep.render.dot import to_dot
    >>> g = gs.parse("sin(x)", x=0.5)
    >>> text = picture(g, [annotations(g)], place(to_dot(g)))
    >>> r"\node[gs input] (n0)" in text, r"\draw[gs edge] (n0) .. controls" in text
    (True, True)
    """
    style = style or Style()
    notes = list(notes) if overlays else [notes[0]]
    lines = [r"\begin{tikzpicture}"]
    if overlays:  # the same size on every slide, whatever the highlights' line widths
        lines.append(rf"\useasboundingbox (-4pt,-4pt) rectangle "
                     rf"({placement.width + 4:.1f}pt,{placement.height + 4:.1f}pt);")
    for n in range(len(g)):
        if n not in placement.nodes:
            raise RenderError(f"the layout has no position for node {g.label(n)}")
        kinds = [LookKind.MAIN if n == a.main_node else LookKind.FOCUS if n in a.focus_nodes
                 else node_kind(g, n) for a in notes]
        rows = [_title_latex(g, n)]
        if style.expressions:
            expr = expression_text(g, n, node_title(g, n)[1])
            if expr:
                rows.append(rf"{{\footnotesize\color{{gsExpression}}${math_latex(expr)}$}}")
        for kind, color in (("value", None), ("adjoint", "gsAdjoint"), ("tangent", "gsTangent")):
            texts = [_slot_latex(a, (kind, n), color) for a in notes]
            if any(texts):
                rows.append(_varying(texts, overlays))
        text = _BREAK.join(rows)
        lines.append(rf"\node[{_styles(kinds, NODE_STYLES, overlays)}] (n{n}) at "
                     rf"{_xy(placement.nodes[n])} {{{text}}};")
    for t, h, q in g.edges():
        key = (t, h, q)
        kinds = [LookKind.FOCUS_EDGE if key in a.focus_edges
                 else LookKind.EDGE if g.active[t] else LookKind.INACTIVE for a in notes]
        points = placement.edges.get(key)
        if not points or len(points) % 3 != 1:
            raise RenderError(f"the layout has no line for the edge {g.label(t)} -> {g.label(h)}")
        path = f"(n{t})"
        inner = points[1:-1] + [None]
        for k in range(0, len(inner), 3):
            end = f"(n{h})" if inner[k + 2] is None else _xy(inner[k + 2])
            path += f" .. controls {_xy(inner[k])} and {_xy(inner[k + 1])} .. {end}"
        lines.append(rf"\draw[{_styles(kinds, EDGE_STYLES, overlays)}] {path};")
        slot = ("local",) + key
        texts = [_slot_latex(a, slot, None) or (r"\textcolor{gsUnknown}{= ?}" if slot in a.texts else "")
                 for a in notes]
        if key in placement.labels and any(slot in a.texts for a in notes):
            rows = [_edge_name(g, t, h, q, style), _varying(texts, overlays)]
            text = _BREAK.join(r for r in rows if r)
            lines.append(rf"\node[gs edge label] at {_xy(placement.labels[key])} {{{text}}};")
    first = notes[0]
    if caption and not overlays and (first.title or first.text):
        width = max(placement.width - 8, 120.0)
        body = rf"\textbf{{{text_latex(pretty(first.title))}}}"
        if first.text:
            body += r" \\ " + text_latex(pretty(str(first.text)))
        lines.append(rf"\node[gs caption, text width={width:.0f}pt, anchor=north] at "
                     rf"({placement.width / 2:.1f}pt,-6pt) {{{body}}};")
    lines.append(r"\end{tikzpicture}")
    return "\n".join(lines)


def fit(body: str, width: str = r"\linewidth", height: str | None = None) -> str:
    r"""``body`` (a picture) shrunk, never enlarged, to at most ``width`` wide and ``height`` high.

    Parameters
    ----------
    body : str
        LaTeX of something drawn in a box, such as a ``tikzpicture``.
    width, height : str, optional
        TeX lengths (``\linewidth``, ``0.7\textheight``, ``12cm``); None for no limit.

    Returns
    -------
    str
        LaTeX that needs ``graphicx`` (TikZ loads it).

    Examples
    --------
    >>> print(fit("X", r"\linewidth"))
    {\setbox0\hbox{%
    X}%
    \ifdim\wd0>\linewidth\setbox0\hbox{\resizebox{\linewidth}{!}{\box0}}\fi
    \leavevmode\box0}
    """
    lines = [r"{\setbox0\hbox{%", body + "}%"]
    if width:
        lines.append(rf"\ifdim\wd0>{width}\setbox0\hbox{{\resizebox{{{width}}}{{!}}{{\box0}}}}\fi")
    if height:
        lines.append(rf"\ifdim\dimexpr\ht0+\dp0\relax>{height}"
                     rf"\setbox0\hbox{{\resizebox{{!}}{{{height}}}{{\box0}}}}\fi")
    lines.append(r"\leavevmode\box0}")  # in a paragraph, so that \centering centres it
    return "\n".join(lines)


def _target(target: Any) -> tuple[Graph, Step | None, Any]:
    if isinstance(target, Graph):
        return target, None, None
    if isinstance(target, tuple) and len(target) == 2 and isinstance(target[0], Graph):
        return target[0], target[1], None
    if all(hasattr(target, name) for name in ("graph", "steps", "current")):
        return target.graph, target.current, target
    raise InputError(
        f"a TikZ picture needs a Graph, a stepper or a (Graph, Step) pair, got {type(target).__name__}")


def _single(target: Any, style: Style | None) -> tuple[str, Style]:
    g, step, stepper = _target(target)
    style = style or Style()
    if stepper is not None:
        notes, source = stepper_notes(stepper, style)
        note = notes[stepper.index]
    else:
        note, source = annotations(g, step, style), to_dot(g, step, style)
        source = source if step is None else build_digraph(g, note.texts, style).source
    return picture(g, [note], place(source, 10 / style.fontsize), style, caption=step is not None), style


def to_tikz(target: Any, style: Style | None = None, width: str | None = r"\linewidth",
            height: str | None = None) -> str:
    r"""The bare picture for ``\input`` into a document: styles, then the fitted ``tikzpicture``.

    The document needs ``\usepackage{tikz}`` and ``\usepackage{amsmath}``.

    Parameters
    ----------
    target : Graph, stepper or (Graph, Step)
        A stepper draws its current step, with its caption, in the stepper's shared layout.
    style : Style, optional
    width, height : str, optional
        The largest size (TeX lengths); a larger picture is scaled down to fit.

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> text = to_tikz(gs.steps(gs.parse("sin(x)", x=0.5), "reverse"))
    >>> r"\providecolor{gsAdjoint}" in text, r"\resizebox{\linewidth}" in text, "gs step" in text
    (True, True, True)
    """
    body, style = _single(target, style)
    return tikz_styles(style) + fit(body, width, height) + "\n"


#: A document class and packages every picture compiles with (pdflatex or lualatex).
PREAMBLE = r"""\usepackage[T1]{fontenc}
\usepackage{lmodern}
\usepackage{amsmath,amssymb}
\usepackage{tikz}
"""


def to_tex(target: Any, style: Style | None = None, border: str = "4pt") -> str:
    r"""A standalone LaTeX document: one page the size of the picture.

    Parameters
    ----------
    target : Graph, stepper or (Graph, Step)
    style : Style, optional
    border : str
        The white margin around the picture (a TeX length).

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> text = to_tex(gs.parse("sin(x)", x=0.5))
    >>> text.startswith(r"\documentclass{article}"), text.rstrip().endswith(r"\end{document}")
    (True, True)
    """
    body, style = _single(target, style)
    return "\n".join([
        r"\documentclass{article}", PREAMBLE.rstrip(), tikz_styles(style).rstrip(),
        r"\begin{document}",
        r"\newsavebox\gspicture",
        r"\sbox\gspicture{" + body + "}",
        # the page is the picture: set its size, then ship the box out at the top left
        rf"\newlength\gsborder\setlength\gsborder{{{border}}}",
        r"\setlength\paperwidth{\dimexpr\wd\gspicture+2\gsborder\relax}",
        r"\setlength\paperheight{\dimexpr\ht\gspicture+\dp\gspicture+2\gsborder\relax}",
        r"\ifdefined\pdfpagewidth\pdfpagewidth\paperwidth\pdfpageheight\paperheight\fi",
        r"\ifdefined\pagewidth\pagewidth\paperwidth\pageheight\paperheight\fi",
        r"\hoffset-1in\voffset-1in",
        r"\shipout\vbox{\kern\gsborder\hbox{\kern\gsborder\usebox\gspicture}}",
        r"\end{document}", ""])

