"""A program's text as statements (graphstep/build/statements.py)."""

from __future__ import annotations

import pytest

import graphstep as gs
from graphstep.build.statements import program_text, program_tree


def test_program_tree_reads_statements_split_by_lines_and_semicolons():
    source, tree = program_tree("h = tanh(x); layer1.z = h * (h\n+ 1)\ny = layer1.z")
    assert [type(s).__name__ for s in tree.body] == ["Assign", "Assign", "Assign"]
    assert [s.targets[0].id for s in tree.body] == ["h", "layer1.z", "y"]
    assert source.segment(tree.body[1].value) == "h * (h + 1)"  # a line break inside ( ) is not an end
    assert (tree.body[2].lineno, tree.body[2].col_offset) == (3, 0)
    _, single = program_tree("x + 1")
    assert [type(s).__name__ for s in single.body] == ["Expr"]


def test_program_text_keeps_a_programs_lines_and_joins_a_wrapped_expression():
    assert program_text("  z = w*x + b\n\n  a = max(0, z)\n") == "z = w*x + b\na = max(0, z)"
    assert program_text("sin(x) *\n  y\n") == "sin(x) * y"
    assert program_text("a = 1; b = a") == "a = 1; b = a"
    assert program_text("x == y") == "x == y"


@pytest.mark.parametrize("text, message", [
    ("x +\n 1", "the line ends with '\\+'"),
    ("z += 1", "'\\+=' changes a value"),
    ("lambda = 3", "'lambda' cannot be assigned"),
    ("a = ", "nothing after '='"),
    (";", "empty"),
])
def test_program_tree_refuses_with_the_place(text, message):
    with pytest.raises(gs.ParseError, match=message):
        program_tree(text)
