"""Structured local derivatives for tensor edges.

A local derivative between two scalars is a plain ``float``. Between tensors it is a
:class:`Jacobian`: an object that knows its structure (identity, diagonal, dense,
the Kronecker form of a matrix product, a reduction, a broadcast, ...), its shape in
numerator layout (``output.size x input.size``, elements flattened in C order), a
readable formula, and how to apply itself to a vector from either side without
building a large dense matrix.

The base class, the kinds the algebra makes (scale, diagonal, chain, transpose) and
:func:`vjp`, :func:`jvp` and :func:`compose` are in :mod:`graphstep.ops.derivatives`;
this module re-exports them. Here are the Jacobians of the structural ops, and
:func:`to_dense` and :func:`formula_of`. The helpers accept a float or a Jacobian, so
algorithms never need to care.

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
from typing import Any

import numpy as np

from graphstep.ops.arrays import unbroadcast  # re-exported
from graphstep.ops.derivatives import (  # re-exported: the algebra of local derivatives
    DENSE_LIMIT,
    LAYOUTS,
    Chain,
    Diagonal,
    Jacobian,
    Scale,
    Transposed,
    check_layout,
    compose,
    jvp,
    vjp,
)
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


class Dense(Jacobian):
    """A Jacobian stored as a dense numerator-layout matrix (C order).

    Parameters
    ----------
    matrix : array_like
        ``out.size x in.size`` entries (reshaped to that).
    in_shape, out_shape : tuple of int
    formula : str

    Examples
    --------
    >>> J = Dense(np.array([[1.0, 2.0]]), (2,), (), "[1 2]")
    >>> J, J.vjp(3.0)
    (<Dense [1 2]: scalar <- (2,)>, array([3., 6.]))
    """

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

    Parameters
    ----------
    b : array_like
        The value of ``B``.
    a_shape, out_shape : tuple of int
        The shapes of ``A`` and of ``A @ B``.
    a_label, b_label : str
        The labels of ``A`` and ``B``, for the formula.

    Examples
    --------
    >>> J = MatmulLeft(np.ones((3, 2)), (4, 3), (4, 2), "A", "B")
    >>> J.formula, J.vjp(np.ones((4, 2)))[0]
    ('Bᵀ ⊗ I_4', array([2., 2., 2.]))
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
    """``d(A @ B)/dB``: in ``vec`` form ``I_p (x) A``; the backward rule is ``G_B = A^T G_Y``.

    Parameters
    ----------
    a : array_like
        The value of ``A``.
    b_shape, out_shape : tuple of int
        The shapes of ``B`` and of ``A @ B``.
    a_label, b_label : str
        The labels of ``A`` and ``B``, for the formula.

    Examples
    --------
    >>> J = MatmulRight(np.ones((4, 3)), (3, 2), (4, 2), "A", "B")
    >>> J.formula, J.vjp(np.ones((4, 2)))[0]
    ('I_2 ⊗ A', array([4., 4.]))
    """

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
    """``sum`` (``scale=1``) or ``mean`` (``scale=1/n``) over ``axis``: a row of ones.

    Parameters
    ----------
    in_shape : tuple of int
        The reduced tensor's shape.
    axis : int, tuple of int or None
        The axes reduced (None: all).
    scale : float
        1 for a sum, ``1/n`` for a mean.
    formula : str, optional
        The text (default: ``1ᵀ``, ``1ᵀ/n``, with the axes when some are kept).

    Examples
    --------
    >>> J = Reduction((2, 3), None, scale=1 / 6)
    >>> J.formula, J.jvp(np.full((2, 3), 6.0))
    ('1ᵀ/6', 6.0)
    """

    kind = "reduction"

    def __init__(self, in_shape, axis, scale: float = 1.0, formula: str | None = None):
        in_shape = tuple(in_shape)
        axes = tuple(range(len(in_shape))) if axis is None else normal_axes(axis, len(in_shape))
        out_shape = tuple(n for i, n in enumerate(in_shape) if i not in axes)
        if formula is None:
            ones = "1ᵀ" if scale == 1 else f"1ᵀ/{1 / scale:g}"
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

    Parameters
    ----------
    axis : int or tuple of int
        Axes, negative counting from the end.
    ndim : int
        The number of axes of the tensor.

    Returns
    -------
    tuple of int

    Examples
    --------
    >>> normal_axes(-1, 2), normal_axes((1, 0), 3)
    ((1,), (0, 1))
    """
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(sorted(a % ndim for a in axes))


class Broadcast(Jacobian):
    """Copying a tensor to a larger shape; backward sums over the broadcast axes.

    Parameters
    ----------
    in_shape, out_shape : tuple of int
        The shapes before and after broadcasting.

    Examples
    --------
    >>> J = Broadcast((3,), (2, 3))
    >>> J.formula, J.formula_t, J.vjp(np.ones((2, 3)))
    ('bcast (3,)→2×3', 'sum 2×3→(3,)', array([2., 2., 2.]))
    """

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
    """Permuting axes (``.T``): a permutation matrix, the commutation matrix for 2-D.

    Parameters
    ----------
    in_shape : tuple of int
    axes : tuple of int, optional
        The permutation (default: reversed, as ``.T``).

    Examples
    --------
    >>> J = Transpose((2, 3))
    >>> J.formula, J.jvp(np.zeros((2, 3))).shape
    ('K_2,3', (3, 2))
    """

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
    """Reading the same numbers in another shape: the identity on the flat vector.

    Parameters
    ----------
    in_shape, out_shape : tuple of int
        Shapes of the same size.

    Examples
    --------
    >>> J = Reshape((2, 3), (6,))
    >>> J.formula, J.vjp(np.arange(6.0)).shape
    ('I_6 (reshape)', (2, 3))
    """

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
    """Placing a tensor at position ``index`` of a stack: ``e_index (x) I``.

    Parameters
    ----------
    in_shape, out_shape : tuple of int
        The shape of one piece and of the stack.
    index : int
        The piece's position in the stack.

    Examples
    --------
    >>> J = Embed((2,), (3, 2), 1)
    >>> J.formula, J.jvp(np.array([1.0, 2.0])).tolist()
    ('e_2 ⊗ I', [[0.0, 0.0], [1.0, 2.0], [0.0, 0.0]])
    """

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
    """``diag(s) - s s^T`` along ``axis``, applied without building it.

    Parameters
    ----------
    s : array_like
        The softmax's output.
    axis : int
        The axis it normalises along.
    label : str
        The output's label, for the formula.

    Examples
    --------
    >>> J = Softmax(np.array([0.25, 0.75]), -1, "s")
    >>> J.formula, J.vjp(np.array([1.0, 0.0]))
    ('diag(s) − s·sᵀ', array([ 0.1875, -0.1875]))
    """

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


def to_dense(local: Any, order: str = "C", layout: str = "numerator") -> np.ndarray:
    """A local derivative as a dense matrix in ``layout`` (a 1x1 for a float).

    Parameters
    ----------
    local : float or Jacobian
    order : {"C", "F"}
        How tensors are flattened (see :meth:`Jacobian.dense`).
    layout : {"numerator", "denominator"}

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    InputError
        For another order or layout.
    SizeLimitError
        When the matrix would have more than :data:`DENSE_LIMIT` entries.

    Examples
    --------
    >>> to_dense(2.0), to_dense(Scale(2.0, (2,))).tolist()
    (array([[2.]]), [[2.0, 0.0], [0.0, 2.0]])
    """
    if isinstance(local, Jacobian):
        return local.dense(order, layout)
    check_layout(layout)
    return np.array([[float(local)]])


def formula_of(local: Any, layout: str = "numerator") -> str:
    """The readable formula of a local derivative (or product of them) in ``layout``.

    Parameters
    ----------
    local : float or Jacobian
    layout : {"numerator", "denominator"}

    Returns
    -------
    str

    Raises
    ------
    InputError
        For another layout.

    Examples
    --------
    >>> formula_of(2.0), formula_of(Diagonal(np.ones(2), "diag(x)"), "denominator")
    ('2', 'diag(x)')
    """
    if isinstance(local, Jacobian):
        return local.layout_formula(layout)
    check_layout(layout)
    return f"{local:g}"
