"""The Graph: a traced expression as a DAG whose edges carry local derivatives.

Nodes are numbered ``0 .. n-1`` in topological order (inputs before the ops that use
them), the same numbers every run for the same expression. ``g.nx`` is the networkx
``MultiDiGraph`` view with the attributes named by the constants below; it is built
on first use. Local derivatives are computed on first use too, and cached.

>>> import graphstep as gs
>>> g = gs.parse("x * x", x=3.0)
>>> sorted(g.nx.edges(keys=True, data="local"))
[(0, 1, 0, 3.0), (0, 1, 1, 3.0)]
"""

from __future__ import annotations

import gc
import math
import os
import sys
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from types import MappingProxyType
from typing import Any

import networkx as nx
import numpy as np

from graphstep.build.trace import Var, _prec, format_op
from graphstep.errors import DomainError, DomainWarning, InputError
from graphstep.ops import jacobians as jac
from graphstep.ops.table import OPS, as_value

__all__ = [
    "Graph", "graph",
    "OP", "LABEL", "EXPR", "VALUE", "SHAPE", "LOCAL", "FORMULA", "ARG",
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

EXPR_LIMIT = 80
_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})  # shared by every node without params


@dataclass
class EdgeArrays:
    """Every edge of a graph as numpy arrays, built once with the graph.

    Edge ``e`` runs from ``tails[e]`` into ``heads[e]`` as argument ``positions[e]``;
    edges are numbered node by node, so argument ``k`` of node ``n`` is edge
    ``offsets[n] + k``. ``by_depth`` lists the edges deepest head first (the order
    reverse accumulation needs), ``tails_by_depth``/``heads_by_depth`` are the edges'
    ends in that order, and ``levels`` the slices of equal head depth.
    """

    tails: np.ndarray
    heads: np.ndarray
    positions: np.ndarray
    offsets: np.ndarray
    by_depth: np.ndarray
    tails_by_depth: np.ndarray
    heads_by_depth: np.ndarray
    levels: list[tuple[int, int]]
    groups: dict[str, np.ndarray]

    def __init__(self, args: list[tuple[int, ...]], depths: list[int], ops: list[str]):
        arity = np.fromiter(map(len, args), dtype=np.int64, count=len(args))
        self.offsets = np.concatenate(([0], np.cumsum(arity)[:-1])) if len(args) else arity
        count = int(arity.sum())
        self.tails = np.fromiter(chain.from_iterable(args), dtype=np.int64, count=count)
        self.heads = np.repeat(np.arange(len(args)), arity)
        self.positions = np.arange(count) - self.offsets[self.heads]
        # negated depths in the narrowest integer type, so the stable sort is a radix sort
        negated = -np.asarray(depths, dtype=np.int64)
        small = np.int16 if len(depths) and negated.min() > -(2**15) else np.int64
        head_depth = negated.astype(small)[self.heads]
        self.by_depth = np.argsort(head_depth, kind="stable")
        self.tails_by_depth = self.tails[self.by_depth]
        self.heads_by_depth = self.heads[self.by_depth]
        sorted_depth = head_depth[self.by_depth]  # ascending negated depth: deepest first
        cuts = (np.flatnonzero(np.diff(sorted_depth)) + 1).tolist()
        self.levels = list(zip([0] + cuts, cuts + [count]))
        names = sorted(set(ops))
        code = {name: k for k, name in enumerate(names)}
        codes = np.fromiter(map(code.__getitem__, ops), dtype=np.int64, count=len(ops))
        by_code = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[by_code], np.arange(len(names) + 1)).tolist()
        #: node ids by op name, in node order
        self.groups = {name: by_code[bounds[k]:bounds[k + 1]] for k, name in enumerate(names)}


class Graph:
    """An expression as a DAG: values on nodes, local derivatives on edges.

    Build one with :func:`graphstep.build.parse` or :func:`graphstep.graph`. Attributes:
    ``output`` (node id), ``value`` (output value), ``inputs`` (input names in order of
    first appearance) and ``nx`` (the networkx view).

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
        collecting = gc.isenabled()
        gc.disable()  # building many small tuples would trigger needless collections
        try:
            order = _ancestors(output)
            for i, v in enumerate(order):
                v.index = i
            self._vars = order
            self._ops = [v.op for v in order]
            self._args = [tuple([a.index for a in v.args]) for v in order]
            self._values = [v.value for v in order]
            self._params = [v.params or _NO_PARAMS for v in order]
            self._depths = [v.depth for v in order]
            self.edge_arrays = EdgeArrays(self._args, self._depths, self._ops)
        finally:
            if collecting:
                gc.enable()
        self.output = len(order) - 1
        self.value = output.value
        self._input_nodes: dict[str, int] = {}
        for i, op_name in enumerate(self._ops):
            if op_name != "input":
                continue
            v = order[i]
            if v.name in self._input_nodes:
                raise InputError(
                    f"two different inputs are named {v.name!r}; give each input its own name"
                )
            self._input_nodes[v.name] = i
        self.inputs = list(self._input_nodes)
        self._locals: dict[tuple[int, int], Any] = {}
        #: ``strict=True``: a value or derivative out of its domain raises DomainError
        self.strict = strict
        #: the nodes whose value is nan/inf while their arguments' are not, with the message
        self.domain_problems: dict[int, str] = {}
        self._check_domain(strict)

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
        """True when every value in the graph is a scalar float."""
        return all(type(v) is float for v in self._values)

    @cached_property
    def value_array(self) -> np.ndarray:
        """The values of a scalar graph as one float array, by node id."""
        return np.fromiter(self._values, dtype=float, count=len(self._values))

    def node(self, name: str) -> int:
        """The node id of input ``name``; an InputError lists the known names."""
        try:
            return self._input_nodes[name]
        except KeyError:
            known = ", ".join(self.inputs) or "none"
            raise InputError(f"no input named {name!r}; the inputs are: {known}") from None

    def op(self, node: int) -> str:
        return self._ops[node]

    def args(self, node: int) -> tuple[int, ...]:
        """The node ids of ``node``'s arguments, in order (repeats allowed: ``x*x``)."""
        return self._args[node]

    def value_of(self, node: int) -> Any:
        return self._values[node]

    def shape_of(self, node: int) -> tuple[int, ...]:
        return np.shape(self._values[node])

    def label(self, node: int) -> str:
        return self.labels[node]

    def params(self, node: int) -> Mapping[str, Any]:
        return self._params[node]

    def edges(self) -> Iterator[tuple[int, int, int]]:
        """Every edge as ``(tail, head, argument position)``, in node order."""
        for head, args in enumerate(self._args):
            for pos, tail in enumerate(args):
                yield tail, head, pos

    @cached_property
    def users(self) -> list[list[tuple[int, int]]]:
        """For each node, the ``(head, position)`` pairs of the edges leaving it."""
        result: list[list[tuple[int, int]]] = [[] for _ in self._ops]
        for tail, head, pos in self.edges():
            result[tail].append((head, pos))
        return result

    @cached_property
    def active(self) -> list[bool]:
        """For each node, whether it depends on some input (so can carry a gradient)."""
        flags = []
        for op, args in zip(self._ops, self._args):
            flags.append(op == "input" or any(flags[a] for a in args))
        return flags

    # --- labels and expressions ------------------------------------------------------
    @cached_property
    def labels(self) -> list[str]:
        """Display names by node id: input names, constants' values, ``u1``, ``u2``, ..."""
        labels, k = [], 0
        for v in self._vars:
            if v.op == "input":
                labels.append(v.name)
            elif v.op == "const":
                labels.append(v.text)
            else:
                k += 1
                labels.append(f"u{k}")
        return labels

    @cached_property
    def _exprs(self) -> list[str]:
        texts: list[str] = []
        for i, v in enumerate(self._vars):
            if v.text is not None:
                text = v.text
            elif v.op == "broadcast":
                text = texts[self._args[i][0]]
            else:
                args = [texts[a] for a in self._args[i]]
                text = format_op(v.op, args, [_prec(self._vars[a]) for a in self._args[i]],
                                 self._params[i])
            texts.append(text if len(text) <= EXPR_LIMIT else text[: EXPR_LIMIT - 1] + "…")
        return texts

    def expr(self, node: int) -> str:
        """The sub-expression ``node`` computes, as text (cut with ``…`` when long)."""
        return self._exprs[node]

    # --- local derivatives -----------------------------------------------------------
    def local(self, head: int, pos: int) -> Any:
        """The local derivative ``d head / d (argument pos)``: a float or a Jacobian."""
        key = (head, pos)
        cached = self._locals.get(key)
        if cached is None:
            cached = self._locals[key] = self._compute_local(head, pos)
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
            params = dict(self._params[head])
            params["_labels"] = tuple(self.labels[a] for a in self._args[head]) + (
                self.labels[head],)
            rule = op.local[0](pos) if op.arity == -1 else op.local[pos]
            result = rule(args, out, params)
        if isinstance(result, jac.Jacobian) and out_shape == () and result.in_shape == ():
            return float(result.vjp(1.0))
        return result

    def formula(self, head: int, pos: int) -> str:
        """The readable formula of the local derivative on edge ``(head, pos)``."""
        op = OPS[self._ops[head]]
        if not op.elementwise:
            return jac.formula_of(self.local(head, pos))
        arg_ids = self._args[head]
        labels = tuple(self.labels[a] for a in arg_ids)
        consts = tuple(self._values[a] if self._ops[a] == "const" else None for a in arg_ids)
        params = dict(self._params[head])
        params["_values"] = tuple(self._values[a] for a in arg_ids)  # a tie shows in the formula
        return op.formula[pos](labels, consts, self.labels[head], params)

    def edge_formula(self, head: int, pos: int) -> str:
        """The formula as shown on an edge: ``diag(...)`` or ``I`` for tensor edges."""
        local = self.local(head, pos)
        return local.formula if isinstance(local, jac.Jacobian) else self.formula(head, pos)

    # --- re-evaluation -----------------------------------------------------------------
    def evaluate(self, values: dict[str, Any]) -> Any:
        """The output value with some inputs replaced (the graph itself is unchanged).

        >>> import graphstep as gs
        >>> gs.parse("x**2 + y", x=1.0, y=0.0).evaluate({"x": 3.0})
        9.0
        """
        current: list[Any] = []
        with np.errstate(all="ignore"):
            for i, op_name in enumerate(self._ops):
                if op_name == "input" and self._vars[i].name in values:
                    current.append(values[self._vars[i].name])
                elif op_name in ("input", "const"):
                    current.append(self._values[i])
                else:
                    args = tuple(current[a] for a in self._args[i])
                    current.append(as_value(OPS[op_name].forward(args, self._params[i])))
        return current[self.output]

    # --- domain ------------------------------------------------------------------------
    def _check_domain(self, strict: bool) -> None:
        if self.is_scalar and np.isfinite(self.value_array).all():
            return
        with np.errstate(all="ignore"):
            for i, value in enumerate(self._values):
                # a finite sum means every element is finite (one pass, no temporary array);
                # only when the sum is not finite (or overflows) look element by element
                if math.isfinite(np.sum(value)) or np.all(np.isfinite(value)):
                    continue
                args = [self._values[a] for a in self._args[i]]
                if not all(np.all(np.isfinite(a)) for a in args):
                    continue  # inherited from an argument: reported there
                self.domain_problems[i] = message = self._domain_message(i, args, value)
                domain_problem(message, strict)

    def _domain_message(self, node: int, args: list[Any], value: Any) -> str:
        kind = "nan" if np.any(np.isnan(value)) else "inf"
        op = self._ops[node]
        if op == "const":
            return (f"the constant {self.labels[node]} is {kind}: it does not fit a float "
                    f"(the largest is {np.finfo(float).max:.4g})" if kind == "inf" else
                    f"the constant {self.labels[node]} is nan")
        if op == "input":
            return f"the input {self.labels[node]} is {kind}: {_show(value, value)}"
        shown = ", ".join(f"{self.labels[a]} = {_show(v, value)}"
                          for a, v in zip(self._args[node], args))
        edges = ", ".join(f"{self.labels[a]} → {self.labels[node]}"
                          for a in dict.fromkeys(self._args[node]) if self._ops[a] != "const")
        derivative = f", nor is the derivative on {edges}" if edges else ""
        return (
            f"{self.expr(node)} ({self.labels[node]}) is {kind} for {shown}: "
            f"{op} is not defined there{derivative}"
        )

    def check_derivatives(self, wanted: Iterable[int], finite: bool) -> None:
        """Report nan/inf derivatives on the paths from the ``wanted`` nodes to the output.

        The derivative algorithms call this after a pass when a result they return is not
        finite (``finite=False``) or when some value in the graph is nan/inf. It looks for
        the cause: a node whose value is out of its op's domain, an edge whose local
        derivative is nan/inf (``sqrt`` at 0), or else a product of local derivatives that
        overflowed, and warns with a :class:`~graphstep.errors.DomainWarning` naming the
        node, its sub-expression and the edge (a :class:`~graphstep.errors.DomainError`
        when the graph is ``strict``).

        >>> import warnings, graphstep as gs
        >>> g = gs.parse("sqrt(x)", x=0.0)
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     gs.grad(g)
        {'x': inf}
        >>> for part in str(caught[0].message).split(": "):
        ...     print(part)
        the derivative of sqrt(x) (u1) with respect to x on edge x → u1 is inf for x = 0
        sqrt is not differentiable there (1/(2·u1))
        """
        wanted = set(wanted)
        carries = [False] * len(self)
        for node, args in enumerate(self._args):
            carries[node] = node in wanted or any(carries[a] for a in args)
        messages = []
        with np.errstate(all="ignore"):
            for head in range(len(self) - 1, -1, -1):
                if not any(carries[a] for a in self._args[head]):
                    continue
                if head in self.domain_problems:
                    messages.append(self.domain_problems[head])
                    continue
                bad_args = [a for a in self._args[head] if not np.isfinite(self._values[a]).all()]
                if bad_args:  # downstream of a value out of its domain: reported there
                    messages.extend(self.domain_problems[n] for n in self._origins(bad_args))
                    continue
                for pos, tail in enumerate(self._args[head]):
                    if not carries[tail]:
                        continue
                    kind = _nonfinite(self.local(head, pos))
                    if kind is not None:
                        messages.append(self._derivative_message(head, pos, kind))
        if not messages and not finite:
            names = [self.labels[n] for n in sorted(wanted)]
            messages.append(
                f"the derivative of {self.expr(self.output)} ({self.labels[self.output]}) with "
                f"respect to {', '.join(names)} overflowed: every local derivative on the way is "
                "finite, their product is not"
            )
        for message in dict.fromkeys(messages):
            domain_problem(message, self.strict)

    def _origins(self, nodes: list[int]) -> list[int]:
        """The nodes among ``nodes`` and their ancestors whose domain problem was reported."""
        found, seen, stack = [], set(), list(nodes)
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            if node in self.domain_problems:
                found.append(node)
            else:
                stack.extend(self._args[node])
        return sorted(found)

    def _derivative_message(self, head: int, pos: int, kind: str) -> str:
        tail = self._args[head][pos]
        shown = ", ".join(f"{self.labels[a]} = {_show(self._values[a], None)}"
                          for a in dict.fromkeys(self._args[head]) if self._ops[a] != "const")
        return (
            f"the derivative of {self.expr(head)} ({self.labels[head]}) with respect to "
            f"{self.labels[tail]} on edge {self.labels[tail]} → {self.labels[head]} is {kind} "
            f"for {shown}: {self._ops[head]} is not differentiable there "
            f"({self.edge_formula(head, pos)})"
        )

    # --- networkx view -------------------------------------------------------------
    @cached_property
    def nx(self) -> nx.MultiDiGraph:
        """The networkx ``MultiDiGraph``: one edge per use of a value, keyed by position."""
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

    # --- Jupyter -----------------------------------------------------------------------
    def _repr_mimebundle_(self, include=None, exclude=None):
        from graphstep.render.dot import mimebundle  # rendering sits below the graph layer

        return mimebundle(self, include=include, exclude=exclude)


_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def domain_problem(message: str, strict: bool) -> None:
    """Raise :class:`DomainError` (``strict``) or warn with a :class:`DomainWarning`.

    The warning is attributed to the first caller outside graphstep, so the same problem
    met again from the same line of user code is shown once (Python's ``default`` filter).
    """
    if strict:
        raise DomainError(message)
    level, frame = 2, sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, DomainWarning, stacklevel=level)


def _show(v: Any, value: Any) -> str:
    """A value in a message: the number, or the first offending elements of an array."""
    if np.ndim(v) == 0:
        return f"{float(v):g}"
    bad = ~np.isfinite(value) if value is not None and np.shape(value) == np.shape(v) else slice(None)
    return f"{np.asarray(v)[bad].ravel()[:3]} (first offending elements)"


def _nonfinite(local: Any) -> str | None:
    """``"nan"`` or ``"inf"`` when a local derivative has such an entry, else None."""
    if isinstance(local, jac.Chain):
        kinds = [_nonfinite(factor) for factor in local.factors]
        return "nan" if "nan" in kinds else ("inf" if "inf" in kinds else None)
    if isinstance(local, jac.Transposed):
        return _nonfinite(local.inner)
    if isinstance(local, jac.Jacobian):
        parts = [getattr(local, name) for name in ("d", "c", "matrix", "a", "b", "s")
                 if hasattr(local, name)]
    else:
        parts = [local]
    arrays = [np.asarray(p, dtype=float) for p in parts]
    if all(np.isfinite(a).all() for a in arrays):
        return None
    return "nan" if any(np.isnan(a).any() for a in arrays) else "inf"


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

    With ``strict=True`` a value that leaves its op's domain (log of a negative
    number, ...) raises :class:`~graphstep.errors.DomainError`; otherwise it becomes
    nan/inf with a :class:`~graphstep.errors.DomainWarning` naming the node.

    >>> import graphstep as gs
    >>> x = gs.var("x", 1.5)
    >>> g = gs.graph(x * gs.exp(x**2))
    >>> g.inputs, len(g)
    (['x'], 5)
    """
    return Graph(output, strict=strict)
