"""The op table: every operation graphstep knows, declared once.

An :class:`Op` entry holds the forward computation, each argument's local
derivative (numerically, as a formula and as a matrix expression), the shape rule and
how to write the op as text and LaTeX. Elementwise ops give their derivative as an
elementwise value ``d`` (a float for scalars); the graph turns it into ``diag(d)`` for
tensors. Structural ops (``matmul``, ``sum``, ``transpose``, ...) give a
:class:`~graphstep.jacobians.Jacobian` directly. Adding an op means adding one entry to
:data:`OPS` (and its name to :data:`FUNCTIONS`): the parser, every algorithm, the
pictures and the steppers then know it. Tracing it as ``gs.<name>`` takes one line in
:mod:`graphstep.trace` and an export.

>>> float(OPS["sin"].forward((0.0,), {}))
0.0
>>> OPS["mul"].local[0]((2.0, 5.0), 10.0, {})
5.0
>>> OPS["sin"].formula[0](("u1",), (None,), "u2", {})
'cos(u1)'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from . import jacobians as jac
from .errors import ShapeError

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
    expression builder of :mod:`graphstep.matrix`; ``args`` and ``y`` are the arguments
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
    if c is not None:
        return m.scale(c, m.had(G, m.pow(base, c - 1)))
    return m.had(G, m.had(exponent, m.power_of(base, m.add([exponent, m.const(-1.0)]))))


def _pow_base_formula(labels, consts, out_label, params):
    a, b = labels
    exponent = consts[1]
    if exponent is not None and np.ndim(exponent) > 0 and np.all(exponent == np.ravel(exponent)[0]):
        exponent = np.ravel(exponent)[0]  # a broadcast constant such as the 2 in v**2
    if exponent is not None and np.ndim(exponent) == 0:
        c = float(exponent)
        if c == 1:
            return "1"
        return f"{_num(c)}·{power_text(_wrap(a), c - 1)}" if c != 2 else f"2·{_wrap(a)}"
    return f"{_wrap(b)}·{_wrap(a)}^({b}−1)"


def _uniform_exponent(b: Any) -> float | None:
    """The exponent as one number when it is the same everywhere (``v**2`` broadcasts the 2)."""
    if np.ndim(b) == 0:
        return float(b)
    b = np.asarray(b)
    first = b.flat[0]
    return float(first) if (b == first).all() else None


def _pow_forward(a, p):
    c = _uniform_exponent(a[1])
    if c == 2:
        return a[0] * a[0]  # what np.power does for a scalar 2, without the pow() calls
    return np.power(a[0], a[1] if c is None else c)


def _pow_base_local(a, out, p):
    c = _uniform_exponent(a[1])
    if c is None:
        return a[1] * np.power(a[0], a[1] - 1.0)
    if c == 2:
        return 2.0 * a[0]
    return c * np.power(a[0], c - 1.0)


def _safe_log(a):
    return np.log(np.where(np.asarray(a) > 0, a, np.nan))


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
    if axis is None:
        return
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    for a in axes:
        if not -len(shape) <= a < len(shape):
            raise ShapeError(
                f"{name}: {text} has shape {jac.shape_text(shape)}: axis {a} is out of range"
            )


def _reduce_shape(name):
    def rule(shapes, params, texts):
        axis = params.get("axis")
        _axis_check(name, shapes[0], axis, texts[0])
        if axis is None:
            return ()
        axes = jac._normal_axes(axis, len(shapes[0]))
        return tuple(n for i, n in enumerate(shapes[0]) if i not in axes)

    return rule


def _reshape_shape(shapes, params, texts):
    target = tuple(params["shape"])
    size = int(np.prod(shapes[0]))
    known = [n for n in target if n != -1]
    if target.count(-1) > 1 or (target.count(-1) == 0 and int(np.prod(target)) != size) or (
        target.count(-1) == 1 and (np.prod(known) == 0 or size % int(np.prod(known)))
    ):
        raise ShapeError(
            f"reshape: {texts[0]} {jac.shape_paren(shapes[0])} holds {size} numbers and "
            f"cannot be read as shape {target}"
        )
    return tuple(size // int(np.prod(known)) if n == -1 else n for n in target)


def _stack_shape(shapes, params, texts):
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
    _axis_check("softmax", shapes[0], params.get("axis", -1), texts[0])
    return shapes[0]


def _transpose_shape(shapes, params, texts):
    return shapes[0][::-1]


def _broadcast_shape(shapes, params, texts):
    return tuple(params["shape"])


# --- locals of the structural ops -----------------------------------------------------


def _extreme_local(pick):
    def local(args, out, params):
        x = np.asarray(args[0], dtype=float)
        axis = params.get("axis")
        mask = np.zeros_like(x)
        axes = () if axis is None else jac._normal_axes(axis, x.ndim)
        if axis is None or len(axes) == x.ndim:
            mask.flat[pick(x)] = 1.0
        else:
            # move the reduced axes last and flatten them, so one argmax covers them all
            kept = [a for a in range(x.ndim) if a not in axes]
            moved = np.transpose(x, kept + list(axes))
            flat = moved.reshape(moved.shape[: len(kept)] + (-1,))
            picked = np.zeros_like(flat)
            np.put_along_axis(picked, pick(flat, axis=-1)[..., None], 1.0, axis=-1)
            mask = np.transpose(picked.reshape(moved.shape), np.argsort(kept + list(axes)))
        name = "argmax" if pick is np.argmax else "argmin"
        reduce = jac.Reduction(x.shape, axis, formula="1ᵀ")
        return jac.compose(reduce, jac.Diagonal(mask, f"diag(onehot({name}))"))

    return local


def _reduce_forward(fn):
    def forward(a, p):
        return fn(a[0], axis=p.get("axis"))

    return forward


def _mean_scale(shape, axis):
    if axis is None:
        return 1.0 / max(int(np.prod(shape)), 1)
    axes = jac._normal_axes(axis, len(shape))
    return 1.0 / int(np.prod([shape[a] for a in axes]))


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
            lambda a, out, p: out * _safe_log(a[0]),
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
        (
            lambda a, out, p: (np.asarray(a[0]) >= a[1]) * 1.0,
            lambda a, out, p: (np.asarray(a[0]) < a[1]) * 1.0,
        ),
        (lambda lab, c, y, p: f"[{lab[0]} ≥ {lab[1]}]", lambda lab, c, y, p: f"[{lab[0]} < {lab[1]}]"),
        "max({0}, {1})",
        symbolic=(lambda m, G, a, y: m.had(G, m.indicator(a[0], "≥", a[1])),
                  lambda m, G, a, y: m.had(G, m.indicator(a[0], "<", a[1]))),
        latex=r"\max\left({0}, {1}\right)",
    ),
    Op(
        "minimum", 2, lambda a, p: np.minimum(a[0], a[1]),
        (
            lambda a, out, p: (np.asarray(a[0]) <= a[1]) * 1.0,
            lambda a, out, p: (np.asarray(a[0]) > a[1]) * 1.0,
        ),
        (lambda lab, c, y, p: f"[{lab[0]} ≤ {lab[1]}]", lambda lab, c, y, p: f"[{lab[0]} > {lab[1]}]"),
        "min({0}, {1})",
        symbolic=(lambda m, G, a, y: m.had(G, m.indicator(a[0], "≤", a[1])),
                  lambda m, G, a, y: m.had(G, m.indicator(a[0], ">", a[1]))),
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
        "mean", 1, _reduce_forward(np.mean),
        (lambda a, out, p: jac.Reduction(
            np.shape(a[0]), p.get("axis"), _mean_scale(np.shape(a[0]), p.get("axis"))),),
        (None,), "mean({0})", elementwise=False, shape=_reduce_shape("mean"),
        latex=r"\operatorname{{mean}}\left({0}\right)",
    ),
    Op(
        "amax", 1, _reduce_forward(np.max), (_extreme_local(np.argmax),), (None,),
        "max({0})", elementwise=False, shape=_reduce_shape("max"), latex=r"\max {0}",
    ),
    Op(
        "amin", 1, _reduce_forward(np.min), (_extreme_local(np.argmin),), (None,),
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
