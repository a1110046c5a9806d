"""Pictures of a graph or of one step: (Graph, Step | None, Style) -> Graphviz DOT.

Building a picture is a pure function: :func:`to_digraph` returns a
``graphviz.Digraph`` and :func:`to_dot` its source text; neither runs a process.
Only :func:`render` (through :mod:`graphstep.backend`) runs an executable.

Every node shows its label and what it computes (``u₂ = exp(u₁)``), the
sub-expression, its value, and, once a step has computed them, its adjoint
(``∂u₃/∂u₂``) and tangent (``∂u₂/∂x``). Every edge from an active node shows its local
derivative as a formula and a value (for tensors: the Jacobian's structure and size,
``diag(1 - u₅²)  20×20 diagonal``). The nodes and edges a step is about are
highlighted and the step's sentence is the caption.

The same annotation texts (:func:`annotations`) and the same looks (:class:`Style`)
drive the HTML player and the animation frames of :mod:`graphstep.export.svg`, so a
DOT picture of a step shows what the frame of that step shows.

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x^2)", x=1.5)
>>> dot = to_dot(g)
>>> "u₂\u00a0=\u00a0exp(u₁)" in dot and "9.488" in dot
True

Jupyter shows a graph as SVG and a stepper as an HTML player. GitHub's notebook
viewer drops scripts, so for notebooks meant to be read there set
``graphstep.render.dot.JUPYTER_SVG_ONLY = True`` (or the environment variable
``GRAPHSTEP_SVG_ONLY=1``) and a stepper shows the SVG of its current step instead.
"""

from __future__ import annotations

import dataclasses
import html
import math
import os
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graphviz
import numpy as np

from graphstep.build.trace import format_op
from graphstep.errors import GraphstepError, InputError, RenderError
from graphstep.graph import Graph
from graphstep.ops.jacobians import Jacobian
from graphstep.steps.model import Step

__all__ = [
    "Style",
    "Look",
    "DEFAULT_LOOKS",
    "JUPYTER_SVG_ONLY",
    "to_digraph",
    "to_dot",
    "render",
    "with_direction",
    "mimebundle",
    "annotations",
    "Annotations",
    "node_kind",
    "format_value",
    "format_local",
    "pretty",
    "caption",
]

#: Show a stepper in Jupyter as the SVG of its current step only (no player script);
#: GitHub's notebook viewer drops scripts. The environment variable
#: ``GRAPHSTEP_SVG_ONLY=1`` has the same effect.
JUPYTER_SVG_ONLY = False


@dataclass(frozen=True)
class Look:
    """How one kind of node or edge is drawn: fill, outline, pen width, text colour."""

    fill: str = "white"
    stroke: str = "#495057"
    penwidth: float = 1.2
    fontcolor: str = "#212529"


#: The style table by kind. Node kinds: ``input``, ``const``, ``op``, ``output``;
#: ``focus`` is a highlighted node and ``main`` the node a step computes. Edge kinds:
#: ``edge`` (from a value that depends on an input), ``inactive`` (from a constant),
#: ``focus-edge`` (highlighted).
DEFAULT_LOOKS: dict[str, Look] = {
    "input": Look(fill="#d0ebff", stroke="#1864ab", penwidth=1.4),
    "const": Look(fill="#f1f3f5", stroke="#adb5bd", penwidth=1.0, fontcolor="#495057"),
    "op": Look(fill="#ffffff", stroke="#495057", penwidth=1.2),
    "output": Look(fill="#fff3bf", stroke="#e67700", penwidth=2.2),
    "focus": Look(fill="#ffe3e3", stroke="#e03131", penwidth=3.2),
    "main": Look(fill="#ffc9c9", stroke="#c92a2a", penwidth=4.2),
    "edge": Look(stroke="#495057", penwidth=1.2, fontcolor="#212529"),
    "inactive": Look(stroke="#ced4da", penwidth=1.0, fontcolor="#868e96"),
    "focus-edge": Look(stroke="#e03131", penwidth=3.2, fontcolor="#c92a2a"),
}

#: Colours of the annotation rows.
ADJOINT_COLOR = "#c92a2a"
TANGENT_COLOR = "#1864ab"
EXPR_COLOR = "#868e96"
UNKNOWN_COLOR = "#adb5bd"

_DIRECTIONS = ("LR", "RL", "TB", "BT")


@dataclass(frozen=True)
class Style:
    """Display options of a picture (all have sensible defaults).

    Parameters
    ----------
    direction : ``"LR"`` (inputs left, the default), ``"BT"`` (inputs at the bottom,
        as in the lecture slides), ``"TB"`` or ``"RL"``.
    values, expressions, locals, adjoints, tangents : show these annotations.
    edge_names : write edge formulas as ``∂u₂/∂u₁ = exp(u₁)`` rather than ``exp(u₁)``.
    constant_edges : label the (always irrelevant) derivatives with respect to constants.
    grad : for a picture without a step, also show every node's adjoint.
    precision : significant digits of numbers.
    inline_size : arrays with at most this many entries are written out in full.
    fontname, fontsize : the text font (DejaVu Sans draws ∂ ⊙ ⊗ ᵀ ₁).
    looks : the style table by kind (see :data:`DEFAULT_LOOKS`); a partial mapping
        overrides only the kinds it names.

    >>> Style(direction="BT").direction
    'BT'
    """

    direction: str = "LR"
    values: bool = True
    expressions: bool = True
    locals: bool = True
    adjoints: bool = True
    tangents: bool = True
    edge_names: bool = True
    constant_edges: bool = False
    grad: bool = False
    precision: int = 4
    inline_size: int = 6
    fontname: str = "DejaVu Sans"
    fontsize: float = 14.0
    looks: Any = field(default_factory=dict)

    def __post_init__(self):
        if self.direction not in _DIRECTIONS:
            raise InputError(
                f"direction must be one of {', '.join(_DIRECTIONS)}, got {self.direction!r}")
        if not isinstance(self.precision, int) or not 1 <= self.precision <= 17:
            raise InputError(f"precision must be an integer from 1 to 17, got {self.precision!r}")
        looks = dict(DEFAULT_LOOKS)
        given = dict(self.looks or {})
        unknown = set(given) - set(DEFAULT_LOOKS)
        if unknown:
            raise InputError(
                f"unknown look kind(s) {sorted(unknown)}; the kinds are {sorted(DEFAULT_LOOKS)}")
        looks.update(given)
        object.__setattr__(self, "looks", tuple(sorted(looks.items())))

    def look(self, kind: str) -> Look:
        """The :class:`Look` of a kind (``input``, ``op``, ``focus``, ``edge``, ...)."""
        return dict(self.looks)[kind]


# --- text --------------------------------------------------------------------------------

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_LETTER = "A-Za-z\u00c0-\u024f"  # ASCII and accented Latin letters (ū, x̄ = x + macron)
_INDEXED = re.compile(
    rf"(?<![{_LETTER}0-9_.])([{_LETTER}]+[\u0300-\u036f]?)(\d+)(?![{_LETTER}0-9_.(])")
_POWER = re.compile(r"\^(\d+)(?!\d|\.\d)")
_TIMES = re.compile(r"\s*\*\s*")


def pretty(text: str) -> str:
    """Unicode math for display: ``u12`` -> ``u₁₂``, ``x^2`` -> ``x²``, ``*`` -> ``·``.

    >>> pretty("x * exp(u1^2) + ū3")
    'x·exp(u₁²) + ū₃'
    """
    text = _INDEXED.sub(lambda m: m.group(1) + m.group(2).translate(_SUB), text)
    text = _POWER.sub(lambda m: m.group(1).translate(_SUP), text)
    return _TIMES.sub("·", text)


def _number(x: float, precision: int) -> str:
    x = float(x)
    if x == 0:
        return "0"
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.{precision}g}"


def _shape(shape: tuple[int, ...]) -> str:
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "×".join(str(n) for n in shape)


def format_value(value: Any, precision: int = 4, inline_size: int = 6) -> str:
    """A value as short text: numbers to ``precision`` digits, small arrays in full,
    large ones as shape and range.

    >>> format_value(9.487735836358526)
    '9.488'
    >>> format_value(np.array([[1.0, 2.0], [3.0, 4.5]]))
    '[[1, 2], [3, 4.5]]'
    >>> format_value(np.arange(12.0).reshape(4, 3))
    '4×3 in [0, 11]'
    """
    if value is None:
        return ""
    if isinstance(value, Jacobian):
        return format_local(value, precision)
    array = np.asarray(value)
    if array.ndim == 0:
        return _number(array, precision)
    if array.size <= inline_size and array.ndim <= 2:
        if array.ndim == 1:
            return "[" + ", ".join(_number(v, precision) for v in array) + "]"
        return "[" + ", ".join(
            "[" + ", ".join(_number(v, precision) for v in row) + "]" for row in array) + "]"
    if array.size == 0:
        return f"{_shape(array.shape)} (empty)"
    finite = array[np.isfinite(array)]
    if finite.size == 0:
        return f"{_shape(array.shape)}, no finite entries"
    low, high = _number(finite.min(), 3), _number(finite.max(), 3)
    text = f"{_shape(array.shape)} in [{low}, {high}]"
    if finite.size < array.size:
        text += f", {array.size - finite.size} nan/inf"
    return text


def format_local(local: Any, precision: int = 4) -> str:
    """The value of a local derivative: a number, or a Jacobian's size and structure.

    >>> format_local(3.0)
    '3'
    >>> from graphstep.ops.jacobians import Diagonal
    >>> format_local(Diagonal(np.ones(3), "diag(x)"))
    '3×3 diagonal'
    """
    if isinstance(local, Jacobian):
        rows, cols = local.shape
        return f"{rows}×{cols} {local.kind}"
    return format_value(local, precision)


def node_kind(g: Graph, node: int) -> str:
    """``"input"``, ``"const"``, ``"output"`` or ``"op"``: the row of the style table.

    >>> import graphstep as gs
    >>> g = gs.parse("2 * x", x=1.0)
    >>> [node_kind(g, n) for n in range(len(g))]
    ['const', 'input', 'output']
    """
    op = g.op(node)
    if op in ("input", "const"):
        return op
    return "output" if node == g.output else "op"


def _title(g: Graph, node: int) -> tuple[str, str]:
    """(label, definition) of a node: ``("u₂", "exp(u₁)")``; definition empty for leaves."""
    label = pretty(g.label(node))
    op = g.op(node)
    if op in ("input", "const"):
        return label, ""
    args = [g.label(a) for a in g.args(node)]
    if op == "broadcast":
        text = f"broadcast({args[0]})"
    else:
        text = format_op(op, args, [6] * len(args), g.params(node))
    text = pretty(text)
    if len(text) > 40:
        text = text[:39] + "…"
    return label, text


def _expression_row(g: Graph, node: int, definition: str) -> str:
    if g.op(node) in ("input", "const"):
        return ""
    expr = pretty(g.expr(node))
    if expr == definition or len(expr) > 48:
        if len(expr) > 48:
            expr = expr[:47] + "…"
        return "" if expr == definition else expr
    return expr


def _edge_formula(g: Graph, tail: int, head: int, pos: int, style: Style) -> str:
    formula = pretty(g.edge_formula(head, pos))
    if style.edge_names:
        name = f"∂{pretty(g.label(head))}/∂{pretty(g.label(tail))}"
        return f"{name} = {formula}"
    return formula


# --- what a picture shows ------------------------------------------------------------

Slot = tuple  # ("value", n) | ("adjoint", n) | ("tangent", n) | ("local", t, h, p)


@dataclass(frozen=True)
class Annotations:
    """Everything that changes from one step's picture to the next.

    ``texts`` maps a slot (``("value", n)``, ``("adjoint", n)``, ``("tangent", n)``,
    ``("local", tail, head, pos)``) to its text (``""`` when unknown at this step);
    ``unknown`` are the value slots shown as ``?``; ``focus_nodes`` and
    ``focus_edges`` are highlighted, ``main_node`` (the node the step computes, if
    any) most strongly; ``title`` and ``text`` make the caption.
    """

    texts: Mapping[Slot, str]
    unknown: frozenset
    focus_nodes: frozenset
    focus_edges: frozenset
    title: str = ""
    text: str = ""
    main_node: int | None = None


def _edge_shown(g: Graph, tail: int, style: Style) -> bool:
    return style.locals and (style.constant_edges or g.active[tail])


def annotations(g: Graph, step: Step | None = None, style: Style | None = None,
                cache: dict | None = None) -> Annotations:
    """The variable texts and highlights of the picture of ``step`` (or of the bare graph).

    ``cache`` (a dict, optional) remembers formatted numbers between calls on the steps
    of one stepper, whose steps share their value objects.

    >>> import graphstep as gs
    >>> g = gs.parse("x * exp(x^2)", x=1.5)
    >>> a = annotations(g)
    >>> a.texts[("value", 3)], a.texts[("local", 3, 4, 1)]
    ('9.488', '= 1.5')
    """
    style = style or Style()
    memo: dict = {} if cache is None else cache
    p, size = style.precision, style.inline_size
    texts: dict[Slot, str] = {}
    unknown = set()
    out = pretty(g.label(g.output))
    if step is None:
        values = {n: g.value_of(n) for n in range(len(g))}
        locals_ = {(t, h, q): g.local(h, q) for t, h, q in g.edges()}
        adjoints: Mapping[int, Any] = {}
        if style.grad:
            from graphstep.algorithms.reverse import adjoints as compute_adjoints

            adjoints = {n: a for n, a in enumerate(compute_adjoints(g)) if a is not None}
        tangents: Mapping[int, Any] = {}
        wrt = None
    else:  # plain dicts: one lookup per known entry, fast membership tests after
        values = {n: step.values[n] for n in step.values}
        locals_ = {e: step.locals[e] for e in step.locals}
        adjoints = {n: step.adjoints[n] for n in step.adjoints}
        tangents = {n: step.tangents[n] for n in step.tangents}
        wrt = step.wrt
    fixed = memo.get("fixed")
    if fixed is None:  # what does not depend on the step
        fixed = memo["fixed"] = (
            [(n, g.op(n), _value_text(g, n, g.value_of(n), p, size)
              if g.op(n) in ("input", "const") else None) for n in range(len(g))],
            [e for e in g.edges() if _edge_shown(g, e[0], style)],
        )
    nodes, shown_edges = fixed
    for n, op, leaf_text in nodes:
        if style.values:
            if op != "const" and n in values:
                value = values[n]
                key = ("v", n, id(value))
                text = memo.get(key)
                if text is None:
                    text = memo[key] = _value_text(g, n, value, p, size)
                texts[("value", n)] = text
            elif leaf_text is None:
                texts[("value", n)] = "?"
                unknown.add(("value", n))
            elif leaf_text != pretty(g.label(n)):  # a constant's label is usually its value
                texts[("value", n)] = leaf_text
        if style.adjoints and n in adjoints:
            users = g.users[n]
            key = ("a", n, id(adjoints[n]), None if len(users) < 2 else
                   tuple(id(adjoints[h]) if h in adjoints else None for h, _ in users))
            text = memo.get(key)
            if text is None:
                text = memo[key] = _adjoint_text(g, n, adjoints, out, p, size)
            texts[("adjoint", n)] = text
        if style.tangents and wrt is not None and n in tangents:
            key = ("t", n, id(tangents[n]), wrt)
            text = memo.get(key)
            if text is None:
                text = memo[key] = (f"∂{pretty(g.label(n))}/∂{pretty(wrt)} = "
                                    f"{format_value(tangents[n], p, size)}")
            texts[("tangent", n)] = text
    for edge in shown_edges:
        if edge in locals_:
            local = locals_[edge]
            key = ("l", edge, id(local))
            text = memo.get(key)
            if text is None:
                text = memo[key] = "= " + format_local(local, p)
            texts[("local", *edge)] = text
        else:
            texts[("local", *edge)] = ""
    if step is None:
        return Annotations(texts, frozenset(unknown), frozenset(), frozenset())
    return Annotations(texts, frozenset(unknown), frozenset(step.focus_nodes),
                       frozenset(tuple(e) for e in step.focus_edges), step.title, step.text,
                       _main_node(step))


#: Step kinds whose first focus node is the one node the step computes.
_SINGLE_NODE_KINDS = ("value", "local", "seed", "adjoint", "tangent")


def _main_node(step: Step) -> int | None:
    if step.focus_nodes and getattr(step, "kind", "") in _SINGLE_NODE_KINDS:
        return step.focus_nodes[0]
    return None


def _value_text(g: Graph, node: int, value: Any, precision: int, size: int) -> str:
    text = format_value(value, precision, size)
    if g.op(node) == "input":
        return f"= {text}"
    return text


def _adjoint_text(g: Graph, node: int, adjoints: Mapping[int, Any], out: str,
                  precision: int, size: int) -> str:
    name = f"∂{out}/∂{pretty(g.label(node))}"
    total = format_value(adjoints[node], precision, size)
    users = g.users[node]
    if len(users) >= 2 and np.ndim(adjoints[node]) == 0 and all(h in adjoints for h, _ in users):
        # a sum of the contributions of the node's users: why the order is topological
        try:
            terms = [float(adjoints[h]) * float(g.local(h, q)) for h, q in users]
        except TypeError:
            return f"{name} = {total}"
        parts = " + ".join(_number(t, precision) for t in terms).replace("+ -", "- ")
        return f"{name} = {parts} = {total}"
    return f"{name} = {total}"


def caption(title: str, text: str, width: int = 90) -> list[str]:
    """The caption lines of a step: its title, then its sentence wrapped at ``width``
    (in Unicode math: ``u3`` is written ``u₃``).

    >>> caption("Path 1 of 2", "u3 <- x: 1.5")
    ['Path 1 of 2', 'u₃ <- x: 1.5']
    """
    lines = [pretty(title)] if title else []
    for paragraph in pretty(str(text)).splitlines():
        lines.extend(textwrap.wrap(paragraph, width) or [""])
    return lines


# --- DOT ---------------------------------------------------------------------------------

def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _row(text: str, color: str | None = None, size: float | None = None, bold: bool = False) -> str:
    body = _esc(text)
    if bold:
        body = f"<b>{body}</b>"
    attrs = ""
    if color:
        attrs += f' color="{color}"'
    if size:
        attrs += f' point-size="{size:g}"'
    if attrs:
        body = f"<font{attrs}>{body}</font>"
    return f"<tr><td>{body}</td></tr>"


def _title_row(label: str, definition: str) -> str:
    if definition:
        return f"<tr><td><b>{_esc(label)}\u00a0=\u00a0{_esc(definition)}</b></td></tr>"
    return f"<tr><td><b>{_esc(label)}</b></td></tr>"


_TABLE = '<table border="0" cellborder="0" cellspacing="0" cellpadding="1"{bg}>{rows}</table>'


def node_label(g: Graph, node: int, texts: Mapping[Slot, str], style: Style,
               unknown: frozenset = frozenset()) -> str:
    """The HTML-like label of a node, with the given slot texts (a slot absent from
    ``texts`` has no row)."""
    label, definition = _title(g, node)
    rows = [_title_row(label, definition)]
    if style.expressions:
        expr = _expression_row(g, node, definition)
        if expr:
            rows.append(_row(expr, EXPR_COLOR, style.fontsize - 3))
    for kind, color in (("value", None), ("adjoint", ADJOINT_COLOR), ("tangent", TANGENT_COLOR)):
        slot = (kind, node)
        if slot in texts:
            if slot in unknown:
                color = UNKNOWN_COLOR
            rows.append(_row(texts[slot], color))
    return "<" + _TABLE.format(bg="", rows="".join(rows)) + ">"


def edge_label(g: Graph, tail: int, head: int, pos: int, texts: Mapping[Slot, str],
               style: Style) -> str | None:
    """The HTML-like label of an edge (formula, then value), or None for no label."""
    slot = ("local", tail, head, pos)
    if slot not in texts:
        return None
    rows = _row(_edge_formula(g, tail, head, pos, style), size=style.fontsize - 2)
    rows += _row(texts[slot], size=style.fontsize - 2)
    return "<" + _TABLE.format(bg=' bgcolor="white"', rows=rows) + ">"


def node_id(node: int) -> str:
    return f"n{node}"


def edge_id(tail: int, head: int, pos: int) -> str:
    return f"e{tail}_{head}_{pos}"


def _look_attrs(look: Look) -> dict[str, str]:
    return {"fillcolor": look.fill, "color": look.stroke, "penwidth": f"{look.penwidth:g}",
            "fontcolor": look.fontcolor}


def _edge_attrs(look: Look) -> dict[str, str]:
    return {"color": look.stroke, "penwidth": f"{look.penwidth:g}", "fontcolor": look.fontcolor}


def build_digraph(g: Graph, texts: Mapping[Slot, str], style: Style, unknown: frozenset = frozenset(),
                  focus_nodes: frozenset = frozenset(), focus_edges: frozenset = frozenset(),
                  lines: list[str] | None = None, main_node: int | None = None) -> graphviz.Digraph:
    """The Digraph with explicit slot texts (used by :func:`to_digraph` and the frames)."""
    dot = graphviz.Digraph("graphstep")
    dot.attr(rankdir=style.direction, bgcolor="white", nodesep="0.3", ranksep="0.45",
             fontname=style.fontname, fontsize=f"{style.fontsize:g}", pad="0.15")
    dot.attr("node", shape="box", style="rounded,filled", fontname=style.fontname,
             fontsize=f"{style.fontsize:g}", margin="0.12,0.06")
    dot.attr("edge", fontname=style.fontname, fontsize=f"{style.fontsize - 2:g}", arrowsize="0.8")
    for n in range(len(g)):
        kind = "main" if n == main_node else "focus" if n in focus_nodes else node_kind(g, n)
        dot.node(node_id(n), label=node_label(g, n, texts, style, unknown), id=node_id(n),
                 **_look_attrs(style.look(kind)))
    for t, h, q in g.edges():
        if (t, h, q) in focus_edges:
            kind = "focus-edge"
        else:
            kind = "edge" if g.active[t] else "inactive"
        attrs = _edge_attrs(style.look(kind))
        label = edge_label(g, t, h, q, texts, style)
        if label is not None:
            attrs["label"] = label
        dot.edge(node_id(t), node_id(h), id=edge_id(t, h, q), **attrs)
    if lines:
        dot.attr(label="\n".join(line.replace("\\", "\\\\") for line in lines) + "\n",
                 labelloc="b", labeljust="c")
    return dot


def to_digraph(g: Graph, step: Step | None = None, style: Style | None = None) -> graphviz.Digraph:
    """The picture of ``g`` (at ``step``, if given) as a ``graphviz.Digraph``; runs nothing.

    Highlighted nodes and edges get the ``focus`` looks; the caption is the step's
    title and sentence.

    >>> import graphstep as gs
    >>> g = gs.parse("sin(x)", x=0.5)
    >>> d = to_digraph(g, style=Style(direction="BT"))
    >>> "rankdir=BT" in d.source
    True
    """
    if not isinstance(g, Graph):
        raise InputError(f"to_digraph needs a Graph, got {type(g).__name__}")
    style = style or Style()
    a = annotations(g, step, style)
    lines = caption(a.title, a.text) if step is not None else None
    return build_digraph(g, a.texts, style, a.unknown, a.focus_nodes, a.focus_edges, lines,
                         a.main_node)


def to_dot(g: Graph, step: Step | None = None, style: Style | None = None) -> str:
    """The DOT source of :func:`to_digraph` (a pure function).

    >>> import graphstep as gs
    >>> to_dot(gs.parse("2*x", x=1.0)).startswith("digraph")
    True
    """
    return to_digraph(g, step, style).source


# --- rendering through the backend --------------------------------------------------------

def _is_stepper(obj: Any) -> bool:
    return all(hasattr(obj, name) for name in ("graph", "steps", "current"))


def _target(target: Any) -> tuple[Graph, Step | None, Any]:
    """(graph, step, stepper or None) of a render target."""
    if isinstance(target, Graph):
        return target, None, None
    if isinstance(target, tuple) and len(target) == 2 and isinstance(target[0], Graph):
        if target[1] is not None and not isinstance(target[1], Step):
            raise InputError(f"a (Graph, Step) pair needs a Step, got {type(target[1]).__name__}")
        return target[0], target[1], None
    if _is_stepper(target):
        return target.graph, target.current, target
    raise InputError(
        f"render needs a Graph, a stepper or a (Graph, Step) pair, got {type(target).__name__}")


_FORMATS = {".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot", ".pdf": "pdf"}


def render(target: Any, path: str | os.PathLike, style: Style | None = None,
           scale: float | None = None, direction: str | None = None) -> Path:
    """Draw a graph, a stepper's current step or a ``(Graph, Step)`` pair to ``path``.

    The format comes from the suffix: ``.svg``, ``.png``, ``.dot``/``.gv``, and
    ``.pdf`` where the backend can (system Graphviz). A stepper's picture is its
    frame of the shared layout (see :func:`graphstep.export.svg.frames`). When no Graphviz
    executable is found a :class:`~graphstep.errors.RenderError` says how to install
    one, and the DOT source is still written next to ``path``. ``direction`` (``"LR"``,
    ``"BT"``, ``"TB"``, ``"RL"``, or ``"auto"``/None for the style's) sets the layout
    direction, as :class:`Style`'s ``direction`` and the CLI's ``--direction`` do.
    The file is replaced only once complete (see :mod:`graphstep.export.files`).

    >>> import graphstep as gs, tempfile, os
    >>> out = render(gs.parse("x^2", x=3.0), os.path.join(tempfile.mkdtemp(), "g.dot"), direction="BT")
    >>> text = out.read_text()
    >>> text.startswith("digraph"), "rankdir=BT" in text
    (True, True)
    """
    from graphstep import backend
    from graphstep.export.files import atomic_write, output_path

    path = output_path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise RenderError(
            f"cannot tell the picture format of {str(path)!r}: use one of "
            f"{', '.join(sorted(_FORMATS))}")
    g, step, stepper = _target(target)
    style = with_direction(style or Style(), direction)
    if fmt == "dot":
        return atomic_write(path, to_dot(g, step, style))
    if stepper is not None and fmt in ("svg", "png"):
        from graphstep.export.svg import frame_svg

        try:
            svg = frame_svg(stepper, style=style)
        except RenderError as error:
            beside = backend.write_dot_beside(path, to_dot(g, step, style))
            raise RenderError(f"{error} (the DOT source is in {beside})") from None
        return backend.write_svg(svg, path, fmt, scale=scale)
    return backend.render_dot(to_dot(g, step, style), path, fmt, scale=scale)


def with_direction(style: Style, direction: str | None) -> Style:
    """``style`` with layout ``direction`` (None or ``"auto"``: unchanged); checked as Style does.

    >>> with_direction(Style(), "TB").direction, with_direction(Style(direction="BT"), "auto").direction
    ('TB', 'BT')
    """
    if direction is None or direction == "auto":
        return style
    if not isinstance(direction, str) or direction not in _DIRECTIONS:
        raise InputError(f"direction must be one of auto, {', '.join(_DIRECTIONS)}, got {direction!r}")
    return dataclasses.replace(style, direction=direction)


# --- Jupyter -----------------------------------------------------------------------------

def _svg_only(svg_only: bool | None) -> bool:
    if svg_only is not None:
        return svg_only
    env = os.environ.get("GRAPHSTEP_SVG_ONLY", "").strip().lower()
    return JUPYTER_SVG_ONLY or env in ("1", "true", "yes", "on")


def mimebundle(obj: Any, svg_only: bool | None = None, style: Style | None = None,
               include: Any = None, exclude: Any = None) -> dict[str, Any]:
    """What Jupyter shows for a Graph, a Step or a stepper (``_repr_mimebundle_``).

    A Graph, or one Step of a stepper, gives ``image/svg+xml`` and ``text/plain``. A
    stepper gives ``text/html`` (the step player), ``image/svg+xml`` (its current step)
    and ``text/plain``; with
    ``svg_only`` (default: :data:`JUPYTER_SVG_ONLY` or ``GRAPHSTEP_SVG_ONLY=1``) the
    player is left out, for viewers that drop scripts. When no picture can be drawn
    (no Graphviz executable), the bundle is the text alone, saying why.

    ``include`` and ``exclude`` work as in the ``graphviz`` package: ``include`` (an
    iterable of mimetypes) replaces the default set, ``image/png`` may be asked for
    too, and ``exclude`` removes mimetypes (it wins over ``include``); only what is
    asked for is drawn.

    >>> import graphstep as gs
    >>> sorted(mimebundle(gs.parse("sin(x)", x=0.5)))
    ['image/svg+xml', 'text/plain']
    >>> sorted(mimebundle(gs.steps(gs.parse("sin(x)", x=0.5), "reverse")))
    ['image/svg+xml', 'text/html', 'text/plain']
    >>> sorted(mimebundle(gs.steps(gs.parse("sin(x)", x=0.5), "reverse").current))
    ['image/svg+xml', 'text/plain']
    >>> g = gs.parse("sin(x)", x=0.5)
    >>> sorted(mimebundle(g, include=["image/png", "text/plain"], exclude=["text/plain"]))
    ['image/png']
    >>> mimebundle(g, include=[])
    {}
    """
    from graphstep import backend

    if isinstance(obj, Graph) or (isinstance(obj, Step) and obj.graph is not None):
        stepper, default = None, {"image/svg+xml", "text/plain"}
    elif _is_stepper(obj):
        stepper, default = obj, {"image/svg+xml", "text/plain"}
        if not _svg_only(svg_only):
            default.add("text/html")
    else:
        raise InputError(f"mimebundle needs a Graph, a Step or a stepper, got {type(obj).__name__}")
    wanted = set(default if include is None else include) - set(exclude or ())
    wanted &= {"image/svg+xml", "image/png", "text/plain"} | ({"text/html"} if stepper else set())
    text = str(obj) if stepper is not None else repr(obj)
    bundle: dict[str, Any] = {}
    try:
        if wanted & {"image/svg+xml", "image/png"}:
            if stepper is not None:
                from graphstep.export.svg import frame_svg

                svg = frame_svg(stepper, style=style)
            else:
                graph, step = (obj, None) if isinstance(obj, Graph) else (obj.graph, obj)
                raw = backend.run_dot(to_dot(graph, step, style), "svg").decode("utf-8")
                svg = backend.clean_svg(raw, style or Style())
            if "image/svg+xml" in wanted:
                bundle["image/svg+xml"] = svg
            if "image/png" in wanted:
                bundle["image/png"] = backend.svg_to_png(svg)
        if "text/html" in wanted:
            from graphstep.export.svg import player_html

            bundle["text/html"] = player_html(stepper, style=style)
    except GraphstepError as error:  # no executable, a raster too large: say so in the text
        return {"text/plain": f"{text}\n(no picture: {error})"} if "text/plain" in wanted else {}
    if "text/plain" in wanted:
        bundle["text/plain"] = text
    return {key: bundle[key] for key in sorted(bundle)}
