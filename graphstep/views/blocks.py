"""Which nodes a collapse draws as one: the block of each node, from a ``collapse=`` choice.

A node's scope (:meth:`graphstep.graph.Graph.scope`, set by ``with gs.block(...)`` or a
dotted name ``layer1.z``) is a tuple of block names, outermost first. When no node of a
graph has a scope, the repeated structure found by :func:`graphstep.views.structure.structure_scopes`
(layers and neurons) stands in for it. :func:`block_keys` turns a ``collapse=`` choice
and an ``expand=`` list into one key per node: the scope prefix of the block it is drawn
in, or ``None`` for a node drawn as itself. Inputs are always drawn as themselves.

``collapse`` reads

- ``"blocks"`` (or ``True``): every top-level block;
- an int ``k``: the blocks ``k`` levels deep (``1`` is ``"blocks"``, ``0`` collapses nothing);
- a name (``"layer1"``, ``"net.layer1"``), names joined by commas, or a list of names.

``expand`` names blocks to open: their nodes are drawn in the blocks one level deeper
(or as themselves).

>>> import graphstep as gs
>>> x = gs.var("x", 1.0)
>>> with gs.block("a"):
...     h = gs.sin(x)
...     with gs.block("inner"):
...         h = h * h
>>> g = gs.graph(h + 1)
>>> block_keys(g, "blocks"), block_keys(g, 2)
([None, ('a',), ('a',), None, None], [None, ('a',), ('a', 'inner'), None, None])
>>> block_keys(g, "blocks", expand="a")
[None, None, ('a', 'inner'), None, None]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphstep.errors import InputError
from graphstep.graph import Graph
from graphstep.ops.table import INPUT
from graphstep.views.structure import structure_scopes

__all__ = ["block_keys", "node_scopes", "block_names", "dotted"]

Key = tuple


def dotted(key: Key) -> str:
    """A block key as a dotted name: ``("net", "layer1")`` -> ``"net.layer1"``.

    Parameters
    ----------
    key : tuple of str

    Returns
    -------
    str

    Examples
    --------
    >>> dotted(("net", "layer1"))
    'net.layer1'
    """
    return ".".join(key)


def node_scopes(g: Graph) -> list[Key]:
    """Each node's scope; the detected repeated structure when no node has one.

    Parameters
    ----------
    g : Graph

    Returns
    -------
    list of tuple of str

    Examples
    --------
    >>> import graphstep as gs
    >>> node_scopes(gs.parse("sin(x)", x=1.0))
    [(), ()]
    """
    own = [g.scope(n) for n in range(len(g))]
    return own if any(own) else structure_scopes(g)


def block_names(scopes: Iterable[Key]) -> list[str]:
    """Every block (and sub-block) named in ``scopes``, as dotted names, sorted.

    Parameters
    ----------
    scopes : iterable of tuple of str

    Returns
    -------
    list of str

    Examples
    --------
    >>> block_names([("a", "b"), ("c",), ()])
    ['a', 'a.b', 'c']
    """
    return sorted({dotted(s[:k]) for s in scopes for k in range(1, len(s) + 1)})


def _names(value: Any, what: str) -> list[Key]:
    items = value.split(",") if isinstance(value, str) else list(value)
    keys = []
    for item in items:
        if not isinstance(item, str):
            raise InputError(f"{what} takes block names, got {item!r}")
        if item.strip():
            keys.append(tuple(item.strip().split(".")))
    return keys


def _check_known(keys: list[Key], scopes: list[Key], what: str) -> None:
    known = set(block_names(scopes))
    for key in keys:
        if dotted(key) not in known:
            listed = ", ".join(sorted(known)[:12]) or "none (use gs.block while tracing)"
            raise InputError(f"{what}: no block named {dotted(key)!r}; the blocks are: {listed}")


def block_keys(g: Graph, collapse: Any, expand: Any = None,
               scopes: list[Key] | None = None) -> list[Key | None]:
    """The block each node is drawn in (its key), or None for a node drawn as itself.

    Parameters
    ----------
    g : Graph
    collapse : "blocks", True, int, str or list of str
        See the module's docstring; None, False, 0 or an empty list collapse nothing.
    expand : str or list of str, optional
        Blocks to open one level.
    scopes : list of tuple, optional
        The scopes to read (default: :func:`node_scopes`).

    Returns
    -------
    list
        By node id.

    Raises
    ------
    InputError
        For a name that is no block (the message lists the blocks), or a negative depth.

    Examples
    --------
    >>> import graphstep as gs
    >>> block_keys(gs.parse("x + 1", x=1.0), None)
    [None, None, None]
    """
    scopes = node_scopes(g) if scopes is None else scopes
    depth, chosen = 0, []
    if collapse is True or (isinstance(collapse, str) and collapse.strip() in ("blocks", "all")):
        depth = 1
    elif isinstance(collapse, int) and not isinstance(collapse, bool):
        if collapse < 0:
            raise InputError(f"collapse depth must be 0 or more, got {collapse}")
        depth = collapse
    elif collapse:
        chosen = sorted(_names(collapse, "collapse"), key=len, reverse=True)
        _check_known(chosen, scopes, "collapse")
    opened = set(_names(expand, "expand")) if expand else set()
    _check_known(sorted(opened), scopes, "expand")
    keys: list[Key | None] = []
    for n, scope in enumerate(scopes):
        key = None
        if g.op(n) != INPUT and scope:
            if depth:
                key = scope[:depth]
            else:
                key = next((c for c in chosen if scope[:len(c)] == c), None)
            while key is not None and key in opened:
                key = scope[:len(key) + 1] if len(scope) > len(key) else None
        keys.append(key)
    return keys
