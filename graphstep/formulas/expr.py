r"""Matrix-calculus expressions: small trees that print as text and LaTeX and evaluate with numpy.

:mod:`graphstep.formulas.backprop` builds them from a graph's per-edge adjoint rules (``G_W = Xᵀ G_u1``,
``G_u1 = G_u2 ⊙ (1 - u2²)``, ``G_b = 1ᵀ G``); this module only knows the expressions. The
smart constructors (:func:`scale`, :func:`neg`, :func:`had`, :func:`add`) fold numbers and
like terms as they build, so ``2·(0.5·u5)`` is written ``u5``.

>>> x = Value((3,), 0, "x")
>>> e = had(add([Const((), 1.0), neg(x)]), scale(2.0, x))
>>> print(e.text())
2·((1 - x) ⊙ x)
>>> print(e.latex())
2\,\left(\left(1 - x\right) \odot x\right)
"""

from __future__ import annotations

import contextvars
import dataclasses
import math
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from graphstep.errors import InputError
from graphstep.ops.jacobians import Chain as ChainJacobian
from graphstep.ops.jacobians import Diagonal as DiagonalJacobian
from graphstep.ops.jacobians import shape_text, unbroadcast
from graphstep.ops.jacobians import vjp as apply_vjp
from graphstep.ops.table import power_text

if TYPE_CHECKING:
    from graphstep.graph import Graph

__all__ = [
    "Expr", "Value", "Const", "Adjoint", "Mask", "Neg", "Scale", "Transpose", "Fn", "Pow",
    "PowerOf", "PowerRule", "Indicator", "SumTo", "Expand", "SumKeep", "Reshape", "Index", "BroadcastTo",
    "Pullback", "Add", "Had", "MatMul", "Outer", "Div",
    "scale", "neg", "had", "add", "adjoint_name", "latex_name",
]

_MINUS = "-"


def _num(c: float) -> str:
    return f"{c:g}"


def _size(shape: tuple[int, ...]) -> int:
    return math.prod(shape)


#: How adjoints are written in text: ``"G"`` (``G_u1``, the seeds' notation) or ``"bar"`` (``ū1``).
_NOTATION: contextvars.ContextVar[str] = contextvars.ContextVar("notation", default="G")


def _check_notation(notation: str) -> str:
    if notation not in ("G", "bar"):
        raise InputError(f"notation must be 'G' (G_u1) or 'bar' (ū1), got {notation!r}")
    return notation


def adjoint_name(label: str) -> str:
    """The adjoint of ``label`` as text: ``G_u1`` (or ``ū1`` inside ``notation="bar"`` calls).

    >>> adjoint_name("W1")
    'G_W1'
    """
    if _NOTATION.get() == "G":
        return f"G_{label}"
    if len(label) == 1 or label[1:].isdigit():
        return unicodedata.normalize("NFC", label[0] + "\u0304" + label[1:])
    return "".join(ch + "\u0305" for ch in label)



# ======================================================================================
# names in LaTeX
# ======================================================================================

_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
}


def latex_name(name: str) -> str:
    """A label in LaTeX: ``W1`` -> ``W_{1}``, ``u12`` -> ``u_{12}``, ``theta`` -> ``\\theta``.

    >>> latex_name("W1"), latex_name("b_out"), latex_name("th"), latex_name("2")
    ('W_{1}', 'b_{\\\\mathit{out}}', '\\\\mathit{th}', '2')
    """
    try:
        float(name)
        return name
    except ValueError:
        pass
    if not name.replace("_", "").isalnum():
        return r"\text{" + name.replace("\\", "").replace("{", "").replace("}", "") + "}"
    if "_" in name:
        base, _, sub = name.partition("_")
        return f"{latex_name(base)}_{{{latex_name(sub)}}}" if base else latex_name(sub)
    stem = name.rstrip("0123456789")
    digits = name[len(stem):]
    if stem in _GREEK:
        stem_tex = "\\" + stem
    elif len(stem) <= 1:
        stem_tex = stem
    else:
        stem_tex = r"\mathit{" + stem + "}"
    if digits and stem:
        return f"{stem_tex}_{{{digits}}}"
    return stem_tex or digits


# ======================================================================================
# the expression tree
# ======================================================================================


class _Env:
    """What an expression needs to evaluate: the graph's values and the named adjoints."""

    def __init__(self, g: Graph, definitions: dict[int, Expr]):
        self.g = g
        self.definitions = definitions
        self.memo: dict[int, Any] = {}

    def adjoint(self, node: int) -> Any:
        if node not in self.memo:
            value = self.definitions[node].evaluate(self)
            self.memo[node] = _fit(value, self.g.shape_of(node))
        return self.memo[node]


def _fit(value: Any, shape: tuple[int, ...]) -> Any:
    if shape == ():
        return float(np.asarray(value).reshape(()))
    return np.broadcast_to(np.asarray(value, dtype=float), shape)


@dataclass(frozen=True)
class Expr(ABC):
    """A node of a matrix-calculus expression: prints as text and LaTeX, evaluates with numpy.

    ``shape`` is the shape of its value. ``prec`` (1 sums, 2 products, 4 postfix, 5 atoms)
    and ``kind`` decide where parentheses go: products of different kinds are always
    parenthesised, so ``(G ⊙ s) Wᵀ`` never reads ambiguously.
    """

    shape: tuple[int, ...]

    prec = 5
    kind = "atom"

    @abstractmethod
    def text(self) -> str:
        """The expression as Unicode text."""

    @abstractmethod
    def latex(self) -> str:
        """The expression as LaTeX."""

    @abstractmethod
    def evaluate(self, env: _Env) -> Any:
        """The expression's value, computed with numpy from the graph's values."""

    def children(self) -> tuple[Expr, ...]:
        return tuple(
            value for f in dataclasses.fields(self)
            for value in (getattr(self, f.name),) if isinstance(value, Expr)
        ) + tuple(
            item for f in dataclasses.fields(self)
            for value in (getattr(self, f.name),) if isinstance(value, tuple)
            for item in value if isinstance(item, Expr)
        )

    def replace(self, fn: Callable[[Expr], Expr | None]) -> Expr:
        """A copy with every sub-expression ``e`` for which ``fn(e)`` is not None replaced."""
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


def _child_text(parent: Expr, child: Expr, right: bool = False, latex: bool = False) -> str:
    body = child.latex() if latex else child.text()
    needs = child.prec < parent.prec or (
        child.prec == parent.prec == 2
        and (child.kind != parent.kind or (parent.kind == "div" and right))
    )
    if not needs:
        return body
    return rf"\left({body}\right)" if latex else f"({body})"


def _atom_text(child: Expr, latex: bool = False) -> str:
    body = child.latex() if latex else child.text()
    if child.prec >= 5:
        return body
    return rf"\left({body}\right)" if latex else f"({body})"


# --- leaves ------------------------------------------------------------------------


@dataclass(frozen=True)
class Value(Expr):
    """The forward value of graph node ``node`` (shown by its label)."""

    node: int = 0
    name: str = ""

    def text(self):
        return self.name

    def latex(self):
        return latex_name(self.name)

    def evaluate(self, env):
        return env.g.value_of(self.node)


@dataclass(frozen=True)
class Const(Expr):
    """A number, or a tensor filled with one number (``1_4x2`` is a 4x2 matrix of ones)."""

    c: float = 1.0

    @property
    def prec(self):  # type: ignore[override]
        return 2 if (self.c < 0 or (self.shape and self.c != 1)) else 5

    @property
    def kind(self):  # type: ignore[override]
        return "scale" if self.prec == 2 else "atom"

    def text(self):
        if not self.shape:
            return _num(self.c)
        ones = "1_" + "x".join(map(str, self.shape))
        return ones if self.c == 1 else f"{_num(self.c)}·{ones}"

    def latex(self):
        if not self.shape:
            return _num(self.c)
        ones = r"\mathbf{1}_{" + r"\times ".join(map(str, self.shape)) + "}"
        return ones if self.c == 1 else rf"{_num(self.c)}\,{ones}"

    def evaluate(self, env):
        return self.c if not self.shape else np.full(self.shape, self.c)


@dataclass(frozen=True)
class Adjoint(Expr):
    """``G_u``: the adjoint of node ``node``, defined by its own formula."""

    node: int = 0
    name: str = ""

    def text(self):
        return adjoint_name(self.name)

    def latex(self):
        return f"G_{{{latex_name(self.name)}}}"

    def evaluate(self, env):
        return env.adjoint(self.node)


@dataclass(frozen=True)
class Mask(Expr):
    """The one-hot mask of where ``max``/``min`` (node ``node``) took its value."""

    node: int = 0
    name: str = ""
    which: str = "max"
    axis: Any = None

    def text(self):
        where = "" if self.axis is None else f", axis={self.axis}"
        return f"onehot(arg{self.which} {self.name}{where})"

    def latex(self):
        return rf"\operatorname{{onehot}}(\arg\{self.which} {latex_name(self.name)})"

    def evaluate(self, env):
        local = env.g.local(self.node, 0)
        factors = local.factors if isinstance(local, ChainJacobian) else [local]
        for factor in factors:
            if isinstance(factor, DiagonalJacobian):
                return factor.d
        return 1.0


# --- one operand ---------------------------------------------------------------------


@dataclass(frozen=True)
class Neg(Expr):
    a: Expr = None  # type: ignore[assignment]

    prec = 2
    kind = "neg"

    def text(self):  # -G ⊙ sin(x) needs no parentheses: the sign applies to the product
        return _MINUS + (self.a.text() if self.a.prec >= 2 else f"({self.a.text()})")

    def latex(self):
        return "-" + (self.a.latex() if self.a.prec >= 2 else rf"\left({self.a.latex()}\right)")

    def evaluate(self, env):
        return -self.a.evaluate(env)


@dataclass(frozen=True)
class Scale(Expr):
    """``c·a`` (written ``a/n`` when ``c = 1/n``)."""

    c: float = 1.0
    a: Expr = None  # type: ignore[assignment]

    prec = 2

    @property
    def _divisor(self) -> float | None:
        if self.c == 0:
            return None
        n = 1.0 / self.c
        return n if abs(n) > 1 and abs(n - round(n)) < 1e-9 * abs(n) else None

    @property
    def kind(self):  # type: ignore[override]
        return "div" if self._divisor is not None else "scale"

    def text(self):
        n = self._divisor
        if n is not None:
            sign = "-" if n < 0 else ""
            return f"{sign}{_child_text(self, self.a)}/{_num(abs(round(n)))}"
        return f"{_num(self.c)}·{_child_text(self, self.a, right=True)}"

    def latex(self):
        n = self._divisor
        if n is not None:
            sign = "-" if n < 0 else ""
            return rf"{sign}\frac{{1}}{{{_num(abs(round(n)))}}}\,{_child_text(self, self.a, latex=True)}"
        return rf"{_num(self.c)}\,{_child_text(self, self.a, right=True, latex=True)}"

    def evaluate(self, env):
        return self.c * self.a.evaluate(env)


@dataclass(frozen=True)
class Transpose(Expr):
    a: Expr = None  # type: ignore[assignment]

    prec = 4

    def text(self):
        return _atom_text(self.a) + "ᵀ"

    def latex(self):
        return _atom_text(self.a, latex=True) + r"^{\top}"

    def evaluate(self, env):
        return np.transpose(self.a.evaluate(env))


def _ln_at_zero(x):
    """``ln x`` with ``x = 0`` read as 1: ``ln`` appears only in ``d(x^y)/dy = x^y·ln x``, whose
    value at ``x = 0`` is 0 wherever ``x^y`` is finite (the limit; autograd and JAX agree)."""
    return np.log(np.where(np.asarray(x) == 0, 1.0, x))


_FUNCTIONS = {"cos": (np.cos, r"\cos"), "sin": (np.sin, r"\sin"), "ln": (_ln_at_zero, r"\ln"),
              "sign": (np.sign, r"\operatorname{sign}")}


@dataclass(frozen=True)
class Fn(Expr):
    """An elementwise function of a value: ``cos(u1)``, ``sign(x)``, ``ln(x)``."""

    name: str = ""
    a: Expr = None  # type: ignore[assignment]

    def text(self):
        return f"{self.name}({self.a.text()})"

    def latex(self):
        return rf"{_FUNCTIONS[self.name][1]}\left({self.a.latex()}\right)"

    def evaluate(self, env):
        with np.errstate(all="ignore"):
            return _FUNCTIONS[self.name][0](self.a.evaluate(env))


@dataclass(frozen=True)
class Pow(Expr):
    """``a^e`` elementwise, for a number ``e``."""

    a: Expr = None  # type: ignore[assignment]
    e: float = 2.0

    prec = 4

    def text(self):
        return power_text(_atom_text(self.a), self.e)

    def latex(self):
        return f"{_atom_text(self.a, latex=True)}^{{{_num(self.e)}}}"

    def evaluate(self, env):
        with np.errstate(all="ignore"):
            return np.power(self.a.evaluate(env), self.e)


@dataclass(frozen=True)
class PowerOf(Expr):
    """``a^e`` elementwise for a tensor exponent ``e`` (``P^(A - 1)``)."""

    a: Expr = None  # type: ignore[assignment]
    e: Expr = None  # type: ignore[assignment]

    prec = 4

    def text(self):
        return f"{_atom_text(self.a)}^({self.e.text()})"

    def latex(self):
        return f"{_atom_text(self.a, latex=True)}^{{{self.e.latex()}}}"

    def evaluate(self, env):
        with np.errstate(all="ignore"):
            return np.power(self.a.evaluate(env), self.e.evaluate(env))


@dataclass(frozen=True)
class PowerRule(Expr):
    """``e ⊙ a^(e - 1)``, the derivative of ``a^e`` in ``a``: exactly 0 where ``e = 0``, even at
    ``a = 0`` (as autograd computes it), where the product would give ``0·inf``."""

    a: Expr = None  # type: ignore[assignment]
    e: Expr = None  # type: ignore[assignment]

    prec = 2

    def _shown(self) -> Expr:
        return had(self.e, PowerOf(self.a.shape, self.a, add([self.e, Const((), -1.0)])))

    def text(self):
        return self._shown().text()

    def latex(self):
        return self._shown().latex()

    def evaluate(self, env):
        a, e = self.a.evaluate(env), self.e.evaluate(env)
        with np.errstate(all="ignore"):
            return e * np.power(a, np.where(e == 0, 1.0, e - 1.0))


_RELATIONS = {">": (np.greater, ">"), "≥": (np.greater_equal, r"\geq"), "<": (np.less, "<"),
              "≤": (np.less_equal, r"\leq"), "=": (np.equal, "=")}


@dataclass(frozen=True)
class Indicator(Expr):
    """The Iverson bracket ``[a > b]``: 1 where the relation holds, 0 elsewhere."""

    a: Expr = None  # type: ignore[assignment]
    relation: str = ">"
    b: Expr = None  # type: ignore[assignment]

    def text(self):
        return f"[{self.a.text()} {self.relation} {self.b.text()}]"

    def latex(self):
        return rf"[{self.a.latex()} {_RELATIONS[self.relation][1]} {self.b.latex()}]"

    def evaluate(self, env):
        return _RELATIONS[self.relation][0](self.a.evaluate(env), self.b.evaluate(env)) * 1.0


def _shape_latex(shape: tuple[int, ...]) -> str:
    return r"\times ".join(map(str, shape)) if len(shape) != 1 else str(shape[0])


@dataclass(frozen=True)
class SumTo(Expr):
    """Undo a broadcast: sum ``a`` over the axes broadcasting added (seed 001's ``1ᵀ G``)."""

    a: Expr = None  # type: ignore[assignment]

    @property
    def _form(self) -> str:
        src, dst = self.a.shape, self.shape
        if dst == ():
            return "all"
        if len(src) == 2 and dst in ((src[1],), (1, src[1])):
            return "rows"  # 1ᵀ G: add up the rows
        if len(src) == 2 and dst == (src[0], 1):
            return "cols"  # G 1: add up the columns
        return "axes"

    @property
    def prec(self):  # type: ignore[override]
        return 2 if self._form in ("rows", "cols") else 5

    @property
    def kind(self):  # type: ignore[override]
        return "mm" if self.prec == 2 else "atom"

    def _axes(self) -> tuple[int, ...]:
        src, dst = self.a.shape, self.shape
        lead = len(src) - len(dst)
        return tuple(range(lead)) + tuple(
            lead + i for i, n in enumerate(dst) if n == 1 and src[lead + i] != 1)

    def text(self):
        form = self._form
        if form == "all":
            return f"sum({self.a.text()})"
        if form == "rows":
            return f"1_{self.a.shape[0]}ᵀ {_child_text(self, self.a)}"
        if form == "cols":
            return f"{_child_text(self, self.a)} 1_{self.a.shape[1]}"
        axes = self._axes()
        return f"sum({self.a.text()}, axis={axes[0] if len(axes) == 1 else axes})"

    def latex(self):
        form = self._form
        if form == "all":
            return rf"\textstyle\sum {_atom_text(self.a, latex=True)}"
        if form == "rows":
            return rf"\mathbf{{1}}_{{{self.a.shape[0]}}}^{{\top}} {_child_text(self, self.a, latex=True)}"
        if form == "cols":
            return rf"{_child_text(self, self.a, latex=True)}\,\mathbf{{1}}_{{{self.a.shape[1]}}}"
        axes = ",".join(map(str, self._axes()))
        return rf"\textstyle\sum_{{\text{{axis }}{axes}}} {_atom_text(self.a, latex=True)}"

    def evaluate(self, env):
        return unbroadcast(self.a.evaluate(env), self.shape)


@dataclass(frozen=True)
class Expand(Expr):
    """Undo a reduction: copy ``a`` back along the reduced ``axes`` to ``shape``."""

    a: Expr = None  # type: ignore[assignment]
    axes: tuple[int, ...] = ()

    @property
    def _form(self) -> str:
        if self.a.shape == ():
            return "scalar"  # a number multiplies every entry: no need to write the copy
        if len(self.shape) == 2 and self.axes == (0,):
            return "down"  # 1_N G^T: the row G copied down N rows
        if len(self.shape) == 2 and self.axes == (1,):
            return "across"  # G 1_C^T: the column G copied across C columns
        return "axes"

    @property
    def prec(self):  # type: ignore[override]
        return {"scalar": self.a.prec, "down": 2, "across": 2}.get(self._form, 5)

    @property
    def kind(self):  # type: ignore[override]
        return self.a.kind if self._form == "scalar" else ("mm" if self.prec == 2 else "atom")

    def text(self):
        form = self._form
        if form == "scalar":
            return self.a.text()
        if form == "down":
            return f"1_{self.shape[0]} {_atom_text(self.a)}ᵀ"
        if form == "across":
            return f"{_atom_text(self.a)} 1_{self.shape[1]}ᵀ"
        axes = self.axes[0] if len(self.axes) == 1 else self.axes
        return f"expand({self.a.text()}, axis={axes})"

    def latex(self):
        form = self._form
        if form == "scalar":
            return self.a.latex()
        if form == "down":
            return rf"\mathbf{{1}}_{{{self.shape[0]}}} {_atom_text(self.a, latex=True)}^{{\top}}"
        if form == "across":
            return rf"{_atom_text(self.a, latex=True)}\,\mathbf{{1}}_{{{self.shape[1]}}}^{{\top}}"
        axes = ",".join(map(str, self.axes))
        return rf"\operatorname{{expand}}_{{{axes}}}\left({self.a.latex()}\right)"

    def evaluate(self, env):
        value = np.asarray(self.a.evaluate(env), dtype=float)
        if self.axes:
            value = np.expand_dims(value, self.axes)
        return np.broadcast_to(value, self.shape)


@dataclass(frozen=True)
class SumKeep(Expr):
    """``sum(a, axis)`` keeping the axis (so it broadcasts back), as in softmax's rule."""

    a: Expr = None  # type: ignore[assignment]
    axis: int = -1

    def text(self):
        return f"sum({self.a.text()}, axis={self.axis})"

    def latex(self):
        return rf"\textstyle\sum_{{\text{{axis }}{self.axis}}} {_atom_text(self.a, latex=True)}"

    def evaluate(self, env):
        return np.sum(self.a.evaluate(env), axis=self.axis, keepdims=True)


@dataclass(frozen=True)
class Reshape(Expr):
    a: Expr = None  # type: ignore[assignment]

    def text(self):
        return f"reshape({self.a.text()}, {shape_text(self.shape)})"

    def latex(self):
        return rf"\operatorname{{reshape}}_{{{_shape_latex(self.shape)}}}\left({self.a.latex()}\right)"

    def evaluate(self, env):
        return np.reshape(self.a.evaluate(env), self.shape)


@dataclass(frozen=True)
class Index(Expr):
    """Entry ``index`` along the first axis (the rule of a stack / list literal)."""

    a: Expr = None  # type: ignore[assignment]
    index: int = 0

    prec = 4

    def text(self):
        return f"{_atom_text(self.a)}[{self.index}]"

    def latex(self):
        return f"{_atom_text(self.a, latex=True)}_{{[{self.index}]}}"

    def evaluate(self, env):
        return np.asarray(self.a.evaluate(env))[self.index]


@dataclass(frozen=True)
class BroadcastTo(Expr):
    """``a`` read at a larger shape; invisible in print (a number times every entry)."""

    a: Expr = None  # type: ignore[assignment]

    @property
    def prec(self):  # type: ignore[override]
        return self.a.prec

    @property
    def kind(self):  # type: ignore[override]
        return self.a.kind

    def text(self):
        return self.a.text()

    def latex(self):
        return self.a.latex()

    def evaluate(self, env):
        return np.broadcast_to(self.a.evaluate(env), self.shape)


@dataclass(frozen=True)
class Pullback(Expr):
    """The general rule ``G J`` for an op without a matrix form: applies the edge's Jacobian."""

    a: Expr = None  # type: ignore[assignment]
    head: int = 0
    pos: int = 0
    formula: str = ""

    prec = 2
    kind = "pullback"

    def text(self):
        return f"{_atom_text(self.a)} · ({self.formula})"

    def latex(self):
        return rf"{_atom_text(self.a, latex=True)} \cdot \left(\text{{{self.formula}}}\right)"

    def evaluate(self, env):
        return apply_vjp(env.g.local(self.head, self.pos), self.a.evaluate(env))


# --- two or more operands -------------------------------------------------------------


def _looks_scalar(e: Expr) -> bool:
    """A number, or a number copied to every entry (printed as the number)."""
    while isinstance(e, (Expand, BroadcastTo)):
        e = e.a
    return e.shape == ()


@dataclass(frozen=True)
class Add(Expr):
    terms: tuple[Expr, ...] = ()

    prec = 1
    kind = "add"

    def _render(self, latex: bool) -> str:
        out = []
        for k, term in enumerate(self.terms):
            if isinstance(term, Neg):
                body = _child_text(self, term.a, latex=latex)
                out.append(f" - {body}" if k else f"-{body}")
            else:
                body = term.latex() if latex else term.text()
                out.append(f" + {body}" if k else body)
        return "".join(out)

    def text(self):
        return self._render(False)

    def latex(self):
        return self._render(True)

    def evaluate(self, env):
        total = None
        for term in self.terms:
            value = term.evaluate(env)
            total = value if total is None else total + value
        return total


@dataclass(frozen=True)
class Had(Expr):
    """The elementwise (Hadamard) product ``a ⊙ b``; ``a·b`` when one side is a number."""

    a: Expr = None  # type: ignore[assignment]
    b: Expr = None  # type: ignore[assignment]

    prec = 2
    kind = "had"

    def _scalar(self) -> bool:
        return _looks_scalar(self.a) or _looks_scalar(self.b)

    def text(self):
        sep = "·" if self._scalar() else " ⊙ "
        return f"{_child_text(self, self.a)}{sep}{_child_text(self, self.b, right=True)}"

    def latex(self):
        sep = r" \cdot " if self._scalar() else r" \odot "
        return (_child_text(self, self.a, latex=True) + sep
                + _child_text(self, self.b, right=True, latex=True))

    def evaluate(self, env):
        return self.a.evaluate(env) * self.b.evaluate(env)


@dataclass(frozen=True)
class MatMul(Expr):
    """The matrix product ``a b`` (numpy's ``@`` for matrices and vectors)."""

    a: Expr = None  # type: ignore[assignment]
    b: Expr = None  # type: ignore[assignment]

    prec = 2
    kind = "mm"

    def text(self):
        return f"{_child_text(self, self.a)} {_child_text(self, self.b, right=True)}"

    def latex(self):
        return (_child_text(self, self.a, latex=True) + r"\,"
                + _child_text(self, self.b, right=True, latex=True))

    def evaluate(self, env):
        return np.matmul(self.a.evaluate(env), self.b.evaluate(env))


@dataclass(frozen=True)
class Outer(Expr):
    """The outer product ``a bᵀ`` of two vectors (seed 003's ``dL/dM``)."""

    a: Expr = None  # type: ignore[assignment]
    b: Expr = None  # type: ignore[assignment]

    prec = 2
    kind = "mm"

    def text(self):
        return f"{_child_text(self, self.a)} {_atom_text(self.b)}ᵀ"

    def latex(self):
        return rf"{_child_text(self, self.a, latex=True)}\,{_atom_text(self.b, latex=True)}^{{\top}}"

    def evaluate(self, env):
        return np.outer(self.a.evaluate(env), self.b.evaluate(env))


@dataclass(frozen=True)
class Div(Expr):
    """Elementwise division ``a / b``."""

    a: Expr = None  # type: ignore[assignment]
    b: Expr = None  # type: ignore[assignment]

    prec = 2
    kind = "div"

    def text(self):
        return f"{_child_text(self, self.a)} / {_child_text(self, self.b, right=True)}"

    def latex(self):
        return rf"\frac{{{self.a.latex()}}}{{{self.b.latex()}}}"

    def evaluate(self, env):
        with np.errstate(all="ignore"):
            return self.a.evaluate(env) / self.b.evaluate(env)


# --- smart constructors: fold the numbers, keep the shapes ------------------------------


def _fit_expr(e: Expr, shape: tuple[int, ...]) -> Expr:
    if e.shape == tuple(shape):
        return e
    if isinstance(e, Const):
        return Const(tuple(shape), e.c)
    return BroadcastTo(tuple(shape), e)


def _broadcast(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(np.broadcast_shapes(*shapes))


def scale(c: float, e: Expr) -> Expr:
    """``c·e``, folding numbers: ``1·e = e``, ``c·(d·e) = (cd)·e``, ``-1·e = -e``."""
    c = float(c)
    if isinstance(e, Const):
        return Const(e.shape, c * e.c)
    if isinstance(e, Scale):
        return scale(c * e.c, e.a)
    if isinstance(e, Neg):
        return scale(-c, e.a)
    if c == 1:
        return e
    if c == -1:
        return Neg(e.shape, e)
    return Scale(e.shape, c, e)


def neg(e: Expr) -> Expr:
    """``-e``, folding numbers and double negation."""
    if isinstance(e, Neg):
        return e.a
    if isinstance(e, (Const, Scale)):
        return scale(-1.0, e)
    return Neg(e.shape, e)


def had(a: Expr, b: Expr) -> Expr:
    """``a ⊙ b`` (numpy broadcasting), turning a constant factor into a coefficient."""
    shape = _broadcast(a.shape, b.shape)
    if isinstance(a, Const) and isinstance(b, Const):
        return Const(shape, a.c * b.c)
    if isinstance(a, Const):
        return _fit_expr(scale(a.c, b), shape)
    if isinstance(b, Const):
        return _fit_expr(scale(b.c, a), shape)
    if isinstance(a, Scale):
        return scale(a.c, had(a.a, b))
    if isinstance(b, Scale):
        return scale(b.c, had(a, b.a))
    if isinstance(a, Div):
        return _div(had(a.a, b), a.b)  # (1/u)·v = v / u
    if isinstance(b, Div):
        return _div(had(a, b.a), b.b)
    return Had(shape, a, b)


def add(terms: Iterable[Expr]) -> Expr:
    """The sum of ``terms`` (constants added up); a single term is returned as it is."""
    terms = list(terms)
    shape = _broadcast(*(t.shape for t in terms))
    merged: list[list] = []  # [coefficient, term]: like terms added up (h + h = 2·h)
    constant = 0.0
    for term in terms:
        parts = term.terms if isinstance(term, Add) else (term,)
        for part in parts:
            if isinstance(part, Const):
                constant += part.c
                continue
            c, base = _pull(part)
            for entry in merged:
                if entry[1] == base:
                    entry[0] += c
                    break
            else:
                merged.append([c, base])
    flat = [scale(c, base) for c, base in merged if c != 0]
    if not flat:
        return Const(shape, constant)
    if constant > 0:
        flat.insert(0, Const((), constant))  # 1 - u²
    elif constant < 0:
        flat.append(Neg((), Const((), -constant)))  # A - 1
    result = flat[0] if len(flat) == 1 else Add(shape, tuple(flat))
    return _fit_expr(result, shape)


def _div(a: Expr, b: Expr) -> Expr:
    if isinstance(b, Const) and b.c != 0:
        return _fit_expr(scale(1.0 / b.c, a), _broadcast(a.shape, b.shape))
    return Div(_broadcast(a.shape, b.shape), a, b)


def _transpose(a: Expr) -> Expr:
    if len(a.shape) < 2:
        return a
    if isinstance(a, Const):
        return Const(a.shape[::-1], a.c)
    if isinstance(a, Transpose):
        return a.a
    if isinstance(a, (Scale, Neg)):
        return scale(a.c if isinstance(a, Scale) else -1.0, _transpose(a.a))
    if isinstance(a, MatMul) and len(a.a.shape) == 2 and len(a.b.shape) == 2:
        return _matmul(_transpose(a.b), _transpose(a.a))  # (A B)ᵀ = Bᵀ Aᵀ
    if isinstance(a, Outer):
        return _outer(a.b, a.a)  # (a bᵀ)ᵀ = b aᵀ
    return Transpose(a.shape[::-1], a)


_transpose_expr = _transpose


def _pull(e: Expr) -> tuple[float, Expr]:
    """Split a number off an expression: ``-2·u`` -> ``(-2, u)``."""
    if isinstance(e, Scale):
        return e.c, e.a
    if isinstance(e, Neg):
        return -1.0, e.a
    if isinstance(e, Const) and e.shape and e.c not in (0.0, 1.0):
        return e.c, Const(e.shape, 1.0)  # 0.25·1_4: the number in front, the ones behind
    return 1.0, e


def _matmul(a: Expr, b: Expr) -> Expr:
    """``a b`` with numbers pulled in front: ``A (2·G)`` -> ``2·(A G)``."""
    ca, a = _pull(a)
    cb, b = _pull(b)
    shape = tuple(a.shape[:-1]) + tuple(b.shape[1:])  # vectors and matrices, as numpy's @
    return scale(ca * cb, MatMul(shape, a, b))


def _outer(a: Expr, b: Expr) -> Expr:
    ca, a = _pull(a)
    cb, b = _pull(b)
    return scale(ca * cb, Outer(a.shape + b.shape, a, b))


def _pow(a: Expr, e: float) -> Expr:
    if e == 1:
        return a
    if e == 0:
        return Const(a.shape, 1.0)
    return Pow(a.shape, a, float(e))


def _expand(a: Expr, axes: tuple[int, ...], shape: tuple[int, ...]) -> Expr:
    if isinstance(a, Const):
        return Const(tuple(shape), a.c)
    if a.shape == tuple(shape):
        return a
    return Expand(tuple(shape), a, tuple(axes))


def _sum_to(a: Expr, shape: tuple[int, ...]) -> Expr:
    if isinstance(a, Const):
        return Const(tuple(shape), a.c * _size(a.shape) / max(_size(shape), 1))
    return SumTo(tuple(shape), a)
