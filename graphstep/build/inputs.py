"""Reading input values from the command line, safely.

``graphstep ... --at x=1.5 --at W=randn(3,2)`` gives each input a value. A value is
a number (``1.5``, ``-2``, ``1e-3``, ``pi``, ``e``), a nested list of numbers
(``[[1,2],[3,4]]``) or one of the constructors ``randn(3,2)``, ``rand(3)``,
``zeros(3)``, ``ones(2,2)``, ``eye(3)``, ``full(2,3, 0.5)``. The text is read with
Python's ``ast`` module and walked against a whitelist of node types; nothing is
ever evaluated. Arrays are limited to :data:`MAX_ELEMENTS` elements, checked before
anything is allocated.

>>> parse_value("[[1, 2], [3, 4]]").tolist()
[[1.0, 2.0], [3.0, 4.0]]
>>> parse_value("-1.5e-1")
-0.15
>>> parse_at(["x=1.5", "W=eye(2)"])
{'x': 1.5, 'W': array([[1., 0.],
       [0., 1.]])}
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from graphstep.build.trace import MAX_NDIM
from graphstep.errors import InputError
from graphstep.text import ellipsize

__all__ = ["parse_value", "parse_assignment", "parse_at", "MAX_ELEMENTS", "MAX_TEXT", "CONSTRUCTORS",
           "DEFAULT_SEED"]

#: Most elements an array given on the command line may have.
MAX_ELEMENTS = 1_000_000
#: Longest value text accepted, in characters (a command-line argument is shorter anyway).
MAX_TEXT = 2_000_000
#: The seed used for ``randn``/``rand`` when none is given, so that runs repeat.
DEFAULT_SEED = 0
#: The array constructors a value may call, with a one-line description each.
CONSTRUCTORS = {
    "randn": "randn(d1, d2, ...): standard normal samples (numpy default_rng(seed))",
    "rand": "rand(d1, d2, ...): uniform samples in [0, 1)",
    "zeros": "zeros(d1, d2, ...): all zeros",
    "ones": "ones(d1, d2, ...): all ones",
    "full": "full(d1, ..., value): every element equal to value",
    "eye": "eye(n) or eye(n, m): the identity matrix",
}
_NAMED = {"pi": math.pi, "e": math.e}


def _clip(text: str, limit: int = 40) -> str:
    return ellipsize(" ".join(text.split()), limit)


class _Reader:
    """Turns the syntax tree of one value into a float or an array."""

    def __init__(self, text: str, rng: np.random.Generator):
        self.text = text
        self.rng = rng

    def fail(self, node: ast.AST | None, why: str) -> InputError:
        where = ""
        if node is not None and hasattr(node, "col_offset"):
            segment = ast.get_source_segment(self.text, node)
            if segment is not None and segment.strip() != self.text.strip():
                where = f" ({_clip(segment)!r} at column {node.col_offset + 1})"
        return InputError(f"cannot read the value {_clip(self.text)!r}: {why}{where}")

    def number(self, node: ast.AST) -> float | None:
        """The node's value if it is a (signed) number or named constant, else None."""
        sign = 1.0
        while isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            if isinstance(node.op, ast.USub):
                sign = -sign
            node = node.operand
        if isinstance(node, ast.Constant):
            if type(node.value) in (int, float):
                try:
                    number = float(node.value)
                except OverflowError:
                    number = math.inf
                if not math.isfinite(number):
                    raise self.fail(node, f"{_clip(ast.get_source_segment(self.text, node) or '')} is "
                                          "too large for a float")
                return sign * number
            raise self.fail(node, f"{node.value!r} is not a real number")
        if isinstance(node, ast.Name) and node.id in _NAMED:
            return sign * _NAMED[node.id]
        if isinstance(node, ast.Name):
            raise self.fail(node, f"unknown name {node.id!r}; a value is a number, pi, e, a list or "
                                  + ", ".join(f"{k}(...)" for k in CONSTRUCTORS))
        return None

    def value(self, node: ast.AST) -> float | np.ndarray:
        number = self.number(node)
        if number is not None:
            return number
        if isinstance(node, (ast.List, ast.Tuple)):
            return self.nested(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        raise self.fail(node, self.unsupported(node))

    def unsupported(self, node: ast.AST) -> str:
        if isinstance(node, ast.BinOp):
            return "arithmetic is not allowed in a value; write the number out"
        if isinstance(node, ast.Attribute):
            return "attribute access is not allowed in a value"
        if isinstance(node, ast.UnaryOp):
            return "a sign may stand only before a number"
        return (f"a {type(node).__name__} is not allowed; a value is a number, a nested list or "
                + ", ".join(f"{k}(...)" for k in CONSTRUCTORS))

    def nested(self, root: ast.List | ast.Tuple) -> np.ndarray:
        """A nested list of numbers as an array; ragged or mixed nesting is an error."""
        shape: list[int] = []
        flat: list[float] = []
        # Breadth-first, level by level: every list on one level must have the same length.
        level: list[ast.AST] = [root]
        while level:
            lists = [n for n in level if isinstance(n, (ast.List, ast.Tuple))]
            if lists and len(lists) != len(level):
                bad = next(n for n in level if not isinstance(n, (ast.List, ast.Tuple)))
                raise self.fail(bad, f"ragged nesting: a number where a list was expected at depth "
                                     f"{len(shape)}")
            if not lists:
                for n in level:
                    number = self.number(n)
                    if number is None:
                        raise self.fail(n, "a list may hold only numbers and lists")
                    flat.append(number)
                break
            lengths = {len(n.elts) for n in lists}
            if len(lengths) > 1:
                raise self.fail(root, f"ragged list: the lists at depth {len(shape) + 1} have "
                                      f"different lengths {sorted(lengths)}")
            length = lengths.pop()
            if length == 0:
                raise self.fail(root, "an empty list has no value")
            shape.append(length)
            if len(shape) > MAX_NDIM:
                raise self.fail(root, f"more than {MAX_NDIM} levels of nesting")
            if math.prod(shape) > MAX_ELEMENTS:
                raise self.fail(root, f"more than {MAX_ELEMENTS:,} elements")
            level = [e for n in lists for e in n.elts]
        return np.array(flat, dtype=float).reshape(shape)

    def call(self, node: ast.Call) -> np.ndarray:
        if not isinstance(node.func, ast.Name) or node.func.id not in CONSTRUCTORS:
            name = node.func.id if isinstance(node.func, ast.Name) else _clip(
                ast.get_source_segment(self.text, node.func) or "?")
            raise self.fail(node, f"unknown function {name!r}; the constructors are "
                                  + ", ".join(CONSTRUCTORS))
        name = node.func.id
        if node.keywords:
            raise self.fail(node, f"{name}() takes no keyword arguments")
        args = list(node.args)
        if len(args) == 1 and isinstance(args[0], (ast.Tuple, ast.List)):
            args = list(args[0].elts)  # randn((3, 2)) as well as randn(3, 2)
        fill = None
        if name == "full":
            if len(args) < 2:
                raise self.fail(node, "full() takes the dimensions and then the value: full(2, 3, 0.5)")
            fill = self.number(args[-1])
            if fill is None:
                raise self.fail(args[-1], "the fill value of full() must be a number")
            args = args[:-1]
        if not args:
            raise self.fail(node, f"{name}() needs at least one dimension, e.g. {name}(3)")
        if name == "eye" and len(args) > 2:
            raise self.fail(node, "eye() takes one or two dimensions: eye(n) or eye(n, m)")
        dims = [self.dimension(a, name) for a in args]
        if len(dims) > MAX_NDIM:
            raise self.fail(node, f"more than {MAX_NDIM} dimensions")
        if name == "eye" and len(dims) == 1:
            dims = dims * 2
        size = math.prod(dims)
        if size > MAX_ELEMENTS:
            raise self.fail(node, f"{name}{tuple(dims) if len(dims) > 1 else '(' + str(dims[0]) + ')'} "
                                  f"would have {size:,} elements; the limit is {MAX_ELEMENTS:,}")
        if name == "randn":
            return self.rng.standard_normal(dims)
        if name == "rand":
            return self.rng.random(dims)
        if name == "zeros":
            return np.zeros(dims)
        if name == "ones":
            return np.ones(dims)
        if name == "full":
            return np.full(dims, fill)
        return np.eye(*dims)

    def dimension(self, node: ast.AST, name: str) -> int:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            if node.value < 1:
                raise self.fail(node, f"the dimensions of {name}() must be at least 1, got {node.value}")
            return node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
            raise self.fail(node, f"the dimensions of {name}() must be at least 1")
        raise self.fail(node, f"the dimensions of {name}() must be whole numbers written out")


def parse_value(text: str, rng: np.random.Generator | None = None, seed: int | None = None
                ) -> float | np.ndarray:
    """Read one value: a number, a nested list or an array constructor call.

    The text is parsed with :mod:`ast` and walked against a whitelist; nothing is
    evaluated.

    Parameters
    ----------
    text : str
        A number (``1.5``, ``-2``, ``pi``, ``e``), a nested list of numbers, or one of
        :data:`CONSTRUCTORS` such as ``randn(3, 2)``.
    rng : numpy.random.Generator, optional
        Where ``randn``/``rand`` draw from.
    seed : int, optional
        Without ``rng``: the seed of a new generator (:data:`DEFAULT_SEED` when None).

    Returns
    -------
    float or numpy.ndarray
        A float for a number, a float array otherwise.

    Raises
    ------
    InputError
        For anything else, with a message that names the problem and where it is; for
        arrays of more than :data:`MAX_ELEMENTS` elements (checked before allocating).

    Examples
    --------
    >>> parse_value("zeros(2)").tolist(), parse_value("pi") > 3
    ([0.0, 0.0], True)
    >>> bool((parse_value("randn(3)", seed=1) == parse_value("randn(3)", seed=1)).all())
    True
    >>> parse_value("__import__('os')")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    graphstep.errors.InputError: cannot read the value "__import__('os')": unknown function '__import__'...
    """
    if not isinstance(text, str):
        raise InputError(f"a value must be text, got {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise InputError(f"the value text is {len(text):,} characters long; the limit is {MAX_TEXT:,}")
    if not text.strip():
        raise InputError("the value is empty; write a number, a list such as [1, 2] or randn(3)")
    if rng is None:
        rng = np.random.default_rng(DEFAULT_SEED if seed is None else seed)
    source = text.strip()
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        raise InputError(f"cannot read the value {_clip(text)!r}: {error.msg} at column "
                         f"{error.offset or 1}") from None
    except (RecursionError, MemoryError, ValueError) as error:
        raise InputError(f"cannot read the value {_clip(text)!r}: {error or 'too deeply nested'}") from None
    return _Reader(source, rng).value(tree.body)


def parse_assignment(text: str, rng: np.random.Generator | None = None, seed: int | None = None
                     ) -> tuple[str, float | np.ndarray]:
    """Read ``NAME=VALUE`` (as given to ``--at``) into the name and its value.

    Parameters
    ----------
    text : str
        ``NAME=VALUE``; the value as :func:`parse_value` reads it.
    rng : numpy.random.Generator, optional
        Where random values draw from.
    seed : int, optional
        Without ``rng``: the seed of a new generator.

    Returns
    -------
    tuple of (str, float or numpy.ndarray)
        The name and the value.

    Raises
    ------
    InputError
        Without ``=``, for a name that is not an identifier, or a value
        :func:`parse_value` refuses (the message starts ``--at NAME:``).

    Examples
    --------
    >>> parse_assignment("x = 1.5")
    ('x', 1.5)
    """
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep:
        raise InputError(f"--at {_clip(text)!r}: expected NAME=VALUE, for example x=1.5 or W=randn(3,2)")
    if not name.isidentifier():
        raise InputError(f"--at {_clip(text)!r}: {name!r} is not a valid input name")
    try:
        return name, parse_value(value, rng=rng, seed=seed)
    except InputError as error:
        raise InputError(f"--at {name}: {error}") from None


def parse_at(items: Iterable[str], seed: int | None = None) -> dict[str, Any]:
    """Read every ``--at NAME=VALUE``; random values come from one generator, in order.

    Parameters
    ----------
    items : iterable of str
        ``NAME=VALUE`` texts (see :func:`parse_assignment`).
    seed : int, optional
        The seed of the one generator for ``randn``/``rand`` (:data:`DEFAULT_SEED` when
        None), so the same ``items`` and ``seed`` always give the same values.

    Returns
    -------
    dict
        Each name's value, in the order given.

    Raises
    ------
    InputError
        For a bad item, or a name given twice.

    Examples
    --------
    >>> values = parse_at(["W=randn(2,2)", "b=ones(2)"], seed=3)
    >>> values["W"].shape, values["b"].tolist()
    ((2, 2), [1.0, 1.0])
    """
    rng = np.random.default_rng(DEFAULT_SEED if seed is None else seed)
    values: dict[str, Any] = {}
    for item in items:
        name, value = parse_assignment(item, rng=rng)
        if name in values:
            raise InputError(f"--at {name} is given twice")
        values[name] = value
    return values
