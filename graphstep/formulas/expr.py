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

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from graphstep.formulas.names import adjoint_name, latex_name
from graphstep.formulas.shaped import BroadcastTo, Const, Expand, Scale, SumTo  # re-exported
from graphstep.formulas.tree import (  # Env, Expr, fit_value and shape_latex: re-exported
    Env,
    Expr,
    child_text,
    fit_value,
    node_class,
    quiet,
    shape_latex,
)
from graphstep.ops.jacobians import Chain as ChainJacobian
from graphstep.ops.jacobians import Diagonal as DiagonalJacobian
from graphstep.ops.jacobians import vjp as apply_vjp
from graphstep.ops.table import power_text
from graphstep.text import shape_text

__all__ = [
    "Expr", "Env", "Value", "Const", "Adjoint", "Mask", "Neg", "Scale", "Transpose", "Fn", "Pow",
    "PowerOf", "PowerRule", "Indicator", "SumTo", "Expand", "SumKeep", "Reshape", "Index",
    "BroadcastTo", "Pullback", "Add", "Had", "MatMul", "Outer", "Div", "fit_value", "shape_latex",
]


def _num(c: float) -> str:
    return f"{c:g}"


def _node(name: str, doc: str, fields: str, text: Callable, latex: Callable, evaluate: Callable,
          prec: int = 5, kind: str = "atom") -> type:
    """A node class of this module (see :func:`graphstep.formulas.tree.node_class`)."""
    return node_class(name, doc, fields, text, latex, evaluate, prec, kind, module=__name__)


# --- the nodes: most are generated from one table row each --------------------------------


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
    quiet(lambda n, env: _FUNCTIONS[n.name][0](n.a.evaluate(env))))
Pow = _node(
    "Pow", "``a^e`` elementwise, for a number ``e``.", "a e:float=2.0",
    lambda p: power_text(p.a.atom, p.e), lambda p: f"{p.a.atom}^{{{_num(p.e)}}}",
    quiet(lambda n, env: np.power(n.a.evaluate(env), n.e)), prec=4)
PowerOf = _node(
    "PowerOf", "``a^e`` elementwise for a tensor exponent ``e`` (``P^(A - 1)``).", "a e",
    lambda p: f"{p.a.atom}^({p.e})", lambda p: f"{p.a.atom}^{{{p.e}}}",
    quiet(lambda n, env: np.power(n.a.evaluate(env), n.e.evaluate(env))), prec=4)
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
    quiet(lambda n, env: n.a.evaluate(env) / n.b.evaluate(env)), prec=2, kind="div")


# --- the nodes whose precedence depends on their contents (and graphstep.formulas.shaped's) ---


@dataclass(frozen=True)
class Add(Expr):
    """A sum of terms; a negated term is written as a subtraction.

    Parameters
    ----------
    shape : tuple of int
    terms : tuple of Expr

    Examples
    --------
    >>> x, G = Value((2,), 0, "v"), Adjoint((2,), 1, "u1")
    >>> Add((2,), (x, Neg((2,), G))).text()
    'v - G_u1'
    """
    terms: tuple[Expr, ...] = ()

    prec = 1
    kind = "add"

    def _render(self, latex: bool, notation: str = "G") -> str:
        out = []
        for k, term in enumerate(self.terms):
            if isinstance(term, Neg):
                body = child_text(self, term.a, latex=latex, notation=notation)
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
    """``e ⊙ a^(e - 1)``, the derivative of ``a^e`` in ``a``.

    It is exactly 0 where ``e = 0``, even at ``a = 0`` (as autograd computes it), where the
    product would give ``0·inf``.

    Parameters
    ----------
    shape : tuple of int
    a : Expr
        The base.
    e : Expr
        The exponent.

    Examples
    --------
    >>> PowerRule((2,), Value((2,), 0, "P"), Value((2,), 1, "A")).text()
    'A ⊙ P^(A - 1)'
    """

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
