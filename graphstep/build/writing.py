"""Writing traced values as text: each op by its entry's template, parentheses where needed.

The functions read a traced value's ``op``, ``args``, ``params`` and ``text`` (a
:class:`~graphstep.build.trace.Var`); the templates and precedences come from the op table.

>>> import graphstep as gs
>>> x = gs.var("x", 2.0)
>>> expression_text(-(x + 1) ** 2 / x)
'-(x + 1)^2/x'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from graphstep.ops.table import ATOM, CONST, INPUT, OPS, format_op
from graphstep.text import shape_text

if TYPE_CHECKING:
    from graphstep.build.trace import Var

__all__ = ["describe", "precedence", "expression_text", "constant_text"]


def describe(v: Var, limit: int = 60) -> str:
    """A short text for ``v``: its name, its constant, or its expression.

    Parameters
    ----------
    v : Var
    limit : int
        Longest text; a longer expression is cut with ``…``.

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> x = gs.var("x", 1.0)
    >>> describe(x), describe(x * 2 + 1)
    ('x', 'x*2 + 1')
    """
    if v.text is not None:
        return v.text
    return expression_text(v, limit)


def precedence(v: Var) -> int:
    """How tightly ``v``'s text binds (higher: no parentheses needed around it).

    Parameters
    ----------
    v : Var

    Returns
    -------
    int
        :data:`~graphstep.ops.spec.ATOM` for names, numbers and broadcasts, else the op's
        ``precedence`` (3 for a negative number).

    Examples
    --------
    >>> import graphstep as gs
    >>> precedence(gs.var("x", 1.0)), precedence(gs.var("x", 1.0) + 1)
    (6, 1)
    """
    if v.op == INPUT or (v.op != CONST and OPS[v.op].transparent):
        return ATOM
    if v.op == CONST:
        return 3 if (v.text or "").startswith("-") else ATOM
    return OPS[v.op].precedence


def expression_text(root: Var, limit: int = 60) -> str:
    """The expression ``root`` computes, written out with the op table's templates.

    Parameters
    ----------
    root : Var
    limit : int
        Longest text of each sub-expression; longer ones are cut with ``…``.

    Returns
    -------
    str

    Examples
    --------
    >>> import graphstep as gs
    >>> x = gs.var("x", 1.0)
    >>> expression_text((x + 1) * gs.exp(-x) ** 2)
    '(x + 1)*exp(-x)^2'
    """
    texts: dict[int, str] = {}
    stack = [(root, False)]
    while stack:
        v, ready = stack.pop()
        if v.id in texts:
            continue
        if v.text is not None:
            texts[v.id] = v.text
            continue
        if not ready:
            stack.append((v, True))
            stack.extend((a, False) for a in v.args if a.id not in texts)
            continue
        args = [texts[a.id] for a in v.args]
        if OPS[v.op].transparent:
            text = args[0]
        else:
            text = format_op(v.op, args, [precedence(a) for a in v.args], v.params)
        texts[v.id] = text if len(text) <= limit else text[: limit - 1] + "…"
    return texts[root.id]


def constant_text(value: Any) -> str:
    """How a constant is written: ``2``, ``[1, 2]``, ``0`` for an array of zeros, ``const 3x2``.

    Parameters
    ----------
    value : float or numpy.ndarray
        The constant's value.

    Returns
    -------
    str

    Examples
    --------
    >>> constant_text(2.0), constant_text(np.array([1.0, 2.0])), constant_text(np.zeros((3, 2)))
    ('2', '[1, 2]', '0')
    >>> constant_text(np.arange(6.0).reshape(3, 2))
    'const 3×2'
    """
    if isinstance(value, np.ndarray):
        if value.size <= 4 and value.ndim == 1:
            return "[" + ", ".join(f"{x:g}" for x in value) + "]"
        if value.size and np.all(value == value.flat[0]):
            return f"{value.flat[0]:g}"
        return f"const {shape_text(value.shape)}"
    return f"{value:g}"
