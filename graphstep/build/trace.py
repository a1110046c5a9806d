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
import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from graphstep.errors import InputError, ShapeError
from graphstep.ops.jacobians import shape_paren, shape_text
from graphstep.ops.table import OPS, as_value

__all__ = [
    "Var", "var", "const", "apply", "describe", "expression_text",
    "exp", "log", "ln", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "sqrt", "abs",
    "square", "sum", "mean", "dot", "max", "min", "softmax", "reshape", "transpose", "stack",
]

#: Most dimensions a value may have: numpy 1's limit, half of numpy 2's, so that no op's
#: intermediate results (a broadcast, a Jacobian) reach numpy's own limit.
MAX_NDIM = 32

_ids = itertools.count()


class Var:
    """A traced value: an input, a constant, or the result of an op on other Vars.

    Arithmetic (``+ - * / ** @``, unary ``-``, ``.T``, reflected and in-place forms)
    and the functions of :mod:`graphstep` build new Vars. ``.value`` holds the number
    (a float or a numpy array).

    >>> x = var("x", 3.0)
    >>> y = (2 * x + 1).relu()
    >>> y.op, y.value, [a.op for a in y.args]
    ('relu', 7.0, ['add'])
    """

    # ``index`` is scratch space for graph construction (the node id being assigned)
    __slots__ = ("op", "args", "value", "params", "name", "id", "depth", "text", "index")
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
        """The value's shape; ``()`` for a scalar."""
        return np.shape(self.value)

    def __repr__(self) -> str:
        what = self.name or describe(self)
        return f"<Var {what} = {_short(self.value)}>"

    # --- arithmetic ----------------------------------------------------------------
    # Scalar operands take a short path (no numpy, no broadcasting checks): tracing a
    # large scalar network costs about as much as micrograd's own objects.
    def __add__(self, other):
        right = _scalar_operand(self, other)
        if right is not None:
            return Var("add", (self, right), self.value + right.value)
        return apply("add", self, other)

    def __radd__(self, other):
        left = _scalar_operand(self, other)
        if left is not None:
            return Var("add", (left, self), left.value + self.value)
        return apply("add", other, self)

    def __sub__(self, other):
        right = _scalar_operand(self, other)
        if right is not None:
            return Var("sub", (self, right), self.value - right.value)
        return apply("sub", self, other)

    def __rsub__(self, other):
        left = _scalar_operand(self, other)
        if left is not None:
            return Var("sub", (left, self), left.value - self.value)
        return apply("sub", other, self)

    def __mul__(self, other):
        right = _scalar_operand(self, other)
        if right is not None:
            return Var("mul", (self, right), self.value * right.value)
        return apply("mul", self, other)

    def __rmul__(self, other):
        left = _scalar_operand(self, other)
        if left is not None:
            return Var("mul", (left, self), left.value * self.value)
        return apply("mul", other, self)

    def __truediv__(self, other):
        return apply("div", self, other)

    def __rtruediv__(self, other):
        return apply("div", other, self)

    def __pow__(self, other):
        return apply("pow", self, other)

    def __rpow__(self, other):
        return apply("pow", other, self)

    def __matmul__(self, other):
        return apply("matmul", self, other)

    def __rmatmul__(self, other):
        return apply("matmul", other, self)

    def __neg__(self):
        if type(self.value) is float:
            return Var("neg", (self,), -self.value)
        return apply("neg", self)

    def __pos__(self):
        return self

    @property
    def T(self) -> Var:
        """The transpose (reversed axes); a vector or scalar is returned unchanged."""
        return self if len(self.shape) < 2 else apply("transpose", self)

    # --- functions as methods (micrograd style: ``z.relu()``) -------------------------
    def relu(self) -> Var:
        if type(self.value) is float:
            return Var("relu", (self,), self.value if self.value > 0 else 0.0)
        return apply("relu", self)

    def exp(self) -> Var:
        return apply("exp", self)

    def log(self) -> Var:
        return apply("log", self)

    def sin(self) -> Var:
        return apply("sin", self)

    def cos(self) -> Var:
        return apply("cos", self)

    def tanh(self) -> Var:
        return apply("tanh", self)

    def sigmoid(self) -> Var:
        return apply("sigmoid", self)

    def sqrt(self) -> Var:
        return apply("sqrt", self)

    def sum(self, axis=None) -> Var:
        return sum(self, axis)

    def mean(self, axis=None) -> Var:
        return mean(self, axis)

    def reshape(self, *shape) -> Var:
        return reshape(self, shape[0] if len(shape) == 1 else shape)


def _scalar_operand(self: Var, other: Any) -> Var | None:
    """``other`` as a Var when both operands are plain floats (the fast path), else None."""
    if type(self.value) is not float:
        return None
    kind = type(other)
    if kind is Var:
        return other if type(other.value) is float else None
    if kind is float or kind is int:
        value = float(other)
        return Var("const", (), value, text=f"{value:g}")
    return None


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        if value.size <= 6:
            return np.array2string(value, precision=4, separator=", ")
        return f"array {shape_text(value.shape)}"
    return f"{value:.6g}"


def _coerce_number(value: Any, what: str) -> Any:
    """A float or float64 array from user data, or an InputError that says why not."""
    if isinstance(value, Var):
        raise InputError(f"{what}: expected a number or array, got a traced Var")
    if isinstance(value, bool) or isinstance(value, complex):
        raise InputError(f"{what}: {value!r} is not a real number")
    if isinstance(value, numbers.Real):
        return _to_float(lambda: float(value), value, what)
    try:
        array = np.asarray(value)
    except Exception as error:  # ragged nested lists, for instance
        raise InputError(f"{what}: cannot read {_clip(value)} as an array ({error})") from None
    if array.ndim > MAX_NDIM:
        raise InputError(f"{what}: the array has {array.ndim} dimensions; graphstep allows at most "
                         f"{MAX_NDIM}")
    if array.dtype.kind == "O" and all(
            isinstance(x, numbers.Real) and not isinstance(x, bool) for x in array.flat):
        array = _to_float(lambda: array.astype(float), value, what)  # Python ints beyond int64
    if array.dtype.kind not in "biuf" or array.dtype.kind == "b":
        raise InputError(f"{what}: {_clip(value)} is not an array of real numbers")
    if array.ndim == 0:
        return _to_float(lambda: float(array), value, what)
    # A private copy: the graph's values must not change when the caller later updates
    # their array in place (an SGD step, say). Read-only, so nothing writes into it either.
    if array.dtype == np.float64:
        # Not copied (copying a batch of data can cost as much as the forward pass it feeds):
        # a read-only view, so graphstep never writes into the caller's array. A graph is a
        # snapshot: after changing the array in place, build a new graph.
        view = array.view()
        view.flags.writeable = False
        return view
    return _to_float(lambda: array.astype(float), value, what)


def _to_float(convert: Any, value: Any, what: str) -> Any:
    """``convert()``, or an InputError when the number is beyond a float's range."""
    try:
        with np.errstate(over="raise"):
            return convert()
    except (OverflowError, FloatingPointError):
        if isinstance(value, numbers.Integral) and not isinstance(value, np.integer):
            size = f"an integer of about 10^{int(int(value).bit_length() * math.log10(2))}"
        else:
            size = "a number"
        raise InputError(f"{what}: {size} is too large for a float (the largest is about 1.8e308)"
                         ) from None


def _clip(value: Any, limit: int = 60) -> str:
    """A short repr of user data for a message (never the whole of a large value)."""
    if isinstance(value, np.ndarray) and value.size > 6:
        return f"an array {shape_text(value.shape)}"
    try:
        text = repr(value)
    except ValueError:  # an int too long to print
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def var(name: str, value: Any) -> Var:
    """An input named ``name`` holding ``value`` (a number or an array).

    A float64 array is not copied: the graph keeps a read-only view of it, so change
    it in place only after you are done with graphs built from it.

    >>> x = var("x", 2)
    >>> x.value, x.shape
    (2.0, ())
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise InputError(f"input name {name!r} is not a valid identifier")
    return Var("input", (), _coerce_number(value, f"input {name}"), name=name, text=name)


def const(value: Any) -> Var:
    """A constant: a number or array that takes no gradient."""
    v = _coerce_number(value, "constant")
    return Var("const", (), v, text=_const_text(v))


def _const_text(value: Any) -> str:
    if isinstance(value, np.ndarray):
        if value.size <= 4 and value.ndim == 1:
            return "[" + ", ".join(f"{x:g}" for x in value) + "]"
        if value.size and np.all(value == value.flat[0]):
            return f"{value.flat[0]:g}"
        return f"const {shape_text(value.shape)}"
    return f"{value:g}"


def _as_var(x: Any) -> Var:
    return x if isinstance(x, Var) else const(x)


def describe(v: Var, limit: int = 60) -> str:
    """A short text for ``v``: its name, its constant, or its expression (cut at ``limit``)."""
    if v.text is not None:
        return v.text
    return expression_text(v, limit)


_PREC_ATOM = 6


def _prec(v: Var) -> int:
    if v.op in ("input", "broadcast"):
        return _PREC_ATOM
    if v.op == "const":
        return 3 if (v.text or "").startswith("-") else _PREC_ATOM
    return OPS[v.op].precedence


def format_op(op: str, arg_texts: list[str], arg_precs: list[int], params: dict | None) -> str:
    """Write one op applied to already-written arguments, adding parentheses as needed."""
    entry = OPS[op]
    prec = entry.precedence
    texts = list(arg_texts)
    if entry.template.startswith("{0}") or entry.template.startswith("-{0}"):
        for i, (text, p) in enumerate(zip(texts, arg_precs)):
            needs = p < prec or (p == prec and (
                (i == 1 and op in ("sub", "div", "matmul")) or (i == 0 and op == "pow")))
            if op == "pow" and i == 0 and p <= prec:
                needs = True
            if needs:
                texts[i] = f"({text})"
    if op == "stack":
        return "[" + ", ".join(texts) + "]"
    text = entry.template.format(*texts)
    axis = (params or {}).get("axis")
    if axis is not None and op in ("sum", "mean", "amax", "amin", "softmax"):
        text = text[:-1] + f", axis={axis})"
    if op == "reshape":
        text = text[:-1] + f", {tuple(params['shape'])})"
    return text


def expression_text(root: Var, limit: int = 60) -> str:
    """The expression ``root`` computes, written out (cut with ``…`` past ``limit``)."""
    texts: dict[int, str] = {}
    stack = [(root, False)]
    while stack:
        v, ready = stack.pop()
        if v.id in texts:
            continue
        if v.text is not None:
            texts[v.id] = v.text
            continue
        if not ready:
            stack.append((v, True))
            stack.extend((a, False) for a in v.args if a.id not in texts)
            continue
        args = [texts[a.id] for a in v.args]
        if v.op == "broadcast":
            text = args[0]
        else:
            text = format_op(v.op, args, [_prec(a) for a in v.args], v.params)
        texts[v.id] = text if len(text) <= limit else text[: limit - 1] + "…"
    return texts[root.id]


def apply(op_name: str, *operands: Any, text: str | None = None, **params: Any) -> Var:
    """Apply op ``op_name`` to ``operands`` (Vars or constants), inserting broadcasts.

    Elementwise ops on operands of different shapes broadcast by numpy's rules; each
    broadcast of a traced value is its own node. Shapes that do not fit raise a
    :class:`~graphstep.errors.ShapeError` naming the sub-expressions.
    """
    op = OPS[op_name]
    args = [_as_var(x) for x in operands]
    if op.arity not in (-1, len(args)):
        raise InputError(f"{op_name} takes {op.arity} argument(s), got {len(args)}")
    if op_name in ("stack", "reshape") and args:
        _check_ndim(op_name, args, params)
    if op.elementwise and len(args) == 2:
        args = _broadcast_operands(op_name, args)
    elif op.shape is not None:
        op.shape(tuple(a.shape for a in args), params, tuple(describe(a) for a in args))
    with np.errstate(all="ignore"):
        value = as_value(op.forward(tuple(a.value for a in args), params))
    return Var(op_name, tuple(args), value, params or None, text=text)


def _check_ndim(op_name: str, args: list[Var], params: dict) -> None:
    """Refuse a stack or reshape whose result would have more than :data:`MAX_NDIM` axes."""
    if op_name == "stack":
        ndim, what = len(args[0].shape) + 1, f"[{describe(args[0])}, ...]"
    else:
        shape = params.get("shape")
        ndim = len(shape) if isinstance(shape, tuple) else 1
        what = f"{describe(args[0])} to {shape}"
    if ndim > MAX_NDIM:
        raise ShapeError(f"{op_name}: {what} would have {ndim} dimensions (lists or axes nested "
                         f"{ndim} deep); graphstep allows at most {MAX_NDIM}")


def _broadcast_operands(op_name: str, args: list[Var]) -> list[Var]:
    shapes = [a.shape for a in args]
    if shapes[0] == shapes[1]:
        return args
    try:
        target = np.broadcast_shapes(*shapes)
    except ValueError:
        a, b = args
        raise ShapeError(
            f"{op_name}: {describe(a)} {shape_paren(shapes[0])} and {describe(b)} "
            f"{shape_paren(shapes[1])} cannot be broadcast together"
        ) from None
    result = []
    for a in args:
        if a.shape == target:
            result.append(a)
        elif a.op == "const":
            result.append(Var("const", (), np.broadcast_to(a.value, target).copy(), text=a.text))
        else:
            value = np.broadcast_to(a.value, target)  # a read-only view: no copy
            result.append(Var("broadcast", (a,), value, {"shape": target}))
    return result


# --- the functions, usable as gs.<name> ------------------------------------------------


def _unary(name: str):
    def fn(x: Any) -> Var:
        return apply(name, x)

    fn.__name__ = name
    fn.__doc__ = f"Elementwise ``{name}`` (traced).\n\n>>> {name}(var('x', 0.5)).op\n'{name}'\n"
    return fn


exp = _unary("exp")
log = _unary("log")
sin = _unary("sin")
cos = _unary("cos")
tan = _unary("tan")
tanh = _unary("tanh")
sigmoid = _unary("sigmoid")
relu = _unary("relu")
sqrt = _unary("sqrt")
abs = _unary("abs")  # noqa: A001 - mirrors the function name users write
square = _unary("square")


def ln(x: Any) -> Var:
    """The natural logarithm (same op as :func:`log`).

    >>> ln(var("x", 1.0)).op, ln(var("x", 1.0)).value
    ('log', 0.0)
    """
    return apply("log", x)


def sum(x: Any, axis: int | tuple | None = None) -> Var:  # noqa: A001
    """Sum of all elements, or along ``axis``.

    >>> sum(var("v", [1.0, 2.0, 3.0])).value
    6.0
    """
    return apply("sum", x, axis=axis)


def mean(x: Any, axis: int | tuple | None = None) -> Var:
    """Mean of all elements, or along ``axis``.

    >>> mean(var("v", [1.0, 2.0, 3.0])).value
    2.0
    """
    return apply("mean", x, axis=axis)


def _is_zero_const(x: Any) -> bool:
    if isinstance(x, Var):
        return x.op == "const" and np.all(np.asarray(x.value) == 0)
    return isinstance(x, numbers.Real) and x == 0


def max(a: Any, b: Any = None, axis: int | None = None) -> Var:  # noqa: A001
    """``max(a, b)`` elementwise (``max(0, z)`` is ReLU), or ``max(a)`` over ``axis``.

    >>> max(0, var("z", -2.0)).op, max(var("z", 3.0), 1.0).value
    ('relu', 3.0)
    """
    if b is None:
        return apply("amax", a, axis=axis)
    if _is_zero_const(a) and not _is_zero_const(b):
        return apply("relu", b)
    if _is_zero_const(b) and not _is_zero_const(a):
        return apply("relu", a)
    return apply("maximum", a, b)


def min(a: Any, b: Any = None, axis: int | None = None) -> Var:  # noqa: A001
    """``min(a, b)`` elementwise, or ``min(a)`` over ``axis``.

    >>> min(var("a", 2.0), 5.0).value
    2.0
    """
    if b is None:
        return apply("amin", a, axis=axis)
    return apply("minimum", a, b)


def dot(a: Any, b: Any) -> Var:
    """The dot product of vectors (matrix product for matrices).

    >>> dot(var("w", [1.0, 2.0]), [3.0, 4.0]).value
    11.0
    """
    return apply("dot", a, b)


def softmax(x: Any, axis: int = -1) -> Var:
    """``exp(x) / sum(exp(x))`` along ``axis`` (the last one by default).

    >>> softmax(var("z", [0.0, 0.0])).value.tolist()
    [0.5, 0.5]
    """
    return apply("softmax", x, axis=axis)


def reshape(x: Any, shape: Iterable[int] | int) -> Var:
    """The same numbers read in another shape.

    >>> reshape(var("v", [1.0, 2.0, 3.0, 4.0]), (2, 2)).shape
    (2, 2)
    """
    shape = (shape,) if isinstance(shape, numbers.Integral) else tuple(int(n) for n in shape)
    return apply("reshape", x, shape=shape)


def transpose(x: Any) -> Var:
    """The transpose, like ``x.T``.

    >>> transpose(var("A", [[1.0, 2.0, 3.0]])).shape
    (3, 1)
    """
    return _as_var(x).T


def stack(items: Iterable[Any]) -> Var:
    """Stack values of one shape along a new first axis (a list literal in strings).

    >>> stack([var("a", 1.0), var("b", 2.0)]).shape
    (2,)
    """
    items = list(items)
    if not items:
        raise InputError("stack needs at least one value")
    return apply("stack", *items)
