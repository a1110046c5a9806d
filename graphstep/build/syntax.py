"""Reading expression text into a syntax tree, safely: tokens, then operator precedence.

The text is split into tokens by Python's :mod:`tokenize` and read by a small
operator-precedence parser (no recursion, so neither a long ``a+b+...+z`` chain nor a
thread with a small stack can exhaust the interpreter's stack). It builds ``ast`` nodes
for a whitelist: numbers, names, ``+ - * / ** @``, unary ``+ -``, calls, list literals
and ``.T``. Nothing is ever passed to ``eval`` or ``exec``, nor to Python's own compiler.
:mod:`graphstep.build.parse` checks the calls against the op table and builds the graph.

>>> source, tree = syntax_tree("2*x^2")
>>> type(tree.body.op).__name__, source.segment(tree.body.right)
('Mult', 'x^2')
"""

from __future__ import annotations

import ast
import functools
import io
import keyword
import re
import tokenize
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from graphstep.errors import ParseError
from graphstep.text import EXPR_LIMIT

__all__ = ["MAX_DEPTH", "MAX_NODES", "BINARY", "Source", "syntax_tree"]

#: Deepest nesting of parentheses, brackets, calls and signs accepted.
MAX_DEPTH = 200
#: Most syntax-tree nodes accepted.
MAX_NODES = 100_000
#: Binary operators: the ast operator, the precedence (higher binds tighter), right-associative?
BINARY = {"+": (ast.Add, 1, False), "-": (ast.Sub, 1, False), "*": (ast.Mult, 2, False),
           "/": (ast.Div, 2, False), "@": (ast.MatMult, 2, False), "**": (ast.Pow, 4, True),
           "^": (ast.Pow, 4, True)}
_UNARY_PRECEDENCE = 3  # -x**2 is -(x**2); -x*y is (-x)*y, as in Python
_UNSUPPORTED_BINARY = {"%": "Mod", "//": "FloorDiv", "<<": "LShift", ">>": "RShift", "&": "BitAnd",
                       "|": "BitOr"}
_COMPARISONS = {"<", ">", "<=", ">=", "==", "!=", "<>"}
#: Python constructs that are not arithmetic, by the token that starts them.
_DISALLOWED = {
    "lambda": "a lambda", "for": "a comprehension", "async": "a comprehension",
    "if": "an if-expression", "else": "an if-expression", "and": "and/or/not", "or": "and/or/not",
    "not": "and/or/not", "in": "a comparison", "is": "a comparison", "await": "await",
    "yield": "yield", ":=": "an assignment (:=)", "{": "a dict or set", "[": "indexing",
}
_NOT_REAL = {"True", "False", "None", "..."}
_AUGMENTED = {"+=", "-=", "*=", "/=", "@=", "**=", "//=", "%=", "&=", "|=", "^=", ">>=", "<<="}
_CLOSING = {"(": ")", "[": "]"}
_REFUSED = ": graphstep reads arithmetic, the known functions, lists and .T"


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class _Token:
    kind: int
    text: str
    start: tuple[int, int]  # (line, column), 1-based line and 0-based column in characters
    end: tuple[int, int]


class Source:
    r"""The user's text (line breaks normalised) and the positions in it.

    Parameters
    ----------
    text : str
        The expression as the user wrote it (line breaks normalised).

    Examples
    --------
    >>> import ast
    >>> text = "(x +\n  sin(y**2))"
    >>> source = Source(text)
    >>> source.multiline, source.offset(2, 2)
    (True, 7)
    """

    def __init__(self, text: str):
        self.text = text
        self.multiline = "\n" in text.strip()
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def offset(self, line: int, col: int) -> int:
        r"""The position in the text of line ``line``, column ``col``.

        Parameters
        ----------
        line : int
            A line, from 1 (as ``ast`` and ``tokenize`` count).
        col : int
            A column, from 0.

        Returns
        -------
        int
            The position in :attr:`text`.

        Examples
        --------
        >>> import ast
        >>> text = "(x +\n  sin(y**2))"
        >>> source = Source(text)
        >>> source.text[source.offset(2, 2):]
        'sin(y**2))'
        """
        return self._line_starts[line - 1] + col

    def segment(self, node: ast.AST) -> str:
        r"""The user's text of ``node`` (``**`` shown as ``^``), cut at the display limit.

        Parameters
        ----------
        node : ast.AST
            A node of the parsed text.

        Returns
        -------
        str
            ``""`` for a node without a position.

        Examples
        --------
        >>> import ast
        >>> text = "(x +\n  sin(y**2))"
        >>> source = Source(text)
        >>> source.segment(ast.parse(text, mode="eval").body.right)
        'sin(y^2)'
        """
        if not hasattr(node, "lineno"):
            return ""
        start = self.offset(node.lineno, node.col_offset)
        end = min(self.offset(node.end_lineno, node.end_col_offset), start + 4 * EXPR_LIMIT)
        text = re.sub(r"\s+", " ", self.text[start:end].replace("**", "^")).strip()
        return text if len(text) <= EXPR_LIMIT else text[: EXPR_LIMIT - 1] + "…"

    def where(self, node_or_position: ast.AST | tuple[int, int]) -> str:
        r"""Where a node or a position is, in words (columns counted from 1).

        Parameters
        ----------
        node_or_position : ast.AST or (int, int)
            A node, or a ``(line, column)`` as ``tokenize`` gives it.

        Returns
        -------
        str
            ``column 5``, or ``line 2, column 3`` for a text of several lines.

        Examples
        --------
        >>> import ast
        >>> text = "(x +\n  sin(y**2))"
        >>> source = Source(text)
        >>> source.where((2, 2)), Source("x + y").where((1, 4))
        ('line 2, column 3', 'column 5')
        """
        if isinstance(node_or_position, tuple):
            line, col = node_or_position
        else:
            line, col = getattr(node_or_position, "lineno", 1), getattr(node_or_position, "col_offset", 0)
        return f"line {line}, column {col + 1}" if self.multiline else f"column {col + 1}"

    def error(self, position: tuple[int, int], why: str) -> ParseError:
        """The :class:`~graphstep.errors.ParseError` for a problem at ``position``.

        Parameters
        ----------
        position : (int, int)
            ``(line, column)`` as ``tokenize`` gives it.
        why : str
            What is wrong there.

        Returns
        -------
        ParseError
            The error to raise; its message quotes the text and says where.

        Examples
        --------
        >>> print(Source("x + ?").error((1, 4), "the character '?' is not allowed"))
        cannot read 'x + ?' at column 5: the character '?' is not allowed
        """
        return ParseError(f"cannot read {_clip(self.text)!r} at {self.where(position)}: {why}")


def _tokens(source: Source) -> list[_Token]:
    """The tokens that matter; comments, stray characters and unclosed brackets are errors."""
    found: list[_Token] = []
    try:
        for token in _quiet_tokens(source.text):
            kind, text = token.type, token.string
            if kind in (tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING):
                continue
            if kind == tokenize.COMMENT:
                raise source.error(token.start, "a comment ('#') is not allowed: graphstep reads one "
                                                "expression, and a '#' would hide the rest of the line")
            if kind == tokenize.ERRORTOKEN:
                if text == " ":
                    continue
                if text in "'\"":
                    raise source.error(token.start, "a string that is never closed")
                raise source.error(token.start, f"the character {text!r} (U+{ord(text[0]):04X}) "
                                                "is not allowed")
            if kind == tokenize.NEWLINE and not text:
                continue  # the implicit end of the last line
            found.append(_Token(kind, text, token.start, token.end))
    except tokenize.TokenError as error:
        opened = _unclosed(found)
        if opened is not None:
            raise source.error(opened.start, f"this {opened.text!r} is never closed") from None
        raise source.error(found[-1].end if found else (1, 0),
                           f"{error.args[0]} (a bracket does not match)") from None
    except SyntaxError as error:  # IndentationError from an odd indentation of a later line
        raise source.error((error.lineno or 1, max((error.offset or 1) - 1, 0)),
                           error.msg or "bad indentation") from None
    end = found[-1].end if found else (1, 0)
    found.append(_Token(tokenize.ENDMARKER, "", end, end))
    return found


def _quiet_tokens(text: str) -> Iterator[tokenize.TokenInfo]:
    """Python's tokens of ``text``; newer Pythons tokenize in C and may warn ("4if"): not here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        yield from tokenize.generate_tokens(io.StringIO(text).readline)


def _unclosed(tokens: list[_Token]) -> _Token | None:
    stack = []
    for token in tokens:
        if token.kind == tokenize.OP and token.text in "([{":
            stack.append(token)
        elif token.kind == tokenize.OP and token.text in ")]}" and stack:
            stack.pop()
    return stack[-1] if stack else None


class _NotReal(str):
    """A constant that is not a real number (text, True, 1j): its reason, reported when read."""


def _number(token: _Token, source: Source) -> int | float | _NotReal:
    text = token.text
    if text[-1] in "jJ":
        return _NotReal(f"{text} is not a real number (imaginary)")
    if text[:2].lower() in ("0x", "0o", "0b"):
        value = int(text, 0)
    elif any(c in text for c in ".eE"):
        return float(text)  # 1e999 is inf: the graph warns about it as a value out of range
    else:
        digits = text.replace("_", "").lstrip("0")
        if len(digits) > 309:
            value = None
        else:
            value = int(text)
    if value is None or value > 1.7976931348623157e308:
        size = len(text.replace("_", "").lstrip("0"))
        raise source.error(token.start, f"the number {_clip(text, 20)} ({size:,} digits) is too large "
                                        "for a float (the largest is about 1.8e308)")
    return value


def _place(node: ast.AST, start: tuple[int, int], end: tuple[int, int]) -> ast.AST:
    node.lineno, node.col_offset = start
    node.end_lineno, node.end_col_offset = end
    return node


@dataclass
class _Group:
    """An open ``(``, ``[`` or call on the operator stack."""

    token: _Token
    kind: str  # "paren", "list" or "call"
    mark: int  # the length of the output stack when the group opened
    callee: tuple | None = None
    items: list = field(default_factory=list)
    keywords: list = field(default_factory=list)
    commas: int = 0


def _read_tokens(tokens: list[_Token], source: Source, counted: int = 0,
                 what: str = "expression") -> tuple[ast.Expression, int]:
    """The syntax tree of ``tokens`` and its token count, read with explicit stacks (shunting-yard).

    The output stack holds ``(node, start, end)``: the span includes enclosing parentheses,
    which is where an operator's span begins and ends, as in Python's own tree. ``counted``
    tokens were read before (the earlier statements of a program): the limit is on the sum.
    """
    output: list[tuple[ast.AST, tuple[int, int], tuple[int, int]]] = []
    ops: list[Any] = []  # _Group, or (token, precedence, right-associative) for operators
    depth = 0
    expect_operand = True
    count = 0

    def reduce_one() -> None:
        nonlocal depth
        token, _, right = ops.pop()
        if right is None:  # a sign
            operand, _, end = output.pop()
            op = ast.USub() if token.text == "-" else ast.UAdd()
            output.append((_place(ast.UnaryOp(op, operand), token.start, end), token.start, end))
            depth -= 1
            return
        right, _, end = output.pop()
        left, start, _ = output.pop()
        node = ast.BinOp(left, BINARY[token.text][0](), right)
        output.append((_place(node, start, end), start, end))

    def reduce_to_group(token: _Token) -> _Group:
        while ops and not isinstance(ops[-1], _Group):
            reduce_one()
        if not ops:
            if token.text == ",":
                raise source.error(token.start, "a comma outside brackets: a trailing comma makes a "
                                                "tuple; write [a, b] for a vector")
            raise source.error(token.start, f"this {token.text!r} has no matching opening bracket")
        return ops[-1]

    def keyword_start(i: int) -> int:
        """Skip ``name=`` at the start of a call argument, recording the keyword."""
        group = ops[-1] if ops else None
        if (isinstance(group, _Group) and group.kind == "call" and tokens[i].kind == tokenize.NAME
                and tokens[i + 1].kind == tokenize.OP and tokens[i + 1].text == "="):
            group.keywords.append((tokens[i], len(group.items)))
            return i + 2
        return i

    i = 0
    while True:
        token = tokens[i]
        kind, text = token.kind, token.text
        count += 1
        if expect_operand:
            if kind == tokenize.NUMBER:
                node = _place(ast.Constant(_number(token, source)), token.start, token.end)
                output.append((node, token.start, token.end))
                expect_operand = False
            elif kind == tokenize.NAME:
                if text in _DISALLOWED:
                    raise source.error(token.start, f"{_DISALLOWED[text]} is not allowed in an "
                                                    f"expression{_REFUSED}")
                if text in _NOT_REAL:
                    node = _place(ast.Constant(_NotReal(f"{text} is not a real number")), token.start,
                                  token.end)
                    output.append((node, token.start, token.end))
                    expect_operand = False
                    i += 1
                    continue
                if not text.isidentifier():
                    bad = next((c for k, c in enumerate(text) if not (("a" + c) if k else c).isidentifier()),
                               text[0])
                    raise source.error(token.start, f"the character {bad!r} (U+{ord(bad):04X}) is not "
                                                    "allowed in a name")
                name = unicodedata.normalize("NFKC", text)  # as Python reads identifiers
                if keyword.iskeyword(name):
                    raise source.error(token.start, f"invalid syntax: {name!r} is a Python keyword, "
                                                    "not part of an expression")
                output.append((_place(ast.Name(name), token.start, token.end), token.start, token.end))
                expect_operand = False
            elif kind == tokenize.STRING:
                what = "an f-string" if "f" in text[:2].lower() else "text"
                reason = _NotReal(f"{_clip(text, 20)} is not a real number ({what})")
                output.append((_place(ast.Constant(reason), token.start, token.end), token.start, token.end))
                expect_operand = False
            elif kind == tokenize.OP and text in ("+", "-"):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(source, token)
                ops.append((token, _UNARY_PRECEDENCE, None))
            elif kind == tokenize.OP and text in ("(", "["):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(source, token)
                ops.append(_Group(token, "paren" if text == "(" else "list", len(output)))
                i = keyword_start(i + 1) if text == "(" else i + 1
                continue
            elif kind == tokenize.OP and text in (")", "]") and isinstance(ops[-1] if ops else None, _Group) \
                    and len(output) == ops[-1].mark and tokens[i - 1].text in ("(", "[", ","):
                expect_operand = False
                depth -= 1
                _close(ops.pop(), token, output, source)
            else:
                raise source.error(token.start, _unexpected_operand(token, tokens[i - 1] if i else None))
            i += 1
            continue
        # expecting an operator (or the end)
        if kind == tokenize.ENDMARKER or kind == tokenize.NEWLINE:
            while ops:
                if isinstance(ops[-1], _Group):
                    raise source.error(ops[-1].token.start, f"this {ops[-1].token.text!r} is never closed")
                reduce_one()
            if kind == tokenize.NEWLINE and tokens[i + 1].kind != tokenize.ENDMARKER:
                raise source.error(tokens[i + 1].start, "invalid syntax: the expression ends at the line "
                                                        "break before; wrap a long expression in ( )")
            break
        if kind == tokenize.OP and text in BINARY:
            _, precedence, right = BINARY[text]
            while ops and not isinstance(ops[-1], _Group) and (
                    ops[-1][1] > precedence or (ops[-1][1] == precedence and not right)):
                reduce_one()
            ops.append((token, precedence, right))
            expect_operand = True
        elif kind == tokenize.OP and text == ".":
            name = tokens[i + 1]
            if name.kind != tokenize.NAME:
                raise source.error(token.start, "invalid syntax: a '.' must be followed by a name (.T)")
            value, start, _ = output.pop()
            node = _place(ast.Attribute(value, name.text), start, name.end)
            output.append((node, start, name.end))
            i += 1
        elif kind == tokenize.OP and text == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(source, token)
            callee = output.pop()
            ops.append(_Group(token, "call", len(output), callee=callee))
            expect_operand = True
            i = keyword_start(i + 1)
            continue
        elif kind == tokenize.OP and text == ",":
            group = reduce_to_group(token)
            _item(group, output, source)
            group.commas += 1
            expect_operand = True
            i = keyword_start(i + 1)
            continue
        elif kind == tokenize.OP and text in (")", "]"):
            group = reduce_to_group(token)
            _item(group, output, source)
            depth -= 1
            _close(ops.pop(), token, output, source)
        else:
            raise source.error(token.start, _unexpected_operator(token, tokens[i - 1]))
        i += 1
    if count + counted > MAX_NODES:
        raise ParseError(f"the {what} has {count + counted:,} syntax nodes; the limit is {MAX_NODES:,}")
    (body, _, _), = output
    return ast.Expression(body), count


def _too_deep(source: Source, token: _Token) -> ParseError:
    return source.error(token.start, f"nesting deeper than {MAX_DEPTH} levels (brackets, calls and "
                                     f"signs nest at most {MAX_DEPTH} deep)")


def _item(group: _Group, output: list, source: Source) -> None:
    """Move the finished item on top of ``output`` into ``group``."""
    if group.keywords and group.keywords[-1][1] < len(group.items) and group.kind == "call":
        raise source.error(output[-1][1], "invalid syntax: a positional argument follows a keyword "
                                          "argument")
    group.items.append(output.pop())


def _close(group: _Group, token: _Token, output: list, source: Source) -> None:
    opening = group.token
    if _CLOSING[opening.text] != token.text:
        raise source.error(token.start, f"this {token.text!r} does not match the {opening.text!r} at "
                                        f"{source.where(opening.start)}")
    start, end = opening.start, token.end
    nodes = [node for node, _, _ in group.items]
    if group.kind == "call":
        func, start, _ = group.callee
        keywords = {index for _, index in group.keywords}
        args = [n for k, n in enumerate(nodes) if k not in keywords]
        kws = [_place(ast.keyword(name.text, nodes[index]), name.start, group.items[index][2])
               for name, index in group.keywords]
        node = ast.Call(func, args, kws)
    elif group.kind == "list":
        node = ast.List(nodes)
    elif group.commas or not nodes:
        node = ast.Tuple(nodes)
    else:  # (x): the node keeps its own span; the parentheses widen the span around it
        output.append((nodes[0], start, end))
        return
    output.append((_place(node, start, end), start, end))


def _unexpected_operand(token: _Token, before: _Token | None) -> str:
    text = token.text
    if token.kind == tokenize.ENDMARKER or token.kind == tokenize.NEWLINE:
        after = f" after {before.text!r}" if before is not None else ""
        return f"invalid syntax: the expression ends{after} where a value is expected"
    if text in ("*", "**"):
        return f"a starred argument is not allowed in an expression{_REFUSED}"
    if text in _DISALLOWED:
        return f"{_DISALLOWED[text]} is not allowed in an expression{_REFUSED}"
    if text in _NOT_REAL:
        return f"{text} is not a real number"
    if text == "~":
        return "only unary + and - are supported"
    return f"invalid syntax: {text!r} where a value is expected"


def _unexpected_operator(token: _Token, before: _Token) -> str:
    text = token.text
    if before.kind == tokenize.NUMBER and token.kind == tokenize.NAME and before.end == token.start:
        return f"invalid syntax: a number followed by a name; write {before.text}*{text} for a product"
    if text in _UNSUPPORTED_BINARY:
        return (f"the operator {_UNSUPPORTED_BINARY[text]} is not supported ({text!r}); "
                "use + - * / ** ^ @")
    if text in _COMPARISONS:
        return f"a comparison is not allowed in an expression{_REFUSED}"
    if text in _DISALLOWED:
        return f"{_DISALLOWED[text]} is not allowed in an expression{_REFUSED}"
    if text == "=":
        return ("invalid syntax: '=' assigns a name only at the start of a statement "
                "(name = expression, one per line or separated by ';')")
    if text in _AUGMENTED:
        return (f"invalid syntax: {text!r} changes a value; a program defines each name once "
                "(write a new name: z2 = z + 1)")
    if token.kind in (tokenize.NAME, tokenize.NUMBER, tokenize.STRING):
        return f"invalid syntax: an operator is missing between {_clip(before.text, 20)!r} and " \
               f"{_clip(text, 20)!r}"
    return f"invalid syntax: unexpected {text!r}"



@functools.lru_cache(maxsize=256)
def syntax_tree(text: str) -> tuple[Source, ast.Expression]:
    """The checked syntax tree of ``text`` and its :class:`Source`.

    Cached (a training loop parses one text often); the tree is only ever read.

    Parameters
    ----------
    text : str

    Returns
    -------
    tuple of (Source, ast.Expression)

    Raises
    ------
    ParseError
        Bad text, naming the position: a character, a comment, an unclosed bracket,
        nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_NODES` nodes.

    Examples
    --------
    >>> source, tree = syntax_tree("sin(x)")
    >>> type(tree.body).__name__, source.segment(tree.body)
    ('Call', 'sin(x)')
    """
    # Python reads \r\n and a lone \r as line breaks; so do the positions here.
    source = Source(text.replace("\r\n", "\n").replace("\r", "\n"))
    return source, _read_tokens(_tokens(source), source)[0]
