"""The JAX table: each JAX primitive graphstep maps, and what it becomes, in one place.

:data:`PRIMITIVES` maps a primitive's name to a :class:`Rule`. A rule either *builds*
graphstep nodes from the equation's arguments (traced :class:`~graphstep.build.trace.Var`
values, or constants as numpy values) and its parameters, or *inlines* a nested jaxpr
(``jit``, ``custom_jvp_call``, ...) under a block named after the call. A builder may
return None when this use of the primitive has no graphstep form (a ``dot_general``
with batch axes); the importer then makes an opaque node whose derivatives JAX
provides, as it does for every primitive missing from the table.

A PyTorch importer would get its own table of the same shape (``torch.ops.aten``
overloads to rules), reusing :mod:`graphstep.importers.nodes`.

>>> sorted(PRIMITIVES)[:4]
['abs', 'add', 'add_any', 'broadcast_in_dim']
>>> PRIMITIVES["logistic"].op
'sigmoid'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from graphstep.build.trace import Var, apply
from graphstep.importers import nodes
from graphstep.ops.table import CONST

__all__ = ["Rule", "PRIMITIVES", "mapped", "inlined"]


@dataclass(frozen=True)
class Rule:
    """What one primitive becomes.

    Attributes
    ----------
    build : callable or None
        ``build(args, params, out_shape) -> Var | None`` (None: no graphstep form here).
    inline : callable or None
        ``inline(args, params) -> (closed jaxpr, args)``: the nested computation to read.
    block : callable or None
        ``block(params) -> str | None``: the block the inlined equations are grouped under.
    op : str
        The graphstep op it maps to, for the documentation (``"sigmoid"``, ``"matmul"``).
    """

    build: Callable | None = None
    inline: Callable | None = None
    block: Callable | None = None
    op: str = ""


def _is_const(x: Any) -> bool:
    return not isinstance(x, Var)


def _const_equal(x: Any, number: float) -> bool:
    """``x`` is a constant whose every entry is ``number``."""
    if isinstance(x, Var):
        return x.op == CONST and np.all(np.asarray(x.value) == number)
    return np.size(x) > 0 and bool(np.all(np.asarray(x) == number))


def op(name: str, arity: int = 1) -> Rule:
    """A primitive that is graphstep op ``name`` on the same arguments."""
    if arity == 2:
        return Rule(build=lambda args, params, shape: apply(name, *_unbroadcast(args, shape)),
                    op=name)
    return Rule(build=lambda args, params, shape: apply(name, *args[:arity]), op=name)


def _unbroadcast(args: list, shape: tuple) -> list:
    """Drop JAX's explicit broadcasts (``b`` to ``1x4``) that numpy's rules make again.

    graphstep inserts one broadcast node per operand whose shape differs; a JAX
    ``broadcast_in_dim`` that only adds leading axes would be a second one.
    """
    sources = [a.args[0] if isinstance(a, Var) and a.op == "broadcast" else a for a in args]
    try:
        fits = np.broadcast_shapes(*(np.shape(_value(a)) for a in sources)) == shape
    except ValueError:
        fits = False
    return sources if fits else list(args)


def _value(x: Any) -> Any:
    return x.value if isinstance(x, Var) else x


def _pass(args: list, params: dict, shape: tuple) -> Var:
    return args[0]


def _extreme(name: str, absorbing: float) -> Rule:
    """``max``/``min``: against ``∓inf`` the other value itself; ``max(x, 0)`` is ``relu``."""
    def build(args, params, shape):
        a, b = args
        for this, other in ((a, b), (b, a)):
            if _const_equal(this, absorbing) and np.shape(other) == shape:
                return other
            if (name == "maximum" and _const_equal(this, 0.0) and np.size(this) == 1
                    and np.shape(other) == shape):
                return apply("relu", other)
        return apply(name, a, b)
    return Rule(build=build, op=name)


def _integer_pow(args, params, shape):
    y = int(params["y"])
    return apply("square", args[0]) if y == 2 else apply("pow", args[0], float(y))


def _reduce(name: str) -> Rule:
    def build(args, params, shape):
        axes = tuple(int(a) for a in params["axes"])
        ndim = np.ndim(args[0].value)
        if not axes:
            return args[0]
        axis = None if sorted(axes) == list(range(ndim)) else (axes[0] if len(axes) == 1 else axes)
        return apply(name, args[0], axis=axis)
    return Rule(build=build, op=name)


def _broadcast_in_dim(args, params, shape):
    """numpy broadcasting aligns trailing axes: reshape first when JAX maps axes elsewhere."""
    x = args[0]
    shape = tuple(int(n) for n in params["shape"])
    in_shape = np.shape(x.value)
    aligned = [1] * len(shape)
    for axis, n in zip(params["broadcast_dimensions"], in_shape):
        aligned[axis] = n
    aligned = tuple(aligned)
    lead = len(shape) - len(in_shape)
    if in_shape and aligned[lead:] != in_shape or any(n != 1 for n in aligned[:lead]):
        x = apply("reshape", x, shape=aligned)
    return x if np.shape(x.value) == shape else apply("broadcast", x, shape=shape)


def _reshape(args, params, shape):
    if params.get("dimensions") is not None:
        return None
    return args[0] if np.shape(args[0].value) == shape else apply("reshape", args[0], shape=shape)


def _same_numbers(args, params, shape):
    """``squeeze`` and ``expand_dims``: the same numbers with axes of length 1 dropped or added."""
    return apply("reshape", args[0], shape=shape)


def _transpose(args, params, shape):
    permutation = tuple(params["permutation"])
    if permutation == tuple(range(len(permutation))):
        return args[0]
    if permutation == tuple(reversed(range(len(permutation)))):
        return apply("transpose", args[0])
    return None


def _dot_general(args, params, shape):
    """Vectors and matrices as graphstep's ``@``: transpose a matrix whose contracted axis is off."""
    (lhs_c, rhs_c), (lhs_b, rhs_b) = params["dimension_numbers"]
    a, b = args
    na, nb = np.ndim(_value(a)), np.ndim(_value(b))
    if lhs_b or rhs_b or len(lhs_c) != 1 or len(rhs_c) != 1 or not (1 <= na <= 2 and 1 <= nb <= 2):
        return None
    if na == 2 and lhs_c[0] == 0:
        a = apply("transpose", a) if isinstance(a, Var) else np.transpose(a)
    if nb == 2 and rhs_c[0] == 1:
        b = apply("transpose", b) if isinstance(b, Var) else np.transpose(b)
    return apply("matmul", a, b)


def _select_n(args, params, shape):
    if not _is_const(args[0]):
        return None
    return nodes.where(args[0], args[1:])


def _stop_gradient(args, params, shape):
    return nodes.stop_gradient(args[0])


def _named(args, params, shape):
    """``checkpoint_name(x, "h")``: the traced value takes the name (an input keeps its own)."""
    x = args[0]
    if x.op not in ("input", CONST) and str(params["name"]).isidentifier():
        x.name = str(params["name"])
    return x


def _convert(args, params, shape):
    return args[0] if np.issubdtype(np.dtype(params["new_dtype"]), np.floating) else None


def _call(key: str) -> Callable:
    return lambda args, params: (params[key], args)


def _call_name(params: dict) -> str | None:
    name = params.get("name")
    return str(name) if name is not None else None


def _cond(args, params):
    """The branch taken at the traced values (the index is a constant), read like a call."""
    index = int(np.clip(np.asarray(args[0]).astype(int), 0, len(params["branches"]) - 1))
    return params["branches"][index], args[1:]


def _inline(key: str, block: Callable = _call_name) -> Rule:
    return Rule(inline=_call(key), block=block, op="(inlined)")


#: Every JAX primitive graphstep maps; the others become opaque nodes.
PRIMITIVES: dict[str, Rule] = {
    # elementwise, one to one
    "add": op("add", 2), "add_any": op("add", 2), "sub": op("sub", 2), "mul": op("mul", 2),
    "div": op("div", 2), "pow": op("pow", 2), "neg": op("neg"), "exp": op("exp"),
    "log": op("log"), "log1p": op("log1p"), "sin": op("sin"), "cos": op("cos"),
    "tan": op("tan"), "tanh": op("tanh"), "logistic": op("sigmoid"), "sqrt": op("sqrt"),
    "abs": op("abs"), "square": op("square"),
    "rsqrt": Rule(build=lambda args, params, shape: apply("pow", args[0], -0.5), op="pow"),
    "integer_pow": Rule(build=_integer_pow, op="pow"),
    "max": _extreme("maximum", -np.inf), "min": _extreme("minimum", np.inf),
    # structural
    "dot_general": Rule(build=_dot_general, op="matmul"),
    "reduce_sum": _reduce("sum"), "reduce_max": _reduce("amax"), "reduce_min": _reduce("amin"),
    "broadcast_in_dim": Rule(build=_broadcast_in_dim, op="broadcast"),
    "reshape": Rule(build=_reshape, op="reshape"),
    "squeeze": Rule(build=_same_numbers, op="reshape"),
    "expand_dims": Rule(build=_same_numbers, op="reshape"),
    "transpose": Rule(build=_transpose, op="transpose"),
    "convert_element_type": Rule(build=_convert, op="(the value itself)"),
    "copy": Rule(build=_pass, op="(the value itself)"),
    "name": Rule(build=_named, op="(names the value)"),
    "select_n": Rule(build=_select_n, op="where"),
    "stop_gradient": Rule(build=_stop_gradient, op="stop_gradient"),
    # nested computations, read in place under a block
    "jit": _inline("jaxpr"), "pjit": _inline("jaxpr"), "closed_call": _inline("call_jaxpr"),
    "custom_jvp_call": _inline("call_jaxpr"), "custom_vjp_call": _inline("call_jaxpr"),
    "checkpoint": _inline("jaxpr", block=lambda params: None),
    "remat2": _inline("jaxpr", block=lambda params: None),
    "cond": Rule(inline=_cond, block=lambda params: "cond", op="(the branch taken)"),
}


def mapped() -> list[str]:
    """The primitives that become graphstep ops (not inlined), sorted.

    Returns
    -------
    list of str

    Examples
    --------
    >>> "dot_general" in mapped(), "jit" in mapped()
    (True, False)
    """
    return sorted(name for name, rule in PRIMITIVES.items() if rule.build is not None)


def inlined() -> list[str]:
    """The primitives whose nested jaxpr is read in place, sorted.

    Returns
    -------
    list of str

    Examples
    --------
    >>> inlined()[:3]
    ['checkpoint', 'closed_call', 'cond']
    """
    return sorted(name for name, rule in PRIMITIVES.items() if rule.inline is not None)
