"""The composite op: a node whose value and local derivatives come from functions it carries.

Most nodes are ops of the table, whose derivatives the table knows. Two kinds of node
are not: a collapsed block (many nodes drawn as one, whose edges carry the block's
total derivative) and a node imported from another framework whose primitive has no
table entry. Both are a ``composite`` node: its parameters hold

- ``forward(args) -> value``: the value from the arguments' values;
- ``jacobian(pos, args, out) -> Jacobian | float | array``: the local derivative of the
  output with respect to argument ``pos`` (an array is read as a dense numerator-layout
  matrix ``out.size x arg.size``);
- ``title``: what the node is called in pictures and text (``layer1``, ``erf``);

and optionally

- ``definition``: what a picture writes after the node's label (``layer1(x, W1)``,
  ``2·x``; default: the title applied to the arguments' labels);
- ``formulas``: one text per argument, the formula written on that edge (default: the
  local derivative's own formula).

>>> from graphstep.build.trace import apply, var
>>> from graphstep.ops.table import OPS
>>> x = var("x", 2.0)
>>> params = composite_params(lambda a: a[0] ** 3, lambda pos, a, out: 3 * a[0] ** 2, "cube")
>>> y = apply(COMPOSITE, x, text="cube(x)", **params)
>>> y.value, y.op
(8.0, 'composite')
>>> OPS["composite"].jacobian(0, (2.0,), 8.0, y.params, ("x", "y"))
12.0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from graphstep.ops import jacobians as jac
from graphstep.ops.spec import Kind, OpSpec, as_value

__all__ = ["COMPOSITE", "FOLDED", "CompositeSpec", "composite_spec", "composite_jacobian", "composite_params"]

#: The op's name (a key of :data:`graphstep.ops.table.OPS`).
COMPOSITE = "composite"

#: Parameter of a constant leaf standing for a folded sub-graph: how many nodes it folds
#: (:func:`graphstep.focus`); pictures write ``⋯ 12 nodes folded`` beside its label.
FOLDED = "folded"


def composite_params(forward: Callable, jacobian: Callable, title: str, **more: Any) -> dict:
    """The parameters of a composite node (see the module's docstring).

    Parameters
    ----------
    forward, jacobian : callable
    title : str
    **more
        Anything else the node's maker keeps (the block's inner nodes, the primitive's parameters).

    Returns
    -------
    dict

    Examples
    --------
    >>> sorted(composite_params(abs, abs, "f", scope="a"))
    ['forward', 'jacobian', 'scope', 'title']
    """
    return {"forward": forward, "jacobian": jacobian, "title": title, **more}


def composite_jacobian(pos: int, args: tuple, out: Any, params: dict, labels: tuple) -> Any:
    """The local derivative of argument ``pos``, from the node's own ``jacobian`` function.

    A float stays a float between scalars; an array is a :class:`~graphstep.ops.jacobians.Dense`
    matrix named after the node (``∂layer1/∂x``).

    Parameters
    ----------
    pos : int
    args : tuple
        The arguments' values.
    out : float or numpy.ndarray
        The node's value.
    params : dict
        The node's parameters (:func:`composite_params`).
    labels : tuple of str
        The arguments' labels, then the node's.

    Returns
    -------
    float or Jacobian

    Examples
    --------
    >>> p = composite_params(None, lambda pos, a, out: np.ones((2, 1)), "f")
    >>> composite_jacobian(0, (1.0,), np.zeros(2), p, ("x", "u1")).formula
    '∂u1/∂x'
    """
    result = params["jacobian"](pos, args, out)
    if isinstance(result, jac.Jacobian):
        return result
    in_shape, out_shape = np.shape(args[pos]), np.shape(out)
    if in_shape == () and out_shape == ():
        return float(np.asarray(result, dtype=float).reshape(()))
    formulas = params.get("formulas")
    name = formulas[pos] if formulas else f"∂{labels[-1]}/∂{labels[pos]}"
    return jac.Dense(result, in_shape, out_shape, name)


def _forward(args: tuple, params: dict) -> Any:
    return as_value(params["forward"](args))


class CompositeSpec(OpSpec):
    """The composite op's entry: written with the node's own ``definition`` or ``title``.

    Examples
    --------
    >>> spec = composite_spec()
    >>> spec.write(["x", "W1"], [6, 6], {"title": "layer1"}), spec.write(["x"], [6], {"definition": "2*x"})
    ('layer1(x, W1)', '2*x')
    """

    def write(self, texts: list[str], precs: list[int], params: dict | None) -> str:
        """The node as text: its ``definition``, else its ``title`` applied to ``texts``.

        Parameters
        ----------
        texts : list of str
        precs : list of int
        params : dict or None

        Returns
        -------
        str
        """
        params = params or {}
        if params.get("definition"):
            return params["definition"]
        return f"{params.get('title', COMPOSITE)}({', '.join(texts)})"


def composite_spec() -> OpSpec:
    """The table entry of the composite op (structural, any number of arguments).

    Returns
    -------
    OpSpec

    Examples
    --------
    >>> composite_spec().variadic
    True
    """
    return CompositeSpec(
        name=COMPOSITE, kind=Kind.STRUCTURAL, arity=1, variadic=True, text="composite({0})",
        forward=_forward, jacobian=composite_jacobian, latex=r"\operatorname{{composite}}({0})",
    )

