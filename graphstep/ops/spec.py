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

    ``ELEMENTWISE``: each argument's derivative is an elementwise value ``d`` (a float for
    scalars); the graph makes it ``diag(d)`` for tensors, and numpy broadcasting applies
    to the arguments. ``STRUCTURAL``: the derivative is a
    :class:`~graphstep.ops.jacobians.Jacobian` built by the entry's ``jacobian``.
    """

    ELEMENTWISE = "elementwise"
    STRUCTURAL = "structural"


@dataclass(frozen=True, kw_only=True)
class Param:
    """A parameter of an op that is not a traced argument (``axis``, ``shape``).

    ``keyword``: may be written ``name=...``; ``positional``: may be written as the
    next argument after the op's arguments; both are read as whole-number literals
    (or tuples of them). ``required``: must be given; ``default``: the value otherwise.
    """

    name: str
    keyword: bool = True
    positional: bool = False
    required: bool = False
    default: Any = None


def as_value(result: Any) -> Any:
    """Normalise a computed value: 0-d results become Python floats.

    >>> as_value(np.float32(2.5)), as_value(np.array([1, 2])).dtype
    (2.5, dtype('float64'))
    """
    if isinstance(result, np.ndarray) and result.ndim > 0:
        return result if result.dtype == np.float64 else result.astype(float)
    return float(result)


def power_text(base: str, exponent: float | str) -> str:
    """``x²`` for small integer powers, ``x^0.5`` otherwise.

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

    Computing:

    - ``forward(args, params)``: the value from the arguments' values;
      ``scalar_forward(*floats)``: the same on Python floats, when that is faster (tracing a
      large scalar network takes this path for ``+ - *``, unary minus and ``relu``).
    - ``local[i](args, out, params)``: elementwise ops: argument ``i``'s local derivative
      ``d`` (elementwise, a float for scalars). ``constant_local[i]``: the same when it
      never depends on values (``+``, ``-``), so no function is called.
    - ``jacobian(pos, args, out, params, labels)``: structural ops: the
      :class:`~graphstep.ops.jacobians.Jacobian` of argument ``pos``; ``labels`` are the
      arguments' labels followed by the output's (for its formula text).
    - ``shape(shapes, params, texts)``: structural ops: the output shape, or a
      :class:`~graphstep.errors.ShapeError` naming ``texts`` (elementwise ops broadcast).

    Explaining:

    - ``formula[i](labels, consts, out_label, values)``: elementwise ops: the local
      derivative as text (``cos(u1)``); ``consts[k]`` is argument ``k``'s value where it is
      a constant, else None; ``values`` are the arguments' values (a tie shows).
    - ``adjoint[i](m, G, edge)``: the adjoint argument ``i`` receives when the output's
      adjoint is the expression ``G``, built with the public builder ``m``
      (:mod:`graphstep.formulas.expr`); ``edge`` has ``pos``, ``args`` and ``out`` (as
      expressions), ``shapes``, ``out_shape``, ``params``, ``node``, ``labels`` and
      ``transposed(k)``. A variadic op gives one rule for every position.
    - ``sentence(parts)``: the dimension-analysis sentence of a tensor edge
      (:mod:`graphstep.formulas.sentences` says what ``parts`` holds); None for the
      elementwise sentence ("it acts entry by entry").

    Writing and reading:

    - ``text``: the template with ``{0}``, ``{1}`` (a variadic op: ``{0}`` is the list);
      ``precedence`` (1 sums, 2 products, 3 signs, 4 powers, 5 calls);
      ``tighter``: argument positions parenthesised also at equal precedence
      (``a - (b - c)``); ``transparent``: written as its argument (a broadcast);
      ``latex``: the LaTeX template.
    - ``names``: the function names in text and as ``gs.<name>`` (``log`` and ``ln``);
      ``operator``: the Python operator that builds it (``"+"``, ``"@"``, ``"neg"``);
      ``arity``; ``variadic`` (``stack``: any number, written as a list);
      ``params``: its :class:`Param` s; ``activation``: its output is a layer's
      activation, named ``G_u`` in backprop formulas.
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
        """Whether the op acts entry by entry (its derivatives are diagonal)."""
        return self.kind is Kind.ELEMENTWISE

    def adjoint_rule(self, pos: int) -> Callable:
        """The matrix-form adjoint rule of argument ``pos`` (the one rule of a variadic op)."""
        return self.adjoint[0] if self.variadic else self.adjoint[pos]

    def write(self, texts: list[str], precs: list[int], params: dict | None) -> str:
        """The op applied to already-written arguments, with the parentheses it needs.

        ``precs`` are the arguments' precedences (:data:`ATOM` for names and numbers).

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
