"""A program's text as statements: ``name = expression`` lines, read by the safe expression reader.

Statements are separated by line breaks or ``;`` (a line break inside brackets does not
end one). Each statement's expression is read by :mod:`graphstep.build.syntax` (tokens and
an operator-precedence parser; nothing is evaluated); the size limits hold for the whole
program. What the names mean is checked by :mod:`graphstep.build.program`.

>>> source, tree = program_tree("z = w*x + b; a = max(0, z)")
>>> [(s.targets[0].id, source.segment(s.value)) for s in tree.body]
[('z', 'w*x + b'), ('a', 'max(0, z)')]
"""

from __future__ import annotations

import ast
import functools
import keyword
import re
import tokenize
import unicodedata

from graphstep.build.syntax import (  # the tokenizer's pieces, shared with one-expression reading
    _AUGMENTED,
    BINARY,
    Source,
    _place,
    _read_tokens,
    _Token,
    _tokens,
    _unexpected_operator,
)
from graphstep.errors import ParseError

__all__ = ["program_tree", "program_text"]


def _statements(tokens: list[_Token]) -> list[list[_Token]]:
    """``tokens`` cut at line breaks and at the ``;`` outside brackets (empty statements dropped)."""
    statements: list[list[_Token]] = [[]]
    depth = 0
    for token in tokens:
        if token.kind == tokenize.ENDMARKER:
            break
        if token.kind == tokenize.OP and token.text in "([{":
            depth += 1
        elif token.kind == tokenize.OP and token.text in ")]}":
            depth -= 1
        if token.kind == tokenize.NEWLINE or (token.kind == tokenize.OP and token.text == ";"
                                              and depth == 0):
            statements.append([])
        else:
            statements[-1].append(token)
    return [statement for statement in statements if statement]


def _target(statement: list[_Token], source: Source) -> int:
    """The number of tokens of ``name =`` (or ``block.name =``) opening ``statement``; 0 if none."""
    k = 0
    while k + 1 < len(statement) and statement[k].kind == tokenize.NAME and statement[k + 1].text == ".":
        k += 2
    if k + 1 < len(statement) and statement[k].kind == tokenize.NAME:
        after = statement[k + 1]
        if after.kind == tokenize.OP and after.text in _AUGMENTED:
            raise source.error(after.start, _unexpected_operator(after, statement[k]))
        if after.kind == tokenize.OP and after.text == "=":
            for token in statement[:k + 1:2]:
                name = unicodedata.normalize("NFKC", token.text)
                if keyword.iskeyword(name) or not name.isidentifier():
                    raise source.error(token.start, f"{token.text!r} cannot be assigned: a name is "
                                                    "an identifier that is not a Python keyword")
            if k + 2 == len(statement):
                raise source.error(after.end, f"invalid syntax: nothing after '=' (write "
                                              f"{statement[0].text} = an expression)")
            return k + 2
    return 0


@functools.lru_cache(maxsize=256)
def program_tree(text: str) -> tuple[Source, ast.Module]:
    """The checked syntax tree of a program: statements ``name = expression``, and an expression.

    Statements are separated by line breaks or ``;`` (a line break inside brackets does
    not end one). A statement is ``name = expression`` (``block.name =`` too: the target
    is an ``ast.Name`` whose ``id`` is the dotted name) or a bare expression. The size
    limits hold for the whole program. What the names mean is checked later
    (:mod:`graphstep.build.program`); one expression alone is a program of one statement.

    Parameters
    ----------
    text : str

    Returns
    -------
    tuple of (Source, ast.Module)
        The module's body holds ``ast.Assign`` (one ``ast.Name`` target) and ``ast.Expr``.

    Raises
    ------
    ParseError
        Bad text, naming the line and column (see :func:`syntax_tree`), ``z += 1``, a
        keyword as a name, nothing after ``=``.

    Examples
    --------
    >>> source, tree = program_tree("h = tanh(x); y = h*h")
    >>> [(s.targets[0].id, source.segment(s.value)) for s in tree.body]
    [('h', 'tanh(x)'), ('y', 'h*h')]
    """
    source = Source(text.replace("\r\n", "\n").replace("\r", "\n"))
    tokens = _tokens(source)
    body: list[ast.stmt] = []
    counted = 0
    statements = _statements(tokens)
    if not statements:
        raise ParseError("the expression is empty")
    what = "program" if len(statements) > 1 else "expression"
    for statement in statements:
        skip = _target(statement, source)
        last = statement[-1]
        if (last is not statements[-1][-1] and last.kind == tokenize.OP and last.text in BINARY):
            raise source.error(last.start, f"invalid syntax: the line ends with {last.text!r}; a line "
                                           "break ends a statement: wrap a long expression in ( )")
        end = _Token(tokenize.ENDMARKER, "", last.end, last.end)
        expression, count = _read_tokens(statement[skip:] + [end], source, counted, what)
        counted += count
        if skip:
            first, name_end = statement[0], statement[skip - 2].end
            name = unicodedata.normalize("NFKC", "".join(t.text for t in statement[:skip - 1]))
            target = _place(ast.Name(name, ast.Store()), first.start, name_end)
            node = ast.Assign([target], expression.body)
        else:
            node = ast.Expr(expression.body)
        body.append(_place(node, statement[0].start, last.end))
    return source, ast.Module(body, [])


_ASSIGNMENT = re.compile(r"^\s*[^\W\d][\w.]*\s*=(?!=)")


def program_text(body: str) -> str:
    """The body of a docs directive or fence as graphstep text.

    A program (a line ``name = ...``, or a ``;``) keeps its line breaks, one statement
    per line; one expression wrapped over several lines is joined into one line.

    Parameters
    ----------
    body : str

    Returns
    -------
    str

    Examples
    --------
    >>> program_text("x * exp(\\n  x^2)")
    'x * exp( x^2)'
    >>> program_text("z = w*x + b\\n  a = max(0, z)\\n")
    'z = w*x + b\\na = max(0, z)'
    """
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if any(_ASSIGNMENT.match(line) for line in lines) or ";" in body:
        return "\n".join(lines)
    return " ".join(body.split())
