"""Nodes an importer makes that the op table has no entry for: ``where``, ``stop_gradient``, opaque.

Every framework importer (JAX today, ``torch.export`` later) meets three kinds of
operation the op table does not hold. Each becomes a ``composite`` node
(:mod:`graphstep.ops.composite`), whose value and local derivatives come from functions
it carries:

- :func:`where`: a choice between values by a constant mask (``jnp.where``, ``torch.where``);
  the local derivative of each case is ``diag(mask)``, exactly.
- :func:`stop_gradient`: the value passed on unchanged, with local derivative 0 (``jax.lax.
  stop_gradient``, ``Tensor.detach``): the edge into the node carries 0, so every path
  through it contributes 0.
- :func:`opaque`: anything else, with a forward function and a Jacobian function the
  framework provides (the framework differentiates that one operation at the traced
  values). Its node is marked ``opaque`` in its parameters and titled with the
  operation's name and parameters.

>>> from graphstep.build.trace import var
>>> import graphstep as gs
>>> x = var("x", 3.0)
>>> g = gs.graph(stop_gradient(x) * x)
>>> gs.grad(g, "x")   # d(c·x)/dx with c = x held fixed
3.0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from graphstep.build.trace import Var, apply, describe
from graphstep.ops import derivatives as der
from graphstep.ops.composite import COMPOSITE, composite_params
from graphstep.ops.spec import as_value

__all__ = ["where", "stop_gradient", "opaque", "title_of"]


def title_of(name: str, params: dict | None = None) -> str:
    """How an imported operation is titled: its name, then its simple parameters.

    Parameters that are not numbers, strings, booleans or tuples of those (jaxprs,
    shardings, functions) and those that are None are left out.

    Parameters
    ----------
    name : str
    params : dict, optional

    Returns
    -------
    str

    Examples
    --------
    >>> title_of("cumsum", {"axis": 0, "reverse": False, "sharding": None})
    'cumsum[axis=0, reverse=False]'
    >>> title_of("erf")
    'erf'
    """
    shown = [f"{key}={value!r}" for key, value in (params or {}).items() if _simple(value)]
    return f"{name}[{', '.join(shown)}]" if shown else name


def _simple(value: Any) -> bool:
    if isinstance(value, (tuple, list)):
        return all(_simple(v) for v in value) and len(value) <= 6
    return isinstance(value, (bool, int, float, str, np.integer, np.floating)) and not (
        isinstance(value, str) and len(value) > 24)


def _call_text(title: str, args: Sequence[Var]) -> str:
    return f"{title}({', '.join(describe(a) for a in args)})"


def where(mask: Any, cases: Sequence[Any]) -> Var:
    """``cases[mask]`` entry by entry: case ``k`` where the (constant) mask equals ``k``.

    A boolean mask picks ``cases[1]`` where it is true (``jax.lax.select_n``'s order;
    ``jnp.where(c, a, b)`` is ``select_n(c, b, a)``). Constant cases stay inside the
    node; each traced case is an argument whose local derivative is ``diag(mask == k)``.

    Parameters
    ----------
    mask : bool or int array_like
        Which case each entry takes; a scalar applies to every entry.
    cases : sequence of Var or array_like
        Values of one shape; at least one is a traced :class:`~graphstep.build.trace.Var`.

    Returns
    -------
    Var
        A ``composite`` node titled ``where``.

    Examples
    --------
    >>> from graphstep.build.trace import var
    >>> x = var("x", [-1.0, 2.0])
    >>> y = where(np.array([False, True]), [np.zeros(2), x])
    >>> y.value.tolist(), y.params["title"]
    ([0.0, 2.0], 'where')
    >>> import graphstep as gs
    >>> gs.grad(gs.graph(gs.sum(y)), "x").tolist()
    [0.0, 1.0]
    """
    index = np.asarray(mask).astype(int)
    traced = [k for k, case in enumerate(cases) if isinstance(case, Var)]
    fixed = {k: as_value(np.asarray(case, dtype=float)) for k, case in enumerate(cases)
             if not isinstance(case, Var)}

    def values(args: tuple) -> list:
        found = dict(fixed)
        found.update(zip(traced, args))
        return [found[k] for k in range(len(cases))]

    def forward(args: tuple) -> Any:
        chosen = values(args)
        shape = np.broadcast_shapes(index.shape, *(np.shape(v) for v in chosen))
        return np.choose(np.broadcast_to(index, shape), [np.broadcast_to(v, shape) for v in chosen])

    def jacobian(pos: int, args: tuple, out: Any) -> Any:
        picked = np.broadcast_to(index == traced[pos], np.shape(out)).astype(float)
        if np.shape(out) == ():
            return float(picked)
        return der.Diagonal(picked, f"diag([mask = {traced[pos]}])")

    args = [cases[k] for k in traced]
    params = composite_params(forward, jacobian, "where", mask=index)
    return apply(COMPOSITE, *args, text=_call_text("where", args), **params)


def stop_gradient(x: Var) -> Var:
    """``x``'s value, passed on with local derivative 0.

    Parameters
    ----------
    x : Var

    Returns
    -------
    Var
        A ``composite`` node titled ``stop_gradient``; its incoming edge carries 0.

    Examples
    --------
    >>> from graphstep.build.trace import var
    >>> s = stop_gradient(var("v", [1.0, 2.0]))
    >>> s.value.tolist(), s.params["title"]
    ([1.0, 2.0], 'stop_gradient')
    """
    def jacobian(pos: int, args: tuple, out: Any) -> Any:
        shape = np.shape(out)
        return 0.0 if shape == () else der.Scale(0.0, shape, "0")

    params = composite_params(lambda args: args[0], jacobian, "stop_gradient")
    return apply(COMPOSITE, x, text=_call_text("stop_gradient", [x]), **params)


def opaque(args: Sequence[Var], forward: Callable, jacobian: Callable, title: str,
           **more: Any) -> Var:
    """A node for an operation the op table does not know, with the framework's derivatives.

    Parameters
    ----------
    args : sequence of Var
        The traced arguments (constants are kept inside ``forward`` and ``jacobian``).
    forward : callable
        ``forward(values) -> value``.
    jacobian : callable
        ``jacobian(pos, values, out) -> array`` of shape ``(out.size, values[pos].size)``
        (numerator layout), or a float between scalars.
    title : str
        The operation as pictures and text name it (:func:`title_of`).
    **more
        Kept in the node's parameters (the primitive's name and parameters).

    Returns
    -------
    Var
        A ``composite`` node whose parameters say ``opaque=True``.

    Examples
    --------
    >>> from graphstep.build.trace import var
    >>> x = var("x", 0.5)
    >>> y = opaque([x], lambda a: np.arctan(a[0]), lambda pos, a, out: 1 / (1 + a[0] ** 2),
    ...            "atan")
    >>> round(y.value, 4), y.params["opaque"]
    (0.4636, True)
    >>> import graphstep as gs
    >>> gs.grad(gs.graph(y), "x")
    0.8
    """
    params = composite_params(forward, jacobian, title, opaque=True, **more)
    return apply(COMPOSITE, *args, text=_call_text(title, args), **params)
