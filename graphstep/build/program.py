"""Programs: named steps, ``z = w*x + b`` then ``a = max(0, z)``, read into one traced value.

A program is a list of statements (:func:`graphstep.build.syntax.program_tree` reads the
text; :mod:`graphstep.build.function` reads a numpy function). Each ``name = expression``
defines a value once, as a lecture does, and the name becomes the node's label; the last
statement (an assignment or a bare expression) is the output. The rules, each a
:class:`~graphstep.errors.ParseError` naming the line and column:

- a name is assigned once (these are definitions, not updates);
- a name is used only after its assignment;
- an input given a value, a function name (``exp``) or a constant (``pi``) is not assigned;
- a bare expression is only the last statement (elsewhere its value would be lost);
- every assigned name is used on the way to the output (else it would silently vanish
  from the picture).

``h = x`` (an expression that is already a named value or an input) makes ``h`` another
name for the same node, which keeps its first name: a node has one label. A dotted name
``layer1.z`` keeps its full text as the label and reads its expression inside
``gs.block("layer1")``, so the new nodes belong to that block (the inputs do not).

>>> import graphstep as gs
>>> g = gs.parse("z = w*x + b\\na = max(0, z)\\nC = (a - y)^2", w=2.0, x=1.0, b=0.5, y=1.0)
>>> [g.label(n) for n in range(len(g))], g.value
(['w', 'x', 'u1', 'b', 'z', 'a', 'y', 'u2', '2', 'C'], 2.25)
"""

from __future__ import annotations

import ast
from typing import Any, Protocol

from graphstep.build.naming import check_value_name, give_name
from graphstep.build.scope import block, split_name
from graphstep.build.syntax import Source
from graphstep.errors import InputError, ParseError

__all__ = ["ProgramReader", "read_program", "dotted"]


class ProgramReader(Protocol):
    """What :func:`read_program` needs of the expression reader (:mod:`graphstep.build.parse`)."""

    values: dict[str, Any]
    inputs: dict[str, Any]
    names: dict[str, Any]
    later: dict[str, ast.AST]

    def read(self, tree: ast.Expression) -> Any:
        """The traced value of one expression."""


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` written as attributes of a name, as one dotted name; None for anything else.

    Parameters
    ----------
    node : ast.AST

    Returns
    -------
    str or None

    Examples
    --------
    >>> import ast
    >>> dotted(ast.parse("layer1.z", mode="eval").body), dotted(ast.parse("f(x).T", mode="eval").body)
    ('layer1.z', None)
    """
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def _check_names(tree: ast.Module, source: Source, reader: ProgramReader) -> dict[str, ast.AST]:
    """Every assigned name and its target, after the rules on names and bare expressions."""
    assigned: dict[str, ast.AST] = {}
    last = len(tree.body) - 1
    for k, statement in enumerate(tree.body):
        if isinstance(statement, ast.Expr):
            if k != last:
                raise ParseError(
                    f"the expression {source.segment(statement.value)!r} at {source.where(statement)} "
                    "is not assigned a name and is not the last statement, so its value would be "
                    "lost; write name = ... (the last statement is the output)")
            continue
        target = statement.targets[0]
        name = target.id
        if name in assigned:
            raise ParseError(
                f"{name} is assigned twice, at {source.where(assigned[name])} and at "
                f"{source.where(target)}; a program's names are definitions, each assigned once "
                f"(use a new name: {split_name(name)[1]}2)")
        if name in reader.values:
            raise ParseError(
                f"{name} is an input (it was given a value) and is assigned at {source.where(target)}; "
                "rename the input or the assigned value")
        try:
            check_value_name(name)
        except InputError as error:
            raise ParseError(f"{error}, at {source.where(target)}") from None
        assigned[name] = target
    return assigned


def _used(output: Any) -> set[int]:
    """The ids of every traced value ``output`` depends on, itself included."""
    seen = {output.id}
    stack = [output]
    while stack:
        for a in stack.pop().args:
            if a.id not in seen:
                seen.add(a.id)
                stack.append(a)
    return seen


def read_program(tree: ast.Module, source: Source, reader: ProgramReader) -> Any:
    """Read the statements of ``tree`` in order and return the traced output.

    Parameters
    ----------
    tree : ast.Module
        From :func:`graphstep.build.syntax.program_tree` (or built from a function):
        ``ast.Assign`` with one ``ast.Name`` target, and a last ``ast.Expr``.
    source : Source
        The text, for positions in messages.
    reader : ProgramReader
        Reads one expression; its ``names`` and ``later`` tell it which names are
        assigned already and which only later.

    Returns
    -------
    Var
        The last statement's value; the assigned values carry their names.

    Raises
    ------
    ParseError
        For the rules in the module docstring.

    Examples
    --------
    >>> import graphstep as gs
    >>> g = gs.parse("layer1.z = 2*x; y = sin(layer1.z)", x=1.0)
    >>> g.label(g.args(g.output)[0]), g.scope(g.args(g.output)[0])
    ('layer1.z', ('layer1',))
    """
    assigned = _check_names(tree, source, reader)
    reader.later.update(assigned)
    value = None
    for statement in tree.body:
        if isinstance(statement, ast.Expr):
            value = reader.read(ast.Expression(statement.value))
            continue
        name = statement.targets[0].id
        scope, _ = split_name(name)
        known = set(reader.inputs)
        if scope:
            with block(".".join(scope)):
                value = reader.read(ast.Expression(statement.value))
            for new in set(reader.inputs) - known:  # an input belongs to no block
                made = reader.inputs[new]
                made.scope = made.scope[:len(made.scope) - len(scope)]
        else:
            value = reader.read(ast.Expression(statement.value))
        if value.name is None:  # else an alias: the node keeps its first name
            give_name(value, name)
        reader.names[name] = value
        del reader.later[name]
    used = _used(value)
    for name, target in assigned.items():
        if reader.names[name].id not in used:
            output = getattr(tree.body[-1], "targets", [None])[0]
            what = f"the output {output.id}" if output is not None else "the output"
            raise ParseError(f"{name} is assigned at {source.where(target)} but {what} does not use "
                             "it; remove it, or use it")
    return value
