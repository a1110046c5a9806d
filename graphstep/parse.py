"""Reading expressions from text, safely.

The text is read with Python's ``ast`` module and walked against a whitelist of
node types: numbers, names, ``+ - * / ** @``, unary ``-``, calls of the known
functions, list literals and ``.T``. Nothing is ever passed to ``eval`` or
``exec``. ``^`` means power and ``ln`` is ``log``; ``max(0, z)`` is ReLU.

>>> g = parse("ln(sin(x^3)^2)", x=0.7)
>>> [g.label(n) for n in range(len(g))]
['x', '3', 'u1', 'u2', '2', 'u3', 'u4']
>>> g.expr(g.output)
'ln(sin(x^3)^2)'
"""

from __future__ import annotations

import ast
import functools
import io
import math
import re
import sys
import tokenize
from typing import Any

from . import trace
from .errors import GraphstepError, InputError, ParseError
from .graph import EXPR_LIMIT, Graph
from .ops import FUNCTIONS
from .trace import Var

__all__ = ["parse", "MAX_LENGTH", "MAX_DEPTH", "MAX_NODES", "CONSTANTS"]

#: Longest expression text accepted, in characters.
MAX_LENGTH = 10_000
#: Deepest nesting of parentheses, brackets and calls accepted.
MAX_DEPTH = 200
#: Most syntax-tree nodes accepted.
MAX_NODES = 100_000
#: Named constants usable in expressions.
CONSTANTS = {"pi": math.pi, "e": math.e}

_BINARY = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div",
           ast.Pow: "pow", ast.MatMult: "matmul"}
_AXIS_FUNCTIONS = {"sum", "mean", "softmax", "max", "min"}
_DISALLOWED = {
    ast.Lambda: "a lambda", ast.ListComp: "a comprehension", ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension", ast.GeneratorExp: "a generator expression",
    ast.Subscript: "indexing", ast.Compare: "a comparison", ast.BoolOp: "and/or",
    ast.IfExp: "an if-expression", ast.Dict: "a dict", ast.Set: "a set",
    ast.Starred: "a starred argument", ast.NamedExpr: "an assignment (:=)",
    ast.JoinedStr: "an f-string", ast.Await: "await", ast.Yield: "yield",
}


class _Source:
    """The user's text, the text given to ``ast`` (``^`` -> ``**``) and the map back."""

    def __init__(self, text: str):
        self.original = text
        pieces, carets = [], []
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
        except (tokenize.TokenError, IndentationError, SyntaxError) as error:
            raise ParseError(f"cannot read {text!r}: {error.args[0]}") from None
        depth = 0
        for token in tokens:
            if token.type == tokenize.OP and token.string in "([{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise ParseError(
                        f"nesting deeper than {MAX_DEPTH} levels at column {token.start[1] + 1}"
                    )
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
            if token.type == tokenize.OP and token.string == "^":
                carets.append(token.start)
        self.carets = carets
        lines = text.split("\n")
        for line_no, line in enumerate(lines, start=1):
            cols = [c for (ln, c) in carets if ln == line_no]
            out, last = [], 0
            for c in cols:
                out.append(line[last:c])
                out.append("**")
                last = c + 1
            out.append(line[last:])
            pieces.append("".join(out))
        self.text = "\n".join(pieces)
        self._lines = self.text.split("\n")
        self._line_bytes = [line.encode() for line in self._lines]

    def column(self, lineno: int, col: int) -> int:
        """The 1-based column in the user's text of a 0-based column in ``self.text``."""
        line_carets = sorted(c for (ln, c) in self.carets if ln == lineno)
        before = sum(1 for k, c in enumerate(line_carets) if c + k < col)
        return col - before + 1

    def segment(self, node: ast.AST) -> str:
        """The user's text of ``node`` (``**`` shown as ``^``), cut at the display limit."""
        if not hasattr(node, "lineno"):
            return ""
        if node.lineno == node.end_lineno:  # the common case, without re-splitting the text
            line = self._line_bytes[node.lineno - 1]
            end = min(node.end_col_offset, node.col_offset + 4 * EXPR_LIMIT)
            text = line[node.col_offset:end].decode(errors="replace")
        else:
            text = ast.get_source_segment(self.text, node) or ""
        text = re.sub(r"\s+", " ", text.replace("**", "^")).strip()
        return text if len(text) <= EXPR_LIMIT else text[: EXPR_LIMIT - 1] + "…"

    def where(self, node: ast.AST) -> str:
        line = getattr(node, "lineno", 1)
        raw = self._lines[line - 1].encode()[: getattr(node, "col_offset", 0)]
        col = self.column(line, len(raw.decode(errors="replace")))
        prefix = f"line {line}, " if "\n" in self.original else ""
        return f"{prefix}column {col}"


def _literal_int(node: ast.AST, source: _Source, what: str) -> int:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_literal_int(node.operand, source, what)
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    raise ParseError(f"{what} must be a whole number written out, at {source.where(node)}")


def _literal_shape(node: ast.AST, source: _Source, what: str) -> Any:
    if isinstance(node, (ast.Tuple, ast.List)):
        return tuple(_literal_int(e, source, what) for e in node.elts)
    return _literal_int(node, source, what)


class _Reader:
    """Walks the syntax tree without recursion and builds Vars bottom-up."""

    def __init__(self, source: _Source, values: dict[str, Any]):
        self.source = source
        self.values = values
        self.inputs: dict[str, Var] = {}

    def children(self, node: ast.AST) -> list[ast.AST]:
        """Validate ``node`` and return the sub-expressions to evaluate first."""
        if isinstance(node, ast.Expression):
            return [node.body]
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                raise ParseError(
                    f"the operator {type(node.op).__name__} is not supported, at "
                    f"{self.source.where(node)}; use + - * / ** ^ @"
                )
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise ParseError(f"only unary + and - are supported, at {self.source.where(node)}")
            return [node.operand]
        if isinstance(node, (ast.List, ast.Tuple)):
            if not node.elts:
                raise ParseError(f"an empty list at {self.source.where(node)}")
            return list(node.elts)
        if isinstance(node, ast.Attribute):
            if node.attr != "T":
                raise ParseError(
                    f"attribute access '.{node.attr}' is not allowed, at "
                    f"{self.source.where(node)}; only .T (transpose) is"
                )
            return [node.value]
        if isinstance(node, ast.Call):
            return self.call_children(node)
        if isinstance(node, (ast.Constant, ast.Name)):
            return []
        what = _DISALLOWED.get(type(node), f"'{type(node).__name__}'")
        raise ParseError(
            f"{what} is not allowed in an expression, at {self.source.where(node)}: "
            "graphstep reads arithmetic, the known functions, lists and .T"
        )

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
        for keyword in node.keywords:
            if keyword.arg != "axis" or name not in _AXIS_FUNCTIONS:
                raise ParseError(
                    f"{name}() takes no keyword {keyword.arg!r}, at {self.source.where(node)}"
                    + ("; sum, mean, softmax, max and min take axis=" if keyword.arg else "")
                )
        args = node.args
        expected = {"reshape": 2, "dot": 2, "stack": 1, "transpose": 1}
        if name in expected and len(args) != expected[name]:
            raise ParseError(
                f"{name}() takes {expected[name]} argument(s), got {len(args)}, at "
                f"{self.source.where(node)}"
            )
        if name in ("max", "min"):
            if len(args) not in (1, 2) or (len(args) == 2 and node.keywords):
                raise ParseError(
                    f"{name}() takes one argument (and axis=) or two, got {len(args)}, at "
                    f"{self.source.where(node)}"
                )
            return list(args)
        if name in ("sum", "mean", "softmax"):
            if len(args) not in (1, 2) or (len(args) == 2 and node.keywords):
                raise ParseError(
                    f"{name}() takes one argument and an optional axis, got {len(args)}, at "
                    f"{self.source.where(node)}"
                )
            return [args[0]]
        if name == "reshape":
            return [args[0]]
        if name == "stack":
            if not isinstance(args[0], (ast.List, ast.Tuple)):
                raise ParseError(f"stack() takes a list [a, b, ...], at {self.source.where(node)}")
            return list(args[0].elts)
        if name not in expected and len(args) != 1:
            raise ParseError(
                f"{name}() takes 1 argument, got {len(args)}, at {self.source.where(node)}"
            )
        return list(args)

    def build(self, node: ast.AST, parts: list[Any]) -> Any:
        text = self.source.segment(node)
        if isinstance(node, ast.Expression):
            return parts[0]
        if isinstance(node, ast.Constant):
            if type(node.value) not in (int, float):
                raise ParseError(
                    f"{node.value!r} at {self.source.where(node)} is not a real number"
                )
            return trace.Var("const", (), float(node.value), text=text)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            return trace.apply(_BINARY[type(node.op)], *parts, text=text)
        if isinstance(node, ast.UnaryOp):
            return parts[0] if isinstance(node.op, ast.UAdd) else trace.apply("neg", parts[0], text=text)
        if isinstance(node, (ast.List, ast.Tuple)):
            return trace.apply("stack", *parts, text=text)
        if isinstance(node, ast.Attribute):
            result = parts[0].T
            return result if result is parts[0] else _with_text(result, text)
        return self.call(node, parts, text)

    def call(self, node: ast.Call, parts: list[Any], text: str) -> Var:
        name = node.func.id
        axis = None
        if node.keywords:
            axis = _literal_shape(node.keywords[0].value, self.source, "axis")
        if name in ("sum", "mean", "softmax") and len(node.args) == 2:
            axis = _literal_shape(node.args[1], self.source, "axis")
        if name in ("sum", "mean"):
            return trace.apply(name, parts[0], text=text, axis=axis)
        if name == "softmax":
            return trace.apply(name, parts[0], text=text, axis=-1 if axis is None else axis)
        if name in ("max", "min"):
            return _with_text(getattr(trace, name)(*parts, axis=axis), text)
        if name == "reshape":
            shape = _literal_shape(node.args[1], self.source, "the shape")
            return _with_text(trace.reshape(parts[0], shape), text)
        if name == "transpose":
            result = parts[0].T
            return result if result is parts[0] else _with_text(result, text)
        return trace.apply(FUNCTIONS[name], *parts, text=text)

    def name(self, node: ast.Name) -> Var:
        name = node.id
        if name in self.inputs:
            return self.inputs[name]
        if name in self.values:
            self.inputs[name] = trace.var(name, self.values[name])
            return self.inputs[name]
        if name in CONSTANTS:
            return trace.Var("const", (), CONSTANTS[name], text=name)
        if name in FUNCTIONS:
            raise ParseError(
                f"{name} is a function, at {self.source.where(node)}; call it as {name}(...)"
            )
        given = ", ".join(self.values) or "none"
        raise ParseError(
            f"unknown name {name!r} at {self.source.where(node)}; the inputs given are: {given}; "
            f"constants: pi, e"
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


@functools.lru_cache(maxsize=256)
def _syntax_tree(text: str) -> tuple[_Source, ast.Expression]:
    """The checked syntax tree of ``text`` (cached: a training loop parses one text often).

    The tree is only ever read, so sharing it between calls is safe.
    """
    source = _Source(text)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * MAX_LENGTH))  # a long a+b+...+z chain nests deeply
    try:
        tree = ast.parse(source.text, mode="eval")
    except SyntaxError as error:
        col = source.column(error.lineno or 1, (error.offset or 1) - 1)
        raise ParseError(f"cannot read {text!r} at column {col}: {error.msg}") from None
    except (RecursionError, MemoryError, ValueError) as error:
        raise ParseError(f"cannot read the expression: {error}") from None
    finally:
        sys.setrecursionlimit(limit)
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ParseError(f"the expression has {count:,} syntax nodes; the limit is {MAX_NODES:,}")
    return source, tree


def parse(expression: str, *, strict: bool = False, at: dict[str, Any] | None = None,
          **values: Any) -> Graph:
    """Read ``expression`` into a :class:`~graphstep.graph.Graph`, with inputs ``values``.

    ``values`` (or the dict ``at``) give each input's value: a number, a nested list or
    a numpy array. ``strict=True`` turns domain problems into
    :class:`~graphstep.errors.DomainError`. Bad text raises
    :class:`~graphstep.errors.ParseError` naming the position.

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
    source, tree = _syntax_tree(expression.strip())
    reader = _Reader(source, values)
    output = reader.read(tree)
    unused = [name for name in values if name not in reader.inputs]
    if unused:
        raise InputError(
            f"{', '.join(unused)} {'was' if len(unused) == 1 else 'were'} given a value but "
            f"{'does' if len(unused) == 1 else 'do'} not appear in {expression.strip()!r}"
        )
    return Graph(output, strict=strict)
