"""The functions the op table's entries point to, when a lambda would not do.

Grouped as the entries' fields are: forward computations and local derivatives (with
autograd's conventions at awkward points), shape rules, the Jacobians and matrix-form
adjoint rules of the structural ops, and their dimension-analysis sentences. Each
function serves one field of one or a few entries in :mod:`graphstep.ops.table`.

>>> float(pow_forward((3.0, 2.0), {})), float(pow_base_local((3.0, 2.0), 9.0, {}))
(9.0, 6.0)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from graphstep.errors import ShapeError
from graphstep.ops import jacobians as jac
from graphstep.ops.spec import power_text
from graphstep.text import shape_paren, shape_text

__all__ = [
    "TIE", "number_text", "wrap", "label_formula", "uniform_exponent", "pow_forward",
    "pow_base_local", "pow_exponent_local", "pow_base_formula", "pow_base_adjoint", "safe_log",
    "pick_local", "pick_formula", "pick_adjoint", "reduced_axes",
    "matmul_shape", "reduce_shape", "reshape_shape", "stack_shape", "softmax_shape",
    "transpose_shape", "broadcast_shape",
    "extreme_jacobian", "reduce_forward", "mean_forward", "mean_scale", "softmax_forward",
    "matmul_jacobian", "matmul_adjoint", "reduce_adjoint", "extreme_adjoint", "softmax_adjoint",
    "matmul_sentence", "broadcast_sentence", "reduce_sentence", "extreme_sentence",
]

#: How a tie of ``max``/``min`` is resolved, as the formulas say it.
TIE = "tie: split evenly"
_OTHER = {"≥": "<", "≤": ">", ">": "<", "<": ">"}


def number_text(c: float) -> str:
    """A number as it appears in a formula: ``2``, ``0.5``."""
    return f"{c:g}"


def wrap(label: str) -> str:
    """Parenthesise a label that is not a single token (``-2`` or ``x+1``).

    >>> wrap("u1"), wrap("x+1")
    ('u1', '(x+1)')
    """
    return label if label.replace("_", "").replace(".", "").isalnum() else f"({label})"


def label_formula(text: str):
    """A formula that is always ``text`` (``1`` for the derivative of ``a + b``)."""
    return lambda labels, consts, out, values: text


# --- pow: d(x^y)/dx and d(x^y)/dy, exactly 0 where autograd has 0 ------------------------


def uniform_exponent(b: Any) -> float | None:
    """The exponent as one number when it is the same everywhere (``v**2`` broadcasts the 2)."""
    if np.ndim(b) == 0:
        return float(b)
    b = np.asarray(b)
    if b.size == 0:
        return None  # an empty exponent: np.power broadcasts it as it is
    first = b.flat[0]
    return float(first) if (b == first).all() else None


def pow_forward(a, p):
    """``np.power``; a uniform 2 is ``a * a`` (what numpy does, without the pow() calls)."""
    c = uniform_exponent(a[1])
    if c == 2:
        return a[0] * a[0]
    return np.power(a[0], a[1] if c is None else c)


def pow_base_local(a, out, p):
    """``d(x^y)/dx = y·x^(y-1)``, exactly 0 where ``y = 0`` (also at ``x = 0``), as autograd has it."""
    c = uniform_exponent(a[1])
    if c is None:
        return a[1] * np.power(a[0], np.where(a[1] == 0, 1.0, a[1] - 1.0))
    if c == 0:
        return np.zeros(np.shape(a[0])) if np.ndim(a[0]) else 0.0
    if c == 2:
        return 2.0 * a[0]
    return c * np.power(a[0], c - 1.0)


def pow_exponent_local(a, out, p):
    """``d(x^y)/dy = x^y·ln x``, exactly 0 at ``x = 0`` where ``x^y`` is finite (autograd, JAX).

    ``ln x`` is nan for ``x < 0`` (``x^y`` is not a real function of ``y`` there).
    """
    base = np.asarray(a[0])
    return out * np.log(np.where(base == 0, 1.0, base))


def pow_base_formula(labels, consts, out_label, values):
    """``3·x²`` for a constant exponent 3, ``y·x^(y−1)`` otherwise."""
    a, b = labels
    exponent = consts[1]
    if exponent is not None and np.ndim(exponent) > 0:
        exponent = uniform_exponent(exponent)  # a broadcast constant such as the 2 in v**2
    if exponent is not None and np.ndim(exponent) == 0:
        c = float(exponent)
        if c in (0, 1):
            return f"{c:g}"
        return f"{number_text(c)}·{power_text(wrap(a), c - 1)}" if c != 2 else f"2·{wrap(a)}"
    return f"{wrap(b)}·{wrap(a)}^({b}−1)"


def pow_base_adjoint(m, G, e):
    """``c·G ⊙ x^(c-1)`` for a uniform exponent ``c``; the power rule otherwise."""
    base, exponent = e.args
    c = m.uniform(exponent)
    if c == 0:
        return m.scale(0.0, G)  # x^0 is constant: exactly 0, even at x = 0
    if c is not None:
        return m.scale(c, m.had(G, m.power(base, c - 1)))
    return m.had(G, m.power_rule(base, exponent))


def safe_log(a):
    """``ln a``, nan (not a warning) where ``a <= 0``."""
    return np.log(np.where(np.asarray(a) > 0, a, np.nan))


# --- max(a, b) and min(a, b): a tie splits the derivative evenly ------------------------


def pick_local(wins, pos):
    """``[a wins] + ½[a = b]`` for argument ``pos`` (autograd's and JAX's rule at a tie)."""

    def local(a, out, p):
        mine, other = np.asarray(a[pos]), np.asarray(a[1 - pos])
        return wins(mine, other) * 1.0 + (mine == other) * 0.5

    return local


def pick_formula(loose, strict, pos):
    """``[a ≥ b]`` and ``[a < b]``; where the values tie, ``½ (tie: split evenly)``.

    >>> f = pick_formula("≥", ">", 0)
    >>> f(("x", "y"), (None, None), "u1", (1.0, 2.0)), f(("x", "y"), (None, None), "u1", (2.0, 2.0))
    ('[x ≥ y]', '½ (tie: split evenly)')
    """

    def formula(lab, c, y, values):
        a, b = lab
        tied = values is not None and bool(np.any(np.asarray(values[0]) == np.asarray(values[1])))
        if not tied:
            return f"[{a} {loose} {b}]" if pos == 0 else f"[{a} {_OTHER[loose]} {b}]"
        if np.ndim(values[0]) == 0 and np.ndim(values[1]) == 0:
            return f"½ ({TIE})"
        wins = f"[{a} {strict} {b}]" if pos == 0 else f"[{a} {_OTHER[strict]} {b}]"
        return f"{wins} + ½[{a} = {b}] ({TIE})"

    return formula


def pick_adjoint(strict, pos):
    """``G ⊙ ([a > b] + ½[a = b])``: the adjoint rule of ``max(a, b)`` (``<`` for ``min``)."""

    def rule(m, G, e):
        a = e.args
        relation = strict if pos == 0 else _OTHER[strict]
        wins = m.indicator(a[0], relation, a[1])
        return m.had(G, m.add([wins, m.scale(0.5, m.indicator(a[0], "=", a[1]))]))

    return rule


# --- shape rules of the structural ops ------------------------------------------------


def matmul_shape(shapes, params, texts):
    (sa, sb), (ta, tb) = shapes, texts
    if len(sa) == 0 or len(sb) == 0 or len(sa) > 2 or len(sb) > 2:
        raise ShapeError(
            f"matmul: {ta} {shape_paren(sa)} @ {tb} {shape_paren(sb)}: "
            "both sides must be vectors or matrices; use * for scalars"
        )
    inner_a, inner_b = sa[-1], sb[0]
    if inner_a != inner_b:
        raise ShapeError(
            f"matmul: {ta} {shape_paren(sa)} @ {tb} {shape_paren(sb)}: "
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
                f"{name}: {text} has shape {shape_text(shape)}: axis {a} is out of range"
            )
        if a % len(shape) in seen:
            raise ShapeError(
                f"{name}: {text} has shape {shape_text(shape)}: axis {a % len(shape)} is "
                f"named twice in axis={axis}"
            )
        seen.add(a % len(shape))


def reduced_axes(shape: tuple[int, ...], axis: Any) -> tuple[int, ...]:
    """The axes a reduction over ``axis`` removes, in order (all of them for ``None``).

    >>> reduced_axes((2, 3), None), reduced_axes((2, 3), -1)
    ((0, 1), (1,))
    """
    return tuple(range(len(shape))) if axis is None else jac.normal_axes(axis, len(shape))


def reduce_shape(name):
    def rule(shapes, params, texts):
        axis = params.get("axis")
        _axis_check(name, shapes[0], axis, texts[0])
        axes = reduced_axes(shapes[0], axis)
        if name in ("max", "min") and any(shapes[0][a] == 0 for a in axes):
            where = "" if axis is None else f" along axis {axis}"
            raise ShapeError(
                f"{name}: {texts[0]} has shape {shape_text(shapes[0])}: the {name} of no "
                f"numbers{where} is not defined"
            )
        return tuple(n for i, n in enumerate(shapes[0]) if i not in axes)

    return rule


def reshape_shape(shapes, params, texts):
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
            f"reshape: {texts[0]} {shape_paren(shapes[0])} holds {size} numbers and "
            f"cannot be read as shape {target}: {why}"
        )
    return tuple(size // known if n == -1 else n for n in target)


def stack_shape(shapes, params, texts):
    if not shapes:
        raise ShapeError("stack: [] has no values; stack needs at least one")
    for shape, text in zip(shapes[1:], texts[1:]):
        if shape != shapes[0]:
            raise ShapeError(
                f"stack: {texts[0]} {shape_paren(shapes[0])} and {text} "
                f"{shape_paren(shape)} must have the same shape"
            )
    return (len(shapes),) + shapes[0]


def softmax_shape(shapes, params, texts):
    if shapes[0] == ():
        raise ShapeError(f"softmax: {texts[0]} is a scalar; softmax needs a vector or matrix")
    axis = params.get("axis", -1)
    _axis_check("softmax", shapes[0], axis, texts[0])
    if any(shapes[0][a] == 0 for a in reduced_axes(shapes[0], axis)):
        raise ShapeError(
            f"softmax: {texts[0]} has shape {shape_text(shapes[0])}: softmax along axis "
            f"{axis} of no numbers is not defined"
        )
    return shapes[0]


def transpose_shape(shapes, params, texts):
    return shapes[0][::-1]


def broadcast_shape(shapes, params, texts):
    return tuple(params["shape"])


# --- forward and Jacobians of the structural ops --------------------------------------


def extreme_jacobian(name):
    """``d max(x)/dx``: 1 at the largest entry; ``k`` tied entries get ``1/k`` each (autograd, JAX)."""

    def jacobian(pos, args, out, params, labels):
        x = np.asarray(args[0], dtype=float)
        axis = params.get("axis")
        axes = reduced_axes(x.shape, axis)
        hits = x == np.expand_dims(np.asarray(out, dtype=float), axes)
        counts = hits.sum(axis=axes, keepdims=True)
        mask = hits / counts
        which = f"arg{name}"
        formula = (f"diag(onehot({which}))" if not (counts > 1).any()
                   else f"diag(1/k at the k tied {which}) ({TIE})")
        reduce = jac.Reduction(x.shape, axis, formula="1ᵀ")
        return jac.compose(reduce, jac.Diagonal(mask, formula))

    return jacobian


def reduce_forward(fn):
    def forward(a, p):
        return fn(a[0], axis=p.get("axis"))

    return forward


def mean_scale(shape, axis):
    """``1/n`` for a mean over ``n`` entries (1 for none)."""
    return 1.0 / max(math.prod(shape[a] for a in reduced_axes(shape, axis)), 1)


def mean_forward(a, p):
    """``np.mean``; the mean of no numbers is nan (a DomainWarning, not numpy's RuntimeWarning)."""
    x, axis = a[0], p.get("axis")
    if np.size(x) and all(np.shape(x)[k] for k in reduced_axes(np.shape(x), axis)):
        return np.mean(x, axis=axis)
    return np.sum(x, axis=axis) * np.nan


def softmax_forward(a, p):
    x = a[0]
    axis = p.get("axis", -1)
    shifted = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)


# --- matrix-form adjoint rules of the structural ops -----------------------------------


def matmul_jacobian(pos, args, out, params, labels):
    """``d(A @ B)/dA`` (``I ⊗ Bᵀ`` in numerator layout) or ``d(A @ B)/dB``."""
    a, b = args
    if pos == 0:
        return jac.MatmulLeft(b, np.shape(a), np.shape(out), *labels[:2])
    return jac.MatmulRight(a, np.shape(b), np.shape(out), *labels[:2])


def matmul_adjoint(m, G, e):
    """``G_A = G_Y Bᵀ``, ``G_B = Aᵀ G_Y``; outer products and plain products for vectors."""
    a, b = e.args
    sa, sb = e.shapes
    if e.pos == 0:
        if len(sa) == 1 and len(sb) == 1:
            return m.had(G, b)  # y = a·b: G_a = G_y b
        if len(sa) == 2 and len(sb) == 1:
            return m.outer(G, b)  # y = M x: G_M = G_y xᵀ
        return m.matmul(G, e.transposed(1))  # G_A = G_Y Bᵀ (a row vector a: same)
    if len(sa) == 1 and len(sb) == 1:
        return m.had(G, a)
    if len(sa) == 1 and len(sb) == 2:
        return m.outer(a, G)  # y = a B: G_B = a G_yᵀ
    return m.matmul(e.transposed(0), G)  # G_B = Aᵀ G_Y (a vector x: same)


def reduce_adjoint(mean: bool):
    """``G`` copied back along the reduced axes (divided by their size for a mean)."""

    def rule(m, G, e):
        shape = e.shapes[0]
        axes = reduced_axes(shape, e.params.get("axis"))
        copied = m.expand(G, axes, shape)
        if not mean:
            return copied
        return m.scale(1.0 / max(math.prod(shape[a] for a in axes), 1), copied)

    return rule


def extreme_adjoint(which: str):
    """``G`` copied back, times the one-hot mask of the arg-max (arg-min)."""

    def rule(m, G, e):
        shape, axis = e.shapes[0], e.params.get("axis")
        mask = m.mask(shape, e.node, e.labels[0], which, axis)
        return m.had(m.expand(G, reduced_axes(shape, axis), shape), mask)

    return rule


def softmax_adjoint(m, G, e):
    """``s ⊙ (G - sum(G ⊙ s, axis))``."""
    s = e.out
    return m.had(s, m.add([G, m.neg(m.sum_keep(m.had(G, s), e.params.get("axis", -1)))]))


# --- dimension-analysis sentences of the structural ops --------------------------------


def _product_shapes(pos: int, sh: tuple[int, ...], so: tuple[int, ...]) -> str:
    """``(3x4 times 4x2)``: the shapes multiplied in a matrix rule, to show they match."""
    if len(sh) != 2 or len(so) != 2:
        return ""
    if pos == 0:  # G_A = G_Y Bᵀ
        return f" ({shape_text(sh)} times {so[1]}x{so[0]})"
    return f" ({so[1]}x{so[0]} times {shape_text(sh)})"  # G_B = Aᵀ G_Y


def matmul_sentence(s):
    other, so = (s.labels[1], s.shapes[1]) if s.pos == 0 else (s.labels[0], s.shapes[0])
    start = f"{s.intro} As scalars ∂{s.h}/∂{s.t} = {other}; {s.Gh} is"
    if s.out_shape == ():
        return (f"{start} a scalar and {other} is {shape_text(so)}, so {s.Gt} = {s.rule}, "
                f"{s.like}.")
    if len(s.tail_shape) == 2 and len(so) == 1:
        return (f"{start} {shape_text(s.out_shape)} and {other} is {shape_text(so)}, so "
                f"{s.Gt} = {s.rule}, an outer product, {s.like}.")
    product = _product_shapes(s.pos, s.out_shape, so)
    return (f"{start} {shape_text(s.out_shape)} and {other} is {shape_text(so)}, so "
            f"{s.Gt} = {s.rule}{product}, {s.like}.")


def broadcast_sentence(s):
    sh, st = s.out_shape, s.tail_shape
    times = math.prod(sh) // max(math.prod(st), 1)
    product = ""
    if len(sh) == 2 and st in ((sh[1],), (1, sh[1])):
        product = f" (1x{sh[0]} times {shape_text(sh)})"
    return (f"{s.t} {shape_paren(st)} is broadcast to {shape_text(sh)}, so each entry of "
            f"{s.t} is used {times} times; as scalars ∂{s.h}/∂{s.t} = 1, and the uses add up: "
            f"{s.Gt} = {s.rule}{product}, {s.like}.")


def reduce_sentence(mean: bool):
    def sentence(s):
        st = s.tail_shape
        axes = reduced_axes(st, s.params.get("axis"))
        n = math.prod(st[a] for a in axes)
        what = "averages" if mean else "adds up"
        if len(axes) == len(st):
            how = f"{what} all {n} entries of {s.t}"
        else:
            axis_words = f"ax{'is' if len(axes) == 1 else 'es'} {','.join(map(str, axes))}"
            how = f"{what} {s.t} along {axis_words} ({n} entries each time)"
        scalar = f"1/{n}" if mean else "1"
        return (f"{s.intro} It {how}: as scalars ∂{s.h}/∂{s.t} = {scalar} for each entry, so "
                f"{s.Gt} = {s.rule}: {s.Gh} {shape_paren(s.out_shape)} copied back to every "
                f"entry it came from, {s.like}.")

    return sentence


def extreme_sentence(which: str):
    def sentence(s):
        return (f"{s.intro} Only the {which} entry counts: as scalars ∂{s.h}/∂{s.t} = 1 there "
                f"and 0 elsewhere, so {s.Gt} = {s.rule}, {s.like}.")

    return sentence
