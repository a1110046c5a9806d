r"""The matrix-expression tree: :class:`Expr`, what evaluating needs (:class:`Env`), and the
machinery that makes node classes from one table row each (:func:`node_class`).

The nodes themselves are in :mod:`graphstep.formulas.expr` (which re-exports
:class:`Expr`, :class:`Env`, :func:`fit_value` and :func:`shape_latex`); the public
builder that combines them is :mod:`graphstep.formulas.builder`.

>>> Leaf = node_class("Leaf", "A named leaf.", "name:str", lambda p: p.name,
...                   lambda p: rf"\mathrm{{{p.name}}}", lambda n, env: 1.0)
>>> Leaf((), "x").text(), Leaf((), "x").latex(), Leaf((), "x").prec
('x', '\\mathrm{x}', 5)
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from graphstep.graph import Graph

__all__ = ["Expr", "Env", "fit_value", "shape_latex", "child_text", "atom_text", "node_class", "quiet"]


class Env:
    """What an expression needs to evaluate: the graph's values and the named adjoints.

    Parameters
    ----------
    g : Graph
        The graph whose values :class:`~graphstep.formulas.expr.Value` nodes read.
    definitions : dict of int to Expr
        Each named adjoint's defining expression, by node; evaluated once, on first use.

    Examples
    --------
    >>> import graphstep as gs
    >>> from graphstep.formulas.expr import Const
    >>> g = gs.parse("sum(v * v)", v=[1.0, 2.0])
    >>> Env(g, {2: Const((), 1.0)}).adjoint(2)
    1.0
    """

    def __init__(self, g: Graph, definitions: dict[int, Expr]):
        self.g = g
        self.definitions = definitions
        self.memo: dict[int, Any] = {}

    def adjoint(self, node: int) -> Any:
        """The value of node ``node``'s adjoint, from its definition (computed once).

        Parameters
        ----------
        node : int
            A node with a definition.

        Returns
        -------
        float or numpy.ndarray
            The adjoint, at the node's shape.

        Examples
        --------
        >>> import graphstep as gs
        >>> from graphstep.formulas.expr import Const
        >>> Env(gs.parse("2 * x", x=1.0), {2: Const((), 3.0)}).adjoint(2)
        3.0
        """
        if node not in self.memo:
            value = self.definitions[node].evaluate(self)
            self.memo[node] = fit_value(value, self.g.shape_of(node))
        return self.memo[node]


def fit_value(value: Any, shape: tuple[int, ...]) -> Any:
    """A value at ``shape``: a float for a scalar, else a (broadcast) float array.

    Parameters
    ----------
    value : float or array_like
    shape : tuple of int

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> fit_value(np.float64(2.0), ()), fit_value(1.0, (2,))
    (2.0, array([1., 1.]))
    """
    if shape == ():
        return float(np.asarray(value).reshape(()))
    return np.broadcast_to(np.asarray(value, dtype=float), shape)


@dataclass(frozen=True)
class Expr(ABC):
    """A node of a matrix-calculus expression: prints as text and LaTeX, evaluates with numpy.

    ``prec`` (1 sums, 2 products, 4 postfix, 5 atoms) and ``kind`` decide where
    parentheses go: products of different kinds are always parenthesised, so
    ``(G ⊙ s) Wᵀ`` never reads ambiguously.

    Parameters
    ----------
    shape : tuple of int
        The shape of its value; every node class adds its own fields after it.

    Examples
    --------
    >>> from graphstep.formulas.expr import Value, Neg, Had
    >>> x = Value((3,), 0, "x")
    >>> e = Had((3,), x, Neg((3,), x))
    >>> e.shape, e.prec, e.kind, str(e)
    ((3,), 2, 'had', 'x ⊙ (-x)')
    """

    shape: tuple[int, ...]

    prec = 5
    kind = "atom"

    @abstractmethod
    def text(self, notation: str = "G") -> str:
        """The expression as Unicode text, adjoints written in ``notation`` (``G_u1`` or ``ū1``).

        Parameters
        ----------
        notation : {"G", "bar"}
            How adjoints are named.

        Returns
        -------
        str

        Examples
        --------
        >>> from graphstep.formulas.expr import Adjoint
        >>> Adjoint((), 1, "u1").text(), Adjoint((), 1, "u1").text("bar")
        ('G_u1', 'ū1')
        """

    @abstractmethod
    def latex(self) -> str:
        """The expression as LaTeX.

        Returns
        -------
        str

        Examples
        --------
        >>> from graphstep.formulas.expr import Adjoint
        >>> Adjoint((), 1, "u1").latex()
        'G_{u_{1}}'
        """

    @abstractmethod
    def evaluate(self, env: Env) -> Any:
        """The expression's value, computed with numpy from the graph's values.

        Parameters
        ----------
        env : Env
            The graph and the adjoints' definitions.

        Returns
        -------
        float or numpy.ndarray

        Examples
        --------
        >>> import graphstep as gs
        >>> from graphstep.formulas.expr import Value, Had
        >>> x = Value((2,), 0, "v")
        >>> Had((2,), x, x).evaluate(Env(gs.parse("sum(v * v)", v=[1.0, 2.0]), {}))
        array([1., 4.])
        """

    def children(self) -> tuple[Expr, ...]:
        """The sub-expressions, in field order (a tuple field's items in turn).

        Returns
        -------
        tuple of Expr

        Examples
        --------
        >>> from graphstep.formulas.expr import Value, Had
        >>> x, y = Value((2,), 0, "x"), Value((2,), 1, "y")
        >>> Had((2,), x, y).children() == (x, y)
        True
        """
        return tuple(
            value for f in dataclasses.fields(self)
            for value in (getattr(self, f.name),) if isinstance(value, Expr)
        ) + tuple(
            item for f in dataclasses.fields(self)
            for value in (getattr(self, f.name),) if isinstance(value, tuple)
            for item in value if isinstance(item, Expr)
        )

    def replace(self, fn: Callable[[Expr], Expr | None]) -> Expr:
        """A copy with every sub-expression ``e`` for which ``fn(e)`` is not None replaced.

        Parameters
        ----------
        fn : callable
            ``Expr -> Expr or None``; tried on each node from the root down (a replaced node's
            children are not visited).

        Returns
        -------
        Expr

        Examples
        --------
        >>> from graphstep.formulas.expr import Value, Had
        >>> x, y = Value((2,), 0, "x"), Value((2,), 1, "y")
        >>> Had((2,), x, x).replace(lambda e: y if e == x else None).text()
        'y ⊙ y'
        """
        new = fn(self)
        if new is not None:
            return new
        changes = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Expr):
                changes[f.name] = value.replace(fn)
            elif isinstance(value, tuple) and value and all(isinstance(v, Expr) for v in value):
                changes[f.name] = tuple(v.replace(fn) for v in value)
        return dataclasses.replace(self, **changes) if changes else self

    def __str__(self) -> str:
        return self.text()


def child_text(parent: Expr, child: Expr, right: bool = False, latex: bool = False,
                notation: str = "G") -> str:
    r"""``child`` written inside ``parent``, parenthesised where precedence needs it.

    Parameters
    ----------
    parent, child : Expr
    right : bool
        ``child`` is the right operand (``a / (b / c)``).
    latex : bool
        LaTeX (``\left(...\right)``) rather than text.
    notation : {"G", "bar"}
        How adjoints are named.

    Returns
    -------
    str

    Examples
    --------
    >>> from graphstep.formulas.expr import Value, Had, MatMul
    >>> x = Value((2, 2), 0, "X")
    >>> child_text(MatMul((2, 2), x, x), Had((2, 2), x, x))
    '(X ⊙ X)'
    """
    body = child.latex() if latex else child.text(notation)
    needs = child.prec < parent.prec or (
        child.prec == parent.prec == 2
        and (child.kind != parent.kind or (parent.kind == "div" and right))
    )
    if not needs:
        return body
    return rf"\left({body}\right)" if latex else f"({body})"


def atom_text(child: Expr, latex: bool = False, notation: str = "G") -> str:
    """``child`` written as an atom: parenthesised unless it is one (before ``ᵀ`` or ``^2``).

    Parameters
    ----------
    child : Expr
    latex : bool
        LaTeX rather than text.
    notation : {"G", "bar"}
        How adjoints are named.

    Returns
    -------
    str

    Examples
    --------
    >>> from graphstep.formulas.expr import Value, Neg
    >>> x = Value((2,), 0, "x")
    >>> atom_text(x), atom_text(Neg((2,), x))
    ('x', '(-x)')
    """
    body = child.latex() if latex else child.text(notation)
    if child.prec >= 5:
        return body
    return rf"\left({body}\right)" if latex else f"({body})"


class _Parts:
    """What a node's text or LaTeX template reads: ``p.a`` (a child), ``p.name`` (a field)."""

    def __init__(self, node: Expr, latex: bool, notation: str):
        self.node, self.latex, self.notation = node, latex, notation

    def __getattr__(self, field: str) -> Any:
        value = getattr(self.node, field)
        return _Part(self, value) if isinstance(value, Expr) else value


class _Part:
    """A child as a template shows it: ``{p.a}`` plain, ``.atom``, ``.child``, ``.right``."""

    def __init__(self, parts: _Parts, child: Expr):
        self.parts, self.expr = parts, child

    def __str__(self) -> str:
        return self.expr.latex() if self.parts.latex else self.expr.text(self.parts.notation)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    @property
    def atom(self) -> str:
        return atom_text(self.expr, self.parts.latex, self.parts.notation)

    @property
    def child(self) -> str:
        return child_text(self.parts.node, self.expr, False, self.parts.latex, self.parts.notation)

    @property
    def right(self) -> str:
        return child_text(self.parts.node, self.expr, True, self.parts.latex, self.parts.notation)


def node_class(name: str, doc: str, fields: str, text: Callable, latex: Callable, evaluate: Callable,
               prec: int = 5, kind: str = "atom", module: str = __name__) -> type:
    """A node class: ``fields`` (``"a b:float=2.0"``; an untyped field is a child ``Expr``) after ``shape``.

    Parameters
    ----------
    name, doc : str
        The class's name and docstring.
    fields : str
        The fields after ``shape``, space-separated: ``name`` (a child :class:`Expr`),
        ``name:type`` or ``name:type=default``.
    text, latex : callable
        ``p -> str``, reading the node's fields as ``p.name`` and its children as ``p.a``
        (``p.a.atom``, ``p.a.child``, ``p.a.right`` parenthesise them as needed).
    evaluate : callable
        ``(node, env) -> value``.
    prec : int
        1 sums, 2 products, 4 postfix, 5 atoms.
    kind : str
        Products of different kinds are always parenthesised.
    module : str
        The ``__module__`` of the class.

    Returns
    -------
    type
        A frozen dataclass subclass of :class:`Expr`.

    Examples
    --------
    >>> Leaf = node_class("Leaf", "A named leaf.", "name:str", lambda p: p.name, lambda p: p.name,
    ...                   lambda n, env: 1.0)
    >>> Twice = node_class("Twice", "``2a``.", "a", lambda p: f"2{p.a.atom}", lambda p: f"2{p.a.atom}",
    ...                    lambda n, env: 2 * n.a.evaluate(env), prec=2, kind="scale")
    >>> Twice((), Leaf((), "x")).text(), Twice((), Twice((), Leaf((), "x"))).text()
    ('2x', '2(2x)')
    """
    specs = []
    for item in fields.split():
        field_name, _, rest = item.partition(":")
        kind_name, _, default = rest.partition("=")
        empty = "" if kind_name == "str" else None
        default_value = _field_default(default) if default else empty
        specs.append((field_name, kind_name or "Expr", dataclasses.field(default=default_value)))
    namespace = {
        "__doc__": doc, "__module__": module, "prec": prec, "kind": kind,
        "text": lambda self, notation="G": text(_Parts(self, False, notation)),
        "latex": lambda self: latex(_Parts(self, True, "G")),
        "evaluate": evaluate,
    }
    return dataclasses.make_dataclass(name, specs, bases=(Expr,), frozen=True, namespace=namespace)


def _field_default(text: str) -> Any:
    """A field default written in :func:`node_class`'s field list: a number or a word."""
    try:
        return int(text) if text.lstrip("-").isdigit() else float(text)
    except ValueError:
        return text


def quiet(fn: Callable) -> Callable:
    """An ``evaluate`` that computes with numpy's floating-point warnings off (nan and inf pass).

    Parameters
    ----------
    fn : callable
        ``(node, env) -> value``.

    Returns
    -------
    callable
        The same function, run under ``np.errstate(all="ignore")``.

    Examples
    --------
    >>> quiet(lambda node, env: np.log(0.0))(None, None)
    np.float64(-inf)
    """
    def evaluate(self, env):
        with np.errstate(all="ignore"):
            return fn(self, env)

    return evaluate


def shape_latex(shape: tuple[int, ...]) -> str:
    r"""A shape in LaTeX: ``4\times 3``, ``3``.

    Parameters
    ----------
    shape : tuple of int

    Returns
    -------
    str

    Examples
    --------
    >>> shape_latex((4, 3)), shape_latex((3,))
    ('4\\times 3', '3')
    """
    return r"\times ".join(map(str, shape)) if len(shape) != 1 else str(shape[0])
