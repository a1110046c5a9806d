r"""Matrix-calculus expressions: small trees that print as text and LaTeX and evaluate with numpy.

:mod:`graphstep.formulas.backprop` builds them from a graph's per-edge adjoint rules
(``G_W = Xᵀ G_u1``, ``G_u1 = G_u2 ⊙ (1 - u2²)``, ``G_b = 1ᵀ G``) with the public builder
:mod:`graphstep.formulas.builder`; this module only knows the nodes. Most node classes
are generated from one table row each (fields, text, LaTeX, value, precedence).

>>> x = Value((3,), 0, "x")
>>> e = Had((3,), Neg((3,), x), Adjoint((3,), 1, "u1"))
>>> e.text(), e.text("bar"), e.latex()
('(-x) ⊙ G_u1', '(-x) ⊙ ū1', '\\left(-x\\right) \\odot G_{u_{1}}')
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from graphstep.formulas.names import adjoint_name, latex_name
from graphstep.ops.arrays import unbroadcast
from graphstep.ops.jacobians import Chain as ChainJacobian
from graphstep.ops.jacobians import Diagonal as DiagonalJacobian
from graphstep.ops.jacobians import vjp as apply_vjp
from graphstep.ops.table import power_text
from graphstep.text import shape_text

if TYPE_CHECKING:
    from graphstep.graph import Graph

__all__ = [
    "Expr", "Env", "Value", "Const", "Adjoint", "Mask", "Neg", "Scale", "Transpose", "Fn", "Pow",
    "PowerOf", "PowerRule", "Indicator", "SumTo", "Expand", "SumKeep", "Reshape", "Index",
    "BroadcastTo", "Pullback", "Add", "Had", "MatMul", "Outer", "Div", "fit_value", "shape_latex",
]

def _num(c: float) -> str:
    return f"{c:g}"


# ======================================================================================
# the expression tree
# ======================================================================================


class Env:
    """What an expression needs to evaluate: the graph's values and the named adjoints."""

    def __init__(self, g: Graph, definitions: dict[int, Expr]):
        self.g = g
        self.definitions = definitions
        self.memo: dict[int, Any] = {}

    def adjoint(self, node: int) -> Any:
        if node not in self.memo:
            value = self.definitions[node].evaluate(self)
            self.memo[node] = fit_value(value, self.g.shape_of(node))
        return self.memo[node]


def fit_value(value: Any, shape: tuple[int, ...]) -> Any:
    """A value at ``shape``: a float for a scalar, else a (broadcast) float array."""
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
    def text(self, notation: str = "G") -> str:
        """The expression as Unicode text, adjoints written in ``notation`` (``G_u1`` or ``ū1``)."""

    @abstractmethod
    def latex(self) -> str:
        """The expression as LaTeX."""

    @abstractmethod
    def evaluate(self, env: Env) -> Any:
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


def _child_text(parent: Expr, child: Expr, right: bool = False, latex: bool = False,
                notation: str = "G") -> str:
    body = child.latex() if latex else child.text(notation)
    needs = child.prec < parent.prec or (
        child.prec == parent.prec == 2
        and (child.kind != parent.kind or (parent.kind == "div" and right))
    )
    if not needs:
        return body
    return rf"\left({body}\right)" if latex else f"({body})"


def _atom_text(child: Expr, latex: bool = False, notation: str = "G") -> str:
    body = child.latex() if latex else child.text(notation)
    if child.prec >= 5:
        return body
    return rf"\left({body}\right)" if latex else f"({body})"


# --- the nodes: most are generated from one table row each --------------------------------


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
        return _atom_text(self.expr, self.parts.latex, self.parts.notation)

    @property
    def child(self) -> str:
        return _child_text(self.parts.node, self.expr, False, self.parts.latex, self.parts.notation)

    @property
    def right(self) -> str:
        return _child_text(self.parts.node, self.expr, True, self.parts.latex, self.parts.notation)


def _node(name: str, doc: str, fields: str, text: Callable, latex: Callable, evaluate: Callable,
          prec: int = 5, kind: str = "atom") -> type:
    """A node class: ``fields`` (``"a b:float=2.0"``; an untyped field is a child ``Expr``) after
    ``shape``; ``text(p)`` and ``latex(p)`` read a :class:`_Parts`; ``evaluate(node, env)``."""
    specs = []
    for item in fields.split():
        field_name, _, rest = item.partition(":")
        kind_name, _, default = rest.partition("=")
        empty = "" if kind_name == "str" else None
        default_value = _field_default(default) if default else empty
        specs.append((field_name, kind_name or "Expr", dataclasses.field(default=default_value)))
    namespace = {
        "__doc__": doc, "__module__": __name__, "prec": prec, "kind": kind,
        "text": lambda self, notation="G": text(_Parts(self, False, notation)),
        "latex": lambda self: latex(_Parts(self, True, "G")),
        "evaluate": evaluate,
    }
    return dataclasses.make_dataclass(name, specs, bases=(Expr,), frozen=True, namespace=namespace)


def _field_default(text: str) -> Any:
    """A field default written in :func:`_node`'s field list: a number or a word."""
    try:
        return int(text) if text.lstrip("-").isdigit() else float(text)
    except ValueError:
        return text


def _quiet(fn: Callable) -> Callable:
    def evaluate(self, env):
        with np.errstate(all="ignore"):
            return fn(self, env)

    return evaluate


def _ln_at_zero(x):
    """``ln x`` with ``x = 0`` read as 1: ``ln`` appears only in ``d(x^y)/dy = x^y·ln x``, whose
    value at ``x = 0`` is 0 wherever ``x^y`` is finite (the limit; autograd and JAX agree)."""
    return np.log(np.where(np.asarray(x) == 0, 1.0, x))


_FUNCTIONS = {"cos": (np.cos, r"\cos"), "sin": (np.sin, r"\sin"), "ln": (_ln_at_zero, r"\ln"),
              "sign": (np.sign, r"\operatorname{sign}")}
_RELATIONS = {">": (np.greater, ">"), "≥": (np.greater_equal, r"\geq"), "<": (np.less, "<"),
              "≤": (np.less_equal, r"\leq"), "=": (np.equal, "=")}


def _mask_value(node, env):
    local = env.g.local(node.node, 0)
    factors = local.factors if isinstance(local, ChainJacobian) else [local]
    for factor in factors:
        if isinstance(factor, DiagonalJacobian):
            return factor.d
    return 1.0


def _had_separator(p) -> str:
    scalar = _looks_scalar(p.node.a) or _looks_scalar(p.node.b)
    if p.latex:
        return r" \cdot " if scalar else r" \odot "
    return "·" if scalar else " ⊙ "


# name, docstring, fields; text, LaTeX and value; precedence (1 sums, 2 products, 4 postfix,
# 5 atoms) and kind (products of different kinds are always parenthesised)
Value = _node(
    "Value", "The forward value of graph node ``node`` (shown by its label).", "node:int=0 name:str",
    lambda p: p.name, lambda p: latex_name(p.name), lambda n, env: env.g.value_of(n.node))
Adjoint = _node(
    "Adjoint", "``G_u``: the adjoint of node ``node``, defined by its own formula.",
    "node:int=0 name:str", lambda p: adjoint_name(p.name, p.notation),
    lambda p: f"G_{{{latex_name(p.name)}}}", lambda n, env: env.adjoint(n.node))
Mask = _node(
    "Mask", "The one-hot mask of where ``max``/``min`` (node ``node``) took its value.",
    "node:int=0 name:str which:str=max axis:Any",
    lambda p: f"onehot(arg{p.which} {p.name}{'' if p.axis is None else f', axis={p.axis}'})",
    lambda p: rf"\operatorname{{onehot}}(\arg\{p.which} {latex_name(p.name)})", _mask_value)
Neg = _node(
    "Neg", "``-a`` (``-G ⊙ sin(x)`` needs no parentheses: the sign applies to the product).", "a",
    lambda p: "-" + (str(p.a) if p.node.a.prec >= 2 else f"({p.a})"),
    lambda p: "-" + (str(p.a) if p.node.a.prec >= 2 else rf"\left({p.a}\right)"),
    lambda n, env: -n.a.evaluate(env), prec=2, kind="neg")
Transpose = _node(
    "Transpose", "``aᵀ``.", "a", lambda p: f"{p.a.atom}ᵀ", lambda p: p.a.atom + r"^{\top}",
    lambda n, env: np.transpose(n.a.evaluate(env)), prec=4)
Fn = _node(
    "Fn", "An elementwise function of a value: ``cos(u1)``, ``sign(x)``, ``ln(x)``.", "name:str a",
    lambda p: f"{p.name}({p.a})", lambda p: rf"{_FUNCTIONS[p.name][1]}\left({p.a}\right)",
    _quiet(lambda n, env: _FUNCTIONS[n.name][0](n.a.evaluate(env))))
Pow = _node(
    "Pow", "``a^e`` elementwise, for a number ``e``.", "a e:float=2.0",
    lambda p: power_text(p.a.atom, p.e), lambda p: f"{p.a.atom}^{{{_num(p.e)}}}",
    _quiet(lambda n, env: np.power(n.a.evaluate(env), n.e)), prec=4)
PowerOf = _node(
    "PowerOf", "``a^e`` elementwise for a tensor exponent ``e`` (``P^(A - 1)``).", "a e",
    lambda p: f"{p.a.atom}^({p.e})", lambda p: f"{p.a.atom}^{{{p.e}}}",
    _quiet(lambda n, env: np.power(n.a.evaluate(env), n.e.evaluate(env))), prec=4)
Indicator = _node(
    "Indicator", "The Iverson bracket ``[a > b]``: 1 where the relation holds, 0 elsewhere.",
    "a relation:str=> b", lambda p: f"[{p.a} {p.relation} {p.b}]",
    lambda p: f"[{p.a} {_RELATIONS[p.relation][1]} {p.b}]",
    lambda n, env: _RELATIONS[n.relation][0](n.a.evaluate(env), n.b.evaluate(env)) * 1.0)
SumKeep = _node(
    "SumKeep", "``sum(a, axis)`` keeping the axis (so it broadcasts back), as in softmax's rule.",
    "a axis:int=-1", lambda p: f"sum({p.a}, axis={p.axis})",
    lambda p: rf"\textstyle\sum_{{\text{{axis }}{p.axis}}} {p.a.atom}",
    lambda n, env: np.sum(n.a.evaluate(env), axis=n.axis, keepdims=True))
Reshape = _node(
    "Reshape", "``a`` read at another shape.", "a",
    lambda p: f"reshape({p.a}, {shape_text(p.shape)})",
    lambda p: rf"\operatorname{{reshape}}_{{{shape_latex(p.shape)}}}\left({p.a}\right)",
    lambda n, env: np.reshape(n.a.evaluate(env), n.shape))
Index = _node(
    "Index", "Entry ``index`` along the first axis (the rule of a stack / list literal).",
    "a index:int=0", lambda p: f"{p.a.atom}[{p.index}]", lambda p: f"{p.a.atom}_{{[{p.index}]}}",
    lambda n, env: np.asarray(n.a.evaluate(env))[n.index], prec=4)
Pullback = _node(
    "Pullback", "The general rule ``G J`` for an op without a matrix form: applies the edge's Jacobian.",
    "a head:int=0 pos:int=0 formula:str", lambda p: f"{p.a.atom} · ({p.formula})",
    lambda p: rf"{p.a.atom} \cdot \left(\text{{{p.formula}}}\right)",
    lambda n, env: apply_vjp(env.g.local(n.head, n.pos), n.a.evaluate(env)), prec=2, kind="pullback")
Had = _node(
    "Had", "The elementwise (Hadamard) product ``a ⊙ b``; ``a·b`` when one side is a number.", "a b",
    lambda p: f"{p.a.child}{_had_separator(p)}{p.b.right}",
    lambda p: f"{p.a.child}{_had_separator(p)}{p.b.right}",
    lambda n, env: n.a.evaluate(env) * n.b.evaluate(env), prec=2, kind="had")
MatMul = _node(
    "MatMul", "The matrix product ``a b`` (numpy's ``@`` for matrices and vectors).", "a b",
    lambda p: f"{p.a.child} {p.b.right}", lambda p: p.a.child + r"\," + p.b.right,
    lambda n, env: np.matmul(n.a.evaluate(env), n.b.evaluate(env)), prec=2, kind="mm")
Outer = _node(
    "Outer", "The outer product ``a bᵀ`` of two vectors (seed 003's ``dL/dM``).", "a b",
    lambda p: f"{p.a.child} {p.b.atom}ᵀ", lambda p: rf"{p.a.child}\,{p.b.atom}^{{\top}}",
    lambda n, env: np.outer(n.a.evaluate(env), n.b.evaluate(env)), prec=2, kind="mm")
Div = _node(
    "Div", "Elementwise division ``a / b``.", "a b",
    lambda p: f"{p.a.child} / {p.b.right}", lambda p: rf"\frac{{{p.a}}}{{{p.b}}}",
    _quiet(lambda n, env: n.a.evaluate(env) / n.b.evaluate(env)), prec=2, kind="div")


def shape_latex(shape: tuple[int, ...]) -> str:
    """A shape in LaTeX: ``4\\times 3``, ``3``."""
    return r"\times ".join(map(str, shape)) if len(shape) != 1 else str(shape[0])


# --- the nodes whose precedence depends on their contents --------------------------------


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

    def text(self, notation: str = "G"):
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

    def text(self, notation: str = "G"):
        n = self._divisor
        if n is not None:
            sign = "-" if n < 0 else ""
            return f"{sign}{_child_text(self, self.a, notation=notation)}/{_num(abs(round(n)))}"
        return f"{_num(self.c)}·{_child_text(self, self.a, right=True, notation=notation)}"

    def latex(self):
        n = self._divisor
        if n is not None:
            sign = "-" if n < 0 else ""
            return rf"{sign}\frac{{1}}{{{_num(abs(round(n)))}}}\,{_child_text(self, self.a, latex=True)}"
        return rf"{_num(self.c)}\,{_child_text(self, self.a, right=True, latex=True)}"

    def evaluate(self, env):
        return self.c * self.a.evaluate(env)


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

    def text(self, notation: str = "G"):
        form = self._form
        if form == "all":
            return f"sum({self.a.text(notation)})"
        if form == "rows":
            return f"1_{self.a.shape[0]}ᵀ {_child_text(self, self.a, notation=notation)}"
        if form == "cols":
            return f"{_child_text(self, self.a, notation=notation)} 1_{self.a.shape[1]}"
        axes = self._axes()
        return f"sum({self.a.text(notation)}, axis={axes[0] if len(axes) == 1 else axes})"

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

    def text(self, notation: str = "G"):
        form = self._form
        if form == "scalar":
            return self.a.text(notation)
        if form == "down":
            return f"1_{self.shape[0]} {_atom_text(self.a, notation=notation)}ᵀ"
        if form == "across":
            return f"{_atom_text(self.a, notation=notation)} 1_{self.shape[1]}ᵀ"
        axes = self.axes[0] if len(self.axes) == 1 else self.axes
        return f"expand({self.a.text(notation)}, axis={axes})"

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
class BroadcastTo(Expr):
    """``a`` read at a larger shape; invisible in print (a number times every entry)."""

    a: Expr = None  # type: ignore[assignment]

    @property
    def prec(self):  # type: ignore[override]
        return self.a.prec

    @property
    def kind(self):  # type: ignore[override]
        return self.a.kind

    def text(self, notation: str = "G"):
        return self.a.text(notation)

    def latex(self):
        return self.a.latex()

    def evaluate(self, env):
        return np.broadcast_to(self.a.evaluate(env), self.shape)


@dataclass(frozen=True)
class Add(Expr):
    terms: tuple[Expr, ...] = ()

    prec = 1
    kind = "add"

    def _render(self, latex: bool, notation: str = "G") -> str:
        out = []
        for k, term in enumerate(self.terms):
            if isinstance(term, Neg):
                body = _child_text(self, term.a, latex=latex, notation=notation)
                out.append(f" - {body}" if k else f"-{body}")
            else:
                body = term.latex() if latex else term.text(notation)
                out.append(f" + {body}" if k else body)
        return "".join(out)

    def text(self, notation: str = "G"):
        return self._render(False, notation)

    def latex(self):
        return self._render(True)

    def evaluate(self, env):
        total = None
        for term in self.terms:
            value = term.evaluate(env)
            total = value if total is None else total + value
        return total


@dataclass(frozen=True)
class PowerRule(Expr):
    """``e ⊙ a^(e - 1)``, the derivative of ``a^e`` in ``a``: exactly 0 where ``e = 0``, even at
    ``a = 0`` (as autograd computes it), where the product would give ``0·inf``."""

    a: Expr = None  # type: ignore[assignment]
    e: Expr = None  # type: ignore[assignment]

    prec = 2

    def _shown(self) -> Expr:
        minus_one = Add(self.e.shape, (self.e, Neg((), Const((), 1.0))))
        return Had(self.shape, self.e, PowerOf(self.a.shape, self.a, minus_one))

    def text(self, notation: str = "G"):
        return self._shown().text(notation)

    def latex(self):
        return self._shown().latex()

    def evaluate(self, env):
        a, e = self.a.evaluate(env), self.e.evaluate(env)
        with np.errstate(all="ignore"):
            return e * np.power(a, np.where(e == 0, 1.0, e - 1.0))


def _looks_scalar(e: Expr) -> bool:
    """A number, or a number copied to every entry (printed as the number)."""
    while isinstance(e, (Expand, BroadcastTo)):
        e = e.a
    return e.shape == ()
