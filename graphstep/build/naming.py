"""Named intermediates: giving a computed value a name (``v.named("h")``, ``h = ...`` in a program).

A traced :class:`~graphstep.build.trace.Var` whose ``name`` is set is a *named
intermediate*: pictures, captions, formulas and the REPL show the name instead of
``u1``, ``u2``. Inputs are named when they are made (:func:`graphstep.var`); every
other value may be named once it is computed, by the ``.named`` method, by an
assignment in a program (:func:`graphstep.parse`) or in a function
(:func:`graphstep.function`), or by an importer. A dotted name (``layer1.z``) keeps
its full text as the label and puts the value in the block ``layer1``
(:func:`graphstep.block`), so a collapsed picture can group it.

>>> import graphstep as gs
>>> x = gs.var("x", 2.0)
>>> h = give_name(x * x, "layer1.h")
>>> h.name, h.scope
('layer1.h', ('layer1',))
"""

from __future__ import annotations

import keyword
from typing import Any

from graphstep.build.scope import split_name
from graphstep.errors import InputError
from graphstep.ops.table import CONST, FUNCTIONS, INPUT

__all__ = ["check_value_name", "give_name", "node_labels", "RESERVED"]

#: Names a value cannot take: they already mean something in an expression.
RESERVED = frozenset({"pi", "e", "T"}) | frozenset(FUNCTIONS)


def check_value_name(name: object) -> str:
    """Return ``name`` if a value may carry it: an identifier, or identifiers joined by ``.``.

    Parameters
    ----------
    name : object
        The proposed name.

    Returns
    -------
    str
        ``name`` itself.

    Raises
    ------
    InputError
        For anything else: not text, a Python keyword, a function name (``exp``), a
        constant (``pi``, ``e``) or ``T`` (the transpose).

    Examples
    --------
    >>> check_value_name("layer1.z")
    'layer1.z'
    >>> try:
    ...     check_value_name("exp")
    ... except InputError as error:
    ...     print(error)
    'exp' cannot name a value: it is a function or constant name (or T, the transpose); choose another
    """
    if not isinstance(name, str) or not name or not all(
            part.isidentifier() and not keyword.iskeyword(part) for part in name.split(".")):
        raise InputError(f"{name!r} cannot name a value: a name is an identifier (h, z1, A_out), or "
                         "identifiers joined by '.' for a block (layer1.z)")
    if split_name(name)[1] in RESERVED:
        raise InputError(f"{name!r} cannot name a value: it is a function or constant name "
                         "(or T, the transpose); choose another")
    return name


def give_name(v: Any, name: str) -> Any:
    """Name the traced value ``v`` (see the module docstring) and return it.

    Parameters
    ----------
    v : Var
        A traced value that is not an input (an input keeps the name it was made with).
    name : str
        See :func:`check_value_name`. A prefix ``block.`` adds the block to ``v.scope``
        unless ``v`` was traced inside that block already.

    Returns
    -------
    Var
        ``v`` itself.

    Raises
    ------
    InputError
        For a bad name, or an input given a different name.

    Examples
    --------
    >>> import graphstep as gs
    >>> give_name(gs.var("x", 1.0), "h")
    Traceback (most recent call last):
    ...
    graphstep.errors.InputError: x is an input and keeps its name; name a computed value instead of 'h'
    """
    check_value_name(name)
    if v.op == INPUT:
        if v.name == name:
            return v
        raise InputError(f"{v.name} is an input and keeps its name; name a computed value instead "
                         f"of {name!r}")
    prefix, _ = split_name(name)
    if prefix and v.scope[len(v.scope) - len(prefix):] != prefix:
        v.scope = v.scope + prefix
    v.name = name
    return v


def node_labels(values: list[Any]) -> list[str]:
    """The display names of traced values in graph order: names, constants, then ``u1``, ``u2``...

    An input or a named value shows its name; a constant its text; every other value
    ``u<k>``, numbered in order and skipping the numbers a name took already. Two
    different values named alike (a traced loop naming each layer's ``h``) are told
    apart by a suffix: ``h``, ``h_2``, ``h_3`` (shown ``h₂``, ``h₃``).

    Parameters
    ----------
    values : list of Var
        In topological order.

    Returns
    -------
    list of str
        One label per value, all different except constants (``2`` may appear twice).

    Examples
    --------
    >>> import graphstep as gs
    >>> x = gs.var("x", 1.0)
    >>> h1 = give_name(x * 2, "h")
    >>> h2 = give_name(h1 + 1, "h")
    >>> g = gs.graph(gs.sin(h2) + x)
    >>> g.labels
    ['x', '2', 'h', '1', 'h_2', 'u1', 'u2']
    """
    taken = {v.name for v in values if v.name is not None}
    labels: list[str] = []
    used = {v.name for v in values if v.op == INPUT}  # an input keeps its name: it is a key
    k = 0
    for v in values:
        if v.op == INPUT:
            label = v.name
        elif v.name is not None:
            label, n = v.name, 1
            while label in used:
                n += 1
                label = f"{v.name}_{n}"
            taken.add(label)
        elif v.op == CONST:
            labels.append(v.text)
            continue
        else:
            k += 1
            while f"u{k}" in taken:
                k += 1
            label = f"u{k}"
        used.add(label)
        labels.append(label)
    return labels
