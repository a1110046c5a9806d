"""Values and derivatives out of their domain: finding the cause and saying so.

A value that becomes nan or inf (``log`` of a negative number) or a local derivative
that does (``sqrt`` at 0) is never silent: the functions here find the node or the edge
responsible and warn with a :class:`~graphstep.errors.DomainWarning` naming it, or
raise a :class:`~graphstep.errors.DomainError` when the graph is ``strict``. They read
a graph through its public API only (:class:`graphstep.graph.Graph` calls
:func:`value_problems` when it is built; the derivative algorithms call
:func:`check_results`).

>>> import warnings, graphstep as gs
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     g = gs.parse("log(x)", x=-1.0)
>>> g.domain_problems
{1: 'log(x) (u1) is nan for x = -1: log is not defined there, nor is the derivative on x → u1'}
"""

from __future__ import annotations

import math
import os
import sys
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from graphstep.errors import DomainError, DomainWarning
from graphstep.ops import jacobians as jac
from graphstep.ops.table import CONST, INPUT

if TYPE_CHECKING:  # the graph layer sits above this module
    from graphstep.graph import Graph

__all__ = ["domain_problem", "value_problems", "check_derivatives", "check_results", "is_finite"]

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def domain_problem(message: str, strict: bool) -> None:
    """Raise a :class:`~graphstep.errors.DomainError` or warn with a :class:`~graphstep.errors.DomainWarning`.

    The warning is attributed to the first caller outside graphstep, so the same problem
    met again from the same line of user code is shown once (Python's ``default`` filter).

    Parameters
    ----------
    message : str
        What is out of its domain, naming the node or edge.
    strict : bool
        Raise instead of warning.

    Raises
    ------
    DomainError
        When ``strict`` is true.

    Examples
    --------
    >>> domain_problem("sqrt of -1", strict=True)
    Traceback (most recent call last):
    ...
    graphstep.errors.DomainError: sqrt of -1
    """
    if strict:
        raise DomainError(message)
    level, frame = 2, sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, DomainWarning, stacklevel=level)


def value_problems(g: Graph) -> dict[int, str]:
    """The nodes whose value is nan/inf while their arguments' values are finite.

    Each problem is reported once, at the node where it starts, with
    :func:`domain_problem` (so a ``strict`` graph raises on the first one).

    Parameters
    ----------
    g : Graph
        The graph to inspect (its values are already computed).

    Returns
    -------
    dict
        ``{node: message}``, in node order; empty when every value is finite.

    Raises
    ------
    DomainError
        When ``g.strict`` and some value is nan/inf.

    Examples
    --------
    >>> import graphstep as gs
    >>> value_problems(gs.parse("x * 2", x=1.0))
    {}
    """
    problems: dict[int, str] = {}
    if g.is_scalar and np.isfinite(g.value_array).all():
        return problems
    with np.errstate(all="ignore"):
        for node in range(len(g)):
            value = g.value_of(node)
            # a finite sum means every element is finite (one pass, no temporary array);
            # only when the sum is not finite (or overflows) look element by element
            if math.isfinite(np.sum(value)) or np.all(np.isfinite(value)):
                continue
            args = [g.value_of(a) for a in g.args(node)]
            if not all(np.all(np.isfinite(a)) for a in args):
                continue  # inherited from an argument: reported there
            problems[node] = message = _value_message(g, node, args, value)
            domain_problem(message, g.strict)
    return problems


def _value_message(g: Graph, node: int, args: list[Any], value: Any) -> str:
    kind = "nan" if np.any(np.isnan(value)) else "inf"
    op = g.op(node)
    label = g.label(node)
    if op == CONST:
        return (f"the constant {label} is {kind}: it does not fit a float "
                f"(the largest is {np.finfo(float).max:.4g})" if kind == "inf" else
                f"the constant {label} is nan")
    if op == INPUT:
        return f"the input {label} is {kind}: {_show(value, value)}"
    shown = ", ".join(f"{g.label(a)} = {_show(v, value)}" for a, v in zip(g.args(node), args))
    edges = ", ".join(f"{g.label(a)} → {label}"
                      for a in dict.fromkeys(g.args(node)) if g.op(a) != CONST)
    derivative = f", nor is the derivative on {edges}" if edges else ""
    return f"{g.expr(node)} ({label}) is {kind} for {shown}: {op} is not defined there{derivative}"


def is_finite(value: Any) -> bool:
    """True when ``value`` (None, a float or an array) has no nan/inf.

    One pass and no temporary array in the usual (finite) case.

    Parameters
    ----------
    value : None, float or numpy.ndarray
        A derivative, or None for one that was never computed.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_finite(None), is_finite(1.0), is_finite(np.array([1.0, np.inf]))
    (True, True, False)
    """
    if value is None:
        return True
    with np.errstate(all="ignore"):
        return math.isfinite(np.sum(value)) or bool(np.isfinite(value).all())


def check_results(g: Graph, wanted: Iterable[int], results: Iterable[Any]) -> None:
    """Warn (or raise) when a derivative about to be returned is nan/inf or passes a bad value.

    The usual case costs one pass over ``results``; :func:`check_derivatives` looks for
    the cause only when there is one.

    Parameters
    ----------
    g : Graph
        The graph the derivatives belong to.
    wanted : iterable of int
        The nodes the derivatives are taken with respect to.
    results : iterable
        The derivatives about to be returned.

    Raises
    ------
    DomainError
        When ``g.strict`` and a derivative is nan/inf.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("sqrt(x)", x=0.0, strict=True)
    >>> check_results(g, [0], [0.5])  # finite: nothing to say
    >>> check_results(g, [0], [float("inf")])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    graphstep.errors.DomainError: the derivative of sqrt(x) (u1) with respect to x ...
    """
    wanted = list(wanted)
    finite = all(is_finite(value) for value in results)
    if not finite or g.domain_problems:
        check_derivatives(g, wanted, finite)


def check_derivatives(g: Graph, wanted: Iterable[int], finite: bool) -> None:
    """Report nan/inf derivatives on the paths from the ``wanted`` nodes to the output.

    The derivative algorithms call this after a pass when a result they return is not
    finite (``finite=False``) or when some value in the graph is nan/inf. It looks for
    the cause: a node whose value is out of its op's domain, an edge whose local
    derivative is nan/inf (``sqrt`` at 0), or else a product of local derivatives that
    overflowed, and warns with a :class:`~graphstep.errors.DomainWarning` naming the
    node, its sub-expression and the edge.

    Parameters
    ----------
    g : Graph
        The graph the derivatives belong to.
    wanted : iterable of int
        The nodes the derivatives are taken with respect to.
    finite : bool
        Whether every result was finite.

    Raises
    ------
    DomainError
        When ``g.strict`` and a problem is found.

    Examples
    --------
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
    carries = [False] * len(g)
    for node in range(len(g)):
        carries[node] = node in wanted or any(carries[a] for a in g.args(node))
    messages = []
    with np.errstate(all="ignore"):
        for head in range(len(g) - 1, -1, -1):
            args = g.args(head)
            if not any(carries[a] for a in args):
                continue
            if head in g.domain_problems:
                messages.append(g.domain_problems[head])
                continue
            bad_args = [a for a in args if not np.isfinite(g.value_of(a)).all()]
            if bad_args:  # downstream of a value out of its domain: reported there
                messages.extend(g.domain_problems[n] for n in _origins(g, bad_args))
                continue
            for pos, tail in enumerate(args):
                if not carries[tail]:
                    continue
                kind = _nonfinite(g.local(head, pos))
                if kind is not None:
                    messages.append(_derivative_message(g, head, pos, kind))
    if not messages and not finite:
        names = [g.label(n) for n in sorted(wanted)]
        messages.append(
            f"the derivative of {g.expr(g.output)} ({g.label(g.output)}) with "
            f"respect to {', '.join(names)} overflowed: every local derivative on the way is "
            "finite, their product is not"
        )
    for message in dict.fromkeys(messages):
        domain_problem(message, g.strict)


def _origins(g: Graph, nodes: list[int]) -> list[int]:
    """The nodes among ``nodes`` and their ancestors whose domain problem was reported."""
    found, seen, stack = [], set(), list(nodes)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if node in g.domain_problems:
            found.append(node)
        else:
            stack.extend(g.args(node))
    return sorted(found)


def _derivative_message(g: Graph, head: int, pos: int, kind: str) -> str:
    tail = g.args(head)[pos]
    shown = ", ".join(f"{g.label(a)} = {_show(g.value_of(a), None)}"
                      for a in dict.fromkeys(g.args(head)) if g.op(a) != CONST)
    return (
        f"the derivative of {g.expr(head)} ({g.label(head)}) with respect to "
        f"{g.label(tail)} on edge {g.label(tail)} → {g.label(head)} is {kind} "
        f"for {shown}: {g.op(head)} is not differentiable there "
        f"({g.edge_formula(head, pos)})"
    )


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
