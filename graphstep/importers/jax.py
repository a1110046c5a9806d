"""``gs.from_jax``: a JAX function read as a graphstep graph, through ``jax.make_jaxpr``.

JAX traces the function at the example arguments (``jax.make_jaxpr``, a public API) into
a jaxpr: a list of equations, each one primitive applied to earlier values. graphstep
reads the equations in order and makes one node per equation through
:data:`~graphstep.importers.jax_table.PRIMITIVES`:

- a mapped primitive becomes the graphstep op (``logistic`` is ``sigmoid``,
  ``dot_general`` of vectors and matrices is ``@``); the graph's local derivatives are
  then graphstep's own;
- nested calls (``jit``, ``custom_jvp_call`` for ``relu``, ``custom_vjp_call``,
  ``closed_call``, the branch a ``cond`` takes) are read in place, grouped in a block
  named after the call (:func:`graphstep.block`), as are ``jax.named_scope`` names;
- an equation whose inputs are all constants is computed once and is a constant, and
  so is one with a non-float result (a comparison: its derivative is 0);
- any other primitive becomes an *opaque* node titled ``jax.<primitive>[parameters]``
  (``jax.erf``, ``jax.cumsum[axis=0, reverse=False]``), whose local derivatives JAX computes
  for that one equation at the traced values.

Inputs are named from the function's signature (or ``argnames``); the leaves of a pytree
argument by their path (``params["W1"]`` is the input ``params.W1``). Integer and boolean
leaves (class labels) are constants. ``jax.ad_checkpoint.checkpoint_name(h, "h")`` names
an intermediate.

JAX runs in 64-bit floats while it reads the function, inside JAX's own
``jax.enable_x64`` context manager; the user's setting is left as it was.

>>> import jax.numpy as jnp
>>> import graphstep as gs
>>> g = from_jax(lambda x: x * jnp.exp(x**2), 1.5)
>>> round(gs.grad(g, "x"), 3), g.inputs
(52.183, ['x'])
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from typing import Any

import numpy as np

from graphstep.build.coerce import coerce_number
from graphstep.build.scope import block, current_scope
from graphstep.build.trace import Var
from graphstep.errors import GraphstepError, InputError
from graphstep.graph import Graph, graph
from graphstep.importers import nodes
from graphstep.importers.jax_eval import bind, equation_jacobian, float64, load_jax, to_numpy
from graphstep.importers.jax_table import PRIMITIVES
from graphstep.ops.spec import INPUT, as_value

__all__ = ["from_jax", "TraceError", "input_names"]


class TraceError(InputError):
    """JAX could not trace the function (Python control flow on traced values, ...).

    The message gives JAX's reason.

    Examples
    --------
    >>> issubclass(TraceError, GraphstepError)
    True
    """


def from_jax(f: Callable, *example_args: Any, argnames: Sequence[str] | None = None) -> Graph:
    """The graph of JAX function ``f`` at ``example_args``.

    Parameters
    ----------
    f : callable
        A function of JAX arrays (``jax.numpy``, ``jax.nn``, ``jax.lax``) returning one array.
    *example_args : float, array_like or pytree
        The values at which to read it (dicts, lists and tuples of arrays are pytrees).
    argnames : sequence of str, optional
        The arguments' names (default: from ``f``'s signature).

    Returns
    -------
    Graph
        Its inputs are the float leaves of the arguments, named ``x`` or ``params.W1``.

    Raises
    ------
    InputError
        When JAX is not installed (the message says ``pip install graphstep[jax]``), when
        ``f`` returns more or less than one float array, or an argument is not numbers.
    TraceError
        When JAX cannot trace ``f``; the message gives JAX's reason.

    Examples
    --------
    >>> import jax
    >>> import graphstep as gs
    >>> def neuron(w, x, b):
    ...     return jax.nn.sigmoid(w @ x + b)
    >>> g = from_jax(neuron, np.array([1.0, -2.0]), np.array([0.5, 0.25]), 0.1)
    >>> g.inputs, round(g.value, 4)
    (['w', 'x', 'b'], 0.525)
    """
    jax = load_jax()
    names = input_names(f, len(example_args), argnames)
    leaves: list[tuple[str, Any]] = []
    traced_args = []
    with float64():
        for name, arg in zip(names, example_args):
            flat, tree = jax.tree_util.tree_flatten_with_path(arg)
            values = []
            for path, leaf in flat:
                leaf_name = name + _path_text(jax, path)
                value = _leaf_value(leaf, leaf_name)
                leaves.append((leaf_name, value))
                values.append(value)
            traced_args.append(jax.tree_util.tree_unflatten(tree, values))
        closed = _trace(jax, f, traced_args)
        env_args = [_input(name, value) for name, value in leaves]
        reader = _Reader()
        outputs = reader.read(closed.jaxpr, [to_numpy(c) for c in closed.consts], env_args)
    if len(outputs) != 1:
        raise InputError(f"{_name_of(f)} returns {len(outputs)} arrays; graphstep reads a "
                         f"function with one output (return a tuple's entry, or their sum)")
    out = outputs[0]
    if not isinstance(out, Var):
        value = np.asarray(out)
        if not np.issubdtype(value.dtype, np.floating):
            raise InputError(f"{_name_of(f)} returns {value.dtype} values; graphstep needs floats")
        raise InputError(f"{_name_of(f)} does not depend on its float arguments "
                         f"(it is the constant {value.tolist()!r}); nothing to differentiate")
    return graph(out)


def input_names(f: Callable, count: int, argnames: Sequence[str] | None = None) -> list[str]:
    """The names of ``f``'s first ``count`` positional arguments (``args0`` for ``*args``).

    Parameters
    ----------
    f : callable
    count : int
    argnames : sequence of str, optional
        Names given by the user; they win.

    Returns
    -------
    list of str

    Raises
    ------
    InputError
        When ``argnames`` does not name ``count`` arguments, or a name is not an identifier.

    Examples
    --------
    >>> input_names(lambda W, x, *rest: 0, 4)
    ['W', 'x', 'rest0', 'rest1']
    >>> input_names(max, 2)
    ['x0', 'x1']
    """
    if argnames is not None:
        names = [argnames] if isinstance(argnames, str) else list(argnames)
        if len(names) != count or not all(isinstance(n, str) and n.isidentifier() for n in names):
            raise InputError(f"argnames {names!r}: give one identifier per example argument "
                             f"({count})")
        return names
    try:
        parameters = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        parameters = []
    names = []
    for p in parameters:
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            names.append(p.name)
        elif p.kind == p.VAR_POSITIONAL:
            names += [f"{p.name}{k}" for k in range(count - len(names))]
    names = names[:count]
    return names + [f"x{k}" for k in range(len(names), count)]


def _name_of(f: Callable) -> str:
    return getattr(f, "__name__", type(f).__name__)


def _path_text(jax: Any, path: tuple) -> str:
    """``params["W1"]`` -> ``.W1``, ``layers[0]["b"]`` -> ``.0.b``."""
    return "".join("." + jax.tree_util.keystr((key,), simple=True) for key in path)


def _leaf_value(leaf: Any, name: str) -> Any:
    """A float leaf as float64 (it becomes an input); an integer or boolean leaf unchanged."""
    array = np.asarray(leaf)
    if array.dtype.kind in "biu":
        return array
    if array.dtype.kind != "f":
        raise InputError(f"argument {name}: expected real numbers, got {array.dtype} values")
    return array.astype(np.float64)


def _input(name: str, value: Any) -> Any:
    if np.asarray(value).dtype.kind != "f":
        return value  # labels, indices: a constant
    return Var(INPUT, (), coerce_number(value, f"input {name}"), name=name, text=name)


def _trace(jax: Any, f: Callable, args: list) -> Any:
    try:
        return jax.make_jaxpr(f)(*args)
    except GraphstepError:
        raise
    except Exception as error:  # the user's code or JAX refused: say why, in one line
        reason = " ".join(str(error).split("\n")[0].split())
        raise TraceError(f"JAX cannot trace {_name_of(f)}: {type(error).__name__}: "
                         f"{reason}") from error


class _Reader:
    """Reads a jaxpr's equations into traced Vars (one reader per import)."""

    def __init__(self) -> None:
        self.blocks: dict[tuple, int] = {}
        self.literal = importlib.import_module("jax.extend.core").Literal

    def read(self, jaxpr: Any, consts: list, args: list) -> list:
        """Read ``jaxpr`` with its constants and arguments; return its outputs."""
        env: dict[Any, Any] = {}
        for v, value in zip(jaxpr.constvars, consts):
            env[v] = value
        for v, value in zip(jaxpr.invars, args):
            env[v] = value
        for eqn in jaxpr.eqns:
            names = _scope_names(eqn)
            with block(".".join(names)) if names else nullcontext():
                results = self.equation(eqn, [self.lookup(env, v) for v in eqn.invars])
            for v, value in zip(eqn.outvars, results):
                env[v] = value
        return [self.lookup(env, v) for v in jaxpr.outvars]

    def lookup(self, env: dict, v: Any) -> Any:
        """A jaxpr variable's value; a literal's own value."""
        return to_numpy(v.val) if isinstance(v, self.literal) else env[v]

    def equation(self, eqn: Any, args: list) -> list:
        """The values of one equation's outputs: Vars, or constants."""
        traced = any(isinstance(a, Var) for a in args)
        if not traced:
            return [to_numpy(v) for v in bind(eqn, args)]
        if not all(np.issubdtype(v.aval.dtype, np.floating) for v in eqn.outvars):
            return [to_numpy(v) for v in bind(eqn, [_value(a) for a in args])]
        rule = PRIMITIVES.get(eqn.primitive.name)
        if rule is not None and rule.inline is not None:
            inner, inner_args = rule.inline(args, eqn.params)
            name = self.block_name(rule.block(eqn.params))
            with block(name) if name else nullcontext():
                consts = [to_numpy(c) for c in getattr(inner, "consts", ())]  # a closed jaxpr's
                return self.read(getattr(inner, "jaxpr", inner), consts, inner_args)
        if rule is not None and len(eqn.outvars) == 1:
            shape = tuple(eqn.outvars[0].aval.shape)
            built = rule.build(args, eqn.params, shape)
            if built is not None:
                return [built]
        return [_opaque(eqn, args, k) for k in range(len(eqn.outvars))]

    def block_name(self, name: str | None) -> str | None:
        """A block for a call: its name, numbered from the second call in the same block."""
        if not name or not name.isidentifier() or name.startswith("_"):
            return None
        scope = current_scope()
        if scope and scope[-1] == name:
            return None  # jit(relu) inside custom_jvp_call(relu): one block
        count = self.blocks[scope + (name,)] = self.blocks.get(scope + (name,), 0) + 1
        return name if count == 1 else f"{name}_{count}"


def _scope_names(eqn: Any) -> list[str]:
    """``jax.named_scope`` names kept on the equation (relative to the enclosing call)."""
    stack = str(getattr(eqn.source_info, "name_stack", "") or "")
    return [part for part in stack.split("/") if part.isidentifier()]


def _value(x: Any) -> Any:
    return x.value if isinstance(x, Var) else x


def _opaque(eqn: Any, args: list, output: int) -> Var:
    """A primitive graphstep does not map: JAX computes its value and local derivatives."""
    positions = [k for k, a in enumerate(args) if isinstance(a, Var)]
    fixed = [None if isinstance(a, Var) else a for a in args]
    name = eqn.primitive.name

    def full(values: tuple) -> list:
        inputs = list(fixed)
        for k, value in zip(positions, values):
            inputs[k] = value
        return inputs

    def forward(values: tuple) -> Any:
        with float64():
            return as_value(to_numpy(bind(eqn, full(values))[output]))

    def jacobian(pos: int, values: tuple, out: Any) -> Any:
        with float64():
            matrix = equation_jacobian(eqn, full(values), positions[pos], output)
        return float(matrix[0, 0]) if np.ndim(out) == 0 and np.ndim(values[pos]) == 0 else matrix

    title = "jax." + nodes.title_of(name, eqn.params)  # marked: JAX's own primitive
    if len(eqn.outvars) > 1:
        title += f"[{output}]"
    return nodes.opaque([args[k] for k in positions], forward, jacobian, title, primitive=name)
