"""The pieces of step sentences that only the stepper writes: factors, counts, tangent names.

Numbers, values, adjoint names and cut texts come from :mod:`graphstep.text`; the
sentences themselves are built in :mod:`graphstep.steps.build` and the node table in
:mod:`graphstep.steps.table`.

>>> factor(-2.0), parenthesize("1 - u2²"), prime("x"), count_word(3)
('(-2)', '(1 - u2²)', "x'", 'three')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from graphstep.graph import Graph
from graphstep.ops.jacobians import Jacobian
from graphstep.ops.table import ATOM, format_op
from graphstep.text import number, shape_text

__all__ = [
    "count_word", "factor", "is_scalar", "parenthesize", "prime", "full_stop", "unique", "verdict",
    "apply_op", "shape_of", "use_note",
]

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def count_word(k: int) -> str:
    """``k`` in words up to ten (``"two"``), in digits above.

    Parameters
    ----------
    k : int
        A count, 0 or more.

    Returns
    -------
    str

    Examples
    --------
    >>> count_word(2), count_word(12)
    ('two', '12')
    """
    return _WORDS[k] if k < len(_WORDS) else str(k)


def factor(v: Any) -> str:
    """A number as a factor in a product: negative numbers in parentheses.

    Parameters
    ----------
    v : float
        The number.

    Returns
    -------
    str

    Examples
    --------
    >>> factor(-2.0), factor(1.5)
    ('(-2)', '1.5')
    """
    text = number(v)
    return f"({text})" if text.startswith("-") else text


def is_scalar(v: Any) -> bool:
    """Whether ``v`` is a plain number (not ``None``, not a Jacobian, not an array).

    Parameters
    ----------
    v : object
        A value, a local derivative or None.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_scalar(2.0), is_scalar(None), is_scalar(np.ones(2))
    (True, False, False)
    """
    return v is not None and not isinstance(v, Jacobian) and np.ndim(v) == 0


def parenthesize(formula: str) -> str:
    """Parenthesise a formula that is not one factor (``1 - u2²``, ``-1``, ``Wᵀ ⊗ I_4``).

    Parameters
    ----------
    formula : str
        A formula as text.

    Returns
    -------
    str
        ``formula`` stripped, in parentheses unless it is one factor already.

    Examples
    --------
    >>> parenthesize("-1"), parenthesize("exp(u1)"), parenthesize("diag(u4·(1 - u4))")
    ('(-1)', 'exp(u1)', 'diag(u4·(1 - u4))')
    """
    f = formula.strip()
    if _enclosed(f, "(", ")") or _enclosed(f, "[", "]"):
        return f
    head = f.split("(", 1)[0]
    if head and head.replace("_", "").isalnum() and _enclosed(f[len(head):], "(", ")"):
        return f  # a call such as diag(u4·(1 - u4))
    if " " in f or "+" in f or f.startswith("-") or "−" in f:
        return f"({f})"
    return f


def _enclosed(text: str, open_: str, close: str) -> bool:
    """Whether the first character's bracket closes exactly at the last character."""
    if not (text.startswith(open_) and text.endswith(close)):
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == open_) - (ch == close)
        if depth == 0:
            return i == len(text) - 1
    return False


def prime(label: str) -> str:
    """The tangent's name: ``x'``, ``u1'``.

    Parameters
    ----------
    label : str
        A node's label.

    Returns
    -------
    str

    Examples
    --------
    >>> prime("u1")
    "u1'"
    """
    return label + "'"


def full_stop(text: str) -> str:
    """``text`` ending in a full stop (or the ``!``/``?`` it ends with).

    Parameters
    ----------
    text : str
        A sentence.

    Returns
    -------
    str

    Examples
    --------
    >>> full_stop("it sums over i "), full_stop("done.")
    ('it sums over i.', 'done.')
    """
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."


def unique(items: Iterable) -> tuple:
    """``items`` without repeats, in order of first appearance.

    Parameters
    ----------
    items : iterable
        Hashable items.

    Returns
    -------
    tuple

    Examples
    --------
    >>> unique([3, 1, 3, 2, 1])
    (3, 1, 2)
    """
    return tuple(dict.fromkeys(items))


def verdict(same: bool, diff: float) -> str:
    """How a step reports a comparison of two results.

    Parameters
    ----------
    same : bool
        Whether the two results agree.
    diff : float
        Their largest difference.

    Returns
    -------
    str

    Examples
    --------
    >>> verdict(True, 0.0), verdict(False, 0.25)
    ('they agree', 'they DIFFER (largest difference 0.25)')
    """
    return "they agree" if same else f"they DIFFER (largest difference {diff:.3g})"


# --- pieces that read the graph -----------------------------------------------------------


def _label_prec(text: str) -> int:
    return 3 if text.startswith("-") else ATOM


def apply_op(g: Graph, node: int, texts: list[str]) -> str:
    """``node``'s op written out with ``texts`` standing for its arguments.

    Parameters
    ----------
    g : Graph
        The graph.
    node : int
        A node of ``g``.
    texts : list of str
        What to write for each argument.

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("x * exp(x^2)", x=1.5)
    >>> apply_op(g, 4, ["x", "u2"]), apply_op(g, 2, ["1.5", "2"])
    ('x*u2', '1.5^2')
    """
    op = g.op(node)
    if op == "broadcast":
        return f"broadcast({texts[0]})"
    return format_op(op, texts, [_label_prec(t) for t in texts], g.params(node))


def shape_of(g: Graph, node: int) -> str:
    """``node``'s shape as text (``3x2``, ``(3,)``, ``scalar``).

    Parameters
    ----------
    g : Graph
        The graph.
    node : int
        A node of ``g``.

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> shape_of(gs.parse("sum(v)", v=[1.0, 2.0]), 0)
    '(2,)'
    """
    return shape_text(g.shape_of(node))


def use_note(g: Graph, tail: int, head: int, pos: int) -> str:
    """``(use 2 of 2 of x in u1: each use is its own edge)`` for repeated arguments, else ``""``.

    Parameters
    ----------
    g : Graph
        The graph.
    tail, head, pos : int
        The edge: argument ``pos`` of ``head`` is ``tail``.

    Returns
    -------
    str
        The note, with a leading space, or ``""`` when ``tail`` is used once by ``head``.

    Examples
    --------
    >>> import graphstep as gs
    >>> use_note(gs.parse("x * x", x=2.0), 0, 1, 1)
    ' (use 2 of 2 of x in u1: each use is its own edge)'
    """
    args = g.args(head)
    uses = [p for p, a in enumerate(args) if a == tail]
    if len(uses) < 2:
        return ""
    return (f" (use {uses.index(pos) + 1} of {len(uses)} of {g.label(tail)} in "
            f"{g.label(head)}: each use is its own edge)")
