r"""The whole derivation of the matrix-form gradients as one LaTeX ``align``: :func:`to_latex`.

Each :class:`~graphstep.formulas.backprop.Formula` prints its own lines
(:attr:`~graphstep.formulas.backprop.Formula.latex`); a paper or a lecture note wants the
derivation once: the forward pass, the named adjoints (output side first, the order
backprop computes them), then every input's gradient.

>>> import graphstep as gs
>>> print(to_latex(gs.backprop_formulas(gs.parse("sin(x) * y", x=1.0, y=2.0))))
\begin{align}
\intertext{Forward pass:}
u_{1} &= \sin\left(x\right) \\
L = u_{2} &= u_{1} \odot y \\
\intertext{Backward pass (the adjoints $G_u = \partial L/\partial u$):}
G_{u_{1}} &= y \\
\intertext{Gradients:}
\frac{\partial L}{\partial x} &= G_{u_{1}} \cdot \cos\left(x\right) \\
\frac{\partial L}{\partial y} &= u_{1}
\end{align}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from graphstep.errors import InputError
from graphstep.formulas.expr import Expr
from graphstep.formulas.names import latex_name
from graphstep.formulas.rules import forward_latex
from graphstep.ops.table import CONST, INPUT

__all__ = ["to_latex", "forward_line", "shown_as_constant"]


def shown_as_constant(g: Any, node: int) -> bool:
    """A number broadcast for an elementwise op: written as the number (``x^{2}``, not ``x^{u_{1}}``).

    Parameters
    ----------
    g : Graph
    node : int

    Returns
    -------
    bool

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("sum(v^2)", v=np.ones(3))
    >>> [shown_as_constant(g, n) for n in range(len(g))]
    [False, False, True, False, False]
    """
    if g.op(node) != "broadcast":
        return False
    (arg,) = g.args(node)
    return g.op(arg) == CONST and g.shape_of(arg) == ()


def forward_line(g: Any, node: int) -> str:
    r"""The right-hand side of one forward step in LaTeX, broadcast numbers written as numbers.

    Parameters
    ----------
    g : Graph
    node : int
        A node that is not an input or a constant.

    Returns
    -------
    str

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("sum(v^2)", v=np.ones(3))
    >>> forward_latex(g, 3), forward_line(g, 3)
    ('v^{u_{1}}', 'v^{2}')
    """
    text = forward_latex(g, node)
    for arg in set(g.args(node)):
        if shown_as_constant(g, arg):
            name = re.escape(latex_name(g.label(arg)))
            number = latex_name(g.label(g.args(arg)[0]))
            text = re.sub(rf"(?<![A-Za-z\\]){name}", number.replace("\\", r"\\"), text)
    return text


def to_latex(formulas: Mapping[str, Any], environment: str = "align") -> str:
    r"""The forward pass, the named adjoints and each gradient, as a LaTeX ``align`` environment.

    Parameters
    ----------
    formulas : mapping of str to Formula
        What :func:`graphstep.backprop_formulas` returns (all from one graph).
    environment : str
        ``"align"`` (numbered lines) or ``"align*"``; needs ``amsmath``.

    Returns
    -------
    str

    Raises
    ------
    InputError
        When ``formulas`` is empty or ``environment`` is neither.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("sum(X @ W)", X=np.ones((4, 3)), W=np.ones((3, 2)))
    >>> text = to_latex(gs.backprop_formulas(g), "align*")
    >>> text.splitlines()[0], text.splitlines()[-2]
    ('\\begin{align*}', '\\frac{\\partial L}{\\partial W} &= X^{\\top}\\,\\mathbf{1}_{4\\times 2}')
    """
    if environment not in ("align", "align*"):
        raise InputError(f"environment must be 'align' or 'align*', got {environment!r}")
    items = list(formulas.values())
    if not items:
        raise InputError("to_latex needs at least one formula (backprop_formulas of a graph with inputs)")
    g, loss = items[0].graph, items[0].loss
    forward = []
    for node in range(len(g)):
        if g.op(node) in (INPUT, CONST) or shown_as_constant(g, node):
            continue
        name = latex_name(g.label(node))
        if node == g.output:
            name = f"{latex_name(loss)} = {name}"
        forward.append(f"{name} &= {forward_line(g, node)}")
    definitions: dict[int, Expr] = {}
    for f in items:
        definitions.update(dict(f.definitions))
    backward = [f"G_{{{latex_name(g.label(n))}}} &= {definitions[n].latex()}"
                for n in sorted(definitions, reverse=True)]
    grads = [rf"\frac{{\partial {latex_name(f.loss)}}}{{\partial {latex_name(f.name)}}} &= "
             + f.expr.latex() for f in items]
    lines = [rf"\begin{{{environment}}}", r"\intertext{Forward pass:}"]
    lines += [line + r" \\" for line in forward]
    if backward:
        lines.append(r"\intertext{Backward pass (the adjoints $G_u = \partial "
                     rf"{latex_name(loss)}/\partial u$):}}")
        lines += [line + r" \\" for line in backward]
    lines.append(r"\intertext{Gradients:}")
    lines += [line + r" \\" for line in grads[:-1]] + grads[-1:]
    lines.append(rf"\end{{{environment}}}")
    return "\n".join(lines)
