"""The forward computations, Jacobians, adjoint rules and sentences of the structural ops.

What the entries of ``matmul``, ``sum``/``mean``, ``max``/``min``, ``softmax`` and
``broadcast`` in :mod:`graphstep.ops.table` point to, when a lambda would not do: their
local derivatives are :class:`~graphstep.ops.jacobians.Jacobian` objects, their
matrix-form adjoint rules build expressions through :mod:`graphstep.formulas.builder`
(passed in as ``m``), and their dimension-analysis sentences read a
:class:`~graphstep.formulas.sentences.SentenceParts`.

>>> import numpy as np
>>> softmax_forward((np.zeros(4),), {}), mean_scale((2, 3), None) * 6
(array([0.25, 0.25, 0.25, 0.25]), 1.0)
"""

from __future__ import annotations

import math

import numpy as np

from graphstep.ops import jacobians as jac
from graphstep.ops.rules import TIE
from graphstep.ops.shapes import reduced_axes
from graphstep.text import shape_paren, shape_text

__all__ = [
    "extreme_jacobian", "reduce_forward", "mean_forward", "mean_scale", "softmax_forward",
    "matmul_jacobian", "matmul_adjoint", "reduce_adjoint", "extreme_adjoint", "softmax_adjoint",
    "matmul_sentence", "broadcast_sentence", "reduce_sentence", "extreme_sentence",
]


# --- forward and Jacobians of the structural ops --------------------------------------


def extreme_jacobian(name):
    """``d max(x)/dx``: 1 at the largest entry; ``k`` tied entries get ``1/k`` each (autograd, JAX).

    Parameters
    ----------
    name : str
        ``"max"`` or ``"min"``.

    Returns
    -------
    callable
        ``(pos, args, out, params, labels) -> Jacobian``, the shape of an entry's ``jacobian``.

    Examples
    --------
    >>> import numpy as np
    >>> J = extreme_jacobian("max")(0, (np.array([1.0, 3.0, 3.0]),), 3.0, {}, ("v",))
    >>> J.formula, J.dense().tolist()
    ('1ᵀ · diag(1/k at the k tied argmax) (tie: split evenly)', [[0.0, 0.5, 0.5]])
    """

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
    """The forward computation of a reduction: ``fn(x, axis=axis)``.

    Parameters
    ----------
    fn : callable
        ``np.sum``, ``np.max``...

    Returns
    -------
    callable
        ``(args, params) -> value``, the shape of an entry's ``forward``.

    Examples
    --------
    >>> import numpy as np
    >>> reduce_forward(np.sum)((np.ones((2, 3)),), {"axis": 0})
    array([2., 2., 2.])
    """
    def forward(a, p):
        return fn(a[0], axis=p.get("axis"))

    return forward


def mean_scale(shape, axis):
    """``1/n`` for a mean over ``n`` entries (1 for none).

    Parameters
    ----------
    shape : tuple of int
        The averaged array's shape.
    axis : int, tuple of int or None
        The mean's ``axis``.

    Returns
    -------
    float

    Examples
    --------
    >>> mean_scale((2, 3), None), mean_scale((2, 4), 1)
    (0.16666666666666666, 0.25)
    """
    return 1.0 / max(math.prod(shape[a] for a in reduced_axes(shape, axis)), 1)


def mean_forward(a, p):
    """``np.mean``; the mean of no numbers is nan (a DomainWarning, not numpy's RuntimeWarning).

    Parameters
    ----------
    a : tuple
        The one argument.
    p : dict
        The op's parameters (``axis``).

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> import numpy as np
    >>> float(mean_forward((np.array([1.0, 2.0, 6.0]),), {})), float(mean_forward((np.zeros(0),), {}))
    (3.0, nan)
    """
    x, axis = a[0], p.get("axis")
    if np.size(x) and all(np.shape(x)[k] for k in reduced_axes(np.shape(x), axis)):
        return np.mean(x, axis=axis)
    return np.sum(x, axis=axis) * np.nan


def softmax_forward(a, p):
    """``exp(x) / sum(exp(x), axis)``, computed with the maximum subtracted first.

    Parameters
    ----------
    a : tuple
        The one argument.
    p : dict
        The op's parameters (``axis``, default -1).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> import numpy as np
    >>> softmax_forward((np.array([0.0, np.log(3.0)]),), {})
    array([0.25, 0.75])
    """
    x = a[0]
    axis = p.get("axis", -1)
    shifted = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return shifted / np.sum(shifted, axis=axis, keepdims=True)


# --- matrix-form adjoint rules of the structural ops -----------------------------------


def matmul_jacobian(pos, args, out, params, labels):
    """``d(A @ B)/dA`` (``I ⊗ Bᵀ`` in numerator layout) or ``d(A @ B)/dB``.

    Parameters
    ----------
    pos : int
        The argument, 0 (``A``) or 1 (``B``).
    args : tuple
        ``A`` and ``B``.
    out : numpy.ndarray
        ``A @ B``.
    params : dict
        The op's parameters (none).
    labels : tuple of str
        The arguments' labels, for the formula.

    Returns
    -------
    Jacobian
        A :class:`~graphstep.ops.jacobians.MatmulLeft` or
        :class:`~graphstep.ops.jacobians.MatmulRight`.

    Examples
    --------
    >>> import numpy as np
    >>> J = matmul_jacobian(1, (np.eye(2), np.ones(2)), np.ones(2), {}, ("W", "x"))
    >>> type(J).__name__, J.formula
    ('MatmulRight', 'W')
    """
    a, b = args
    if pos == 0:
        return jac.MatmulLeft(b, np.shape(a), np.shape(out), *labels[:2])
    return jac.MatmulRight(a, np.shape(b), np.shape(out), *labels[:2])


def matmul_adjoint(m, G, e):
    """``G_A = G_Y Bᵀ``, ``G_B = Aᵀ G_Y``; outer products and plain products for vectors.

    Parameters
    ----------
    m : module
        The expression builder (:mod:`graphstep.formulas.builder`).
    G : Expr
        The head's adjoint.
    e : AdjointEdge
        The edge (:class:`graphstep.formulas.rules.AdjointEdge`).

    Returns
    -------
    Expr

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> from graphstep.formulas.rules import adjoint_rule
    >>> g = gs.parse("sum(X @ W)", X=np.ones((4, 3)), W=np.ones((3, 2)))
    >>> adjoint_rule(g, 2, 0).text(), adjoint_rule(g, 2, 1).text()
    ('G_u1 Wᵀ', 'Xᵀ G_u1')
    """
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
    """``G`` copied back along the reduced axes (divided by their size for a mean).

    Parameters
    ----------
    mean : bool
        A mean (True) or a sum (False).

    Returns
    -------
    callable
        ``(m, G, e) -> Expr``, the shape of an entry's ``adjoint``.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> from graphstep.formulas.rules import adjoint_rule
    >>> adjoint_rule(gs.parse("mean(X)", X=np.ones((2, 3))), 1, 0).text()
    'G_u1/6'
    """

    def rule(m, G, e):
        shape = e.shapes[0]
        axes = reduced_axes(shape, e.params.get("axis"))
        copied = m.expand(G, axes, shape)
        if not mean:
            return copied
        return m.scale(1.0 / max(math.prod(shape[a] for a in axes), 1), copied)

    return rule


def extreme_adjoint(which: str):
    """``G`` copied back, times the one-hot mask of the arg-max (arg-min).

    Parameters
    ----------
    which : str
        ``"max"`` or ``"min"``.

    Returns
    -------
    callable
        ``(m, G, e) -> Expr``, the shape of an entry's ``adjoint``.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> from graphstep.formulas.rules import adjoint_rule
    >>> adjoint_rule(gs.parse("max(v)", v=np.array([1.0, 3.0])), 1, 0).text()
    'G_u1·onehot(argmax v)'
    """

    def rule(m, G, e):
        shape, axis = e.shapes[0], e.params.get("axis")
        mask = m.mask(shape, e.node, e.labels[0], which, axis)
        return m.had(m.expand(G, reduced_axes(shape, axis), shape), mask)

    return rule


def softmax_adjoint(m, G, e):
    """``s ⊙ (G - sum(G ⊙ s, axis))``.

    Parameters
    ----------
    m : module
        The expression builder (:mod:`graphstep.formulas.builder`).
    G : Expr
        The head's adjoint.
    e : AdjointEdge
        The edge (:class:`graphstep.formulas.rules.AdjointEdge`).

    Returns
    -------
    Expr

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> from graphstep.formulas.rules import adjoint_rule
    >>> adjoint_rule(gs.parse("softmax(v)", v=np.array([1.0, 3.0])), 1, 0).text()
    'u1 ⊙ (G_u1 - sum(G_u1 ⊙ u1, axis=-1))'
    """
    s = e.out
    return m.had(s, m.add([G, m.neg(m.sum_keep(m.had(G, s), e.params.get("axis", -1)))]))


# --- dimension-analysis sentences of the structural ops --------------------------------


def _product_shapes(pos: int, sh: tuple[int, ...], so: tuple[int, ...]) -> str:
    """``(3x4 times 4x2)``: the shapes multiplied in a matrix rule, to show they match."""
    if len(sh) != 2 or len(so) != 2:
        return ""
    if pos == 0:  # G_A = G_Y Bᵀ
        return f" ({shape_text(sh)} times {so[1]}×{so[0]})"
    return f" ({so[1]}×{so[0]} times {shape_text(sh)})"  # G_B = Aᵀ G_Y


def matmul_sentence(s):
    """The dimension-analysis sentence of an edge of ``A @ B``.

    Parameters
    ----------
    s : SentenceParts
        The edge's pieces (:class:`graphstep.formulas.sentences.SentenceParts`).

    Returns
    -------
    str

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> from graphstep.formulas.sentences import adjoint_sentence
    >>> g = gs.parse("sum(X @ W)", X=np.ones((4, 3)), W=np.ones((3, 2)))
    >>> print(adjoint_sentence(g, 2, 1))  # doctest: +NORMALIZE_WHITESPACE
    u1 = X @ W. As scalars ∂u1/∂W = X; G_u1 is 4×2 and X is 4×3, so G_W = Xᵀ G_u1 (3×4 times 4×2), 3×2 like W.
    """
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
    """The dimension-analysis sentence of a broadcast edge: the uses of each entry add up.

    Parameters
    ----------
    s : SentenceParts
        The edge's pieces (:class:`graphstep.formulas.sentences.SentenceParts`).

    Returns
    -------
    str

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> from graphstep.formulas.sentences import adjoint_sentence
    >>> g = gs.parse("X + v", X=np.ones((2, 3)), v=np.ones(3))
    >>> print(adjoint_sentence(g, 2, 0))  # doctest: +NORMALIZE_WHITESPACE
    v (3,) is broadcast to 2×3, so each entry of v is used 2 times; as scalars ∂u1/∂v = 1, and the
    uses add up: G_v = 1_2ᵀ G_u1 (1×2 times 2×3), (3,) like v.
    """
    sh, st = s.out_shape, s.tail_shape
    times = math.prod(sh) // max(math.prod(st), 1)
    product = ""
    if len(sh) == 2 and st in ((sh[1],), (1, sh[1])):
        product = f" (1×{sh[0]} times {shape_text(sh)})"
    return (f"{s.t} {shape_paren(st)} is broadcast to {shape_text(sh)}, so each entry of "
            f"{s.t} is used {times} times; as scalars ∂{s.h}/∂{s.t} = 1, and the uses add up: "
            f"{s.Gt} = {s.rule}{product}, {s.like}.")


def reduce_sentence(mean: bool):
    """The dimension-analysis sentence of a sum or a mean.

    Parameters
    ----------
    mean : bool
        A mean (True) or a sum (False).

    Returns
    -------
    callable
        ``(s: SentenceParts) -> str``, the shape of an entry's ``sentence``.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> from graphstep.formulas.sentences import adjoint_sentence
    >>> g = gs.parse("mean(X)", X=np.ones((2, 3)))
    >>> print(adjoint_sentence(g, 1, 0))  # doctest: +NORMALIZE_WHITESPACE
    u1 = mean(X). It averages all 6 entries of X: as scalars ∂u1/∂X = 1/6 for each entry, so G_X =
    G_u1/6: G_u1 (scalar) copied back to every entry it came from, 2×3 like X.
    """
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
    """The dimension-analysis sentence of a ``max`` or ``min`` reduction.

    Parameters
    ----------
    which : str
        ``"largest"`` or ``"smallest"``.

    Returns
    -------
    callable
        ``(s: SentenceParts) -> str``, the shape of an entry's ``sentence``.

    Examples
    --------
    >>> import numpy as np, graphstep as gs
    >>> from graphstep.formulas.sentences import adjoint_sentence
    >>> g = gs.parse("max(v)", v=np.array([1.0, 3.0]))
    >>> print(adjoint_sentence(g, 1, 0))  # doctest: +NORMALIZE_WHITESPACE
    u1 = max(v). Only the largest entry counts: as scalars ∂u1/∂v = 1 there and 0 elsewhere, so G_v
    = G_u1·onehot(argmax v), (2,) like v.
    """
    def sentence(s):
        return (f"{s.intro} Only the {which} entry counts: as scalars ∂{s.h}/∂{s.t} = 1 there "
                f"and 0 elsewhere, so {s.Gt} = {s.rule}, {s.like}.")

    return sentence
