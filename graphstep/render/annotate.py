"""What a picture of a step shows: the texts of its nodes and edges, its highlights and
its caption (:func:`annotations`, :func:`caption`).

The same :class:`Annotations` drive a DOT picture (:mod:`graphstep.render.dot`) and the
frames of the HTML player and the animations (:mod:`graphstep.export.svg`), so a DOT
picture of a step shows what the frame of that step shows. Every node shows its label
and what it computes (``u₂ = exp(u₁)``), the sub-expression, its value, and, once a
step has computed them, its adjoint (``∂u₃/∂u₂``) and tangent (``∂u₂/∂x``). Every edge
from an active node shows its local derivative as a formula and a value (for tensors:
the Jacobian's structure and size, ``20×20 diagonal``).

>>> import graphstep as gs
>>> g = gs.parse("x * exp(x^2)", x=1.5)
>>> node_title(g, 3), annotations(g).texts[("value", 3)]
(('u₂', 'exp(u₁)'), '9.488')
"""

from __future__ import annotations

import textwrap
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from operator import is_
from typing import Any

import numpy as np

from graphstep.algorithms.reverse import adjoints as compute_adjoints
from graphstep.graph import Graph
from graphstep.ops.composite import FOLDED
from graphstep.ops.table import CONST, INPUT, format_op
from graphstep.render.style import LookKind, Style
from graphstep.steps.model import Step
from graphstep.text import ellipsize, format_local, format_value, number, pretty

__all__ = [
    "Slot",
    "Annotations",
    "annotations",
    "caption",
    "node_kind",
    "node_title",
    "expression_text",
    "edge_formula_text",
]


def node_kind(g: Graph, node: int) -> LookKind:
    """The row of the style table of a node: input, const, output or op.

    Parameters
    ----------
    g : Graph
    node : int

    Returns
    -------
    LookKind
        Equal to its public string (``"input"``, ``"const"``, ``"output"``, ``"op"``).

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("2 * x", x=1.0)
    >>> [str(node_kind(g, n)) for n in range(len(g))]
    ['const', 'input', 'output']
    """
    op = g.op(node)
    if op == INPUT:
        return LookKind.INPUT
    if op == CONST:
        return LookKind.CONST
    return LookKind.OUTPUT if node == g.output else LookKind.OP


def _through_broadcast(g: Graph, node: int) -> str:
    """A node's label; a broadcast constant is written as the constant (``x²``, not ``x^u₁``)."""
    if g.op(node) == "broadcast":
        (arg,) = g.args(node)
        if g.op(arg) == CONST:
            return g.label(arg)
    return g.label(node)


#: Per graph (a Graph never changes): node -> its title, read several times by each picture.
_TITLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def node_title(g: Graph, node: int) -> tuple[str, str]:
    """(label, definition) of a node in Unicode math; the definition is empty for leaves
    and cut at 40 characters.

    Parameters
    ----------
    g : Graph
    node : int

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> import graphstep as gs
    >>> node_title(gs.parse("exp(x)", x=1.0), 1)
    ('u₁', 'exp(x)')
    """
    titles = _TITLES.get(g)
    if titles is None:
        titles = _TITLES[g] = {}
    title = titles.get(node)
    if title is None:
        title = titles[node] = _title(g, node)
    return title


def _title(g: Graph, node: int) -> tuple[str, str]:
    label = pretty(g.label(node))
    op = g.op(node)
    if op in (INPUT, CONST):
        folded = g.params(node).get(FOLDED)  # a leaf standing for a folded sub-graph (gs.focus)
        return label, (f"⋯ {folded} nodes folded" if folded else "")
    args = [_through_broadcast(g, a) for a in g.args(node)]
    if op == "broadcast":
        text = f"broadcast({args[0]})"
    else:
        text = format_op(op, args, [6] * len(args), g.params(node))
    return label, ellipsize(pretty(text), 40)


def expression_text(g: Graph, node: int, definition: str) -> str:
    """The sub-expression a node stands for (cut at 48 characters), or ``""`` for a leaf
    or when it says no more than the ``definition``.

    Parameters
    ----------
    g : Graph
    node : int
    definition : str
        The node's definition, as :func:`node_title` writes it.

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("exp(x^2)", x=1.0)
    >>> expression_text(g, 3, node_title(g, 3)[1])
    'exp(x²)'
    """
    if g.op(node) in (INPUT, CONST):
        return ""
    expr = ellipsize(pretty(g.expr(node)), 48)
    return "" if expr == definition else expr


def edge_formula_text(g: Graph, tail: int, head: int, pos: int, style: Style) -> str:
    """An edge's local derivative as a formula, named (``∂u₂/∂u₁ = exp(u₁)``) when
    ``style.edge_names``.

    Parameters
    ----------
    g : Graph
    tail, head, pos : int
        The edge: ``tail`` is argument ``pos`` of ``head``.
    style : Style

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("exp(x)", x=1.0)
    >>> edge_formula_text(g, 0, 1, 0, Style()), edge_formula_text(g, 0, 1, 0, Style(edge_names=False))
    ('∂u₁/∂x = exp(x)', 'exp(x)')
    """
    formula = pretty(g.edge_formula(head, pos))
    if style.edge_names:
        name = f"∂{pretty(g.label(head))}/∂{pretty(g.label(tail))}"
        return f"{name} = {formula}"
    return formula


#: A text slot of a picture: ``("value", n)``, ``("adjoint", n)``, ``("tangent", n)`` or
#: ``("local", tail, head, pos)``.
Slot = tuple


@dataclass(frozen=True)
class Annotations:
    """Everything that changes from one step's picture to the next.

    ``texts`` maps a slot (``("value", n)``, ``("adjoint", n)``, ``("tangent", n)``,
    ``("local", tail, head, pos)``) to its text (``""`` when unknown at this step);
    ``unknown`` are the value slots shown as ``?``; ``focus_nodes`` and
    ``focus_edges`` are highlighted, ``main_node`` (the node the step computes, if
    any) most strongly; ``title`` and ``text`` make the caption.

    Parameters
    ----------
    texts : Mapping
        A slot (``("value", n)``, ``("adjoint", n)``, ``("tangent", n)``,
        ``("local", tail, head, pos)``) to its text (``""`` when unknown at this step).
    unknown : frozenset
        The value slots shown as ``?``.
    focus_nodes, focus_edges : frozenset
        The highlighted nodes and edges.
    title, text : str
        The caption.
    main_node : int or None
        The node the step computes, highlighted most strongly.

    Examples
    --------
    >>> import graphstep as gs
    >>> a = annotations(gs.parse("sin(x)", x=0.0))
    >>> a.texts[("value", 0)], a.texts[("local", 0, 1, 0)], a.unknown, a.main_node
    ('= 0', '= 1', frozenset(), None)
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

    Parameters
    ----------
    g : Graph
    step : Step, optional
        Without a step: every value and local derivative (and with ``style.grad`` every
        adjoint), no highlight, no caption.
    style : Style, optional
        Which annotations to show, and the digits of numbers.
    cache : dict, optional
        Remembers formatted numbers between calls on the steps of one stepper, whose
        steps share their value objects.

    Returns
    -------
    Annotations

    Examples
    --------
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
            adjoints = {n: a for n, a in enumerate(compute_adjoints(g)) if a is not None}
        tangents: Mapping[int, Any] = {}
        wrt = None
    else:  # plain dicts: one lookup per known entry, fast membership tests after
        values = {n: step.values[n] for n in step.values}
        locals_ = {e: step.local_derivatives[e] for e in step.local_derivatives}
        adjoints = {n: step.adjoints[n] for n in step.adjoints}
        tangents = {n: step.tangents[n] for n in step.tangents}
        wrt = step.wrt
    fixed = memo.get("fixed")
    if fixed is None:  # what does not depend on the step
        fixed = memo["fixed"] = (
            [(n, g.op(n), _value_text(g, n, g.value_of(n), p, size)
              if g.op(n) in (INPUT, CONST) else None) for n in range(len(g))],
            [e for e in g.edges() if _edge_shown(g, e[0], style)],
        )
    nodes, shown_edges = fixed
    for n, op, leaf_text in nodes:
        if style.values:
            if op != CONST and n in values:
                value = values[n]
                seen = memo.get(("v", n))  # the same array as the last step shows: no formatting
                if seen is None or seen[0] is not value:
                    seen = memo[("v", n)] = (value, _value_text(g, n, value, p, size))
                texts[("value", n)] = seen[1]
            elif leaf_text is None:
                texts[("value", n)] = "?"
                unknown.add(("value", n))
            elif leaf_text != pretty(g.label(n)):  # a constant's label is usually its value
                texts[("value", n)] = leaf_text
        if style.adjoints and n in adjoints:
            users = g.users[n]
            shown = (adjoints[n],) if len(users) < 2 else \
                (adjoints[n], *(adjoints.get(h) for _, h, _ in users))
            texts[("adjoint", n)] = _remembered(memo, ("a", n), shown,
                                                _adjoint_text, g, n, adjoints, out, p, size)
        if style.tangents and wrt is not None and n in tangents:
            texts[("tangent", n)] = _remembered(memo, ("t", n, wrt), (tangents[n],),
                                                _tangent_text, g, n, tangents[n], wrt, p, size)
    for edge in shown_edges:
        if edge in locals_:
            local = locals_[edge]
            seen = memo.get(("l", edge))
            if seen is None or seen[0] is not local:
                seen = memo[("l", edge)] = (local, "= " + format_local(local, p))
            texts[("local", *edge)] = seen[1]
        else:
            texts[("local", *edge)] = ""
    if step is None:
        return Annotations(texts, frozenset(unknown), frozenset(), frozenset())
    return Annotations(texts, frozenset(unknown), frozenset(step.focus_nodes),
                       frozenset(tuple(e) for e in step.focus_edges), step.title, step.text,
                       step.main_node)


def _value_text(g: Graph, node: int, value: Any, precision: int, size: int) -> str:
    text = format_value(value, precision, size)
    if g.op(node) == INPUT:
        return f"= {text}"
    return text


def _adjoint_text(g: Graph, node: int, adjoints: Mapping[int, Any], out: str,
                  precision: int, size: int) -> str:
    name = f"∂{out}/∂{pretty(g.label(node))}"
    total = format_value(adjoints[node], precision, size)
    users = g.users[node]
    if len(users) >= 2 and np.ndim(adjoints[node]) == 0 and all(h in adjoints for _, h, _ in users):
        # a sum of the contributions of the node's users: why the order is topological
        try:
            terms = [float(adjoints[h]) * float(g.local(h, q)) for _, h, q in users]
        except TypeError:
            return f"{name} = {total}"
        parts = " + ".join(number(t, precision) for t in terms).replace("+ -", "- ")
        return f"{name} = {parts} = {total}"
    return f"{name} = {total}"


def caption(title: str, text: str, width: int = 90) -> list[str]:
    """The caption lines of a step: its title, then its sentence wrapped at ``width``
    (in Unicode math: ``u3`` is written ``u₃``).

    Parameters
    ----------
    title, text : str
        The step's title and sentence.
    width : int

    Returns
    -------
    list of str

    Examples
    --------
    >>> caption("Path 1 of 2", "u3 <- x: 1.5")
    ['Path 1 of 2', 'u₃ <- x: 1.5']
    """
    lines = [pretty(title)] if title else []
    for paragraph in pretty(str(text)).splitlines():
        lines.extend(textwrap.wrap(paragraph, width) or [""])
    return lines


def _tangent_text(g: Graph, n: int, tangent: Any, wrt: str, precision: int, size: int) -> str:
    return f"∂{pretty(g.label(n))}/∂{pretty(wrt)} = {format_value(tangent, precision, size)}"


def _remembered(memo: dict, key: tuple, objects: tuple, make: Any, *args: Any) -> str:
    """The text ``make(*args)`` gives for ``objects``, made once while the same objects are shown.

    The memo keeps the objects it was made for and compares them by identity, so a step
    that shows the same array as the previous one costs no formatting, and a different
    object (even one at a reused address) is formatted anew.
    """
    seen = memo.get(key)
    if seen is not None:
        kept = seen[0]
        if len(kept) == len(objects) and all(map(is_, kept, objects)):
            return seen[1]
    text = make(*args)
    memo[key] = (objects, text)
    return text
