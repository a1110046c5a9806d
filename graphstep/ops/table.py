"""The op table: every operation graphstep knows, declared once, in :data:`OPS`.

Each :class:`~graphstep.ops.spec.OpSpec` entry holds the forward computation, each
argument's local derivative (numerically and as a formula), the shape rule, the
matrix-form adjoint rule and its sentence, the text and LaTeX templates, and how the
op is called (function names, operator, arity, parameters). The parser, tracing
(``gs.<name>`` and ``Var``'s operators), every algorithm, the formulas and the pictures
read these entries; adding an op is adding an entry here (see ``docs/adding-an-op.rst``).

>>> float(OPS["sin"].forward((0.0,), {}))
0.0
>>> OPS["mul"].local[0]((2.0, 5.0), 10.0, {})
5.0
>>> OPS["sin"].formula[0](("u1",), (None,), "u2", (0.5,))
'cos(u1)'
>>> FUNCTIONS["ln"], [op.name for op in overloads("max")]
('log', ['maximum', 'amax'])
"""

from __future__ import annotations

import operator

import numpy as np

from graphstep.ops import jacobians as jac
from graphstep.ops import rules as r
from graphstep.ops import shapes as sh
from graphstep.ops import structural as st
from graphstep.ops.composite import composite_spec
from graphstep.ops.spec import ATOM, CONST, INPUT, Kind, Leaf, OpSpec, Param, as_value, power_text
from graphstep.text import shape_text

__all__ = [
    "Leaf", "INPUT", "CONST", "Kind", "Param", "OpSpec", "ATOM", "OPS", "FUNCTIONS",
    "OPERATORS", "overloads", "format_op", "power_text", "as_value",
]

E, S = Kind.ELEMENTWISE, Kind.STRUCTURAL
AXIS = Param(name="axis", keyword=True, positional=True)


def _unary(name, forward, local, formula, adjoint, latex, *, names=None, activation=True,
           scalar_forward=None):
    """An elementwise function of one argument: ``local(x, out)``, ``formula(x, y)`` on labels."""
    return OpSpec(
        name=name, kind=E, arity=1, names=names or (name,), text=f"{name}({{0}})",
        forward=lambda a, p: forward(a[0]),
        local=(lambda a, out, p: local(a[0], out),),
        formula=(lambda labels, consts, y, values: formula(labels[0], y),),
        adjoint=(lambda m, G, e: adjoint(m, G, e.args[0], e.out),),
        latex=latex, activation=activation, scalar_forward=scalar_forward,
    )


def _pick(name, word, forward, wins, loose, strict):
    """The elementwise ``max(a, b)`` or ``min(a, b)``: the winner's local derivative is 1, ½ at a tie."""
    return OpSpec(
        name=name, kind=E, arity=2, names=(word,), text=f"{word}({{0}}, {{1}})",
        forward=lambda a, p: forward(a[0], a[1]),
        local=(r.pick_local(wins, 0), r.pick_local(wins, 1)),
        formula=(r.pick_formula(loose, strict, 0), r.pick_formula(loose, strict, 1)),
        adjoint=(r.pick_adjoint(strict, 0), r.pick_adjoint(strict, 1)),
        latex=rf"\{word}\left({{0}}, {{1}}\right)",
    )


def _extreme(name, word, reduce, which):
    """The reduction ``max(x, axis)`` or ``min(x, axis)``: its ``which`` entry (``k`` tied ones share)."""
    return OpSpec(
        name=name, kind=S, arity=1, names=(word,), text=f"{word}({{0}})",
        params=(Param(name="axis"),), forward=st.reduce_forward(reduce),
        shape=sh.reduce_shape(word), jacobian=st.extreme_jacobian(word),
        adjoint=(st.extreme_adjoint(word),), sentence=st.extreme_sentence(which),
        latex=rf"\{word} {{0}}",
    )


OPS: dict[str, OpSpec] = {op.name: op for op in (
    # --- arithmetic --------------------------------------------------------------------
    OpSpec(
        name="add", kind=E, arity=2, operator="+", text="{0} + {1}", precedence=1,
        scalar_forward=operator.add,
        forward=lambda a, p: a[0] + a[1], constant_local=(1.0, 1.0),
        local=(lambda a, out, p: 1.0, lambda a, out, p: 1.0),
        formula=(r.label_formula("1"), r.label_formula("1")),
        adjoint=(lambda m, G, e: G, lambda m, G, e: G), latex="{0} + {1}",
    ),
    OpSpec(
        name="sub", kind=E, arity=2, operator="-", text="{0} - {1}", precedence=1, tighter=(1,),
        scalar_forward=operator.sub,
        forward=lambda a, p: a[0] - a[1], constant_local=(1.0, -1.0),
        local=(lambda a, out, p: 1.0, lambda a, out, p: -1.0),
        formula=(r.label_formula("1"), r.label_formula("-1")),
        adjoint=(lambda m, G, e: G, lambda m, G, e: m.neg(G)), latex="{0} - {1}",
    ),
    OpSpec(
        name="mul", kind=E, scalar_forward=operator.mul, arity=2, operator="*", text="{0}*{1}", precedence=2,
        forward=lambda a, p: a[0] * a[1],
        local=(lambda a, out, p: a[1], lambda a, out, p: a[0]),
        formula=(lambda lab, c, y, v: lab[1], lambda lab, c, y, v: lab[0]),
        adjoint=(lambda m, G, e: m.had(G, e.args[1]), lambda m, G, e: m.had(G, e.args[0])),
        latex=r"{0} \odot {1}",
    ),
    OpSpec(
        name="div", kind=E, arity=2, operator="/", text="{0}/{1}", precedence=2, tighter=(1,),
        forward=lambda a, p: np.divide(a[0], a[1]),
        local=(lambda a, out, p: np.divide(1.0, a[1]),
               lambda a, out, p: np.divide(-a[0], a[1] * a[1])),
        formula=(lambda lab, c, y, v: f"1/{r.wrap(lab[1])}",
                 lambda lab, c, y, v: f"-{r.wrap(lab[0])}/{power_text(r.wrap(lab[1]), 2)}"),
        adjoint=(lambda m, G, e: m.div(G, e.args[1]),
                 lambda m, G, e: m.neg(m.had(G, m.div(e.args[0], m.power(e.args[1], 2))))),
        latex=r"\frac{{{0}}}{{{1}}}",
    ),
    OpSpec(
        name="pow", kind=E, arity=2, operator="**", text="{0}^{1}", precedence=4, tighter=(0,),
        forward=r.pow_forward, local=(r.pow_base_local, r.pow_exponent_local),
        formula=(r.pow_base_formula, lambda lab, c, y, v: f"{y}·ln {r.wrap(lab[0])}"),
        adjoint=(r.pow_base_adjoint,
                 lambda m, G, e: m.had(G, m.had(e.out, m.fn("ln", e.args[0])))),
        latex="{0}^{{{1}}}",
    ),
    OpSpec(
        name="neg", kind=E, scalar_forward=operator.neg, arity=1, operator="neg", text="-{0}", precedence=3,
        forward=lambda a, p: -a[0], constant_local=(-1.0,),
        local=(lambda a, out, p: -1.0,), formula=(r.label_formula("-1"),),
        adjoint=(lambda m, G, e: m.neg(G),), latex="-{0}",
    ),
    # --- elementwise functions: name, forward, local derivative (of x and the output),
    # --- its formula (on labels), the adjoint as a matrix expression, LaTeX -------------
    _unary("exp", np.exp, lambda x, out: out, lambda a, y: f"exp({a})",
           lambda m, G, x, y: m.had(G, y), r"\exp\left({0}\right)"),
    _unary("log", r.safe_log, lambda x, out: np.divide(1.0, x), lambda a, y: f"1/{r.wrap(a)}",
           lambda m, G, x, y: m.div(G, x), r"\ln\left({0}\right)", names=("log", "ln")),
    _unary("log1p", lambda x: np.log1p(np.where(np.asarray(x) > -1, x, np.nan)),
           lambda x, out: np.divide(1.0, 1.0 + x),
           lambda a, y: f"1/(1 + {a})",
           lambda m, G, x, y: m.div(G, m.add([m.const(1.0), x])),
           r"\ln\left(1 + {0}\right)"),
    _unary("sin", np.sin, lambda x, out: np.cos(x), lambda a, y: f"cos({a})",
           lambda m, G, x, y: m.had(G, m.fn("cos", x)), r"\sin\left({0}\right)"),
    _unary("cos", np.cos, lambda x, out: -np.sin(x), lambda a, y: f"-sin({a})",
           lambda m, G, x, y: m.neg(m.had(G, m.fn("sin", x))), r"\cos\left({0}\right)"),
    _unary("tan", np.tan, lambda x, out: 1.0 + out * out, lambda a, y: f"1 + {y}²",
           lambda m, G, x, y: m.had(G, m.add([m.const(1.0), m.power(y, 2)])),
           r"\tan\left({0}\right)"),
    _unary("tanh", np.tanh, lambda x, out: 1.0 - out * out, lambda a, y: f"1 - {y}²",
           lambda m, G, x, y: m.had(G, m.add([m.const(1.0), m.neg(m.power(y, 2))])),
           r"\tanh\left({0}\right)"),
    _unary("sigmoid", lambda x: 0.5 * (1.0 + np.tanh(0.5 * x)),
           lambda x, out: out * (1.0 - out), lambda a, y: f"{y}·(1 - {y})",
           lambda m, G, x, y: m.had(G, m.had(y, m.add([m.const(1.0), m.neg(y)]))),
           r"\sigma\left({0}\right)"),
    _unary("relu", lambda x: np.maximum(x, 0.0), lambda x, out: (np.asarray(x) > 0) * 1.0,
           lambda a, y: f"[{a} > 0]",
           lambda m, G, x, y: m.had(G, m.indicator(x, ">", m.const(0.0))),
           r"\max\left(0, {0}\right)", scalar_forward=lambda x: x if x > 0 else 0.0),
    _unary("sqrt", lambda x: np.sqrt(np.where(np.asarray(x) >= 0, x, np.nan)),
           lambda x, out: np.divide(0.5, out), lambda a, y: f"1/(2·{y})",
           lambda m, G, x, y: m.div(G, m.scale(2.0, y)), r"\sqrt{{{0}}}"),
    _unary("abs", np.abs, lambda x, out: np.sign(x), lambda a, y: f"sign({a})",
           lambda m, G, x, y: m.had(G, m.fn("sign", x)), r"\left|{0}\right|"),
    _unary("square", np.square, lambda x, out: 2.0 * x, lambda a, y: f"2·{r.wrap(a)}",
           lambda m, G, x, y: m.scale(2.0, m.had(G, x)), "{0}^{{2}}", activation=False),
    _pick("maximum", "max", np.maximum, np.greater, "≥", ">"),
    _pick("minimum", "min", np.minimum, np.less, "≤", "<"),
    # --- structural ops: their local derivatives are Jacobian objects ---------------------
    OpSpec(
        name="matmul", kind=S, arity=2, operator="@", text="{0} @ {1}", precedence=2,
        tighter=(1,), forward=lambda a, p: np.matmul(a[0], a[1]), shape=sh.matmul_shape,
        jacobian=st.matmul_jacobian,
        adjoint=(st.matmul_adjoint, st.matmul_adjoint), sentence=st.matmul_sentence,
        latex=r"{0}\,{1}",
    ),
    OpSpec(
        name="dot", kind=S, arity=2, names=("dot",), text="dot({0}, {1})",
        forward=lambda a, p: np.matmul(a[0], a[1]), shape=sh.matmul_shape,
        jacobian=st.matmul_jacobian,
        adjoint=(st.matmul_adjoint, st.matmul_adjoint), sentence=st.matmul_sentence,
        latex=r"{0} \cdot {1}",
    ),
    OpSpec(
        name="transpose", kind=S, arity=1, names=("transpose",), operator=".T", text="{0}.T",
        forward=lambda a, p: np.transpose(a[0]), shape=sh.transpose_shape,
        jacobian=lambda pos, a, out, p, labels: jac.Transpose(np.shape(a[0])),
        adjoint=(lambda m, G, e: m.transpose(G),),
        sentence=lambda s: f"{s.intro} The entries only move: {s.Gt} = {s.rule}, {s.like}.",
        latex=r"{0}^{{\top}}",
    ),
    OpSpec(
        name="sum", kind=S, arity=1, names=("sum",), text="sum({0})", params=(AXIS,),
        forward=st.reduce_forward(np.sum), shape=sh.reduce_shape("sum"),
        jacobian=lambda pos, a, out, p, labels: jac.Reduction(np.shape(a[0]), p.get("axis")),
        adjoint=(st.reduce_adjoint(mean=False),), sentence=st.reduce_sentence(mean=False),
        latex=r"\textstyle\sum {0}",
    ),
    OpSpec(
        name="mean", kind=S, arity=1, names=("mean",), text="mean({0})", params=(AXIS,),
        forward=st.mean_forward, shape=sh.reduce_shape("mean"),
        jacobian=lambda pos, a, out, p, labels: jac.Reduction(
            np.shape(a[0]), p.get("axis"), st.mean_scale(np.shape(a[0]), p.get("axis"))),
        adjoint=(st.reduce_adjoint(mean=True),), sentence=st.reduce_sentence(mean=True),
        latex=r"\operatorname{{mean}}\left({0}\right)",
    ),
    OpSpec(
        name="softmax", kind=S, arity=1, names=("softmax",), text="softmax({0})",
        params=(Param(name="axis", keyword=True, positional=True, default=-1),),
        forward=st.softmax_forward, shape=sh.softmax_shape,
        jacobian=lambda pos, a, out, p, labels: jac.Softmax(out, p.get("axis", -1), labels[-1]),
        adjoint=(st.softmax_adjoint,),
        sentence=lambda s: (
            f"{s.intro} Softmax couples the entries along axis {s.params.get('axis', -1)}: its "
            f"Jacobian diag({s.h}) - {s.h}·{s.h}ᵀ is not diagonal, so {s.Gt} = {s.rule}, "
            f"{s.like}."),
        latex=r"\operatorname{{softmax}}\left({0}\right)", activation=True,
    ),
    _extreme("amax", "max", np.max, "largest"),
    _extreme("amin", "min", np.min, "smallest"),
    OpSpec(
        name="reshape", kind=S, arity=1, names=("reshape",), text="reshape({0})",
        params=(Param(name="shape", keyword=False, positional=True, required=True),),
        forward=lambda a, p: np.reshape(a[0], p["shape"]), shape=sh.reshape_shape,
        jacobian=lambda pos, a, out, p, labels: jac.Reshape(np.shape(a[0]), np.shape(out)),
        adjoint=(lambda m, G, e: m.reshape(G, e.shapes[0]),),
        sentence=lambda s: (f"{s.intro} The same numbers in another shape: {s.Gt} = {s.rule}, "
                            f"{s.like}."),
        latex=r"\operatorname{{reshape}}\left({0}\right)",
    ),
    OpSpec(
        name="broadcast", kind=S, arity=1, text="{0}", transparent=True,
        forward=lambda a, p: np.broadcast_to(a[0], p["shape"]),  # a read-only view
        shape=sh.broadcast_shape,
        jacobian=lambda pos, a, out, p, labels: jac.Broadcast(np.shape(a[0]), np.shape(out)),
        adjoint=(lambda m, G, e: m.sum_to(G, e.shapes[0]),), sentence=st.broadcast_sentence,
    ),
    OpSpec(
        name="stack", kind=S, arity=1, variadic=True, names=("stack",), text="[{0}]",
        forward=lambda a, p: np.stack([np.asarray(v, dtype=float) for v in a]),
        shape=sh.stack_shape,
        jacobian=lambda pos, a, out, p, labels: jac.Embed(np.shape(a[pos]), np.shape(out), pos),
        adjoint=(lambda m, G, e: m.index(G, e.pos, e.shapes[e.pos]),),
        sentence=lambda s: (f"{s.intro} {s.t} is entry {s.pos} of {s.h} "
                            f"({shape_text(s.out_shape)}): {s.Gt} = {s.rule}, {s.like}."),
        latex=r"\left[{0}\right]",
    ),
)}

#: Names usable as functions, in strings and as ``gs.<name>``, mapped to their op
#: (``max`` and ``min`` name two ops each: see :func:`overloads`).
FUNCTIONS: dict[str, str] = {}
for _op in OPS.values():
    for _name in _op.names:
        FUNCTIONS.setdefault(_name, _op.name)

#: Python operators (``"+"``, ``"@"``, ``"neg"`` for unary minus, ``".T"``) and their op.
OPERATORS: dict[str, str] = {op.operator: op.name for op in OPS.values() if op.operator}


def overloads(function: str) -> list[OpSpec]:
    """The ops a function name calls, most arguments first.

    Parameters
    ----------
    function : str
        A name of :data:`FUNCTIONS` (``max`` names ``maximum`` and ``amax``).

    Returns
    -------
    list of OpSpec

    Examples
    --------
    >>> [op.name for op in overloads("max")], [op.name for op in overloads("sum")]
    (['maximum', 'amax'], ['sum'])
    """
    found = [op for op in OPS.values() if function in op.names]
    return sorted(found, key=lambda op: -op.arity)


def format_op(op: str, arg_texts: list[str], arg_precs: list[int], params: dict | None) -> str:
    """Write op ``op`` applied to already-written arguments, adding parentheses as needed.

    Parameters
    ----------
    op : str
        A key of :data:`OPS`.
    arg_texts : list of str
    arg_precs : list of int
        Each argument's precedence (:data:`~graphstep.ops.spec.ATOM` for a name).
    params : dict or None
        The op's parameters, written after the arguments (``axis=0``).

    Returns
    -------
    str

    Examples
    --------
    >>> format_op("mul", ["a + b", "c"], [1, ATOM], None)
    '(a + b)*c'
    """
    return OPS[op].write(arg_texts, arg_precs, params)


OPS[composite_spec().name] = composite_spec()  # value and derivatives carried by the node

del _op, _name
