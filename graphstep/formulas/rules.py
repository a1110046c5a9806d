"""The adjoint rule of each edge, read from the op table, as a matrix expression.

Every op entry of :mod:`graphstep.ops.table` states how the adjoint of its output
reaches each argument (``OpSpec.adjoint``), written with the public builder
:mod:`graphstep.formulas.builder`. :func:`adjoint_rule` applies that rule to one edge
of a graph: the arguments become leaves (their labels), the output's adjoint ``G_u``.

>>> import numpy as np, graphstep as gs
>>> g = gs.parse("tanh(W @ x)", W=np.ones((3, 2)), x=np.ones(2))
>>> adjoint_rule(g, 2, 0).text(), adjoint_rule(g, 3, 0).text()
('G_u1 xᵀ', 'G_u2 ⊙ (1 - u2²)')
"""

from __future__ import annotations

from typing import Any

import numpy as np

from graphstep.formulas import builder
from graphstep.formulas.expr import Adjoint, Const, Expr, Pullback, Value, shape_latex
from graphstep.formulas.names import latex_name
from graphstep.graph import Graph
from graphstep.ops.jacobians import formula_of
from graphstep.ops.table import ATOM, CONST, INPUT, OPERATORS, OPS, format_op
from graphstep.text import shape_text

__all__ = ["AdjointEdge", "adjoint_rule", "leaf", "definition", "forward_latex"]


def leaf(g: Graph, node: int) -> Expr:
    """A node's value as a leaf; constants filled with one number become :class:`Const`.

    Parameters
    ----------
    g : Graph
    node : int

    Returns
    -------
    Expr
        A :class:`~graphstep.formulas.expr.Const` or a :class:`~graphstep.formulas.expr.Value`.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("2 * x", x=1.0)
    >>> leaf(g, 0).text(), leaf(g, 1).text()
    ('2', 'x')
    """
    shape = g.shape_of(node)
    if not g.active[node]:  # a constant, or computed from constants only (2*4)
        value = np.asarray(g.value_of(node))
        if value.size and np.all(value == value.flat[0]):
            return Const(shape, float(value.flat[0]))
    return Value(shape, node, g.label(node))


class AdjointEdge:
    """What an op's adjoint rule may read about edge ``(node, pos)`` (see ``OpSpec.adjoint``).

    Parameters
    ----------
    g : Graph
    node : int
        The head of the edge.
    pos : int
        The argument of ``node`` the edge comes from.

    Attributes
    ----------
    args : tuple of Expr
        The arguments, as expressions (:func:`leaf`).
    out : Expr
        The output, as an expression.
    shapes : tuple of tuple of int
        The arguments' shapes.
    out_shape : tuple of int
    labels : tuple of str
        The arguments' labels.
    params : dict
        The op's parameters.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("sum(X @ W.T)", X=np.ones((4, 3)), W=np.ones((2, 3)))
    >>> e = AdjointEdge(g, 3, 0)
    >>> e.labels, e.shapes, e.out_shape
    (('X', 'u1'), ((4, 3), (3, 2)), (4, 2))
    """

    def __init__(self, g: Graph, node: int, pos: int):
        self.graph, self.node, self.pos = g, node, pos
        arg_nodes = g.args(node)
        self.args = tuple(leaf(g, a) for a in arg_nodes)
        self.out = Value(g.shape_of(node), node, g.label(node))
        self.shapes = tuple(g.shape_of(a) for a in arg_nodes)
        self.out_shape = g.shape_of(node)
        self.labels = tuple(g.label(a) for a in arg_nodes)
        self.params = g.params(node)

    def transposed(self, k: int) -> Expr:
        """Argument ``k`` transposed; ``(Wᵀ)ᵀ`` reads through a transpose node to ``W``.

        Parameters
        ----------
        k : int
            The argument.

        Returns
        -------
        Expr

        Examples
        --------
        >>> import numpy as np, graphstep as gs
        >>> g = gs.parse("sum(X @ W.T)", X=np.ones((4, 3)), W=np.ones((2, 3)))
        >>> e = AdjointEdge(g, 3, 0)
        >>> e.transposed(0).text(), e.transposed(1).text()
        ('Xᵀ', 'W')
        """
        g, tail = self.graph, self.graph.args(self.node)[k]
        if g.op(tail) == OPERATORS[".T"] and len(self.shapes[k]) == 2:
            return leaf(g, g.args(tail)[0])
        return builder.transpose(self.args[k])


def adjoint_rule(g: Graph, head: int, pos: int, upstream: Expr | None = None) -> Expr:
    """The contribution of edge ``(head, pos)`` to its tail's adjoint, as an expression.

    Parameters
    ----------
    g : Graph
    head, pos : int
        The edge: argument ``pos`` of node ``head``.
    upstream : Expr, optional
        The head's adjoint (``G_head`` by default).

    Returns
    -------
    Expr
        The op's ``adjoint`` rule applied to the edge, at the tail's shape. An op without
        a matrix-form rule would apply its Jacobian (:class:`Pullback`); every op of the
        table has one.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> g = gs.parse("sum(X @ W)", X=np.ones((4, 3)), W=np.ones((3, 2)))
    >>> adjoint_rule(g, 2, 1).text()
    'Xᵀ G_u1'
    """
    G = upstream if upstream is not None else Adjoint(g.shape_of(head), head, g.label(head))
    op = OPS[g.op(head)]
    tail_shape = g.shape_of(g.args(head)[pos])
    if op.adjoint:
        rule = op.adjoint_rule(pos)(builder, G, AdjointEdge(g, head, pos))
    else:
        rule = Pullback(tail_shape, G, head, pos, formula_of(g.local(head, pos)))
    return builder.fit(rule, tail_shape)


def definition(g: Graph, node: int) -> str:
    """``u3 = u2 @ W2``: one forward step, written with the arguments' labels.

    Parameters
    ----------
    g : Graph
    node : int

    Returns
    -------
    str
        The label alone for an input or a constant.

    Examples
    --------
    >>> import graphstep as gs
    >>> definition(gs.parse("sin(x) * y", x=1.0, y=2.0), 3)
    'u2 = u1*y'
    """
    op = g.op(node)
    label = g.label(node)
    if op in (INPUT, CONST):
        return label
    args = [g.label(a) for a in g.args(node)]
    if OPS[op].transparent:
        return f"{label} = {args[0]} broadcast to {shape_text(g.shape_of(node))}"
    return f"{label} = {format_op(op, args, [ATOM] * len(args), g.params(node))}"


def forward_latex(g: Graph, node: int) -> str:
    r"""The right-hand side of one forward step in LaTeX.

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
    >>> import graphstep as gs
    >>> forward_latex(gs.parse("sin(x) * y", x=1.0, y=2.0), 1)
    '\\sin\\left(x\\right)'
    """
    args = [latex_name(g.label(a)) for a in g.args(node)]
    spec = OPS[g.op(node)]
    if spec.transparent:
        return rf"{args[0]}\ \text{{(broadcast to }}{shape_latex(g.shape_of(node))})"
    template = spec.latex or (r"\operatorname{" + spec.name + r"}\left(" + "{0}" + r"\right)")
    text = template.format(", ".join(args)) if spec.variadic else template.format(*args)
    params: dict[str, Any] = g.params(node)
    if any(p.name == "axis" for p in spec.params) and params.get("axis") is not None:
        text += rf"\ \text{{(axis {params['axis']})}}"
    return text
