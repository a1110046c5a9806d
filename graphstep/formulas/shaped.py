"""The expression nodes whose text depends on their shapes and contents.

A constant prints as ``2`` or ``1_4x2``; ``c·a`` as ``a/2`` when ``c = 1/2``; undoing a
broadcast as ``1ᵀ G`` or ``sum(G)``; undoing a reduction as ``1_4 Gᵀ``; a broadcast
number not at all. Their precedence (and so where parentheses go) changes with that
form. :mod:`graphstep.formulas.expr` re-exports them with the other nodes.

>>> from graphstep.formulas.expr import Adjoint
>>> G = Adjoint((4, 3), 1, "u1")
>>> SumTo((3,), G).text(), Scale((3,), 0.25, SumTo((3,), G)).text()
('1_4ᵀ G_u1', '(1_4ᵀ G_u1)/4')
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphstep.formulas.tree import Expr, atom_text, child_text
from graphstep.ops.arrays import unbroadcast

__all__ = ["Const", "Scale", "SumTo", "Expand", "BroadcastTo"]


def _number(c: float) -> str:
    return f"{c:g}"


@dataclass(frozen=True)
class Const(Expr):
    r"""A number, or a tensor filled with one number (``1_4x2`` is a 4x2 matrix of ones).

    Parameters
    ----------
    shape : tuple of int
    c : float
        The number.

    Examples
    --------
    >>> Const((), 2.0).text(), Const((4, 2), 1.0).text(), Const((2,), 3.0).text(), Const((2,), 1.0).latex()
    ('2', '1_4x2', '3·1_2', '\\mathbf{1}_{2}')
    """

    c: float = 1.0

    @property
    def prec(self):  # type: ignore[override]
        """Its precedence, which depends on its contents (see :class:`Expr`).

        Returns
        -------
        int

        Examples
        --------
        >>> Const((2,), 3.0).prec, Const((2,), 1.0).prec
        (2, 5)
        """
        return 2 if (self.c < 0 or (self.shape and self.c != 1)) else 5

    @property
    def kind(self):  # type: ignore[override]
        """Its kind of product, which depends on its contents (see :class:`Expr`).

        Returns
        -------
        str

        Examples
        --------
        >>> Const((2,), 3.0).kind, Const((), 3.0).kind
        ('scale', 'atom')
        """
        return "scale" if self.prec == 2 else "atom"

    def text(self, notation: str = "G"):
        if not self.shape:
            return _number(self.c)
        ones = "1_" + "x".join(map(str, self.shape))
        return ones if self.c == 1 else f"{_number(self.c)}·{ones}"

    def latex(self):
        if not self.shape:
            return _number(self.c)
        ones = r"\mathbf{1}_{" + r"\times ".join(map(str, self.shape)) + "}"
        return ones if self.c == 1 else rf"{_number(self.c)}\,{ones}"

    def evaluate(self, env):
        return self.c if not self.shape else np.full(self.shape, self.c)


@dataclass(frozen=True)
class Scale(Expr):
    """``c·a`` (written ``a/n`` when ``c = 1/n``).

    Parameters
    ----------
    shape : tuple of int
    c : float
        The factor.
    a : Expr
        What it multiplies.

    Examples
    --------
    >>> from graphstep.formulas.expr import Value
    >>> x = Value((2,), 0, "v")
    >>> Scale((2,), 0.5, x).text(), Scale((2,), 3.0, x).text()
    ('v/2', '3·v')
    """

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
        """Its kind of product, which depends on its contents (see :class:`Expr`).

        Returns
        -------
        str

        Examples
        --------
        >>> from graphstep.formulas.expr import Value
        >>> x = Value((2,), 0, "v")
        >>> Scale((2,), 0.5, x).kind, Scale((2,), 3.0, x).kind
        ('div', 'scale')
        """
        return "div" if self._divisor is not None else "scale"

    def text(self, notation: str = "G"):
        n = self._divisor
        if n is not None:
            sign = "-" if n < 0 else ""
            return f"{sign}{child_text(self, self.a, notation=notation)}/{_number(abs(round(n)))}"
        return f"{_number(self.c)}·{child_text(self, self.a, right=True, notation=notation)}"

    def latex(self):
        n = self._divisor
        if n is not None:
            sign = "-" if n < 0 else ""
            return rf"{sign}\frac{{1}}{{{_number(abs(round(n)))}}}\,{child_text(self, self.a, latex=True)}"
        return rf"{_number(self.c)}\,{child_text(self, self.a, right=True, latex=True)}"

    def evaluate(self, env):
        return self.c * self.a.evaluate(env)


@dataclass(frozen=True)
class SumTo(Expr):
    """Undo a broadcast: sum ``a`` over the axes broadcasting added (seed 001's ``1ᵀ G``).

    Parameters
    ----------
    shape : tuple of int
        The shape summed down to.
    a : Expr
        The broadcast value's adjoint.

    Examples
    --------
    >>> from graphstep.formulas.expr import Adjoint
    >>> G = Adjoint((4, 3), 1, "u1")
    >>> SumTo((3,), G).text(), SumTo((), G).text(), SumTo((4, 1), G).text()
    ('1_4ᵀ G_u1', 'sum(G_u1)', 'G_u1 1_3')
    """

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
        """Its precedence, which depends on its contents (see :class:`Expr`).

        Returns
        -------
        int

        Examples
        --------
        >>> from graphstep.formulas.expr import Adjoint
        >>> G = Adjoint((4, 3), 1, "u1")
        >>> SumTo((3,), G).prec, SumTo((), G).prec
        (2, 5)
        """
        return 2 if self._form in ("rows", "cols") else 5

    @property
    def kind(self):  # type: ignore[override]
        """Its kind of product, which depends on its contents (see :class:`Expr`).

        Returns
        -------
        str

        Examples
        --------
        >>> from graphstep.formulas.expr import Adjoint
        >>> G = Adjoint((4, 3), 1, "u1")
        >>> SumTo((3,), G).kind, SumTo((), G).kind
        ('mm', 'atom')
        """
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
            return f"1_{self.a.shape[0]}ᵀ {child_text(self, self.a, notation=notation)}"
        if form == "cols":
            return f"{child_text(self, self.a, notation=notation)} 1_{self.a.shape[1]}"
        axes = self._axes()
        return f"sum({self.a.text(notation)}, axis={axes[0] if len(axes) == 1 else axes})"

    def latex(self):
        form = self._form
        if form == "all":
            return rf"\textstyle\sum {atom_text(self.a, latex=True)}"
        if form == "rows":
            return rf"\mathbf{{1}}_{{{self.a.shape[0]}}}^{{\top}} {child_text(self, self.a, latex=True)}"
        if form == "cols":
            return rf"{child_text(self, self.a, latex=True)}\,\mathbf{{1}}_{{{self.a.shape[1]}}}"
        axes = ",".join(map(str, self._axes()))
        return rf"\textstyle\sum_{{\text{{axis }}{axes}}} {atom_text(self.a, latex=True)}"

    def evaluate(self, env):
        return unbroadcast(self.a.evaluate(env), self.shape)


@dataclass(frozen=True)
class Expand(Expr):
    """Undo a reduction: copy ``a`` back along the reduced ``axes`` to ``shape``.

    Parameters
    ----------
    shape : tuple of int
        The shape before the reduction.
    a : Expr
        The reduction's adjoint.
    axes : tuple of int
        The axes the reduction removed.

    Examples
    --------
    >>> from graphstep.formulas.expr import Adjoint
    >>> row, number = Adjoint((3,), 1, "u1"), Adjoint((), 1, "u1")
    >>> Expand((4, 3), row, (0,)).text(), Expand((4, 3), number, (0, 1)).text()
    ('1_4 G_u1ᵀ', 'G_u1')
    """

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
        """Its precedence, which depends on its contents (see :class:`Expr`).

        Returns
        -------
        int

        Examples
        --------
        >>> from graphstep.formulas.expr import Adjoint
        >>> Expand((4, 3), Adjoint((3,), 1, "u1"), (0,)).prec
        2
        """
        return {"scalar": self.a.prec, "down": 2, "across": 2}.get(self._form, 5)

    @property
    def kind(self):  # type: ignore[override]
        """Its kind of product, which depends on its contents (see :class:`Expr`).

        Returns
        -------
        str

        Examples
        --------
        >>> from graphstep.formulas.expr import Adjoint
        >>> Expand((4, 3), Adjoint((3,), 1, "u1"), (0,)).kind
        'mm'
        """
        return self.a.kind if self._form == "scalar" else ("mm" if self.prec == 2 else "atom")

    def text(self, notation: str = "G"):
        form = self._form
        if form == "scalar":
            return self.a.text(notation)
        if form == "down":
            return f"1_{self.shape[0]} {atom_text(self.a, notation=notation)}ᵀ"
        if form == "across":
            return f"{atom_text(self.a, notation=notation)} 1_{self.shape[1]}ᵀ"
        axes = self.axes[0] if len(self.axes) == 1 else self.axes
        return f"expand({self.a.text(notation)}, axis={axes})"

    def latex(self):
        form = self._form
        if form == "scalar":
            return self.a.latex()
        if form == "down":
            return rf"\mathbf{{1}}_{{{self.shape[0]}}} {atom_text(self.a, latex=True)}^{{\top}}"
        if form == "across":
            return rf"{atom_text(self.a, latex=True)}\,\mathbf{{1}}_{{{self.shape[1]}}}^{{\top}}"
        axes = ",".join(map(str, self.axes))
        return rf"\operatorname{{expand}}_{{{axes}}}\left({self.a.latex()}\right)"

    def evaluate(self, env):
        value = np.asarray(self.a.evaluate(env), dtype=float)
        if self.axes:
            value = np.expand_dims(value, self.axes)
        return np.broadcast_to(value, self.shape)


@dataclass(frozen=True)
class BroadcastTo(Expr):
    """``a`` read at a larger shape; invisible in print (a number times every entry).

    Parameters
    ----------
    shape : tuple of int
        The larger shape.
    a : Expr

    Examples
    --------
    >>> BroadcastTo((2,), Const((), 3.0)).text()
    '3'
    """

    a: Expr = None  # type: ignore[assignment]

    @property
    def prec(self):  # type: ignore[override]
        """Its precedence, which depends on its contents (see :class:`Expr`).

        Returns
        -------
        int

        Examples
        --------
        >>> BroadcastTo((2,), Const((), 3.0)).prec
        5
        """
        return self.a.prec

    @property
    def kind(self):  # type: ignore[override]
        """Its kind of product, which depends on its contents (see :class:`Expr`).

        Returns
        -------
        str

        Examples
        --------
        >>> BroadcastTo((2,), Const((), 3.0)).kind
        'atom'
        """
        return self.a.kind

    def text(self, notation: str = "G"):
        return self.a.text(notation)

    def latex(self):
        return self.a.latex()

    def evaluate(self, env):
        return np.broadcast_to(self.a.evaluate(env), self.shape)
