"""Random exercises: a fresh expression from the op table, with in-domain values, that
fits a page.

:func:`random_expression` grows a tree from the elementwise ops of
:data:`graphstep.ops.table.OPS` that ``ops`` names (functions such as ``sin``, ``exp``
and the operators ``+ - * / ^``), with leaves drawn from the inputs and small integer
constants, then parses it at input values drawn from the same generator (one decimal,
in ``[0.2, 2.0]``) with ``strict=True``. A draw whose graph has a value or derivative
outside its op's domain, more than :data:`MAX_NODES` nodes, or no input is discarded
and drawn again; the same seed always gives the same expression and values.

>>> text, values = random_expression(["sin", "exp", "*", "+"], depth=3, seed=1)
>>> text == random_expression(["sin", "exp", "*", "+"], depth=3, seed=1)[0]
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np

from graphstep.build.parse import parse
from graphstep.errors import GraphstepError, InputError
from graphstep.graph import Graph
from graphstep.ops.spec import Kind
from graphstep.ops.table import OPS

__all__ = ["random_expression", "random_graph", "allowed_ops", "OPERATORS", "MAX_NODES", "MAX_DEPTH",
           "DEFAULT_OPS"]

#: The operators an exercise may use, and the op of the table each one is.
OPERATORS = {"+": "add", "-": "sub", "*": "mul", "/": "div", "^": "pow"}
#: Most nodes of a random exercise's graph (it has to fit a page, with its blanks).
MAX_NODES = 14
#: Deepest tree asked for.
MAX_DEPTH = 5
#: The ops used when none are named.
DEFAULT_OPS = ("sin", "exp", "*", "+")
_TRIES = 500


def allowed_ops() -> dict[str, int]:
    """Every name ``ops`` may hold, with its number of arguments: the operators and the
    names of the elementwise functions of the op table.

    Returns
    -------
    dict of str to int

    Examples
    --------
    >>> ops = allowed_ops()
    >>> ops["sin"], ops["*"], ops["max"], "sum" in ops
    (1, 2, 2, False)
    """
    found = {symbol: OPS[name].arity for symbol, name in OPERATORS.items() if name in OPS}
    for spec in OPS.values():
        if spec.kind is Kind.ELEMENTWISE:
            for name in spec.names:
                found[name] = spec.arity
    return found


def _check_ops(ops: Iterable[str] | str) -> list[str]:
    if isinstance(ops, str):
        ops = ops.split(",")
    names = [str(op).strip() for op in ops if str(op).strip()]
    allowed = allowed_ops()
    unknown = [op for op in names if op not in allowed]
    if unknown:
        raise InputError(f"--ops: {', '.join(map(repr, unknown))} not in the op table; choose from "
                         + ", ".join(allowed))
    if not names:
        raise InputError("--ops: name at least one op, e.g. --ops 'sin,exp,*,+'")
    return list(dict.fromkeys(names))


def _grow(rng: np.random.Generator, ops: list[str], arity: dict[str, int], depth: int,
          inputs: tuple[str, ...]) -> tuple[str, bool]:
    """A random expression of at most ``depth`` levels of ops, and whether it is a
    binary operation (which needs parentheses as an operand)."""
    if depth == 0 or (depth < 3 and rng.random() < 0.25):
        if rng.random() < 0.8:
            return str(inputs[int(rng.integers(len(inputs)))]), False
        return str(int(rng.integers(2, 4))), False
    op = ops[int(rng.integers(len(ops)))]
    if op == "^":
        base, binary = _grow(rng, ops, arity, depth - 1, inputs)
        return f"{_operand(base, binary)}^{int(rng.integers(2, 4))}", True
    if op in OPERATORS:
        left = _operand(*_grow(rng, ops, arity, depth - 1, inputs))
        right = _operand(*_grow(rng, ops, arity, depth - 1, inputs))
        return f"{left} {op} {right}", True
    args = [_grow(rng, ops, arity, depth - 1, inputs)[0] for _ in range(arity[op])]
    return f"{op}({', '.join(args)})", False


def _operand(text: str, binary: bool) -> str:
    return f"({text})" if binary else text


def _fits(g: Graph) -> bool:
    """Small enough, with an input, a finite value, and every op depending on an input."""
    if not (2 <= len(g) <= MAX_NODES and g.inputs and np.all(np.isfinite(g.value))):
        return False
    return all(g.active[n] for n in range(len(g)) if g.op(n) not in ("input", "const", "broadcast"))


def random_graph(ops: Iterable[str] | str = DEFAULT_OPS, depth: int = 3, seed: Any = 0,
                 inputs: tuple[str, ...] = ("x", "y")) -> tuple[str, Graph]:
    """A random expression and its graph (see :func:`random_expression`).

    Parameters
    ----------
    ops : iterable of str or str
        Op names, or one comma-separated string.
    depth : int
        Levels of ops, 1 to :data:`MAX_DEPTH`.
    seed : int or sequence of int
        The generator's seed (``(seed, student)`` gives each student their own draw).
    inputs : tuple of str
        The input names leaves are drawn from.

    Returns
    -------
    tuple of (str, Graph)

    Raises
    ------
    InputError
        For unknown ops, a bad depth, or when no draw fits (a rare combination).

    Examples
    --------
    >>> text, g = random_graph("sin,*,+", depth=2, seed=4)
    >>> len(g) <= MAX_NODES, set(g.inputs) <= {"x", "y"}
    (True, True)
    """
    names = _check_ops(ops)
    if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= MAX_DEPTH:
        raise InputError(f"--depth must be a whole number from 1 to {MAX_DEPTH}, got {depth!r}")
    arity = allowed_ops()
    try:
        rng = np.random.default_rng(seed)
    except (TypeError, ValueError):
        raise InputError(f"a seed is a whole number 0 or more (or a tuple of them), got {seed!r}") from None
    for _ in range(_TRIES):
        text = _grow(rng, names, arity, depth, tuple(inputs))[0]
        values = {name: round(float(rng.uniform(0.2, 2.0)), 1) for name in inputs}
        try:
            g = parse(text, strict=True, **{k: v for k, v in values.items() if _mentions(text, k)})
        except GraphstepError:
            continue
        if _fits(g):
            return text, g
    raise InputError(f"no expression of depth {depth} from {', '.join(names)} fits a page with in-domain "
                     f"values after {_TRIES} draws; change --ops or --depth")


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z_0-9]){re.escape(name)}(?![A-Za-z_0-9(])", text) is not None


def random_expression(ops: Iterable[str] | str = DEFAULT_OPS, depth: int = 3, seed: Any = 0,
                      inputs: tuple[str, ...] = ("x", "y")) -> tuple[str, dict[str, float]]:
    """A random expression from the op table and in-domain values for its inputs.

    Parameters
    ----------
    ops : iterable of str or str
        Functions of the op table (``sin``, ``exp``, ``log``, ``max`` ...) and operators
        (``+ - * / ^``), or one comma-separated string.
    depth : int
        Levels of ops, 1 to :data:`MAX_DEPTH`.
    seed : int or sequence of int
        The generator's seed.
    inputs : tuple of str
        The input names.

    Returns
    -------
    tuple of (str, dict)
        The expression and ``{input: value}`` for :func:`graphstep.parse`.

    Raises
    ------
    InputError
        For unknown ops, a bad depth, or when no draw fits.

    Examples
    --------
    >>> import graphstep as gs
    >>> text, values = random_expression("log,/,+", depth=2, seed=3)
    >>> g = gs.parse(text, **values)
    >>> bool(np.isfinite(gs.grad(g, g.inputs[0])))
    True
    """
    text, g = random_graph(ops, depth, seed, inputs)
    return text, {name: float(g.value_of(g.input_node(name))) for name in g.inputs}
