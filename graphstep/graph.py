"""The Graph: a traced expression as a DAG whose edges carry local derivatives.

Nodes are numbered ``0 .. n-1`` in topological order (inputs before the ops that use
them), the same numbers every run for the same expression. ``g.nx`` is the networkx
``MultiDiGraph`` view with the attributes named by the constants below; it is built
on first use. Local derivatives are computed on first use too, and cached.

An edge is an :class:`Edge` ``(tail, head, pos)``: argument ``pos`` of node ``head``
is node ``tail``. ``head`` and ``pos`` alone identify it (``tail`` follows), so the
methods that look an edge up (:meth:`Graph.local`, :meth:`Graph.formula`,
:meth:`Graph.edge_formula`) take ``(head, pos)``; everything that lists edges
(:meth:`Graph.edges`, :attr:`Graph.users`, :attr:`graphstep.algorithms.paths.Path.edges`)
gives :class:`Edge` tuples. In ``g.nx`` the same edge is ``(tail, head, key=pos)``.

>>> import graphstep as gs
>>> g = gs.parse("x * x", x=3.0)
>>> list(g.edges())
[Edge(tail=0, head=1, pos=0), Edge(tail=0, head=1, pos=1)]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from itertools import islice
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np

from graphstep.build.naming import node_labels
from graphstep.build.trace import Var, precedence
from graphstep.domain import value_problems
from graphstep.edge_locals import EdgeLocals
from graphstep.edges import Edge, EdgeArrays
from graphstep.errors import InputError
from graphstep.ops.table import ATOM, CONST, INPUT, OPS, as_value, format_op
from graphstep.text import EXPR_LIMIT

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Graph", "graph", "Edge", "EdgeArrays",
    "OP", "LABEL", "EXPR", "VALUE", "SHAPE", "LOCAL", "FORMULA", "ARG", "EXPR_LIMIT",
]

#: Node attribute: ``"input"``, ``"const"`` or the op's name.
OP = "op"
#: Node attribute: display name (``x``, ``2``, ``u1``).
LABEL = "label"
#: Node attribute: the sub-expression the node computes, as text.
EXPR = "expr"
#: Node attribute: the node's value (float or numpy array).
VALUE = "value"
#: Node attribute: the value's shape, ``()`` for scalars.
SHAPE = "shape"
#: Edge attribute: the local derivative (float, or a Jacobian for tensors).
LOCAL = "local"
#: Edge attribute: the local derivative's readable formula.
FORMULA = "formula"
#: Edge attribute: which argument of the head the edge feeds (also the edge key).
ARG = "arg"

_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})  # shared by every node without params


class Graph(EdgeLocals):
    """An expression as a DAG: values on nodes, local derivatives on edges.

    Build one with :func:`graphstep.parse` or :func:`graph`; every reader (the
    algorithms, the steppers, the pictures) uses the read-only methods below.

    Parameters
    ----------
    output : Var
        The traced value the graph computes.
    strict : bool, optional
        Raise :class:`~graphstep.errors.DomainError` for a value or derivative out of
        its domain instead of warning.

    Attributes
    ----------
    output : int
        The output's node id (the last node).
    value : float or numpy.ndarray
        The output's value.
    inputs : list of str
        The input names, in order of first appearance.
    domain_problems : dict
        ``{node: message}`` for the nodes whose value is nan/inf while their
        arguments' are not.
    edge_arrays : EdgeArrays
        Every edge as numpy arrays (the scalar fast paths).

    Raises
    ------
    InputError
        When ``output`` is not a traced value, or two different inputs share a name.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sin(x) * x", x=0.0)
    >>> g.output, g.value, g.inputs, [g.label(n) for n in range(len(g))]
    (2, 0.0, ['x'], ['x', 'u1', 'u2'])
    >>> g.args(g.output), g.edge_formula(g.output, 0), g.local(g.output, 0)
    ((1, 0), 'x', 0.0)
    """

    def __init__(self, output: Var, strict: bool = False):
        if not isinstance(output, Var):
            raise InputError(f"graph() needs a traced value, got {type(output).__name__}")
        order = _ancestors(output)
        for i, v in enumerate(order):
            v.index = i
        # the arguments as one flat list of ints: no tuple per node (see ``_args``)
        self._tails = [a.index for v in order for a in v.args]
        self._arity = [len(v.args) for v in order]
        self._vars = order
        self._ops = [v.op for v in order]
        self._values = [v.value for v in order]
        self._params = [v.params or _NO_PARAMS for v in order]
        self.edge_arrays = EdgeArrays(self._tails, self._arity, [v.depth for v in order], self._ops)
        self.output = len(order) - 1
        self.value = output.value
        self._input_nodes: dict[str, int] = {}
        for i in self.edge_arrays.groups.get(INPUT, ()):
            v = order[i]
            if v.name in self._input_nodes:
                raise InputError(
                    f"two different inputs are named {v.name!r}; give each input its own name"
                )
            self._input_nodes[v.name] = int(i)
        self.inputs = list(self._input_nodes)
        self._locals: dict[tuple[int, int], Any] = {}
        self.strict = strict
        self.domain_problems: dict[int, str] = value_problems(self)

    @cached_property
    def _args(self) -> list[tuple[int, ...]]:
        rest = iter(self._tails)
        return [tuple(islice(rest, k)) for k in self._arity]

    # --- basic facts -------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._ops)

    def __repr__(self) -> str:
        return (
            f"<Graph {self.expr(self.output)!r}: {len(self)} nodes, "
            f"inputs {', '.join(self.inputs) or 'none'}>"
        )

    @cached_property
    def is_scalar(self) -> bool:
        """True when every value in the graph is a scalar float.

        Returns
        -------
        bool

        Examples
        --------
        >>> import graphstep as gs
        >>> gs.parse("x * y", x=1.0, y=2.0).is_scalar, gs.parse("sum(v)", v=[1.0]).is_scalar
        (True, False)
        """
        return all(type(v) is float for v in self._values)

    @cached_property
    def value_array(self) -> np.ndarray:
        """The values of a scalar graph as one float array, by node id.

        Returns
        -------
        numpy.ndarray
            One float per node.

        Examples
        --------
        >>> import graphstep as gs
        >>> gs.parse("x * y", x=3.0, y=2.0).value_array.tolist()
        [3.0, 2.0, 6.0]
        """
        return np.fromiter(self._values, dtype=float, count=len(self._values))

    def input_node(self, name: str) -> int:
        """The node id of the input called ``name``.

        Parameters
        ----------
        name : str
            An input name (one of :attr:`inputs`).

        Returns
        -------
        int

        Raises
        ------
        InputError
            When there is no such input; the message lists the inputs.

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("x * y", x=1.0, y=2.0)
        >>> g.input_node("y")
        1
        >>> g.input_node("z")
        Traceback (most recent call last):
        ...
        graphstep.errors.InputError: no input named 'z'; the inputs are: x, y
        """
        try:
            return self._input_nodes[name]
        except KeyError:
            known = ", ".join(self.inputs) or "none"
            raise InputError(f"no input named {name!r}; the inputs are: {known}") from None

    def node(self, name: str) -> int:
        """The node id of the input called ``name``: the same as :meth:`input_node`.

        Parameters
        ----------
        name : str
            An input name (one of :attr:`inputs`).

        Returns
        -------
        int

        Raises
        ------
        InputError
            When there is no such input; the message lists the inputs.

        Examples
        --------
        >>> import graphstep as gs
        >>> gs.parse("x * y", x=1.0, y=2.0).node("y")
        1
        """
        return self.input_node(name)

    def op(self, node: int) -> str:
        """The op of ``node``: ``"input"``, ``"const"`` or the op's name (``"mul"``, ...).

        Parameters
        ----------
        node : int
            A node id, ``0 .. len(g) - 1``.

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("2 * sin(x)", x=1.0)
        >>> print(*(g.op(n) for n in range(len(g))))
        const input sin mul
        """
        return self._ops[node]

    def args(self, node: int) -> tuple[int, ...]:
        """The node ids of ``node``'s arguments, in order (repeats allowed: ``x*x``).

        Parameters
        ----------
        node : int
            A node id, ``0 .. len(g) - 1``.

        Returns
        -------
        tuple of int

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("x * x", x=1.0)
        >>> g.args(1), g.args(0)
        ((0, 0), ())
        """
        return self._args[node]

    def value_of(self, node: int) -> Any:
        """The value of ``node``: a float, or a numpy array for a tensor.

        Parameters
        ----------
        node : int
            A node id, ``0 .. len(g) - 1``.

        Returns
        -------
        float or numpy.ndarray

        Examples
        --------
        >>> import graphstep as gs
        >>> gs.parse("x + 1", x=2.0).value_of(2)
        3.0
        """
        return self._values[node]

    def shape_of(self, node: int) -> tuple[int, ...]:
        """The shape of ``node``'s value, ``()`` for a scalar.

        Parameters
        ----------
        node : int
            A node id, ``0 .. len(g) - 1``.

        Returns
        -------
        tuple of int

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sum(v)", v=[1.0, 2.0])
        >>> g.shape_of(0), g.shape_of(g.output)
        ((2,), ())
        """
        return np.shape(self._values[node])

    def label(self, node: int) -> str:
        """The display name of ``node``: an input's name, a constant's value, ``u1``...

        Parameters
        ----------
        node : int
            A node id, ``0 .. len(g) - 1``.

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> gs.parse("2 * x", x=1.0).label(2)
        'u1'
        """
        return self.labels[node]

    def scope(self, node: int) -> tuple[str, ...]:
        """The blocks ``node`` was traced in (``gs.block``), outermost first; ``()`` for none.

        >>> import graphstep as gs
        >>> x = gs.var("x", 1.0)
        >>> with gs.block("layer1"):
        ...     y = gs.sin(x)
        >>> [gs.graph(y * 2).scope(n) for n in range(4)]
        [(), ('layer1',), (), ()]
        """
        return self._vars[node].scope

    def params(self, node: int) -> Mapping[str, Any]:
        """The op parameters of ``node`` (``axis``, ``shape``...), read-only; empty when none.

        Parameters
        ----------
        node : int
            A node id, ``0 .. len(g) - 1``.

        Returns
        -------
        Mapping

        Examples
        --------
        >>> import graphstep as gs
        >>> dict(gs.parse("sum(A, axis=0)", A=[[1.0, 2.0]]).params(1))
        {'axis': 0}
        """
        return self._params[node]

    def edges(self) -> Iterator[Edge]:
        """Every edge as an :class:`Edge` ``(tail, head, pos)``, in node order.

        Returns
        -------
        iterator of Edge

        Examples
        --------
        >>> import graphstep as gs
        >>> [tuple(e) for e in gs.parse("x * sin(x)", x=1.0).edges()]
        [(0, 1, 0), (0, 2, 0), (1, 2, 1)]
        """
        for head, args in enumerate(self._args):
            for pos, tail in enumerate(args):
                yield Edge(tail, head, pos)

    @cached_property
    def users(self) -> list[list[Edge]]:
        """For each node, the edges leaving it (as :class:`Edge`), in node order of their heads.

        Returns
        -------
        list of list of Edge

        Examples
        --------
        >>> import graphstep as gs
        >>> [tuple(e) for e in gs.parse("x * sin(x)", x=1.0).users[0]]
        [(0, 1, 0), (0, 2, 0)]
        """
        result: list[list[Edge]] = [[] for _ in self._ops]
        for edge in self.edges():
            result[edge.tail].append(edge)
        return result

    @cached_property
    def active(self) -> list[bool]:
        """For each node, whether it depends on some input (so can carry a gradient).

        Returns
        -------
        list of bool

        Examples
        --------
        >>> import graphstep as gs
        >>> gs.parse("x * (2 + 3)", x=1.0).active
        [True, False, False, False, True]
        """
        flags = []
        for op, args in zip(self._ops, self._args):
            flags.append(op == INPUT or any(flags[a] for a in args))
        return flags

    # --- labels and expressions ------------------------------------------------------
    @cached_property
    def labels(self) -> list[str]:
        """Display names by node id: input names, constants' values, ``u1``, ``u2``, ...

        Returns
        -------
        list of str

        Examples
        --------
        >>> import graphstep as gs
        >>> gs.parse("2 * sin(x)", x=1.0).labels
        ['2', 'x', 'u1', 'u2']
        """
        return node_labels(self._vars)  # named values keep their names (a view: its original's)

    @cached_property
    def _exprs(self) -> list[str]:
        texts: list[str] = []
        for i, v in enumerate(self._vars):
            if v.text is not None:
                text = v.text
            elif v.op == "broadcast":
                text = texts[self._args[i][0]]
            else:  # a named value is written by its name (.named("h"): h * h)
                named = [self._vars[a].name is not None for a in self._args[i]]
                args = [self.labels[a] if m else texts[a] for a, m in zip(self._args[i], named)]
                text = format_op(v.op, args, [ATOM if m else precedence(self._vars[a])
                                              for a, m in zip(self._args[i], named)], self._params[i])
            texts.append(text if len(text) <= EXPR_LIMIT else text[: EXPR_LIMIT - 1] + "…")
        return texts

    def expr(self, node: int) -> str:
        """The sub-expression ``node`` computes, as text (cut with ``…`` past :data:`EXPR_LIMIT`).

        Parameters
        ----------
        node : int
            A node id, ``0 .. len(g) - 1``.

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("x * exp(x**2)", x=1.0)
        >>> g.expr(3), g.expr(g.output)
        ('exp(x^2)', 'x * exp(x^2)')
        """
        return self._exprs[node]

    # --- re-evaluation -----------------------------------------------------------------
    def evaluate(self, values: dict[str, Any]) -> Any:
        """The output value with some inputs replaced (the graph itself is unchanged).

        Parameters
        ----------
        values : dict
            ``{input name: new value}``; inputs not named keep their values.

        Returns
        -------
        float or numpy.ndarray

        Examples
        --------
        >>> import graphstep as gs
        >>> gs.parse("x**2 + y", x=1.0, y=0.0).evaluate({"x": 3.0})
        9.0
        """
        current: list[Any] = []
        with np.errstate(all="ignore"):
            for i, op_name in enumerate(self._ops):
                if op_name == INPUT and self._vars[i].name in values:
                    current.append(values[self._vars[i].name])
                elif op_name in (INPUT, CONST):
                    current.append(self._values[i])
                else:
                    args = tuple(current[a] for a in self._args[i])
                    current.append(as_value(OPS[op_name].forward(args, self._params[i])))
        return current[self.output]

    # --- networkx view -------------------------------------------------------------
    @cached_property
    def nx(self) -> nx.MultiDiGraph:
        """The networkx ``MultiDiGraph``: one edge per use of a value, keyed by position.

        Returns
        -------
        networkx.MultiDiGraph
            Node attributes :data:`OP`, :data:`LABEL`, :data:`EXPR`, :data:`VALUE`,
            :data:`SHAPE`; edge attributes :data:`LOCAL`, :data:`FORMULA`, :data:`ARG`.

        Examples
        --------
        >>> import graphstep as gs
        >>> G = gs.parse("x * x", x=3.0).nx
        >>> G.nodes[1]["op"], G.edges[0, 1, 1]["formula"], G.graph["inputs"]
        ('mul', 'x', ['x'])
        """
        import networkx as nx  # imported on first use: import graphstep stays light

        G = nx.MultiDiGraph()
        for i, op_name in enumerate(self._ops):
            G.add_node(i, **{OP: op_name, LABEL: self.labels[i], EXPR: self.expr(i),
                             VALUE: self._values[i], SHAPE: self.shape_of(i)})
        for tail, head, pos in self.edges():
            G.add_edge(tail, head, key=pos, **{LOCAL: self.local(head, pos),
                                               FORMULA: self.edge_formula(head, pos), ARG: pos})
        G.graph["output"] = self.output
        G.graph["inputs"] = list(self.inputs)
        return G


def _ancestors(output: Var) -> list[Var]:
    """All Vars ``output`` depends on, in creation order (a topological order)."""
    seen = {output.id: output}
    stack = [output]
    pop, push = stack.pop, stack.append
    while stack:
        for a in pop().args:
            key = a.id
            if key not in seen:
                seen[key] = a
                push(a)
    return [seen[k] for k in sorted(seen)]


def graph(output: Var, strict: bool = False) -> Graph:
    """The :class:`Graph` whose output is the traced value ``output``.

    Parameters
    ----------
    output : Var
        A traced value (from :func:`graphstep.var` and the operators on it).
    strict : bool, optional
        Raise for a value that leaves its op's domain (log of a negative number, ...)
        instead of making it nan/inf with a warning.

    Returns
    -------
    Graph

    Raises
    ------
    InputError
        When ``output`` is not a traced value, or two different inputs share a name.
    DomainError
        With ``strict=True``, when a value is out of its op's domain.

    Examples
    --------
    >>> import graphstep as gs
    >>> x = gs.var("x", 1.5)
    >>> g = gs.graph(x * gs.exp(x**2))
    >>> g.inputs, len(g)
    (['x'], 5)
    """
    return Graph(output, strict=strict)
