"""Reading expressions from text, safely.

The text is split into tokens by Python's :mod:`tokenize` and read by a small
operator-precedence parser (no recursion, so neither a long ``a+b+...+z`` chain nor a
thread with a small stack can exhaust the interpreter's stack). It builds ``ast`` nodes
for a whitelist: numbers, names, ``+ - * / ** @``, unary ``+ -``, calls of the known
functions, list literals and ``.T``. Nothing is ever passed to ``eval`` or ``exec``, nor
to Python's own compiler. ``^`` means power and ``ln`` is ``log``; ``max(0, z)`` is ReLU.

>>> g = parse("ln(sin(x^3)^2)", x=0.7)
>>> [g.label(n) for n in range(len(g))]
['x', '3', 'u1', 'u2', '2', 'u3', 'u4']
>>> g.expr(g.output)
'ln(sin(x^3)^2)'
"""

from __future__ import annotations

import ast
import math
from typing import Any

from graphstep.build import trace
from graphstep.build.program import dotted, read_program
from graphstep.build.statements import program_tree
from graphstep.build.syntax import BINARY, MAX_DEPTH, MAX_NODES, Source
from graphstep.build.trace import TRACED, Var
from graphstep.errors import GraphstepError, InputError, ParseError
from graphstep.graph import Graph
from graphstep.ops.table import CONST, FUNCTIONS, OPERATORS, OPS, overloads

__all__ = ["parse", "MAX_LENGTH", "MAX_DEPTH", "MAX_NODES", "CONSTANTS"]

#: Longest expression text accepted, in characters.
MAX_LENGTH = 10_000
#: Named constants usable in expressions.
CONSTANTS = {"pi": math.pi, "e": math.e}

#: Each binary operator's op, read from the op table (``^`` is ``**``).
_OP_NAMES = {node: OPERATORS[symbol] for symbol, (node, _, _) in BINARY.items() if symbol != "^"}
#: The op of a list literal ``[a, b]``: the variadic op (``stack``).
_LIST_OP = next(spec.name for spec in OPS.values() if spec.variadic)
#: The functions that take ``axis=``, for the message about a wrong keyword.
_AXIS_TAKERS = list(dict.fromkeys(
    name for spec in OPS.values() for name in spec.names
    if any(p.name == "axis" and p.keyword for p in spec.params)))
_AXIS_HINT = ", ".join(_AXIS_TAKERS[:-1]) + " and " + _AXIS_TAKERS[-1]
_WORDS = {1: "one", 2: "two", 3: "three"}


def _literal_int(node: ast.AST, source: Source, what: str) -> int:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_literal_int(node.operand, source, what)
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    raise ParseError(f"{what} must be a whole number written out, at {source.where(node)}")


def _literal_shape(node: ast.AST, source: Source, what: str) -> Any:
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(_literal_int(e, source, what) for e in node.elts)
    return _literal_int(node, source, what)


class _Reader:
    """Walks the syntax tree without recursion and builds Vars bottom-up."""

    def __init__(self, source: Source, values: dict[str, Any]):
        self.source = source
        self.values = values
        self.inputs: dict[str, Var] = {}
        self.names: dict[str, Var] = {}  # a program's names assigned so far
        self.later: dict[str, ast.AST] = {}  # and those assigned later (their targets)

    def children(self, node: ast.AST) -> list[ast.AST]:
        """Validate ``node`` and return the sub-expressions to evaluate first."""
        if isinstance(node, ast.Expression):
            return [node.body]
        if isinstance(node, ast.BinOp):  # the parser makes only the supported operators
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp):
            return [node.operand]
        if isinstance(node, (ast.List, ast.Tuple)):
            if not node.elts:
                raise ParseError(f"an empty list at {self.source.where(node)}: a list needs at least "
                                 "one element")
            return list(node.elts)
        if isinstance(node, ast.Attribute):
            if self.is_assigned(node):
                return []
            if node.attr != "T":
                raise ParseError(
                    f"attribute access '.{node.attr}' is not allowed, at "
                    f"{self.source.where(node)}; only .T (transpose) is"
                )
            return [node.value]
        if isinstance(node, ast.Call):
            return self.call_children(node)
        return []  # a Constant or a Name: the parser makes no other node

    def is_assigned(self, node: ast.Attribute) -> bool:
        """Whether ``node`` spells a dotted name (``layer1.z``) the program assigns."""
        name = dotted(node)
        return name is not None and (name in self.names or name in self.later)

    def call_children(self, node: ast.Call) -> list[ast.AST]:
        if not isinstance(node.func, ast.Name):
            self.children(node.func)  # says what is wrong with lambdas, attributes, ...
            raise ParseError(
                f"only the known functions can be called, at {self.source.where(node)}: "
                + ", ".join(sorted(FUNCTIONS))
            )
        if node.func.id not in FUNCTIONS:
            name = node.func.id
            raise ParseError(
                f"unknown function {name!r} at {self.source.where(node)}; the functions are: "
                + ", ".join(sorted(FUNCTIONS))
            )
        name = node.func.id
        specs = overloads(name)
        keywords = {p.name for spec in specs for p in spec.params if p.keyword}
        for argument in node.keywords:
            if argument.arg not in keywords:
                raise ParseError(
                    f"{name}() takes no keyword {argument.arg!r}, at {self.source.where(node)}"
                    + (f"; {_AXIS_HINT} take axis=" if argument.arg else "")
                )
        args = node.args
        if len(specs) > 1:  # max(a) and max(a, b): the number of arguments says which
            arities = sorted(spec.arity for spec in specs)
            if len(args) not in arities or (len(args) > arities[0] and node.keywords):
                first, *others = arities
                words = (f"{_WORDS[first]} argument{'s' * (first > 1)} (and axis=) or "
                         + " or ".join(_WORDS[n] for n in others))
                raise ParseError(f"{name}() takes {words}, got {len(args)}, at "
                                 f"{self.source.where(node)}")
            return list(args)
        spec = specs[0]
        optional = [p for p in spec.params if p.positional and not p.required]
        required = [p for p in spec.params if p.positional and p.required]
        if optional:  # sum(x, axis) or sum(x, axis=...)
            if len(args) not in (spec.arity, spec.arity + 1) or (
                    len(args) > spec.arity and node.keywords):
                raise ParseError(
                    f"{name}() takes {_WORDS[spec.arity]} argument and an optional "
                    f"{optional[0].name}, got {len(args)}, at {self.source.where(node)}"
                )
            return list(args[:spec.arity])
        count = 1 if spec.variadic else spec.arity + len(required)
        if len(args) != count:
            plural = "(s)" if not spec.elementwise else "s" * (count > 1)
            raise ParseError(f"{name}() takes {count} argument{plural}, got {len(args)}, at "
                             f"{self.source.where(node)}")
        if spec.variadic:
            if not isinstance(args[0], (ast.List, ast.Tuple)):
                raise ParseError(f"{name}() takes a list [a, b, ...], at {self.source.where(node)}")
            return list(args[0].elts)
        return list(args[:spec.arity])

    def build(self, node: ast.AST, parts: list[Any]) -> Any:
        text = self.source.segment(node)
        if isinstance(node, ast.Expression):
            return parts[0]
        if isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                raise ParseError(f"{node.value}, at {self.source.where(node)}")
            return trace.Var(CONST, (), float(node.value), text=text)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            return trace.apply(_OP_NAMES[type(node.op)], *parts, text=text)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.UAdd):
                return parts[0]
            return trace.apply(OPERATORS["neg"], parts[0], text=text)
        if isinstance(node, (ast.List, ast.Tuple)):
            return trace.apply(_LIST_OP, *parts, text=text)
        if isinstance(node, ast.Attribute):
            if self.is_assigned(node):  # layer1.z: a dotted name a program assigns
                return self.name(ast.copy_location(ast.Name(dotted(node)), node))
            result = parts[0].T
            return result if result is parts[0] else _with_text(result, text)
        return self.call(node, parts, text)

    def call(self, node: ast.Call, parts: list[Any], text: str) -> Var:
        """Call ``gs.<name>`` (:data:`~graphstep.build.trace.TRACED`) with the written parameters."""
        name = node.func.id
        specs = overloads(name)
        given: dict[str, Any] = {}
        for argument in node.keywords:
            given.setdefault(argument.arg, _literal_shape(argument.value, self.source, argument.arg))
        if len(specs) == 1:
            spec = specs[0]
            positional = [p for p in spec.params if p.positional]
            for param, written in zip(positional, node.args[spec.arity:]):
                what = "axis" if param.name == "axis" else f"the {param.name}"
                given[param.name] = _literal_shape(written, self.source, what)
            if spec.variadic:  # [] too: the op's shape rule says what is wrong
                return trace.apply(spec.name, *parts, text=text)
        elif "axis" not in given:
            given["axis"] = None
        result = TRACED[name](*parts, **given)
        return result if any(result is part for part in parts) else _with_text(result, text)

    def name(self, node: ast.Name) -> Var:
        name = node.id
        if name in self.names:
            return self.names[name]
        if name in self.later:
            raise ParseError(f"{name} is used at {self.source.where(node)} before it is assigned at "
                             f"{self.source.where(self.later[name])}")
        if name in self.inputs:
            return self.inputs[name]
        if name in self.values:
            self.inputs[name] = trace.var(name, self.values[name])
            return self.inputs[name]
        if name in CONSTANTS:
            return trace.Var(CONST, (), CONSTANTS[name], text=name)
        if name in FUNCTIONS:
            raise ParseError(
                f"{name} is a function, at {self.source.where(node)}; call it as {name}(...)"
            )
        given = ", ".join(self.values) or "none"
        assigned = f"; the names assigned before: {', '.join(self.names)}" if self.names else ""
        raise ParseError(
            f"unknown name {name!r} at {self.source.where(node)}; the inputs given are: {given}"
            f"{assigned}; constants: pi, e"
        )

    def read(self, tree: ast.Expression) -> Var:
        results: dict[int, Any] = {}
        stack: list[tuple[ast.AST, bool]] = [(tree, False)]
        kids: dict[int, list[ast.AST]] = {}
        while stack:
            node, ready = stack.pop()
            if not ready:
                children = self.children(node)
                kids[id(node)] = children
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(children))
                continue
            parts = [results[id(child)] for child in kids[id(node)]]
            try:
                results[id(node)] = self.build(node, parts)
            except GraphstepError as error:
                if isinstance(error, ParseError):
                    raise
                raise type(error)(f"{error} (at {self.source.where(node)})") from None
        return results[id(tree)]


def _with_text(v: Var, text: str) -> Var:
    v.text = text
    return v



def parse(expression: str, *, strict: bool = False, at: dict[str, Any] | None = None,
          **values: Any) -> Graph:
    """Read ``expression`` into a :class:`~graphstep.graph.Graph`, with inputs ``values``.

    Function names, their arguments and parameters (``axis``) come from the op table;
    nothing is passed to ``eval``.

    Parameters
    ----------
    expression : str
        One expression: numbers, input names, ``+ - * / ** ^ @``, ``.T``, lists and the
        functions of :data:`~graphstep.ops.table.FUNCTIONS` (``max(0, z)`` is ReLU).
    strict : bool
        Turn domain problems (``log`` of a negative number) into
        :class:`~graphstep.errors.DomainError` instead of a warning.
    at : dict, optional
        Input values, merged with ``values``.
    **values
        Each input's value: a number, a nested list or a numpy array.

    Returns
    -------
    Graph

    Raises
    ------
    ParseError
        Bad text; the message names the position.
    InputError
        A value that is not real numbers, or an input given but not used.
    ShapeError
        Shapes that do not fit, naming the sub-expressions.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("3*x^2*(2*y+7)", x=1.0, y=2.0)
    >>> g.value, g.inputs
    (33.0, ['x', 'y'])
    """
    if not isinstance(expression, str):
        raise ParseError(f"an expression must be text, got {type(expression).__name__}")
    if len(expression) > MAX_LENGTH:
        raise ParseError(
            f"the expression is {len(expression):,} characters long; the limit is {MAX_LENGTH:,}"
        )
    if not expression.strip():
        raise ParseError("the expression is empty")
    values = {**(at or {}), **values}
    for name in values:
        if not isinstance(name, str) or not name.isidentifier():
            raise InputError(f"input name {name!r} is not a valid identifier")
        if name in FUNCTIONS or name in CONSTANTS:
            raise InputError(f"{name!r} is a function or constant name; call the input something else")
    source, tree = program_tree(expression)
    reader = _Reader(source, values)
    output = read_program(tree, source, reader)
    unused = [name for name in values if name not in reader.inputs]
    if unused:
        raise InputError(
            f"{', '.join(unused)} {'was' if len(unused) == 1 else 'were'} given a value but "
            f"{'does' if len(unused) == 1 else 'do'} not appear in {expression.strip()!r}"
        )
    return Graph(output, strict=strict)
