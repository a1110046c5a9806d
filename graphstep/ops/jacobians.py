"""Structured local derivatives for tensor edges.

A local derivative between two scalars is a plain ``float``. Between tensors it is a
:class:`Jacobian`: an object that knows its structure (identity, diagonal, dense,
the Kronecker form of a matrix product, a reduction, a broadcast, ...), its shape in
numerator layout (``output.size x input.size``, elements flattened in C order), a
readable formula, and how to apply itself to a vector from either side without
building a large dense matrix.

The module-level helpers :func:`vjp`, :func:`jvp`, :func:`compose`, :func:`to_dense`
and :func:`formula_of` accept either kind, so algorithms never need to care.

>>> import numpy as np
>>> J = Diagonal(np.array([1.0, 2.0, 3.0]), "diag(x)")
>>> J.vjp(np.ones(3))
array([1., 2., 3.])
>>> (J @ J).dense()
array([[1., 0., 0.],
       [0., 4., 0.],
       [0., 0., 9.]])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from graphstep.errors import InputError, SizeLimitError
from graphstep.ops.arrays import exact_zeros, times, unbroadcast  # unbroadcast: re-exported
from graphstep.text import shape_paren, shape_text  # re-exported: jac.shape_text

__all__ = [
    "DENSE_LIMIT",
    "Jacobian",
    "Scale",
    "Diagonal",
    "Dense",
    "MatmulLeft",
    "MatmulRight",
    "Reduction",
    "Broadcast",
    "Transpose",
    "Reshape",
    "Embed",
    "Softmax",
    "Chain",
    "vjp",
    "jvp",
    "compose",
    "to_dense",
    "formula_of",
    "unbroadcast",
    "shape_text",
    "shape_paren",
    "LAYOUTS",
    "check_layout",
    "Transposed",
    "normal_axes",
]

#: Largest number of entries a dense Jacobian may have (a float64 matrix of 32 MB).
DENSE_LIMIT = 4_000_000

#: The two ways of laying out a derivative (seed 003): ``numerator`` is
#: ``output.size x input.size`` (the chain rule reads left to right, output first);
#: ``denominator`` is its transpose (a gradient has the input's shape).
LAYOUTS = ("numerator", "denominator")


def check_layout(layout: str) -> str:
    """Return ``layout`` if it is one of :data:`LAYOUTS`, else raise an InputError."""
    if layout not in LAYOUTS:
        raise InputError(f"layout must be 'numerator' or 'denominator', got {layout!r}")
    return layout


class Jacobian:
    """A local derivative ``d out / d in`` between tensors, in numerator layout.

    Subclasses implement :meth:`vjp` (``g -> g J``, the backward direction) and
    :meth:`jvp` (``t -> J t``, the forward direction); :meth:`dense` is derived
    from them unless a subclass knows better.

    >>> J = Reduction((2, 3), axis=0)  # column sums: (2, 3) -> (3,)
    >>> J.kind, J.shape, J.formula
    ('reduction', (3, 6), '1ᵀ along axis 0')
    >>> J.vjp(np.array([1.0, 2.0, 3.0])).tolist()
    [[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]
    """

    kind = "jacobian"

    def __init__(self, in_shape: tuple[int, ...], out_shape: tuple[int, ...], formula: str,
                 formula_t: str | None = None):
        self.in_shape = tuple(in_shape)
        self.out_shape = tuple(out_shape)
        self.formula = formula
        #: the formula of the transpose (the denominator-layout form of this derivative)
        self.formula_t = _transpose_text(formula) if formula_t is None else formula_t

    @property
    def shape(self) -> tuple[int, int]:
        """Numerator layout: ``(output size, input size)``."""
        return (math.prod(self.out_shape), math.prod(self.in_shape))

    def vjp(self, g: Any) -> Any:  # pragma: no cover - every subclass overrides
        raise TypeError(f"{type(self).__name__} has no vjp")

    def jvp(self, t: Any) -> Any:  # pragma: no cover - every subclass overrides
        raise TypeError(f"{type(self).__name__} has no jvp")

    @property
    def T(self) -> Jacobian:
        """The transpose ``J^T`` (``vjp`` and ``jvp`` swap roles); ``J.T.T`` is ``J``."""
        return Transposed(self)

    def layout_formula(self, layout: str = "numerator") -> str:
        """The formula in numerator layout, or its transpose in denominator layout.

        >>> J = MatmulRight(np.ones((3, 2)), (2,), (3,), "W", "x")
        >>> J.layout_formula(), J.layout_formula("denominator")
        ('W', 'Wᵀ')
        """
        return self.formula if check_layout(layout) == "numerator" else self.formula_t

    def dense(self, order: str = "C", layout: str = "numerator") -> np.ndarray:
        """The Jacobian as a dense ``(out.size, in.size)`` matrix.

        ``order="C"`` flattens tensors row by row (numpy's ``ravel``); ``order="F"``
        stacks columns, the ``vec`` convention of the matrix-calculus texts, so that
        ``d(Mx)/dM`` reads ``x^T (x) I_m``. ``layout="denominator"`` returns the
        transpose, ``(in.size, out.size)``.

        >>> x = np.array([1.0, 2.0])
        >>> J = MatmulLeft(x, (3, 2), (3,), "M", "x")
        >>> bool(np.array_equal(J.dense(order="F"), np.kron(x[None, :], np.eye(3))))
        True
        """
        if check_layout(layout) == "denominator":
            return self.T.dense(order)
        if order not in ("C", "F"):
            raise InputError(f"order must be 'C' (rows) or 'F' (columns, vec), got {order!r}")
        rows, cols = self.shape
        if rows * cols > DENSE_LIMIT:
            raise SizeLimitError(
                f"the Jacobian {self.formula} is {rows}x{cols} = {rows * cols:,} entries, "
                f"more than the dense limit of {DENSE_LIMIT:,}; use vjp/jvp instead"
            )
        matrix = self._dense_c()
        if order == "F":
            out_index = np.arange(rows).reshape(self.out_shape or (1,)).ravel(order="F")
            in_index = np.arange(cols).reshape(self.in_shape or (1,)).ravel(order="F")
            matrix = matrix[np.ix_(out_index, in_index)]
        return matrix

    def _dense_c(self) -> np.ndarray:
        rows, cols = self.shape
        if rows <= cols:
            result = np.empty((rows, cols))
            for i in range(rows):
                e = np.zeros(rows)
                e[i] = 1.0
                result[i] = np.ravel(self.vjp(e.reshape(self.out_shape)))
            return result
        result = np.empty((rows, cols))
        for j in range(cols):
            e = np.zeros(cols)
            e[j] = 1.0
            result[:, j] = np.ravel(self.jvp(e.reshape(self.in_shape)))
        return result

    def __matmul__(self, other: Jacobian | float) -> Jacobian:
        return compose(self, other)

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__} {self.formula}: "
            f"{shape_text(self.out_shape)} <- {shape_text(self.in_shape)}>"
        )

    def __str__(self) -> str:
        return self.formula


class Scale(Jacobian):
    """``c * I`` on one shape; ``Scale(1, s)`` is the identity."""

    kind = "identity"

    def __init__(self, c: float, shape: tuple[int, ...], formula: str | None = None):
        n = math.prod(shape)
        if formula is None:
            name = f"I_{n}" if shape else "1"
            formula = name if c == 1 else (f"-{name}" if c == -1 else f"{_num(c)}·{name}")
        super().__init__(shape, shape, formula, formula)
        self.c = float(c)
        if c != 1:
            self.kind = "scale"

    def vjp(self, g):
        return g if self.c == 1 else times(self.c, g)  # the identity passes g on without a copy

    def jvp(self, t):
        return t if self.c == 1 else times(self.c, t)

    def _dense_c(self):
        return self.c * np.eye(self.shape[0])


class Diagonal(Jacobian):
    """An elementwise derivative: ``diag(d)`` with ``d`` of the tensor's shape."""

    kind = "diagonal"

    def __init__(self, d: np.ndarray, formula: str):
        d = np.asarray(d, dtype=float)
        super().__init__(d.shape, d.shape, formula, formula)
        self.d = d

    def vjp(self, g):
        return exact_zeros(g * self.d, g, self.d)

    def jvp(self, t):
        return exact_zeros(t * self.d, t, self.d)

    def _dense_c(self):
        return np.diag(self.d.ravel())


class Dense(Jacobian):
    """A Jacobian stored as a dense numerator-layout matrix (C order)."""

    kind = "dense"

    def __init__(self, matrix, in_shape, out_shape, formula: str):
        super().__init__(in_shape, out_shape, formula)
        self.matrix = np.asarray(matrix, dtype=float).reshape(self.shape)

    def vjp(self, g):
        return (np.ravel(g) @ self.matrix).reshape(self.in_shape)

    def jvp(self, t):
        return (self.matrix @ np.ravel(t)).reshape(self.out_shape)

    def _dense_c(self):
        return self.matrix


def _shaped(result: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``result`` in ``shape``, without making a view when it already has it."""
    return result if result.shape == shape else result.reshape(shape)


def _as_matrix_left(a: np.ndarray) -> np.ndarray:
    return a.reshape(1, -1) if a.ndim == 1 else a


def _as_matrix_right(b: np.ndarray) -> np.ndarray:
    return b.reshape(-1, 1) if b.ndim == 1 else b


class MatmulLeft(Jacobian):
    """``d(A @ B)/dA``: in ``vec`` (column-stacking) form ``B^T (x) I_m``.

    The backward rule is ``G_A = G_Y B^T`` (shapes made to match for vectors).
    """

    kind = "kronecker"

    def __init__(self, b: np.ndarray, a_shape, out_shape, a_label: str, b_label: str):
        b = np.asarray(b, dtype=float)
        if len(a_shape) == 1 and b.ndim == 2:
            formula, formula_t = f"{b_label}ᵀ", b_label  # y = a @ B with a row vector: dy/da = B^T
        elif len(a_shape) == 1:
            formula, formula_t = f"{b_label}ᵀ", b_label  # y = a . b: dy/da = b^T
        else:
            m = a_shape[0]
            formula, formula_t = f"{b_label}ᵀ ⊗ I_{m}", f"{b_label} ⊗ I_{m}"
        super().__init__(a_shape, out_shape, formula, formula_t)
        self.b = b

    def vjp(self, g):
        b = _as_matrix_right(self.b)
        rows = self.in_shape[0] if len(self.in_shape) == 2 else 1
        return _shaped(np.asarray(g, dtype=float).reshape(rows, b.shape[1]) @ b.T, self.in_shape)

    def jvp(self, t):
        return np.matmul(t, self.b)


class MatmulRight(Jacobian):
    """``d(A @ B)/dB``: in ``vec`` form ``I_p (x) A``; the backward rule is ``G_B = A^T G_Y``."""

    kind = "kronecker"

    def __init__(self, a: np.ndarray, b_shape, out_shape, a_label: str, b_label: str):
        a = np.asarray(a, dtype=float)
        if len(b_shape) == 1 and a.ndim == 2:
            formula, formula_t = a_label, f"{a_label}ᵀ"  # y = W x: dy/dx = W
        elif len(b_shape) == 1:
            formula, formula_t = f"{a_label}ᵀ", a_label  # y = a . b: dy/db = a^T
        else:
            p = b_shape[1]
            if a.ndim == 2:
                formula, formula_t = f"I_{p} ⊗ {a_label}", f"I_{p} ⊗ {a_label}ᵀ"
            else:
                formula, formula_t = f"I_{p} ⊗ {a_label}ᵀ", f"I_{p} ⊗ {a_label}"
        super().__init__(b_shape, out_shape, formula, formula_t)
        self.a = a

    def vjp(self, g):
        a = _as_matrix_left(self.a)
        cols = self.in_shape[1] if len(self.in_shape) == 2 else 1
        return _shaped(a.T @ np.asarray(g, dtype=float).reshape(a.shape[0], cols), self.in_shape)

    def jvp(self, t):
        return np.matmul(self.a, t)


class Reduction(Jacobian):
    """``sum`` (``scale=1``) or ``mean`` (``scale=1/n``) over ``axis``: a row of ones."""

    kind = "reduction"

    def __init__(self, in_shape, axis, scale: float = 1.0, formula: str | None = None):
        in_shape = tuple(in_shape)
        axes = tuple(range(len(in_shape))) if axis is None else normal_axes(axis, len(in_shape))
        out_shape = tuple(n for i, n in enumerate(in_shape) if i not in axes)
        if formula is None:
            ones = "1ᵀ" if scale == 1 else f"1ᵀ/{_num(1 / scale)}"
            formula = ones if axis is None else f"{ones} along axis {','.join(map(str, axes))}"
        formula_t = formula.replace("1ᵀ", "1", 1) if formula.startswith("1ᵀ") else None
        super().__init__(in_shape, out_shape, formula, formula_t)
        self.axes = axes
        self.scale = float(scale)

    def vjp(self, g):
        g = np.asarray(g, dtype=float)
        expanded = np.expand_dims(g, self.axes) if self.axes else g
        return np.broadcast_to(expanded * self.scale, self.in_shape)

    def jvp(self, t):
        result = np.sum(t, axis=self.axes) * self.scale
        return float(result) if self.out_shape == () else result


def normal_axes(axis, ndim: int) -> tuple[int, ...]:
    """The axes named by ``axis`` (an int or a tuple), made non-negative and sorted.

    >>> normal_axes(-1, 2), normal_axes((1, 0), 3)
    ((1,), (0, 1))
    """
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(sorted(a % ndim for a in axes))


class Broadcast(Jacobian):
    """Copying a tensor to a larger shape; backward sums over the broadcast axes."""

    kind = "broadcast"

    def __init__(self, in_shape, out_shape):
        formula = f"bcast {shape_text(tuple(in_shape))}→{shape_text(tuple(out_shape))}"
        formula_t = f"sum {shape_text(tuple(out_shape))}→{shape_text(tuple(in_shape))}"
        super().__init__(in_shape, out_shape, formula, formula_t)

    def vjp(self, g):
        return unbroadcast(g, self.in_shape)

    def jvp(self, t):
        return np.broadcast_to(t, self.out_shape)


class Transpose(Jacobian):
    """Permuting axes (``.T``): a permutation matrix, the commutation matrix for 2-D."""

    kind = "permutation"

    def __init__(self, in_shape, axes=None):
        in_shape = tuple(in_shape)
        axes = tuple(reversed(range(len(in_shape)))) if axes is None else tuple(axes)
        out_shape = tuple(in_shape[a] for a in axes)
        formula = "I" if len(in_shape) < 2 else f"K_{in_shape[0]},{in_shape[1]}"
        formula_t = "I" if len(in_shape) < 2 else f"K_{in_shape[1]},{in_shape[0]}"
        super().__init__(in_shape, out_shape, formula, formula_t)
        self.axes = axes

    def vjp(self, g):
        return np.transpose(g, np.argsort(self.axes))

    def jvp(self, t):
        return np.transpose(t, self.axes)


class Reshape(Jacobian):
    """Reading the same numbers in another shape: the identity on the flat vector."""

    kind = "identity"

    def __init__(self, in_shape, out_shape):
        formula = f"I_{math.prod(tuple(in_shape))} (reshape)"
        super().__init__(in_shape, out_shape, formula, formula)

    def vjp(self, g):
        result = np.reshape(g, self.in_shape)
        return float(result) if self.in_shape == () else result

    def jvp(self, t):
        result = np.reshape(t, self.out_shape)
        return float(result) if self.out_shape == () else result


class Embed(Jacobian):
    """Placing a tensor at position ``index`` of a stack: ``e_index (x) I``."""

    kind = "selection"

    def __init__(self, in_shape, out_shape, index: int):
        rest = " ⊗ I" if in_shape else ""
        super().__init__(in_shape, out_shape, f"e_{index + 1}{rest}", f"e_{index + 1}ᵀ{rest}")
        self.index = index

    def vjp(self, g):
        part = np.asarray(g)[self.index]
        return float(part) if self.in_shape == () else part

    def jvp(self, t):
        out = np.zeros(self.out_shape)
        out[self.index] = t
        return out


class Softmax(Jacobian):
    """``diag(s) - s s^T`` along ``axis``, applied without building it."""

    kind = "dense"

    def __init__(self, s: np.ndarray, axis: int, label: str):
        s = np.asarray(s, dtype=float)
        formula = f"diag({label}) − {label}·{label}ᵀ"
        super().__init__(s.shape, s.shape, formula, formula)
        self.s = s
        self.axis = axis

    def vjp(self, g):
        return self.s * (g - np.sum(g * self.s, axis=self.axis, keepdims=True))

    jvp = vjp  # the matrix is symmetric


class Chain(Jacobian):
    """A product ``J_1 J_2 ... J_k`` kept as its factors (output side first)."""

    kind = "chain"

    def __init__(self, factors: Sequence[Jacobian]):
        factors = list(factors)
        formula = " · ".join(_paren(f.formula) for f in factors)
        formula_t = " · ".join(_paren(f.formula_t) for f in reversed(factors))
        super().__init__(factors[-1].in_shape, factors[0].out_shape, formula, formula_t)
        self.factors = factors

    def vjp(self, g):
        for factor in self.factors:
            g = factor.vjp(g)
        return g

    def jvp(self, t):
        for factor in reversed(self.factors):
            t = factor.jvp(t)
        return t


class Transposed(Jacobian):
    """The transpose ``J^T`` of a Jacobian: what denominator layout writes for ``J``.

    >>> J = MatmulRight(np.arange(6.0).reshape(3, 2), (2,), (3,), "W", "x")
    >>> J.T.formula, J.T.shape, J.T.T is J
    ('Wᵀ', (2, 3), True)
    """

    def __init__(self, inner: Jacobian):
        super().__init__(inner.out_shape, inner.in_shape, inner.formula_t, inner.formula)
        self.inner = inner
        self.kind = inner.kind

    @property
    def T(self) -> Jacobian:
        return self.inner

    def vjp(self, g):
        return self.inner.jvp(g)

    def jvp(self, t):
        return self.inner.vjp(t)

    def _dense_c(self):
        return self.inner._dense_c().T


def _transpose_text(text: str) -> str:
    """``Wᵀ`` for ``W``, ``W`` for ``Wᵀ``, ``(A · B)ᵀ`` for a product."""
    if text.endswith("ᵀ") and " " not in text and "(" not in text:
        return text[:-1]
    return f"{_paren(text)}ᵀ"


def _paren(text: str) -> str:
    return f"({text})" if (" " in text and not text.startswith("diag(")) else text


def _num(c: float) -> str:
    return f"{c:g}"


def _as_jacobian(local: Any, shape: tuple[int, ...] = ()) -> Jacobian:
    return local if isinstance(local, Jacobian) else Scale(float(local), shape, _num(local))


def compose(outer: Any, inner: Any) -> Any:
    """The product ``outer @ inner`` of two local derivatives (floats or Jacobians).

    Two floats multiply; identities drop out; two diagonals merge; anything else is
    kept as a :class:`Chain` of its factors.

    >>> compose(2.0, 3.0)
    6.0
    >>> compose(Diagonal(np.array([1.0, 2.0]), "diag(a)"), Diagonal(np.array([3.0, 4.0]), "diag(b)")).d
    array([3., 8.])
    """
    if not isinstance(outer, Jacobian) and not isinstance(inner, Jacobian):
        return times(float(outer), float(inner))
    if not isinstance(outer, Jacobian):
        outer = _as_jacobian(outer, inner.out_shape)
    if not isinstance(inner, Jacobian):
        inner = _as_jacobian(inner, outer.in_shape)
    if outer.in_shape != inner.out_shape and math.prod(outer.in_shape) != math.prod(inner.out_shape):
        raise ValueError(f"cannot compose {outer!r} after {inner!r}")
    if type(outer) is Scale and outer.c == 1 and outer.in_shape == outer.out_shape:
        return inner
    if type(inner) is Scale and inner.c == 1 and inner.in_shape == inner.out_shape:
        return outer
    if isinstance(outer, Diagonal) and isinstance(inner, Diagonal):
        with np.errstate(all="ignore"):
            d = exact_zeros(outer.d * inner.d, outer.d, inner.d)
        return Diagonal(d, f"{outer.formula} · {inner.formula}")
    left = outer.factors if isinstance(outer, Chain) else [outer]
    right = inner.factors if isinstance(inner, Chain) else [inner]
    return Chain(left + right)


def vjp(local: Any, g: Any) -> Any:
    """Apply a local derivative backwards: ``g -> g J`` (float or Jacobian).

    nan/inf pass through quietly: the derivative algorithms report them once, as a
    DomainWarning naming the edge, instead of numpy's RuntimeWarning.
    """
    with np.errstate(all="ignore"):
        if isinstance(local, Jacobian):
            return local.vjp(g)
        return times(local, g)


def jvp(local: Any, t: Any) -> Any:
    """Apply a local derivative forwards: ``t -> J t`` (float or Jacobian), quietly like :func:`vjp`."""
    with np.errstate(all="ignore"):
        if isinstance(local, Jacobian):
            return local.jvp(t)
        return times(local, t)


def to_dense(local: Any, order: str = "C", layout: str = "numerator") -> np.ndarray:
    """A local derivative as a dense matrix in ``layout`` (a 1x1 for a float)."""
    if isinstance(local, Jacobian):
        return local.dense(order, layout)
    check_layout(layout)
    return np.array([[float(local)]])


def formula_of(local: Any, layout: str = "numerator") -> str:
    """The readable formula of a local derivative (or product of them) in ``layout``."""
    if isinstance(local, Jacobian):
        return local.layout_formula(layout)
    check_layout(layout)
    return _num(local)
