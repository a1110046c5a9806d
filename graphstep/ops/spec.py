"""What an op entry holds: :class:`OpSpec`, its :class:`Kind`, its parse :class:`Param`\\ s.

The entries themselves are in :mod:`graphstep.ops.table`; this module says what each
field means and holds the few helpers every entry shares (writing an op as text).

>>> spec = OpSpec(name="twice", kind=Kind.ELEMENTWISE, arity=1, names=("twice",),
...               forward=lambda args, params: 2 * args[0],
...               local=(lambda args, out, params: 2.0,), formula=(lambda *_: "2",),
...               text="twice({0})")
>>> spec.elementwise, spec.forward((3.0,), {}), spec.write(["x"], [6], None)
(True, 6.0, 'twice(x)')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from graphstep.text import superscript

__all__ = ["Leaf", "INPUT", "CONST", "Kind", "Param", "OpSpec", "ATOM", "as_value", "power_text"]

#: The precedence of a name or a number: never parenthesised.
ATOM = 6


class Leaf(str, Enum):
    """The ops of the leaves of a graph; each is the public string (``op == "input"``).

    It prints, formats and hashes as that string, so node attributes, dict keys and
    every text stay what they were.

    Attributes
    ----------
    INPUT : Leaf
        ``"input"``: a named input, differentiated by.
    CONST : Leaf
        ``"const"``: a constant.

    Examples
    --------
    >>> INPUT == "input", f"{CONST}", str(INPUT), [INPUT], INPUT is Leaf("input")
    (True, 'const', 'input', ['input'], True)
    """

    INPUT = "input"
    CONST = "const"

    __str__ = str.__str__
    __format__ = str.__format__

    def __repr__(self) -> str:
        return str.__repr__(self)


#: The op of an input node (the node attribute ``op`` equals ``"input"``).
INPUT = Leaf.INPUT
#: The op of a constant node (the node attribute ``op`` equals ``"const"``).
CONST = Leaf.CONST


class Kind(Enum):
    """How an op's local derivatives are given.

    Attributes
    ----------
    ELEMENTWISE : Kind
        Each argument's derivative is an elementwise value ``d`` (a float for scalars); the
        graph makes it ``diag(d)`` for tensors, and numpy broadcasting applies to the
        arguments.
    STRUCTURAL : Kind
        The derivative is a :class:`~graphstep.ops.jacobians.Jacobian` built by the entry's
        ``jacobian``.

    Examples
    --------
    >>> from graphstep.ops.table import OPS
    >>> OPS["sin"].kind, OPS["matmul"].kind.value
    (<Kind.ELEMENTWISE: 'elementwise'>, 'structural')
    """

    ELEMENTWISE = "elementwise"
    STRUCTURAL = "structural"


@dataclass(frozen=True, kw_only=True)
class Param:
    """A parameter of an op that is not a traced argument (``axis``, ``shape``).

    Parameters
    ----------
    name : str
        The parameter's name (``axis``).
    keyword : bool
        It may be written ``name=...``.
    positional : bool
        It may be written as the next argument after the op's arguments.
    required : bool
        It must be given.
    default : object
        The value when it is not given.

    Both forms are read as whole-number literals (or tuples of them).

    Examples
    --------
    >>> from graphstep.ops.table import OPS
    >>> OPS["sum"].params
    (Param(name='axis', keyword=True, positional=True, required=False, default=None),)
    """

    name: str
    keyword: bool = True
    positional: bool = False
    required: bool = False
    default: Any = None


def as_value(result: Any) -> Any:
    """Normalise a computed value: 0-d results become Python floats.

    Parameters
    ----------
    result : float or array_like
        A value an op computed.

    Returns
    -------
    float or numpy.ndarray
        A float for a 0-d result, else a float64 array (``result`` itself when it is one).

    Examples
    --------
    >>> as_value(np.float32(2.5)), as_value(np.array([1, 2])).dtype
    (2.5, dtype('float64'))
    """
    if isinstance(result, np.ndarray) and result.ndim > 0:
        return result if result.dtype == np.float64 else result.astype(float)
    return float(result)


def power_text(base: str, exponent: float | str) -> str:
    """``x²`` for small integer powers, ``x^0.5`` otherwise.

    Parameters
    ----------
    base : str
        The text raised to the power (already parenthesised if needed).
    exponent : float or str
        A number, or a label (written ``x^(y)``).

    Returns
    -------
    str

    Examples
    --------
    >>> power_text("x", 2.0), power_text("u1", 3), power_text("x", 0.5), power_text("x", 1)
    ('x²', 'u1³', 'x^0.5', 'x')
    """
    if isinstance(exponent, str):
        return f"{base}^({exponent})"
    if exponent == 1:
        return base
    if float(exponent).is_integer() and -9 <= exponent <= 9:
        return base + superscript(f"{int(exponent)}")
    return f"{base}^{exponent:g}"


@dataclass(frozen=True, kw_only=True)
class OpSpec:
    """Every fact about one op. All fields are keywords; see ``docs/adding-an-op.rst``.

    Parameters
    ----------
    name : str
        The op's name (the node attribute ``op``).
    kind : Kind
        Elementwise or structural.
    arity : int
        The number of arguments (``variadic``: the least).
    forward : callable
        ``forward(args, params)``: the value from the arguments' values.
    text : str
        The template with ``{0}``, ``{1}`` (a variadic op: ``{0}`` is the list).
    variadic : bool
        Any number of arguments, written as a list (``stack``).
    scalar_forward : callable, optional
        The same as ``forward`` on Python floats, when that is faster (tracing a large scalar
        network takes this path for ``+ - *``, unary minus and ``relu``).
    local : tuple of callable
        Elementwise ops: ``local[i](args, out, params)`` is argument ``i``'s local derivative
        ``d`` (elementwise, a float for scalars).
    constant_local : tuple of float
        The same when it never depends on values (``+``, ``-``), so no function is called.
    jacobian : callable, optional
        Structural ops: ``jacobian(pos, args, out, params, labels)``, the
        :class:`~graphstep.ops.jacobians.Jacobian` of argument ``pos``; ``labels`` are the
        arguments' labels followed by the output's (for its formula text).
    shape : callable, optional
        Structural ops: ``shape(shapes, params, texts)``, the output shape, or a
        :class:`~graphstep.errors.ShapeError` naming ``texts`` (elementwise ops broadcast).
    formula : tuple of callable
        Elementwise ops: ``formula[i](labels, consts, out_label, values)``, the local
        derivative as text (``cos(u1)``); ``consts[k]`` is argument ``k``'s value where it is
        a constant, else None; ``values`` are the arguments' values (a tie shows).
    adjoint : tuple of callable
        ``adjoint[i](m, G, edge)``: the adjoint argument ``i`` receives when the output's
        adjoint is the expression ``G``, built with the public builder ``m``
        (:mod:`graphstep.formulas.builder`); ``edge`` has ``pos``, ``args`` and ``out`` (as
        expressions), ``shapes``, ``out_shape``, ``params``, ``node``, ``labels`` and
        ``transposed(k)``. A variadic op gives one rule for every position.
    sentence : callable, optional
        ``sentence(parts)``: the dimension-analysis sentence of a tensor edge
        (:mod:`graphstep.formulas.sentences` says what ``parts`` holds); None for the
        elementwise sentence ("it acts entry by entry").
    precedence : int
        1 sums, 2 products, 3 signs, 4 powers, 5 calls.
    tighter : tuple of int
        Argument positions parenthesised also at equal precedence (``a - (b - c)``).
    transparent : bool
        Written as its argument (a broadcast).
    latex : str
        The LaTeX template.
    names : tuple of str
        The function names in text and as ``gs.<name>`` (``log`` and ``ln``).
    operator : str, optional
        The Python operator that builds it (``"+"``, ``"@"``, ``"neg"``).
    params : tuple of Param
        Its parameters that are not traced arguments.
    activation : bool
        Its output is a layer's activation, named ``G_u`` in backprop formulas.

    Examples
    --------
    >>> from graphstep.ops.table import OPS
    >>> spec = OPS["sin"]
    >>> spec.kind, spec.names, spec.text, float(spec.forward((0.0,), {}))
    (<Kind.ELEMENTWISE: 'elementwise'>, ('sin',), 'sin({0})', 0.0)
    """

    name: str
    kind: Kind
    arity: int
    forward: Callable[[tuple, dict], Any]
    text: str
    variadic: bool = False
    scalar_forward: Callable | None = None
    local: tuple[Callable, ...] = ()
    constant_local: tuple[float, ...] = ()
    jacobian: Callable | None = None
    shape: Callable[[tuple, dict, tuple], tuple] | None = None
    formula: tuple[Callable, ...] = ()
    adjoint: tuple[Callable, ...] = ()
    sentence: Callable | None = None
    precedence: int = 5
    tighter: tuple[int, ...] = ()
    transparent: bool = False
    latex: str = ""
    names: tuple[str, ...] = ()
    operator: str | None = None
    params: tuple[Param, ...] = field(default=())
    activation: bool = False

    @property
    def elementwise(self) -> bool:
        """Whether the op acts entry by entry (its derivatives are diagonal).

        Returns
        -------
        bool

        Examples
        --------
        >>> from graphstep.ops.table import OPS
        >>> OPS["exp"].elementwise, OPS["matmul"].elementwise
        (True, False)
        """
        return self.kind is Kind.ELEMENTWISE

    def adjoint_rule(self, pos: int) -> Callable:
        """The matrix-form adjoint rule of argument ``pos`` (the one rule of a variadic op).

        Parameters
        ----------
        pos : int
            The argument's position.

        Returns
        -------
        callable
            ``(m, G, edge) -> Expr`` (see the ``adjoint`` field).

        Examples
        --------
        >>> from graphstep.ops.table import OPS
        >>> OPS["stack"].adjoint_rule(5) is OPS["stack"].adjoint_rule(0), callable(OPS["mul"].adjoint_rule(1))
        (True, True)
        """
        return self.adjoint[0] if self.variadic else self.adjoint[pos]

    def write(self, texts: list[str], precs: list[int], params: dict | None) -> str:
        """The op applied to already-written arguments, with the parentheses it needs.

        Parameters
        ----------
        texts : list of str
            The arguments, written.
        precs : list of int
            The arguments' precedences (:data:`ATOM` for names and numbers).
        params : dict or None
            The op's parameters, written after the arguments when given.

        Returns
        -------
        str

        Examples
        --------
        >>> from graphstep.ops.table import OPS
        >>> OPS["sub"].write(["a", "b - c"], [6, 1], None), OPS["sum"].write(["v"], [6], {"axis": 0})
        ('a - (b - c)', 'sum(v, axis=0)')
        """
        texts = list(texts)
        if self.text.startswith(("{0}", "-{0}")):
            for i, (text, p) in enumerate(zip(texts, precs)):
                if p < self.precedence or (p == self.precedence and i in self.tighter):
                    texts[i] = f"({text})"
        if self.variadic:
            return self.text.format(", ".join(texts))
        text = self.text.format(*texts)
        for param in self.params:
            value = (params or {}).get(param.name)
            if value is None:
                continue
            shown = tuple(value) if param.name == "shape" else value
            text = text[:-1] + (f", {param.name}={shown})" if param.keyword else f", {shown})")
        return text
