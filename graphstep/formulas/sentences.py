"""Dimension analysis in words: one sentence per edge explaining its adjoint rule (seeds 000, 001).

For a tensor edge: what the derivative is "as scalars", the shapes of the pieces, and
the arrangement that makes the shapes match, e.g. ``as scalars ∂u1/∂W = X; G_u1 is 4x2
and X is 4x3, so G_W = Xᵀ G_u1 (3x4 times 4x2), 3x2 like W``. Each structural op's
sentence is part of its entry in :mod:`graphstep.ops.table` (``OpSpec.sentence``),
filled in from :class:`SentenceParts`; elementwise ops share one sentence.

>>> import numpy as np, graphstep as gs
>>> g = gs.parse("sum(X @ W)", X=np.ones((4, 3)), W=np.ones((3, 2)))
>>> print(adjoint_sentence(g, 2, 1))
u1 = X @ W. As scalars ∂u1/∂W = X; G_u1 is 4×2 and X is 4×3, so G_W = Xᵀ G_u1 (3×4 times 4×2), 3×2 like W.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphstep.errors import InputError
from graphstep.formulas.names import adjoint_name, check_notation
from graphstep.formulas.rules import adjoint_rule, definition
from graphstep.graph import Graph
from graphstep.ops.jacobians import Jacobian, Scale
from graphstep.ops.table import CONST, OPS
from graphstep.text import shape_text

__all__ = ["SentenceParts", "adjoint_sentence", "adjoint_sentences"]


@dataclass(frozen=True)
class SentenceParts:
    """The pieces an op's sentence is made of, for edge ``(head, pos)`` of a graph.

    Parameters
    ----------
    intro : str
        The forward step (``u1 = X @ W.``).
    h, t : str
        The head's and the tail's labels.
    Gh, Gt : str
        Their adjoints' names.
    rule : str
        The adjoint rule as text.
    like : str
        The closing ``3x2 like W``.
    pos : int
        The argument the edge comes from.
    labels : tuple of str
        The arguments' labels.
    shapes : tuple of tuple of int
        The arguments' shapes.
    out_shape, tail_shape : tuple of int
    params : dict
        The op's parameters.
    local : float or Jacobian
        The edge's local derivative.
    formula : str
        Its formula.

    Examples
    --------
    >>> from graphstep.ops.structural import extreme_sentence
    >>> parts = SentenceParts(intro="u1 = max(v).", h="u1", t="v", Gh="G_u1", Gt="G_v",
    ...                       rule="G_u1·onehot(argmax v)", like="(2,) like v", pos=0, labels=("v",),
    ...                       shapes=((2,),), out_shape=(), tail_shape=(2,), params={}, local=None,
    ...                       formula="")
    >>> print(extreme_sentence("largest")(parts))  # doctest: +NORMALIZE_WHITESPACE
    u1 = max(v). Only the largest entry counts: as scalars ∂u1/∂v = 1 there and 0 elsewhere,
    so G_v = G_u1·onehot(argmax v), (2,) like v.
    """

    intro: str
    h: str
    t: str
    Gh: str
    Gt: str
    rule: str
    like: str
    pos: int
    labels: tuple[str, ...]
    shapes: tuple[tuple[int, ...], ...]
    out_shape: tuple[int, ...]
    tail_shape: tuple[int, ...]
    params: Any
    local: Any
    formula: str


def _elementwise_sentence(s: SentenceParts) -> str:
    if isinstance(s.local, Scale):
        return (f"{s.intro} As scalars ∂{s.h}/∂{s.t} = {s.local.c:g}, the same for every entry, "
                f"so {s.Gt} = {s.rule}, {s.like}.")
    return (f"{s.intro} It acts entry by entry, so its Jacobian {s.local.formula} is diagonal: "
            f"as scalars ∂{s.h}/∂{s.t} = {s.formula}, and {s.Gt} = {s.rule} is an "
            f"elementwise product, {s.like}.")


def _wrap(text: str) -> str:
    bracketed = text.startswith("[") and text.endswith("]") and text.count("[") == 1
    return f"({text})" if (" " in text or text.startswith("-")) and not bracketed else text


def _scalar_sentence(g: Graph, head: int, pos: int, notation: str) -> str:
    tail = g.args(head)[pos]
    h, t = g.label(head), g.label(tail)
    Gh, Gt = adjoint_name(h, notation), adjoint_name(t, notation)
    local = g.local(head, pos)
    formula = g.formula(head, pos)
    value = float(local) if not isinstance(local, Jacobian) else float(local.vjp(1.0))
    shown = formula if formula == f"{value:g}" else f"{formula} = {value:.4g}"
    text = f"{definition(g, head)}: ∂{h}/∂{t} = {shown}, so {Gt} gets {Gh}·{_wrap(formula)}"
    uses = len(g.users[tail])
    if uses > 1:
        text += f"; {t} has {uses} uses and {Gt} adds up their contributions"
    return text + "."


def adjoint_sentence(g: Graph, head: int, pos: int, notation: str = "G") -> str:
    """Explain the adjoint rule of edge ``(head, pos)`` by dimension analysis (seeds 000, 001).

    Parameters
    ----------
    g : Graph
    head, pos : int
        The edge: argument ``pos`` of node ``head``.
    notation : {"G", "bar"}
        Write adjoints as ``G_u1`` or as ``ū1``.

    Returns
    -------
    str
        For a tensor edge, the derivative "as scalars", the shapes, and the arrangement
        that makes them match; for a scalar edge, the local derivative's formula and value.

    Raises
    ------
    InputError
        When ``head`` has no argument ``pos`` or ``notation`` is unknown.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("sum(X @ W + b)", X=np.ones((4, 3)), W=np.ones((3, 2)), b=np.zeros(2))
    >>> print(adjoint_sentence(g, 4, 0))  # doctest: +NORMALIZE_WHITESPACE
    b (2,) is broadcast to 4×2, so each entry of b is used 4 times; as scalars ∂u2/∂b = 1,
    and the uses add up: G_b = 1_4ᵀ G_u2 (1×4 times 4×2), (2,) like b.
    >>> print(adjoint_sentence(gs.parse("sin(x) * y", x=0.5, y=2.0), 1, 0))
    u1 = sin(x): ∂u1/∂x = cos(x) = 0.8776, so G_x gets G_u1·cos(x).
    >>> print(adjoint_sentence(gs.parse("sin(x) * y", x=0.5, y=2.0), 1, 0, notation="bar"))
    u1 = sin(x): ∂u1/∂x = cos(x) = 0.8776, so x̄ gets ū1·cos(x).
    """
    check_notation(notation)
    args = g.args(head)
    if not 0 <= pos < len(args):
        raise InputError(f"node {g.label(head)} has no argument {pos}")
    tail = args[pos]
    shapes = tuple(g.shape_of(a) for a in args)
    if g.shape_of(head) == () and g.shape_of(tail) == () and all(s == () for s in shapes):
        return _scalar_sentence(g, head, pos, notation)
    t = g.label(tail)
    if g.op(tail) == CONST:
        return f"{t} is a constant: it takes no gradient."
    h = g.label(head)
    parts = SentenceParts(
        intro=definition(g, head) + ".", h=h, t=t, Gh=adjoint_name(h, notation),
        Gt=adjoint_name(t, notation), rule=adjoint_rule(g, head, pos).text(notation),
        like=f"{shape_text(g.shape_of(tail))} like {t}", pos=pos,
        labels=tuple(g.label(a) for a in args), shapes=shapes, out_shape=g.shape_of(head),
        tail_shape=g.shape_of(tail), params=g.params(head), local=g.local(head, pos),
        formula=g.formula(head, pos))
    spec = OPS[g.op(head)]
    if spec.sentence is not None:
        return spec.sentence(parts)
    if spec.elementwise:
        return _elementwise_sentence(parts)
    return f"{parts.intro} {parts.Gt} = {parts.rule}, {parts.like}."


def adjoint_sentences(g: Graph, notation: str = "G") -> dict[tuple[int, int], str]:
    """Every edge's :func:`adjoint_sentence`, keyed ``(head, pos)``, output side first.

    Edges from constants are left out (they take no gradient).

    Parameters
    ----------
    g : Graph
    notation : {"G", "bar"}

    Returns
    -------
    dict
        ``{(head, pos): sentence}``.

    Examples
    --------
    >>> import graphstep as gs
    >>> sentences = adjoint_sentences(gs.parse("x * y", x=2.0, y=3.0))
    >>> sentences[(2, 1)]
    'u1 = x*y: ∂u1/∂y = x = 2, so G_y gets G_u1·x.'
    """
    result = {}
    for head in range(len(g) - 1, -1, -1):
        for pos, tail in enumerate(g.args(head)):
            if g.op(tail) != CONST:
                result[(head, pos)] = adjoint_sentence(g, head, pos, notation)
    return result
