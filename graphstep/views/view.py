"""A view: an ordinary :class:`~graphstep.graph.Graph` made from another graph's nodes.

Focusing (:mod:`graphstep.views.focus`) and collapsing (:mod:`graphstep.views.collapse`)
both build a new graph whose nodes are copies of some of the original's nodes (same
op, value, label and expression), plus a few new ones (folded leaves, collapsed
blocks). Because a view is a Graph, ``gs.grad``, ``gs.paths``, ``gs.steps``,
``gs.render`` and Jupyter work on it unchanged. :class:`View` remembers where it came
from (``source``), what it says about itself in a picture's caption (``note``) and, for
an input that stands for several original inputs, which ones (``members``).

>>> import graphstep as gs
>>> g = gs.parse("x * sin(y)", x=2.0, y=0.5)
>>> copies = {}
>>> for n in range(len(g)):
...     copies[n] = copy_node(g, n, tuple(copies[a] for a in g.args(n)))
>>> v = View(copies[g.output], g, note="a copy")
>>> v.labels == g.labels, v.expr(v.output), v.note, v.source is g
(True, 'x * sin(y)', 'a copy', True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphstep.build.trace import Var
from graphstep.graph import Graph
from graphstep.ops.composite import FOLDED
from graphstep.ops.table import CONST, INPUT

__all__ = ["View", "copy_node", "folded_leaf"]


class View(Graph):
    """A graph made from the nodes of ``source`` (see the module's docstring).

    Parameters
    ----------
    output : Var
        The view's output (a copy of the source's output, or what stands for it).
    source : Graph
        The graph the view was made from.
    note : str, optional
        One line for the picture's caption (what was folded or collapsed).
    members : mapping, optional
        ``{view input name: [source input names]}`` for an input standing for several.

    Attributes
    ----------
    source : Graph
    note : str
    members : dict

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("2 * x", x=1.0)
    >>> v = View(copy_node(g, 1, ()), g)
    >>> v.inputs, v.note, v.members
    (['x'], '', {})
    """

    def __init__(self, output: Var, source: Graph, note: str = "",
                 members: Mapping[str, list[str]] | None = None):
        super().__init__(output, strict=source.strict)
        self.source = source
        self.note = note
        self.members = dict(members or {})

    def __repr__(self) -> str:
        return f"<View of {len(self.source)} nodes as {len(self)}: {self.note or self.expr(self.output)!r}>"


def copy_node(g: Graph, node: int, args: tuple[Var, ...]) -> Var:
    """A new Var like ``node`` of ``g`` (op, value, parameters, label, expression, scope) on ``args``.

    Parameters
    ----------
    g : Graph
    node : int
    args : tuple of Var
        The new arguments (copies, or what stands for the original arguments).

    Returns
    -------
    Var

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("exp(x)", x=0.0)
    >>> v = copy_node(g, 1, (copy_node(g, 0, ()),))
    >>> v.op, v.name, v.text, v.value
    ('exp', 'u1', 'exp(x)', 1.0)
    """
    op = g.op(node)
    if op == INPUT:
        v = Var(INPUT, (), g.value_of(node), name=g.label(node), text=g.label(node))
    elif op == CONST:
        v = Var(CONST, (), g.value_of(node), dict(g.params(node)) or None, text=g.label(node))
    else:
        v = Var(op, tuple(args), g.value_of(node), dict(g.params(node)) or None,
                name=g.label(node), text=g.expr(node))
    v.scope = g.scope(node)
    return v


def folded_leaf(value: Any, label: str, count: int) -> Var:
    """A constant leaf standing for ``count`` nodes that compute ``value`` (a folded sub-graph).

    Parameters
    ----------
    value : float or numpy.ndarray
    label : str
        The label of the sub-graph's last node.
    count : int
        How many nodes it stands for.

    Returns
    -------
    Var

    Examples
    --------
    >>> leaf = folded_leaf(0.5, "u3", 12)
    >>> leaf.op, leaf.text, leaf.params
    ('const', 'u3', {'folded': 12})
    """
    return Var(CONST, (), value, {FOLDED: count} if count > 1 else None, text=label)
