"""The functions the elementwise entries of the op table point to, when a lambda would not do.

Forward computations, local derivatives (with autograd's conventions at awkward points),
formulas and matrix-form adjoint rules of ``pow``, ``log``, ``max(a, b)`` and
``min(a, b)``. The structural ops' rules are in :mod:`graphstep.ops.shapes` (shape
rules) and :mod:`graphstep.ops.structural` (Jacobians, adjoint rules, sentences); every
entry is in :mod:`graphstep.ops.table`.

>>> float(pow_forward((3.0, 2.0), {})), float(pow_base_local((3.0, 2.0), 9.0, {}))
(9.0, 6.0)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphstep.ops.spec import power_text

__all__ = [
    "TIE", "number_text", "wrap", "label_formula", "uniform_exponent", "pow_forward",
    "pow_base_local", "pow_exponent_local", "pow_base_formula", "pow_base_adjoint", "safe_log",
    "pick_local", "pick_formula", "pick_adjoint",
]

#: How a tie of ``max``/``min`` is resolved, as the formulas say it.
TIE = "tie: split evenly"
_OTHER = {"≥": "<", "≤": ">", ">": "<", "<": ">"}


def number_text(c: float) -> str:
    """A number as it appears in a formula: ``2``, ``0.5``.

    Parameters
    ----------
    c : float
        The number.

    Returns
    -------
    str
        ``c`` in the shortest of fixed or exponent form (``format(c, "g")``).

    Examples
    --------
    >>> number_text(2.0), number_text(0.5)
    ('2', '0.5')
    """
    return f"{c:g}"


def wrap(label: str) -> str:
    """Parenthesise a label that is not a single token (``-2`` or ``x+1``).

    Parameters
    ----------
    label : str
        A node's label or a number as text.

    Returns
    -------
    str
        ``label`` itself when it is a name or a number, ``(label)`` otherwise.

    Examples
    --------
    >>> wrap("u1"), wrap("x+1")
    ('u1', '(x+1)')
    """
    return label if label.replace("_", "").replace(".", "").isalnum() else f"({label})"


def label_formula(text: str):
    """A formula that is always ``text`` (``1`` for the derivative of ``a + b``).

    Parameters
    ----------
    text : str
        The formula.

    Returns
    -------
    callable
        ``(labels, consts, out_label, values) -> text``, the shape of an entry's ``formula``.

    Examples
    --------
    >>> label_formula("1")(("a", "b"), (None, None), "u1", None)
    '1'
    """
    return lambda labels, consts, out, values: text


# --- pow: d(x^y)/dx and d(x^y)/dy, exactly 0 where autograd has 0 ------------------------


def uniform_exponent(b: Any) -> float | None:
    """The exponent as one number when it is the same everywhere (``v**2`` broadcasts the 2).

    Parameters
    ----------
    b : float or array_like
        The exponent of ``x ** b``.

    Returns
    -------
    float or None
        The one value of every entry of ``b``; None when the entries differ or there are none.

    Examples
    --------
    >>> import numpy as np
    >>> uniform_exponent(2), uniform_exponent(np.array([2.0, 2.0])), uniform_exponent(np.array([1.0, 2.0]))
    (2.0, 2.0, None)
    """
    if np.ndim(b) == 0:
        return float(b)
    b = np.asarray(b)
    if b.size == 0:
        return None  # an empty exponent: np.power broadcasts it as it is
    first = b.flat[0]
    return float(first) if (b == first).all() else None


def pow_forward(a, p):
    """``np.power``; a uniform 2 is ``a * a`` (what numpy does, without the pow() calls).

    Parameters
    ----------
    a : tuple
        The base and the exponent.
    p : dict
        The op's parameters (none).

    Returns
    -------
    float or numpy.ndarray
        ``a[0] ** a[1]``.

    Examples
    --------
    >>> import numpy as np
    >>> pow_forward((np.array([1.0, 3.0]), 2.0), {})
    array([1., 9.])
    """
    c = uniform_exponent(a[1])
    if c == 2:
        return a[0] * a[0]
    return np.power(a[0], a[1] if c is None else c)


def pow_base_local(a, out, p):
    """``d(x^y)/dx = y·x^(y-1)``, exactly 0 where ``y = 0`` (also at ``x = 0``), as autograd has it.

    Parameters
    ----------
    a : tuple
        The base ``x`` and the exponent ``y``.
    out : float or numpy.ndarray
        ``x^y`` (unused).
    p : dict
        The op's parameters (none).

    Returns
    -------
    float or numpy.ndarray
        The elementwise derivative, of the base's shape for a uniform exponent.

    Examples
    --------
    >>> float(pow_base_local((3.0, 2.0), 9.0, {})), float(pow_base_local((0.0, 0.0), 1.0, {}))
    (6.0, 0.0)
    """
    c = uniform_exponent(a[1])
    if c is None:
        return a[1] * np.power(a[0], np.where(a[1] == 0, 1.0, a[1] - 1.0))
    if c == 0:
        return np.zeros(np.shape(a[0])) if np.ndim(a[0]) else 0.0
    if c == 2:
        return 2.0 * a[0]
    return c * np.power(a[0], c - 1.0)


def pow_exponent_local(a, out, p):
    """``d(x^y)/dy = x^y·ln x``, exactly 0 at ``x = 0`` where ``x^y`` is finite (autograd, JAX).

    ``ln x`` is nan for ``x < 0`` (``x^y`` is not a real function of ``y`` there).

    Parameters
    ----------
    a : tuple
        The base ``x`` and the exponent ``y``.
    out : float or numpy.ndarray
        ``x^y``.
    p : dict
        The op's parameters (none).

    Returns
    -------
    float or numpy.ndarray
        The elementwise derivative.

    Examples
    --------
    >>> d = pow_exponent_local((2.0, 3.0), 8.0, {}), pow_exponent_local((0.0, 3.0), 0.0, {})
    >>> round(float(d[0]), 4), float(d[1])
    (5.5452, 0.0)
    """
    base = np.asarray(a[0])
    return out * np.log(np.where(base == 0, 1.0, base))


def pow_base_formula(labels, consts, out_label, values):
    """``3·x²`` for a constant exponent 3, ``y·x^(y−1)`` otherwise.

    Parameters
    ----------
    labels : tuple of str
        The base's and the exponent's labels.
    consts : tuple
        Each argument's value when it is a constant, None otherwise.
    out_label : str
        The output's label (unused).
    values : tuple or None
        The arguments' values (unused).

    Returns
    -------
    str
        The local derivative in the base as a formula.

    Examples
    --------
    >>> labels = ("x", "y")
    >>> pow_base_formula(labels, (None, 3.0), "u1", None), pow_base_formula(labels, (None, None), "u1", None)
    ('3·x²', 'y·x^(y−1)')
    """
    a, b = labels
    exponent = consts[1]
    if exponent is not None and np.ndim(exponent) > 0:
        exponent = uniform_exponent(exponent)  # a broadcast constant such as the 2 in v**2
    if exponent is not None and np.ndim(exponent) == 0:
        c = float(exponent)
        if c in (0, 1):
            return f"{c:g}"
        return f"{number_text(c)}·{power_text(wrap(a), c - 1)}" if c != 2 else f"2·{wrap(a)}"
    return f"{wrap(b)}·{wrap(a)}^({b}−1)"


def pow_base_adjoint(m, G, e):
    """``c·G ⊙ x^(c-1)`` for a uniform exponent ``c``; the power rule otherwise.

    Parameters
    ----------
    m : module
        The expression builder (:mod:`graphstep.formulas.builder`).
    G : Expr
        The head's adjoint.
    e : AdjointEdge
        The edge (:class:`graphstep.formulas.rules.AdjointEdge`).

    Returns
    -------
    Expr
        The base's share of ``G``.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> from graphstep.formulas.rules import adjoint_rule
    >>> g = gs.parse("x ** 3", x=np.array([1.0, 2.0]))
    >>> adjoint_rule(g, g.output, 0).text()  # u1 = broadcast(3), u2 = x^3
    '3·(G_u2 ⊙ x²)'
    """
    base, exponent = e.args
    c = m.uniform(exponent)
    if c == 0:
        return m.scale(0.0, G)  # x^0 is constant: exactly 0, even at x = 0
    if c is not None:
        return m.scale(c, m.had(G, m.power(base, c - 1)))
    return m.had(G, m.power_rule(base, exponent))


def safe_log(a):
    """``ln a``, nan (not a warning) where ``a <= 0``.

    Parameters
    ----------
    a : float or array_like
        The argument.

    Returns
    -------
    numpy.ndarray
        ``ln a`` where ``a > 0``, nan elsewhere.

    Examples
    --------
    >>> import numpy as np
    >>> safe_log(np.array([1.0, -1.0]))
    array([ 0., nan])
    """
    return np.log(np.where(np.asarray(a) > 0, a, np.nan))


# --- max(a, b) and min(a, b): a tie splits the derivative evenly ------------------------


def pick_local(wins, pos):
    """``[a wins] + ½[a = b]`` for argument ``pos`` (autograd's and JAX's rule at a tie).

    Parameters
    ----------
    wins : callable
        ``np.greater`` for ``max``, ``np.less`` for ``min``.
    pos : int
        The argument, 0 or 1.

    Returns
    -------
    callable
        ``(args, out, params) -> local derivative``, the shape of an entry's ``local``.

    Examples
    --------
    >>> import numpy as np
    >>> pick_local(np.greater, 0)((np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.0, 2.0])), None, {})
    array([0. , 0.5, 1. ])
    """

    def local(a, out, p):
        mine, other = np.asarray(a[pos]), np.asarray(a[1 - pos])
        return wins(mine, other) * 1.0 + (mine == other) * 0.5

    return local


def pick_formula(loose, strict, pos):
    """``[a ≥ b]`` and ``[a < b]``; where the values tie, ``½ (tie: split evenly)``.

    Parameters
    ----------
    loose, strict : str
        The relation of the first argument winning, without and with ties
        (``"≥"``, ``">"`` for ``max``; ``"≤"``, ``"<"`` for ``min``).
    pos : int
        The argument, 0 or 1.

    Returns
    -------
    callable
        ``(labels, consts, out_label, values) -> str``, the shape of an entry's ``formula``.

    Examples
    --------
    >>> f = pick_formula("≥", ">", 0)
    >>> f(("x", "y"), (None, None), "u1", (1.0, 2.0)), f(("x", "y"), (None, None), "u1", (2.0, 2.0))
    ('[x ≥ y]', '½ (tie: split evenly)')
    """

    def formula(lab, c, y, values):
        a, b = lab
        tied = values is not None and bool(np.any(np.asarray(values[0]) == np.asarray(values[1])))
        if not tied:
            return f"[{a} {loose} {b}]" if pos == 0 else f"[{a} {_OTHER[loose]} {b}]"
        if np.ndim(values[0]) == 0 and np.ndim(values[1]) == 0:
            return f"½ ({TIE})"
        wins = f"[{a} {strict} {b}]" if pos == 0 else f"[{a} {_OTHER[strict]} {b}]"
        return f"{wins} + ½[{a} = {b}] ({TIE})"

    return formula


def pick_adjoint(strict, pos):
    """``G ⊙ ([a > b] + ½[a = b])``: the adjoint rule of ``max(a, b)`` (``<`` for ``min``).

    Parameters
    ----------
    strict : str
        ``">"`` for ``max``, ``"<"`` for ``min``.
    pos : int
        The argument, 0 or 1.

    Returns
    -------
    callable
        ``(m, G, e) -> Expr``, the shape of an entry's ``adjoint``.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> from graphstep.formulas.rules import adjoint_rule
    >>> g = gs.parse("max(x, y)", x=np.array([1.0, 2.0]), y=np.array([2.0, 2.0]))
    >>> adjoint_rule(g, g.output, 0).text()
    'G_u1 ⊙ ([x > y] + [x = y]/2)'
    """

    def rule(m, G, e):
        a = e.args
        relation = strict if pos == 0 else _OTHER[strict]
        wins = m.indicator(a[0], relation, a[1])
        return m.had(G, m.add([wins, m.scale(0.5, m.indicator(a[0], "=", a[1]))]))

    return rule
