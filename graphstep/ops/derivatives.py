"""A local derivative: a ``float`` between scalars, a :class:`Jacobian` between tensors.

:class:`Jacobian` is what every structured local derivative is: its shape in numerator
layout (``output.size x input.size``, elements flattened in C order), a readable
formula, and how to apply itself to a vector from either side (:meth:`Jacobian.vjp`,
:meth:`Jacobian.jvp`) without building a large dense matrix. This module holds the
kinds the algebra itself makes (:class:`Scale`, :class:`Diagonal`, :class:`Chain`,
:class:`Transposed`) and the helpers that accept either a float or a Jacobian
(:func:`compose`, :func:`vjp`, :func:`jvp`); the Jacobians of the structural ops are in
:mod:`graphstep.ops.jacobians`, which re-exports everything here and adds
:func:`~graphstep.ops.jacobians.to_dense` and :func:`~graphstep.ops.jacobians.formula_of`.

>>> import numpy as np
>>> J = Diagonal(np.array([1.0, 2.0, 3.0]), "diag(x)")
>>> vjp(J, np.ones(3)), vjp(2.0, 3.0), compose(J, J).formula
(array([1., 2., 3.]), 6.0, 'diag(x) · diag(x)')
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from graphstep.errors import InputError, SizeLimitError
from graphstep.ops.arrays import exact_zeros, times
from graphstep.text import shape_text

__all__ = [
    "DENSE_LIMIT", "LAYOUTS", "check_layout", "Jacobian", "Scale", "Diagonal", "Chain",
    "Transposed", "compose", "vjp", "jvp",
]

#: Largest number of entries a dense Jacobian may have (a float64 matrix of 32 MB).
DENSE_LIMIT = 4_000_000

#: The two ways of laying out a derivative (seed 003): ``numerator`` is
#: ``output.size x input.size`` (the chain rule reads left to right, output first);
#: ``denominator`` is its transpose (a gradient has the input's shape).
LAYOUTS = ("numerator", "denominator")


def check_layout(layout: str) -> str:
    """Return ``layout`` if it is one of :data:`LAYOUTS`, else raise an InputError.

    Parameters
    ----------
    layout : str
        ``"numerator"`` or ``"denominator"``.

    Returns
    -------
    str
        ``layout`` itself.

    Raises
    ------
    InputError
        For any other value.

    Examples
    --------
    >>> check_layout("denominator")
    'denominator'
    >>> check_layout("rows")
    Traceback (most recent call last):
    ...
    graphstep.errors.InputError: layout must be 'numerator' or 'denominator', got 'rows'
    """
    if layout not in LAYOUTS:
        raise InputError(f"layout must be 'numerator' or 'denominator', got {layout!r}")
    return layout


class Jacobian:
    """A local derivative ``d out / d in`` between tensors, in numerator layout.

    Subclasses implement :meth:`vjp` (``g -> g J``, the backward direction) and
    :meth:`jvp` (``t -> J t``, the forward direction); :meth:`dense` is derived
    from them unless a subclass knows better.

    Parameters
    ----------
    in_shape, out_shape : tuple of int
        The shapes of the input and of the output.
    formula : str
        The derivative as text, in numerator layout.
    formula_t : str, optional
        The transpose's formula (default: ``formula`` with a ``ᵀ``).

    Attributes
    ----------
    kind : str
        The structure: ``identity``, ``scale``, ``diagonal``, ``dense``, ``kronecker``,
        ``reduction``, ``broadcast``, ``permutation``, ``selection``, ``chain``.

    Examples
    --------
    >>> from graphstep.ops.jacobians import Reduction
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
        """Numerator layout: ``(output size, input size)``.

        Returns
        -------
        tuple of int

        Examples
        --------
        >>> Scale(2.0, (2, 3)).shape
        (6, 6)
        """
        return (math.prod(self.out_shape), math.prod(self.in_shape))

    def vjp(self, g: Any) -> Any:  # pragma: no cover - every subclass overrides
        """The backward product ``g J``: an output-shaped ``g`` to an input-shaped result.

        Parameters
        ----------
        g : float or numpy.ndarray
            A vector of the output's shape (an adjoint).

        Returns
        -------
        float or numpy.ndarray
            ``g J``, of the input's shape.

        Examples
        --------
        >>> Diagonal(np.array([1.0, 2.0]), "diag(x)").vjp(np.array([3.0, 4.0]))
        array([3., 8.])
        """
        raise TypeError(f"{type(self).__name__} has no vjp")

    def jvp(self, t: Any) -> Any:  # pragma: no cover - every subclass overrides
        """The forward product ``J t``: an input-shaped ``t`` to an output-shaped result.

        Parameters
        ----------
        t : float or numpy.ndarray
            A vector of the input's shape (a tangent).

        Returns
        -------
        float or numpy.ndarray
            ``J t``, of the output's shape.

        Examples
        --------
        >>> Scale(2.0, (2,)).jvp(np.array([3.0, 4.0]))
        array([6., 8.])
        """
        raise TypeError(f"{type(self).__name__} has no jvp")

    @property
    def T(self) -> Jacobian:
        """The transpose ``J^T`` (``vjp`` and ``jvp`` swap roles); ``J.T.T`` is ``J``.

        Returns
        -------
        Jacobian

        Examples
        --------
        >>> J = Diagonal(np.array([1.0, 2.0]), "diag(x)")
        >>> J.T.formula, J.T.T is J
        ('diag(x)', True)
        """
        return Transposed(self)

    def layout_formula(self, layout: str = "numerator") -> str:
        """The formula in numerator layout, or its transpose in denominator layout.

        Parameters
        ----------
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
        >>> from graphstep.ops.jacobians import MatmulRight
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

        Parameters
        ----------
        order : {"C", "F"}
            How tensors are flattened.
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
        >>> from graphstep.ops.jacobians import MatmulLeft
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
            f"{shape_text(self.out_shape, 'x')} <- {shape_text(self.in_shape, 'x')}>"
        )

    def __str__(self) -> str:
        return self.formula


class Scale(Jacobian):
    """``c * I`` on one shape; ``Scale(1, s)`` is the identity.

    Parameters
    ----------
    c : float
        The factor.
    shape : tuple of int
        The shape of both the input and the output.
    formula : str, optional
        The text (default: ``I_n``, ``-I_n`` or ``c·I_n``; ``1`` for a scalar identity).

    Examples
    --------
    >>> J = Scale(2.0, (3,))
    >>> J.formula, J.kind, J.vjp(np.ones(3)), Scale(1, (2,)).kind
    ('2·I_3', 'scale', array([2., 2., 2.]), 'identity')
    """

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
    """An elementwise derivative: ``diag(d)`` with ``d`` of the tensor's shape.

    Parameters
    ----------
    d : array_like
        The diagonal, of the tensor's shape.
    formula : str
        The text, e.g. ``diag(cos(x))``.

    Examples
    --------
    >>> J = Diagonal(np.array([1.0, 2.0]), "diag(x)")
    >>> J.jvp(np.array([3.0, 4.0])), J.shape
    (array([3., 8.]), (2, 2))
    """

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


class Chain(Jacobian):
    """A product ``J_1 J_2 ... J_k`` kept as its factors (output side first).

    Parameters
    ----------
    factors : sequence of Jacobian
        The factors, the output's side first.

    Examples
    --------
    >>> from graphstep.ops.jacobians import Reduction
    >>> C = Chain([Reduction((2,), None), Diagonal(np.array([1.0, 2.0]), "diag(x)")])
    >>> C.formula, C.shape, C.vjp(1.0)
    ('1ᵀ · diag(x)', (1, 2), array([1., 2.]))
    """

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

    Parameters
    ----------
    inner : Jacobian
        The Jacobian transposed.

    Examples
    --------
    >>> from graphstep.ops.jacobians import MatmulRight
    >>> J = MatmulRight(np.arange(6.0).reshape(3, 2), (2,), (3,), "W", "x")
    >>> J.T.formula, J.T.shape, J.T.T is J
    ('Wᵀ', (2, 3), True)
    """

    def __init__(self, inner: Jacobian):
        super().__init__(inner.out_shape, inner.in_shape, inner.formula_t, inner.formula)
        self.inner = inner
        self.kind = inner.kind

    @property
    def T(self) -> Jacobian:  # documented with Jacobian.T
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

    Parameters
    ----------
    outer : float or Jacobian
        The derivative nearer the output.
    inner : float or Jacobian
        The derivative nearer the input.

    Returns
    -------
    float or Jacobian

    Examples
    --------
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

    Parameters
    ----------
    local : float or Jacobian
        The local derivative.
    g : float or numpy.ndarray
        An adjoint of the output's shape.

    Returns
    -------
    float or numpy.ndarray
        ``g J``, of the input's shape.

    Examples
    --------
    >>> vjp(2.0, 3.0), vjp(Diagonal(np.array([1.0, 2.0]), "diag(x)"), np.ones(2))
    (6.0, array([1., 2.]))
    """
    with np.errstate(all="ignore"):
        if isinstance(local, Jacobian):
            return local.vjp(g)
        return times(local, g)


def jvp(local: Any, t: Any) -> Any:
    """Apply a local derivative forwards: ``t -> J t`` (float or Jacobian), quietly like :func:`vjp`.

    Parameters
    ----------
    local : float or Jacobian
        The local derivative.
    t : float or numpy.ndarray
        A tangent of the input's shape.

    Returns
    -------
    float or numpy.ndarray
        ``J t``, of the output's shape.

    Examples
    --------
    >>> jvp(3.0, 2.0), jvp(Scale(2.0, (2,)), np.ones(2))
    (6.0, array([2., 2.]))
    """
    with np.errstate(all="ignore"):
        if isinstance(local, Jacobian):
            return local.jvp(t)
        return times(local, t)
