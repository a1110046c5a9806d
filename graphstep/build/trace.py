"""Tracing: Python operators and ``gs.<fn>`` calls record a graph as they compute.

>>> import graphstep as gs
>>> x = gs.var("x", 1.5)
>>> y = x * gs.exp(x**2)
>>> round(y.value, 4)
14.2316

Each :class:`Var` remembers its op, its arguments and its value; nothing else is
done while tracing, so building a large graph costs little. :func:`graphstep.graph`
turns the traced output into a :class:`~graphstep.graph.Graph`.
"""

from __future__ import annotations

import itertools
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from graphstep.build.coerce import MAX_NDIM, check_ndim, coerce_number
from graphstep.build.naming import give_name
from graphstep.build.scope import SCOPES
from graphstep.build.writing import constant_text, describe, expression_text, precedence
from graphstep.errors import InputError, ShapeError
from graphstep.ops.table import (
    CONST,
    FUNCTIONS,
    INPUT,
    OPERATORS,
    OPS,
    OpSpec,
    as_value,
    format_op,
    overloads,
)
from graphstep.text import repr_value, shape_paren

__all__ = [
    "Var", "var", "const", "apply", "describe", "expression_text", "format_op", "precedence",
    "MAX_NDIM", "TRACED", "max", "min", "reshape", "transpose", "stack",
]  # and every function of the op table (TRACED), added below


_ids = itertools.count()


class Var:
    """A traced value: an input, a constant, or the result of an op on other Vars.

    Arithmetic (``+ - * / ** @``, unary ``-``, ``.T``, reflected and in-place forms)
    and the functions of :mod:`graphstep` build new Vars. ``.value`` holds the number
    (a float or a numpy array).

    Parameters
    ----------
    op : str
        The op's name, ``"input"`` or ``"const"``.
    args : tuple of Var
        The arguments.
    value : float or numpy.ndarray
    params : dict, optional
        The op's parameters (``axis``...).
    name, text : str, optional
        An input's name; how the value is written (a constant's ``2``).

    Examples
    --------
    >>> x = var("x", 3.0)
    >>> y = (2 * x + 1).relu()
    >>> y.op, y.value, [a.op for a in y.args]
    ('relu', 7.0, ['add'])
    """

    # ``index`` is scratch space for graph construction (the node id being assigned)
    __slots__ = ("op", "args", "value", "params", "name", "id", "depth", "text", "index", "scope")
    __array_ufunc__ = None  # numpy defers to Var's reflected operators

    def __init__(self, op: str, args: tuple, value: Any, params: dict | None = None,
                 name: str | None = None, text: str | None = None):
        self.op = op
        self.args = args
        self.value = value
        self.params = params
        self.name = name
        self.text = text
        self.id = next(_ids)
        self.scope = SCOPES[-1]  # the blocks open while it is traced (gs.block)
        if not args:
            self.depth = 0
        elif len(args) == 2:
            first, second = args[0].depth, args[1].depth
            self.depth = (first if first > second else second) + 1
        else:  # (this module's max is gs.max: no builtins here)
            deepest = 0
            for a in args:
                if a.depth > deepest:
                    deepest = a.depth
            self.depth = deepest + 1

    # --- description -----------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        """The value's shape; ``()`` for a scalar.

        Returns
        -------
        tuple of int
        """
        return np.shape(self.value)

    def __repr__(self) -> str:
        what = self.name or describe(self)
        return f"<Var {what} = {repr_value(self.value)}>"

    named = give_name  # v.named("h"): h labels the value (graphstep.build.naming)

    # Operators (``+ - * / ** @``, unary ``-``) and functions as methods (micrograd style:
    # ``z.relu()``) are installed from the op table below the class.
    def __pos__(self):
        return self

    @property
    def T(self) -> Var:
        """The transpose (reversed axes); a vector or scalar is returned unchanged.

        Returns
        -------
        Var
        """
        return self if len(self.shape) < 2 else apply(OPERATORS[".T"], self)

    def sum(self, axis=None) -> Var:
        """``sum(self, axis)``: the entries added up (see ``gs.sum``).

        Parameters
        ----------
        axis : int or tuple of int, optional
            The axes summed (default: all).

        Returns
        -------
        Var

        Raises
        ------
        ShapeError
            For an axis out of range.

        Examples
        --------
        >>> var("v", np.arange(6.0).reshape(2, 3)).sum(axis=0).value
        array([3., 5., 7.])
        """
        return TRACED["sum"](self, axis)

    def mean(self, axis=None) -> Var:
        """``mean(self, axis)``: the average of the entries (see ``gs.mean``).

        Parameters
        ----------
        axis : int or tuple of int, optional
            The axes averaged (default: all).

        Returns
        -------
        Var

        Raises
        ------
        ShapeError
            For an axis out of range.

        Examples
        --------
        >>> var("v", np.arange(6.0).reshape(2, 3)).mean(axis=1).value
        array([1., 4.])
        """
        return TRACED["mean"](self, axis)

    def reshape(self, *shape) -> Var:
        """The same numbers read in another shape (see ``gs.reshape``).

        Parameters
        ----------
        *shape : int or tuple of int
            The new shape, as numpy takes it (one length may be -1).

        Returns
        -------
        Var

        Raises
        ------
        ShapeError
            When the sizes do not match.

        Examples
        --------
        >>> v = var("v", np.ones((2, 3)))
        >>> v.reshape(3, 2).shape, v.reshape((6,)).shape, v.reshape(-1).shape
        ((3, 2), (6,), (6,))
        """
        return reshape(self, shape[0] if len(shape) == 1 else shape)


#: Python's operator methods: (method, reflected method). In-place forms (``c += 1``) use these.
_METHODS = {"+": ("__add__", "__radd__"), "-": ("__sub__", "__rsub__"), "*": ("__mul__", "__rmul__"),
            "/": ("__truediv__", "__rtruediv__"), "**": ("__pow__", "__rpow__"),
            "@": ("__matmul__", "__rmatmul__")}


def _binary_methods(spec: OpSpec) -> tuple[Any, Any]:
    """``a <op> b`` and ``b <op> a``; on two floats, the op's ``scalar_forward`` without numpy.

    Scalar operands take a short path (no numpy, no broadcasting checks): tracing a
    large scalar network costs about as much as micrograd's own objects.
    """
    name, fast = spec.name, spec.scalar_forward
    if fast is None:
        return (lambda self, other: apply(name, self, other),
                lambda self, other: apply(name, other, self))

    def method(self, other):
        right = _scalar_operand(self, other)
        if right is not None:
            return Var(name, (self, right), fast(self.value, right.value))
        return apply(name, self, other)

    def reflected(self, other):
        left = _scalar_operand(self, other)
        if left is not None:
            return Var(name, (left, self), fast(left.value, self.value))
        return apply(name, other, self)

    return method, reflected


def _unary_method(spec: OpSpec) -> Any:
    name, fast = spec.name, spec.scalar_forward
    if fast is None:
        return lambda self: apply(name, self)

    def method(self):
        if type(self.value) is float:
            return Var(name, (self,), fast(self.value))
        return apply(name, self)

    return method


def _install_operators() -> None:
    for symbol, (forward_name, reflected_name) in _METHODS.items():
        forward, reflected = _binary_methods(OPS[OPERATORS[symbol]])
        setattr(Var, forward_name, forward)
        setattr(Var, reflected_name, reflected)
    Var.__neg__ = _unary_method(OPS[OPERATORS["neg"]])
    for spec in OPS.values():
        if spec.elementwise and spec.arity == 1 and spec.names:
            for name in spec.names:
                method = _unary_method(spec)
                method.__name__ = name
                method.__doc__ = f"``{name}(self)``, elementwise (traced)."
                setattr(Var, name, method)


def _scalar_operand(self: Var, other: Any) -> Var | None:
    """``other`` as a Var when both operands are plain floats (the fast path), else None."""
    if type(self.value) is not float:
        return None
    kind = type(other)
    if kind is Var:
        return other if type(other.value) is float else None
    if kind is float or kind is int:
        value = float(other)
        return Var(CONST, (), value, text=f"{value:g}")
    return None


def var(name: str, value: Any) -> Var:
    """An input named ``name`` holding ``value`` (a number or an array).

    A float64 array is not copied: the graph keeps a read-only view of it, so change
    it in place only after you are done with graphs built from it.

    Parameters
    ----------
    name : str
        A Python identifier: the input's label and its key in ``gs.grad``.
    value : float or array_like
        A real number, a nested list or a numpy array.

    Returns
    -------
    Var
        The traced input.

    Raises
    ------
    InputError
        When ``name`` is not an identifier or ``value`` is not real numbers.

    Examples
    --------
    >>> x = var("x", 2)
    >>> x.value, x.shape
    (2.0, ())
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise InputError(f"input name {name!r} is not a valid identifier")
    return Var(INPUT, (), _number(value, f"input {name}"), name=name, text=name)


def const(value: Any) -> Var:
    """A constant: a number or array that takes no gradient.

    Parameters
    ----------
    value : float or array_like

    Returns
    -------
    Var
        A leaf whose op is ``CONST``.

    Raises
    ------
    InputError
        When ``value`` is not real numbers.

    Examples
    --------
    >>> c = const([1.0, 1.0])
    >>> c.op, c.text
    ('const', '[1, 1]')
    """
    v = _number(value, "constant")
    return Var(CONST, (), v, text=constant_text(v))


def _number(value: Any, what: str) -> Any:
    if isinstance(value, Var):
        raise InputError(f"{what}: expected a number or array, got a traced Var")
    return coerce_number(value, what)


def _as_var(x: Any) -> Var:
    return x if isinstance(x, Var) else const(x)


def apply(op_name: str, *operands: Any, text: str | None = None, **params: Any) -> Var:
    """Apply op ``op_name`` to ``operands`` (Vars or constants), inserting broadcasts.

    Elementwise ops on operands of different shapes broadcast by numpy's rules; each
    broadcast of a traced value is its own node.

    Parameters
    ----------
    op_name : str
        A key of :data:`~graphstep.ops.table.OPS`.
    *operands : Var or float or array_like
        The arguments; numbers and arrays become constants.
    text : str, optional
        The node's text (the parser passes the user's own).
    **params
        The op's parameters (``axis``, ``shape``).

    Returns
    -------
    Var

    Raises
    ------
    ShapeError
        When the shapes do not fit; the message names the sub-expressions.
    InputError
        When the number of arguments is wrong.

    Examples
    --------
    >>> v = var("v", [1.0, 2.0])
    >>> y = apply("mul", v, 3.0)
    >>> y.op, y.value.tolist()
    ('mul', [3.0, 6.0])
    """
    op = OPS[op_name]
    args = [_as_var(x) for x in operands]
    if not op.variadic and op.arity != len(args):
        raise InputError(f"{op_name} takes {op.arity} argument(s), got {len(args)}")
    if (op.variadic or "shape" in params) and args:
        check_ndim(op, args, params)
    if op.elementwise and len(args) == 2:
        args = _broadcast_operands(op_name, args)
    elif op.shape is not None:
        op.shape(tuple(a.shape for a in args), params, tuple(describe(a) for a in args))
    with np.errstate(all="ignore"):
        value = as_value(op.forward(tuple(a.value for a in args), params))
    return Var(op_name, tuple(args), value, params or None, text=text)


#: The op that reads a value at a larger shape (written as its argument).
_BROADCAST = next(name for name, spec in OPS.items() if spec.transparent)


def _broadcast_operands(op_name: str, args: list[Var]) -> list[Var]:
    shapes = [a.shape for a in args]
    if shapes[0] == shapes[1]:
        return args
    try:
        target = np.broadcast_shapes(*shapes)
    except ValueError:
        a, b = args
        raise ShapeError(
            f"{op_name}: {describe(a)} {shape_paren(shapes[0], 'x')} and {describe(b)} "
            f"{shape_paren(shapes[1], 'x')} cannot be broadcast together"
        ) from None
    result = []
    for a in args:
        if a.shape == target:
            result.append(a)
        else:  # a constant too keeps the shape it was written with: the broadcast is a node
            value = np.broadcast_to(a.value, target)  # a read-only view: no copy
            result.append(Var(_BROADCAST, (a,), value, {"shape": target}))
    return result


# --- the functions, usable as gs.<name> ------------------------------------------------


def _function(spec: OpSpec, name: str) -> Any:
    """``gs.<name>``: apply ``spec`` to its arguments; its parameters (``axis``) follow them."""
    accepted = [p for p in spec.params if p.keyword or p.positional]

    def fn(*arguments: Any, **given: Any) -> Var:
        operands, rest = arguments[:spec.arity], arguments[spec.arity:]
        if len(operands) < spec.arity or len(rest) > len(accepted):
            raise InputError(f"{name} takes {spec.arity} argument(s) and the parameters "
                             f"{[p.name for p in accepted]}, got {len(arguments)} argument(s)")
        values = {p.name: p.default for p in accepted}
        values.update(zip((p.name for p in accepted), rest))
        for key, value in given.items():
            if key not in values:
                raise InputError(f"{name}() takes no keyword {key!r}")
            values[key] = value
        return apply(spec.name, *operands, **values)

    fn.__name__ = fn.__qualname__ = name
    call = ", ".join(["x", "y"][:spec.arity] + [f"{p.name}={p.default}" for p in accepted])
    fn.__doc__ = (f"``{name}({call})``: the op ``{spec.name}`` (traced); see "
                  f":data:`graphstep.ops.table.OPS`.")
    return fn


#: Every function of the op table as ``gs.<name>``, by name (``max``, ``min``, ``reshape``,
#: ``transpose`` and ``stack`` are written out below: they read their arguments their own way).
TRACED: dict[str, Any] = {
    name: _function(OPS[op_name], name) for name, op_name in FUNCTIONS.items()
    if len(overloads(name)) == 1 and not OPS[op_name].variadic
    and not any(p.required for p in OPS[op_name].params) and op_name != OPERATORS[".T"]
}


def _is_zero_const(x: Any) -> bool:
    if isinstance(x, Var):
        return x.op == CONST and np.all(np.asarray(x.value) == 0)
    return isinstance(x, numbers.Real) and x == 0


def max(a: Any, b: Any = None, axis: int | None = None) -> Var:  # noqa: A001
    """``max(a, b)`` elementwise (``max(0, z)`` is ReLU), or ``max(a)`` over ``axis``.

    Parameters
    ----------
    a, b : Var or float or array_like
        With ``b``: the elementwise maximum (a tie splits the derivative evenly).
    axis : int or tuple of int, optional
        Without ``b``: the axes to reduce (all when omitted).

    Returns
    -------
    Var

    Examples
    --------
    >>> max(0, var("z", -2.0)).op, max(var("z", 3.0), 1.0).value
    ('relu', 3.0)
    """
    if b is None:
        return apply(overloads("max")[-1].name, a, axis=axis)
    if _is_zero_const(a) and not _is_zero_const(b):
        return apply("relu", b)
    if _is_zero_const(b) and not _is_zero_const(a):
        return apply("relu", a)
    return apply(overloads("max")[0].name, a, b)


def min(a: Any, b: Any = None, axis: int | None = None) -> Var:  # noqa: A001
    """``min(a, b)`` elementwise, or ``min(a)`` over ``axis``.

    Parameters
    ----------
    a, b : Var or float or array_like
    axis : int or tuple of int, optional

    Returns
    -------
    Var

    Examples
    --------
    >>> min(var("a", 2.0), 5.0).value
    2.0
    """
    if b is None:
        return apply(overloads("min")[-1].name, a, axis=axis)
    return apply(overloads("min")[0].name, a, b)


def reshape(x: Any, shape: Iterable[int] | int) -> Var:
    """The same numbers read in another shape.

    Parameters
    ----------
    x : Var or array_like
    shape : int or tuple of int
        One length may be ``-1`` (worked out from the others).

    Returns
    -------
    Var

    Raises
    ------
    ShapeError
        When the sizes do not match.

    Examples
    --------
    >>> reshape(var("v", [1.0, 2.0, 3.0, 4.0]), (2, 2)).shape
    (2, 2)
    """
    shape = (shape,) if isinstance(shape, numbers.Integral) else tuple(int(n) for n in shape)
    return apply("reshape", x, shape=shape)


def transpose(x: Any) -> Var:
    """The transpose, like ``x.T``; a vector or a number is returned unchanged.

    Parameters
    ----------
    x : Var or array_like

    Returns
    -------
    Var

    Examples
    --------
    >>> transpose(var("A", [[1.0, 2.0, 3.0]])).shape
    (3, 1)
    """
    return _as_var(x).T


def stack(items: Iterable[Any]) -> Var:
    """Stack values of one shape along a new first axis (a list literal in strings).

    Parameters
    ----------
    items : iterable of Var or float or array_like

    Returns
    -------
    Var

    Raises
    ------
    InputError
        When ``items`` is empty.
    ShapeError
        When the shapes differ.

    Examples
    --------
    >>> stack([var("a", 1.0), var("b", 2.0)]).shape
    (2,)
    """
    items = list(items)
    if not items:
        raise InputError("stack needs at least one value")
    return apply("stack", *items)


TRACED.update(max=max, min=min, reshape=reshape, transpose=transpose, stack=stack)
globals().update({name: fn for name, fn in TRACED.items() if name not in globals()})
__all__ += [name for name in TRACED if name not in __all__]
_install_operators()
