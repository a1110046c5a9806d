"""Blocks: naming a part of a traced computation (``with gs.block("layer1"):``).

Every :class:`~graphstep.build.trace.Var` created inside ``with block(name):`` records
the block in its ``scope`` (a tuple of names, outermost first; blocks nest). A graph
keeps the scopes (:meth:`graphstep.graph.Graph.scope`), so a picture can draw a block as
one node whose edges carry the block's total derivative.

>>> import graphstep as gs
>>> x = gs.var("x", 1.0)
>>> with gs.block("layer1"):
...     h = gs.tanh(2 * x)
...     with gs.block("inner"):
...         y = h * h
>>> h.scope, y.scope, x.scope
(('layer1',), ('layer1', 'inner'), ())
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from graphstep.errors import InputError

__all__ = ["block", "current_scope", "split_name", "SCOPES"]

#: The stack of open scopes; ``SCOPES[-1]`` is the scope of a Var created now.
SCOPES: list[tuple[str, ...]] = [()]


def current_scope() -> tuple[str, ...]:
    """The scope a value traced now belongs to (``()`` outside every block).

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> current_scope()
    ()
    """
    return SCOPES[-1]


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not all(part.isidentifier() for part in name.split(".")):
        raise InputError(f"block name {name!r} is not an identifier (or identifiers joined by '.')")
    return name


@contextmanager
def block(name: str) -> Iterator[tuple[str, ...]]:
    """Group the values traced inside the ``with`` statement under ``name``.

    A dotted name opens nested blocks at once (``block("net.layer1")``).

    Parameters
    ----------
    name : str
        An identifier, or identifiers joined by ``.``.

    Yields
    ------
    tuple of str
        The scope now open.

    Raises
    ------
    InputError
        When ``name`` is not an identifier.

    Examples
    --------
    >>> with block("net.layer1") as scope:
    ...     scope
    ('net', 'layer1')
    """
    scope = SCOPES[-1] + tuple(_check_name(name).split("."))
    SCOPES.append(scope)
    try:
        yield scope
    finally:
        SCOPES.pop()


def split_name(name: str) -> tuple[tuple[str, ...], str]:
    """A dotted value name as its scope and its own name: ``layer1.z`` -> ``(("layer1",), "z")``.

    Parameters
    ----------
    name : str

    Returns
    -------
    tuple
        ``(scope, last part)``.

    Examples
    --------
    >>> split_name("net.layer1.z"), split_name("z")
    ((('net', 'layer1'), 'z'), ((), 'z'))
    """
    *scope, last = name.split(".")
    return tuple(scope), last
