"""The op table: every operation graphstep knows, declared once.

An :class:`Op` entry holds the forward computation, each argument's local
derivative (numerically, as a formula and as a matrix expression), the shape rule and
how to write the op as text and LaTeX. Elementwise ops give their derivative as an
elementwise value ``d`` (a float for scalars); the graph turns it into ``diag(d)`` for
tensors. Structural ops (``matmul``, ``sum``, ``transpose``, ...) give a
:class:`~graphstep.ops.jacobians.Jacobian` directly. Adding an op means adding one entry to
:data:`OPS` (and its name to :data:`FUNCTIONS`): the parser, every algorithm, the
pictures and the steppers then know it. Tracing it as ``gs.<name>`` takes one line in
:mod:`graphstep.build.trace` and an export.

>>> float(OPS["sin"].forward((0.0,), {}))
0.0
>>> OPS["mul"].local[0]((2.0, 5.0), 10.0, {})
5.0
>>> OPS["sin"].formula[0](("u1",), (None,), "u2", {})
'cos(u1)'
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from graphstep.errors import ShapeError
from graphstep.ops import jacobians as jac

__all__ = ["Op", "OPS", "FUNCTIONS", "power_text", "as_value"]

_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def as_value(result: Any) -> Any:
    """Normalise a computed value: 0-d results become Python floats."""
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
        return base + f"{int(exponent)}".translate(_SUPERSCRIPTS)
    return f"{base}^{exponent:g}"


def _num(c: float) -> str:
    return f"{c:g}"


def _wrap(label: str) -> str:
    """Parenthesise a label that is not a single token (``-2`` or ``x+1``)."""
    return label if label.replace("_", "").replace(".", "").isalnum() else f"({label})"


@dataclass(frozen=True)
class Op:
    """One operation: forward, local derivatives, formulas, shape rule, display.

    ``local[i](args, out, params)`` is argument ``i``'s local derivative: the
    elementwise ``d`` for elementwise ops, a Jacobian object for the others.
    ``formula[i](labels, consts, out_label, params)`` is its readable form; ``consts``
    holds each argument's value where it is a constant and ``None`` elsewhere.
    ``constant_local`` gives derivatives that never depend on values (``+``, ``-``).
    ``symbolic[i](m, G, args, y)`` is the same rule as a matrix expression, the adjoint
    that argument ``i`` receives when the output's adjoint is ``G`` (``m`` is the
    expression builder of :mod:`graphstep.formulas.backprop`; ``args`` and ``y`` are the arguments
    and the output as expressions); ``latex`` writes the forward step in LaTeX.
    """

    name: str
    arity: int
    forward: Callable[[tuple, dict], Any]
    local: tuple[Callable, ...]
    formula: tuple[Callable, ...]
    template: str
    precedence: int = 5
    elementwise: bool = True
    shape: Callable[[tuple, dict, tuple], tuple] | None = None
    constant_local: tuple[float | None, ...] = field(default=())
    symbolic: tuple[Callable, ...] = field(default=())
    latex: str = ""


def _unary(name, forward, local, formula, symbolic, latex):
    return Op(
        name=name,
        arity=1,
        forward=lambda a, p: forward(a[0]),
        local=(lambda a, out, p: local(a[0], out),),
        formula=(lambda lab, c, y, p: formula(lab[0], y),),
        template=f"{name}({{0}})",
        symbolic=(symbolic,),
        latex=latex,
    )


def _pow_base_symbolic(m, G, args, y):
    base, exponent = args
    c = m.uniform(exponent)
    if c == 0:
        return m.scale(0.0, G)  # x^0 is constant: exactly 0, even at x = 0
    if c is not None:
        return m.scale(c, m.had(G, m.pow(base, c - 1)))
    return m.had(G, m.power_rule(base, exponent))


def _pow_base_formula(labels, consts, out_label, params):
    a, b = labels
    exponent = consts[1]
    if exponent is not None and np.ndim(exponent) > 0:
        exponent = _uniform_exponent(exponent)  # a broadcast constant such as the 2 in v**2
    if exponent is not None and np.ndim(exponent) == 0:
        c = float(exponent)
        if c in (0, 1):
            return f"{c:g}"
        return f"{_num(c)}·{power_text(_wrap(a), c - 1)}" if c != 2 else f"2·{_wrap(a)}"
    return f"{_wrap(b)}·{_wrap(a)}^({b}−1)"


def _uniform_exponent(b: Any) -> float | None:
    """The exponent as one number when it is the same everywhere (``v**2`` broadcasts the 2)."""
    if np.ndim(b) == 0:
        return float(b)
    b = np.asarray(b)
    if b.size == 0:
        return None  # an empty exponent: np.power broadcasts it as it is
    first = b.flat[0]
    return float(first) if (b == first).all() else None


def _pow_forward(a, p):
    c = _uniform_exponent(a[1])
    if c == 2:
        return a[0] * a[0]  # what np.power does for a scalar 2, without the pow() calls
    return np.power(a[0], a[1] if c is None else c)


def _pow_base_local(a, out, p):
    """``d(x^y)/dx = y·x^(y-1)``, exactly 0 where ``y = 0`` (also at ``x = 0``), as autograd has it."""
    c = _uniform_exponent(a[1])
    if c is None:
        return a[1] * np.power(a[0], np.where(a[1] == 0, 1.0, a[1] - 1.0))
    if c == 0:
        return np.zeros(np.shape(a[0])) if np.ndim(a[0]) else 0.0
    if c == 2:
        return 2.0 * a[0]
    return c * np.power(a[0], c - 1.0)


def _pow_exponent_local(a, out, p):
    """``d(x^y)/dy = x^y·ln x``, exactly 0 at ``x = 0`` where ``x^y`` is finite (autograd, JAX).

    ``ln x`` is nan for ``x < 0`` (``x^y`` is not a real function of ``y`` there).
    """
    base = np.asarray(a[0])
    return out * np.log(np.where(base == 0, 1.0, base))


def _safe_log(a):
    return np.log(np.where(np.asarray(a) > 0, a, np.nan))


# --- max(a, b) and min(a, b): a tie splits the derivative evenly ------------------------

TIE = "tie: split evenly"
_OTHER = {"≥": "<", "≤": ">", ">": "<", "<": ">"}


def _pick_local(wins, pos):
    """``[a wins] + ½[a = b]`` for argument ``pos`` (autograd's and JAX's rule at a tie)."""

    def local(a, out, p):
        mine, other = np.asarray(a[pos]), np.asarray(a[1 - pos])
        return wins(mine, other) * 1.0 + (mine == other) * 0.5

    return local


def _pick_formula(loose, strict, pos):
    """``[a ≥ b]`` and ``[a < b]``; where the values tie, ``½ (tie: split evenly)``.

    >>> f = _pick_formula("≥", ">", 0)
    >>> f(("x", "y"), (None, None), "u1", {"_values": (1.0, 2.0)})
    '[x ≥ y]'
    >>> f(("x", "y"), (None, None), "u1", {"_values": (2.0, 2.0)})
    '½ (tie: split evenly)'
    """

    def formula(lab, c, y, p):
        a, b = lab
        values = p.get("_values")
        tied = values is not None and bool(np.any(np.asarray(values[0]) == np.asarray(values[1])))
        if not tied:
            return f"[{a} {loose} {b}]" if pos == 0 else f"[{a} {_OTHER[loose]} {b}]"
        if np.ndim(values[0]) == 0 and np.ndim(values[1]) == 0:
            return f"½ ({TIE})"
        wins = f"[{a} {strict} {b}]" if pos == 0 else f"[{a} {_OTHER[strict]} {b}]"
        return f"{wins} + ½[{a} = {b}] ({TIE})"

    return formula


def _pick_symbolic(strict, pos):
    def rule(m, G, a, y):
        relation = strict if pos == 0 else _OTHER[strict]
        wins = m.indicator(a[0], relation, a[1])
        return m.had(G, m.add([wins, m.scale(0.5, m.indicator(a[0], "=", a[1]))]))

    return rule


# --- shape rules of the structural ops ------------------------------------------------


def _matmul_shape(shapes, params, texts):
    (sa, sb), (ta, tb) = shapes, texts
    if len(sa) == 0 or len(sb) == 0 or len(sa) > 2 or len(sb) > 2:
        raise ShapeError(
            f"matmul: {ta} {jac.shape_paren(sa)} @ {tb} {jac.shape_paren(sb)}: "
            "both sides must be vectors or matrices; use * for scalars"
        )
    inner_a, inner_b = sa[-1], sb[0]
    if inner_a != inner_b:
        raise ShapeError(
            f"matmul: {ta} {jac.shape_paren(sa)} @ {tb} {jac.shape_paren(sb)}: "
            f"inner dimensions {inner_a} and {inner_b} differ"
        )
    return sa[:-1] + sb[1:]


def _axis_check(name, shape, axis, text):
    """Every axis a whole number in range, none named twice (``-1`` and ``1`` of a matrix are one)."""
    if axis is None:
        return
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    seen = set()
    for a in axes:
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)):
            raise ShapeError(f"{name}: the axis {a!r} for {text} is not a whole number")
        if not -len(shape) <= a < len(shape):
            raise ShapeError(
                f"{name}: {text} has shape {jac.shape_text(shape)}: axis {a} is out of range"
            )
        if a % len(shape) in seen:
            raise ShapeError(
                f"{name}: {text} has shape {jac.shape_text(shape)}: axis {a % len(shape)} is "
                f"named twice in axis={axis}"
            )
        seen.add(a % len(shape))


def _reduced_axes(shape, axis):
    return tuple(range(len(shape))) if axis is None else jac._normal_axes(axis, len(shape))


def _reduce_shape(name):
    def rule(shapes, params, texts):
        axis = params.get("axis")
        _axis_check(name, shapes[0], axis, texts[0])
        axes = _reduced_axes(shapes[0], axis)
        if name in ("max", "min") and any(shapes[0][a] == 0 for a in axes):
            where = "" if axis is None else f" along axis {axis}"
            raise ShapeError(
                f"{name}: {texts[0]} has shape {jac.shape_text(shapes[0])}: the {name} of no "
                f"numbers{where} is not defined"
            )
        return tuple(n for i, n in enumerate(shapes[0]) if i not in axes)

    return rule


def _reshape_shape(shapes, params, texts):
    target = tuple(params["shape"])
    size = math.prod(shapes[0])
    known = math.prod(n for n in target if n != -1)
    bad = [n for n in target if n < -1]
    if bad or target.count(-1) > 1 or (target.count(-1) == 0 and known != size) or (
        target.count(-1) == 1 and (known == 0 or size % known)
    ):
        why = (f"{bad[0]} is not a length (use -1 for the one length to work out)" if bad else
               "-1 may stand for one length only" if target.count(-1) > 1 else
               "the sizes do not match")
        raise ShapeError(
            f"reshape: {texts[0]} {jac.shape_paren(shapes[0])} holds {size} numbers and "
            f"cannot be read as shape {target}: {why}"
        )
    return tuple(size // known if n == -1 else n for n in target)


def _stack_shape(shapes, params, texts):
    if not shapes:
        raise ShapeError("stack: [] has no values; stack needs at least one")
    for shape, text in zip(shapes[1:], texts[1:]):
        if shape != shapes[0]:
            raise ShapeError(
                f"stack: {texts[0]} {jac.shape_paren(shapes[0])} and {text} "
                f"{jac.shape_paren(shape)} must have the same shape"
            )
    return (len(shapes),) + shapes[0]


def _softmax_shape(shapes, params, texts):
    if shapes[0] == ():
        raise ShapeError(f"softmax: {texts[0]} is a scalar; softmax needs a vector or matrix")
    axis = params.get("axis", -1)
    _axis_check("softmax", shapes[0], axis, texts[0])
    if any(shapes[0][a] == 0 for a in _reduced_axes(shapes[0], axis)):
        raise ShapeError(
            f"softmax: {texts[0]} has shape {jac.shape_text(shapes[0])}: softmax along axis "
            f"{axis} of no numbers is not defined"
        )
    return shapes[0]


def _transpose_shape(shapes, params, texts):
    return shapes[0][::-1]


def _broadcast_shape(shapes, params, texts):
    return tuple(params["shape"])


# --- locals of the structural ops -----------------------------------------------------


def _extreme_local(name):
    """``d max(x)/dx``: 1 at the largest entry; ``k`` tied entries get ``1/k`` each (autograd, JAX)."""

    def local(args, out, params):
        x = np.asarray(args[0], dtype=float)
        axis = params.get("axis")
        axes = _reduced_axes(x.shape, axis)
        hits = x == np.expand_dims(np.asarray(out, dtype=float), axes)
        counts = hits.sum(axis=axes, keepdims=True)
        mask = hits / counts
        which = f"arg{name}"
        formula = (f"diag(onehot({which}))" if not (counts > 1).any()
                   else f"diag(1/k at the k tied {which}) ({TIE})")
        reduce = jac.Reduction(x.shape, axis, formula="1ᵀ")
        return jac.compose(reduce, jac.Diagonal(mask, formula))

    return local


def _reduce_forward(fn):
    def forward(a, p):
        return fn(a[0], axis=p.get("axis"))

    return forward


def _mean_scale(shape, axis):
    return 1.0 / max(math.prod(shape[a] for a in _reduced_axes(shape, axis)), 1)


def _mean_forward(a, p):
    """``np.mean``; the mean of no numbers is nan (a DomainWarning, not numpy's RuntimeWarning)."""
    x, axis = a[0], p.get("axis")
    if np.size(x) and all(np.shape(x)[k] for k in _reduced_axes(np.shape(x), axis)):
        return np.mean(x, axis=axis)
    return np.sum(x, axis=axis) * np.nan


def _softmax_forward(a, p):
    x = a[0]
    axis = p.get("axis", -1)
    shifted = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)


def _stack_local(index):
    def local(args, out, params):
        return jac.Embed(np.shape(args[index]), np.shape(out), index)

    return local


def _label_formula(text):
    return lambda lab, c, y, p: text


OPS: dict[str, Op] = {}


def _register(*ops: Op) -> None:
    for op in ops:
        OPS[op.name] = op


_register(
    Op(
        "add", 2, lambda a, p: a[0] + a[1],
        (lambda a, out, p: 1.0, lambda a, out, p: 1.0),
        (_label_formula("1"), _label_formula("1")),
        "{0} + {1}", precedence=1, constant_local=(1.0, 1.0),
        symbolic=(lambda m, G, a, y: G, lambda m, G, a, y: G), latex="{0} + {1}",
    ),
    Op(
        "sub", 2, lambda a, p: a[0] - a[1],
        (lambda a, out, p: 1.0, lambda a, out, p: -1.0),
        (_label_formula("1"), _label_formula("-1")),
        "{0} - {1}", precedence=1, constant_local=(1.0, -1.0),
        symbolic=(lambda m, G, a, y: G, lambda m, G, a, y: m.neg(G)), latex="{0} - {1}",
    ),
    Op(
        "mul", 2, lambda a, p: a[0] * a[1],
        (lambda a, out, p: a[1], lambda a, out, p: a[0]),
        (lambda lab, c, y, p: lab[1], lambda lab, c, y, p: lab[0]),
        "{0}*{1}", precedence=2,
        symbolic=(lambda m, G, a, y: m.had(G, a[1]), lambda m, G, a, y: m.had(G, a[0])),
        latex=r"{0} \odot {1}",
    ),
    Op(
        "div", 2, lambda a, p: np.divide(a[0], a[1]),
        (lambda a, out, p: np.divide(1.0, a[1]), lambda a, out, p: np.divide(-a[0], a[1] * a[1])),
        (
            lambda lab, c, y, p: f"1/{_wrap(lab[1])}",
            lambda lab, c, y, p: f"-{_wrap(lab[0])}/{power_text(_wrap(lab[1]), 2)}",
        ),
        "{0}/{1}", precedence=2,
        symbolic=(lambda m, G, a, y: m.div(G, a[1]),
                  lambda m, G, a, y: m.neg(m.had(G, m.div(a[0], m.pow(a[1], 2))))),
        latex=r"\frac{{{0}}}{{{1}}}",
    ),
    Op(
        "pow", 2, _pow_forward,
        (
            _pow_base_local,
            _pow_exponent_local,
        ),
        (_pow_base_formula, lambda lab, c, y, p: f"{y}·ln {_wrap(lab[0])}"),
        "{0}^{1}", precedence=4,
        symbolic=(_pow_base_symbolic, lambda m, G, a, y: m.had(G, m.had(y, m.fn("ln", a[0])))),
        latex="{0}^{{{1}}}",
    ),
    Op(
        "neg", 1, lambda a, p: -a[0],
        (lambda a, out, p: -1.0,),
        (_label_formula("-1"),),
        "-{0}", precedence=3, constant_local=(-1.0,),
        symbolic=(lambda m, G, a, y: m.neg(G),), latex="-{0}",
    ),
    # name, forward, local derivative, its formula, the adjoint as a matrix expression, LaTeX
    _unary("exp", np.exp, lambda a, out: out, lambda a, y: f"exp({a})",
           lambda m, G, a, y: m.had(G, y), r"\exp\left({0}\right)"),
    _unary("log", _safe_log, lambda a, out: np.divide(1.0, a), lambda a, y: f"1/{_wrap(a)}",
           lambda m, G, a, y: m.div(G, a[0]), r"\ln\left({0}\right)"),
    _unary("sin", np.sin, lambda a, out: np.cos(a), lambda a, y: f"cos({a})",
           lambda m, G, a, y: m.had(G, m.fn("cos", a[0])), r"\sin\left({0}\right)"),
    _unary("cos", np.cos, lambda a, out: -np.sin(a), lambda a, y: f"-sin({a})",
           lambda m, G, a, y: m.neg(m.had(G, m.fn("sin", a[0]))), r"\cos\left({0}\right)"),
    _unary("tan", np.tan, lambda a, out: 1.0 + out * out, lambda a, y: f"1 + {y}²",
           lambda m, G, a, y: m.had(G, m.add([m.one, m.pow(y, 2)])), r"\tan\left({0}\right)"),
    _unary("tanh", np.tanh, lambda a, out: 1.0 - out * out, lambda a, y: f"1 - {y}²",
           lambda m, G, a, y: m.had(G, m.add([m.one, m.neg(m.pow(y, 2))])),
           r"\tanh\left({0}\right)"),
    _unary("sigmoid", lambda x: 0.5 * (1.0 + np.tanh(0.5 * x)),
           lambda a, out: out * (1.0 - out), lambda a, y: f"{y}·(1 - {y})",
           lambda m, G, a, y: m.had(G, m.had(y, m.add([m.one, m.neg(y)]))),
           r"\sigma\left({0}\right)"),
    _unary("relu", lambda x: np.maximum(x, 0.0), lambda a, out: (np.asarray(a) > 0) * 1.0,
           lambda a, y: f"[{a} > 0]",
           lambda m, G, a, y: m.had(G, m.indicator(a[0], ">", m.const(0.0))),
           r"\max\left(0, {0}\right)"),
    _unary("sqrt", lambda x: np.sqrt(np.where(np.asarray(x) >= 0, x, np.nan)),
           lambda a, out: np.divide(0.5, out), lambda a, y: f"1/(2·{y})",
           lambda m, G, a, y: m.div(G, m.scale(2.0, y)), r"\sqrt{{{0}}}"),
    _unary("abs", np.abs, lambda a, out: np.sign(a), lambda a, y: f"sign({a})",
           lambda m, G, a, y: m.had(G, m.fn("sign", a[0])), r"\left|{0}\right|"),
    _unary("square", np.square, lambda a, out: 2.0 * a, lambda a, y: f"2·{_wrap(a)}",
           lambda m, G, a, y: m.scale(2.0, m.had(G, a[0])), "{0}^{{2}}"),
    Op(
        "maximum", 2, lambda a, p: np.maximum(a[0], a[1]),
        (_pick_local(np.greater, 0), _pick_local(np.greater, 1)),
        (_pick_formula("≥", ">", 0), _pick_formula("≥", ">", 1)),
        "max({0}, {1})",
        symbolic=(_pick_symbolic(">", 0), _pick_symbolic(">", 1)),
        latex=r"\max\left({0}, {1}\right)",
    ),
    Op(
        "minimum", 2, lambda a, p: np.minimum(a[0], a[1]),
        (_pick_local(np.less, 0), _pick_local(np.less, 1)),
        (_pick_formula("≤", "<", 0), _pick_formula("≤", "<", 1)),
        "min({0}, {1})",
        symbolic=(_pick_symbolic("<", 0), _pick_symbolic("<", 1)),
        latex=r"\min\left({0}, {1}\right)",
    ),
    # --- structural ops: their locals are Jacobian objects ----------------------------
    Op(
        "matmul", 2, lambda a, p: np.matmul(a[0], a[1]),
        (
            lambda a, out, p: jac.MatmulLeft(a[1], np.shape(a[0]), np.shape(out), *p["_labels"][:2]),
            lambda a, out, p: jac.MatmulRight(a[0], np.shape(a[1]), np.shape(out), *p["_labels"][:2]),
        ),
        (None, None), "{0} @ {1}", precedence=2, elementwise=False, shape=_matmul_shape,
        latex=r"{0}\,{1}",
    ),
    Op(
        "transpose", 1, lambda a, p: np.transpose(a[0]),
        (lambda a, out, p: jac.Transpose(np.shape(a[0])),),
        (None,), "{0}.T", precedence=5, elementwise=False, shape=_transpose_shape,
        latex=r"{0}^{{\top}}",
    ),
    Op(
        "sum", 1, _reduce_forward(np.sum),
        (lambda a, out, p: jac.Reduction(np.shape(a[0]), p.get("axis")),),
        (None,), "sum({0})", elementwise=False, shape=_reduce_shape("sum"),
        latex=r"\textstyle\sum {0}",
    ),
    Op(
        "mean", 1, _mean_forward,
        (lambda a, out, p: jac.Reduction(
            np.shape(a[0]), p.get("axis"), _mean_scale(np.shape(a[0]), p.get("axis"))),),
        (None,), "mean({0})", elementwise=False, shape=_reduce_shape("mean"),
        latex=r"\operatorname{{mean}}\left({0}\right)",
    ),
    Op(
        "amax", 1, _reduce_forward(np.max), (_extreme_local("max"),), (None,),
        "max({0})", elementwise=False, shape=_reduce_shape("max"), latex=r"\max {0}",
    ),
    Op(
        "amin", 1, _reduce_forward(np.min), (_extreme_local("min"),), (None,),
        "min({0})", elementwise=False, shape=_reduce_shape("min"), latex=r"\min {0}",
    ),
    Op(
        "softmax", 1, _softmax_forward,
        (lambda a, out, p: jac.Softmax(out, p.get("axis", -1), p["_labels"][-1]),),
        (None,), "softmax({0})", elementwise=False, shape=_softmax_shape,
        latex=r"\operatorname{{softmax}}\left({0}\right)",
    ),
    Op(
        "reshape", 1, lambda a, p: np.reshape(a[0], p["shape"]),
        (lambda a, out, p: jac.Reshape(np.shape(a[0]), np.shape(out)),),
        (None,), "reshape({0})", elementwise=False, shape=_reshape_shape,
        latex=r"\operatorname{{reshape}}\left({0}\right)",
    ),
    Op(
        "broadcast", 1, lambda a, p: np.broadcast_to(a[0], p["shape"]),  # a read-only view
        (lambda a, out, p: jac.Broadcast(np.shape(a[0]), np.shape(out)),),
        (None,), "{0}", elementwise=False, shape=_broadcast_shape,
    ),
    Op(
        "stack", -1, lambda a, p: np.stack([np.asarray(v, dtype=float) for v in a]),
        (_stack_local,), (None,), "[{*}]", elementwise=False, shape=_stack_shape,
    ),
)

OPS["dot"] = replace(OPS["matmul"], name="dot", template="dot({0}, {1})", precedence=5,
                     latex=r"{0} \cdot {1}")

#: Names usable as functions, in strings and as ``gs.<name>``, mapped to their op.
FUNCTIONS: dict[str, str] = {
    "exp": "exp", "log": "log", "ln": "log", "sin": "sin", "cos": "cos", "tan": "tan",
    "tanh": "tanh", "sigmoid": "sigmoid", "relu": "relu", "sqrt": "sqrt", "abs": "abs",
    "square": "square", "sum": "sum", "mean": "mean", "dot": "dot", "max": "max",
    "min": "min", "softmax": "softmax", "reshape": "reshape", "transpose": "transpose",
    "stack": "stack",
}
