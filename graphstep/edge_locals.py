"""The local derivatives of a :class:`~graphstep.graph.Graph`'s edges and their formulas.

:class:`EdgeLocals` is the part of :class:`~graphstep.graph.Graph` that computes an
edge's local derivative from the op table (on first use, cached), every edge's at once
for a scalar graph, and the formulas written on the edges. Graph is the only class
built on it; it holds the node lists these methods read (``_ops``, ``_args``,
``_values``, ``_params``, ``_arity``, ``labels``, ``edge_arrays``, ``value_array``)
and the caches ``_locals`` and ``_edge_formulas``.

>>> import graphstep as gs
>>> g = gs.parse("x * sin(y)", x=2.0, y=0.0)
>>> isinstance(g, EdgeLocals), g.local(g.output, 1), g.formula(g.output, 1)
(True, 2.0, 'x')
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from graphstep.ops import jacobians as jac
from graphstep.ops.table import CONST, INPUT, OPS

__all__ = ["EdgeLocals"]


class EdgeLocals:
    """The edges' local derivatives and formulas; see :class:`~graphstep.graph.Graph`.

    Attributes
    ----------
    edge_arrays : EdgeArrays
        Every edge as numpy arrays (set by the Graph).

    Examples
    --------
    >>> import graphstep as gs
    >>> gs.parse("sum(sin(v))", v=[0.0, 1.0]).edge_formula(1, 0)
    'diag(cos(v))'
    """

    def local(self, head: int, pos: int, cache: bool = True) -> Any:
        """The local derivative ``d head / d (argument pos)`` on edge ``(head, pos)``.

        Parameters
        ----------
        head, pos : int
            The edge: argument ``pos`` of node ``head``.
        cache : bool, optional
            Keep the result on the graph for the next call (the default). With
            ``False`` a cached value is still used, but a new one is not kept: a pass
            over a large tensor graph then frees each Jacobian once it is used.

        Returns
        -------
        float or Jacobian
            A float for scalar edges, a :class:`~graphstep.ops.jacobians.Jacobian` for tensors.

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("x * sin(y)", x=2.0, y=0.0)
        >>> g.local(g.output, 0), g.local(g.output, 1), g.local(2, 0)
        (0.0, 2.0, 1.0)
        """
        cached = self._locals.get((head, pos))
        if cached is None:
            cached = self._compute_local(head, pos)
            if cache:
                self._locals[(head, pos)] = cached
        return cached

    def _compute_local(self, head: int, pos: int) -> Any:
        op = OPS[self._ops[head]]
        args = tuple(self._values[a] for a in self._args[head])
        out = self._values[head]
        out_shape = np.shape(out)
        with np.errstate(all="ignore"):
            if op.elementwise:
                if op.constant_local:
                    d = op.constant_local[pos]
                    return d if out_shape == () else jac.Scale(d, out_shape)
                d = op.local[pos](args, out, self._params[head])
                if out_shape == ():
                    return float(d)
                d = np.broadcast_to(np.asarray(d, dtype=float), out_shape)
                return jac.Diagonal(d, f"diag({self.formula(head, pos)})")
            labels = tuple(self.labels[a] for a in self._args[head]) + (self.labels[head],)
            result = op.jacobian(pos, args, out, self._params[head], labels)
        if isinstance(result, jac.Jacobian) and out_shape == () and result.in_shape == ():
            return float(result.vjp(1.0))
        return result

    def scalar_locals(self) -> np.ndarray:
        """The local derivative of every edge of a scalar graph, computed op by op with numpy.

        Indexed like :attr:`edge_arrays`: edge ``offsets[n] + k`` is argument ``k`` of
        node ``n``. Nothing is cached (a fresh array each call).

        Returns
        -------
        numpy.ndarray
            One float per edge.

        Examples
        --------
        >>> import graphstep as gs
        >>> gs.parse("x * sin(y)", x=2.0, y=0.0).scalar_locals().tolist()
        [1.0, 0.0, 2.0]
        """
        edges = self.edge_arrays
        values = self.value_array
        local = np.zeros(len(edges.tails))
        with np.errstate(all="ignore"):
            for op_name, heads in edges.groups.items():
                if op_name in (INPUT, CONST):
                    continue
                op = OPS[op_name]
                first = edges.offsets[heads]
                if not op.elementwise:  # structural ops on scalars: edge by edge
                    for node in heads.tolist():
                        for pos in range(self._arity[node]):
                            local[edges.offsets[node] + pos] = self.local(node, pos)
                    continue
                arg_values = tuple(values[edges.tails[first + k]] for k in range(op.arity))
                for pos in range(op.arity):
                    if op.constant_local:
                        local[first + pos] = op.constant_local[pos]
                    else:
                        local[first + pos] = op.local[pos](arg_values, values[heads], {})
        return local

    def formula(self, head: int, pos: int) -> str:
        """The readable formula of the local derivative on edge ``(head, pos)``.

        Parameters
        ----------
        head, pos : int
            The edge: argument ``pos`` of node ``head``.

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> g = gs.parse("sin(x) * y", x=0.0, y=2.0)
        >>> g.formula(1, 0), g.formula(3, 0)
        ('cos(x)', 'y')
        """
        op = OPS[self._ops[head]]
        if not op.elementwise:
            given = self._params[head].get("formulas")  # a composite node names its own
            return given[pos] if given else jac.formula_of(self.local(head, pos))
        ops, args = self._ops, self._args  # a broadcast constant reads as the constant
        arg_ids = tuple(args[a][0] if ops[a] == "broadcast" and ops[args[a][0]] == CONST else a
                        for a in args[head])
        labels = tuple(self.labels[a] for a in arg_ids)
        consts = tuple(self._values[a] if self._ops[a] == CONST else None for a in arg_ids)
        values = tuple(self._values[a] for a in arg_ids)  # a tie shows in the formula
        return op.formula[pos](labels, consts, self.labels[head], values)

    def edge_formula(self, head: int, pos: int) -> str:
        """The formula as shown on an edge: :meth:`formula`, or ``diag(...)``/``I`` for tensors.

        Parameters
        ----------
        head, pos : int
            The edge: argument ``pos`` of node ``head``.

        Returns
        -------
        str

        Examples
        --------
        >>> import graphstep as gs
        >>> gs.parse("sum(sin(v))", v=[0.0, 1.0]).edge_formula(1, 0)
        'diag(cos(v))'
        """
        text = self._edge_formulas.get((head, pos))
        if text is None:  # a picture asks for each edge's formula several times
            local = self.local(head, pos)
            text = local.formula if isinstance(local, jac.Jacobian) else self.formula(head, pos)
            self._edge_formulas[(head, pos)] = text
        return text

    @cached_property
    def _edge_formulas(self) -> dict[tuple[int, int], str]:
        return {}
