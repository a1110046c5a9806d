"""Focus: only the nodes a gradient flows through, from some inputs to the output.

:func:`focus` keeps the nodes on a path from the chosen inputs to the output. Every
other node that feeds a kept node does not depend on the chosen inputs, so its value is
a constant as far as their derivatives go: it becomes one constant leaf, labelled like
the node it stands for and noting how many nodes it folds (``⋯ 12 other nodes``). The
derivatives with respect to the chosen inputs are therefore exactly those of the
original graph. Inputs that were not chosen become constants too.

With ``hide_constants=True`` the constant leaves written in the expression (``2`` in
``2*x``) are not drawn: the node that used one shows it inline (``u₁ = 2·x``) and its
edges' formulas read it as a number.

>>> import graphstep as gs
>>> g = gs.parse("x * sin(y) + exp(y)", x=2.0, y=0.5)
>>> v = focus(g, "x")
>>> v.inputs, len(g), len(v), gs.grad(v)["x"] == gs.grad(g)["x"]
(['x'], 6, 5, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphstep.build.trace import Var
from graphstep.errors import InputError
from graphstep.graph import Graph
from graphstep.ops.composite import COMPOSITE, FOLDED, composite_params
from graphstep.ops.spec import ATOM
from graphstep.ops.table import CONST, INPUT, OPS, format_op
from graphstep.views.view import View, copy_node, folded_leaf

__all__ = ["focus", "input_names", "ancestor_counts"]


def input_names(g: Graph, inputs: str | Iterable[str]) -> list[str]:
    """The chosen input names, checked: one name, names joined by commas, or a list of names.

    Parameters
    ----------
    g : Graph
    inputs : str or iterable of str

    Returns
    -------
    list of str

    Raises
    ------
    InputError
        For an unknown input (the message lists the inputs) or an empty choice.

    Examples
    --------
    >>> import graphstep as gs
    >>> input_names(gs.parse("x*y*z", x=1.0, y=1.0, z=1.0), "x, z")
    ['x', 'z']
    """
    names = inputs.split(",") if isinstance(inputs, str) else list(inputs)
    names = [str(name).strip() for name in names if str(name).strip()]
    if not names:
        raise InputError(f"focus needs at least one input name; the inputs are: {', '.join(g.inputs)}")
    for name in names:
        g.input_node(name)
    return names


def ancestor_counts(g: Graph, nodes: Iterable[int], within: list[bool]) -> dict[int, int]:
    """For each of ``nodes``, how many nodes it depends on (itself included) among ``within``.

    Parameters
    ----------
    g : Graph
    nodes : iterable of int
    within : list of bool
        By node id: the nodes that count (and through which the search goes).

    Returns
    -------
    dict
        ``{node: count}``.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sin(y) * exp(y)", y=1.0)
    >>> ancestor_counts(g, [g.output], [True] * len(g))
    {3: 4}
    """
    bits: dict[int, int] = {}
    result = {}
    wanted = set(nodes)
    for n in range(max(wanted, default=-1) + 1):
        if within[n]:
            mask = 1 << n
            for a in g.args(n):
                if within[a]:
                    mask |= bits[a]
            bits[n] = mask
    for n in wanted:
        result[n] = bits[n].bit_count()
    return result


def _written_constant(g: Graph, node: int) -> bool:
    """A constant of the expression (``2``), or one broadcast to a shape; not a folded leaf."""
    if g.op(node) == "broadcast":
        node = g.args(node)[0]
    return g.op(node) == CONST and not g.params(node).get(FOLDED)


def _inline(g: Graph, node: int, dropped: list[bool]) -> dict:
    """``node`` as a composite of its kept arguments, the dropped constants written inline."""
    op, args, params = g.op(node), g.args(node), dict(g.params(node))
    keep = [p for p, a in enumerate(args) if not dropped[a]]
    full = [g.value_of(a) for a in args]
    spec = OPS[op]

    def forward(values: tuple) -> Any:
        filled = list(full)
        for p, value in zip(keep, values):
            filled[p] = value
        return spec.forward(tuple(filled), params)

    def jacobian(pos: int, values: tuple, out: Any) -> Any:
        return g.local(node, keep[pos])  # at the graph's values, where every view is drawn

    texts = [g.label(g.args(a)[0] if g.op(a) == "broadcast" and dropped[a] else a) for a in args]
    definition = format_op(op, texts, [ATOM] * len(args), params)
    formulas = tuple(g.edge_formula(node, p) for p in keep)
    return {"forward": forward, "jacobian": jacobian, "definition": definition, "formulas": formulas}


def focus(g: Graph, inputs: str | Iterable[str], hide_constants: bool = False) -> View:
    """The part of ``g`` a gradient with respect to ``inputs`` flows through.

    Parameters
    ----------
    g : Graph
    inputs : str or iterable of str
        The inputs to keep: a name, names joined by commas, or a list.
    hide_constants : bool, optional
        Draw the expression's constants inline instead of as leaves.

    Returns
    -------
    View
        A graph whose inputs are ``inputs``; ``gs.grad`` of it equals ``gs.grad`` of
        ``g`` for each of them.

    Raises
    ------
    InputError
        For an unknown input.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("(x + 2) * (y*y + sin(y))", x=1.0, y=2.0)
    >>> v = focus(g, "x", hide_constants=True)
    >>> [v.label(n) for n in range(len(v))], v.note
    (['x', 'u1', 'u4', 'u5'], 'focus on x: 4 nodes folded into 1 leaf, 1 constant written inline')
    >>> gs.grad(v)["x"] == gs.grad(g)["x"]
    True
    """
    names = input_names(g, inputs)
    chosen = {g.input_node(name) for name in names}
    on = [False] * len(g)
    for n in range(len(g)):
        on[n] = n in chosen or any(on[a] for a in g.args(n))
    boundary = sorted({a for n in range(len(g)) if on[n] for a in g.args(n) if not on[a]})
    off = [not flag for flag in on]
    counts = ancestor_counts(g, boundary, off)
    dropped = [False] * len(g)
    if hide_constants:
        for a in boundary:
            dropped[a] = _written_constant(g, a)
    made: dict[int, Var] = {}
    inlined = 0
    for n in range(len(g)):
        if not on[n]:
            if n in counts and not dropped[n]:  # in node order, so the view keeps the order
                made[n] = folded_leaf(g.value_of(n), g.label(n),
                                      counts[n] if g.op(n) not in (INPUT, CONST) else 1)
            continue
        if any(dropped[a] for a in g.args(n)):
            pieces = _inline(g, n, dropped)
            args = tuple(made[a] for a in g.args(n) if not dropped[a])
            params = composite_params(pieces.pop("forward"), pieces.pop("jacobian"), g.label(n), **pieces)
            v = Var(COMPOSITE, args, g.value_of(n), params, name=g.label(n), text=g.expr(n))
            v.scope = g.scope(n)
            inlined += sum(dropped[a] for a in g.args(n))
        else:
            v = copy_node(g, n, tuple(made[a] for a in g.args(n)))
        made[n] = v
    shown = [a for a in boundary if g.op(a) not in (INPUT, CONST) and not dropped[a]]
    folded, leaves = sum(counts[a] for a in shown), len(shown)
    parts = [f"focus on {', '.join(names)}"]
    if leaves:
        parts.append(f"{folded:,} nodes folded into {leaves} " + ("leaves" if leaves > 1 else "leaf"))
    if inlined:
        parts.append(f"{inlined} constant{'s' * (inlined > 1)} written inline")
    return View(made[g.output], g, note=": ".join(parts[:2]) + "".join(f", {p}" for p in parts[2:]))
