"""The safe tokenizer and operator-precedence reader (graphstep.build.syntax)."""

from __future__ import annotations

import ast

import pytest

from graphstep.build.syntax import BINARY, MAX_DEPTH, Source, syntax_tree
from graphstep.errors import ParseError


def test_precedence_and_associativity_are_pythons():
    _, tree = syntax_tree("-x**2 * y - z - w")
    python = ast.parse("-x**2 * y - z - w", mode="eval")
    assert ast.dump(tree).replace(", ctx=Load()", "") == ast.dump(python).replace(", ctx=Load()", "")
    _, tree = syntax_tree("a ^ b ^ c")
    assert isinstance(tree.body.right, ast.BinOp) and isinstance(tree.body.op, ast.Pow)
    assert BINARY["^"] == BINARY["**"]


def test_spans_point_at_the_users_text():
    source, tree = syntax_tree("sin(x) * (y + 2)")
    assert isinstance(source, Source)
    assert source.segment(tree.body.left) == "sin(x)"
    assert source.segment(tree.body.right) == "y + 2"
    assert source.where(tree.body.right) == "column 11"


def test_nesting_is_bounded_without_recursion():
    syntax_tree("(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH)
    with pytest.raises(ParseError, match=f"nesting deeper than {MAX_DEPTH} levels"):
        syntax_tree("(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1))
    _, tree = syntax_tree("+".join(["x"] * 5000))  # a long chain: no recursion either
    assert isinstance(tree.body, ast.BinOp)


@pytest.mark.parametrize("text, message", [
    ("x # note", "a comment ('#') is not allowed"),
    ("lambda: 1", "a lambda is not allowed"),
    ("x % y", "the operator Mod is not supported"),
    ("(x", "this '(' is never closed"),
    ("2x", "a number followed by a name; write 2*x for a product"),
])
def test_what_is_not_arithmetic_is_refused(text, message):
    with pytest.raises(ParseError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("*", r"\*")):
        syntax_tree(text)
